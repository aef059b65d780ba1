"""Choose the claim decision thresholds on out-of-fold scores of the training files only.

    python scripts/select_claim_thresholds.py [--folds 5]

For each training sentence (data/claims/train.jsonl + train_more.jsonl) the claim model's
probability is predicted out of fold (a model fit on the other folds, same parameters as the
shipped model); the rules, cues and vetoes run as in the shipped pipeline, and the decision
of ``ClaimQualifier`` is replayed for a grid of ``threshold`` (model alone) and
``rule_threshold`` (model + a rule match). Prints F1 per language and the best pair by mean F1.
The held-out test files are not read.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    from authentitext.claim_model import ClaimClassifier

    spec = importlib.util.spec_from_file_location("train", ROOT / "scripts/train_claim_model.py")
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)  # type: ignore[union-attr]
    spec = importlib.util.spec_from_file_location("dev_claims", ROOT / "scripts/dev_claims.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)  # type: ignore[union-attr]
    rows = [json.loads(line) for f in ("train.jsonl", "train_more.jsonl")
            for line in (ROOT / "data/claims" / f).read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    y = np.array([int(r["is_claim"]) for r in rows])
    langs = np.array([r["lang"] for r in rows])
    oof = np.zeros(len(rows))
    for tr, te in StratifiedKFold(args.folds, shuffle=True, random_state=0).split(texts, y):
        clf = ClaimClassifier(**train.CLAIM_PARAMS).fit([texts[i] for i in tr], y[tr])
        oof[te] = clf.predict_proba([texts[i] for i in te])[:, 1]

    grid_t = [0.5, 0.55, 0.6, 0.65, 0.7]
    grid_r = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]
    preds = {key: np.zeros(len(rows), dtype=int) for key in itertools.product(grid_t, grid_r)}
    docs, quals = dev.pre_model_docs(texts, langs)
    for i, doc in docs.items():
        qualifier = quals[langs[i]]
        for sent in doc.spans["claim_sentences"]:
            sent._.claim_score = float(oof[i])
            sent._.type_scores = {}
        for key in preds:
            qualifier.threshold, qualifier.rule_threshold = key
            d = qualifier(doc.copy())
            preds[key][i] = int(any(s._.is_claim for s in d.spans["claim_sentences"]))
    results = []
    for key, p in preds.items():
        f1s = {lang: f1_score(y[langs == lang], p[langs == lang]) for lang in ("en", "nl")}
        results.append((np.mean(list(f1s.values())), key, f1s))
    results.sort(key=lambda r: (-r[0], r[1]))
    print("threshold rule_threshold  F1_en  F1_nl  mean")
    for mean, (t, r), f1s in results[:10]:
        print(f"{t:9.2f} {r:14.2f}  {f1s['en']:.3f}  {f1s['nl']:.3f}  {mean:.3f}")
    shipped = next(r for r in results if r[1] == (0.6, 0.35))
    print(f"shipped (0.60, 0.35): mean F1 {shipped[0]:.3f}")


if __name__ == "__main__":
    main()
