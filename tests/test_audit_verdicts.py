"""The audit end to end: retrieval (similarity + value-aware), stance, verdicts, organisation tables."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import authentitext as at
from authentitext.errors import ConfigError, LanguageError
from authentitext.resources import resource
from authentitext.retrieval import merge_top_k, stream_candidates
from authentitext.verdicts import VerdictConfig


class KeywordStance:
    """Fake stance backend: 'hide'/'lie' contradict, 'honest'/'upfront' support, anything else unrelated."""

    name = "keyword-fake"

    def predict_proba(self, claims, evidence):
        out = []
        for e in evidence:
            low = e.lower()
            if "hide" in low or "lie" in low:
                out.append([0.05, 0.9, 0.05])
            elif "honest" in low or "upfront" in low:
                out.append([0.9, 0.05, 0.05])
            else:
                out.append([0.05, 0.05, 0.9])
        return np.array(out)


def test_stream_candidates_matches_full_scan(fake_encoder):
    """Chunked streaming keeps exactly the top-k of a full scan, for claims and for value prototypes."""
    rng = np.random.default_rng(1)
    corpus = rng.normal(size=(500, 8)).astype(np.float32)
    corpus /= np.linalg.norm(corpus, axis=1, keepdims=True)
    q = corpus[[3, 99]] + 0.01
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    protos = {"integrity": corpus[[250, 251]]}
    cand = stream_candidates(q, lambda a, b: corpus[a:b], len(corpus), None, top_k=4, value_k=2,
                             types=["integrity"], prototypes=protos, chunk_size=37)
    full = np.argsort(-(q @ corpus.T), axis=1, kind="stable")[:, :4]
    np.testing.assert_array_equal(cand.sim_idx, full)
    assert set(cand.value_idx["integrity"]) == {250, 251}
    idx, val = merge_top_k(np.array([[1]]), np.array([[0.5]], dtype=np.float32), np.array([[0]]),
                           np.array([[0.5]]), 1)
    assert idx.tolist() == [[0]]  # ties go to the lower index


@pytest.mark.model
def test_audit_verdicts_with_fake_stance(fake_encoder):
    """Verdict columns and tables are filled; no-practice orgs are hollow; evidence stances are kept."""
    claims = pd.DataFrame({"org": ["A", "A", "B"],
                           "text": ["We are an honest bank.", "Transparent pricing, no hidden fees.",
                                    "The most honest bank in town."]})
    practice = pd.DataFrame({"org": ["A", "A", "A"],
                             "text": ["Managers told us to hide fees from clients.", "The canteen is nice.",
                                      "They lie about the exit costs."]})
    # the hashing encoder's similarities carry no meaning: the rule method with the similarity discounts off
    # (the learned head reads similarities as features)
    report = at.audit(claims, practice, encoder=fake_encoder, stance=KeywordStance(),
                      verdict_config=VerdictConfig(method="rules", similarity_scale=0.0, exclusivity_scale=0.0))
    c = report.claims
    for col in ("verdict", "alignment", "confidence", "reason", "n_evidence", "evidence_ids", "gap_weight",
                "p_vague"):
        assert col in c.columns
    assert report.config["verdict_model"] is None and report.config["verdict_config"]["method"] == "rules"
    assert set(c.loc[c["org"] == "A", "verdict"]) == {"contradicted"}
    b = c[c["org"] == "B"].iloc[0]
    assert b["verdict"] == "hollow" and "no practice texts" in b["reason"]
    ev = report.evidence
    for col in ("stance", "p_supports", "p_contradicts", "p_unrelated", "similarity", "best_similarity", "retrieval"):
        assert col in ev.columns
    # best_similarity: the sentence's highest cosine to any claim of its organisation
    assert (ev["best_similarity"] >= ev["similarity"] - 1e-9).all()
    n_claims_a = int((c["org"] == "A").sum())
    for _, same in ev[ev["org"] == "A"].groupby("evidence"):
        assert len(same) == n_claims_a  # every practice sentence of A was retrieved for both claims
        np.testing.assert_allclose(same["best_similarity"], same["similarity"].max())
    # computed in chunks: the chunk size changes nothing
    small = at.audit(claims, practice, encoder=fake_encoder, stance=KeywordStance(), chunk_size=1,
                     verdict_config=VerdictConfig(method="rules", similarity_scale=0.0, exclusivity_scale=0.0)).evidence
    np.testing.assert_allclose(small["best_similarity"], ev["best_similarity"])
    np.testing.assert_allclose(ev[["p_supports", "p_contradicts", "p_unrelated"]].sum(axis=1), 1.0)
    driving = ev.set_index("evidence_id").loc[c.loc[c["org"] == "A", "evidence_ids"].iloc[0]]
    assert (driving["stance"] == "contradicts").all()
    orgs = report.organisations.set_index("org")
    assert orgs.at["A", "credibility_gap"] > orgs.at["B", "credibility_gap"] > 0
    assert orgs.at["A", "n_contradicted"] == 2 and orgs.at["B", "n_hollow"] == 1
    assert "integrity" in orgs.at["A", "practice_score"]
    assert set(report.saturation["kind"]) >= {"type"}
    assert report.values.set_index(["org", "claim_type"]).loc[("A", "integrity"), "practice_score"] < 0


@pytest.mark.model
def test_value_aware_retrieval_finds_wordless_evidence():
    """An integrity claim retrieves practice about hidden charges that shares no word with it."""
    claims = pd.DataFrame({"org": ["X"], "text": ["ClearBank is the honest bank."]})
    filler = [f"The office on floor {i} has a new coffee machine and a printer." for i in range(30)]
    practice = pd.DataFrame({"org": ["X"] * 31,
                             "text": filler + ["Staff were instructed not to mention the maintenance charge."]})
    report = at.audit(claims, practice, top_k=1, value_k=2, stance=KeywordStance())
    ev = report.evidence
    hit = ev[ev["evidence"].str.contains("maintenance charge")]
    assert len(hit) == 1 and "value:integrity" in hit.iloc[0]["retrieval"]


@pytest.mark.model
def test_unsupported_language_practice_names_rows():
    """Practice in German raises a LanguageError naming the row; collect mode lists it instead."""
    claims = pd.DataFrame({"org": ["A"], "text": ["We are the honest bank."]})
    practice = pd.DataFrame({"org": ["A", "A"], "text": [
        "The staff were friendly and upfront about costs.",
        "Die Mitarbeiter verschweigen den Kunden systematisch die versteckten Gebühren der Bank.",
    ]})
    with pytest.raises(LanguageError, match=r"row 1"):
        at.audit(claims, practice, stance=KeywordStance())
    report = at.audit(claims, practice, stance=KeywordStance(), errors="collect")
    assert list(report.errors["text_id"]) == [1] and list(report.errors["input"]) == ["practice"]


def test_audit_parameter_errors(fake_encoder):
    """Bad parameters fail before any work, naming the parameter."""
    with pytest.raises(ConfigError, match="'value_k'"):
        at.audit(["x"], ["y"], value_k=-1, encoder=fake_encoder)
    with pytest.raises(ConfigError, match="'verdict_config'"):
        at.audit(["x"], ["y"], verdict_config={"kappa": 1}, encoder=fake_encoder)
    with pytest.raises(ConfigError, match="'stance'"):
        at.audit(["x"], ["y"], stance=3.5, encoder=fake_encoder)
    with pytest.raises(ConfigError, match="'verdict_model'"):
        at.audit(["x"], ["y"], verdict_model="head.npz", encoder=fake_encoder)


@pytest.mark.model
def test_audit_with_own_verdict_model(fake_encoder):
    """A head fit by the user decides the verdicts and is named in the report config."""
    import numpy as np

    from authentitext.verdicts import VERDICT_FEATURES, VERDICTS, VerdictModel

    n = len(VERDICT_FEATURES)
    own = VerdictModel({"mean": np.zeros(n), "scale": np.ones(n), "coef": np.zeros((len(VERDICTS), n)),
                        "intercept": np.array([5.0 if v == "unverifiable" else 0.0 for v in VERDICTS])},
                       {"classes": list(VERDICTS), "name": "my_head", "version": "0.1"})
    report = at.audit(["We are an honest bank."], ["Managers told us to hide fees from clients."],
                      encoder=fake_encoder, stance=KeywordStance(), verdict_model=own)
    assert report.config["verdict_model"] == "my_head-0.1"
    assert set(report.claims["verdict"]) == {"unverifiable"}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "out"
    proc = subprocess.run([sys.executable, "-m", "authentitext", "audit", "--sample", "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    claims = pd.read_csv(out / "claims.csv")
    return proc, out, dict(zip(claims["sentence"], claims["verdict"], strict=True))


@pytest.mark.model
def test_sample_audit_cli_contradicted(sample_run):
    """`authentitext audit --sample` with the shipped models: Prijsvrij's two price sentences are contradicted."""
    proc, out, verdicts = sample_run
    price = [v for s, v in verdicts.items() if "goedkoopste" in s or "Nergens betaal" in s]
    assert price == ["contradicted", "contradicted"]
    assert next(v for s, v in verdicts.items() if "honest bank" in s) == "contradicted"
    assert next(v for s, v in verdicts.items() if "wereld mooier" in s) == "unverifiable"
    orgs = pd.read_csv(out / "organisations.csv")
    assert orgs["credibility_gap"].between(0, 1).all()
    assert "verdict" in proc.stdout


@pytest.mark.model
def test_sample_audit_cli_hollow(sample_run):
    """The sample's 'lokale boeren' claim, never mentioned in practice, is hollow."""
    _, _, verdicts = sample_run
    assert next(v for s, v in verdicts.items() if "lokale boeren" in s) == "hollow"


@pytest.mark.model
def test_sample_audit_cli_verdict_method(sample_run, tmp_path):
    """`--verdict-method rules` switches the CLI to the threshold rules; the default is the learned head."""
    _, out, _ = sample_run
    assert pd.read_csv(out / "claims.csv")["reason"].str.contains("verdict head p").any()
    proc = subprocess.run([sys.executable, "-m", "authentitext", "audit", "--sample", "--verdict-method", "rules",
                           "--out", str(tmp_path / "rules"), "--no-progress"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    reasons = pd.read_csv(tmp_path / "rules" / "claims.csv")["reason"]
    assert len(reasons) and not reasons.str.contains("verdict head").any()
    bad = subprocess.run([sys.executable, "-m", "authentitext", "audit", "--sample", "--verdict-method", "vote"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--verdict-method" in bad.stderr


@pytest.mark.model
def test_audit_direction_model_runs_only_before_the_shipped_head():
    """The shipped head's relevance model re-weighs each row's related mass and its direction model re-splits it;
    rules and other backends keep the pair values."""
    from authentitext.verdicts import shipped_direction_model, shipped_relevance_model

    claims = pd.DataFrame({"org": ["A", "A"],
                           "text": ["Every store open until 10pm, seven days a week.",
                                    "Skips collected within 24 hours."]})
    practice = pd.DataFrame({"org": ["A"] * 3,
                             "text": ["Turned up at 7pm on a Sunday and the shutters were already down.",
                                      "Took them five days to pick up a full skip.", "The canteen serves soup."]})
    direction = shipped_direction_model()
    assert direction is not None
    report = at.audit(claims, practice, extract=False)
    ev = report.evidence
    assert report.config["direction_model"] == direction.name
    relevance = shipped_relevance_model()  # since head 1.11.0
    assert relevance is not None and report.config["relevance_model"] == relevance.name
    # p_unrelated' = beta (1 - p_linked) + (1 - beta) p_unrelated: at least (1 - beta) of the pair's value stays
    assert not np.allclose(ev["p_unrelated"], ev["pair_p_unrelated"])
    assert (ev["p_unrelated"] >= (1 - relevance.beta) * ev["pair_p_unrelated"] - 1e-9).all()
    assert not np.allclose(ev["p_supports"], ev["pair_p_supports"])
    np.testing.assert_allclose(ev[["p_supports", "p_contradicts", "p_unrelated"]].sum(axis=1), 1.0)
    rules = at.audit(claims, practice, extract=False, verdict_config=VerdictConfig(method="rules"))
    assert rules.config["direction_model"] is None and rules.config["relevance_model"] is None
    np.testing.assert_array_equal(rules.evidence["p_supports"], rules.evidence["pair_p_supports"])
    np.testing.assert_array_equal(rules.evidence["p_unrelated"], rules.evidence["pair_p_unrelated"])
    other = at.audit(claims, practice, extract=False, stance=KeywordStance())
    assert other.config["direction_model"] is None and other.config["relevance_model"] is None
    np.testing.assert_array_equal(other.evidence["p_contradicts"], other.evidence["pair_p_contradicts"])


@pytest.mark.model
def test_audit_direction_model_follows_the_head():
    """The shipped head passed explicitly still gets its direction model; a head fit without one does not."""
    from authentitext.verdicts import VERDICT_FEATURES, VerdictModel

    claims = pd.DataFrame({"org": ["A"], "text": ["Skips collected within 24 hours."]})
    practice = pd.DataFrame({"org": ["A", "A"], "text": ["Took them five days to pick up a full skip.",
                                                         "The canteen serves soup."]})
    shipped = VerdictModel.load()
    assert at.audit(claims, practice, extract=False, verdict_model=shipped).config["direction_model"]
    # a head trained on the direction model alone (as 1.9.0-1.10.0 were) gets no relevance model
    arrays = {"mean": shipped.mean, "scale": shipped.scale, "coef": shipped.coef, "intercept": shipped.intercept}
    direction_only = VerdictModel(arrays, {k: v for k, v in shipped.config.items() if k != "relevance"})
    alone = at.audit(claims, practice, extract=False, verdict_model=direction_only)
    assert alone.config["direction_model"] and alone.config["relevance_model"] is None
    np.testing.assert_array_equal(alone.evidence["p_unrelated"], alone.evidence["pair_p_unrelated"])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, len(VERDICT_FEATURES)))
    own = VerdictModel.fit(x, ["substantiated" if a > 0 else "contradicted" for a in x[:, 13]])
    report = at.audit(claims, practice, extract=False, verdict_model=own)
    assert report.config["direction_model"] is None and report.config["relevance_model"] is None
    np.testing.assert_array_equal(report.evidence["p_supports"], report.evidence["pair_p_supports"])
    np.testing.assert_array_equal(report.evidence["p_unrelated"], report.evidence["pair_p_unrelated"])


def test_evidence_reader_is_used_only_with_the_shipped_pair_model_and_a_head_trained_on_it(monkeypatch):
    """audit scores evidence with the shipped evidence reader only when the pair model is the shipped one, the
    method is the learned head, and that head names the reader; otherwise with the pair model itself."""
    from types import SimpleNamespace

    from authentitext import auditing, verdicts

    pair = SimpleNamespace(name="stance_default-9")
    reader = SimpleNamespace(name="stance_evidence-9")
    trained_on_reader = SimpleNamespace(config={"stance": "stance_evidence-9"})
    trained_on_pair = SimpleNamespace(config={"stance": "stance_default-9"})
    model, rules = VerdictConfig(method="model"), VerdictConfig(method="rules")
    monkeypatch.setattr(auditing, "_shipped_evidence_model", lambda: reader)
    monkeypatch.setattr(verdicts, "_shipped_verdict_model", lambda: trained_on_reader)
    assert auditing._evidence_reader(None, pair, model, None) is reader
    assert auditing._evidence_reader("default", pair, model, None) is reader
    assert auditing._evidence_reader("my_model.npz", pair, model, None) is pair
    assert auditing._evidence_reader(None, pair, rules, None) is pair
    assert auditing._evidence_reader(None, pair, model, trained_on_pair) is pair
    monkeypatch.setattr(auditing, "_shipped_evidence_model", lambda: None)
    assert auditing._evidence_reader(None, pair, model, None) is pair


def test_audit_records_both_stance_models():
    """The report names the pair model and the model that read the evidence (the same one with the rules)."""
    claims = pd.DataFrame({"text": ["Always the lowest price."], "org": ["A"]})
    practice = pd.DataFrame({"text": ["Prices here are higher than at the shop next door."], "org": ["A"]})
    rules = at.audit(claims, practice, extract=False, verdict_config=VerdictConfig(method="rules"))
    assert rules.config["evidence_stance"] == rules.config["stance"]
    shipped = at.audit(claims, practice, extract=False)
    head = shipped.config["verdict_model"]
    assert shipped.config["stance"] == rules.config["stance"] and head
    from authentitext.verdicts import VerdictModel

    assert shipped.config["evidence_stance"] == VerdictModel.load().config["stance"]
