"""Pipeline-level type settings on the two used pairs the shipped claims_v7 never trained on (test10, test11).

The head alone types test11's gold claims at 0.878 / 0.859 (EN / NL, threshold 0.6) but the pipeline
scores 0.843 / 0.840. This grid asks how much of that is the pipeline's type logic: the model-type
threshold (``type_threshold``, shipped 0.6) and the probability under which a rule's type is dropped
(``rule_type_min``, shipped 0.1). Type micro-F1 on gold claims, pooled over test10 + test11, per language.
First, at the shipped setting, the pipeline against the type head alone (threshold 0.6, else the best type),
on all gold claims and on those the pipeline detects.

    .venv/bin/python research/claim_types/pipeline_type_settings.py
"""
from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from dev_claims import type_f1  # noqa: E402


def decompose(data: dict) -> None:
    import numpy as np

    from authentitext.claim_model import load_default_model
    from authentitext.claims import extract_claims

    head = load_default_model().types
    classes = list(head.classes_)
    for lang, rows in data.items():
        groups = dict(tuple(extract_claims([r["text"] for r in rows], lang=lang).groupby("text_id")))
        proba = head.predict_proba([r["text"] for r in rows])
        gold, pipe, alone, found = [], [], [], []
        for i, r in enumerate(rows):
            if r["is_claim"]:
                gold.append(set(r["claim_types"]))
                pipe.append({t for ts in groups[i]["claim_types"] for t in ts})
                alone.append({c for c, v in zip(classes, proba[i], strict=True) if v >= 0.6}
                             or {classes[int(np.argmax(proba[i]))]})
                found.append(bool(groups[i]["is_claim"].any()))
        sub = (lambda xs: [x for x, f in zip(xs, found, strict=True) if f])
        print(f"{lang}: {sum(found)} of {len(gold)} gold claims detected; type micro-F1 pipeline / head alone: "
              f"all {type_f1(gold, pipe):.3f} / {type_f1(gold, alone):.3f}, detected "
              f"{type_f1(sub(gold), sub(pipe)):.3f} / {type_f1(sub(gold), sub(alone)):.3f}", flush=True)


def main() -> int:
    from authentitext.claims import extract_claims
    from authentitext.pipeline.build import build_nlp

    data = {lang: [json.loads(line) for k in (10, 11)
                   for line in (ROOT / f"data/claims/test{k}_{lang}.jsonl").open(encoding="utf-8")]
            for lang in ("en", "nl")}
    decompose(data)
    for thr, rmin in itertools.product((0.5, 0.6, 0.7), (0.1, 0.2, 0.3, 0.5)):
        out = {}
        for lang, rows in data.items():
            pipe = build_nlp(lang).get_pipe("authentitext_qualifiers")
            pipe.type_threshold, pipe.rule_type_min = thr, rmin
            frame = extract_claims([r["text"] for r in rows], lang=lang)
            groups = dict(tuple(frame.groupby("text_id")))
            gold, pred = [], []
            for i, r in enumerate(rows):
                if r["is_claim"]:
                    gold.append(set(r["claim_types"]))
                    pred.append({t for ts in groups[i]["claim_types"] for t in ts})
            out[lang] = round(type_f1(gold, pred), 3)
        print(f"type_threshold {thr} rule_type_min {rmin}: {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
