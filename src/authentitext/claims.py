"""Claims side: marketing texts → one row per sentence with its claims.

``extract_claims`` runs each text through the pipeline of its language
(:func:`authentitext.pipeline.build_nlp`), reads ``doc.spans["claims"]`` per
sentence and returns a tidy DataFrame with a fixed column order
(:data:`CLAIM_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._inputs import normalize_texts
from .errors import LanguageError
from .lang import SUPPORTED_LANGUAGES, resolve_langs
from .pipeline import CLAIMS_KEY

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc, Span

__all__ = ["CLAIM_COLUMNS", "extract_claims", "claims_from_frame", "sentence_rows"]

#: Column order of the frame returned by :func:`extract_claims`.
CLAIM_COLUMNS: list[str] = [
    "text_id",
    "sentence_id",
    "sentence",
    "lang",
    "is_claim",
    "claim_types",
    "negated",
    "hedged",
    "reported",
    "question",
    "about_self",
    "specific",
    "objectified",
    "generic_env",
    "offset_neutral",
    "flags",
    "flag_sources",
    "score",
    "reasons",
    "rules",
    "start_char",
    "end_char",
]


def extract_claims(
    texts: Any,
    lang: Any = None,
    *,
    rules: Iterable[str | Path] = (),
    disable_rules: Iterable[str] = (),
    text_col: str = "text",
    model: str = "default",
) -> pd.DataFrame:
    """Find and type the claims in marketing texts.

    Args:
        texts: A list of str, or a DataFrame with a ``text`` column (an
            optional ``lang`` column gives per-row languages; an ``org``
            column is carried into the output).
        lang: ``None`` to detect each text's language, ``"en"``/``"nl"`` for
            all texts, or one code per text.
        rules: Extra rule-pack files (see :mod:`authentitext.rules`).
        disable_rules: Rule ids to switch off.
        text_col: The text column of a DataFrame input.
        model: The learned claim layer: ``"default"`` (shipped model), a
            directory written by ``ClaimModel.save``, or ``"none"`` (rules only).

    Returns:
        One row per sentence, columns :data:`CLAIM_COLUMNS` (plus ``org``
        when the input had one). ``text_id`` is the 0-based input position.
        ``claim_types`` lists the types; the qualifier columns are booleans
        (claim-content qualifiers are ``False`` on sentences without a type);
        ``flags`` lists regulatory flag rule ids and ``flag_sources`` their
        citations; ``score`` is the model probability (``None`` without a
        model); ``reasons`` says which rules and/or model score decided, which
        veto applied and which model type was withheld;
        ``rules`` lists the claim rule ids that matched.

    Raises:
        InputTypeError: ``texts`` is ``None``, a single str, or not a sequence.
        EmptyInputError: ``texts`` is empty.
        InputError: A row is NaN, not a str, or empty (the message lists them).
        LanguageError: ``lang`` is unknown or a text is in an unsupported language.

    Example:
        >>> df = extract_claims(["The cheapest supermarket in town.", "Open until 8 pm."])
        >>> df[["sentence", "is_claim"]].values.tolist()
        [['The cheapest supermarket in town.', True], ['Open until 8 pm.', False]]
    """
    frame, _ = normalize_texts(texts, param="texts", caller="extract_claims", text_col=text_col)
    if lang is not None:
        frame["lang"] = resolve_langs(list(frame["text"]), lang)
    return claims_from_frame(frame, rules=rules, disable_rules=disable_rules, model=model)


def claims_from_frame(
    frame: pd.DataFrame,
    *,
    rules: Iterable[str | Path] = (),
    disable_rules: Iterable[str] = (),
    param: str = "texts",
    model: str = "default",
) -> pd.DataFrame:
    """Run the claim pipeline over a validated text frame (see ``_inputs``).

    Rows whose ``lang`` is missing are detected first; rows in an unsupported
    language raise :class:`LanguageError` naming them.
    """
    import pandas as pd

    from .pipeline.build import build_nlp

    frame, _ = fill_languages(frame, param=param)
    rules, disable_rules = tuple(rules), tuple(disable_rules)
    rows: list[dict[str, Any]] = []
    for code in SUPPORTED_LANGUAGES:
        part = frame[frame["lang"] == code]
        if part.empty:
            continue
        nlp = build_nlp(code, rules=rules, disable_rules=disable_rules, model=model)
        sources = _flag_sources(code, rules, disable_rules)
        for text_id, doc in zip(part["text_id"], nlp.pipe(part["text"], batch_size=64), strict=True):
            for row in sentence_rows(doc):
                row["flag_sources"] = [sources.get(f, "") for f in row["flags"]]
                row["text_id"] = int(text_id)
                row["lang"] = code
                rows.append(row)
    out = pd.DataFrame(rows, columns=_columns(rows))
    if frame["org"].notna().any():
        out.insert(1, "org", out["text_id"].map(dict(zip(frame["text_id"], frame["org"], strict=True))))
    return out.sort_values(["text_id", "sentence_id"], kind="stable").reset_index(drop=True)


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    extra = [k for k in (rows[0] if rows else {}) if k not in CLAIM_COLUMNS]
    return CLAIM_COLUMNS + extra


def fill_languages(
    frame: pd.DataFrame, *, param: str, errors: str = "raise"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Detect missing languages, validate given ones, and handle unsupported ones.

    Returns:
        ``(supported, rejected)``: ``rejected`` has ``text_id, row_id, org,
        error`` for rows in an unsupported language (``errors="collect"``).

    Raises:
        LanguageError: With ``errors="raise"``, naming the unsupported rows.
    """
    import pandas as pd

    from .lang import detect_languages

    frame = frame.copy()
    missing = frame["lang"].isna()
    if missing.any():
        frame.loc[missing, "lang"] = detect_languages(list(frame.loc[missing, "text"]))
    given = ~missing
    if given.any():
        values = frame.loc[given, "lang"].map(lambda c: c.strip().lower() if isinstance(c, str) else c)
        bad_codes = values[~values.isin(SUPPORTED_LANGUAGES)]
        if not bad_codes.empty and errors == "raise":
            raise LanguageError(
                f"The 'lang' column of {param!r} must hold one of {list(SUPPORTED_LANGUAGES)} "
                f"(or be empty to auto-detect). Got {sorted(set(map(str, bad_codes)))[:5]} "
                f"in row(s) {list(frame.loc[bad_codes.index, 'text_id'])[:5]}."
            )
        frame.loc[given, "lang"] = values
    unsupported = frame[~frame["lang"].isin(SUPPORTED_LANGUAGES)]
    if not unsupported.empty and errors == "raise":
        shown = ", ".join(
            f"row {r.text_id} ({r.lang}: {r.text[:40]!r})" for r in unsupported.head(5).itertuples()
        )
        raise LanguageError(
            f"{len(unsupported)} row(s) of {param!r} are in a language authentitext does not "
            f"support ({list(SUPPORTED_LANGUAGES)}): {shown}. Remove or translate them, or pass "
            "lang='en'/'nl' if the detection is wrong."
        )
    rejected = pd.DataFrame({
        "text_id": unsupported["text_id"],
        "row_id": unsupported["row_id"],
        "org": unsupported["org"],
        "error": [f"unsupported language ({c}); supported: {', '.join(SUPPORTED_LANGUAGES)}"
                  for c in unsupported["lang"]],
    })
    return frame[frame["lang"].isin(SUPPORTED_LANGUAGES)].reset_index(drop=True), rejected.reset_index(drop=True)


def _flag_sources(lang: str, rules: tuple[Any, ...], disable_rules: tuple[Any, ...]) -> dict[str, str]:
    from .rules import load_rules

    return {r.id: r.source for r in load_rules(lang, extra=rules, disable=disable_rules) if r.kind == "flag"}


def sentence_rows(doc: Doc, spans_key: str = CLAIMS_KEY) -> list[dict[str, Any]]:
    """One dict per sentence of ``doc`` with its claim decision and qualifiers.

    Sentence values come from ``doc.spans["claim_sentences"]`` (set by the
    ``authentitext_qualifiers`` component); without it (a pipeline with rulers
    only) a sentence is a claim when a claim rule matched in it.
    """
    from .pipeline.components import SENTENCES_KEY
    from .pipeline.extensions import QUALIFIERS

    spans = list(doc.spans[spans_key]) if spans_key in doc.spans else []
    sents = list(doc.spans[SENTENCES_KEY]) if SENTENCES_KEY in doc.spans else list(doc.sents)
    rows = []
    for i, sent in enumerate(sents):
        inside = [s for s in spans if s.start >= sent.start and s.end <= sent.end]
        rule_spans = [s for s in inside if s.id_ and s.id_ != "model"]
        row = {
            "sentence_id": i,
            "sentence": sent.text.strip(),
            "is_claim": bool(inside),
            "claim_types": sorted({s.label_ for s in inside}),
        }
        decided = sent.has_extension("is_claim") and sent._.claim_types is not None
        for q in QUALIFIERS:
            row[q] = bool(getattr(sent._, q)) if decided else False
        if decided:
            row["is_claim"] = bool(sent._.is_claim)
            row["claim_types"] = list(sent._.claim_types)
        row["flags"] = list(sent._.flags or []) if decided else []
        row["flag_sources"] = []
        row["score"] = sent._.claim_score if decided else None
        row["reasons"] = list(sent._.reasons or []) if decided else [
            "rules:" + ",".join(sorted({s.id_ for s in rule_spans}))] if rule_spans else []
        row["rules"] = sorted({s.id_ for s in rule_spans})
        row["start_char"] = sent.start_char
        row["end_char"] = sent.end_char
        rows.append(row)
    return rows
