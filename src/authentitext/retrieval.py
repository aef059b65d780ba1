"""Stage 4b: evidence retrieval per claim, streaming, within each organisation.

For every claim the candidates are

* the ``top_k`` practice sentences of the same organisation most similar to
  the claim (cosine of the encoder's unit vectors), and
* *value-aware* candidates: for each claim type of the claim, the
  ``value_k`` practice sentences closest to that type's prototype queries
  (``resources/models/stance_value_queries.json``, English and Dutch). A
  claim typed ``integrity`` thus also sees practice about hidden fees or
  misleading customers even when it shares no words with it.

The practice corpus is encoded and scanned in chunks of ``chunk_size``
sentences and only running top-k lists are kept, so peak memory depends on
``chunk_size`` and the number of claims, not on the size of the corpus
(``benchmarks/bench_memory.py``). Pure numpy; no pandas.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .align import top_k as _top_k
from .embed import Encoder
from .errors import ConfigError

__all__ = ["Candidates", "value_queries", "stream_candidates", "merge_top_k"]


@lru_cache(maxsize=1)
def value_queries() -> dict[str, tuple[str, ...]]:
    """The shipped prototype queries per claim type."""
    from .resources import resource

    data = json.loads(resource("models", "stance_value_queries.json").read_text(encoding="utf-8"))
    return {t: tuple(qs) for t, qs in data["types"].items()}


def merge_top_k(
    best_idx: np.ndarray, best_val: np.ndarray, idx: np.ndarray, val: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Merge two per-row top-k lists; ties go to the lower index (deterministic)."""
    all_idx = np.concatenate([best_idx, idx], axis=1)
    all_val = np.concatenate([best_val, val.astype(np.float32)], axis=1)
    order = np.lexsort((all_idx, -all_val), axis=1)[:, :k]
    return np.take_along_axis(all_idx, order, axis=1), np.take_along_axis(all_val, order, axis=1)


@dataclass
class Candidates:
    """Retrieval result for one organisation.

    Attributes:
        sim_idx, sim_val: ``(n_claims, <=top_k)`` practice positions (into the
            sequence passed in) and cosines, best first.
        value_idx, value_val: per claim type, ``(<=value_k,)`` positions and
            prototype scores.
    """

    sim_idx: np.ndarray
    sim_val: np.ndarray
    value_idx: dict[str, np.ndarray]
    value_val: dict[str, np.ndarray]


def stream_candidates(
    claim_vecs: np.ndarray,
    practice: Sequence[str] | Callable[[int, int], np.ndarray],
    n_practice: int,
    encoder: Encoder | None,
    *,
    top_k: int = 5,
    value_k: int = 3,
    types: Sequence[str] = (),
    prototypes: Mapping[str, np.ndarray] | None = None,
    chunk_size: int = 2048,
) -> Candidates:
    """Scan a practice corpus in chunks and keep the candidates.

    Args:
        claim_vecs: ``(q, d)`` unit vectors of the claims.
        practice: The practice sentences (encoded chunk by chunk with
            ``encoder``), or a function ``(start, stop) -> (m, d)`` returning
            their vectors (e.g. a memory-mapped array).
        n_practice: Number of practice sentences.
        encoder: Used when ``practice`` holds texts.
        top_k: Nearest sentences per claim.
        value_k: Sentences per claim type from the prototype queries.
        types: Claim types whose prototypes to scan.
        prototypes: Per type, ``(m_t, d)`` unit vectors of its prototype queries.
        chunk_size: Sentences encoded and compared per step.

    Returns:
        A :class:`Candidates`.
    """
    if chunk_size < 1:
        raise ConfigError(f"The 'chunk_size' parameter must be a positive int. Got {chunk_size!r}.")
    q = claim_vecs.shape[0]
    prototypes = prototypes or {}
    types = [t for t in types if t in prototypes and len(prototypes[t])]
    best_idx = np.zeros((q, 0), dtype=np.int64)
    best_val = np.zeros((q, 0), dtype=np.float32)
    t_idx = {t: np.zeros((1, 0), dtype=np.int64) for t in types}
    t_val = {t: np.zeros((1, 0), dtype=np.float32) for t in types}
    for start in range(0, n_practice, chunk_size):
        stop = min(n_practice, start + chunk_size)
        if callable(practice):
            block = np.asarray(practice(start, stop), dtype=np.float32)
        else:
            if encoder is None:
                raise ConfigError("stream_candidates() needs an encoder when 'practice' holds texts.")
            block = encoder.encode(list(practice[start:stop]))
        if q:
            idx, val = _top_k(claim_vecs, block, top_k)
            best_idx, best_val = merge_top_k(best_idx, best_val, idx + start, val, top_k)
        for t in types:
            score = (prototypes[t] @ block.T).max(axis=0, keepdims=True)
            kk = min(value_k, score.shape[1])
            part = np.argpartition(-score, kk - 1, axis=1)[:, :kk]
            t_idx[t], t_val[t] = merge_top_k(
                t_idx[t], t_val[t], part + start, np.take_along_axis(score, part, axis=1), value_k
            )
        del block
    return Candidates(
        sim_idx=best_idx, sim_val=best_val,
        value_idx={t: v[0] for t, v in t_idx.items()}, value_val={t: v[0] for t, v in t_val.items()},
    )
