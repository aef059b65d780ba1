"""Diagnosis: where the shipped pipeline's "sustainability" type comes from on environmental-claims
sentences (train split, a fixed sample of 800; dev is not read). Counts (gold label, source) for every
text with a sentence that is a claim typed sustainability: "rule" = a sustainability rule matched,
"modelX" = the type head's sustainability probability rounded to one decimal.

    .venv/bin/python research/e5_probe/env_type_source.py
"""
import collections
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "env_finetune"))
from paths import ENV  # noqa: E402

from authentitext.pipeline.build import build_nlp  # noqa: E402

rows = [json.loads(line) for line in open(ENV / "train.jsonl")]
random.seed(1)
rows = random.sample(rows, 800)
counts = collections.Counter()
for r, doc in zip(rows, build_nlp("en").pipe([r["text"] for r in rows]), strict=True):
    source = None
    for s in doc.sents:
        if not s._.is_claim or "sustainability" not in (s._.claim_types or []):
            continue
        rule = any(c.label_ == "sustainability" and c.id_ != "model" and c.start >= s.start and c.end <= s.end
                   for c in doc.spans["claims"])
        source = ("rule" if rule else "") + "model%.1f" % (s._.type_scores or {}).get("sustainability", 0.0)
    if source:
        counts[(r["label"], source.startswith("rule"), float(source.split("model")[1]) >= 0.6)] += 1
print("(gold, rule matched, head p>=0.6): texts")
for k, v in sorted(counts.items()):
    print(k, v)
