"""End to end: sentence splitting, claim candidates, evidence retrieval, CLI on the sample."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import authentitext as at
from authentitext.align import top_k
from authentitext.errors import ConfigError
from authentitext.resources import resource


@pytest.mark.model
@pytest.mark.parametrize(
    "text, lang, sentences",
    [
        ("We are the cheapest. Why pay more? Ask Dr. Smith at St. John's.", "en",
         ["We are the cheapest.", "Why pay more?", "Ask Dr. Smith at St. John's."]),
        ("Wij zijn de goedkoopste. Waarom meer betalen? Bel ons op 010-1234567!", "nl",
         ["Wij zijn de goedkoopste.", "Waarom meer betalen?", "Bel ons op 010-1234567!"]),
    ],
)
def test_sentence_splitting(text, lang, sentences):
    """Both pipelines split marketing copy into sentences, one row each."""
    df = at.extract_claims([text], lang=lang)
    assert list(df["sentence"]) == sentences
    assert set(df["lang"]) == {lang} and list(df["text_id"]) == [0, 0, 0]


@pytest.mark.model
def test_extract_claims_mixed_corpus_columns():
    """Mixed EN/NL input: text_id is the input position, claims are typed."""
    df = at.extract_claims(
        pd.DataFrame({"text": ["Open from 9 to 5.", "De goedkoopste supermarkt van Nederland."],
                      "org": ["A", "B"]})
    )
    for col in ("text_id", "sentence", "lang", "is_claim", "claim_types", "org"):
        assert col in df.columns
    row = df[df["text_id"] == 1].iloc[0]
    assert row["lang"] == "nl" and row["is_claim"] and "price" in row["claim_types"]
    assert not df[df["text_id"] == 0]["is_claim"].any()


def test_top_k_chunked_equals_full():
    """Chunked top-k gives the same neighbours as a full similarity matrix."""
    rng = np.random.default_rng(0)
    q = rng.normal(size=(7, 16)).astype(np.float32)
    c = rng.normal(size=(1000, 16)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    idx, val = top_k(q, c, 5, chunk_size=37)
    full = q @ c.T
    expected = np.argsort(-full, axis=1, kind="stable")[:, :5]
    np.testing.assert_array_equal(idx, expected)
    np.testing.assert_allclose(val, np.take_along_axis(full, expected, 1), rtol=1e-5)
    with pytest.raises(ConfigError, match="'k'"):
        top_k(q, c, 0)
    assert top_k(q, c[:2], 5)[0].shape == (7, 2)


@pytest.mark.model
def test_audit_retrieves_within_org_only(fake_encoder):
    """Evidence comes only from the claim's own organisation."""
    claims = pd.DataFrame({"org": ["A", "B"], "text": ["We are the most honest bank.", "We are the most honest bank."]})
    practice = pd.DataFrame({"org": ["A", "B", "B"],
                             "text": ["Bank A hides fees.", "Bank B is honest.", "Parking is hard."]})
    report = at.audit(claims, practice, encoder=fake_encoder, top_k=5)
    ev = report.evidence.merge(report.claims[["claim_id", "org"]], on="claim_id", suffixes=("", "_claim"))
    assert (ev["org"] == ev["org_claim"]).all()
    assert report.claims.set_index("org").loc["A", "n_candidates"] == 1
    assert report.claims.set_index("org").loc["B", "n_candidates"] == 2


@pytest.mark.model
def test_sample_audit_end_to_end():
    """The bundled sample: Dutch, English and cross-lingual claims all find evidence."""
    claims = pd.read_csv(str(resource("sample", "claims.csv")))
    practice = pd.read_csv(str(resource("sample", "practice.csv")))
    report = at.audit(claims, practice)
    assert set(report.claims["org"]) == {"Prijsvrij", "ClearBank", "GroenLicht"}
    assert {"nl", "en"} <= set(report.claims["lang"])
    cheapest = report.claims[report.claims["sentence"].str.contains("goedkoopste")].iloc[0]
    assert "price" in cheapest["claim_types"]
    # the price complaint is the nearest evidence for the cheapest claim
    assert "prijzen" in cheapest["top_evidence"]
    # cross-lingual: the Dutch green-power claim finds the English wind-farm review
    green = report.claims[report.claims["sentence"].str.contains("groene stroom")].iloc[0]
    assert "wind" in green["top_evidence"]
    assert report.claims["top_similarity"].between(-1, 1).all()


@pytest.mark.model
def test_cli_sample_and_files(tmp_path):
    """`python -m authentitext audit` reads files, writes CSV + Parquet, reports bad rows."""
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"text": "The most honest bank in town.", "org": "A"}\n{"text": "", "org": "A"}\n'
                      '{"text": "No hidden fees.", "org": "A"}\n', encoding="utf-8")
    practice = tmp_path / "practice.csv"
    pd.DataFrame({"org": ["A", "A"], "text": ["They hide fees from customers.", "Nice office."]}).to_csv(practice, index=False)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "authentitext", "audit", "--claims", str(claims), "--practice", str(practice),
         "--out", str(out)], capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "honest" in proc.stdout and "empty text" in proc.stdout
    for name in ("claims", "evidence", "organisations", "errors"):
        assert (out / f"{name}.csv").exists() and (out / f"{name}.parquet").exists()
    errors = pd.read_csv(out / "errors.csv")
    assert list(errors["text_id"]) == [1]
    bad = subprocess.run([sys.executable, "-m", "authentitext", "audit", "--claims", str(tmp_path / "nope.csv"),
                          "--practice", str(practice)], capture_output=True, text=True)
    assert bad.returncode == 1 and "does not exist" in bad.stderr
