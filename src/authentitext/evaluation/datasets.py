"""Readers for labelled evaluation data (JSONL or CSV), with exact error locations.

Every reader returns a small dataclass holding plain lists, the file's path
and its SHA-256 (for run records), and raises :class:`DatasetError` (an
:class:`~authentitext.errors.InputError`) that names the file, the line and
the expected schema when a row is unusable: a missing or empty field, an
unknown label value, a wrong column, a line that is not JSON.

Formats:

* generic text classification (:func:`read_labelled_texts`): one row per text,
  columns mapped with ``text_col`` / ``label_col``, labels optionally renamed
  with ``label_map`` and checked against ``labels``;
* environmental claims (:func:`read_environmental_claims`): Stammbach et al.
  2023, ``{"text", "label"}`` with label 1/0 → ``claim`` / ``not_claim``;
* generic claim–evidence pairs (:func:`read_stance_pairs`): columns mapped
  with ``claim_col`` / ``evidence_col`` / ``label_col``; stance labels are
  normalised (SUPPORTS/REFUTES/NOT_ENOUGH_INFO, entailment/contradiction/
  neutral... → ``supports`` / ``contradicts`` / ``unrelated``);
* CLIMATE-FEVER (:func:`read_climate_fever`): one claim per line with nested
  ``evidences``; every evidence becomes a pair labelled by its
  ``evidence_label``, keeping ``votes``, ``entropy`` and the claim id (used
  to resample whole claims in the bootstrap);
* organisation scenarios (:func:`read_scenarios`): one organisation per line
  with its claims (``intended_verdict``), practice texts and
  ``intended_gap_rank``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = [
    "DatasetError",
    "LabelledTexts",
    "StancePairs",
    "Scenario",
    "ScenarioSet",
    "STANCE_LABELS",
    "VERDICT_LABELS",
    "STANCE_ALIASES",
    "CLAIM_LABELS",
    "file_sha256",
    "read_records",
    "read_labelled_texts",
    "read_environmental_claims",
    "read_stance_pairs",
    "read_climate_fever",
    "read_scenarios",
    "parse_label_map",
]

#: Labels of the claims task on the environmental-claims data (positive first).
CLAIM_LABELS = ("claim", "not_claim")
#: Stance labels, in the fixed order used for probability columns.
STANCE_LABELS = ("supports", "contradicts", "unrelated")
#: Claim verdicts of the audit.
VERDICT_LABELS = ("substantiated", "contradicted", "hollow", "unverifiable", "mixed")
#: Accepted spellings of the stance labels (lower-cased before lookup).
STANCE_ALIASES: dict[str, str] = {
    "supports": "supports", "support": "supports", "supported": "supports", "entailment": "supports",
    "contradicts": "contradicts", "contradict": "contradicts", "refutes": "contradicts",
    "refute": "contradicts", "contradiction": "contradicts",
    "unrelated": "unrelated", "not_enough_info": "unrelated", "nei": "unrelated", "neutral": "unrelated",
}

_ENV_SCHEMA = 'one JSON object per line: {"text": str (non-empty), "label": 0 or 1}'
_CF_SCHEMA = (
    'one JSON object per line: {"claim_id": str, "claim": str, "evidences": [{"evidence": str, '
    '"evidence_label": "SUPPORTS"|"REFUTES"|"NOT_ENOUGH_INFO", "votes": [str|null, ...], '
    '"entropy": float}, ...]}'
)
_SCENARIO_SCHEMA = (
    'one JSON object per line: {"org": str, "intended_gap_rank": int, "claims": [{"text": str, '
    '"intended_verdict": one of ' + "/".join(VERDICT_LABELS) + '}, ...], "practice": [{"text": str, '
    '"source": str}, ...]} (optional: "sector", "lang", "rationale")'
)


class DatasetError(InputError):
    """A data file row is unusable; names the file, the line and the expected schema.

    Attributes:
        path: The file.
        line: 1-based line number in the file (``None`` for whole-file problems).
        problem: What is wrong.
        schema: What the reader expects.
    """

    def __init__(self, path: str | Path, line: int | None, problem: str, schema: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        self.schema = schema
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}. Expected schema: {schema}.")


@dataclass
class LabelledTexts:
    """Texts with one gold label each.

    Attributes:
        texts: The texts.
        labels: Gold labels (str).
        lines: Source line of each row.
        path: Source file.
        sha256: SHA-256 of the file's bytes.
        label_set: The allowed labels (fixed order; positive class first for
            binary tasks).
        slices: Per row, the values of the ``slice_cols`` joined by ``/``
            (empty when no slice was asked for).
    """

    texts: list[str]
    labels: list[str]
    lines: list[int]
    path: str
    sha256: str
    label_set: tuple[str, ...]
    slices: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)


@dataclass
class StancePairs:
    """Claim–evidence pairs with a gold stance each.

    Attributes:
        claims, evidence, labels: Row-aligned pair texts and gold stance.
        groups: A group id per row (the claim id), for the cluster bootstrap.
        votes: Annotator votes per row (``None`` entries dropped), if known.
        entropy: Vote entropy per row, if known (``nan`` otherwise).
        lines, path, sha256: Provenance.
        slices: Per row, the slice value (see the readers' ``slice_cols``).
        label_set: :data:`STANCE_LABELS`.
    """

    claims: list[str]
    evidence: list[str]
    labels: list[str]
    groups: list[str]
    lines: list[int]
    path: str
    sha256: str
    votes: list[list[str]] = field(default_factory=list)
    entropy: list[float] = field(default_factory=list)
    label_set: tuple[str, ...] = STANCE_LABELS
    slices: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.claims)


@dataclass
class Scenario:
    """One organisation: its claims with intended verdicts, its practice texts, its intended rank.

    ``intended_gap_rank`` 1 is the most credible organisation (smallest gap);
    ``lang`` is the language of the claims (practice may be in another).
    """

    org: str
    claims: list[str]
    verdicts: list[str]
    practice: list[str]
    sources: list[str]
    intended_gap_rank: float
    lang: str | None
    sector: str | None
    line: int


@dataclass
class ScenarioSet:
    """Organisation scenarios read from one file."""

    scenarios: list[Scenario]
    path: str
    sha256: str

    def __len__(self) -> int:
        return len(self.scenarios)


def file_sha256(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_records(path: str | Path, *, schema: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line, record)`` from a ``.jsonl``/``.ndjson``, ``.json`` list, ``.csv`` or ``.tsv`` file.

    CSV line numbers count the header as line 1. Blank JSONL lines are skipped.

    Raises:
        DatasetError: The file is missing, has another suffix, or a line is not a JSON object.
    """
    p = Path(path)
    if not p.is_file():
        raise DatasetError(p, None, "the file does not exist (or is not a file)", schema)
    suffix = p.suffix.lower()
    text = p.read_bytes().decode("utf-8", errors="replace")
    if suffix in (".jsonl", ".ndjson"):
        for lineno, raw in enumerate(text.splitlines(), 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as err:
                raise DatasetError(p, lineno, f"the line is not valid JSON ({err.msg})", schema) from err
            if not isinstance(obj, dict):
                raise DatasetError(p, lineno, f"the line is a JSON {type(obj).__name__}, not an object",
                                   schema)
            yield lineno, obj
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise DatasetError(p, err.lineno, f"the file is not valid JSON ({err.msg})", schema) from err
        if not isinstance(data, list):
            raise DatasetError(p, 1, "a .json file must hold a list of objects", schema)
        for i, obj in enumerate(data):
            if not isinstance(obj, dict):
                raise DatasetError(p, None, f"item {i} of the JSON list is not an object", schema)
            yield i + 1, obj  # no line numbers inside a JSON document: the item number (1-based)
    elif suffix in (".csv", ".tsv"):
        reader = csv.DictReader(text.splitlines(keepends=True), delimiter="\t" if suffix == ".tsv" else ",")
        if reader.fieldnames is None:
            raise DatasetError(p, 1, "the file is empty (no header row)", schema)
        for row in reader:
            yield reader.line_num, {k: v for k, v in row.items() if k is not None}
    else:
        raise DatasetError(p, None, f"unsupported file type {suffix!r} (use .jsonl, .json, .csv or .tsv)",
                           schema)


def parse_label_map(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """``"1=claim,0=not_claim"`` (or a mapping) → ``{"1": "claim", "0": "not_claim"}``.

    Raises:
        InputError: An item has no ``=``.
    """
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        return {str(k): str(v) for k, v in spec.items()}
    out = {}
    for item in (s.strip() for s in spec.split(",")):
        if not item:
            continue
        if "=" not in item:
            raise InputError(
                f"The label map must be comma-separated RAW=LABEL items, e.g. '1=claim,0=not_claim'. "
                f"Got {item!r} in {spec!r}."
            )
        raw, label = item.split("=", 1)
        out[raw.strip()] = label.strip()
    return out


def _label_key(value: Any) -> str | None:
    """A raw label cell → its string key, ``None`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _text_field(path: Path, line: int, obj: Mapping[str, Any], col: str, schema: str) -> str:
    if col not in obj:
        raise DatasetError(path, line, f"no {col!r} field (fields: {sorted(map(str, obj))})", schema)
    value = obj[col]
    if not isinstance(value, str) or not value.strip():
        kind = "empty" if isinstance(value, str) else f"not text ({type(value).__name__})"
        raise DatasetError(path, line, f"the {col!r} field is {kind}", schema)
    return value


def _label_field(
    path: Path, line: int, obj: Mapping[str, Any], col: str, mapping: Mapping[str, str],
    allowed: Sequence[str] | None, schema: str,
) -> str:
    if col not in obj:
        raise DatasetError(path, line, f"no {col!r} label field (fields: {sorted(map(str, obj))})", schema)
    key = _label_key(obj[col])
    if key is None:
        raise DatasetError(path, line, f"the {col!r} label is missing", schema)
    label = mapping.get(key, mapping.get(key.lower(), key) if mapping else key)
    if allowed is not None and label not in allowed:
        raise DatasetError(path, line, f"unknown label {obj[col]!r} in {col!r} (allowed: {list(allowed)})",
                           schema)
    return label


def _slice_value(path: Path, line: int, obj: Mapping[str, Any], cols: Sequence[str], schema: str) -> str:
    parts = []
    for col in cols:
        if col not in obj:
            raise DatasetError(path, line, f"no {col!r} field to slice by (fields: {sorted(map(str, obj))})",
                               schema)
        value = obj[col]
        parts.append("" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value))
    return "/".join(parts)


def read_labelled_texts(
    path: str | Path,
    *,
    text_col: str = "text",
    label_col: str = "label",
    label_map: str | Mapping[str, str] | None = None,
    labels: Sequence[str] | None = None,
    slice_cols: Sequence[str] = (),
) -> LabelledTexts:
    """Read a text-classification file (JSONL/JSON/CSV/TSV) with column mapping.

    Args:
        path: The file.
        text_col: Field holding the text.
        label_col: Field holding the gold label.
        label_map: Renames raw label values (``"1=claim,0=not_claim"`` or a dict).
        labels: Allowed labels after mapping, in report order (positive class
            first for a binary task). ``None``: every label seen, sorted.
        slice_cols: Columns whose values (joined by ``/``) split the report
            into slices, e.g. ``["lang"]``.

    Returns:
        A :class:`LabelledTexts`.

    Raises:
        DatasetError: Missing/empty text, missing or unknown label, wrong column, bad line;
            or the file holds no rows.
    """
    p = Path(path)
    mapping = parse_label_map(label_map)
    allowed = tuple(labels) if labels is not None else (tuple(mapping.values()) or None)
    schema = (f"rows with a non-empty text field {text_col!r} and a label field {label_col!r}"
              + (f" with values in {list(allowed)}" if allowed else "")
              + (f" (raw values {list(mapping)} mapped to {list(mapping.values())})" if mapping else ""))
    texts, gold, lines, slices = [], [], [], []
    for line, obj in read_records(p, schema=schema):
        texts.append(_text_field(p, line, obj, text_col, schema))
        gold.append(_label_field(p, line, obj, label_col, mapping, allowed, schema))
        lines.append(line)
        if slice_cols:
            slices.append(_slice_value(p, line, obj, slice_cols, schema))
    if not texts:
        raise DatasetError(p, None, "the file holds no rows", schema)
    label_set = tuple(dict.fromkeys(allowed)) if allowed else tuple(sorted(set(gold)))
    return LabelledTexts(texts, gold, lines, str(path), file_sha256(p), label_set, slices)


def read_environmental_claims(path: str | Path) -> LabelledTexts:
    """Read the environmental-claims format: ``{"text", "label": 0|1}`` → ``claim`` / ``not_claim``.

    Raises:
        DatasetError: As :func:`read_labelled_texts`, with the environmental-claims schema.
    """
    p = Path(path)
    mapping = {"1": "claim", "0": "not_claim"}
    texts, gold, lines = [], [], []
    for line, obj in read_records(p, schema=_ENV_SCHEMA):
        texts.append(_text_field(p, line, obj, "text", _ENV_SCHEMA))
        raw = obj.get("label")
        key = _label_key(raw)
        if "label" not in obj or key is None:
            raise DatasetError(p, line, "the 'label' field is missing", _ENV_SCHEMA)
        if key not in mapping:
            raise DatasetError(p, line, f"unknown label {raw!r} (allowed: 0, 1)", _ENV_SCHEMA)
        gold.append(mapping[key])
        lines.append(line)
    if not texts:
        raise DatasetError(p, None, "the file holds no rows", _ENV_SCHEMA)
    return LabelledTexts(texts, gold, lines, str(path), file_sha256(p), CLAIM_LABELS)


def _stance_label(path: Path, line: int, raw: Any, col: str, schema: str,
                  mapping: Mapping[str, str] | None = None) -> str:
    key = _label_key(raw)
    if key is None:
        raise DatasetError(path, line, f"the {col!r} label is missing", schema)
    if mapping and (key in mapping or key.lower() in mapping):
        key = mapping.get(key, mapping.get(key.lower(), key))
    label = STANCE_ALIASES.get(key.lower())
    if label is None:
        raise DatasetError(
            path, line,
            f"unknown stance label {raw!r} in {col!r} (allowed: {list(STANCE_LABELS)} or "
            f"SUPPORTS/REFUTES/NOT_ENOUGH_INFO)", schema,
        )
    return label


def read_stance_pairs(
    path: str | Path,
    *,
    claim_col: str = "claim",
    evidence_col: str = "evidence",
    label_col: str = "label",
    group_col: str | None = None,
    label_map: str | Mapping[str, str] | None = None,
    slice_cols: Sequence[str] = (),
) -> StancePairs:
    """Read claim–evidence pairs (JSONL/JSON/CSV/TSV) with column mapping.

    Args:
        path: The file.
        claim_col, evidence_col, label_col: Field names.
        group_col: Optional field grouping rows (e.g. a claim id) for the
            cluster bootstrap; default: the claim text.
        label_map: Renames raw labels before they are normalised.
        slice_cols: Columns whose values (joined by ``/``) split the report
            into slices, e.g. ``["claim_lang", "evidence_lang"]``.

    Raises:
        DatasetError: A missing/empty field, a missing or unknown label, a bad line; no rows.
    """
    p = Path(path)
    mapping = {k.lower(): v for k, v in parse_label_map(label_map).items()}
    schema = (f"rows with non-empty {claim_col!r} and {evidence_col!r} text fields and a {label_col!r} "
              f"field in {list(STANCE_LABELS)} (or SUPPORTS/REFUTES/NOT_ENOUGH_INFO)")
    out = StancePairs([], [], [], [], [], str(path), "")
    for line, obj in read_records(p, schema=schema):
        claim = _text_field(p, line, obj, claim_col, schema)
        out.claims.append(claim)
        out.evidence.append(_text_field(p, line, obj, evidence_col, schema))
        if label_col not in obj:
            raise DatasetError(p, line, f"no {label_col!r} label field (fields: {sorted(map(str, obj))})",
                               schema)
        out.labels.append(_stance_label(p, line, obj[label_col], label_col, schema, mapping))
        if group_col is not None and group_col not in obj:
            raise DatasetError(p, line, f"no {group_col!r} group field", schema)
        out.groups.append(str(obj[group_col]) if group_col is not None else claim)
        out.lines.append(line)
        if slice_cols:
            out.slices.append(_slice_value(p, line, obj, slice_cols, schema))
    if not out.claims:
        raise DatasetError(p, None, "the file holds no rows", schema)
    out.sha256 = file_sha256(p)
    return out


def read_climate_fever(path: str | Path, *, slice_by: str | None = None) -> StancePairs:
    """Read CLIMATE-FEVER: one claim per line, each evidence → one pair labelled by ``evidence_label``.

    ``SUPPORTS`` → ``supports``, ``REFUTES`` → ``contradicts``,
    ``NOT_ENOUGH_INFO`` → ``unrelated``. Votes (``null`` dropped) and entropy are
    kept per pair; the claim id is the bootstrap group. ``slice_by="agreement"``
    slices pairs into ``unanimous`` (vote entropy 0) and ``split`` votes;
    ``slice_by="claim_label"`` by the claim-level label.

    Raises:
        DatasetError: A missing claim/evidences/evidence text/label, an unknown label, a bad line.
    """
    p = Path(path)
    if slice_by not in (None, "agreement", "claim_label"):
        raise InputError(f"The 'slice_by' parameter of read_climate_fever must be None, 'agreement' or "
                         f"'claim_label'. Got {slice_by!r} instead.")
    cf_map = {"SUPPORTS": "supports", "REFUTES": "contradicts", "NOT_ENOUGH_INFO": "unrelated"}
    out = StancePairs([], [], [], [], [], str(path), "")
    for line, obj in read_records(p, schema=_CF_SCHEMA):
        claim = _text_field(p, line, obj, "claim", _CF_SCHEMA)
        evidences = obj.get("evidences")
        if not isinstance(evidences, list) or not evidences:
            raise DatasetError(p, line, "no 'evidences' list (or it is empty)", _CF_SCHEMA)
        group = str(obj.get("claim_id", f"line {line}"))
        for j, ev in enumerate(evidences):
            text, raw = _nested_item(p, line, ev, f"evidences[{j}]", "evidence", _CF_SCHEMA,
                                     label_key="evidence_label", allowed=cf_map)
            votes = ev.get("votes") or []
            entropy = ev.get("entropy")
            out.claims.append(claim)
            out.evidence.append(text)
            out.labels.append(cf_map[raw])
            out.groups.append(group)
            out.lines.append(line)
            out.votes.append([str(v) for v in votes if v is not None])
            out.entropy.append(float(entropy) if isinstance(entropy, (int, float)) else float("nan"))
            if slice_by == "agreement":
                out.slices.append("unanimous" if out.entropy[-1] == 0.0 else "split")
            elif slice_by == "claim_label":
                out.slices.append(str(obj.get("claim_label")))
    if not out.claims:
        raise DatasetError(p, None, "the file holds no claims", _CF_SCHEMA)
    out.sha256 = file_sha256(p)
    return out


def _nested_item(
    p: Path, line: int, item: Any, where: str, text_key: str, schema: str,
    *, label_key: str | None = None, allowed: Any = (),
) -> tuple[str, Any]:
    """Validate one object of a nested list: its text and, optionally, its label."""
    if not isinstance(item, dict):
        raise DatasetError(p, line, f"{where} is not an object", schema)
    text = item.get(text_key)
    if not isinstance(text, str) or not text.strip():
        raise DatasetError(p, line, f"{where}.{text_key} is missing or empty", schema)
    if label_key is None:
        return text, None
    label = item.get(label_key)
    if label is None:
        raise DatasetError(p, line, f"{where}.{label_key} is missing", schema)
    if label not in allowed:
        raise DatasetError(p, line, f"{where}.{label_key} {label!r} is unknown (allowed: {list(allowed)})", schema)
    return text, label


def read_scenarios(path: str | Path) -> ScenarioSet:
    """Read organisation scenarios (see the module docstring for the schema).

    Raises:
        DatasetError: A missing org/claims/practice/rank, an unknown intended
            verdict, duplicate organisations, a bad line.
    """
    p = Path(path)
    s = _SCENARIO_SCHEMA
    scenarios: list[Scenario] = []
    seen: dict[str, int] = {}
    for line, obj in read_records(p, schema=s):
        org = _text_field(p, line, obj, "org", s)
        if org in seen:
            raise DatasetError(p, line, f"organisation {org!r} already appeared on line {seen[org]}", s)
        seen[org] = line
        rank = obj.get("intended_gap_rank")
        if isinstance(rank, bool) or not isinstance(rank, (int, float)):
            raise DatasetError(p, line, f"'intended_gap_rank' must be a number, got {rank!r}", s)
        claims, verdicts, practice, sources = [], [], [], []
        if not isinstance(obj.get("claims"), list) or not obj["claims"]:
            raise DatasetError(p, line, "no 'claims' list (or it is empty)", s)
        for j, c in enumerate(obj["claims"]):
            text, verdict = _nested_item(p, line, c, f"claims[{j}]", "text", s,
                                         label_key="intended_verdict", allowed=VERDICT_LABELS)
            claims.append(text)
            verdicts.append(verdict)
        raw_practice = obj.get("practice")
        if not isinstance(raw_practice, list):
            raise DatasetError(p, line, "no 'practice' list (use [] when the organisation has none)", s)
        for j, pr in enumerate(raw_practice):
            text, _ = _nested_item(p, line, pr, f"practice[{j}]", "text", s)
            practice.append(text)
            sources.append(str(pr.get("source") or ""))
        scenarios.append(Scenario(
            org=org, claims=claims, verdicts=verdicts, practice=practice, sources=sources,
            intended_gap_rank=float(rank), lang=obj.get("lang"), sector=obj.get("sector"), line=line,
        ))
    if not scenarios:
        raise DatasetError(p, None, "the file holds no scenarios", s)
    return ScenarioSet(scenarios, str(path), file_sha256(p))
