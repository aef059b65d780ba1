"""The custom claim components (registered in :mod:`.factories`).

* :class:`ClaimModelScorer` (``authentitext_claim_model``) scores every
  sentence with the learned :class:`~authentitext.claim_model.ClaimModel`.
* :class:`ClaimQualifier` (``authentitext_qualifiers``) reads the rule spans,
  the qualifier cues, the flags and the model scores, sets the qualifiers and
  decides whether each sentence is a claim.

Only spaCy and numpy are imported here at module level; scikit-learn (through
:mod:`authentitext.claim_model`) loads when a model is first used.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import CLAIMS_KEY, CUES_KEY, FLAGS_KEY
from .extensions import register

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

__all__ = ["ClaimModelScorer", "ClaimQualifier", "SENTENCES_KEY", "MODEL_RULE_ID"]

#: Span group with one span per sentence, carrying the sentence-level values.
SENTENCES_KEY = "claim_sentences"
#: ``span.id_`` of claim spans added by the model (no rule matched).
MODEL_RULE_ID = "model"


def _sentence_group(doc: Doc) -> list[Span]:
    if SENTENCES_KEY not in doc.spans or len(doc.spans[SENTENCES_KEY]) == 0:
        doc.spans[SENTENCES_KEY] = list(doc.sents)
    return list(doc.spans[SENTENCES_KEY])


class ClaimModelScorer:
    """Score sentences with the learned claim model.

    Config:
        model: ``"default"`` (shipped ``claims_v7``), a directory written by
            :meth:`ClaimModel.save`, or ``"none"`` to switch the model off.
        batch_size: Sentences encoded together in :meth:`pipe`.

    Reads ``doc.sents``. Writes ``doc.spans["claim_sentences"]`` (one span per
    sentence) with ``span._.claim_score`` and ``span._.type_scores``.
    """

    def __init__(self, nlp: Language, name: str, *, model: str = "default", batch_size: int = 256) -> None:
        register()
        self.name = name
        self.model_spec = model
        self.batch_size = batch_size
        self._model: Any = None
        self._source: Path | None = None

    @property
    def enabled(self) -> bool:
        """Whether a model is configured."""
        return str(self.model_spec).lower() != "none"

    def _get_model(self) -> Any:
        if self._model is None and self.enabled:
            from ..claim_model import ClaimModel, default_model_path

            path = self._source or (default_model_path() if self.model_spec == "default" else Path(self.model_spec))
            self._source = Path(path)
            self._model = ClaimModel.load(path)
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        """Score one doc."""
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Score docs, encoding the sentences of a batch together."""
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if sum(len(list(d.sents)) for d in batch) >= (batch_size or self.batch_size):
                yield from self._score(batch)
                batch = []
        if batch:
            yield from self._score(batch)

    def _score(self, docs: list[Doc]) -> list[Doc]:
        groups = [_sentence_group(doc) for doc in docs]
        model = self._get_model()
        if model is None:
            return docs
        texts = [s.text.strip() or s.text for g in groups for s in g]
        probs, type_probs, names = model.score(texts)
        k = 0
        for group in groups:
            for sent in group:
                sent._.claim_score = round(float(probs[k]), 4)
                if type_probs is not None:
                    sent._.type_scores = {n: round(float(v), 4) for n, v in zip(names, type_probs[k], strict=True)}
                k += 1
        return docs

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Copy the model files into the pipeline directory."""
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        if self._get_model() is not None and self._source is not None:
            target = out / "model"
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(self._source, target)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ClaimModelScorer:
        """Load the model files saved by :meth:`to_disk`."""
        src = Path(path) / "model"
        if self.enabled and src.is_dir():
            self._source = src
            self._model = None
        return self


# ---------------------------------------------------------------------------- qualifiers
_QUOTE = re.compile(r"[\"“”„«»]|(^|\s)'[^']+'")
_WHY = {"why", "waarom", "who", "wie", "where", "waar", "what", "wat", "isn't", "aren't", "wouldn't", "zou"}
_THAN = {"than", "dan", "as", "als"}


def _after_comparison(cue: Span) -> bool:
    """Is an "other" cue the object of a comparison ("cheaper than other banks", "dan andere")?

    Such a sentence is a comparative claim about the speaker, not a statement about others.
    """
    doc = cue.doc
    try:
        first = cue.sent.start
    except ValueError:  # no sentence boundaries set
        first = 0
    return any(doc[i].lower_ in _THAN for i in range(max(first, cue.start - 3), cue.start))


class ClaimQualifier:
    """Set the qualifiers of each sentence and decide whether it is a claim.

    Config:
        threshold: Model probability at or above which a sentence is a claim
            without any rule. The defaults (0.35, 0.25, type 0.6, veto 0.8)
            were chosen on ``data/claims/train_v3.jsonl`` (written
            independently of the other training files, EN and NL not
            translations) with heads fit on the other training files
            (``scripts/dev_claims.py``); the held-out test files were not read.
        rule_threshold: Model probability at or above which a rule match is
            accepted as a claim (with the model off, every rule match counts).
        type_threshold: Model type probability at or above which a type is added.
            The model adds ``sustainability`` (also as the fallback type) only
            when the sentence has an environmental topic word (``env_topic``
            cue); rules add it without one.
        negation_window: Tokens between a negation cue and a following claim
            span for the claim to count as negated.
        negation_override: Model probability at or above which a negation cue
            does not veto the claim ("honesty isn't a policy, it's who we are").
        rule_type_min: A rule's type is dropped when the model gives it less
            than this probability (and another rule type remains).
        veto_override: Model probability at or above which a question without a
            rhetorical cue, or a sentence about others, is still a claim
            ("Would we really sell you a toy that breaks by Boxing Day?").
            A ``job_ad`` cue (recruitment line, job-ad duty) vetoes the claim
            whatever the model says.

    Reads ``doc.spans["claims"]`` (rules), ``doc.spans["claim_cues"]``,
    ``doc.spans["claim_flags"]`` and ``span._.claim_score`` / ``type_scores``.
    Writes the qualifier extensions (see :mod:`.extensions`) on every sentence
    span in ``doc.spans["claim_sentences"]`` and every claim span; adds a
    sentence-wide claim span (``id_ = "model"``) for model-only claims.
    """

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        threshold: float = 0.35,
        rule_threshold: float = 0.25,
        type_threshold: float = 0.6,
        negation_window: int = 5,
        negation_override: float = 0.9,
        rule_type_min: float = 0.1,
        veto_override: float = 0.8,
    ) -> None:
        register()
        self.name = name
        self.threshold = threshold
        self.rule_threshold = rule_threshold
        self.type_threshold = type_threshold
        self.negation_window = negation_window
        self.negation_override = negation_override
        self.rule_type_min = rule_type_min
        self.veto_override = veto_override

    def __call__(self, doc: Doc) -> Doc:
        """Qualify and decide every sentence of ``doc``."""
        claims = list(doc.spans[CLAIMS_KEY]) if CLAIMS_KEY in doc.spans else []
        cues = list(doc.spans[CUES_KEY]) if CUES_KEY in doc.spans else []
        flags = list(doc.spans[FLAGS_KEY]) if FLAGS_KEY in doc.spans else []
        model_spans = []
        for sent in _sentence_group(doc):
            inside = [s for s in claims if s.start >= sent.start and s.end <= sent.end]
            values = self._decide(sent, inside, [c for c in cues if sent.start <= c.start and c.end <= sent.end],
                                  [f for f in flags if sent.start <= f.start and f.end <= sent.end])
            if values["is_claim"] and not inside:
                for label in values["claim_types"] or ["claim"]:
                    model_spans.append(doc.char_span(sent.start_char, sent.end_char, label=label,
                                                     alignment_mode="expand", span_id=MODEL_RULE_ID))
            for span in [sent, *inside]:
                for key, value in values.items():
                    setattr(span._, key, list(value) if isinstance(value, list) else value)
        if model_spans:
            # same character offsets as the sentence span, so they share its extension values
            group = list(doc.spans[CLAIMS_KEY]) if CLAIMS_KEY in doc.spans else []
            doc.spans[CLAIMS_KEY] = group + [s for s in model_spans if s is not None]
        return doc

    # The decision is kept in one function so that it can be read top to bottom.
    def _decide(self, sent: Span, rule_spans: list[Span], cues: list[Span], flags: list[Span]) -> dict[str, Any]:
        by = {}
        for c in cues:
            by.setdefault(c.label_, []).append(c)
        text = sent.text.strip()
        lower = text.lower()
        p = sent._.claim_score
        type_scores = sent._.type_scores or {}
        reasons: list[str] = []

        rule_types = sorted({s.label_ for s in rule_spans})
        rule_ids = sorted({s.id_ for s in rule_spans if s.id_})
        # the type head never saw untyped text: without an environmental topic word ("env_topic" cue)
        # it may not add "sustainability" on its own ("Revenue grew by 12%" in a sustainability report)
        env_topic = bool(by.get("env_topic"))
        model_may = {t: v for t, v in type_scores.items() if t != "sustainability" or env_topic}
        model_types = sorted(t for t, v in model_may.items() if v >= self.type_threshold)
        withheld = not env_topic and type_scores.get("sustainability", 0.0) >= self.type_threshold

        question = lower.rstrip("\"'”’) ").endswith("?")
        first = sent[0].lower_ if len(sent) else ""
        rhetorical = question and (bool(by.get("rhetorical")) or (first in _WHY and bool(rule_spans)))
        reported = bool(by.get("reported")) or bool(_QUOTE.search(text))
        negated = self._negated(rule_spans, by.get("negation", []))
        others = [o for o in by.get("other", []) if not _after_comparison(o)]
        # "our rivals" / "onze concurrenten": the possessive is not the speaker's subject
        selfs = [s for s in by.get("self", []) if not any(o.start == s.end for o in by.get("other", []))]
        self_cue, other_cue = bool(selfs), bool(others)
        about_other = other_cue and not self_cue

        if p is None:  # rules only
            candidate = bool(rule_spans)
            if candidate:
                reasons.append("rules:" + ",".join(rule_ids))
        else:
            candidate = p >= self.threshold or (bool(rule_spans) and p >= self.rule_threshold)
            if rule_spans:
                reasons.append("rules:" + ",".join(rule_ids))
            reasons.append(f"model:p={p:.2f}")
        is_claim = candidate
        if candidate and negated and (p is None or p < self.negation_override):
            is_claim = False
            reasons.append("veto:negated")
        if candidate and question and not rhetorical and (p is None or p < self.veto_override):
            is_claim = False
            reasons.append("veto:question")
        if candidate and about_other and (p is None or p < self.veto_override):
            is_claim = False
            reasons.append("veto:about_others")
        if is_claim and by.get("job_ad"):
            # recruitment lines and job-ad duties ("Wij zoeken een...", "Taken: je...") are never claims
            is_claim = False
            reasons.append("veto:job_ad")
        if question and rhetorical and candidate:
            reasons.append("rhetorical_question")
        if is_claim and about_other:
            # the model overrode the about-others veto: the claim is read as the speaker's own
            about_other = False
            reasons.append("override:about_others")

        # rule types the model finds very unlikely are dropped; model types are added
        kept = [t for t in rule_types if type_scores.get(t, 1.0) >= self.rule_type_min]
        would_be = negated or about_other or reported  # non-claims that keep their type
        types: list[str] = []
        if is_claim or (would_be and rule_types):
            types = sorted(set(kept or rule_types) | set(model_types))
            if not types and is_claim and model_may:
                types = [max(model_may, key=model_may.__getitem__)]
        has_types = bool(types)
        if has_types and withheld and "sustainability" not in types:
            reasons.append("withheld:sustainability(no environmental topic word)")

        specific = has_types and bool(by.get("specific") or by.get("scope"))
        substantiated = bool(by.get("specific"))
        flag_ids: list[str] = []
        generic_env = offset_neutral = False
        for f in flags:
            if f.label_ == "generic_env":
                if substantiated:
                    continue
                generic_env = True
            if f.label_ == "offset_neutral":
                offset_neutral = True
            if f.id_ not in flag_ids:
                flag_ids.append(f.id_)
        if not has_types:
            flag_ids, generic_env, offset_neutral = [], False, False
        values = {
            "is_claim": bool(is_claim),
            "claim_types": types,
            "negated": bool(negated and has_types),
            "hedged": bool(has_types and by.get("hedge")),
            "reported": reported,
            "question": question,
            "rhetorical": bool(rhetorical),
            "about_self": bool(has_types and not about_other),
            "specific": bool(specific),
            "objectified": bool(has_types and by.get("objectified")),
            "generic_env": bool(generic_env),
            "offset_neutral": bool(offset_neutral),
            "flags": sorted(flag_ids),
            "reasons": reasons,
        }
        return values

    def _negated(self, rule_spans: list[Span], negations: list[Span]) -> bool:
        if not negations:
            return False
        for neg in negations:
            if any(s.start <= neg.start and neg.end <= s.end for s in rule_spans):
                continue  # negation inside the claim itself ("no hidden costs")
            if neg.label_ == "negation" and len(neg) > 1:  # a denial: "never claim", "beweren niet"
                return True
            sent = neg.sent
            for s in rule_spans:
                if neg.end <= s.start and s.start - neg.end <= self.negation_window:
                    return True  # "we are not the cheapest", "wij zijn niet de goedkoopste"
                after = [t for t in sent[neg.end - sent.start:] if not t.is_punct]
                if neg.start >= s.end and not after and neg.start - s.end <= self.negation_window:
                    return True  # clause-final: "de goedkoopste zijn we niet"
        return False

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Nothing to save beyond the config (kept for the spaCy protocol)."""
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ClaimQualifier:
        """Nothing to load beyond the config."""
        return self
