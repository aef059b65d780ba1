"""Reproduce the choice of the claims_v7 type head (MODEL_CARD_claims.md, EVALUATION_claims.md).

    .venv/bin/python research/claim_types/select_type_head.py

Development protocol: leave one used held-out pair out (test5 ... test9, each EN + NL), fit the type head
on every other training file, and score type micro-F1 on the left-out pair's gold claims (the head alone:
types at or above a threshold, else the single best type; no rules). Seven feature settings of
:class:`authentitext.claim_model.ClaimClassifier` x four thresholds; the mean over the five folds decides.
About 12 minutes on 2 cores. It gave (2026-11-23), at threshold 0.5 / 0.6: the v6 head (embedding +
char n-grams, all rows) 0.795 / 0.802; the same on typed rows 0.798 / 0.804; with word 1-2-grams 0.821 /
0.820; with the embedding block at half weight 0.838 / 0.836 (every fold 0.82-0.86); without embeddings
0.837 / 0.824; half weight on all rows 0.834 / 0.830; half weight with C 16 0.838 / 0.835.
claims_v7 uses half weight, word 1-2-grams, typed rows, C 4 (scripts/train_claim_model.py TYPE_PARAMS).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))
from _claim_files import refused  # noqa: E402
from dev_claims import type_f1  # noqa: E402

from authentitext.claim_model import ClaimClassifier  # noqa: E402

BASE = ["train.jsonl", "train_more.jsonl", "train_env_reports.jsonl", "train_v3.jsonl", "train_v5_en_a.jsonl",
        "train_v5_en_b.jsonl", "train_v5_nl_a.jsonl", "train_v5_nl_b.jsonl",
        *[f"test{k}_{lang}.jsonl" for k in ("", "3", "4") for lang in ("en", "nl")]]
PAIRS = [[f"test{k}_en.jsonl", f"test{k}_nl.jsonl"] for k in (5, 6, 7, 8, 9)]
COMMON = {"C": 4.0, "tfidf": True, "ngram_range": (2, 5), "n_features": 2**16, "class_weight": "balanced"}
WORD = {"word_ngram_range": (1, 2)}
#: name -> (ClaimClassifier parameters, fit on typed rows only)
SETTINGS = {
    "v6 head (embedding + char, all rows)": (COMMON, False),
    "embedding + char, typed rows": (COMMON, True),
    "embedding + char + word, typed rows": ({**COMMON, **WORD}, True),
    "half embedding + char + word, typed rows": ({**COMMON, **WORD, "encoder_weight": 0.5}, True),
    "char + word, typed rows": ({**COMMON, **WORD, "encoder": None}, True),
    "half embedding + char + word, all rows": ({**COMMON, **WORD, "encoder_weight": 0.5}, False),
    "half embedding + char + word, typed rows, C 16": ({**COMMON, **WORD, "encoder_weight": 0.5, "C": 16.0}, True),
}
THRESHOLDS = (0.4, 0.5, 0.6, 0.7)


def read(name: str) -> list[dict]:
    path = ROOT / "data/claims" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def micro_f1(gold: list[set], proba: np.ndarray, classes: list[str], threshold: float) -> float:
    """Type micro-F1 of the head's types at ``threshold`` (else its single best type)."""
    pred = [{c for c, v in zip(classes, p, strict=True) if v >= threshold} or {classes[int(np.argmax(p))]}
            for p in proba]
    return type_f1(gold, pred)


def main() -> int:
    names = BASE + [f for pair in PAIRS for f in pair]
    bad = refused([Path(n) for n in names])
    if bad:
        raise SystemExit(f"refusing held-out files {bad}")
    files = {n: read(n) for n in names}
    scores = {s: {t: [] for t in THRESHOLDS} for s in SETTINGS}
    for pair in PAIRS:
        train = [r for n in names if n not in pair for r in files[n]]
        test = [r for n in pair for r in files[n] if r["is_claim"]]
        gold = [set(r["claim_types"]) for r in test]
        for setting, (params, typed_only) in SETTINGS.items():
            rows = [r for r in train if r["claim_types"]] if typed_only else train
            head = ClaimClassifier(**params).fit([r["text"] for r in rows], [r["claim_types"] for r in rows])
            proba = head.predict_proba([r["text"] for r in test])
            for t in THRESHOLDS:
                scores[setting][t].append(micro_f1(gold, proba, [str(c) for c in head.classes_], t))
        print(f"fold {pair[0][:-9]} done", flush=True)
    for setting, by_t in scores.items():
        print(f"{setting:48s} " + "  ".join(f"t{t}: {np.mean(v):.3f} ({min(v):.2f}-{max(v):.2f})"
                                             for t, v in by_t.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
