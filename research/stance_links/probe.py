"""Probe: does the pair stance model learn the audits' evidence when the evidence links join its training pairs?

    .venv/bin/python research/stance_links/probe.py --cache /tmp/runs36.pkl --first 36 [--folds 3] [--unrelated 1.0]

``research/verdict_head/oracle_probe.py`` puts most of the verdict loss in the evidence rows (which side a row takes,
how related it is), and the evidence models on top of the pair model (``verdicts.RelevanceModel``,
``DirectionModel``) see only bi-encoder vectors and the pair model's values. This probe asks whether the pair model
itself gets better on scenario practice text when it is trained on it.

Protocol (development files only; nothing held out is read): the thirty-six development files' audits (claims 7.6.0,
stance 2.4.0; ``--cache``) are split into ``--folds`` groups of files (file index modulo the number of folds). For each
group a stance model is trained with the 2.4.0 recipe (``scripts/train_stance.py --interaction-weight 0.3``) on the
2.4.0 training pairs plus pairs from the other groups' audits: every linked evidence row (``data/scenarios/links``)
as ``supports`` / ``contradicts``, and retrieved rows without a link as ``unrelated`` (a seeded sample of
``--unrelated`` times the linked count). The group's own audits are then re-scored by that model (the evidence rows
stay; their three probabilities change), so every file's stance values come from a model that never saw it. Then the
shipped evidence-model protocol (``train_verdict_head.with_direction``: relevance and direction models from the
links, out of file) and the head's leave-one-file-out score at 1.12.0's setting (midpoint 0.1, scale 0.1,
exclusivity 0.3, C 1.0), against the same protocol on the 2.4.0 values. Also reported: the pair model's direction
accuracy on linked rows and AUC of ``1 - p_unrelated`` for linked rows, out of file.

Stance models and pair files go to /tmp/stance_links (not committed). About 9 minutes per group on two cores.

Result (2026-11-24, twelfth session, ``--cache`` of the 36 development files' audits with claims 7.6.0, ``--first 36``,
three groups, ``--unrelated 1.0``: about 5,260 link pairs added to the 15,727 stance pairs per group; 40 minutes):

    stance 2.4.0 on the audits: direction accuracy on linked rows 0.720, AUC related 0.749
    stance 2.4.0: evidence-model direction accuracy 0.835, verdict accuracy 0.751, rho 0.839
    stance + links (out of group): direction accuracy on linked rows 0.817, AUC related 0.866
    stance + links: evidence-model direction accuracy 0.841, verdict accuracy 0.757, rho 0.847

The pair model itself learns the scenario evidence (direction +0.097, relatedness AUC +0.117), but the relevance and
direction models on top had already taken most of that from the same links: after them, +0.006 direction accuracy
and +0.006 verdict accuracy (+0.008 rho). Each group's stance model saw two thirds of the files; one trained on all
of them, for fresh files, would see a half more. A candidate for stance 2.5.0, with a rule set before a fresh pair;
not shipped in this session.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import train_verdict_head as tvh  # noqa: E402
from _links import link_pairs, rescore, row_labels  # noqa: E402
from _scenarios import DEVELOPMENT, cached_audit_runs  # noqa: E402
from train_stance_links import STANCE_240, train_cmd  # noqa: E402

from authentitext.verdicts import VerdictConfig  # noqa: E402

WORK = Path("/tmp/stance_links")
FCFG, C = VerdictConfig(similarity_midpoint=0.1, similarity_scale=0.1, exclusivity_scale=0.3), 1.0


def pair_quality(runs: list[dict], labels: list[np.ndarray]) -> tuple[float, float]:
    from sklearn.metrics import roc_auc_score

    right = total = 0
    aucs = []
    for run, lab in zip(runs, labels, strict=True):
        ev = run["evidence"]
        ps, pc = ev["p_supports"].to_numpy(float), ev["p_contradicts"].to_numpy(float)
        m = lab >= 0
        right += int(((ps[m] > pc[m]) == (lab[m] == 1)).sum())
        total += int(m.sum())
        if 0 < m.sum() < len(m):
            aucs.append(roc_auc_score(m.astype(int), 1.0 - ev["p_unrelated"].to_numpy(float)))
    return right / total, float(np.mean(aucs))


def verdicts(runs: list[dict], enc) -> tuple[float, float, float]:
    rewritten, _, dir_acc = tvh.with_direction(runs, enc, links=True)
    acc, rho, _ = tvh.lofo_score(rewritten, FCFG, C)
    return dir_acc, acc, rho


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--first", type=int, default=len(DEVELOPMENT), help="the first N development files")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--unrelated", type=float, default=1.0)
    args = ap.parse_args(argv)
    from authentitext.embed import get_encoder
    from authentitext.stance import FeatureStanceModel

    enc = get_encoder("usem3")
    runs = cached_audit_runs(DEVELOPMENT[:args.first], args.cache)
    labels = [row_labels(run) for run in runs]
    d, auc = pair_quality(runs, labels)
    print(f"stance 2.4.0 on the audits: direction accuracy on linked rows {d:.3f}, AUC related {auc:.3f}", flush=True)
    base = verdicts(runs, enc)
    print(f"stance 2.4.0: evidence-model direction accuracy {base[0]:.3f}, verdict accuracy {base[1]:.3f}, "
          f"rho {base[2]:.3f}", flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    new_runs: list[dict | None] = [None] * len(runs)
    for f in range(args.folds):
        rng = np.random.default_rng(f)
        inside = [k for k in range(len(runs)) if k % args.folds == f]
        pairs = [row for k in range(len(runs)) if k % args.folds != f
                 for row in link_pairs(runs[k], labels[k], args.unrelated, rng)]
        path = WORK / f"links_group{f}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pairs), encoding="utf-8")
        out = WORK / f"stance_group{f}"
        if not out.with_suffix(".npz").is_file():
            subprocess.run(train_cmd(out, path, "probe", False, min(4, os.cpu_count() or 1), files=STANCE_240),
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        model = FeatureStanceModel.load(out, encoder=enc)
        for k in inside:
            new_runs[k] = rescore(runs[k], model)
        print(f"group {f}: {len(pairs)} link pairs added, {len(inside)} files re-scored", flush=True)
    d, auc = pair_quality(new_runs, labels)
    print(f"stance + links (out of group): direction accuracy on linked rows {d:.3f}, AUC related {auc:.3f}", flush=True)
    new = verdicts(new_runs, enc)
    print(f"stance + links: evidence-model direction accuracy {new[0]:.3f}, verdict accuracy {new[1]:.3f}, "
          f"rho {new[2]:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
