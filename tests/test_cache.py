"""Embedding cache: hits/misses as counters, identical vectors, persistence, errors."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from authentitext.cache import CachedEncoder, EmbeddingCache
from authentitext.errors import ConfigError, InputTypeError


class CountingEncoder:
    """Wraps an encoder and counts the texts it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.seen = 0

    def encode(self, texts):
        self.seen += len(texts)
        return self.inner.encode(texts)


def test_miss_then_hit_returns_same_vectors(tmp_path, fake_encoder):
    """A second pass over the same texts is served from the cache without calling the model."""
    counting = CountingEncoder(fake_encoder)
    enc = CachedEncoder(counting, EmbeddingCache(tmp_path / "c.sqlite"))
    texts = ["Honesty first.", "We never lie.", "Honesty first.", "Open late."]
    first = enc.encode(texts)
    assert enc.stats == {"hits": 0, "misses": 3, "encoder_calls": 1}
    assert counting.seen == 3  # duplicates are embedded once
    second = enc.encode(texts)
    assert enc.stats["hits"] == 3 and enc.stats["misses"] == 3
    assert counting.seen == 3  # the model was not called again
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, fake_encoder.encode(texts))
    assert first.dtype == np.float32 and first.shape == (4, fake_encoder.dim)


def test_cache_persists_across_instances_and_is_keyed_by_model(tmp_path, fake_encoder):
    """A new process (new cache object) hits; another model name misses."""
    path = tmp_path / "c.sqlite"
    CachedEncoder(fake_encoder, path).encode(["a claim", "another claim"])
    again = CachedEncoder(fake_encoder, EmbeddingCache(path))
    again.encode(["a claim", "new text"])
    assert (again.stats["hits"], again.stats["misses"]) == (1, 1)

    class Other(CountingEncoder):
        pass

    other = Other(fake_encoder)
    other.name = "another-model"
    third = CachedEncoder(other, path)
    third.encode(["a claim"])
    assert third.stats["misses"] == 1
    assert EmbeddingCache(path).count(fake_encoder.name) == 3
    assert EmbeddingCache(path).count() == 4


def test_partial_progress_is_committed_per_batch(tmp_path, fake_encoder):
    """Misses are committed batch by batch, so a crash keeps the finished batches."""

    class Crashing(CountingEncoder):
        def encode(self, texts):
            if self.seen >= 4:
                raise RuntimeError("killed")
            return super().encode(texts)

    path = tmp_path / "c.sqlite"
    enc = CachedEncoder(Crashing(fake_encoder), path, batch_size=2)
    with pytest.raises(RuntimeError):
        enc.encode([f"text {i}" for i in range(10)])
    assert EmbeddingCache(path).count() == 4


def test_progress_callback_and_pickling(tmp_path, fake_encoder):
    """The progress callback sees every text; the wrapper survives pickling (Dask workers)."""
    done = []
    enc = CachedEncoder(fake_encoder, tmp_path / "c.sqlite", batch_size=2, progress=done.append)
    enc.encode(["a", "b", "c"])
    enc.encode(["a", "d"])
    assert sum(done) == 5
    clone = pickle.loads(pickle.dumps(enc.cache))
    assert clone.count() == 4


def test_errors_name_the_parameter(tmp_path, fake_encoder):
    """Bad arguments raise typed errors that name the parameter."""
    enc = CachedEncoder(fake_encoder, tmp_path / "c.sqlite")
    with pytest.raises(InputTypeError, match="'texts'"):
        enc.encode("one string")
    with pytest.raises(InputTypeError, match="position 1"):
        enc.encode(["ok", 3])
    with pytest.raises(ConfigError, match="'encoder'"):
        CachedEncoder(object(), tmp_path / "c.sqlite")
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(ConfigError, match="cannot be opened"):
        CachedEncoder(fake_encoder, bad).encode(["x"])


class _WithTokens:
    name = "with-tokens"

    def encode(self, texts):
        return np.ones((len(texts), 4), dtype=np.float32) / 2

    def token_vectors(self, texts, max_tokens=48):
        return [np.full((min(len(t.split()), max_tokens), 4), 0.5, dtype=np.float32) for t in texts]


def test_token_vectors_pass_through_the_cache_wrapper(tmp_path, fake_encoder):
    """The stance model's interaction head reaches the wrapped encoder's token vectors through the cache."""
    cached = CachedEncoder(_WithTokens(), tmp_path / "c.sqlite")
    got = cached.token_vectors(["one two three", "four"], max_tokens=2)
    assert [g.shape for g in got] == [(2, 4), (1, 4)]
    with pytest.raises(ConfigError, match="token vectors"):
        CachedEncoder(fake_encoder, tmp_path / "d.sqlite").token_vectors(["x"])
