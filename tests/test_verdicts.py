"""Verdicts (rules and the learned head), credibility gap, prominence, saturation; hand-made stances."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from authentitext.errors import ConfigError, ModelNotFoundError
from authentitext.verdicts import (
    DIRECTION_FEATURES,
    VERDICT_FEATURES,
    VERDICT_WEIGHTS,
    VERDICTS,
    DirectionModel,
    RelevanceModel,
    VerdictConfig,
    VerdictModel,
    claim_verdicts,
    direction_features,
    reweigh_evidence,
    organisation_scores,
    prominence,
    saturation,
    value_scores,
)

RULES = VerdictConfig(method="rules")


def _rules(**kw):
    return VerdictConfig(method="rules", **kw)


def _claims(*rows):
    return pd.DataFrame(
        [{"claim_id": i, "org": org, "sentence": text, "claim_types": types, "sentence_id": 0}
         for i, (org, text, types) in enumerate(rows)]
    )


def _evidence(rows):
    """rows: (claim_id, org, p_sup, p_con, p_unr)."""
    return pd.DataFrame(
        [{"evidence_id": i, "claim_id": c, "org": o, "p_supports": s, "p_contradicts": k, "p_unrelated": u}
         for i, (c, o, s, k, u) in enumerate(rows)]
    )


@pytest.mark.parametrize(
    "probs, verdict",
    [
        ([(0.8, 0.1, 0.1), (0.1, 0.1, 0.8)], "substantiated"),
        ([(0.1, 0.85, 0.05), (0.2, 0.7, 0.1)], "contradicted"),
        ([(0.8, 0.1, 0.1), (0.1, 0.8, 0.1)], "mixed"),
        ([(0.1, 0.1, 0.8), (0.2, 0.1, 0.7)], "hollow"),
        ([(0.7, 0.2, 0.1), (0.1, 0.3, 0.6), (0.6, 0.1, 0.3)], "substantiated"),
    ],
)
def test_verdict_from_stances(probs, verdict):
    """Relevant evidence decides; unrelated evidence never counts as contradiction."""
    claims = _claims(("A", "We never hide fees.", ["integrity"]))
    ev = _evidence([(0, "A", *p) for p in probs])
    out = claim_verdicts(claims, ev, config=RULES).iloc[0]
    assert out["verdict"] == verdict
    assert -1.0 <= out["alignment"] <= 1.0 and 0.0 <= out["confidence"] <= 1.0
    assert isinstance(out["reason"], str) and out["reason"]
    if verdict == "contradicted":
        assert out["alignment"] < 0 and out["evidence_ids"] == [0, 1]
    if verdict == "substantiated":
        assert out["alignment"] > 0 and 0 in out["evidence_ids"]
    if verdict == "hollow":
        assert out["n_evidence"] == 0 and "silent" in out["reason"]


def test_no_practice_for_org_is_hollow_with_reason():
    """Claims of an organisation without any practice text are hollow, saying why."""
    claims = _claims(("A", "We never hide fees.", ["integrity"]), ("B", "Cheapest in town.", ["price"]))
    ev = _evidence([(0, "A", 0.1, 0.8, 0.1)])
    out = claim_verdicts(claims, ev, orgs_with_practice={"A"}, config=RULES).set_index("claim_id")
    assert out.at[0, "verdict"] == "contradicted"
    assert out.at[1, "verdict"] == "hollow" and "no practice texts for organisation 'B'" in out.at[1, "reason"]


@pytest.mark.parametrize(
    "extra, vague",
    [
        ({"generic_env": True}, True),
        ({"p_vague": 0.9, "claim_types": ["superiority"]}, True),  # no checkable value
        ({"p_vague": 0.1}, False),
        ({"question": True}, True),
        ({"p_vague": 0.6, "claim_types": []}, True),
        ({"p_vague": 0.9}, False),  # typed 'integrity' and practice speaks: judged by practice
        ({"specific": False, "claim_types": []}, False),  # no specific detail alone is not vagueness
    ],
)
def test_unverifiable_before_evidence(extra, vague):
    """Strongly vague claims are unverifiable even when evidence exists; checkable ones are judged."""
    row = {"org": "A", "sentence": "We care.", "claim_types": ["integrity"], "sentence_id": 0, "claim_id": 0}
    claims = pd.DataFrame([{**row, **extra}])
    ev = _evidence([(0, "A", 0.1, 0.8, 0.1)])
    verdict = claim_verdicts(claims, ev, config=RULES).iloc[0]["verdict"]
    assert (verdict == "unverifiable") is vague
    if not vague:
        assert verdict == "contradicted"


def test_weakly_vague_typed_claim_with_silent_practice_is_unverifiable():
    """A typed claim the checkability head finds vague is unverifiable (not hollow) when practice is silent."""
    claims = pd.DataFrame([{"claim_id": 0, "org": "A", "sentence": "Integrity in all we do.",
                            "claim_types": ["integrity"], "sentence_id": 0, "p_vague": 0.9}])
    out = claim_verdicts(claims, _evidence([(0, "A", 0.05, 0.05, 0.9)]), config=RULES).iloc[0]
    assert out["verdict"] == "unverifiable"
    claims.loc[0, "p_vague"] = 0.2
    assert claim_verdicts(claims, _evidence([(0, "A", 0.05, 0.05, 0.9)]), config=RULES).iloc[0]["verdict"] == "hollow"


def test_vague_slogan_pattern_without_model_columns():
    """A feel-good slogan with no checkable type is unverifiable from its wording alone."""
    claims = _claims(("A", "Maak de wereld mooier met ons!", []))
    out = claim_verdicts(claims, _evidence([(0, "A", 0.8, 0.1, 0.1)]), config=RULES).iloc[0]
    assert out["verdict"] == "unverifiable"


def test_verdict_config_validation():
    """Out-of-range thresholds are rejected with the field name."""
    with pytest.raises(ConfigError, match="relevance_threshold"):
        VerdictConfig(relevance_threshold=1.5).validate()
    with pytest.raises(ConfigError, match="weights"):
        VerdictConfig(weights={"contradicted": 1.0}).validate()


def _scored(verdicts, orgs, vecs=None):
    claims = pd.DataFrame({
        "claim_id": range(len(verdicts)), "org": orgs, "verdict": verdicts,
        "confidence": [1.0] * len(verdicts), "prominence": [1.0] * len(verdicts),
        "claim_types": [["price"]] * len(verdicts), "sentence": [f"claim {i}" for i in range(len(verdicts))],
    })
    vecs = np.eye(len(verdicts), dtype=np.float32) if vecs is None else vecs
    return claims, vecs


def test_credibility_gap_orders_verdicts():
    """contradicted > mixed > hollow > unverifiable > substantiated, at equal prominence."""
    order = ["contradicted", "mixed", "hollow", "unverifiable", "substantiated"]
    claims, vecs = _scored(order, [f"org_{v}" for v in order])
    empty = pd.DataFrame(columns=["org", "claim_type", "promise_intensity", "practice_score"])
    orgs = organisation_scores(claims, empty, vecs, {f"org_{v}": 3 for v in order})
    assert list(orgs["org"]) == [f"org_{v}" for v in order]
    gaps = orgs.set_index("org")["credibility_gap"]
    assert gaps["org_substantiated"] == 0.0
    assert gaps["org_contradicted"] == pytest.approx(VERDICT_WEIGHTS["contradicted"] / 2)  # kappa = 1
    assert orgs.set_index("org").at["org_hollow", "n_hollow"] == 1


def test_prominence_weights_the_gap():
    """A loud (prominent) contradicted claim widens the gap more than a quiet one."""
    claims, vecs = _scored(["contradicted", "substantiated", "contradicted", "substantiated"], ["L", "L", "Q", "Q"])
    claims["prominence"] = [3.0, 1.0, 1.0, 3.0]
    empty = pd.DataFrame(columns=["org", "claim_type", "promise_intensity", "practice_score"])
    gaps = organisation_scores(claims, empty, vecs, {}).set_index("org")["credibility_gap"]
    assert gaps["L"] > gaps["Q"]


def test_prominence_headline_repeats_intensity():
    """Headline position, repetition and absolute wording raise prominence, within [1, 3]."""
    claims = pd.DataFrame({"org": ["A", "A", "A", "B"], "sentence_id": [0, 3, 4, 2],
                           "sentence": ["Always the cheapest.", "Cheapest!", "Cheapest!", "We sell bread."]})
    vecs = np.array([[1, 0], [1, 0], [1, 0], [0, 1]], dtype=np.float32)
    p = prominence(claims, vecs)
    assert p[0] > p[1] > p[3] and p.min() >= 1.0 and p.max() <= 3.0
    assert p[1] == p[2]


def test_saturation_four_supermarkets():
    """Four organisations making the same claim → one cluster with distinctiveness 0."""
    claims = pd.DataFrame({
        "org": ["S1", "S2", "S3", "S4", "Bank"],
        "sentence": ["De goedkoopste.", "Altijd de goedkoopste!", "Nergens goedkoper.", "The cheapest.",
                     "Honest banking."],
        "claim_types": [["price"]] * 4 + [["integrity"]],
    })
    vecs = np.array([[1, 0.05], [1, 0], [0.98, 0.1], [1, 0.02], [0, 1]], dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    table, per_claim = saturation(claims, vecs)
    price = table[(table["kind"] == "type") & (table["key"] == "price")].iloc[0]
    assert price["n_orgs"] == 4 and price["distinctiveness"] == pytest.approx(0.25)
    cluster = table[table["kind"] == "cluster"].iloc[0]
    assert cluster["n_orgs"] == 4 and cluster["orgs"] == ["S1", "S2", "S3", "S4"]
    assert per_claim[4] == 1.0 and per_claim[0] == pytest.approx(0.25)


def test_value_scores_promise_vs_practice():
    """Per value: loud promise with contradicting practice → negative practice score, big value gap."""
    claims = pd.DataFrame({"claim_id": [0, 1], "org": ["A", "A"], "claim_types": [["integrity"], ["price"]],
                           "prominence": [2.5, 1.0]})
    ev = _evidence([(0, "A", 0.1, 0.8, 0.1), (1, "A", 0.05, 0.05, 0.9)])
    vals = value_scores(claims, ev).set_index("claim_type")
    assert vals.at["integrity", "practice_score"] < -0.5
    assert np.isnan(vals.at["price", "practice_score"])
    assert vals.at["integrity", "value_gap"] > vals.at["price", "value_gap"]


def test_similarity_discount_and_aggregation():
    """A barely similar 'supports' row is discounted; sum vs max aggregation decide mixed differently."""
    claims = _claims(("A", "Free repairs for ten years.", ["quality"]))
    ev = _evidence([(0, "A", 0.85, 0.1, 0.05)])
    ev["similarity"] = [-0.2]
    on = claim_verdicts(claims, ev, config=_rules(similarity_scale=0.1)).iloc[0]
    off = claim_verdicts(claims, ev, config=_rules(similarity_scale=0.0)).iloc[0]
    # relevance 0.95 * sigmoid(-2) = 0.11 < 0.5: silent; without the discount: supported
    assert on["verdict"] == "hollow" and off["verdict"] == "substantiated"
    # two weak contradictions vs one strong support: sum -> mixed, max -> substantiated
    ev2 = _evidence([(0, "A", 0.9, 0.05, 0.05), (0, "A", 0.3, 0.65, 0.05), (0, "A", 0.3, 0.65, 0.05)])
    ev2["similarity"] = 0.5
    kw = {"similarity_scale": 0.0, "mixed_ratio": 0.8}
    assert claim_verdicts(claims, ev2, config=_rules(aggregation="sum", **kw)).iloc[0]["verdict"] == "mixed"
    assert claim_verdicts(claims, ev2, config=_rules(aggregation="max", **kw)).iloc[0]["verdict"] == \
        "substantiated"
    with pytest.raises(ConfigError, match="aggregation"):
        VerdictConfig(aggregation="mean").validate()


def test_hollow_reason_tells_unrelated_from_undecided():
    """Related evidence that takes no clear side still gives hollow, and the reason says so."""
    claims = _claims(("A", "We never hide fees.", ["integrity"]), ("A", "Free parking for every guest.", ["customer"]))
    ev = _evidence([(0, "A", 0.42, 0.40, 0.18), (1, "A", 0.05, 0.05, 0.90)])
    # with a side threshold of 0.5 the first row is related (0.82) but takes no clear side
    out = claim_verdicts(claims, ev, config=_rules(min_stance_probability=0.5)).set_index("claim_id")
    assert list(out["verdict"]) == ["hollow", "hollow"]
    assert "1 related sentence(s), none clearly supports or contradicts" in out.loc[0, "reason"]
    assert "no evidence addresses the claim" in out.loc[1, "reason"]


def test_exclusivity_discount():
    """A negative sentence far closer to another claim of the firm does not contradict this one."""
    claims = _claims(("A", "All our bread is baked in-store every morning.", ["quality"]))
    ev = _evidence([(0, "A", 0.15, 0.75, 0.10)])
    ev["similarity"] = [0.20]
    ev["best_similarity"] = [0.60]  # the sentence is about delivery, another claim of A
    kw = {"similarity_scale": 0.0}
    on = claim_verdicts(claims, ev, config=_rules(exclusivity_scale=0.1, **kw)).iloc[0]
    off = claim_verdicts(claims, ev, config=_rules(exclusivity_scale=0.0, **kw)).iloc[0]
    # relevance 0.9 * exp(-0.4 / 0.1) = 0.016: silent; without the discount: contradicted
    assert on["verdict"] == "hollow" and off["verdict"] == "contradicted"
    # the claim's own best match keeps its full weight
    ev["best_similarity"] = [0.20]
    assert claim_verdicts(claims, ev, config=_rules(exclusivity_scale=0.1, **kw)).iloc[0]["verdict"] == \
        "contradicted"
    with pytest.raises(ConfigError, match="exclusivity_scale"):
        VerdictConfig(exclusivity_scale=-1.0).validate()


def _with_similarity(ev, sim):
    return ev.assign(similarity=sim, best_similarity=sim)


@pytest.mark.parametrize(
    "rows, p_vague, types, verdict",
    [
        ([(0.9, 0.05, 0.05), (0.85, 0.1, 0.05), (0.05, 0.05, 0.9)], 0.05, ["integrity"], "substantiated"),
        ([(0.05, 0.9, 0.05), (0.1, 0.85, 0.05), (0.05, 0.05, 0.9)], 0.05, ["integrity"], "contradicted"),
        ([(0.03, 0.02, 0.95), (0.02, 0.03, 0.95)], 0.05, ["integrity"], "hollow"),
        ([(0.03, 0.02, 0.95), (0.1, 0.1, 0.8)], 0.97, [], "unverifiable"),
    ],
)
def test_shipped_head_on_unambiguous_evidence(rows, p_vague, types, verdict):
    """The shipped verdict head (the default method) agrees with the obvious verdict on clear-cut inputs."""
    claims = pd.DataFrame([{"claim_id": 0, "org": "A", "sentence": "We never hide fees.", "claim_types": types,
                            "sentence_id": 0, "p_vague": p_vague}])
    sims = [0.6, 0.55, 0.2][: len(rows)]
    out = claim_verdicts(claims, _with_similarity(_evidence([(0, "A", *r) for r in rows]), sims)).iloc[0]
    assert VerdictConfig().method == "model"
    assert out["verdict"] == verdict, out["reason"]
    assert "verdict head p" in out["reason"] and 0.0 <= out["confidence"] <= 1.0
    assert 0.0 <= out["gap_weight"] <= 1.0
    if verdict in ("substantiated", "contradicted"):
        assert out["evidence_ids"][:2] in ([0, 1], [1, 0])


def _constant_head(verdict: str) -> VerdictModel:
    """A head whose intercept makes ``verdict`` by far the most likely class, whatever the features."""
    classes = list(VERDICTS)
    n = len(VERDICT_FEATURES)
    intercept = np.array([5.0 if c == verdict else 0.0 for c in classes])
    return VerdictModel({"mean": np.zeros(n), "scale": np.ones(n), "coef": np.zeros((len(classes), n)),
                         "intercept": intercept}, {"classes": classes})


def test_head_never_contradicts_without_a_contradicting_row():
    """'contradicted' needs a row leaning to contradiction, 'substantiated' one leaning to support."""
    claims = _claims(("A", "We never hide fees.", ["integrity"]))
    leaning_support = _evidence([(0, "A", 0.6, 0.1, 0.3)])
    out = claim_verdicts(claims, leaning_support, model=_constant_head("contradicted")).iloc[0]
    assert out["verdict"] != "contradicted"
    leaning_against = _evidence([(0, "A", 0.1, 0.6, 0.3)])
    out = claim_verdicts(claims, leaning_against, model=_constant_head("contradicted")).iloc[0]
    assert out["verdict"] == "contradicted" and out["evidence_ids"] == [0]
    assert claim_verdicts(claims, leaning_against, model=_constant_head("substantiated")).iloc[0]["verdict"] != \
        "substantiated"
    # the gap weight is the expected verdict weight under the (masked) probabilities
    assert out["gap_weight"] == pytest.approx(out["confidence"] * 1.0 + (1 - out["confidence"]) * 0.3, abs=0.05)


def test_organisation_gap_uses_gap_weight():
    """With a gap_weight column the index averages it; without, it falls back to verdict weights."""
    claims, vecs = _scored(["contradicted", "substantiated"], ["A", "A"])
    empty = pd.DataFrame(columns=["org", "claim_type", "promise_intensity", "practice_score"])
    hard = organisation_scores(claims, empty, vecs, {"A": 2}).at[0, "credibility_gap"]
    soft = organisation_scores(claims.assign(gap_weight=[0.7, 0.1]), empty, vecs, {"A": 2}).at[0, "credibility_gap"]
    assert hard == pytest.approx(1.0 / 3) and soft == pytest.approx(0.8 / 3)


def test_verdict_model_fit_save_load(tmp_path):
    """fit on user features, save without pickle, load: same probabilities; bad shapes are typed errors."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, len(VERDICT_FEATURES)))
    y = ["substantiated" if v > 0 else "contradicted" for v in x[:, 13] - x[:, 14]]
    model = VerdictModel.fit(x, y, C=1.0, version="test")
    assert set(model.classes) == {"substantiated", "contradicted"}
    model.save(str(tmp_path / "head"))
    again = VerdictModel.load(str(tmp_path / "head"))
    np.testing.assert_allclose(again.predict_proba(x), model.predict_proba(x))
    assert (np.array(model.classes)[model.predict_proba(x).argmax(1)] == np.array(y)).mean() > 0.9
    with pytest.raises(ConfigError, match="feature array"):
        VerdictModel.fit(x[:, :3], y)
    with pytest.raises(ConfigError, match="unknown verdicts"):
        VerdictModel.fit(x, ["maybe"] * len(y))
    with pytest.raises(ConfigError, match="method"):
        VerdictConfig(method="vote").validate()
    with pytest.raises(ModelNotFoundError, match="without the .npz/.json suffix"):
        VerdictModel.load(str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="'classes'"):
        VerdictModel({"mean": np.zeros(2), "scale": np.ones(2), "coef": np.zeros((2, 2)), "intercept": np.zeros(2)},
                     {"name": "no classes"})


def _direction_evidence(n: int, rng) -> pd.DataFrame:
    ps = rng.uniform(0.05, 0.6, n)
    pc = rng.uniform(0.05, 0.6, n)
    pu = 1.0 - ps - pc
    pu = np.clip(pu, 0.01, None)
    total = ps + pc + pu
    return pd.DataFrame({"p_supports": ps / total, "p_contradicts": pc / total, "p_unrelated": pu / total,
                         "similarity": rng.uniform(0.2, 0.8, n), "best_similarity": rng.uniform(0.8, 0.9, n)})


def test_direction_model_hidden_layer_learns_what_a_linear_one_cannot(tmp_path):
    """With ``hidden`` the model fits a direction that is not linear in its inputs, and round-trips exactly."""
    rng = np.random.default_rng(5)
    n, d = 600, 4
    ev = _direction_evidence(n, rng)
    u, v = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    supports = (np.abs(v[:, 0]) < 0.7).astype(int)  # a band, not a half-space
    x = direction_features(ev, u, v)
    linear = DirectionModel.fit(x, supports, np.ones(n), C=1.0)
    deep = DirectionModel.fit(x, supports, np.ones(n), hidden=16, l2=1e-3, alpha=1.0, stance="s", encoder="e")
    acc = {m: ((model.predict_supports(x) > 0.5) == supports).mean() for m, model in (("lin", linear), ("deep", deep))}
    assert acc["deep"] > 0.9 > acc["lin"] + 0.15
    assert deep.config["hidden"] == 16 and "C" not in deep.config
    deep.save(str(tmp_path / "deep"))
    again = DirectionModel.load(str(tmp_path / "deep"))
    np.testing.assert_array_equal(again.predict_supports(x), deep.predict_supports(x))
    np.testing.assert_allclose(again.apply(ev, u, v)["p_unrelated"], ev["p_unrelated"])
    with pytest.raises(ConfigError, match="do not fit"):
        DirectionModel({"mean": deep.mean, "scale": deep.scale, "coef": deep.coef, "intercept": np.array([0.0]),
                        "hidden_coef": deep.hidden_coef[:, :-1], "hidden_intercept": deep.hidden_intercept}, {})
    with pytest.raises(ConfigError, match="hidden >= 0"):
        DirectionModel.fit(x, supports, hidden=-1)

def test_direction_model_fit_apply_save_load(tmp_path):
    """The direction model learns which way rows point, keeps each row's related mass, and round-trips."""
    rng = np.random.default_rng(3)
    n, d = 400, 6
    ev = _direction_evidence(n, rng)
    u = rng.normal(size=(n, d))
    v = rng.normal(size=(n, d))
    supports = (v[:, 0] > 0).astype(int)  # the evidence embedding carries the direction; the pair model does not
    x = direction_features(ev, u, v)
    assert x.shape == (n, len(DIRECTION_FEATURES) + 2 * d)
    model = DirectionModel.fit(x, supports, np.ones(n), C=1.0, alpha=1.0, stance="s", encoder="e")
    assert ((model.predict_supports(x) > 0.5) == supports).mean() > 0.9
    out = model.apply(ev, u, v)
    np.testing.assert_allclose(out["p_supports"] + out["p_contradicts"], ev["p_supports"] + ev["p_contradicts"])
    np.testing.assert_allclose(out["p_unrelated"], ev["p_unrelated"])
    related = out["stance"] != "unrelated"
    assert ((out.loc[related, "stance"] == "supports") == (supports[related.to_numpy()] == 1)).mean() > 0.9
    half = DirectionModel({"mean": model.mean, "scale": model.scale, "coef": model.coef,
                           "intercept": np.array([model.intercept])}, {**model.config, "alpha": 0.5})
    share = half.apply(ev, u, v)["p_supports"] / (ev["p_supports"] + ev["p_contradicts"])
    expected = 0.5 * model.predict_supports(x) + 0.5 * ev["p_supports"] / (ev["p_supports"] + ev["p_contradicts"])
    np.testing.assert_allclose(share, expected)
    model.save(str(tmp_path / "direction"))
    again = DirectionModel.load(str(tmp_path / "direction"))
    np.testing.assert_allclose(again.predict_supports(x), model.predict_supports(x))
    assert again.config["stance"] == "s" and again.alpha == 1.0
    with pytest.raises(ConfigError, match="both labels"):
        DirectionModel.fit(x, np.ones(n))
    with pytest.raises(ConfigError, match="features per row"):
        model.predict_supports(x[:, :-1])
    with pytest.raises(ConfigError, match="alpha"):
        DirectionModel({"mean": model.mean, "scale": model.scale, "coef": model.coef,
                        "intercept": np.array([0.0])}, {"alpha": 2})


def test_relevance_model_reweighs_related_mass_and_direction_reads_the_pair_values(tmp_path):
    """The relevance model moves p_unrelated towards its own view, keeps each row's split, and round-trips;
    reweigh_evidence takes the direction model's inputs before that change."""
    rng = np.random.default_rng(11)
    n, d = 500, 5
    ev = _direction_evidence(n, rng)
    u, v = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    linked = (v[:, 1] > 0.3).astype(int)  # the evidence embedding says whether the row bears on the claim
    supports = (v[:, 0] > 0).astype(int)
    x = direction_features(ev, u, v)
    relevance = RelevanceModel.fit(x, linked, C=1.0, beta=0.5, stance="s", encoder="e")
    direction = DirectionModel.fit(x, supports, C=1.0, alpha=1.0, stance="s", encoder="e")
    p = relevance.predict_related(x)
    assert ((p > 0.5) == linked).mean() > 0.9
    assert relevance.name.startswith("verdict_relevance") and relevance.beta == 0.5
    out = relevance.apply(ev, u, v)
    np.testing.assert_allclose(out["p_unrelated"], 0.5 * (1 - p) + 0.5 * ev["p_unrelated"])
    np.testing.assert_allclose(out["p_supports"] + out["p_contradicts"] + out["p_unrelated"], 1.0)
    np.testing.assert_allclose(out["p_supports"] / out["p_contradicts"], ev["p_supports"] / ev["p_contradicts"])
    # linked rows gain related mass, the others lose it
    gain = (ev["p_unrelated"] - out["p_unrelated"]).to_numpy()
    assert gain[linked == 1].mean() > 0 > gain[linked == 0].mean()
    both = reweigh_evidence(ev, u, v, direction, relevance)
    np.testing.assert_allclose(both["p_unrelated"], out["p_unrelated"])
    q = direction.predict_supports(x)  # from the pair values, not from the re-weighed rows
    np.testing.assert_allclose(both["p_supports"], (1 - out["p_unrelated"]) * q)
    np.testing.assert_allclose(reweigh_evidence(ev, u, v, direction)["p_supports"],
                               direction.apply(ev, u, v)["p_supports"])
    relevance.save(str(tmp_path / "relevance"))
    again = RelevanceModel.load(str(tmp_path / "relevance"))
    np.testing.assert_array_equal(again.predict_related(x), p)
    assert again.beta == 0.5 and again.config["stance"] == "s"
    with pytest.raises(ConfigError, match="beta"):
        RelevanceModel({"mean": relevance.mean, "scale": relevance.scale, "coef": relevance.coef,
                        "intercept": np.array([relevance.intercept])}, {"beta": 1.5})
    # a row the pair model found wholly unrelated gets an even split of the related mass it gains
    ev0 = ev.iloc[:3].copy()
    ev0["p_supports"], ev0["p_contradicts"], ev0["p_unrelated"] = 0.0, 0.0, 1.0
    out0 = relevance.apply(ev0, u[:3], v[:3])
    np.testing.assert_allclose(out0["p_supports"], out0["p_contradicts"])
    np.testing.assert_allclose(out0["p_supports"] + out0["p_contradicts"] + out0["p_unrelated"], 1.0)
