"""Development check for new claim training files: refit the shipped recipe with and without them and score
the full pipeline on used held-out pairs that neither model trained on.

Rule (set before each check, before the new files were read): ship the refit only if type micro-F1 on gold
claims rises by at least 0.005 (mean over the development files and languages) and claim F1 drops by no more
than 0.01 on any of them. Both models use the recipe of scripts/train_claim_model.py and run through
extract_claims.

    .venv/bin/python research/claim_types/new_files_check.py --new train_v8_{en,nl}_{a,b}.jsonl --dev test13
        (2026-11-23, base = the 7.1.0 files: type F1 EN 0.839 -> 0.836, NL 0.809 -> 0.835, mean +0.011;
        claim F1 0.940 / 0.957 -> 0.935 / 0.954: ship -> claims 7.2.0)
    .venv/bin/python research/claim_types/new_files_check.py --new train_v9_{en,nl}_{a,b}.jsonl --dev test14 test15
        (base = the 7.2.0 files; result in EVALUATION_claims.md)

The base is the default training set of scripts/train_claim_model.py minus the --new files and the --dev
pairs (so the first command above rebuilds the 7.1.0 training set from today's 7.2.0 one).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from _claim_files import DEMOTED, TRAIN_FILES  # noqa: E402
from eval_claims import score_own  # noqa: E402
from train_claim_model import CLAIM_PARAMS, TYPE_PARAMS, typed  # noqa: E402


def read(name: str) -> list[dict]:
    return [json.loads(line) for line in (ROOT / "data/claims" / name).open(encoding="utf-8") if line.strip()]


def fit_and_score(rows: list[dict], dev: dict[str, list[dict]], out: Path) -> dict:
    import numpy as np

    from authentitext.claim_model import ClaimClassifier, ClaimModel

    texts = [r["text"] for r in rows]
    claim = ClaimClassifier(**CLAIM_PARAMS).fit(texts, np.array([int(r["is_claim"]) for r in rows]))
    types = ClaimClassifier(**TYPE_PARAMS).fit(*typed(texts, [list(r["claim_types"]) for r in rows]))
    ClaimModel(claim, types).save(out, meta={"name": out.name})
    res = {}
    for key, rows_ in dev.items():
        r = score_own(rows_, key.split("_")[-1], model=str(out))
        res[key] = {"claim_f1": r["claim"]["f1"], "type_f1": r["type_micro_f1_gold_claims"]}
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--new", nargs="+", required=True, help="new training files (names under data/claims)")
    ap.add_argument("--dev", nargs="+", required=True, help="used held-out pairs, e.g. test14 (both languages)")
    args = ap.parse_args(argv)
    dev_files = {f"{k}_{lang}.jsonl" for k in args.dev for lang in ("en", "nl")}
    base_files = [f for f in (*TRAIN_FILES, *sorted(DEMOTED)) if f not in args.new and f not in dev_files]
    base = [r for f in base_files for r in read(f)]
    new = [r for f in args.new for r in read(f)]
    dev = {f"{k}_{lang}": read(f"{k}_{lang}.jsonl") for k in args.dev for lang in ("en", "nl")}
    with tempfile.TemporaryDirectory() as tmp:
        before = fit_and_score(base, dev, Path(tmp) / "base")
        after = fit_and_score(base + new, dev, Path(tmp) / "new")
    print(f"base, {len(base)} rows: {before}")
    print(f"+ {' '.join(args.new)}, {len(base) + len(new)} rows: {after}")
    gain = sum(after[k]["type_f1"] - before[k]["type_f1"] for k in dev) / len(dev)
    drop = max(before[k]["claim_f1"] - after[k]["claim_f1"] for k in dev)
    ok = gain >= 0.005 and drop <= 0.01
    print(f"type F1 gain (mean) {gain:+.3f}, largest claim F1 drop {drop:+.3f}: {'ship' if ok else 'do not ship'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
