"""The self-contained HTML audit report (and the compact notebook summary).

:func:`render_html` turns an :class:`~authentitext.report.AuditReport` into one
HTML document with inline CSS, inline JavaScript and inline SVG charts; it
references no external URL, so it opens offline and can be mailed as one file.
It holds:

* an overview per organisation: credibility-gap index and verdict counts;
* the promise-vs-practice chart per value (claim type), a pair of bars per
  organisation (:mod:`authentitext.plots`);
* the saturation view: which values every competitor claims;
* a sortable, filterable claim table;
* per claim: the sentence with its claim spans, qualifier cues and flags
  highlighted (re-run through the claim pipeline of its language), the
  qualifiers, the flags with rule ids and rule sources, the verdict and the
  top evidence with its stance.

Columns that a report does not have (older audits, partial runs) are shown as
"n/a". Every text from the data is HTML-escaped by the Jinja2 template
(autoescape) or :func:`markupsafe.escape`.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .errors import AuthentitextError, ConfigError

if TYPE_CHECKING:
    import pandas as pd
    from jinja2 import Environment

    from .report import AuditReport
    from .rules import Rule

__all__ = ["VERDICTS", "QUALIFIERS", "render_html", "write_html", "summary_html", "highlight"]

log = logging.getLogger(__name__)

#: Verdict labels, in display order.
VERDICTS: tuple[str, ...] = ("substantiated", "contradicted", "mixed", "hollow", "unverifiable")
#: Boolean qualifier columns of the claims table shown as chips.
QUALIFIERS: tuple[str, ...] = (
    "negated", "hedged", "reported", "question", "about_self", "specific", "objectified", "generic_env",
)
_STANCES = ("supports", "contradicts", "unrelated")
_NA = "n/a"


# --------------------------------------------------------------------------- values


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pd.NA raise or compare unequal
    except (TypeError, ValueError):
        return False


def _list(value: Any) -> list[str]:
    """A list of strings from a list/tuple/array cell, a JSON array string, or a scalar."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return [str(v) for v in json.loads(text)]
            except json.JSONDecodeError:
                pass
        return [p.strip() for p in text.split(",") if p.strip()]
    if isinstance(value, dict):
        return [str(k) for k in value]
    try:
        return [str(v) for v in value if not _missing(v)]
    except TypeError:
        return [] if _missing(value) else [str(value)]


def _float(value: Any) -> float | None:
    if _missing(value):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _num_text(value: Any, digits: int = 2) -> str:
    out = _float(value)
    return _NA if out is None else f"{out:.{digits}f}"


def _text(value: Any) -> str:
    return _NA if _missing(value) or value == "" else str(value)


def _bool(value: Any) -> bool | None:
    if _missing(value):
        return None
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return bool(value)


# --------------------------------------------------------------------------- highlighting


def highlight(text: str, spans: Iterable[tuple[int, int, str, str, str]]) -> Markup:
    """Escape ``text`` and mark the given character spans (displaCy span style).

    Args:
        text: The sentence.
        spans: ``(start_char, end_char, kind, label, rule_id)`` with ``kind``
            one of ``"claim"``, ``"cue"``, ``"flag"``. Spans may overlap.

    Returns:
        HTML: ``<mark class="hl hl-claim ...">`` around covered text and a
        ``<sup class="hl-tag">`` label after each span.
    """
    spans = sorted({s for s in spans if 0 <= s[0] < s[1] <= len(text)})
    if not spans:
        return Markup(escape(text))
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [s for s in spans if s[0] <= a and b <= s[1]]
        piece = escape(text[a:b])
        if active:
            kinds = sorted({s[2] for s in active})
            title = "; ".join(f"{s[2]}: {s[3]}" + (f" ({s[4]})" if s[4] else "") for s in active)
            classes = " ".join(f"hl-{k}" for k in kinds)
            out.append(f'<mark class="hl {classes}" title="{escape(title)}">{piece}</mark>')
        else:
            out.append(str(piece))
        for kind, label in dict.fromkeys((s[2], s[3]) for s in spans if s[1] == b):
            out.append(f'<sup class="hl-tag hl-tag-{escape(kind)}">{escape(label)}</sup>')
    return Markup("".join(out))


def _pipelines(lang: str, config: dict[str, Any]) -> list[Any]:
    """Pipeline builders to try in turn: the run's claim pipeline, the shipped one, rules only."""
    from .pipeline.build import add_rules, base_pipeline, build_nlp
    from .rules import load_rules

    return [
        lambda: build_nlp(lang, rules=config.get("rules") or (), disable_rules=config.get("disable_rules") or ()),
        lambda: build_nlp(lang),
        lambda: add_rules(base_pipeline(lang), load_rules(lang)),
    ]


def _claim_spans(claims: pd.DataFrame, config: dict[str, Any]) -> dict[Any, list[tuple[int, int, str, str, str]]]:
    """Re-run the claim pipeline on each claim sentence and collect its spans.

    A pipeline that cannot be built or run (a missing model) falls back to
    the next of :func:`_pipelines`; when none works the sentences stay plain.
    """
    from .pipeline import CLAIMS_KEY, CUES_KEY, FLAGS_KEY

    kinds = ((CLAIMS_KEY, "claim"), (CUES_KEY, "cue"), (FLAGS_KEY, "flag"))
    out: dict[Any, list[tuple[int, int, str, str, str]]] = {}
    if not len(claims) or "lang" not in claims.columns:
        return out
    for lang, part in claims.groupby("lang", sort=True):
        sentences = [str(s) for s in part["sentence"]]
        docs = None
        problems = []
        try:
            builders = _pipelines(str(lang), config)
        except ImportError as err:  # pragma: no cover - broken install
            builders, problems = [], [err]
        for build in builders:
            try:
                docs = list(build().pipe(sentences, batch_size=64))
                break
            except (AuthentitextError, ImportError, OSError) as err:
                problems.append(err)
        if docs is None:
            log.warning("No claim highlighting for lang=%r: %s", lang, problems[0] if problems else "no pipeline")
            continue
        if problems:
            log.info("Claim highlighting for lang=%r uses a fallback pipeline (%s)", lang, problems[0])
        for claim_id, doc in zip(part["claim_id"], docs, strict=True):
            out[claim_id] = [(span.start_char, span.end_char, kind, span.label_, span.id_ or "")
                             for key, kind in kinds for span in doc.spans.get(key, [])]
    return out


def _rule_index(langs: Iterable[str], config: dict[str, Any]) -> dict[str, Rule]:
    from .rules import load_rules

    index: dict[str, Rule] = {}
    for lang in sorted(set(langs)):
        try:
            try:
                rules = load_rules(lang, extra=config.get("rules") or ())
            except AuthentitextError:
                rules = load_rules(lang)
        except AuthentitextError as err:
            log.warning("Rule sources unavailable for lang=%r: %s", lang, err)
            continue
        index.update({r.id: r for r in rules})
    return index


# --------------------------------------------------------------------------- context


def _verdict_counts(claims: pd.DataFrame, org: str | None = None) -> dict[str, int] | None:
    if "verdict" not in claims.columns:
        return None
    part = claims if org is None else claims[claims["org"].astype(str) == org]
    counts = {v: 0 for v in VERDICTS}
    for v in part["verdict"]:
        key = _text(v)
        counts[key] = counts.get(key, 0) + 1
    return counts


def _bar_width(value: float | None, full: int = 60) -> int | None:
    return None if value is None else int(round(min(abs(value), 1.0) * full))


def _overview(report: AuditReport) -> list[dict[str, Any]]:
    claims, orgs = report.claims, report.organisations
    names = sorted({str(o) for o in orgs.get("org", [])} | {str(o) for o in claims.get("org", [])})
    by_org = {str(r["org"]): r for r in orgs.to_dict("records")} if "org" in orgs.columns else {}
    rows = []
    for name in names:
        rec = by_org.get(name, {})
        n_claims = rec.get("n_claims")
        if _missing(n_claims):
            n_claims = int((claims["org"].astype(str) == name).sum()) if "org" in claims.columns else None
        rows.append({
            "org": name,
            "n_claims": _text(n_claims),
            "n_practice": _text(rec.get("n_practice_sentences")),
            "gap": _num_text(rec.get("credibility_gap")),
            "gap_width": _bar_width(_float(rec.get("credibility_gap"))),
            "verdicts": _verdict_counts(claims, name),
        })
    return rows


def _evidence_by_claim(evidence: pd.DataFrame, mask: bool, n_top: int,
                       used: dict[Any, set[str]] | None = None) -> dict[Any, list[dict[str, Any]]]:
    from .pii import mask_pii

    used = used or {}

    out: dict[Any, list[dict[str, Any]]] = {}
    if not len(evidence) or "claim_id" not in evidence.columns:
        return out
    ranked = evidence.sort_values(["claim_id", "rank"], kind="stable") if "rank" in evidence.columns else evidence
    records = ranked.to_dict("records")
    if used and "evidence_id" in ranked.columns:
        # the evidence the verdict counted comes first, then the rest by rank
        records.sort(key=lambda r: str(r.get("evidence_id")) not in used.get(r["claim_id"], set()))
    for rec in records:
        items = out.setdefault(rec["claim_id"], [])
        if len(items) >= n_top:
            continue
        text = _text(rec.get("evidence"))
        if mask and text != _NA:
            lang = rec.get("evidence_lang")
            text = mask_pii(text, lang if lang in ("en", "nl") else None)
        stance = _text(rec.get("stance"))
        items.append({
            "rank": _text(rec.get("rank")),
            "text": text,
            "similarity": _num_text(rec.get("similarity")),
            "stance": stance,
            "stance_class": stance if stance in _STANCES else "na",
            "probs": [(s, _num_text(rec.get(f"p_{s}"))) for s in ("supports", "contradicts", "unrelated")
                      if f"p_{s}" in rec],
            "lang": _text(rec.get("evidence_lang")),
            "source_id": _text(rec.get("practice_text_id")),
            "retrieval": _text(rec.get("retrieval")) if "retrieval" in rec else None,
            "used": "evidence_id" in rec and str(rec.get("evidence_id")) in used.get(rec["claim_id"], set()),
        })
    return out


def _rule_ref(rule_id: str, index: dict[str, Rule]) -> dict[str, str]:
    rule = index.get(rule_id)
    return {
        "id": rule_id,
        "label": rule.label if rule else _NA,
        "source": rule.source if rule else "unknown rule (not in the loaded rule packs)",
        "kind": rule.kind if rule else _NA,
    }


def _claim_items(report: AuditReport, *, mask: bool, highlight_spans: bool, n_top: int) -> list[dict[str, Any]]:
    claims = report.claims
    if not len(claims):
        return []
    if "claim_id" not in claims.columns:
        claims = claims.assign(claim_id=range(len(claims)))
    spans = _claim_spans(claims, report.config) if highlight_spans else {}
    index = _rule_index(claims["lang"].astype(str) if "lang" in claims.columns else [], report.config)
    used = ({cid: set(_list(ids)) for cid, ids in zip(claims["claim_id"], claims["evidence_ids"], strict=True)}
            if "evidence_ids" in claims.columns else {})
    evidence = _evidence_by_claim(report.evidence, mask, n_top, used)
    present_q = [q for q in QUALIFIERS if q in claims.columns]
    items = []
    for rec in claims.to_dict("records"):
        cid = rec["claim_id"]
        sentence = _text(rec.get("sentence"))
        claim_spans = spans.get(cid, [])
        if "flags" in rec:
            flag_ids = _list(rec.get("flags"))
        else:
            flag_ids = sorted({s[4] for s in claim_spans if s[2] == "flag" and s[4]})
        verdict = _text(rec.get("verdict"))
        items.append({
            "id": cid,
            "anchor": f"claim-{escape(str(cid))}",
            "org": _text(rec.get("org")),
            "lang": _text(rec.get("lang")),
            "sentence": sentence,
            "sentence_html": highlight(sentence, claim_spans),
            "types": _list(rec.get("claim_types")),
            "rules": [_rule_ref(r, index) for r in _list(rec.get("rules"))],
            "qualifiers": [q for q in present_q if _bool(rec.get(q))],
            "qualifiers_known": bool(present_q),
            "flags": [_rule_ref(r, index) for r in flag_ids],
            "flags_known": "flags" in rec or bool(spans),
            "verdict": verdict,
            "verdict_class": verdict if verdict in VERDICTS else "na",
            "confidence": _num_text(rec.get("confidence")),
            "alignment": _num_text(rec.get("alignment")),
            "score": _num_text(rec.get("score")),
            "extra": [(name, _num_text(rec.get(name))) for name in ("prominence", "distinctiveness", "p_vague")
                      if name in rec],
            "reason": _text(rec.get("reason")),
            "reasons": _list(rec.get("reasons")) if "reasons" in rec else [],
            "n_evidence": _text(rec.get("n_evidence", rec.get("n_candidates"))),
            "top_similarity": _num_text(rec.get("top_similarity")),
            "evidence": evidence.get(cid, []),
        })
    return items


def _saturation(report: AuditReport) -> tuple[Markup, list[str], list[list[str]]]:
    from .plots import saturation_svg, saturation_table

    derived = saturation_table(report)
    svg = saturation_svg(derived)
    given = report.saturation
    table = given if len(given) else derived
    cols = [str(c) for c in table.columns]
    rows = [[_cell(v) for v in rec] for rec in table.itertuples(index=False)]
    return svg, cols, rows


def _cell(value: Any) -> str:
    """A table cell as text: lists joined, floats with 2 decimals, missing as n/a."""
    if isinstance(value, (list, tuple, set)) or (hasattr(value, "tolist") and getattr(value, "ndim", 0) > 0):
        return ", ".join(_list(value))
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        return _num_text(value)
    return _text(value)


def _masked(text: str) -> str:
    from .pii import mask_pii

    return mask_pii(text, None)


def _context(report: AuditReport, *, mask_pii: bool, title: str | None, highlight_spans: bool,
             n_top: int) -> dict[str, Any]:
    from .plots import gap_svg, gap_table

    gap = gap_table(report)
    charts = [{"claim_type": t, "svg": gap_svg(gap, t, by="claim_type")} for t in sorted(set(gap["claim_type"]))]
    claims = _claim_items(report, mask=mask_pii, highlight_spans=highlight_spans, n_top=n_top)
    sat_svg, sat_cols, sat_rows = _saturation(report)
    errors = report.errors
    config = json.dumps(report.config, indent=2, default=str, ensure_ascii=False)
    return {
        "title": title or "authentitext audit report",
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "summary": report.summary(),
        "overview": _overview(report),
        "verdicts": VERDICTS,
        "has_verdicts": "verdict" in report.claims.columns,
        "charts": charts,
        "gap_source": sorted(set(gap["source"])),
        "practice_known": bool(len(gap)) and bool(gap["practice"].notna().any()),
        "saturation_svg": sat_svg,
        "saturation_cols": sat_cols,
        "saturation_rows": sat_rows,
        "claims": claims,
        "orgs": sorted({c["org"] for c in claims}),
        "verdict_values": sorted({c["verdict"] for c in claims}),
        "errors_cols": [str(c) for c in errors.columns],
        "errors_rows": [[_masked(_cell(v)) if mask_pii else _cell(v) for v in rec]
                        for rec in errors.itertuples(index=False)],
        "config": config,
        "mask_pii": mask_pii,
        "n_top": n_top,
    }


# --------------------------------------------------------------------------- rendering


def _resource_text(name: str) -> str:
    return (resources.files("authentitext.resources") / "report" / name).read_text(encoding="utf-8")


def _env() -> Environment:
    from jinja2 import Environment, StrictUndefined

    return Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_html(
    report: AuditReport,
    *,
    mask_pii: bool = False,
    title: str | None = None,
    highlight_spans: bool = True,
    top_evidence: int = 3,
) -> str:
    """Render the self-contained HTML report.

    Args:
        report: The audit report.
        mask_pii: Replace e-mail addresses, phone numbers and person names in
            practice excerpts with ``[EMAIL]``, ``[PHONE]``, ``[NAME]``
            (see :func:`authentitext.pii.mask_pii`).
        title: Page title (default "authentitext audit report").
        highlight_spans: Re-run the claim pipeline on each claim sentence to
            highlight claim spans, qualifier cues and flags.
        top_evidence: Evidence sentences shown per claim.

    Returns:
        The HTML document as a string.

    Raises:
        ConfigError: ``top_evidence`` is not a positive int.
    """
    if not isinstance(top_evidence, int) or isinstance(top_evidence, bool) or top_evidence < 1:
        raise ConfigError(
            f"The 'top_evidence' parameter of to_html() must be a positive int. Got {top_evidence!r} instead."
        )
    env = _env()
    template = env.from_string(_resource_text("report.html.j2"))
    context = _context(report, mask_pii=bool(mask_pii), title=title, highlight_spans=highlight_spans,
                       n_top=top_evidence)
    # package files, trusted: the template inlines them raw
    context["css"] = Markup(_resource_text("report.css"))
    context["js"] = Markup(_resource_text("report.js"))
    return template.render(**context)


def write_html(report: AuditReport, path: str | Path, **options: Any) -> Path:
    """Render the report (see :func:`render_html`) and write it as UTF-8.

    Returns:
        The written path (parent directories are created).
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(report, **options), encoding="utf-8")
    return out


def summary_html(report: AuditReport) -> str:
    """A compact HTML summary for notebooks (no pipeline re-run, no script)."""
    env = _env()
    template = env.from_string(_resource_text("summary.html.j2"))
    claims = report.claims
    return template.render(
        summary=report.summary(),
        overview=_overview(report),
        verdicts=VERDICTS,
        has_verdicts="verdict" in claims.columns,
        overall=_verdict_counts(claims),
    )
