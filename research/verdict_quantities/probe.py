"""Research (not shipped): do broken quantified promises fix verdicts? Leave-one-file-out on the dev scenarios.

    .venv/bin/python research/verdict_quantities/probe.py --first 24 [--cache /tmp/dev_runs.pkl]

The stance model reads "Took them five days to pick up a full skip", against "collected within 24
hours", as support. ``research/stance_two_stage/quantities.py`` flags pairs whose evidence breaks a
claim's bounded figure. This probe moves such pairs to the contradicting side in the audit's
evidence table (the two probabilities swap when support leads) and re-scores the shipped verdict
head's protocol (features at midpoint 0.2, scale 0.1, exclusivity 0.1; C 1.0; leave-one-file-out over
the development scenario files). Variant "kept" also moves pairs that keep a figure to the
supporting side.

Result (2026-11-23, ninth session; claims 7.2.0, stance 2.4.0, 24 development files, 2,113 claims;
458 claims carry a bounded quantity):

    none:   leave-one-file-out accuracy 0.687, rho 0.743
    broken: 0.686, rho 0.730 (98 evidence rows swapped)
    kept:   0.680, rho 0.735 (266 evidence rows swapped)

The flags do not move the verdicts; not shipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "research/stance_two_stage"))

from _scenarios import DEVELOPMENT, cached_audit_runs  # noqa: E402
from quantities import quantity_agreement  # noqa: E402
from train_verdict_head import lofo_score  # noqa: E402

from authentitext.verdicts import VerdictConfig  # noqa: E402


def adjusted(run: dict, mode: str) -> dict:
    """A copy of ``run`` whose evidence probabilities follow the quantity flags (``mode``: none/broken/kept)."""
    ev = run["evidence"].copy()
    if mode != "none":
        sent = run["rc"].set_index("claim_id")["sentence"]
        q = quantity_agreement([sent[c] for c in ev["claim_id"]], list(ev["evidence"]))
        ps, pc = ev["p_supports"].to_numpy(float).copy(), ev["p_contradicts"].to_numpy(float).copy()
        swap = (q[:, 1] > 0) & (ps > pc)
        if mode == "kept":
            swap |= (q[:, 0] > 0) & (pc > ps)
        ps[swap], pc[swap] = ev["p_contradicts"].to_numpy(float)[swap], ev["p_supports"].to_numpy(float)[swap]
        ev["p_supports"], ev["p_contradicts"] = ps, pc
    return {**run, "evidence": ev}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=None, help="pickle of the audits (written if missing)")
    ap.add_argument("--first", type=int, default=None, help="only the first N development files")
    args = ap.parse_args()
    runs = cached_audit_runs(DEVELOPMENT[:args.first], args.cache)
    n = sum(len(r["gold"]) for r in runs)
    fcfg = VerdictConfig(similarity_midpoint=0.2, similarity_scale=0.1, exclusivity_scale=0.1)
    print(f"{len(runs)} files, {n} claims")
    for mode in ("none", "broken", "kept"):
        adj = [adjusted(r, mode) for r in runs]
        acc, rho, _ = lofo_score(adj, fcfg, 1.0)
        swapped = sum(int((a["evidence"]["p_supports"] != r["evidence"]["p_supports"]).sum())
                      for a, r in zip(adj, runs))
        print(f"{mode}: leave-one-file-out accuracy {acc:.3f}, rho {rho:.3f} ({swapped} evidence rows swapped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
