"""Input normalisation: sequences and DataFrames → one validated text frame.

Private helper. Every public entry point runs its inputs through
:func:`normalize_texts`, so bad input is reported the same way everywhere:
in ``errors="raise"`` mode as a typed error naming the field, the rows and the
fix; in ``errors="collect"`` mode (batch files) as one reason per bad row,
while the good rows carry on. No row is ever dropped silently.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from .errors import EmptyInputError, InputError, InputTypeError

if TYPE_CHECKING:
    import pandas as pd

#: Texts longer than this many characters are rejected (a batch row gets a reason).
MAX_CHARS = 100_000
TEXT_FRAME_COLUMNS = ["text_id", "text", "org", "lang", "row_id"]
_SHOWN = 5


def cell_problem(value: Any, max_chars: int = MAX_CHARS) -> str | None:
    """Why a cell cannot be used as text, or ``None`` when it can."""
    if value is None:
        return "missing text (None)"
    if isinstance(value, float) and math.isnan(value):
        return "missing text (NaN)"
    if isinstance(value, bytes):
        return "not text (bytes): decode it to str first"
    if not isinstance(value, str):
        if _is_missing(value):
            return "missing text (NA)"
        return f"not text ({type(value).__name__})"
    if not value.strip():
        return "empty text"
    if len(value) > max_chars:
        return f"too long ({len(value)} characters > {max_chars})"
    if "\ufffd" in value:
        return "undecodable text (contains U+FFFD replacement characters)"
    return None


def normalize_texts(
    data: Any,
    *,
    param: str,
    caller: str,
    text_col: str = "text",
    org_col: str = "org",
    lang_col: str = "lang",
    id_col: str | None = None,
    errors: Literal["raise", "collect"] = "raise",
    max_chars: int = MAX_CHARS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate texts and return ``(good, bad)`` frames.

    Args:
        data: A sequence of str, a pandas Series, or a DataFrame with a
            ``text_col`` column (and optional ``org_col``, ``lang_col``,
            ``id_col`` columns).
        param: Name of the argument, used in messages (e.g. ``"claims"``).
        caller: Name of the public function, used in messages.
        text_col: Column holding the text in a DataFrame.
        org_col: Optional column with the organisation.
        lang_col: Optional column with a language code per row.
        id_col: Optional column with the user's row ids (kept as ``row_id``).
        errors: ``"raise"`` to raise on the first bad rows, ``"collect"`` to
            return them in ``bad`` with a reason.
        max_chars: Longest accepted text.

    Returns:
        ``good``: columns :data:`TEXT_FRAME_COLUMNS` (``text_id`` is the
        0-based input position). ``bad``: ``text_id, row_id, org, error``.

    Raises:
        InputTypeError: ``data`` is not a sequence/DataFrame.
        EmptyInputError: ``data`` holds no rows.
        InputError: a missing column, or bad cells in ``"raise"`` mode.
    """
    import pandas as pd

    fix_type = (
        f"The {param!r} argument of {caller}() must be a list of str or a pandas DataFrame "
        f"with a {text_col!r} column"
    )
    if data is None:
        raise InputTypeError(f"{fix_type}. Got None instead.")
    if isinstance(data, (str, bytes)):
        raise InputTypeError(f"{fix_type}, not a single string. Wrap it in a list: [{str(data)[:40]!r}].")
    if isinstance(data, pd.DataFrame):
        if text_col not in data.columns:
            raise InputError(
                f"The {param!r} DataFrame passed to {caller}() has no {text_col!r} column "
                f"(columns: {list(map(str, data.columns))}). Rename the text column to "
                f"{text_col!r} or pass text_col=..."
            )
        frame = data
        texts = list(frame[text_col])
        orgs = list(frame[org_col]) if org_col in frame.columns else [None] * len(frame)
        langs = list(frame[lang_col]) if lang_col in frame.columns else [None] * len(frame)
        if id_col is not None and id_col not in frame.columns:
            raise InputError(
                f"The id column {id_col!r} is not in the {param!r} data "
                f"(columns: {list(map(str, frame.columns))})."
            )
        ids = list(frame[id_col]) if id_col else list(range(len(frame)))
        # rows a file reader could not parse carry their reason in "__error__"
        parse_errors = list(frame["__error__"]) if "__error__" in frame.columns else [None] * len(frame)
    elif not isinstance(data, dict) and isinstance(data, (pd.Series, Sequence, Iterable)):
        texts = list(data)
        orgs = [None] * len(texts)
        langs = [None] * len(texts)
        ids = list(range(len(texts)))
        parse_errors = [None] * len(texts)
    else:
        raise InputTypeError(f"{fix_type}. Got {type(data).__name__} instead.")
    if not texts:
        raise EmptyInputError(f"The {param!r} argument of {caller}() is empty: pass at least one text.")

    good: list[tuple[Any, ...]] = []
    bad: list[tuple[Any, ...]] = []
    rows = zip(texts, orgs, langs, ids, parse_errors, strict=True)
    for pos, (text, org, lang, rid, parse_error) in enumerate(rows):
        problem = parse_error if isinstance(parse_error, str) else cell_problem(text, max_chars)
        org_value = _clean_optional(org)
        if problem is None and lang is not None and not _is_missing(lang) and not isinstance(lang, str):
            problem = f"'{lang_col}' is not a language code ({type(lang).__name__})"
        if problem is None:
            good.append((pos, text, org_value, None if _is_missing(lang) else lang, rid))
        else:
            bad.append((pos, rid, org_value, problem))
    if bad and errors == "raise":
        shown = "; ".join(f"row {b[0]}: {b[3]}" for b in bad[:_SHOWN])
        more = f" (and {len(bad) - _SHOWN} more)" if len(bad) > _SHOWN else ""
        raise InputError(
            f"The {param!r} argument of {caller}() has {len(bad)} unusable row(s): {shown}{more}. "
            "Drop or fill these rows (e.g. df.dropna(subset=['text'])), or run the batch CLI, "
            "which reports them per row."
        )
    good_df = pd.DataFrame(good, columns=TEXT_FRAME_COLUMNS)
    bad_df = pd.DataFrame(bad, columns=["text_id", "row_id", "org", "error"])
    return good_df, bad_df


def _is_missing(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _clean_optional(value: Any) -> str | None:
    if _is_missing(value):
        return None
    text = str(value).strip()
    return text or None
