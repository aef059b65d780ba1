"""Typed errors and warnings of authentitext.

Every error subclasses :class:`AuthentitextError` *and* the builtin that fits
(``TypeError`` for a wrong type, ``ValueError`` for a wrong value), so callers
can catch either. Messages name the parameter or field, say what was expected,
echo what was given, and say how to fix it.
"""

from __future__ import annotations

__all__ = [
    "AuthentitextError",
    "ConfigError",
    "EmptyInputError",
    "InputError",
    "InputTypeError",
    "LanguageError",
    "ModelNotFoundError",
    "NotFittedError",
    "RulePackError",
    "NoClaimsFoundWarning",
]


class AuthentitextError(Exception):
    """Base class of every error raised on purpose by authentitext."""


class InputError(AuthentitextError, ValueError):
    """An input value is invalid (empty text, missing column, bad cell...)."""


class InputTypeError(AuthentitextError, TypeError):
    """An input has the wrong type (``None``, a number where text was expected...)."""


class EmptyInputError(InputError):
    """An input collection holds no rows at all."""


class LanguageError(InputError):
    """A language code is not supported, or texts are in an unsupported language."""


class ConfigError(AuthentitextError, ValueError):
    """A parameter value is not allowed."""


class ModelNotFoundError(AuthentitextError, FileNotFoundError):
    """A model name or path cannot be resolved offline."""


class RulePackError(AuthentitextError, ValueError):
    """A rule pack is malformed; the message names the file and the line."""


class NotFittedError(AuthentitextError, ValueError, AttributeError):
    """An estimator was used before ``fit``."""


class NoClaimsFoundWarning(UserWarning):
    """The claims input produced no claim at all."""
