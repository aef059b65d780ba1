from paths import ENV, WORK  # noqa: E402  (sibling file; the script's folder is on sys.path)
import json, sys, time, numpy as np, torch

from sklearn.model_selection import StratifiedKFold
from transformers import AutoModelForSequenceClassification, AutoTokenizer
from transformers.utils import logging as hl; hl.set_verbosity_error()
tx=[json.loads(l)["text"] for l in open(ENV/"train.jsonl")]; ty=np.load(WORK / "ty.npy")
dx=[json.loads(l)["text"] for l in open(ENV/"dev.jsonl")]
from authentitext.embed import _resolve_st_model
P=str(_resolve_st_model("minilm"))
torch.set_num_threads(2)
tok=AutoTokenizer.from_pretrained(P)
def predict(model, xs):
    model.eval(); out=[]
    with torch.no_grad():
        for i in range(0,len(xs),64):
            b=tok(xs[i:i+64],padding=True,truncation=True,max_length=96,return_tensors="pt"); out.extend(torch.softmax(model(**b).logits,-1)[:,1].tolist())
    model.train(); return np.array(out)
def train(xa, ya, evals, epochs=5, lr=4e-5, seed=0):
    torch.manual_seed(seed); model=AutoModelForSequenceClassification.from_pretrained(P,num_labels=2)
    opt=torch.optim.AdamW(model.parameters(),lr=lr,weight_decay=0.01)
    y=torch.tensor(ya); w=torch.tensor([1.0,float((y==0).sum())/float((y==1).sum())])
    steps=epochs*((len(xa)+15)//16)
    sch=torch.optim.lr_scheduler.LambdaLR(opt,lambda s:min(1.0,(s+1)/(0.1*steps))*max(0.0,1-s/steps))
    rng=np.random.default_rng(seed); res={}
    model.train()
    for ep in range(epochs):
        order=rng.permutation(len(xa))
        for i in range(0,len(order),16):
            idx=order[i:i+16]; b=tok([xa[j] for j in idx],padding=True,truncation=True,max_length=96,return_tensors="pt")
            loss=torch.nn.functional.cross_entropy(model(**b).logits,y[idx],weight=w); loss.backward(); opt.step(); sch.step(); opt.zero_grad()
        if ep>=2: res[ep+1]=[predict(model,e) for e in evals]
    return res
mode=sys.argv[1]
if mode=="cv":
    oof={}
    for k,(a,b) in enumerate(StratifiedKFold(5,shuffle=True,random_state=0).split(tx,ty)):
        t=time.time(); r=train([tx[i] for i in a], ty[a], [[tx[i] for i in b]])
        for ep,(p,) in r.items(): oof.setdefault(ep,np.zeros(len(ty)))[b]=p
        print("fold",k,time.time()-t,flush=True)
    np.savez(WORK / "ft_oof.npz", **{f"ep{e}":v for e,v in oof.items()})
else:
    r=train(tx,ty,[dx]); np.savez(WORK / "ft_dev.npz", **{f"ep{e}":v[0] for e,v in r.items()})
