"""The only place where authentitext registers spaCy extension attributes.

Span extensions (``span._.<name>``), set by the claim components on every
sentence span in ``doc.spans["claim_sentences"]`` and on every claim span in
``doc.spans["claims"]``:

=================  ======================================================
``is_claim``       bool: the sentence is a claim (after qualifier vetoes)
``claim_types``    list[str]: claim types (rules and model)
``claim_score``    float | None: model probability that it is a claim
``type_scores``    dict[str, float] | None: model probability per type
``negated``        bool: the claim is denied or disclaimed
``hedged``         bool: hedge or future pledge attached to the claim
``reported``       bool: someone else's words or findings are attributed
``question``       bool: interrogative sentence ending in "?"
``rhetorical``     bool: a question that works as a claim
``about_self``     bool: the claim is about the speaker (not competitors)
``specific``       bool: numbers, dates, scope, named standard or certifier
``objectified``    bool: superiority backed by a test, ranking or award
``generic_env``    bool: generic environmental claim (EU 2024/825)
``offset_neutral`` bool: neutrality / offsetting claim (EU 2024/825)
``flags``          list[str]: ids of the regulatory flag rules that apply
``reasons``        list[str]: why the sentence is (not) a claim
=================  ======================================================

Registration is guarded with ``has_extension``: a name that is already
registered with a default value is reused; a name registered by someone else
as a getter/method (which we could not set) raises :class:`ConfigError`. We
never pass ``force=True``.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError

__all__ = ["SPAN_EXTENSIONS", "register", "QUALIFIERS"]

#: Qualifier names, in output column order.
QUALIFIERS: tuple[str, ...] = (
    "negated", "hedged", "reported", "question", "about_self", "specific", "objectified",
    "generic_env", "offset_neutral",
)

#: Extension name → default value (lists and dicts default to ``None``; the
#: components always set a fresh object).
SPAN_EXTENSIONS: dict[str, Any] = {
    "is_claim": False,
    "claim_types": None,
    "claim_score": None,
    "type_scores": None,
    **{q: False for q in QUALIFIERS},
    "rhetorical": False,
    "flags": None,
    "reasons": None,
}


def register() -> None:
    """Register every span extension once (idempotent).

    Raises:
        ConfigError: A name is already registered as a getter or method by
            another package, so authentitext cannot store values in it.
    """
    from spacy.tokens import Span

    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
            continue
        _default, method, getter, setter = Span.get_extension(name)
        if method is not None or (getter is not None and setter is None):
            raise ConfigError(
                f"The spaCy Span extension {name!r} is already registered by another package as a "
                "getter or method, so authentitext cannot set it. Remove that registration "
                f"(Span.remove_extension({name!r})) before building the claim pipeline."
            )
