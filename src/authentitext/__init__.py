"""authentitext: check what organisations promise against what they practise.

Public API (everything else is a stage module or private)::

    extract_claims(texts, lang=None) -> pandas.DataFrame
    audit(claims, practice, *, org=None) -> AuditReport
    classify_stance(claims, evidence) -> pandas.DataFrame

Heavy modules (pandas, spaCy pipelines, encoders, torch) load lazily on first
use; ``import authentitext`` stays light and never imports torch.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import (
    AuthentitextError,
    ConfigError,
    EmptyInputError,
    InputError,
    InputTypeError,
    LanguageError,
    ModelNotFoundError,
    NoClaimsFoundWarning,
    NotFittedError,
    RulePackError,
)

if TYPE_CHECKING:
    from .auditing import audit
    from .stance import classify_stance
    from .claims import extract_claims
    from .embed import get_encoder
    from .lang import detect_language
    from .report import AuditReport

__all__ = [
    "extract_claims",
    "audit",
    "classify_stance",
    "AuditReport",
    "get_encoder",
    "detect_language",
    "AuthentitextError",
    "ConfigError",
    "EmptyInputError",
    "InputError",
    "InputTypeError",
    "LanguageError",
    "ModelNotFoundError",
    "NoClaimsFoundWarning",
    "NotFittedError",
    "RulePackError",
    "__version__",
]

_LAZY = {
    "extract_claims": "claims",
    "audit": "auditing",
    "classify_stance": "stance",
    "AuditReport": "report",
    "get_encoder": "embed",
    "detect_language": "lang",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("authentitext")
        except PackageNotFoundError:  # pragma: no cover - source tree without install
            return "0.0.0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
