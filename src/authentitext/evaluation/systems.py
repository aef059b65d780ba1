"""Adapters that present authentitext's own models as benchmark *systems*.

A system has ``predict(X)``, optionally ``predict_proba(X)`` with
``classes_``, and optionally ``fit(X, y)``; ``describe()`` gives its id for the
run record. Each adapter resolves the project's model code at run time, so
the harness keeps working while those models change.

* Claims: :class:`ClaimModelSystem` wraps
  ``authentitext.claim_model.ClaimClassifier`` when the package has it (the
  shipped model zero-shot; a fresh one fit on ``--train``); otherwise
  :class:`RuleClaimSystem` (``extract_claims``: a text is a claim when any of
  its sentences is), which cannot be trained.
* Stance: :class:`StanceSystem` wraps :func:`authentitext.stance.classify_stance`
  (zero-shot, shipped model). With ``--train`` it fits a multinomial logistic
  regression head over the shipped model's own pair features
  (:func:`authentitext.stance.pair_features`: embedding blocks + lexical cues),
  since the shipped model has no ``fit``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError, NotFittedError

__all__ = ["ClaimModelSystem", "RuleClaimSystem", "StanceSystem", "claim_system", "has_claim_model"]


def has_claim_model() -> bool:
    """Whether ``authentitext.claim_model.ClaimClassifier`` is importable."""
    try:
        module = importlib.import_module("authentitext.claim_model")
    except ImportError:
        return False
    return hasattr(module, "ClaimClassifier")


class RuleClaimSystem:
    """``extract_claims`` as a binary classifier: claim when any sentence of the text is a claim.

    Args:
        positive, negative: Output labels.
        lang: Language of every text (``None``: detect per text).
    """

    name = "authentitext rules"

    def __init__(self, *, positive: str = "claim", negative: str = "not_claim", lang: str | None = None) -> None:
        self.positive, self.negative, self.lang = positive, negative, lang
        self.classes_ = (positive, negative)
        self.trainable = False

    def _flags(self, X: Sequence[str]) -> np.ndarray:
        from ..claims import extract_claims

        frame = extract_claims(list(X), lang=self.lang)
        hit = frame.groupby("text_id")["is_claim"].any()
        return np.array([bool(hit.get(i, False)) for i in range(len(X))])

    def predict(self, X: Sequence[str]) -> list[str]:
        """``positive`` for texts with at least one claim sentence."""
        return [self.positive if f else self.negative for f in self._flags(X)]

    def describe(self) -> dict[str, Any]:
        """Model id for the run record."""
        from ..rules import list_packs

        try:
            packs = list_packs()
        except Exception:  # pragma: no cover - rule module changing under us
            packs = []
        return {"class": type(self).__name__, "function": "authentitext.extract_claims",
                "lang": self.lang, "rule_packs": list(packs)}


class ClaimModelSystem:
    """``authentitext.claim_model.ClaimClassifier`` behind the system contract.

    Zero-shot (no ``fit`` call) uses the shipped model; ``fit`` trains a fresh
    estimator on the given texts with binary targets (``positive`` → 1).
    """

    name = "authentitext claim model"

    def __init__(self, *, positive: str = "claim", negative: str = "not_claim", lang: str | None = None) -> None:
        self.positive, self.negative, self.lang = positive, negative, lang
        self.classes_ = (positive, negative)
        self.trainable = True
        self._model: Any = None
        self.protocol = "zero-shot"

    def _module(self) -> Any:
        return importlib.import_module("authentitext.claim_model")

    def _shipped(self) -> Any:
        cls = self._module().ClaimClassifier
        for loader in ("load", "load_default", "default", "shipped"):
            if hasattr(cls, loader):
                return getattr(cls, loader)()
        return cls()

    def fit(self, X: Sequence[str], y: Sequence[str]) -> ClaimModelSystem:
        """Fit a fresh ClaimClassifier on binary targets."""
        cls = self._module().ClaimClassifier
        model = cls()
        model.fit(list(X), [1 if v == self.positive else 0 for v in y])
        self._model = model
        self.protocol = "fit on train"
        return self

    @property
    def model(self) -> Any:
        """The wrapped estimator (shipped one unless fitted)."""
        if self._model is None:
            self._model = self._shipped()
        return self._model

    def _positive_proba(self, X: Sequence[str]) -> np.ndarray | None:
        if not hasattr(self.model, "predict_proba"):
            return None
        proba = np.asarray(self.model.predict_proba(list(X)), dtype=float)
        if proba.ndim == 1:
            return proba
        classes = list(getattr(self.model, "classes_", [0, 1]))
        for cand in (1, True, "1", self.positive):
            if cand in classes:
                return proba[:, classes.index(cand)]
        return proba[:, -1]

    def predict(self, X: Sequence[str]) -> list[str]:
        """Labels from the estimator's ``predict`` (truthy / 1 → positive)."""
        raw = self.model.predict(list(X))
        return [self.positive if (v in (1, True, "1", self.positive)) else self.negative for v in raw]

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """``[p(positive), 1 - p]`` per text."""
        p = self._positive_proba(X)
        if p is None:
            raise NotFittedError("The claim model has no predict_proba.")
        return np.column_stack([p, 1.0 - p])

    def describe(self) -> dict[str, Any]:
        """Model id for the run record."""
        m = self.model
        out: dict[str, Any] = {"class": f"{type(m).__module__}.{type(m).__name__}", "protocol": self.protocol}
        for attr in ("name", "version", "model_id", "encoder", "encoder_name_"):
            v = getattr(m, attr, None)
            if isinstance(v, (str, int, float)):
                out[attr] = v
        if hasattr(m, "get_params"):
            try:
                out["params"] = {k: v for k, v in m.get_params(deep=False).items()
                                 if isinstance(v, (str, int, float, bool, type(None)))}
            except Exception:  # pragma: no cover - third-party estimator quirks
                pass
        return out


def claim_system(*, positive: str, negative: str, lang: str | None) -> Any:
    """The best available claims system: the claim model when present, else the rules."""
    if has_claim_model():
        return ClaimModelSystem(positive=positive, negative=negative, lang=lang)
    return RuleClaimSystem(positive=positive, negative=negative, lang=lang)


class StanceSystem:
    """The shipped stance model (zero-shot) or a head fit over its pair features (``fit``).

    ``X`` holds ``(claim, evidence)`` pairs.

    Args:
        backend: Stance backend spec for zero-shot (see ``get_stance_backend``).
        C: Inverse regularisation of the trained head.
    """

    name = "authentitext stance"

    def __init__(self, *, backend: str | None = None, C: float = 1.0, seed: int = 0) -> None:
        self.backend, self.C, self.seed = backend, C, seed
        self.classes_ = ("supports", "contradicts", "unrelated")
        self.trainable = True
        self._head: Any = None
        self._scaler: Any = None

    def _stance(self) -> Any:
        return importlib.import_module("authentitext.stance")

    def _blocks(self) -> tuple[str, ...]:
        backend = self._stance().get_stance_backend(self.backend)
        return tuple(getattr(backend, "blocks", ("u", "v", "absdiff", "prod")))

    def _encoder(self) -> Any:
        backend = self._stance().get_stance_backend(self.backend)
        enc = getattr(backend, "encoder", None)
        if enc is None:
            from ..embed import get_encoder

            enc = get_encoder()
        return enc

    def _features(self, X: Sequence[tuple[str, str]]) -> np.ndarray:
        claims, evidence = [c for c, _ in X], [e for _, e in X]
        return self._stance().pair_features(claims, evidence, self._encoder(), blocks=self._blocks())

    def fit(self, X: Sequence[tuple[str, str]], y: Sequence[str]) -> StanceSystem:
        """Fit a standardised multinomial logistic regression head on the pair features."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        feats = self._features(X)
        self._scaler = StandardScaler().fit(feats)
        self._head = LogisticRegression(C=self.C, max_iter=3000, class_weight="balanced",
                                        random_state=self.seed).fit(self._scaler.transform(feats), list(y))
        return self

    def predict_proba(self, X: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities in ``(supports, contradicts, unrelated)`` order."""
        if self._head is None:
            frame = self._stance().classify_stance([c for c, _ in X], [e for _, e in X], backend=self.backend)
            return frame[["p_supports", "p_contradicts", "p_unrelated"]].to_numpy(dtype=float)
        raw = self._head.predict_proba(self._scaler.transform(self._features(X)))
        out = np.zeros((len(X), 3))
        for j, c in enumerate(self._head.classes_):
            if c not in self.classes_:
                raise ConfigError(f"unexpected stance label {c!r} in training data")
            out[:, self.classes_.index(c)] = raw[:, j]
        return out

    def predict(self, X: Sequence[tuple[str, str]]) -> list[str]:
        """Most probable stance per pair."""
        return [self.classes_[i] for i in np.argmax(self.predict_proba(X), axis=1)]

    def describe(self) -> dict[str, Any]:
        """Model id for the run record."""
        backend = self._stance().get_stance_backend(self.backend)
        out: dict[str, Any] = {"backend": str(getattr(backend, "name", type(backend).__name__)),
                               "class": type(backend).__name__}
        cfg = getattr(backend, "config", None)
        if isinstance(cfg, dict):
            out["backend_version"] = cfg.get("version")
            out["encoder"] = cfg.get("encoder")
        if self._head is not None:
            out["trained_head"] = {"class": "LogisticRegression", "C": self.C, "class_weight": "balanced",
                                   "features": "authentitext.stance.pair_features", "blocks": list(self._blocks())}
        return out
