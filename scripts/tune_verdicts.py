"""Choose the verdict thresholds (VerdictConfig) on the development scenarios.

    python scripts/tune_verdicts.py [--scenarios FILE ...] [--stance MODEL.npz]

Runs ``authentitext.audit`` once per development scenario file (every scenario claim audited as a
claim, as the bench does), keeps its evidence table (stance probabilities and similarities), then
replays :func:`authentitext.verdicts.claim_verdicts` and the credibility gap for a grid of
VerdictConfig values. Prints verdict accuracy (over all claims) and Spearman rho (gap vs intended
rank, averaged over the files) for the best settings and for the current defaults.

Development files (default): ``scenarios.jsonl``, and since 2026-11-23 also ``scenarios_test.jsonl``
to ``scenarios_test4.jsonl``, each demoted after its single held-out evaluation (logged in its data
card). ``scenarios_test5.jsonl`` is held out: this script refuses to read it.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


HELD_OUT = {"scenarios_test5.jsonl"}
DEVELOPMENT = [ROOT / "data/scenarios" / f
               for f in ("scenarios.jsonl", "scenarios_test.jsonl", "scenarios_test2.jsonl", "scenarios_test3.jsonl",
                         "scenarios_test4.jsonl")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=Path, nargs="+", default=DEVELOPMENT)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--stance", default=None, help="stance model (.npz) to tune with (default: the shipped one)")
    ap.add_argument("--grid", default=None,
                    help='JSON object replacing the default grid, e.g. \'{"relevance_threshold": [0.4, 0.5]}\'')
    args = ap.parse_args(argv)
    if any(p.name in HELD_OUT for p in args.scenarios):
        ap.error("refusing to tune on a held-out file")
    import pandas as pd
    from scipy.stats import spearmanr

    from authentitext import audit
    from authentitext.verdicts import VerdictConfig, claim_verdicts, organisation_scores

    default = VerdictConfig()
    # the grid of the fourth round (stance 2.3.0), which chose the shipped VerdictConfig defaults
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
    no_values = pd.DataFrame(columns=["org", "claim_type", "promise_intensity", "practice_score"])
    runs = []
    for path in args.scenarios:
        scen = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        claims = pd.DataFrame([{"text": c["text"], "org": s["org"], "lang": s["lang"]}
                               for s in scen for c in s["claims"]])
        practice = pd.DataFrame([{"text": p["text"], "org": s["org"]} for s in scen for p in s["practice"]])
        report = audit(claims, practice, extract=False, stance=args.stance)
        rc = report.claims
        runs.append({
            "name": path.name, "rc": rc, "evidence": report.evidence,
            "gold": [c["intended_verdict"] for s in scen for c in s["claims"]],
            "ranks": {s["org"]: s["intended_gap_rank"] for s in scen},
            "first": rc.sort_values(["text_id", "sentence_id"]).groupby("text_id")["claim_id"].first(),
            "orgs_with_practice": set(practice["org"]), "counts": practice["org"].value_counts().to_dict(),
        })

    def score_one(run: dict, cfg: VerdictConfig) -> tuple[int, float]:
        rc, gold, first = run["rc"], run["gold"], run["first"]
        v = claim_verdicts(rc, run["evidence"], orgs_with_practice=run["orgs_with_practice"],
                           config=cfg).set_index("claim_id")
        pred = [v.loc[first[i], "verdict"] for i in range(len(gold))]
        hits = int(sum(p == g for p, g in zip(pred, gold, strict=True)))
        table = rc.drop(columns=[c for c in ("verdict", "confidence") if c in rc.columns]).merge(
            v[["verdict", "confidence"]], left_on="claim_id", right_index=True)
        orgs = organisation_scores(table, no_values, np.zeros((len(table), 1)), run["counts"],
                                   config=cfg).set_index("org")
        names = list(run["ranks"])
        rho = float(spearmanr([orgs.loc[o, "credibility_gap"] for o in names], [run["ranks"][o] for o in names])[0])
        return hits, rho

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
