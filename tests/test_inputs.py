"""Bad input gets a typed error that names the field and the fix, never a deep traceback."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import authentitext as at
from authentitext._inputs import normalize_texts
from authentitext.errors import (
    EmptyInputError,
    InputError,
    InputTypeError,
    LanguageError,
    ModelNotFoundError,
)

BAD_SEQUENCES = [
    (None, InputTypeError, "Got None"),
    ("just one string", InputTypeError, "not a single string"),
    ([], EmptyInputError, "is empty"),
    (["ok", float("nan")], InputError, r"row 1: missing text \(NaN\)"),
    (["ok", None], InputError, r"row 1: missing text \(None\)"),
    (["ok", 42], InputError, r"row 1: not text \(int\)"),
    (["ok", "   "], InputError, "row 1: empty text"),
    ([b"bytes"], InputError, "row 0: not text"),
    (12, InputTypeError, "Got int"),
]


@pytest.mark.parametrize("value, error, message", BAD_SEQUENCES)
def test_extract_claims_bad_input(value, error, message):
    """Each bad input raises its typed error naming the 'texts' argument."""
    with pytest.raises(error, match=message) as info:
        at.extract_claims(value)
    assert "'texts'" in str(info.value)


def test_missing_text_column_names_columns_and_fix():
    """A DataFrame without a text column lists the columns it has."""
    with pytest.raises(InputError, match=r"no 'text' column \(columns: \['body', 'org'\]\).*text_col"):
        at.extract_claims(pd.DataFrame({"body": ["x"], "org": ["A"]}))


def test_unknown_lang_code():
    """An unknown lang code is a LanguageError naming allowed values."""
    with pytest.raises(LanguageError, match=r"\['en', 'nl'\]"):
        at.extract_claims(["The cheapest in town."], lang="de")


@pytest.mark.model
def test_unsupported_language_rows_are_named():
    """Texts detected as German are rejected with their row numbers."""
    with pytest.raises(LanguageError, match=r"row 1 \(de"):
        at.extract_claims(["We are the cheapest.", "Wir sind die günstigsten im ganzen Land, garantiert."])


def test_audit_bad_inputs_name_the_argument(fake_encoder):
    """audit() names which of its two inputs is wrong."""
    with pytest.raises(InputTypeError, match="'practice'"):
        at.audit(["We are honest."], None, encoder=fake_encoder)
    with pytest.raises(EmptyInputError, match="'claims'"):
        at.audit([], ["text"], encoder=fake_encoder)


def test_audit_missing_model_path():
    """A model path that does not exist is a ModelNotFoundError, before any work."""
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        at.audit(["We are honest."], ["They lie."], encoder="/nonexistent/model")


def test_collect_mode_reports_each_bad_row():
    """In batch (collect) mode every bad row gets a reason; good rows carry on."""
    data = pd.DataFrame({"text": ["good", math.nan, "", 5, "also good", "x" * 20], "id": list("abcdef")})
    good, bad = normalize_texts(data, param="input", caller="score", id_col="id", errors="collect",
                                max_chars=10)
    assert list(good["row_id"]) == ["a", "e"]
    assert dict(zip(bad["row_id"], bad["error"])) == {
        "b": "missing text (NaN)",
        "c": "empty text",
        "d": "not text (int)",
        "f": "too long (20 characters > 10)",
    }
    assert len(good) + len(bad) == len(data)
