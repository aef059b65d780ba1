"""Dask scale-out: same tables as the single-machine path, on a 2-worker LocalCluster."""

from __future__ import annotations

import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from authentitext.batch import score_frame  # noqa: E402
from authentitext.dask import score  # noqa: E402
from authentitext.errors import ConfigError, InputError  # noqa: E402


def _frame() -> pd.DataFrame:
    texts = [
        "The cheapest supermarket in town. Open until 8 pm.",
        "Altijd de goedkoopste supermarkt van Nederland.",
        None,
        "We are the greenest bank in the world.",
        "",
        "Wir sind die günstigste Bank in ganz Deutschland, das garantieren wir.",
        "Honest prices, no hidden fees, guaranteed.",
        "Wij werken met lokale boeren uit de regio.",
        "Our staff will help you find what you need. We never lie.",
        "bad \ufffd bytes",
        "Customer first, always.",
    ]
    return pd.DataFrame(
        {
            "uid": [f"u{i}" for i in range(len(texts))],
            "body": pd.Series(texts, dtype=object),
            "org": [f"org{i % 3}" for i in range(len(texts))],
        }
    )


@pytest.mark.model
def test_dask_matches_single_machine_on_local_cluster():
    """Partitioned scoring on 2 worker processes gives the single-machine rows and sentences."""
    frame = _frame()
    expected = score_frame(frame, text_col="body", id_col="uid")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        ddf = dd.from_pandas(frame, npartitions=4)
        rows, sentences = score(ddf, text_col="body", id_col="uid")
        got_rows, got_sentences = dask.compute(rows, sentences)
        workers = client.run(lambda: __import__("os").getpid())
    assert len(workers) == 2
    assert ddf.npartitions == 4
    got_rows = got_rows.reset_index(drop=True)
    got_sentences = got_sentences.reset_index(drop=True)
    assert got_rows["row"].tolist() == list(range(len(frame)))  # global numbering across partitions
    pd.testing.assert_frame_equal(got_rows, expected.rows, check_dtype=False)
    pd.testing.assert_frame_equal(got_sentences, expected.sentences, check_dtype=False)
    assert (got_rows["status"] == "error").sum() == 4


def test_dask_score_validates_its_input():
    """A pandas frame or a missing column is refused with a message naming the fix."""
    with pytest.raises(ConfigError, match="dask.dataframe.DataFrame"):
        score(_frame())
    with pytest.raises(InputError, match="text_col"):
        score(dd.from_pandas(_frame(), npartitions=2))
