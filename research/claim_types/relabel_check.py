"""Would re-annotated types of the three oldest training files help the type head? (EVALUATION_claims.md)

    .venv/bin/python research/claim_types/relabel_check.py

``relabel/types_relabel.jsonl``: every typed row of ``train.jsonl``, ``train_more.jsonl`` and
``train_v3.jsonl`` (1,879 sentences) typed again by six annotator sessions that read only the two data
cards (``DATACARD.md``, ``DATACARD_test3.md``) and their share of the sentences (text, language, claim or
would-be claim). Prints the agreement of the new types with the originals per file, then the
leave-one-used-pair-out type micro-F1 (as ``select_type_head.py``, the claims_v7 head, threshold 0.6) with
the original types, with the new ones, and with both (each such row twice). About 6 minutes.
It gave (2026-11-23): agreement 0.945 / 0.901 / 0.920; type micro-F1 0.836 / 0.838 / 0.835 - no gain,
so claims_v7 keeps the original types.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "scripts"))
import select_type_head as S  # noqa: E402
import train_claim_model as tcm  # noqa: E402

from authentitext.claim_model import ClaimClassifier  # noqa: E402


def main() -> int:
    relabel = [json.loads(line) for line in (HERE / "relabel/types_relabel.jsonl").read_text(encoding="utf-8").splitlines()]
    new = {(r["file"], r["text"]): r["claim_types"] for r in relabel}
    names = S.BASE + [f for pair in S.PAIRS for f in pair]
    files = {n: S.read(n) for n in names}
    for name in ("train.jsonl", "train_more.jsonl", "train_v3.jsonl"):
        pairs = [(set(r["claim_types"]), set(new[(name, r["text"])])) for r in files[name] if r["claim_types"]]
        tp = sum(len(a & b) for a, b in pairs)
        print(f"{name}: {len(pairs)} typed rows, new vs original type micro-F1 "
              f"{2 * tp / (2 * tp + sum(len(a ^ b) for a, b in pairs)):.3f}")
    scores: dict[str, list[float]] = {"original": [], "re-annotated": [], "both": []}
    for pair in S.PAIRS:
        test = [r for n in pair for r in files[n] if r["is_claim"]]
        for variant in scores:
            texts, types = [], []
            for n in names:
                if n in pair:
                    continue
                for r in files[n]:
                    alt = new.get((n, r["text"]))
                    t = alt if variant == "re-annotated" and alt is not None else r["claim_types"]
                    if t:
                        texts.append(r["text"])
                        types.append(t)
                    if variant == "both" and alt is not None:
                        texts.append(r["text"])
                        types.append(alt)
            head = ClaimClassifier(**tcm.TYPE_PARAMS).fit(texts, types)
            proba = head.predict_proba([r["text"] for r in test])
            scores[variant].append(S.micro_f1([set(r["claim_types"]) for r in test], proba,
                                              [str(c) for c in head.classes_], 0.6))
    for variant, v in scores.items():
        print(f"{variant:13s} mean type micro-F1 {np.mean(v):.3f} (folds {', '.join(f'{x:.3f}' for x in v)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
