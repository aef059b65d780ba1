"""TransformerClaimClassifier: fit / predict / save / load with a tiny BERT the test builds itself."""

from __future__ import annotations

import numpy as np
import pytest

from authentitext.errors import ConfigError, InputError, InputTypeError, ModelNotFoundError, NotFittedError
from authentitext.finetune import TransformerClaimClassifier

WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "we", "are", "the", "cheapest", "greenest", "best",
         "shop", "open", "at", "nine", "closed", "on", "sunday", "."]
CLAIMS = ["we are the cheapest shop .", "we are the greenest shop .", "the best shop .", "we are the best ."]
OTHER = ["open at nine .", "closed on sunday .", "we are open at nine .", "closed at nine on sunday ."]


@pytest.fixture()
def tiny_base(tmp_path):
    torch = pytest.importorskip("torch")
    from transformers import BertConfig, BertModel, BertTokenizer

    base = tmp_path / "base"
    base.mkdir()
    BertTokenizer(vocab={w: i for i, w in enumerate(WORDS)}).save_pretrained(base)
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=len(WORDS), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=32, max_position_embeddings=32, initializer_range=0.3)
    BertModel(cfg).save_pretrained(base)
    return base


def test_fit_learns_separable_toy_task_and_round_trips(tiny_base, tmp_path):
    """A tiny encoder fine-tuned on a separable toy task ranks every claim above every non-claim."""
    X, y = CLAIMS * 4 + OTHER * 4, [1] * 16 + [0] * 16
    clf = TransformerClaimClassifier(str(tiny_base), epochs=25, learning_rate=5e-3, batch_size=8, seed=0)
    clf.fit(X, y)
    p = clf.predict_proba(CLAIMS + OTHER)
    assert p.shape == (8, 2)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-6)
    assert p[:4, 1].min() > p[4:, 1].max()
    assert clf.history_[-1] < clf.history_[0]
    assert clf.predict(CLAIMS + OTHER).tolist() == [1] * 4 + [0] * 4

    out = clf.save(tmp_path / "saved")
    again = TransformerClaimClassifier.load(out)
    np.testing.assert_allclose(again.predict_proba(CLAIMS + OTHER), p, atol=1e-5)
    assert again.get_params()["epochs"] == 25


def test_fit_is_deterministic_for_a_seed(tiny_base):
    """Same seed, same data: the same probabilities."""
    X, y = CLAIMS + OTHER, [1] * 4 + [0] * 4
    a = TransformerClaimClassifier(str(tiny_base), epochs=2, seed=3).fit(X, y).predict_proba(X)
    b = TransformerClaimClassifier(str(tiny_base), epochs=2, seed=3).fit(X, y).predict_proba(X)
    np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"epochs": 0}, "epochs"), ({"batch_size": 1.5}, "batch_size"), ({"learning_rate": 0}, "learning_rate"),
     ({"class_weight": "auto"}, "class_weight"), ({"threshold": 1.0}, "threshold")],
)
def test_bad_parameters_name_the_field(params, field):
    with pytest.raises(ConfigError, match=field):
        TransformerClaimClassifier(**params).fit(["a"], [1])


def test_bad_inputs_are_typed_errors(tiny_base, tmp_path):
    clf = TransformerClaimClassifier(str(tiny_base), epochs=1)
    with pytest.raises(InputTypeError, match="'X'"):
        clf.fit("we are the cheapest", [1])
    with pytest.raises(InputError, match="one class"):
        clf.fit(CLAIMS, [1, 1, 1, 1])
    with pytest.raises(InputError, match="binary"):
        clf.fit(CLAIMS, [["price"]] * 4)
    with pytest.raises(NotFittedError, match="fit"):
        clf.predict(CLAIMS)
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        TransformerClaimClassifier(str(tmp_path / "nowhere"), epochs=1).fit(CLAIMS + OTHER, [1] * 4 + [0] * 4)
    with pytest.raises(ModelNotFoundError, match="authentitext.json"):
        TransformerClaimClassifier.load(tmp_path)
