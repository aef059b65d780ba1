"""Chunked readers: exact chunk boundaries, stable column types, per-row parse errors, row counts."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from authentitext._io import count_rows, iter_table, read_table
from authentitext.errors import InputError


def test_parquet_chunks_are_exact_across_row_groups(tmp_path):
    """Row groups of 7 rows, chunks of 5: every chunk but the last has exactly 5 rows, in order."""
    path = tmp_path / "in.parquet"
    pq.write_table(
        pa.table({"text": [f"t{i}" for i in range(23)], "n": list(range(23))}), path, row_group_size=7
    )
    chunks = list(iter_table(path, chunk_size=5))
    assert [len(c) for c in chunks] == [5, 5, 5, 5, 3]
    assert pd.concat(chunks)["n"].tolist() == list(range(23))
    assert all(c.index.tolist() == list(range(len(c))) for c in chunks)
    assert count_rows(path) == 23


def test_csv_cells_stay_text_whatever_the_chunk(tmp_path):
    """A chunk of only numbers still yields str cells; empty cells are None; quoted newlines count once."""
    path = tmp_path / "in.csv"
    path.write_text('text,id\n"a, b",1\n42,2\n,3\n"two\nlines",4\n', encoding="utf-8")
    chunks = list(iter_table(path, chunk_size=2))
    assert [c.to_dict("records") for c in chunks] == [
        [{"text": "a, b", "id": "1"}, {"text": "42", "id": "2"}],
        [{"text": None, "id": "3"}, {"text": "two\nlines", "id": "4"}],
    ]
    assert count_rows(path) == 4


def test_jsonl_bad_lines_become_error_rows(tmp_path):
    """Invalid JSON and non-object lines are rows with a reason; blank lines are not rows."""
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"text": "ok"}\n\n{"text": "bro\n[1, 2]\n{"text": "caf\xe9"}\n')
    frame = read_table(path)
    assert len(frame) == 4 and count_rows(path) == 4
    errors = frame["__error__"].tolist()
    assert pd.isna(errors[0]) and pd.isna(errors[3])
    assert errors[1].startswith("invalid JSON line (line 3")
    assert errors[2] == "JSON line is not an object (line 4: list)"
    assert "\ufffd" in frame.loc[3, "text"]  # undecodable byte kept visible for the row check


def test_txt_and_directory_inputs(tmp_path):
    """TXT: one row per non-blank line with its line number; a directory: one row per file."""
    txt = tmp_path / "in.txt"
    txt.write_text("first\n\nsecond\n", encoding="utf-8")
    assert read_table(txt).to_dict("list") == {"id": ["line 1", "line 3"], "text": ["first", "second"]}
    d = tmp_path / "docs"
    d.mkdir()
    for name in ("b.txt", "a.txt", "c.md"):
        (d / name).write_text(name, encoding="utf-8")
    assert [c["id"].tolist() for c in iter_table(d, chunk_size=1)] == [["a.txt"], ["b.txt"]]
    assert count_rows(d) == 2


def test_unreadable_inputs_name_the_path_and_the_fix(tmp_path):
    """Missing paths, unknown suffixes and empty CSVs raise InputError."""
    with pytest.raises(InputError, match="does not exist"):
        list(iter_table(tmp_path / "nope.csv"))
    (tmp_path / "x.xlsx").write_bytes(b"PK")
    with pytest.raises(InputError, match="unsupported type '.xlsx'"):
        list(iter_table(tmp_path / "x.xlsx"))
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        list(iter_table(tmp_path / "empty.csv"))
