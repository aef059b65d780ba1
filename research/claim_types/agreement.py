"""Inter-annotator agreement on claim types (EVALUATION_claims.md, tenth evaluation).

    .venv/bin/python research/claim_types/agreement.py

Two further annotators (A, B: separate helper sessions that read only data/claims/DATACARD.md and
DATACARD_test3.md, the guide the original authors read, and saw neither the gold types nor each other's
labels nor any model output) typed every gold claim of test9_en / test9_nl (141 / 150 sentences, in file
order; ``agreement/{A,B}_{en,nl}.jsonl``, ``id`` = index among the file's claims). Prints the type
micro-F1 of each annotator pair, computed as the held-out metric is (one side as gold).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "agreement"
sys.path.insert(0, str(ROOT / "scripts"))
from dev_claims import type_f1 as micro_f1  # noqa: E402  (the type micro-F1 of the claim scripts)


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    for lang in ("en", "nl"):
        gold = [set(r["claim_types"]) for r in read(ROOT / f"data/claims/test9_{lang}.jsonl") if r["is_claim"]]
        ann = {k: read(HERE / f"{k}_{lang}.jsonl") for k in ("A", "B")}
        for k, rows in ann.items():
            if [r["id"] for r in rows] != list(range(len(gold))):
                raise SystemExit(f"{k}_{lang}.jsonl does not cover the {len(gold)} claims of test9_{lang} in order")
        a, b = ([set(r["claim_types"]) for r in ann[k]] for k in ("A", "B"))
        print(f"{lang}: {len(gold)} claims; type micro-F1 author-A {micro_f1(gold, a):.3f}, "
              f"author-B {micro_f1(gold, b):.3f}, A-B {micro_f1(a, b):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
