"""Train the shipped claim model from the data/claims training files (deterministic).

    python scripts/train_claim_model.py [--data data/claims/train.jsonl ... (default: the twelve training files
        and the demoted test files of scripts/_claim_files.py)]
        [--out src/authentitext/resources/models/claims_v7] [--cv 5]

Writes two heads (``claim``: binary is_claim; ``types``: multi-label claim
types) with :meth:`authentitext.claim_model.ClaimModel.save` (JSON + npz, no
pickle) and ``meta.json`` with 5-fold cross-validated metrics on the training
files. Test files still held out are refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

from _claim_files import DEMOTED, TRAIN_FILES, refused

ROOT = Path(__file__).resolve().parents[1]
VERSION = "7.8.0"
CLAIM_PARAMS = {"C": 4.0, "tfidf": True, "ngram_range": (2, 5), "n_features": 2**16, "class_weight": "balanced"}
#: Since 7.0.0 the type head adds hashed word 1-2-grams and halves the embedding block, and is fit on
#: typed rows only (claims and would-be claims): leave-one-pair-out over the used pairs test5-test9,
#: type micro-F1 on gold claims 0.795-0.802 -> 0.836-0.838 (EVALUATION_claims.md, tenth evaluation).
TYPE_PARAMS = {"C": 4.0, "tfidf": True, "ngram_range": (2, 5), "n_features": 2**16, "class_weight": "balanced",
               "word_ngram_range": (1, 2), "encoder_weight": 0.5}


def typed(texts: list[str], types: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """The rows the type head learns from: those with at least one claim type (claims, would-be claims).

    A plain non-claim ("Prices include VAT") says nothing about which type a claim has; as an all-negative
    row it only teaches the type head the claim head's job.
    """
    keep = [i for i, t in enumerate(types) if t]
    return [texts[i] for i in keep], [types[i] for i in keep]


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cross_validate(texts, y, types, langs, folds: int) -> dict:
    from sklearn.metrics import f1_score, precision_score, recall_score
    from sklearn.model_selection import StratifiedKFold

    from authentitext.claim_model import ClaimClassifier

    prob = np.zeros(len(texts))
    tpred: list[list[str]] = [[] for _ in texts]
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, y):
        clf = ClaimClassifier(**CLAIM_PARAMS).fit([texts[i] for i in train], y[train])
        prob[test] = clf.predict_proba([texts[i] for i in test])[:, 1]
        tclf = ClaimClassifier(**TYPE_PARAMS).fit(*typed([texts[i] for i in train], [types[i] for i in train]))
        for i, labels in zip(test, tclf.predict_labels([texts[i] for i in test]), strict=True):
            tpred[i] = labels
    out = {}
    for lang in ("en", "nl", "all"):
        m = np.ones(len(texts), bool) if lang == "all" else (langs == lang)
        pred = prob[m] >= 0.5
        out[lang] = {k: round(float(f(y[m], pred)), 3) for k, f in
                     (("precision", precision_score), ("recall", recall_score), ("f1", f1_score))}
    tp = fp = fn = 0
    for i in np.flatnonzero(y == 1):
        gold, pred = set(types[i]), set(tpred[i])
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    out["types_micro_f1_on_claims"] = round(2 * tp / max(1, 2 * tp + fp + fn), 3)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, nargs="+",
                    default=[ROOT / "data/claims" / f for f in (*TRAIN_FILES, *sorted(DEMOTED))])
    ap.add_argument("--out", type=Path, default=ROOT / "src/authentitext/resources/models/claims_v7")
    ap.add_argument("--cv", type=int, default=5, help="folds for the model card metrics (0 = skip)")
    args = ap.parse_args(argv)
    held_out = refused(args.data)
    if held_out:
        ap.error(f"refusing to train on held-out test files {held_out}")

    from authentitext import __version__
    from authentitext.claim_model import ClaimClassifier, ClaimModel

    rows = [row for path in args.data for row in read(path)]
    texts = [r["text"] for r in rows]
    y = np.array([int(r["is_claim"]) for r in rows])
    types = [list(r["claim_types"]) for r in rows]
    langs = np.array([r["lang"] for r in rows])
    metrics = cross_validate(texts, y, types, langs, args.cv) if args.cv else {}
    claim = ClaimClassifier(**CLAIM_PARAMS).fit(texts, y)
    type_head = ClaimClassifier(**TYPE_PARAMS).fit(*typed(texts, types))
    meta = {"name": args.out.name, "version": VERSION, "trained": dt.date.today().isoformat(),
            "data": [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in args.data],
            "n_train": len(rows), "n_en": int((langs == "en").sum()), "n_nl": int((langs == "nl").sum()),
            "authentitext": __version__, "cv": metrics}
    ClaimModel(claim, type_head).save(args.out, meta=meta)
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
