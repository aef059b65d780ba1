"""Every spaCy factory of authentitext, registered in one place.

This module is the target of the ``spacy_factories`` entry points, so that
``spacy.load()`` of a saved authentitext pipeline works without importing
authentitext first. It imports only spaCy and the component modules; never
torch, scikit-learn or pandas.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language

from .components import ClaimModelScorer, ClaimQualifier
from .extensions import SPAN_EXTENSIONS

__all__ = ["CLAIM_COMPONENTS", "make_claim_model", "make_qualifiers"]

_SPAN_ATTRS = [f"span._.{name}" for name in SPAN_EXTENSIONS]


@Language.factory(
    "authentitext_claim_model",
    default_config={"model": "default", "batch_size": 256},
    assigns=["span._.claim_score", "span._.type_scores"],
)
def make_claim_model(nlp: Language, name: str, model: str, batch_size: int) -> ClaimModelScorer:
    """The learned claim scorer (see :class:`ClaimModelScorer`)."""
    return ClaimModelScorer(nlp, name, model=model, batch_size=batch_size)


@Language.factory(
    "authentitext_qualifiers",
    default_config={"threshold": 0.35, "rule_threshold": 0.25, "type_threshold": 0.6, "negation_window": 5,
                    "negation_override": 0.9, "rule_type_min": 0.1, "veto_override": 0.8},
    assigns=_SPAN_ATTRS,
)
def make_qualifiers(
    nlp: Language, name: str, threshold: float, rule_threshold: float, type_threshold: float, negation_window: int,
    negation_override: float, rule_type_min: float, veto_override: float,
) -> ClaimQualifier:
    """Qualifiers and the claim decision (see :class:`ClaimQualifier`)."""
    return ClaimQualifier(nlp, name, threshold=threshold, rule_threshold=rule_threshold,
                          type_threshold=type_threshold, negation_window=negation_window,
                          negation_override=negation_override, rule_type_min=rule_type_min,
                          veto_override=veto_override)


#: Components ``build_nlp`` adds after the rule rulers: ``(factory, config)``.
CLAIM_COMPONENTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("authentitext_claim_model", {}),
    ("authentitext_qualifiers", {}),
)
