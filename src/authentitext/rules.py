"""Rule packs: versioned, editable data files that say what counts as a claim.

A rule pack is a JSONL file. Its first line is a header, every other line one
rule::

    {"pack": "en_price", "version": "1.0.0", "lang": "en", "description": "..."}
    {"id": "en.price.cheapest", "kind": "claim", "label": "price",
     "types": ["price", "superiority"],
     "patterns": ["cheapest", [{"LOWER": "lowest"}, {"LOWER": {"IN": ["price", "prices"]}}]],
     "source": "...", "example": "The cheapest in town", "counter_example": "..."}

* ``kind`` is ``"claim"`` (the span is a claim candidate of ``types``),
  ``"flag"`` (a regulatory flag such as EU 2024/825 generic environmental
  claims; ``label`` is the flag name) or ``"cue"`` (a qualifier cue such as a
  hedge, negation or reporting verb; ``label`` is the qualifier).
* ``patterns`` are spaCy patterns: a string is a phrase matched on the
  lower-cased text, a list is a token pattern in the ``Matcher`` format (so
  Dutch morphology can use ``REGEX`` or ``LEMMA``).
* ``source`` says where the rule comes from (a regulation article, a code of
  conduct, or "authentitext editorial").

Packs ship inside the package (``authentitext/resources/rules``). Users add
their own files, replace a shipped rule by reusing its id, or disable rules by
id, without touching code: see :func:`load_rules`. Every problem is reported as
a :class:`~authentitext.errors.RulePackError` naming the file and line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import RulePackError

__all__ = [
    "CLAIM_TYPES",
    "RULE_KINDS",
    "Rule",
    "RulePack",
    "list_packs",
    "load_pack",
    "load_rules",
    "validate_pack",
]

#: The claim types a claim rule may assign.
CLAIM_TYPES: tuple[str, ...] = (
    "price",
    "superiority",
    "integrity",
    "sustainability",
    "customer",
    "employee",
    "reliability",
    "independence",
    "quality",
    "social",
)
#: Kinds of rule.
RULE_KINDS: tuple[str, ...] = ("claim", "flag", "cue")
_REQUIRED = ("id", "kind", "label", "patterns", "source", "example")
_OPTIONAL = ("types", "counter_example", "note", "lang", "flags", "disabled")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
_LABEL = re.compile(r"^[a-z][a-z0-9_]*$")
_HEADER_REQUIRED = ("pack", "version", "lang")


@dataclass(frozen=True, slots=True)
class Rule:
    """One validated rule (immutable)."""

    id: str
    kind: str
    label: str
    patterns: tuple[Any, ...]
    source: str
    example: str
    types: tuple[str, ...] = ()
    counter_example: str | None = None
    lang: str = ""
    pack: str = ""
    location: str = ""

    def spacy_patterns(self) -> list[dict[str, Any]]:
        """Patterns in spaCy's ``span_ruler`` format, one per (type, pattern)."""
        labels = self.types if (self.kind == "claim" and self.types) else (self.label,)
        return [
            {"label": label, "pattern": _copy(p), "id": self.id}
            for label in labels
            for p in self.patterns
        ]


@dataclass(frozen=True, slots=True)
class RulePack:
    """A parsed pack: its header and rules."""

    name: str
    version: str
    lang: str
    path: str
    description: str = ""
    rules: tuple[Rule, ...] = field(default_factory=tuple)


def _copy(obj: Any) -> Any:
    return json.loads(json.dumps(obj))


def _builtin_dir() -> Any:
    return resources.files("authentitext.resources") / "rules"


def list_packs(lang: str | None = None) -> list[str]:
    """Names of the shipped rule packs (file stems), optionally for one language."""
    names = sorted(
        p.name[: -len(".jsonl")] for p in _builtin_dir().iterdir() if p.name.endswith(".jsonl")
    )
    if lang is not None:
        names = [n for n in names if n.startswith(f"{lang}_") or n.startswith("all_")]
    return names


def load_pack(path: str | Path) -> RulePack:
    """Parse and validate one pack file.

    Args:
        path: A JSONL file, or the name of a shipped pack (e.g. ``"en_price"``).

    Returns:
        The :class:`RulePack`.

    Raises:
        RulePackError: The file is missing or malformed; the message names the
            file and line.
    """
    text, where = _read(path)
    return _parse(text, where)


def validate_pack(path: str | Path) -> list[str]:
    """Check a pack and return its problems (empty list when it is valid).

    Unlike :func:`load_pack` this collects every problem instead of stopping
    at the first, for the ``authentitext lexicons validate`` command.
    """
    try:
        text, where = _read(path)
    except RulePackError as err:
        return [str(err)]
    problems: list[str] = []
    _parse(text, where, problems=problems)
    return problems


def _read(path: str | Path) -> tuple[str, str]:
    candidate = Path(path)
    if not candidate.suffix and not candidate.exists():
        builtin = _builtin_dir() / f"{path}.jsonl"
        if builtin.is_file():
            return builtin.read_text(encoding="utf-8"), f"{path}.jsonl (built-in)"
        raise RulePackError(
            f"No rule pack named {str(path)!r}: not a file and not a built-in pack "
            f"(built-in: {list_packs()})."
        )
    try:
        return candidate.read_text(encoding="utf-8"), str(candidate)
    except FileNotFoundError as err:
        raise RulePackError(f"Rule pack file {str(path)!r} does not exist.") from err
    except UnicodeDecodeError as err:
        raise RulePackError(f"Rule pack file {str(path)!r} is not UTF-8 text ({err}).") from err
    except OSError as err:
        raise RulePackError(f"Rule pack file {str(path)!r} cannot be read ({err}).") from err


def _parse(text: str, where: str, problems: list[str] | None = None) -> RulePack:
    def fail(lineno: int, msg: str) -> None:
        full = f"{where}, line {lineno}: {msg}"
        if problems is None:
            raise RulePackError(full)
        problems.append(full)

    header: dict[str, Any] | None = None
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("//"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            fail(lineno, f"not valid JSON ({err.msg} at column {err.colno}).")
            continue
        if not isinstance(obj, dict):
            fail(lineno, f"expected a JSON object, got {type(obj).__name__}.")
            continue
        if header is None:
            missing = [k for k in _HEADER_REQUIRED if k not in obj]
            if missing:
                fail(lineno, f"the first line must be the pack header with keys {list(_HEADER_REQUIRED)}; missing {missing}.")
                header = {"pack": "?", "version": "?", "lang": "?"}
            else:
                header = obj
            continue
        rule = _parse_rule(obj, lineno, header, where, fail)
        if rule is None:
            continue
        if rule.id in seen:
            fail(lineno, f"duplicate rule id {rule.id!r} (first on line {seen[rule.id]}).")
            continue
        seen[rule.id] = lineno
        rules.append(rule)
    if header is None:
        fail(1, "empty pack: expected a header line and at least one rule.")
        header = {"pack": "?", "version": "?", "lang": "?"}
    elif not rules and problems is not None and not problems:
        fail(1, "the pack has a header but no rules.")
    return RulePack(
        name=str(header.get("pack")),
        version=str(header.get("version")),
        lang=str(header.get("lang")),
        path=where,
        description=str(header.get("description", "")),
        rules=tuple(rules),
    )


def _parse_rule(obj: dict[str, Any], lineno: int, header: dict[str, Any], where: str, fail: Any) -> Rule | None:
    missing = [k for k in _REQUIRED if k not in obj]
    if missing:
        fail(lineno, f"rule is missing required key(s) {missing} (required: {list(_REQUIRED)}).")
        return None
    unknown = sorted(set(obj) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        fail(lineno, f"unknown key(s) {unknown}; allowed: {list(_REQUIRED + _OPTIONAL)}.")
        return None
    rid, kind, label = obj["id"], obj["kind"], obj["label"]
    if not isinstance(rid, str) or not _ID.match(rid):
        fail(lineno, f"'id' must be a lower-case dotted name like 'en.price.cheapest'; got {rid!r}.")
        return None
    if kind not in RULE_KINDS:
        fail(lineno, f"rule {rid!r}: 'kind' must be one of {list(RULE_KINDS)}; got {kind!r}.")
        return None
    if not isinstance(label, str) or not _LABEL.match(label):
        fail(lineno, f"rule {rid!r}: 'label' must be a snake_case string; got {label!r}.")
        return None
    types = obj.get("types") or ([label] if kind == "claim" else [])
    if kind == "claim":
        bad = [t for t in [label, *types] if t not in CLAIM_TYPES]
        if bad:
            fail(lineno, f"rule {rid!r}: unknown claim type(s) {bad}; allowed: {list(CLAIM_TYPES)}.")
            return None
    for key in ("source", "example"):
        if not isinstance(obj[key], str) or not obj[key].strip():
            fail(lineno, f"rule {rid!r}: {key!r} must be a non-empty string.")
            return None
    patterns = obj["patterns"]
    if not isinstance(patterns, list) or not patterns:
        fail(lineno, f"rule {rid!r}: 'patterns' must be a non-empty list of strings or token-pattern lists.")
        return None
    for i, pattern in enumerate(patterns):
        err = _pattern_problem(pattern)
        if err:
            fail(lineno, f"rule {rid!r}: pattern {i} is invalid: {err}")
            return None
    if obj.get("disabled"):
        return None
    return Rule(
        id=rid,
        kind=kind,
        label=label,
        patterns=tuple(_copy(p) for p in patterns),
        source=obj["source"],
        example=obj["example"],
        types=tuple(dict.fromkeys(types)),
        counter_example=obj.get("counter_example"),
        lang=str(obj.get("lang") or header.get("lang", "")),
        pack=str(header.get("pack", "")),
        location=f"{where}:{lineno}",
    )


def _pattern_problem(pattern: Any) -> str | None:
    if isinstance(pattern, str):
        return None if pattern.strip() else "empty phrase."
    if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
        return "must be a phrase string or a non-empty list of token dicts."
    from spacy.matcher import Matcher
    from spacy.vocab import Vocab

    try:
        Matcher(Vocab(), validate=True).add("check", [_copy(pattern)])
    except Exception as err:  # spaCy raises ValueError/MatchPatternError with details
        return " ".join(str(err).split())[:300]
    for token in pattern:
        for value in token.values():
            if isinstance(value, dict) and "REGEX" in value:
                try:
                    re.compile(value["REGEX"])
                except re.error as err:
                    return f"bad REGEX {value['REGEX']!r}: {err}."
    return None


def load_rules(
    lang: str,
    *,
    packs: Sequence[str] | None = None,
    extra: Iterable[str | Path] = (),
    disable: Iterable[str] = (),
) -> tuple[Rule, ...]:
    """Load the rules for one language: shipped packs, then user packs.

    Args:
        lang: ``"en"`` or ``"nl"``.
        packs: Shipped pack names to use (default: every pack for ``lang``).
        extra: Paths of user packs. A user rule with the id of an earlier rule
            replaces it; a new id adds a rule. Only rules whose pack ``lang``
            (or rule ``lang``) is ``lang`` or ``"all"`` are kept.
        disable: Rule ids to drop.

    Returns:
        A fresh tuple of :class:`Rule`.

    Raises:
        RulePackError: A pack is malformed, or a disabled id is unknown.
    """
    names = list(packs) if packs is not None else list_packs(lang)
    by_id: dict[str, Rule] = {}
    for source in [*names, *extra]:
        pack = load_pack(source)
        for rule in pack.rules:
            if rule.lang in (lang, "all"):
                by_id[rule.id] = rule
    disable = list(disable)
    unknown = [d for d in disable if d not in by_id]
    if unknown:
        raise RulePackError(f"Cannot disable unknown rule id(s) {unknown} for lang={lang!r}.")
    for rid in disable:
        del by_id[rid]
    return tuple(by_id.values())
