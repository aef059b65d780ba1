"""Choose the verdict thresholds (VerdictConfig) on the development scenarios.

    python scripts/tune_verdicts.py [--scenarios data/scenarios/scenarios.jsonl]

Runs ``authentitext.audit`` once over the development scenarios (every scenario claim audited as
a claim, as the bench does), keeps its evidence table (stance probabilities and similarities),
then replays :func:`authentitext.verdicts.claim_verdicts` and the credibility gap for a grid of
VerdictConfig values. Prints verdict accuracy and Spearman rho (gap vs intended rank) for the
best settings and for the current defaults. ``data/scenarios/scenarios_test.jsonl`` is held out:
this script refuses to read it.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=Path, default=ROOT / "data/scenarios/scenarios.jsonl")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--stance", default=None, help="stance model (.npz) to tune with (default: the shipped one)")
    args = ap.parse_args(argv)
    if "test" in args.scenarios.name:
        ap.error("refusing to tune on a held-out file")
    import pandas as pd
    from scipy.stats import spearmanr

    from authentitext import audit
    from authentitext.verdicts import VerdictConfig, claim_verdicts, organisation_scores

    scen = [json.loads(line) for line in args.scenarios.read_text(encoding="utf-8").splitlines() if line.strip()]
    claims = pd.DataFrame([{"text": c["text"], "org": s["org"], "lang": s["lang"]} for s in scen for c in s["claims"]])
    practice = pd.DataFrame([{"text": p["text"], "org": s["org"]} for s in scen for p in s["practice"]])
    gold = [c["intended_verdict"] for s in scen for c in s["claims"]]
    ranks = {s["org"]: s["intended_gap_rank"] for s in scen}
    report = audit(claims, practice, extract=False, stance=args.stance)
    rc = report.claims
    first = rc.sort_values(["text_id", "sentence_id"]).groupby("text_id")["claim_id"].first()
    evidence = report.evidence
    orgs_with_practice = set(practice["org"])
    counts = practice["org"].value_counts().to_dict()
    no_values = pd.DataFrame(columns=["org", "claim_type", "promise_intensity", "practice_score"])

    def score(cfg: VerdictConfig) -> tuple[float, float]:
        v = claim_verdicts(rc, evidence, orgs_with_practice=orgs_with_practice, config=cfg).set_index("claim_id")
        pred = [v.loc[first[i], "verdict"] for i in range(len(gold))]
        acc = float(np.mean([p == g for p, g in zip(pred, gold, strict=True)]))
        table = rc.drop(columns=[c for c in ("verdict", "confidence") if c in rc.columns]).merge(
            v[["verdict", "confidence"]], left_on="claim_id", right_index=True)
        orgs = organisation_scores(table, no_values, np.zeros((len(table), 1)), counts, config=cfg).set_index("org")
        names = list(ranks)
        rho = float(spearmanr([orgs.loc[o, "credibility_gap"] for o in names], [ranks[o] for o in names])[0])
        return acc, rho

    default = VerdictConfig()
    grid = {
        "relevance_threshold": [0.4, 0.5, 0.6, 0.7, 0.8],
        "min_stance_probability": [0.0, 0.4, 0.5, 0.6],
        "mixed_ratio": [0.5, 0.7, 0.85],
        "similarity_midpoint": [0.0, 0.1, 0.2],
        "similarity_scale": [0.0, 0.05, 0.1],
        "aggregation": ["max", "sum"],
    }
    results = []
    for values in itertools.product(*grid.values()):
        cfg = dataclasses.replace(default, **dict(zip(grid, values, strict=True)))
        if cfg.similarity_scale == 0 and cfg.similarity_midpoint != 0:
            continue
        results.append((score(cfg), dict(zip(grid, values, strict=True))))
    results.sort(key=lambda r: (-(r[0][0] + r[0][1]) / 2, str(r[1])))
    print(f"defaults: accuracy {score(default)[0]:.3f}, rho {score(default)[1]:.3f}")
    for (acc, rho), params in results[: args.top]:
        print(f"accuracy {acc:.3f}  rho {rho:.3f}  {params}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
