"""Every spaCy factory of authentitext, registered in one place.

This module is the target of the ``spacy_factories`` entry points, so that
``spacy.load()`` of a saved authentitext pipeline works without importing
authentitext first. It imports only spaCy and the component modules; never
torch, scikit-learn or pandas.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CLAIM_COMPONENTS"]

#: Components ``build_nlp`` adds after the rule rulers: ``(factory, config)``.
CLAIM_COMPONENTS: tuple[tuple[str, dict[str, Any]], ...] = ()
