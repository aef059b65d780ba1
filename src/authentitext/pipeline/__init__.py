"""Stages 1-2: texts → spaCy ``Doc`` with claim spans in ``doc.spans["claims"]``.

Kept free of torch, scikit-learn and pandas imports: spaCy imports the
``spacy_factories`` entry points of this package whenever it creates a
``Language``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_nlp", "segmenter", "CLAIMS_KEY", "CUES_KEY", "FLAGS_KEY"]

CLAIMS_KEY = "claims"
CUES_KEY = "claim_cues"
FLAGS_KEY = "claim_flags"


def __getattr__(name: str) -> Any:
    if name in {"build_nlp", "segmenter"}:
        from . import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
