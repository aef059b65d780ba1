"""Reading input files into DataFrames (private helper of the CLI and batch code).

Supported: ``.csv``/``.tsv``, ``.jsonl``/``.ndjson``, ``.json`` (a list of
records), ``.parquet``, ``.txt`` (one text per non-empty line), and a
directory of ``.txt`` files (one text per file, its relative path as ``id``).
Undecodable bytes are replaced (U+FFFD) so that the row is reported as
undecodable instead of failing the whole file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_table", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".txt")


def read_table(path: str | Path, *, param: str = "input") -> pd.DataFrame:
    """Read a supported file or directory into a DataFrame.

    Raises:
        InputError: The path does not exist, has an unsupported suffix, or
            cannot be parsed; the message names the path and the fix.
    """
    import pandas as pd

    p = Path(path)
    if not p.exists():
        raise InputError(f"The --{param} path {str(p)!r} does not exist. Check the file name.")
    if p.is_dir():
        files = sorted(f for f in p.rglob("*.txt") if f.is_file())
        if not files:
            raise InputError(f"The --{param} directory {str(p)!r} holds no .txt files.")
        return pd.DataFrame({
            "id": [str(f.relative_to(p)) for f in files],
            "text": [f.read_bytes().decode("utf-8", errors="replace") for f in files],
        })
    suffix = p.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            return pd.read_csv(p, sep="\t" if suffix == ".tsv" else ",", encoding_errors="replace",
                               keep_default_na=True)
        if suffix in (".jsonl", ".ndjson"):
            return _read_jsonl(p)
        if suffix == ".json":
            data = json.loads(p.read_bytes().decode("utf-8", errors="replace"))
            if not isinstance(data, list):
                raise InputError(f"The --{param} file {str(p)!r} must hold a JSON list of records.")
            return pd.DataFrame.from_records(data)
        if suffix == ".parquet":
            return pd.read_parquet(p)
        if suffix == ".txt":
            lines = p.read_bytes().decode("utf-8", errors="replace").splitlines()
            kept = [(i + 1, line) for i, line in enumerate(lines) if line.strip()]
            return pd.DataFrame({"id": [f"line {n}" for n, _ in kept], "text": [t for _, t in kept]})
    except InputError:
        raise
    except Exception as err:  # pandas/pyarrow raise many types; report them uniformly
        raise InputError(f"The --{param} file {str(p)!r} cannot be read as {suffix} ({err}).") from err
    raise InputError(
        f"The --{param} file {str(p)!r} has an unsupported type {suffix!r}; "
        f"use one of {list(SUPPORTED_SUFFIXES)} or a directory of .txt files."
    )


def _read_jsonl(p: Path) -> pd.DataFrame:
    import pandas as pd

    records = []
    for lineno, raw in enumerate(p.read_bytes().decode("utf-8", errors="replace").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError:
            records.append({"__line__": lineno, "__error__": "invalid JSON line"})
            continue
        if not isinstance(obj, dict):
            records.append({"__line__": lineno, "__error__": "JSON line is not an object"})
            continue
        records.append({**obj, "__line__": lineno})
    frame = pd.DataFrame.from_records(records)
    if "__error__" in frame.columns and "text" in frame.columns:
        frame.loc[frame["__error__"].notna(), "text"] = None
    return frame
