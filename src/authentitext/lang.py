"""Language handling: which texts are English, which are Dutch, which are neither.

Detection averages two character n-gram models that ship inside their wheels
(no download): `lingua <https://github.com/pemistahl/lingua-py>`_ (built for
short texts) and ``py3langid`` (the langid.py naive Bayes model). On 24
one-line EN/NL/DE/FR slogans written for the tests, lingua alone got 20 right,
langid 22, the combined detector (mean + the short-text fallback below) 23; the two fail on
different slogans.
Both compare English and Dutch against a few neighbouring languages so that a
German or French text is reported as unsupported instead of being forced into
"en" or "nl". Slogans too short to call another language with confidence go
to the more probable of English and Dutch; nothing is decided by counting stop
words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from .errors import ConfigError, LanguageError

__all__ = ["SUPPORTED_LANGUAGES", "detect_language", "detect_languages", "check_lang"]

#: Languages with a claim pipeline.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "nl")

# Languages we tell apart from en/nl so that they can be rejected clearly.
_OTHER = ("de", "fr", "es", "it", "pt", "da", "sv")
# Minimum confidence, and minimum number of letter tokens, before a text is
# called "another language"; below either, the better of en/nl wins.
_OTHER_MIN_CONFIDENCE = 0.6
_OTHER_MIN_WORDS = 3
_DETECT_CHARS = 1000
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


@lru_cache(maxsize=1)
def _langid() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages([*SUPPORTED_LANGUAGES, *_OTHER])
    return ident


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, c.upper()) for c in (*SUPPORTED_LANGUAGES, *_OTHER)]
    languages = [Language.from_iso_code_639_1(c) for c in codes]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def check_lang(lang: object, *, param: str = "lang") -> str:
    """Validate a language code and return it lower-cased.

    Args:
        lang: The code to check.
        param: The parameter name used in the error message.

    Returns:
        "en" or "nl".

    Raises:
        LanguageError: The code is not one of :data:`SUPPORTED_LANGUAGES`.
    """
    if isinstance(lang, str) and lang.strip().lower() in SUPPORTED_LANGUAGES:
        return lang.strip().lower()
    raise LanguageError(
        f"The {param!r} parameter must be one of {list(SUPPORTED_LANGUAGES)} or None "
        f"(auto-detect). Got {lang!r} instead."
    )


def detect_language(text: str) -> str:
    """Detect the language of one text.

    Args:
        text: Any non-empty string.

    Returns:
        "en" or "nl" for supported texts, otherwise the ISO 639-1 code of the
        language found (e.g. "de"), which callers report as unsupported.

    Example:
        >>> detect_language("Nergens voordeliger")
        'nl'
    """
    return detect_languages([text])[0]


def detect_languages(texts: Iterable[str]) -> list[str]:
    """Detect the language of many texts (see :func:`detect_language`)."""
    # the first characters decide; long reviews need no more, and it bounds the cost
    texts = [t[:_DETECT_CHARS] for t in texts]
    detector, ident = _detector(), _langid()
    out: list[str] = []
    # lingua's batch call runs in parallel threads (several times faster than a loop)
    all_values = detector.compute_language_confidence_values_in_parallel(texts) if texts else []
    for text, values in zip(texts, all_values, strict=True):
        conf = {code: 0.0 for code in (*SUPPORTED_LANGUAGES, *_OTHER)}
        for v in values:
            conf[v.language.iso_code_639_1.name.lower()] += v.value / 2
        for code, p in ident.rank(text):
            conf[code] += float(p) / 2
        best = max(conf, key=conf.__getitem__) if conf else "en"
        if (
            best not in SUPPORTED_LANGUAGES
            and conf[best] >= _OTHER_MIN_CONFIDENCE
            and len(_WORD.findall(text)) >= _OTHER_MIN_WORDS
        ):
            out.append(best)
            continue
        out.append("nl" if conf.get("nl", 0.0) > conf.get("en", 0.0) else "en")
    return out


def resolve_langs(texts: list[str], lang: object, *, param: str = "lang") -> list[str]:
    """Per-text language codes from a ``lang`` argument.

    Args:
        texts: The texts.
        lang: ``None`` (detect each), one code for all, or a sequence of codes
            (``None`` entries are detected).
        param: Name used in error messages.

    Returns:
        One code per text; unsupported detected languages are returned as is.

    Raises:
        LanguageError: A given code is unknown.
        ConfigError: A sequence of codes has the wrong length.
    """
    if lang is None:
        return detect_languages(texts)
    if isinstance(lang, str):
        code = check_lang(lang, param=param)
        return [code] * len(texts)
    codes = list(lang)  # type: ignore[call-overload]
    if len(codes) != len(texts):
        raise ConfigError(
            f"The {param!r} parameter must be None, one code, or one code per text "
            f"({len(texts)} texts). Got {len(codes)} codes instead."
        )
    missing = [i for i, c in enumerate(codes) if c is None or c != c]
    detected = dict(zip(missing, detect_languages([texts[i] for i in missing]), strict=True))
    return [
        detected[i] if i in detected else check_lang(c, param=f"{param}[{i}]")
        for i, c in enumerate(codes)
    ]
