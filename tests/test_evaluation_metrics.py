"""Metric code against values computed by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from authentitext.evaluation.metrics import (
    accuracy,
    bootstrap,
    classification_metrics,
    confusion_matrix,
    per_class,
    rankdata,
    roc_auc,
    spearman,
)

# true: a a a b b c
# pred: a a b b c c
# a: TP 2, predicted-a 2, true-a 3  -> P 2/2 = 1,   R 2/3,  F1 = 2*1*(2/3)/(1+2/3) = 0.8
# b: TP 1, predicted-b 2, true-b 2  -> P 1/2,       R 1/2,  F1 = 0.5
# c: TP 1, predicted-c 2, true-c 1  -> P 1/2,       R 1,    F1 = 2*.5*1/1.5 = 2/3
# macro F1 = (0.8 + 0.5 + 2/3) / 3 = 0.655555...; accuracy = 4/6
Y_TRUE = ["a", "a", "a", "b", "b", "c"]
Y_PRED = ["a", "a", "b", "b", "c", "c"]
LABELS = ["a", "b", "c"]


def test_confusion_matrix_by_hand() -> None:
    """Rows are true labels, columns predictions."""
    assert confusion_matrix(Y_TRUE, Y_PRED, LABELS).tolist() == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]


def test_per_class_precision_recall_f1_by_hand() -> None:
    """Per-class P/R/F1 match the hand computation above."""
    stats = per_class(Y_TRUE, Y_PRED, LABELS)
    assert stats["a"]["precision"] == pytest.approx(1.0)
    assert stats["a"]["recall"] == pytest.approx(2 / 3)
    assert stats["a"]["f1"] == pytest.approx(0.8)
    assert stats["b"]["precision"] == pytest.approx(0.5)
    assert stats["b"]["recall"] == pytest.approx(0.5)
    assert stats["b"]["f1"] == pytest.approx(0.5)
    assert stats["c"]["precision"] == pytest.approx(0.5)
    assert stats["c"]["recall"] == pytest.approx(1.0)
    assert stats["c"]["f1"] == pytest.approx(2 / 3)
    assert stats["a"]["support"] == 3


def test_macro_and_accuracy_by_hand() -> None:
    """Macro averages are unweighted means over the labels; accuracy = 4/6."""
    m = classification_metrics(Y_TRUE, Y_PRED, LABELS)
    assert m["macro_f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert m["macro_precision"] == pytest.approx((1 + 0.5 + 0.5) / 3)
    assert m["macro_recall"] == pytest.approx((2 / 3 + 0.5 + 1) / 3)
    assert m["accuracy"] == pytest.approx(4 / 6)
    assert accuracy(Y_TRUE, Y_PRED) == pytest.approx(4 / 6)
    assert m["f1[b]"] == pytest.approx(0.5)


def test_binary_positive_class_and_zero_division() -> None:
    """Positive-class metrics; a class never predicted has precision 0, not nan."""
    # true: 1 1 0 0, pred: 1 0 0 0 -> pos P 1/1, R 1/2, F1 2/3; neg P 2/3, R 1, F1 0.8
    m = classification_metrics([1, 1, 0, 0], [1, 0, 0, 0], [1, 0], positive=1)
    assert (m["precision"], m["recall"], m["f1"]) == pytest.approx((1.0, 0.5, 2 / 3))
    assert m["f1[0]"] == pytest.approx(0.8)
    never = classification_metrics([1, 0], [0, 0], [1, 0], positive=1)
    assert never["precision"] == 0.0 and never["f1"] == 0.0


def test_unknown_predicted_label_is_an_error() -> None:
    """A prediction outside the label set is reported, not silently dropped."""
    with pytest.raises(ValueError, match="'z'"):
        classification_metrics(["a"], ["z"], ["a", "b"])


def test_rankdata_ties_average() -> None:
    """10, 20, 20, 30 -> ranks 1, 2.5, 2.5, 4."""
    assert rankdata([10, 20, 20, 30]).tolist() == [1.0, 2.5, 2.5, 4.0]
    assert rankdata([3, 1, 2]).tolist() == [3.0, 1.0, 2.0]


def test_roc_auc_by_hand() -> None:
    """AUC = share of (positive, negative) pairs ordered correctly, ties count 1/2."""
    # positives 0.9, 0.4; negatives 0.5, 0.1: pairs (0.9>0.5) (0.9>0.1) (0.4<0.5) (0.4>0.1) -> 3/4
    assert roc_auc([1, 1, 0, 0], [0.9, 0.4, 0.5, 0.1]) == pytest.approx(0.75)
    # positives 0.5, 0.4; negatives 0.5, 0.1: tie 1/2 + 1 + 0 + 1 -> 2.5/4
    assert roc_auc([1, 1, 0, 0], [0.5, 0.4, 0.5, 0.1]) == pytest.approx(0.625)
    assert math.isnan(roc_auc([1, 1], [0.2, 0.3]))


def test_multiclass_auc_is_macro_one_vs_rest() -> None:
    """Perfect scores give 1; reversed scores for one class lower the mean by hand."""
    y = ["a", "b", "c"]
    perfect = np.eye(3)
    assert classification_metrics(y, y, LABELS, scores=perfect)["roc_auc"] == pytest.approx(1.0)
    # class a scores reversed: a is the lowest -> AUC(a) = 0; b and c still 1 -> mean 2/3
    scores = np.eye(3)
    scores[:, 0] = [0.0, 1.0, 1.0]
    assert classification_metrics(y, y, LABELS, scores=scores)["roc_auc"] == pytest.approx(2 / 3)


def test_spearman_by_hand() -> None:
    """x = 1..5, y = 5 6 7 8 7 -> ranks y = 1 2 3.5 5 3.5.

    Centred ranks: dx = -2 -1 0 1 2, dy = -2 -1 .5 2 .5; sum dx*dy = 4+1+0+2+1 = 8;
    sum dx^2 = 10, sum dy^2 = 9.5 -> rho = 8 / sqrt(95) = 0.82078...
    """
    assert spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) == pytest.approx(8 / math.sqrt(95))
    assert spearman([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    assert math.isnan(spearman([1, 2, 3], [4, 4, 4]))


def _mean_stat(values: np.ndarray):
    return lambda idx: {"mean": float(values[idx].mean())}


def test_bootstrap_same_seed_same_interval_other_seed_differs() -> None:
    """The interval is a function of the seed."""
    values = np.arange(50, dtype=float) % 7
    a = bootstrap(_mean_stat(values), 50, n_resamples=300, seed=1)
    b = bootstrap(_mean_stat(values), 50, n_resamples=300, seed=1)
    c = bootstrap(_mean_stat(values), 50, n_resamples=300, seed=2)
    assert a == b
    assert a != c
    low, high = a["mean"]
    assert low < values.mean() < high


def test_bootstrap_groups_resample_whole_groups() -> None:
    """With groups, every resample holds complete groups (rows 0-2 always together)."""
    groups = ["g1", "g1", "g1", "g2", "g3"]
    seen: list[list[int]] = []

    def stat(idx: np.ndarray) -> dict[str, float]:
        seen.append(sorted(idx.tolist()))
        return {"n": float(len(idx))}

    bootstrap(stat, 5, n_resamples=50, seed=0, groups=groups)
    for idx in seen:
        assert idx.count(0) == idx.count(1) == idx.count(2)
    assert any(len(idx) != 5 for idx in seen)  # group sizes differ, so resample sizes vary
