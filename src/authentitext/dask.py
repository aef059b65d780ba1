"""Scale-out on Dask: score a Dask DataFrame partition by partition.

Needs the optional extra: ``pip install "authentitext[dask]"`` (``dask[dataframe]``
and ``distributed``). Each partition goes through
:func:`authentitext.batch.score_frame`, the function the single-machine
``authentitext score`` job runs per chunk, so the results are the same: one
row per input row (``row`` is the global 0-based position across partitions)
and one row per sentence. Every worker loads the spaCy pipelines once per
process (they are cached), so use process workers with one thread each.

Local machine::

    import dask.dataframe as dd
    from distributed import Client, LocalCluster
    from authentitext.dask import score

    client = Client(LocalCluster(n_workers=4, threads_per_worker=1, processes=True))
    ddf = dd.read_parquet("campaigns/*.parquet")          # or dd.read_csv(..., dtype=str)
    rows, sentences = score(ddf, text_col="body", id_col="uid")
    rows.to_parquet("scored/rows/")                        # or dask.compute(rows, sentences)

A real cluster: start a scheduler and workers where the data lives (``dask
scheduler`` on one host, ``dask worker tcp://scheduler:8786 --nthreads 1
--nworkers 4`` on each worker host, every host with ``authentitext[dask]``
installed in the same version), then connect instead of ``LocalCluster``::

    client = Client("tcp://scheduler:8786")

The same code then runs on the cluster; read inputs from storage all workers
can reach (S3, GCS, HDFS, a shared file system). Computing ``rows`` and
``sentences`` together (``dask.compute(rows, sentences)`` or
``dd.to_parquet`` of both in one ``dask.compute``) scores each partition once.

Dask converts text columns to ``string[pyarrow]`` by default, which turns a
number in a text column into a string; set
``dask.config.set({"dataframe.convert-string": False})`` before building the
frame to have such cells reported as ``not text`` as the single-machine path does.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._inputs import MAX_CHARS
from .errors import ConfigError

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["score"]


def _require_dask() -> Any:
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as err:
        raise ConfigError(
            'authentitext.dask needs Dask: install with `pip install "authentitext[dask]"`.'
        ) from err
    return dask, dd


def score(
    ddf: dd.DataFrame,
    *,
    text_col: str = "text",
    org_col: str = "org",
    lang_col: str = "lang",
    id_col: str | None = None,
    lang: str | None = None,
    rules: Iterable[str | Path] = (),
    disable_rules: Iterable[str] = (),
    max_chars: int = MAX_CHARS,
) -> tuple[dd.DataFrame, dd.DataFrame]:
    """Score the campaign copy in a Dask DataFrame, one partition per task.

    Args:
        ddf: A ``dask.dataframe.DataFrame`` with a ``text_col`` column.
        text_col, org_col, lang_col, id_col, lang, rules, disable_rules,
            max_chars: As in :func:`authentitext.batch.score_frame`.

    Returns:
        ``(rows, sentences)``, lazy Dask DataFrames with the columns of
        :func:`authentitext.batch.score_frame`; ``row`` numbers input rows
        0, 1, 2... across all partitions. Compute both together to score each
        partition once.

    Raises:
        ConfigError: Dask is not installed, or ``ddf`` is not a Dask DataFrame.
        InputError: ``text_col`` / ``id_col`` is not a column.

    Example:
        >>> import dask.dataframe as dd, pandas as pd
        >>> ddf = dd.from_pandas(pd.DataFrame({"text": ["The cheapest in town."] * 4}), npartitions=2)
        >>> rows, sentences = score(ddf)
        >>> rows.compute()["row"].tolist()
        [0, 1, 2, 3]
    """
    import pandas as pd

    dask, dd = _require_dask()
    from .batch import score_frame
    from .errors import InputError

    if not isinstance(ddf, dd.DataFrame):
        raise ConfigError(
            "The 'ddf' parameter of authentitext.dask.score must be a dask.dataframe.DataFrame "
            f"(use dd.from_pandas or dd.read_parquet). Got {type(ddf).__name__} instead."
        )
    columns = list(ddf.columns)
    if text_col not in columns:
        raise InputError(
            f"The 'ddf' DataFrame has no {text_col!r} column (columns: {columns}). Pass text_col=..."
        )
    if id_col is not None and id_col not in columns:
        raise InputError(f"The id column {id_col!r} is not in the 'ddf' DataFrame (columns: {columns}).")
    options = {
        "text_col": text_col,
        "org_col": org_col,
        "lang_col": lang_col,
        "id_col": id_col,
        "lang": lang,
        "rules": tuple(str(r) for r in rules),
        "disable_rules": tuple(disable_rules),
        "max_chars": max_chars,
    }
    empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    meta = score_frame(empty, **options)  # type: ignore[arg-type]
    lengths = ddf.map_partitions(len, meta=(None, "int64")).compute()
    offsets = [0]
    for n in list(lengths)[:-1]:
        offsets.append(offsets[-1] + int(n))
    rows_parts, sentence_parts = [], []
    for part, offset in zip(ddf.to_delayed(), offsets, strict=True):
        rows_d, sentences_d = dask.delayed(_score_partition, nout=2, pure=True)(part, offset, options)
        rows_parts.append(rows_d)
        sentence_parts.append(sentences_d)
    # list cells (claim_types, rules...) must stay Python lists, not be turned into strings
    with dask.config.set({"dataframe.convert-string": False}):
        rows = dd.from_delayed(rows_parts, meta=meta.rows, verify_meta=False)
        sentences = dd.from_delayed(sentence_parts, meta=meta.sentences, verify_meta=False)
    return rows, sentences


def _score_partition(
    part: pd.DataFrame, offset: int, options: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Worker side: one partition → (rows, sentences), numbered from ``offset``."""
    from .batch import score_frame

    part = _plain_objects(part.reset_index(drop=True))
    result = score_frame(part, start_row=offset, **options)
    return result.rows, result.sentences


def _plain_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """String-extension columns (Dask's default) back to Python objects with ``None`` for missing."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.StringDtype):
            out[col] = pd.Series(
                [None if v is pd.NA or (isinstance(v, float) and v != v) else v for v in out[col]],
                dtype=object,
                index=out.index,
            )
    return out
