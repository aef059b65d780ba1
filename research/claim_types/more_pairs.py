"""Does the type head gain from the two newest used pairs (test10, test11) as training data?

Two folds: fit the claims_v7 type recipe on its training files (+ the other pair) and score type micro-F1 on
the left-out pair's gold claims (head alone: types at or above the threshold, else the single best type),
against the same recipe without the extra pair.

    .venv/bin/python research/claim_types/more_pairs.py

Result (2026-11-23), type micro-F1 at threshold 0.5 / 0.6, EN and NL: test11 with the v7 files 0.864 / 0.878
and 0.868 / 0.859, with test10 added 0.865 / 0.878 and 0.884 / 0.870; test10 with the v7 files 0.828 / 0.835
and 0.821 / 0.792, with test11 added 0.838 / 0.836 and 0.825 / 0.814. So the gain is +0.000 to +0.022.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from _claim_files import DEMOTED  # noqa: E402
from dev_claims import type_f1  # noqa: E402
from train_claim_model import TYPE_PARAMS, typed  # noqa: E402

BASE = ["train.jsonl", "train_more.jsonl", "train_env_reports.jsonl", "train_v3.jsonl", "train_v5_en_a.jsonl",
        "train_v5_en_b.jsonl", "train_v5_nl_a.jsonl", "train_v5_nl_b.jsonl", *sorted(DEMOTED)]


def read(name: str) -> list[dict]:
    return [json.loads(line) for line in (ROOT / "data/claims" / name).open(encoding="utf-8") if line.strip()]


def score(clf, rows, threshold):
    gold_rows = [r for r in rows if r["is_claim"]]
    P = clf.predict_proba([r["text"] for r in gold_rows])
    classes = list(clf.classes_)
    pred = [{c for c, v in zip(classes, p, strict=True) if v >= threshold} or {classes[int(np.argmax(p))]} for p in P]
    return type_f1([set(r["claim_types"]) for r in gold_rows], pred)


def main() -> int:
    from authentitext.claim_model import ClaimClassifier

    base = [r for f in BASE for r in read(f)]
    pairs = {k: [r for lang in ("en", "nl") for r in read(f"test{k}_{lang}.jsonl")] for k in (10, 11)}
    for test, extra in ((11, 10), (10, 11)):
        for label, rows in (("v7 files", base), (f"v7 files + test{extra}", base + pairs[extra])):
            clf = ClaimClassifier(**TYPE_PARAMS).fit(*typed([r["text"] for r in rows],
                                                            [list(r["claim_types"]) for r in rows]))
            res = {lang: [round(score(clf, [r for r in pairs[test] if r["lang"] == lang], t), 3) for t in (0.5, 0.6)]
                   for lang in ("en", "nl")}
            print(f"test{test} gold claims, head fit on {label} ({len(rows)} rows): type micro-F1 at 0.5 / 0.6 {res}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
