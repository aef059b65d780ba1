"""Choose the thresholds of the rule method (``VerdictConfig(method="rules")``) on the development scenarios.

    python scripts/tune_verdicts.py [--scenarios FILE ...] [--stance MODEL.npz]

Runs ``authentitext.audit`` once per development scenario file (every scenario claim audited as a
claim, as the bench does), keeps its evidence table (stance probabilities and similarities), then
replays :func:`authentitext.verdicts.claim_verdicts` and the credibility gap for a grid of
VerdictConfig values. Prints verdict accuracy (over all claims) and Spearman rho (gap vs intended
rank, averaged over the files) for the best settings and for the current defaults.

Development and held-out files: see ``scripts/_scenarios.py`` (its ``audit_runs`` refuses the held-out
files). The
shipped verdict method is the learned head (``scripts/train_verdict_head.py``); the rule thresholds
were last chosen (round 4) on the first five development files with stance 2.3.0.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
from pathlib import Path

import numpy as np

from _scenarios import DEVELOPMENT, audit_runs, replay


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=Path, nargs="+", default=DEVELOPMENT)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--stance", default=None, help="stance model (.npz) to tune with (default: the shipped one)")
    ap.add_argument("--grid", default=None,
                    help='JSON object replacing the default grid, e.g. \'{"relevance_threshold": [0.4, 0.5]}\'')
    args = ap.parse_args(argv)
    from authentitext.verdicts import VerdictConfig

    default = VerdictConfig(method="rules")
    # the grid of the fourth round (stance 2.3.0), which chose the rule method's VerdictConfig defaults
    grid = {
        "relevance_threshold": [0.4, 0.5, 0.6, 0.7],
        "min_stance_probability": [0.3, 0.5],
        "mixed_ratio": [0.7, 0.85],
        "similarity_scale": [0.0, 0.05],
        "exclusivity_scale": [0.0, 0.1, 0.3, 0.5],
        "vague_threshold_typed": [0.7, 0.8],
    }
    if args.grid:
        grid = json.loads(args.grid)
        unknown = set(grid) - {f.name for f in dataclasses.fields(VerdictConfig)}
        if unknown:
            ap.error(f"--grid names unknown VerdictConfig fields: {sorted(unknown)}")
    runs = audit_runs(args.scenarios, stance=args.stance)

    def score_one(run: dict, cfg: VerdictConfig) -> tuple[int, float]:
        return replay(run, cfg)

    def score(cfg: VerdictConfig) -> tuple[float, float]:
        """Accuracy over all claims of all files; Spearman rho averaged over the files."""
        parts = [score_one(run, cfg) for run in runs]
        n = sum(len(run["gold"]) for run in runs)
        return sum(h for h, _ in parts) / n, float(np.mean([r for _, r in parts]))

    results = []
    for values in itertools.product(*grid.values()):
        cfg = dataclasses.replace(default, **dict(zip(grid, values, strict=True)))
        if cfg.similarity_scale == 0 and cfg.similarity_midpoint != 0:
            continue
        results.append((score(cfg), dict(zip(grid, values, strict=True))))
    results.sort(key=lambda r: (-(r[0][0] + r[0][1]) / 2, str(r[1])))
    default_acc, default_rho = score(default)
    print(f"defaults: accuracy {default_acc:.3f}, rho {default_rho:.3f}")
    for run in runs:
        hits, rho = score_one(run, default)
        print(f"  {run['name']}: accuracy {hits / len(run['gold']):.3f}, rho {rho:.3f}")
    for (acc, rho), params in results[: args.top]:
        print(f"accuracy {acc:.3f}  rho {rho:.3f}  {params}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
