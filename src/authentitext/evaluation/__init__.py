"""Research benchmarking: fit on labels, evaluate against baselines, reproducible records.

Library side of ``authentitext bench``. Stage modules:

* :mod:`~authentitext.evaluation.datasets`: readers (JSONL/CSV with column
  mapping, environmental claims, CLIMATE-FEVER, organisation scenarios) that
  raise :class:`DatasetError` naming file, line and schema;
* :mod:`~authentitext.evaluation.metrics`: P/R/F1, accuracy, ROC-AUC,
  Spearman, seeded bootstrap;
* :mod:`~authentitext.evaluation.baselines`: keyword list, TF-IDF + logistic
  regression, embedding + logistic regression (claims and stance variants);
* :mod:`~authentitext.evaluation.systems`: authentitext's own models as systems;
* :mod:`~authentitext.evaluation.tasks`: :func:`run_claims`, :func:`run_stance`,
  :func:`run_audit` → :class:`BenchResult` (Markdown table, JSON record).

Example:
    >>> from authentitext.evaluation import read_environmental_claims, run_claims
    >>> result = run_claims(read_environmental_claims("dev.jsonl"),
    ...                     read_environmental_claims("train.jsonl"))  # doctest: +SKIP
    >>> print(result.to_markdown())  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "DatasetError",
    "BenchResult",
    "read_labelled_texts",
    "read_environmental_claims",
    "read_stance_pairs",
    "read_climate_fever",
    "read_scenarios",
    "run_claims",
    "run_stance",
    "run_audit",
    "cli_main",
    "add_bench_parser",
]

_LAZY = {
    "DatasetError": "datasets",
    "read_labelled_texts": "datasets",
    "read_environmental_claims": "datasets",
    "read_stance_pairs": "datasets",
    "read_climate_fever": "datasets",
    "read_scenarios": "datasets",
    "BenchResult": "harness",
    "run_claims": "tasks",
    "run_stance": "tasks",
    "run_audit": "tasks",
    "cli_main": "cli",
    "add_bench_parser": "cli",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
