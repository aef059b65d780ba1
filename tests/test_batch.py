"""Batch score job: row accounting, streaming chunks, kill-and-resume, idempotent re-runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from authentitext.batch import ROW_COLUMNS, run_score, score_frame
from authentitext.errors import InputError

EN = [
    "The cheapest supermarket in town. Open until 8 pm.",
    "We are the greenest bank in the world.",
    "Our staff will help you find what you need.",
    "Honest prices, no hidden fees, guaranteed.",
]
NL = ["Altijd de goedkoopste supermarkt van Nederland.", "Wij werken met lokale boeren uit de regio."]


def _mixed_jsonl(path: Path) -> dict[str, str | None]:
    """A JSONL file mixing good and bad rows; returns the expected error per id (None = scored)."""
    lines = [
        json.dumps({"id": "good-en", "text": EN[0], "org": "A"}),
        '{"id": "nan", "text": NaN}',
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "number", "text": 12345}),
        json.dumps({"id": "long", "text": "word " * 30_000}),
        '{"id": "broken", "text": "no closing quote',
        json.dumps(
            {"id": "german", "text": "Wir sind die günstigste Bank in ganz Deutschland, das garantieren wir."}
        ),
        json.dumps({"id": "good-nl", "text": NL[0], "org": "B"}),
    ]
    raw = "\n".join(lines).encode() + b'\n{"id": "bytes", "text": "bad \xff\xfe bytes in here"}\n'
    raw += b"\n" + json.dumps({"id": "good-en-2", "text": EN[1]}).encode() + b"\n"
    path.write_bytes(raw)
    return {
        "good-en": None,
        "nan": "missing text",
        "empty": "empty text",
        "number": "not text (int)",
        "long": "too long",
        None: "invalid JSON line (line 6",
        "german": "unsupported language (de)",
        "good-nl": None,
        "bytes": "undecodable",
        "good-en-2": None,
    }


@pytest.mark.model
def test_every_row_appears_once_with_result_or_reason(tmp_path):
    """Good and bad rows of a mixed JSONL file each appear exactly once, bad ones with a reason."""
    src = tmp_path / "mixed.jsonl"
    expected = _mixed_jsonl(src)
    summary = run_score(src, tmp_path / "out", chunk_size=3, id_col="id")
    rows = pd.read_parquet(tmp_path / "out" / "rows.parquet")
    assert list(rows.columns[: len(ROW_COLUMNS) + 1]) == ["row", "id", *ROW_COLUMNS[1:]]
    assert list(rows["row"]) == list(range(len(expected)))  # every row once, in input order
    assert (summary.rows_in, summary.scored, summary.errored) == (10, 3, 7)
    for (rid, want), (_, got) in zip(expected.items(), rows.iterrows(), strict=True):
        assert got["id"] == rid or (rid is None and pd.isna(got["id"]))
        if want is None:
            assert got["status"] == "scored" and pd.isna(got["error"]) and got["n_claims"] >= 1, got.to_dict()
        else:
            assert got["status"] == "error" and got["error"].startswith(want), got.to_dict()
            assert pd.isna(got["n_sentences"])
    assert rows.set_index("id").loc["good-nl", "lang"] == "nl"
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert len(errors) == 7 and set(errors["status"]) == {"error"}
    sentences = pd.read_parquet(tmp_path / "out" / "sentences.parquet")
    assert set(sentences["row"]) == {0, 7, 9}  # only scored rows have sentences
    assert sentences.loc[sentences["row"] == 0, "sentence_id"].tolist() == [0, 1]
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["complete"] and run["summary"]["rows_in"] == 10


@pytest.mark.model
def test_chunking_does_not_change_results(tmp_path):
    """One chunk or many: the same tables (chunk size only bounds memory)."""
    src = tmp_path / "mixed.jsonl"
    _mixed_jsonl(src)
    run_score(src, tmp_path / "one", chunk_size=100, id_col="id")
    run_score(src, tmp_path / "many", chunk_size=2, id_col="id")
    for name in ("rows", "sentences"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "one" / f"{name}.parquet"),
            pd.read_parquet(tmp_path / "many" / f"{name}.parquet"),
        )
        assert (tmp_path / "one" / f"{name}.csv").read_bytes() == (
            tmp_path / "many" / f"{name}.csv"
        ).read_bytes()


def _corpus_csv(path: Path, n: int) -> None:
    texts = [(EN + NL)[i % 6] + f" Store {i}." for i in range(n)]
    texts[5] = ""
    pd.DataFrame(
        {"uid": [f"u{i:03d}" for i in range(n)], "body": texts, "company": [f"org{i % 3}" for i in range(n)]}
    ).to_csv(path, index=False)


@pytest.mark.model
def test_killed_job_resumes_and_matches_uninterrupted_run(tmp_path):
    """SIGKILL after the first chunk; the re-run reuses it and ends with identical outputs."""
    src = tmp_path / "in.csv"
    _corpus_csv(src, 24)
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "authentitext",
        "score",
        "--input",
        str(src),
        "--out",
        str(out),
        "--chunk-size",
        "8",
        "--text-col",
        "body",
        "--org-col",
        "company",
        "--id-col",
        "uid",
    ]
    env = dict(os.environ, AUTHENTITEXT_BATCH_CHUNK_DELAY="3")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    manifest = out / "_parts" / "manifest.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # header + one finished chunk
        if manifest.exists() and len(manifest.read_text().splitlines()) >= 2:
            break
        if proc.poll() is not None:
            pytest.fail(f"job ended before it could be killed: {proc.stderr.read().decode()}")
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("no chunk finished within 120 s")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert not (out / "rows.parquet").exists()  # the job really was cut short
    done_before = len(manifest.read_text().splitlines()) - 1
    assert 1 <= done_before < 3

    kw = dict(chunk_size=8, text_col="body", org_col="company", id_col="uid")
    resumed = run_score(src, out, **kw)
    assert resumed.chunks == 3 and resumed.chunks_resumed == done_before
    fresh = run_score(src, tmp_path / "fresh", **kw)
    assert fresh.chunks_resumed == 0
    assert (
        (resumed.rows_in, resumed.scored, resumed.errored)
        == (fresh.rows_in, fresh.scored, fresh.errored)
        == (24, 23, 1)
    )
    for name in ("rows", "sentences"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(out / f"{name}.parquet"), pd.read_parquet(tmp_path / "fresh" / f"{name}.parquet")
        )
        assert (out / f"{name}.csv").read_bytes() == (tmp_path / "fresh" / f"{name}.csv").read_bytes()
    rows = pd.read_parquet(out / "rows.parquet")
    assert rows["uid"].tolist() == [f"u{i:03d}" for i in range(24)]
    assert not (out / "_parts").exists()

    again = run_score(src, out, **kw)  # finished job: nothing to redo
    assert again.rows_in == 24 and again.seconds == resumed.seconds


def test_unfinished_job_with_other_settings_is_refused(tmp_path):
    """Resuming with another chunk size would mix rows; the error names the setting and the fix."""
    src = tmp_path / "in.csv"
    pd.DataFrame({"text": ["a", "b"]}).to_csv(src, index=False)
    parts = tmp_path / "out" / "_parts"
    parts.mkdir(parents=True)
    (parts / "manifest.jsonl").write_text(json.dumps({"job": {"chunk_size": 99}}) + "\n")
    with pytest.raises(InputError, match=r"chunk_size.*--overwrite"):
        run_score(src, tmp_path / "out", chunk_size=5)


def test_missing_columns_fail_the_job(tmp_path):
    """A wrong --text-col or --id-col fails the job with the columns listed."""
    src = tmp_path / "in.csv"
    pd.DataFrame({"body": ["a"]}).to_csv(src, index=False)
    with pytest.raises(InputError, match=r"no 'text' column.*\['body'\].*--text-col"):
        run_score(src, tmp_path / "out")
    with pytest.raises(InputError, match="--id-col 'uid'"):
        run_score(src, tmp_path / "out2", text_col="body", id_col="uid")


@pytest.mark.model
def test_score_frame_aggregates_sentences_per_row():
    """score_frame: rows keep input order and ids; counts agree with the sentence table."""
    frame = pd.DataFrame({"text": [EN[0], None, NL[0]], "ref": [10, 11, 12]})
    res = score_frame(frame, id_col="ref", start_row=100)
    assert res.rows["row"].tolist() == [100, 101, 102]
    assert res.rows["ref"].tolist() == [10, 11, 12]
    assert res.rows["status"].tolist() == ["scored", "error", "scored"]
    per_row = res.sentences.groupby("row").size()
    assert res.rows.loc[0, "n_sentences"] == per_row[100] == 2
    assert res.rows.loc[0, "n_claims"] == res.sentences.loc[res.sentences["row"] == 100, "is_claim"].sum()
    assert "price" in res.rows.loc[0, "claim_types"]
    empty = score_frame(frame.iloc[:0], id_col="ref")
    assert list(empty.rows.columns) == list(res.rows.columns)
    assert list(empty.sentences.columns) == list(res.sentences.columns)


@pytest.mark.model
def test_repeated_texts_are_processed_once(monkeypatch):
    """A slogan repeated on many rows runs through the pipeline once; every copy keeps its row/org/id."""
    import authentitext.claims as claims_mod

    seen: list[int] = []
    real = claims_mod.claims_from_frame

    def counting(frame, **kw):
        seen.append(len(frame))
        return real(frame, **kw)

    monkeypatch.setattr(claims_mod, "claims_from_frame", counting)
    slogan = EN[0]
    frame = pd.DataFrame(
        {
            "text": [slogan, NL[0], slogan, slogan, ""],
            "org": ["A", "B", "C", "A", "D"],
            "ref": ["r0", "r1", "r2", "r3", "r4"],
        }
    )
    res = score_frame(frame, id_col="ref")
    assert seen == [2]  # two distinct texts
    rows = res.rows
    assert rows["ref"].tolist() == ["r0", "r1", "r2", "r3", "r4"]
    assert rows["org"].tolist() == ["A", "B", "C", "A", "D"]
    same = ["n_sentences", "n_claims", "claim_types", "rules", "lang", "status"]
    for i in (2, 3):
        assert rows.loc[i, same].tolist() == rows.loc[0, same].tolist()
    sents = res.sentences
    assert sents.groupby("row").size().to_dict() == {0: 2, 1: 1, 2: 2, 3: 2}
    assert sents.loc[sents["row"] == 2, "org"].tolist() == ["C", "C"]
    assert sents.loc[sents["row"] == 3, "ref"].tolist() == ["r3", "r3"]
    cols = [c for c in sents.columns if c not in ("row", "ref", "org")]
    a = sents[sents["row"] == 0][cols].reset_index(drop=True)
    b = sents[sents["row"] == 3][cols].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
