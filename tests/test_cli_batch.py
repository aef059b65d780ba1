"""Batch CLI: column mapping, file formats, ids kept, audit with the embedding cache."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from authentitext.batch import run_audit
from authentitext.cli import main

CLAIMS = pd.DataFrame(
    {
        "uid": ["c1", "c2", "c3", "c4"],
        "body": [
            "ClearBank is the honest bank: no hidden fees.",
            "",
            "Altijd de goedkoopste supermarkt.",
            "We are the greenest energy company in the world.",
        ],
        "company": ["ClearBank", "ClearBank", "Prijsvrij", "GreenCo"],
    }
)
PRACTICE = pd.DataFrame(
    {
        "uid": ["p1", "p2", "p3", "p4", "p5"],
        "body": [
            "We were told to keep quiet about the maintenance fee.",
            "De prijzen liggen hoger dan elders.",
            None,
            "The coal plant is still running at full power.",
            "Fijne collega's.",
        ],
        "company": ["ClearBank", "Prijsvrij", "ClearBank", "GreenCo", "Prijsvrij"],
    }
)


@pytest.mark.model
def test_score_cli_maps_columns_and_keeps_ids(tmp_path, capsys):
    """--text-col/--org-col/--id-col are honoured; outputs carry the input ids; exit 0 despite bad rows."""
    src = tmp_path / "ads.csv"
    CLAIMS.to_csv(src, index=False)
    out = tmp_path / "out"
    code = main(
        [
            "score",
            "--input",
            str(src),
            "--out",
            str(out),
            "--text-col",
            "body",
            "--org-col",
            "company",
            "--id-col",
            "uid",
            "--chunk-size",
            "2",
            "--no-progress",
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "rows in: 4, scored: 3, errored: 1" in err
    rows = pd.read_csv(out / "rows.csv")
    assert rows.columns[:3].tolist() == ["row", "uid", "org"]
    assert rows["uid"].tolist() == ["c1", "c2", "c3", "c4"]
    assert rows["org"].tolist() == ["ClearBank", "ClearBank", "Prijsvrij", "GreenCo"]
    assert rows.loc[1, "error"] == "missing text (None)"  # an empty CSV cell is a missing value
    parsed = [json.loads(v) for v in rows["claim_types"].dropna()]  # list cells are JSON arrays in CSV
    assert len(parsed) == 3 and all(isinstance(p, list) for p in parsed) and any(parsed)
    sentences = pd.read_parquet(out / "sentences.parquet")
    assert set(sentences["uid"]) == {"c1", "c3", "c4"}
    assert isinstance(sentences.loc[0, "claim_types"], (list, tuple)) or hasattr(
        sentences.loc[0, "claim_types"], "tolist"
    )


@pytest.mark.model
def test_score_cli_reads_parquet_and_txt_directories(tmp_path, capsys):
    """Parquet keeps its id type; a directory of .txt files gets the file names as ids."""
    pq = tmp_path / "ads.parquet"
    CLAIMS.assign(num=[10, 11, 12, 13]).to_parquet(pq, index=False)
    assert (
        main(
            [
                "score",
                "--input",
                str(pq),
                "--out",
                str(tmp_path / "o1"),
                "--text-col",
                "body",
                "--id-col",
                "num",
                "--no-progress",
            ]
        )
        == 0
    )
    rows = pd.read_parquet(tmp_path / "o1" / "rows.parquet")
    assert rows["num"].tolist() == [10, 11, 12, 13]
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.txt").write_text("The cheapest supermarket in town.", encoding="utf-8")
    (docs / "sub" / "b.txt").write_bytes(b"broken \xff bytes")
    assert main(["score", "--input", str(docs), "--out", str(tmp_path / "o2"), "--no-progress"]) == 0
    rows = pd.read_parquet(tmp_path / "o2" / "rows.parquet")
    assert rows["id"].tolist() == ["a.txt", "sub/b.txt"]
    assert rows["status"].tolist() == ["scored", "error"]
    capsys.readouterr()


def test_score_cli_job_failures_exit_1(tmp_path, capsys):
    """A missing file or a wrong column fails the job (exit 1) with a message naming the fix."""
    assert main(["score", "--input", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o")]) == 1
    assert "does not exist" in capsys.readouterr().err
    src = tmp_path / "ads.csv"
    CLAIMS.to_csv(src, index=False)
    assert main(["score", "--input", str(src), "--out", str(tmp_path / "o")]) == 1
    assert "--text-col" in capsys.readouterr().err
    assert main(["score", "--input", str(src), "--out", str(tmp_path / "o"), "--chunk-size", "0"]) == 1
    assert "--chunk-size" in capsys.readouterr().err


@pytest.mark.model
def test_run_audit_accounts_for_rows_and_reuses_the_cache(tmp_path, fake_encoder):
    """Every claims/practice row is accounted for; the re-run embeds nothing (all cache hits)."""
    kw = dict(
        claims=CLAIMS,
        practice=PRACTICE,
        text_col="body",
        org_col="company",
        id_col="uid",
        encoder=fake_encoder,
    )
    report, rows, first = run_audit(None, None, tmp_path / "out", **kw)
    assert len(rows) == len(CLAIMS) + len(PRACTICE)
    assert rows.groupby("input")["row"].apply(list).to_dict() == {
        "claims": [0, 1, 2, 3],
        "practice": [0, 1, 2, 3, 4],
    }
    bad = rows[rows["status"] == "error"]
    assert bad["uid"].tolist() == ["c2", "p3"]
    assert first.cache["misses"] > 0  # (hits may be > 0: the audit can embed a text twice)
    assert report.claims["uid"].isin(["c1", "c3", "c4"]).all()
    assert "practice_uid" in report.evidence.columns
    _, _, second = run_audit(None, None, tmp_path / "out", **kw)
    assert second.cache["misses"] == 0
    assert second.cache["hits"] > 0  # the audit may also reuse in-process work
    _, _, third = run_audit(None, None, tmp_path / "out2", cache=False, **kw)
    assert third.cache == {}
    for name in ("rows.csv", "claims.csv", "evidence.csv", "run.json", "embeddings-cache.sqlite"):
        assert (tmp_path / "out" / name).exists()
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["batch"]["summary"]["errored"] == 2


@pytest.mark.model
def test_audit_cli_with_columns_and_cache_path(tmp_path, capsys):
    """The audit command maps columns, writes the tables and uses --cache PATH."""
    c, p = tmp_path / "claims.jsonl", tmp_path / "practice.csv"
    CLAIMS.assign(uid=[1, 2, 3, 4]).to_json(c, orient="records", lines=True)  # int ids here, text ids there
    PRACTICE.to_csv(p, index=False)
    cache = tmp_path / "shared" / "emb.sqlite"
    args = [
        "audit",
        "--claims",
        str(c),
        "--practice",
        str(p),
        "--out",
        str(tmp_path / "out"),
        "--text-col",
        "body",
        "--org-col",
        "company",
        "--id-col",
        "uid",
        "--cache",
        str(cache),
        "--no-progress",
    ]
    assert main(args) == 0
    assert cache.exists() and not (tmp_path / "out" / "embeddings-cache.sqlite").exists()
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "rows in: 9, scored: 7, errored: 2" in err
    assert "0 misses" in err.splitlines()[-1]
    rows = pd.read_csv(tmp_path / "out" / "rows.csv")
    assert rows["uid"].astype(str).tolist() == ["1", "2", "3", "4"] + PRACTICE["uid"].tolist()
    stored = pd.read_parquet(tmp_path / "out" / "rows.parquet")["uid"].tolist()
    assert stored[:5] == ["1", "2", "3", "4", "p1"]


def test_audit_cli_passes_device_to_the_encoder(tmp_path, capsys):
    """--device reaches the encoder: the numpy default refuses cuda with a message naming the fix."""
    c, p = tmp_path / "claims.csv", tmp_path / "practice.csv"
    CLAIMS.to_csv(c, index=False)
    PRACTICE.to_csv(p, index=False)
    args = ["audit", "--claims", str(c), "--practice", str(p), "--text-col", "body", "--device", "cuda"]
    assert main(args) == 1
    assert "encoder='minilm'" in capsys.readouterr().err
