"""Language detection on short slogans, and language validation."""

from __future__ import annotations

import pytest

from authentitext.errors import ConfigError, LanguageError
from authentitext.lang import check_lang, detect_language, detect_languages, resolve_langs

SLOGANS = [
    ("Nergens voordeliger", "nl"),
    ("Altijd de laagste prijs!", "nl"),
    ("Storingsvrij internet", "nl"),
    ("Eerlijk is eerlijk.", "nl"),
    ("Wij zijn klimaatneutraal", "nl"),
    ("De klant staat bij ons centraal", "nl"),
    ("Geen kleine lettertjes", "nl"),
    ("Why pay more?", "en"),
    ("Customer first.", "en"),
    ("Always the lowest price!", "en"),
    ("Green energy for everyone", "en"),
    ("No hidden fees, ever.", "en"),
    ("Fair prices", "en"),
    ("Klant centraal", "nl"),
    ("Honesty is our core value.", "en"),
    ("You won't find it for less anywhere else", "en"),
]


@pytest.mark.parametrize("text, expected", SLOGANS)
def test_detects_short_slogans(text, expected):
    """One-line EN and NL slogans are detected correctly."""
    assert detect_language(text) == expected


def test_other_languages_are_reported_not_forced():
    """A German or French sentence is returned as de/fr, not squeezed into en/nl."""
    assert detect_languages(["Die günstigsten Preise der ganzen Stadt", "Les prix les plus bas de la ville"]) == ["de", "fr"]


def test_check_lang_rejects_unknown_codes():
    """An unknown code names the parameter and the allowed values."""
    with pytest.raises(LanguageError, match=r"'lang'.*\['en', 'nl'\].*'fr'"):
        check_lang("fr")
    assert check_lang(" NL ") == "nl"


def test_resolve_langs_mixed_and_length_check():
    """Per-text codes: None entries are detected; a wrong length is a ConfigError."""
    texts = ["Wij zijn de goedkoopste", "We are the cheapest"]
    assert resolve_langs(texts, ["nl", None]) == ["nl", "en"]
    with pytest.raises(ConfigError, match="one code per text"):
        resolve_langs(texts, ["nl"])
