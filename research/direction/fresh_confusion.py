"""Confusion matrix of the shipped audit on named scenario files (after their held-out run: development data).

    .venv/bin/python research/direction/fresh_confusion.py scenarios_test38.jsonl scenarios_test39.jsonl

Every scenario claim is audited as a claim (``authentitext.audit(..., extract=False)`` with its defaults, as
``authentitext bench audit`` does); rows are the intended verdicts, columns the audit's, in the order substantiated /
contradicted / mixed / hollow / unverifiable, per file and summed.

Result (2026-11-24, fourteenth session; claims 7.8.0, evidence reader 1.1.0, head 1.14.0; accuracy 0.750 / 0.773 as in
the held-out runs), summed over ``scenarios_test38`` / ``39``:

    substantiated   40  1  5  0  0
    contradicted     6 35  1  2  0
    mixed           11  6  1  2  0
    hollow           2  4  0 26  0
    unverifiable     2  0  0  0 32
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from authentitext import audit  # noqa: E402
from authentitext.evaluation.metrics import confusion_matrix  # noqa: E402

LABELS = ("substantiated", "contradicted", "mixed", "hollow", "unverifiable")


def file_confusion(path: Path) -> np.ndarray:
    orgs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    claims = pd.DataFrame([{"org": o["org"], "text": c["text"]} for o in orgs for c in o["claims"]])
    practice = pd.DataFrame([{"org": o["org"], "text": p["text"]} for o in orgs for p in o["practice"]])
    gold = [c["intended_verdict"] for o in orgs for c in o["claims"]]
    rc = audit(claims, practice, extract=False).claims
    pred = rc.groupby("text_id")["verdict"].first().reindex(range(len(gold))).tolist()
    return confusion_matrix(gold, pred, LABELS)


def main(argv: list[str] | None = None) -> int:
    total = np.zeros((len(LABELS), len(LABELS)), dtype=int)
    for name in argv or sys.argv[1:]:
        cm = file_confusion(ROOT / "data/scenarios" / name)
        total += cm
        print(f"{name}: accuracy {np.trace(cm) / cm.sum():.3f}")
    for label, row in zip(LABELS, total, strict=True):
        print(f"    {label:14s}" + "".join(f"{int(v):3d}" for v in row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
