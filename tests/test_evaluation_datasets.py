"""Readers: column mapping for both external formats, and errors naming file, line and schema."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from authentitext.errors import InputError
from authentitext.evaluation.datasets import (
    DatasetError,
    read_climate_fever,
    read_environmental_claims,
    read_labelled_texts,
    read_scenarios,
    read_stance_pairs,
)

DATA = Path(__file__).parent / "data" / "evaluation"


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_environmental_claims_maps_1_0_to_claim_labels() -> None:
    """label 1 -> claim, 0 -> not_claim; provenance recorded."""
    data = read_environmental_claims(DATA / "claims_test.jsonl")
    raw = [json.loads(x) for x in (DATA / "claims_test.jsonl").read_text().splitlines()]
    assert data.texts == [r["text"] for r in raw]
    assert data.labels == ["claim" if r["label"] == 1 else "not_claim" for r in raw]
    assert data.label_set == ("claim", "not_claim")
    assert data.lines == list(range(1, len(raw) + 1))
    assert len(data.sha256) == 64


def test_generic_csv_reader_maps_columns_and_labels() -> None:
    """--text-col sentence --label-col gold --label-map yes=claim,no=not_claim."""
    data = read_labelled_texts(DATA / "texts_custom.csv", text_col="sentence", label_col="gold",
                               label_map="yes=claim,no=not_claim")
    assert data.texts[0] == "The cheapest supermarket in town."
    assert data.texts[2] == "We tell you what it really costs, no small print."
    assert data.labels == ["claim", "not_claim", "claim"]
    assert data.label_set == ("claim", "not_claim")
    assert data.lines == [2, 3, 4]  # header is line 1


def test_climate_fever_flattens_evidences_keeps_votes_entropy_groups() -> None:
    """Each evidence becomes a pair; labels normalised; null votes dropped; claim id is the group."""
    data = read_climate_fever(DATA / "climate_fever_tiny.jsonl")
    assert len(data) == 6  # 2 + 3 + 1 evidences
    assert data.labels == ["supports", "unrelated", "contradicts", "unrelated", "supports", "contradicts"]
    assert data.claims[2] == "Global temperatures have not risen since 1998."
    assert data.evidence[5] == "Domestic cats kill far more birds each year than wind turbines."
    assert data.groups == ["7", "7", "12", "12", "12", "30"]
    assert data.votes[4] == ["SUPPORTS", "NOT_ENOUGH_INFO", "SUPPORTS"]
    assert data.entropy[1] == pytest.approx(math.log(2))
    assert data.lines == [1, 1, 2, 2, 2, 4]  # the blank line 3 is skipped, numbering kept


def test_pair_table_maps_columns_and_label_spellings() -> None:
    """NLI and upper-case spellings map to supports / contradicts / unrelated."""
    data = read_stance_pairs(DATA / "pairs_custom.csv", claim_col="promise", evidence_col="review",
                             label_col="gold", group_col="topic")
    assert data.labels == ["supports", "contradicts", "unrelated", "contradicts"]
    assert data.claims[2] == "Our service is fast, always."
    assert data.groups == ["fees", "fees", "speed", "speed"]


def test_scenarios_reader() -> None:
    """Claims, verdicts, practice and the intended rank per organisation."""
    data = read_scenarios(DATA / "scenarios_tiny.jsonl")
    assert [s.org for s in data.scenarios] == ["GreenCo", "FairShop"]
    assert data.scenarios[0].verdicts == ["contradicted", "unverifiable"]
    assert data.scenarios[1].intended_gap_rank == 1.0
    assert data.scenarios[0].practice == ["Most of our power still comes from coal plants."]


@pytest.mark.parametrize(
    "lines, bad_line, problem",
    [
        (['{"text": "ok", "label": 1}', '{"text": "no label here"}'], 2, "'label' field is missing"),
        (['{"text": "ok", "label": 1}', '{"text": "a", "label": 0}', '{"text": "b", "label": 7}'], 3,
         "unknown label 7"),
        (['{"sentence": "wrong column", "label": 1}'], 1, "no 'text' field"),
        (['{"text": "ok", "label": 1}', "not json"], 2, "not valid JSON"),
        (['{"text": "", "label": 1}'], 1, "'text' field is empty"),
        (['{"text": "ok", "label": null}'], 1, "'label' field is missing"),
    ],
)
def test_environmental_claims_bad_input_names_file_line_schema(
    tmp_path: Path, lines: list[str], bad_line: int, problem: str
) -> None:
    """Missing labels, unknown labels, a wrong column: typed error with file, line and schema."""
    path = _write(tmp_path, "env.jsonl", lines)
    with pytest.raises(DatasetError) as info:
        read_environmental_claims(path)
    err = info.value
    assert isinstance(err, InputError) and isinstance(err, ValueError)
    msg = str(err)
    assert str(path) in msg
    assert f"line {bad_line}" in msg
    assert problem in msg
    assert 'Expected schema: one JSON object per line: {"text"' in msg
    assert err.line == bad_line and err.path == str(path)


def test_generic_reader_unknown_label_and_wrong_column(tmp_path: Path) -> None:
    """CSV line numbers count the header; the schema names the mapped columns."""
    path = _write(tmp_path, "t.csv", ["sentence,gold", "a,yes", "b,maybe"])
    with pytest.raises(DatasetError, match=r"t\.csv, line 3: unknown label 'maybe'.*'sentence'.*'gold'"):
        read_labelled_texts(path, text_col="sentence", label_col="gold", label_map="yes=claim,no=not_claim")
    with pytest.raises(DatasetError, match=r"line 2: no 'text' field .*Expected schema"):
        read_labelled_texts(path)
    empty_label = _write(tmp_path, "e.csv", ["text,label", "a,1", "b,"])
    with pytest.raises(DatasetError, match=r"e\.csv, line 3: the 'label' label is missing"):
        read_labelled_texts(empty_label)


def test_stance_pairs_unknown_label(tmp_path: Path) -> None:
    """An unknown stance label names the allowed ones."""
    path = _write(tmp_path, "p.jsonl", ['{"claim": "c", "evidence": "e", "label": "maybe"}'])
    with pytest.raises(DatasetError, match=r"p\.jsonl, line 1: unknown stance label 'maybe'.*supports"):
        read_stance_pairs(path)


def test_climate_fever_bad_evidence_label(tmp_path: Path) -> None:
    """The nested field is named, with the line of its claim."""
    good = (DATA / "climate_fever_tiny.jsonl").read_text().splitlines()[0]
    bad = json.loads(good)
    bad["evidences"][1]["evidence_label"] = "DISPUTED"
    missing = json.loads(good)
    del missing["evidences"][0]["evidence_label"]
    path = _write(tmp_path, "cf.jsonl", [good, json.dumps(bad), json.dumps(missing)])
    with pytest.raises(DatasetError, match=r"cf\.jsonl, line 2: evidences\[1\]\.evidence_label 'DISPUTED'"):
        read_climate_fever(path)
    path2 = _write(tmp_path, "cf2.jsonl", [good, json.dumps(missing)])
    with pytest.raises(DatasetError, match=r"line 2: evidences\[0\]\.evidence_label is missing.*evidences"):
        read_climate_fever(path2)


def test_scenarios_bad_verdict(tmp_path: Path) -> None:
    """An unknown intended verdict lists the allowed verdicts."""
    row = json.loads((DATA / "scenarios_tiny.jsonl").read_text().splitlines()[0])
    row["claims"][0]["intended_verdict"] = "greenwashed"
    path = _write(tmp_path, "s.jsonl", [json.dumps(row)])
    with pytest.raises(DatasetError, match=r"s\.jsonl, line 1: claims\[0\]\.intended_verdict 'greenwashed'.*hollow"):
        read_scenarios(path)


def test_missing_file_and_unsupported_suffix(tmp_path: Path) -> None:
    """Whole-file problems name the file."""
    with pytest.raises(DatasetError, match="does not exist"):
        read_environmental_claims(tmp_path / "nope.jsonl")
    other = _write(tmp_path, "x.xml", ["<a/>"])
    with pytest.raises(DatasetError, match="unsupported file type '.xml'"):
        read_environmental_claims(other)
