"""Reading input files into DataFrames (private helper of the CLI and batch code).

Supported: ``.csv``/``.tsv``, ``.jsonl``/``.ndjson``, ``.json`` (a list of
records), ``.parquet``, ``.txt`` (one text per non-empty line), and a
directory of ``.txt`` files (one text per file, its relative path as ``id``).
Undecodable bytes are replaced (U+FFFD) so that the row is reported as
undecodable instead of failing the whole file.

:func:`iter_table` streams a file in chunks of exactly ``chunk_size`` rows (the
last one may be shorter), so batch jobs use bounded memory and chunk ``k``
always holds the same rows (what makes resuming possible). CSV cells are read
as text (``dtype=str``, empty cells as missing), so the type of a column never
depends on which rows a chunk happens to hold. JSON lines that cannot be parsed
become rows with an ``__error__`` reason instead of failing the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_table", "iter_table", "count_rows", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".txt")
#: Column that carries a per-row parse problem from a reader to ``normalize_texts``.
ERROR_COLUMN = "__error__"


def read_table(path: str | Path, *, param: str = "input") -> pd.DataFrame:
    """Read a supported file or directory into one DataFrame.

    Raises:
        InputError: The path does not exist, has an unsupported suffix, or
            cannot be parsed; the message names the path and the fix.
    """
    import pandas as pd

    parts = list(iter_table(path, chunk_size=1_000_000, param=param))
    if len(parts) == 1:
        return parts[0]
    return pd.concat(parts, ignore_index=True)


def iter_table(path: str | Path, *, chunk_size: int = 10_000, param: str = "input") -> Iterator[pd.DataFrame]:
    """Stream a supported file or directory as DataFrames of ``chunk_size`` rows.

    Every chunk has a fresh ``RangeIndex``; chunk ``k`` holds input rows
    ``k * chunk_size`` onwards. Blank lines of JSONL/TXT files are not rows.

    Raises:
        InputError: The path does not exist, has an unsupported suffix, or
            cannot be parsed; the message names the path and the fix.
    """
    p = _check_path(path, param)
    if p.is_dir():
        yield from _iter_dir(p, chunk_size, param)
        return
    suffix = p.suffix.lower()
    readers = {".csv": _iter_csv, ".tsv": _iter_csv, ".jsonl": _iter_jsonl, ".ndjson": _iter_jsonl,
               ".json": _iter_json, ".parquet": _iter_parquet, ".txt": _iter_txt}
    reader = readers.get(suffix)
    if reader is None:
        raise InputError(
            f"The --{param} file {str(p)!r} has an unsupported type {suffix!r}; "
            f"use one of {list(SUPPORTED_SUFFIXES)} or a directory of .txt files."
        )
    try:
        yield from reader(p, chunk_size, param)
    except InputError:
        raise
    except Exception as err:  # pandas/pyarrow raise many types; report them uniformly
        raise InputError(f"The --{param} file {str(p)!r} cannot be read as {suffix} ({err}).") from err


def count_rows(path: str | Path, *, param: str = "input") -> int | None:
    """The number of rows :func:`iter_table` will yield, when cheap to know (else ``None``).

    Parquet: from the metadata. JSONL/TXT: non-blank lines. Directories: ``.txt``
    files. CSV: parsed once with the stdlib ``csv`` module (quoted newlines count right).
    """
    import csv

    p = _check_path(path, param)
    if p.is_dir():
        return sum(1 for f in p.rglob("*.txt") if f.is_file())
    suffix = p.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(p).metadata.num_rows)
        if suffix in (".jsonl", ".ndjson", ".txt"):
            with p.open("rb") as fh:
                return sum(1 for line in fh if line.strip())
        if suffix in (".csv", ".tsv"):
            with p.open(encoding="utf-8", errors="replace", newline="") as fh:
                rows = csv.reader(fh, delimiter="\t" if suffix == ".tsv" else ",")
                next(rows, None)  # header
                return sum(1 for row in rows if row)
    except (OSError, csv.Error, ValueError):
        return None
    return None


def _check_path(path: str | Path, param: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise InputError(f"The --{param} path {str(p)!r} does not exist. Check the file name.")
    return p


def _iter_dir(p: Path, chunk_size: int, param: str) -> Iterator[pd.DataFrame]:
    import pandas as pd

    files = sorted(f for f in p.rglob("*.txt") if f.is_file())
    if not files:
        raise InputError(f"The --{param} directory {str(p)!r} holds no .txt files.")
    for start in range(0, len(files), chunk_size):
        part = files[start : start + chunk_size]
        yield pd.DataFrame({
            "id": [str(f.relative_to(p)) for f in part],
            "text": [f.read_bytes().decode("utf-8", errors="replace") for f in part],
        })


def _iter_csv(p: Path, chunk_size: int, param: str) -> Iterator[pd.DataFrame]:
    import pandas as pd

    sep = "\t" if p.suffix.lower() == ".tsv" else ","
    try:
        reader = pd.read_csv(p, sep=sep, encoding_errors="replace", dtype=str, keep_default_na=False,
                             na_values=[""], chunksize=chunk_size)
    except pd.errors.EmptyDataError as err:
        raise InputError(f"The --{param} file {str(p)!r} is empty: it needs a header row and rows.") from err
    with reader:
        for chunk in reader:
            yield chunk.astype(object).where(chunk.notna(), None).reset_index(drop=True)


def _iter_jsonl(p: Path, chunk_size: int, param: str) -> Iterator[pd.DataFrame]:
    import pandas as pd

    records: list[dict[str, object]] = []
    with p.open("rb") as fh:
        for lineno, raw_bytes in enumerate(fh, 1):
            raw = raw_bytes.decode("utf-8", errors="replace")
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as err:
                records.append({ERROR_COLUMN: f"invalid JSON line (line {lineno}: {err.msg})"})
            else:
                if isinstance(obj, dict):
                    records.append({k: v for k, v in obj.items() if k != ERROR_COLUMN})
                else:
                    records.append({ERROR_COLUMN: f"JSON line is not an object (line {lineno}: "
                                                  f"{type(obj).__name__})"})
            if len(records) == chunk_size:
                yield pd.DataFrame.from_records(records)
                records = []
    if records:
        yield pd.DataFrame.from_records(records)


def _iter_json(p: Path, chunk_size: int, param: str) -> Iterator[pd.DataFrame]:
    import pandas as pd

    data = json.loads(p.read_bytes().decode("utf-8", errors="replace"))
    if not isinstance(data, list):
        raise InputError(f"The --{param} file {str(p)!r} must hold a JSON list of records.")
    for start in range(0, len(data), chunk_size):
        part = data[start : start + chunk_size]
        records = [r if isinstance(r, dict) else {ERROR_COLUMN: f"JSON item is not an object "
                                                  f"({type(r).__name__})"} for r in part]
        yield pd.DataFrame.from_records(records)


def _iter_parquet(p: Path, chunk_size: int, param: str) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pending: list[pa.RecordBatch] = []
    n_pending = 0
    with pq.ParquetFile(p) as fh:
        for batch in fh.iter_batches(batch_size=chunk_size):
            pending.append(batch)
            n_pending += batch.num_rows
            while n_pending >= chunk_size:
                table = pa.Table.from_batches(pending)
                yield _arrow_to_pandas(table.slice(0, chunk_size))
                rest = table.slice(chunk_size)
                pending, n_pending = rest.to_batches(), rest.num_rows
    if n_pending:
        yield _arrow_to_pandas(pa.Table.from_batches(pending))


def _arrow_to_pandas(table: object) -> pd.DataFrame:
    frame = table.to_pandas()  # type: ignore[attr-defined]
    return frame.reset_index(drop=True)


def _iter_txt(p: Path, chunk_size: int, param: str) -> Iterator[pd.DataFrame]:
    import pandas as pd

    ids: list[str] = []
    texts: list[str] = []
    with p.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if not line.strip():
                continue
            ids.append(f"line {lineno}")
            texts.append(line)
            if len(texts) == chunk_size:
                yield pd.DataFrame({"id": ids, "text": texts})
                ids, texts = [], []
    if texts:
        yield pd.DataFrame({"id": ids, "text": texts})
