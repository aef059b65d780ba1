"""Research (not shipped): does deeper retrieval help the verdicts? Leave-one-file-out on the dev scenarios.

    .venv/bin/python research/verdict_quantities/depth.py --first 24

Audits every development scenario file with ``top_k`` (similarity neighbours per claim) and
``value_k`` (value-aware neighbours per claim type) at several depths and scores the verdict head's
protocol at the shipped feature setting (midpoint 0.2, scale 0.1, exclusivity 0.1; C 1.0): accuracy
pooled over the claims, Spearman rho averaged over the files. The audit defaults are 5 and 3.

Result (2026-11-23, ninth session; claims 7.2.0, stance 2.4.0, 24 development files, 2,113 claims):

    top_k 5,  value_k 3: 13,345 evidence rows, accuracy 0.687, rho 0.743 (the defaults)
    top_k 3,  value_k 3: 10,299 rows, 0.677, rho 0.698
    top_k 8,  value_k 3: 18,230 rows, 0.684, rho 0.745
    top_k 12, value_k 3: 23,489 rows, 0.686, rho 0.743
    top_k 5,  value_k 0: 10,565 rows, 0.689, rho 0.742
    top_k 8,  value_k 5: 19,296 rows, 0.686, rho 0.746

Deeper retrieval does not help; the defaults stay.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from _scenarios import DEVELOPMENT, audit_runs  # noqa: E402
from train_verdict_head import lofo_score  # noqa: E402

from authentitext.verdicts import VerdictConfig  # noqa: E402

DEPTHS = ((5, 3), (3, 3), (8, 3), (12, 3), (5, 0), (8, 5))


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--first", type=int, default=None, help="only the first N development files")
    args = ap.parse_args()
    fcfg = VerdictConfig(similarity_midpoint=0.2, similarity_scale=0.1, exclusivity_scale=0.1)
    for top_k, value_k in DEPTHS:
        runs = audit_runs(DEVELOPMENT[:args.first], top_k=top_k, value_k=value_k)
        acc, rho, _ = lofo_score(runs, fcfg, 1.0)
        rows = sum(len(r["evidence"]) for r in runs)
        print(f"top_k {top_k}, value_k {value_k}: {rows} evidence rows, leave-one-file-out accuracy {acc:.3f}, "
              f"rho {rho:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
