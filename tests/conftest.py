"""Shared fixtures.

``fake_encoder`` is a deterministic stand-in for a real model (hashing of word
unigrams into 64 dimensions): similar wording → similar vectors, no weights.
Tests that need the real offline models are marked ``@pytest.mark.model``; CI
runs them too (they only need the installed packages, never the network).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import pytest


class FakeEncoder:
    """Bag-of-hashed-words encoder: float32, unit norm, deterministic."""

    name = "fake-hash-64"
    dim = 64

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int(hashlib.md5(word.encode()).hexdigest(), 16)
                out[i, h % self.dim] += 1.0 if (h >> 8) % 2 else -1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else np.eye(self.dim, dtype=np.float32)[0]
        return out


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()
