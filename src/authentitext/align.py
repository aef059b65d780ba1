"""Stage 4: evidence retrieval by embedding similarity, in bounded memory.

Pure numpy; no I/O and no pandas. The corpus is scanned in chunks so that the
similarity matrix never holds more than ``n_queries × chunk_size`` values,
whatever the size of the practice corpus.
"""

from __future__ import annotations

import numpy as np

from .errors import ConfigError

__all__ = ["top_k"]


def top_k(
    queries: np.ndarray,
    corpus: np.ndarray,
    k: int = 5,
    *,
    chunk_size: int = 8192,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` most similar corpus rows for each query (cosine on unit vectors).

    Args:
        queries: ``(q, d)`` unit-norm float32 array.
        corpus: ``(n, d)`` unit-norm float32 array.
        k: How many neighbours per query (capped at ``n``).
        chunk_size: Corpus rows compared per step (memory bound).

    Returns:
        ``(indices, scores)``, both ``(q, min(k, n))``, best first; ties are
        broken by the lower corpus index so results are deterministic.

    Raises:
        ConfigError: ``k`` or ``chunk_size`` is not a positive int, or the
            dimensions differ.
    """
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise ConfigError(f"The 'k' parameter of top_k must be a positive int. Got {k!r} instead.")
    if not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ConfigError(f"The 'chunk_size' parameter of top_k must be a positive int. Got {chunk_size!r}.")
    q, n = queries.shape[0], corpus.shape[0]
    kk = min(int(k), n)
    if q == 0 or n == 0:
        return np.zeros((q, kk), dtype=np.int64), np.zeros((q, kk), dtype=np.float32)
    if queries.shape[1] != corpus.shape[1]:
        raise ConfigError(
            f"Query and corpus embeddings differ in dimension ({queries.shape[1]} vs {corpus.shape[1]}): "
            "encode both with the same encoder."
        )
    best_idx = np.zeros((q, 0), dtype=np.int64)
    best_val = np.zeros((q, 0), dtype=np.float32)
    for start in range(0, n, chunk_size):
        block = corpus[start : start + chunk_size]
        sims = queries @ block.T
        take = min(kk, block.shape[0])
        part = np.argpartition(-sims, take - 1, axis=1)[:, :take]
        vals = np.take_along_axis(sims, part, axis=1)
        best_idx = np.concatenate([best_idx, part + start], axis=1)
        best_val = np.concatenate([best_val, vals.astype(np.float32)], axis=1)
        # keep the best kk so far, ordered by (-score, index)
        order = np.lexsort((best_idx, -best_val), axis=1)[:, :kk]
        best_idx = np.take_along_axis(best_idx, order, axis=1)
        best_val = np.take_along_axis(best_val, order, axis=1)
    return best_idx, best_val
