from paths import ENV, WORK  # noqa: E402  (sibling file; the script's folder is on sys.path)
import json, numpy as np

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.feature_extraction.text import TfidfVectorizer
from scipy.sparse import hstack, csr_matrix
tx=[json.loads(l)["text"] for l in open(ENV/"train.jsonl")]; dx=[json.loads(l)["text"] for l in open(ENV/"dev.jsonl")]
ty=np.load(WORK / "ty.npy")
E=np.hstack([np.load(WORK / f"{n}_tr.npy") for n in ("usem3","minilm")]); D=np.hstack([np.load(WORK / f"{n}_dv.npy") for n in ("usem3","minilm")])
def fit_pred(ia, Xa_t, Xb_t, Ea, Eb, ya):
    v=TfidfVectorizer(analyzer="char_wb",ngram_range=(2,5),sublinear_tf=True,min_df=2)
    A=hstack([csr_matrix(Ea),v.fit_transform(Xa_t)]).tocsr(); B=hstack([csr_matrix(Eb),v.transform(Xb_t)]).tocsr()
    return LogisticRegression(C=2,max_iter=3000,class_weight="balanced").fit(A,ya).predict_proba(B)[:,1]
oof=np.zeros(len(ty))
for a,b in StratifiedKFold(5,shuffle=True,random_state=0).split(tx,ty):
    oof[b]=fit_pred(a,[tx[i] for i in a],[tx[i] for i in b],E[a],E[b],ty[a])
dev=fit_pred(None,tx,dx,E,D,ty)
np.savez(WORK / "lr.npz",oof=oof,dev=dev); print("done")
