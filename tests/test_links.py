"""The evidence links of the development scenarios (data/scenarios/links) and their mapping onto audit rows."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _links_module():
    spec = importlib.util.spec_from_file_location("links_script", ROOT / "scripts" / "_links.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


LINK_FILES = sorted((ROOT / "data/scenarios/links").glob("*.links.jsonl"))


def test_there_are_links_for_the_development_files():
    assert len(LINK_FILES) >= 34


@pytest.mark.parametrize("path", LINK_FILES, ids=lambda p: p.name)
def test_links_file_matches_its_scenario_file(path):
    """One line per claim in file order; positions exist in the organisation's practice; no sentence on both sides;
    the shape fits the intended verdict (the annotators saw it and marked no disagreement)."""
    read_jsonl = _links_module().read_jsonl
    scen = read_jsonl(ROOT / "data/scenarios" / path.name.replace(".links.jsonl", ".jsonl"))
    links = read_jsonl(path)
    expected = [(s["org"], i, len(s["practice"]), c["intended_verdict"])
                for s in scen for i, c in enumerate(s["claims"])]
    assert len(links) == len(expected)
    for row, (org, i, n_practice, verdict) in zip(links, expected, strict=True):
        assert list(row) == ["org", "claim", "supports", "contradicts", "disagree", "note"]
        assert (row["org"], row["claim"]) == (org, i)
        assert all(isinstance(j, int) and 0 <= j < n_practice for j in row["supports"] + row["contradicts"])
        assert not set(row["supports"]) & set(row["contradicts"])
        if verdict == "substantiated":
            assert row["supports"]
        elif verdict == "contradicted":
            assert row["contradicts"]
        elif verdict == "mixed":
            assert row["supports"] and row["contradicts"]
        else:
            assert not row["supports"] and not row["contradicts"]


def test_row_labels_map_links_onto_evidence_rows(tmp_path, monkeypatch):
    """Claim and practice positions are per organisation; the audit numbers both across the file."""
    links = _links_module()
    monkeypatch.setattr(links, "LINKS_DIR", tmp_path)
    scen = [{"org": "A", "claims": [{"text": "a0"}, {"text": "a1"}], "practice": [{"text": "p"}] * 3},
            {"org": "B", "claims": [{"text": "b0"}], "practice": [{"text": "q"}] * 2}]
    rows = [{"org": "A", "claim": 0, "supports": [2], "contradicts": [0], "disagree": False, "note": ""},
            {"org": "A", "claim": 1, "supports": [], "contradicts": [], "disagree": False, "note": ""},
            {"org": "B", "claim": 0, "supports": [], "contradicts": [1], "disagree": False, "note": ""}]
    (tmp_path / "toy.links.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    # claim ids 10-12 for the three claim texts; practice texts 0-2 are A's, 3-4 are B's
    rc = pd.DataFrame({"claim_id": [10, 11, 12], "text_id": [0, 1, 2]})
    evidence = pd.DataFrame({"claim_id": [10, 10, 10, 11, 12, 12],
                             "practice_text_id": [0, 1, 2, 0, 3, 4]})
    run = {"name": "toy.jsonl", "rc": rc, "evidence": evidence}
    np.testing.assert_array_equal(links.row_labels(run, scen), [0, -1, 1, -1, -1, 0])
    assert links.row_labels({**run, "name": "other.jsonl"}, scen) is None


def test_link_pairs_take_every_link_and_a_seeded_sample_of_the_rest():
    """Linked rows keep their side; unlinked rows are sampled (ratio x linked), labelled unrelated, reproducibly."""
    links = _links_module()
    rc = pd.DataFrame({"claim_id": [0, 1], "sentence": ["We are cheap.", "Wij zijn eerlijk."], "lang": ["en", "nl"],
                       "claim_types": [["price"], []]})
    evidence = pd.DataFrame({"claim_id": [0, 0, 0, 1, 1, 1], "evidence": [f"e{i}" for i in range(6)],
                             "evidence_lang": ["en"] * 6})
    run = {"rc": rc, "evidence": evidence}
    labels = np.array([1, -1, -1, 0, -1, -1])
    rows = links.link_pairs(run, labels, 1.0, np.random.default_rng(3))
    assert len(rows) == 4
    by_text = {r["evidence"]: r for r in rows}
    assert by_text["e0"]["label"] == "supports" and by_text["e0"]["claim_type"] == "price"
    assert by_text["e3"]["label"] == "contradicts" and by_text["e3"]["claim"] == "Wij zijn eerlijk."
    assert by_text["e3"]["claim_type"] == "none" and by_text["e3"]["claim_lang"] == "nl"
    others = [r for r in rows if r["evidence"] not in ("e0", "e3")]
    assert len(others) == 2 and all(r["label"] == "unrelated" for r in others)
    assert rows == links.link_pairs(run, labels, 1.0, np.random.default_rng(3))
    assert len(links.link_pairs(run, labels, 0.5, np.random.default_rng(3))) == 3


def test_rescore_replaces_the_three_probabilities_and_the_stance():
    links = _links_module()
    rc = pd.DataFrame({"claim_id": [0], "sentence": ["c"]})
    evidence = pd.DataFrame({"claim_id": [0, 0], "evidence": ["x", "y"], "p_supports": [0.8, 0.1],
                             "p_contradicts": [0.1, 0.1], "p_unrelated": [0.1, 0.8],
                             "stance": ["supports", "unrelated"]})

    class Fixed:
        def predict_proba(self, claims, texts):
            assert claims == ["c", "c"] and texts == ["x", "y"]
            return np.array([[0.2, 0.7, 0.1], [0.5, 0.2, 0.3]])

    run = {"rc": rc, "evidence": evidence, "name": "n"}
    out = links.rescore(run, Fixed())
    assert list(out["evidence"]["stance"]) == ["contradicts", "supports"]
    assert list(out["evidence"]["pair_p_unrelated"]) == [0.1, 0.3]
    assert list(run["evidence"]["stance"]) == ["supports", "unrelated"]  # the given run is left alone
