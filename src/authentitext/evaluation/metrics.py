"""Classification and ranking metrics, with a seeded bootstrap for 95% intervals.

Plain numpy, no sklearn: every function takes label arrays (any hashable
values) and returns floats. Conventions follow ``sklearn.metrics`` where they
overlap: a precision or recall whose denominator is 0 counts as 0
(``zero_division=0``); macro averages are unweighted means over the given
``labels``. ROC-AUC is the Mann-Whitney statistic with average ranks for ties
(``nan`` when only one class is present). Spearman's rho is the Pearson
correlation of average ranks (``nan`` when one side is constant).

:func:`bootstrap` resamples rows (or whole groups, e.g. all evidence of one
claim) with replacement from a ``numpy.random.default_rng(seed)`` stream, so
the same seed always gives the same interval.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "confusion_matrix",
    "per_class",
    "accuracy",
    "roc_auc",
    "macro_roc_auc",
    "rankdata",
    "spearman",
    "classification_metrics",
    "coded_metrics",
    "encode_labels",
    "bootstrap",
    "Interval",
]

Interval = tuple[float, float]


def encode_labels(y: Sequence[Any], labels: Sequence[Any]) -> np.ndarray:
    index = {lab: i for i, lab in enumerate(labels)}
    try:
        return np.fromiter((index[v] for v in y), dtype=np.int64, count=len(y))
    except KeyError as err:
        raise ValueError(f"label {err.args[0]!r} is not one of the evaluated labels {list(labels)}") from err


def confusion_matrix(y_true: Sequence[Any], y_pred: Sequence[Any], labels: Sequence[Any]) -> np.ndarray:
    """``C[i, j]`` = number of rows with true ``labels[i]`` predicted as ``labels[j]``."""
    k = len(labels)
    t, p = encode_labels(y_true, labels), encode_labels(y_pred, labels)
    return np.bincount(t * k + p, minlength=k * k).reshape(k, k)


def _from_confusion(cm: np.ndarray) -> dict[str, np.ndarray]:
    tp = np.diag(cm).astype(float)
    pred = cm.sum(axis=0).astype(float)
    true = cm.sum(axis=1).astype(float)
    precision = np.divide(tp, pred, out=np.zeros_like(tp), where=pred > 0)
    recall = np.divide(tp, true, out=np.zeros_like(tp), where=true > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    return {"precision": precision, "recall": recall, "f1": f1, "support": true}


def per_class(y_true: Sequence[Any], y_pred: Sequence[Any], labels: Sequence[Any]) -> dict[Any, dict[str, float]]:
    """Precision, recall, F1 and support of each label."""
    stats = _from_confusion(confusion_matrix(y_true, y_pred, labels))
    return {lab: {k: float(v[i]) for k, v in stats.items()} for i, lab in enumerate(labels)}


def accuracy(y_true: Sequence[Any], y_pred: Sequence[Any]) -> float:
    """Share of rows where the prediction equals the truth."""
    if len(y_true) == 0:
        return float("nan")
    return float(np.mean([a == b for a, b in zip(y_true, y_pred, strict=True)]))


def rankdata(x: Sequence[float] | np.ndarray) -> np.ndarray:
    """1-based ranks, ties get the average of the ranks they span."""
    a = np.asarray(x, dtype=float)
    order = np.argsort(a, kind="mergesort")
    sorted_a = a[order]
    boundaries = np.flatnonzero(np.diff(sorted_a)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(a)]))
    avg = (starts + ends + 1) / 2.0  # mean of the 1-based ranks start+1 .. end
    ranks = np.empty(len(a), dtype=float)
    ranks[order] = np.repeat(avg, ends - starts)
    return ranks


def roc_auc(y_true_binary: Sequence[bool] | np.ndarray, scores: Sequence[float] | np.ndarray) -> float:
    """Area under the ROC curve: P(score of a positive > score of a negative), ties count 1/2."""
    y = np.asarray(y_true_binary, dtype=bool)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(scores)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def macro_roc_auc(y_true: Sequence[Any], scores: np.ndarray, labels: Sequence[Any]) -> float:
    """One-vs-rest ROC-AUC averaged over labels; ``scores[:, i]`` scores ``labels[i]``.

    Labels absent from ``y_true`` (AUC undefined) are left out of the mean.
    """
    codes = encode_labels(y_true, labels)
    values = [roc_auc(codes == i, scores[:, i]) for i in range(len(labels))]
    values = [v for v in values if not np.isnan(v)]
    return float(np.mean(values)) if values else float("nan")


def spearman(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Spearman's rank correlation (Pearson correlation of average ranks)."""
    rx, ry = rankdata(x), rankdata(y)
    if len(rx) < 2:
        return float("nan")
    dx, dy = rx - rx.mean(), ry - ry.mean()
    denom = float(np.sqrt((dx**2).sum() * (dy**2).sum()))
    return float((dx * dy).sum() / denom) if denom > 0 else float("nan")


def classification_metrics(
    y_true: Sequence[Any],
    y_pred: Sequence[Any],
    labels: Sequence[Any],
    *,
    scores: np.ndarray | None = None,
    positive: Any = None,
) -> dict[str, float]:
    """All classification metrics as one flat dict.

    Args:
        y_true: Gold labels.
        y_pred: Predicted labels (each must be one of ``labels``).
        labels: The evaluated labels, in a fixed order.
        scores: Optional ``(n, len(labels))`` array of class scores or
            probabilities (column ``i`` for ``labels[i]``) for ROC-AUC.
        positive: For a binary task, the positive label: adds ``precision``,
            ``recall``, ``f1`` of that label and a binary ``roc_auc``.

    Returns:
        ``accuracy``, ``macro_precision``, ``macro_recall``, ``macro_f1``,
        ``<metric>[<label>]`` for every label, ``roc_auc`` when scores are
        given, and the positive-class metrics for binary tasks.
    """
    t, p = encode_labels(y_true, labels), encode_labels(y_pred, labels)
    pos = list(labels).index(positive) if positive is not None else None
    return coded_metrics(t, p, labels, scores=scores, positive_index=pos)


def coded_metrics(
    t: np.ndarray,
    p: np.ndarray,
    labels: Sequence[Any],
    *,
    scores: np.ndarray | None = None,
    positive_index: int | None = None,
) -> dict[str, float]:
    """:func:`classification_metrics` on integer codes (``labels[code]``); fast path for bootstraps."""
    k = len(labels)
    cm = np.bincount(t * k + p, minlength=k * k).reshape(k, k)
    stats = _from_confusion(cm)
    n = cm.sum()
    out: dict[str, float] = {
        "accuracy": float(np.trace(cm) / n) if n else float("nan"),
        "macro_precision": float(stats["precision"].mean()),
        "macro_recall": float(stats["recall"].mean()),
        "macro_f1": float(stats["f1"].mean()),
    }
    pos = positive_index
    if pos is not None:
        out["precision"] = float(stats["precision"][pos])
        out["recall"] = float(stats["recall"][pos])
        out["f1"] = float(stats["f1"][pos])
    if scores is not None:
        scores = np.asarray(scores, dtype=float)
        if pos is not None:
            out["roc_auc"] = roc_auc(t == pos, scores[:, pos])
        else:
            aucs = [roc_auc(t == i, scores[:, i]) for i in range(k)]
            aucs = [a for a in aucs if not np.isnan(a)]
            out["roc_auc"] = float(np.mean(aucs)) if aucs else float("nan")
    for metric in ("precision", "recall", "f1"):
        for i, lab in enumerate(labels):
            out[f"{metric}[{lab}]"] = float(stats[metric][i])
    return out


def bootstrap(
    statistic: Callable[[np.ndarray], dict[str, float]],
    n: int,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    groups: Sequence[Any] | None = None,
    level: float = 0.95,
) -> dict[str, Interval]:
    """Percentile bootstrap intervals of every value ``statistic`` returns.

    Args:
        statistic: Called with an index array (rows of one resample); returns
            a dict of named floats (e.g. a bound :func:`classification_metrics`).
        n: Number of rows.
        n_resamples: Number of resamples (0 gives ``nan`` intervals).
        seed: Seed of the ``numpy.random.default_rng`` stream.
        groups: Optional group id per row: whole groups are resampled (a
            cluster bootstrap), e.g. all evidence rows of one claim together.
        level: Coverage of the interval.

    Returns:
        ``{name: (low, high)}``; resamples where a value is ``nan`` (e.g. AUC
        with one class) are ignored for that value.
    """
    rng = np.random.default_rng(seed)
    if groups is not None:
        _, inverse = np.unique(np.asarray([str(g) for g in groups]), return_inverse=True)
        members = [np.flatnonzero(inverse == g) for g in range(inverse.max() + 1)] if n else []
    values: dict[str, list[float]] = {}
    for _ in range(n_resamples):
        if groups is not None:
            picked = rng.integers(0, len(members), size=len(members))
            idx = np.concatenate([members[g] for g in picked])
        else:
            idx = rng.integers(0, n, size=n)
        for key, value in statistic(idx).items():
            values.setdefault(key, []).append(value)
    alpha = (1.0 - level) / 2.0
    out: dict[str, Interval] = {}
    for key, vals in values.items():
        arr = np.asarray(vals, dtype=float)
        arr = arr[~np.isnan(arr)]
        if arr.size == 0:
            out[key] = (float("nan"), float("nan"))
        else:
            out[key] = (float(np.quantile(arr, alpha)), float(np.quantile(arr, 1.0 - alpha)))
    return out
