"""Charts of an :class:`~authentitext.report.AuditReport`: the data behind them,
inline SVG for the HTML report, and matplotlib figures for notebooks.

The central picture is the *credibility gap*: per value (claim type) and
organisation, how strongly it is promised (promise intensity) beside how well
practice bears it out (practice score).

* :func:`gap_table` reads ``report.values`` (``promise_intensity`` and
  ``practice_score`` per organisation and claim type) when the audit provides
  it, else per-type ``promise``/``practice`` columns (or dict cells) of
  ``report.organisations``, and otherwise derives the numbers from
  ``report.claims`` (promise: the mean claim ``score``, or the share of the
  organisation's claims of that type; practice: the mean ``alignment``). A
  value that cannot be computed is ``NaN`` and drawn as "n/a". Promise
  intensities are not bounded, so the charts draw ``promise_rel`` (promise
  divided by the loudest promise in the report) and print the raw value.
* :func:`saturation_table` counts claims per (claim type, organisation): a
  value that every competitor claims does not set anyone apart.
* :func:`gap_svg` / :func:`saturation_svg` return self-contained SVG markup
  (every text escaped, no external reference).
* :func:`plot_gap` returns a matplotlib figure; matplotlib is the optional
  ``plot`` extra and is imported only there.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

    from .report import AuditReport

__all__ = ["GAP_COLUMNS", "gap_table", "saturation_table", "gap_svg", "saturation_svg", "plot_gap"]

#: Columns of :func:`gap_table`.
GAP_COLUMNS = ["org", "claim_type", "promise", "practice", "n_claims", "source", "promise_rel"]

_PROMISE = re.compile(r"^(?:promise(?:_intensity)?[_:.](?P<a>[a-z_]+)|(?P<b>[a-z_]+)[_:.]promise(?:_intensity)?)$")
_PRACTICE = re.compile(r"^(?:practice(?:_score)?[_:.](?P<a>[a-z_]+)|(?P<b>[a-z_]+)[_:.]practice(?:_score)?)$")


def _types(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if value is None:
        return []
    try:
        return [str(v) for v in value]
    except TypeError:
        return []


def _num(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out if math.isfinite(out) else math.nan


def _wide_columns(frame: pd.DataFrame, pattern: re.Pattern[str]) -> dict[str, str]:
    """Map claim type → column for per-type columns such as ``promise_price``."""
    from .rules import CLAIM_TYPES

    found: dict[str, str] = {}
    for col in frame.columns:
        m = pattern.match(str(col).lower())
        if m:
            ctype = m.group("a") or m.group("b")
            if ctype in CLAIM_TYPES:
                found[ctype] = str(col)
    return found


def gap_table(report: AuditReport) -> pd.DataFrame:
    """Promise intensity and practice score per (organisation, claim type).

    Args:
        report: An audit report.

    Returns:
        A frame with :data:`GAP_COLUMNS`, sorted by organisation and claim
        type. ``source`` says where the numbers come from
        (``"organisations"`` or ``"claims"``); missing values are ``NaN``.
    """
    import pandas as pd

    claims = report.claims
    orgs_frame = report.organisations
    counts: dict[tuple[str, str], int] = {}
    n_by_org: dict[str, int] = {}
    score_sum: dict[tuple[str, str], list[float]] = {}
    align_sum: dict[tuple[str, str], list[float]] = {}
    has_score = "score" in claims.columns
    has_align = "alignment" in claims.columns
    if len(claims) and "claim_types" in claims.columns:
        for row in claims.itertuples(index=False):
            org = str(getattr(row, "org", "default"))
            n_by_org[org] = n_by_org.get(org, 0) + 1
            for ctype in _types(getattr(row, "claim_types", ())):
                key = (org, ctype)
                counts[key] = counts.get(key, 0) + 1
                if has_score:
                    score_sum.setdefault(key, []).append(_num(getattr(row, "score", None)))
                if has_align:
                    align_sum.setdefault(key, []).append(_num(getattr(row, "alignment", None)))

    promise_cols = _wide_columns(orgs_frame, _PROMISE) if "org" in orgs_frame.columns else {}
    practice_cols = _wide_columns(orgs_frame, _PRACTICE) if "org" in orgs_frame.columns else {}
    wide: dict[tuple[str, str], tuple[float, float]] = {}
    given = _given_values(report)
    if given:
        wide = given
        wide_source = "values"
    elif promise_cols or practice_cols:
        wide_source = "organisations"
        for rec in orgs_frame.to_dict("records"):
            for ctype in sorted(set(promise_cols) | set(practice_cols)):
                promise = _num(rec.get(promise_cols[ctype])) if ctype in promise_cols else math.nan
                practice = _num(rec.get(practice_cols[ctype])) if ctype in practice_cols else math.nan
                if not (math.isnan(promise) and math.isnan(practice)):
                    wide[(str(rec["org"]), ctype)] = (promise, practice)
    else:
        wide, wide_source = _dict_cells(orgs_frame), "organisations"

    rows = []
    for key in sorted(set(wide) if given else set(counts) | set(wide)):
        org, ctype = key
        if key in wide:
            promise, practice = wide[key]
            source = wide_source
        else:
            scores = [s for s in score_sum.get(key, []) if not math.isnan(s)]
            promise = sum(scores) / len(scores) if scores else (
                counts[key] / n_by_org[org] if n_by_org.get(org) else math.nan)
            aligns = [a for a in align_sum.get(key, []) if not math.isnan(a)]
            practice = sum(aligns) / len(aligns) if aligns else math.nan
            source = "claims"
        rows.append((org, ctype, promise, practice, counts.get(key, 0), source))
    peak = max([abs(r[2]) for r in rows if not math.isnan(r[2])] + [0.0])
    rows = [(*r, (r[2] / peak if peak > 0 else math.nan)) for r in rows]
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def _given_values(report: AuditReport) -> dict[tuple[str, str], tuple[float, float]]:
    """``report.values`` (tidy promise vs practice per org and type), when present."""
    values = getattr(report, "values", None)
    need = {"org", "claim_type", "promise_intensity", "practice_score"}
    if values is None or not hasattr(values, "columns") or not need <= set(values.columns) or not len(values):
        return {}
    return {(str(r["org"]), str(r["claim_type"])): (_num(r["promise_intensity"]), _num(r["practice_score"]))
            for r in values.to_dict("records")}


def _dict_cells(orgs: pd.DataFrame) -> dict[tuple[str, str], tuple[float, float]]:
    """Per-type dict cells ``promise_intensity`` / ``practice_score`` of the organisations table."""
    if "org" not in orgs.columns or not {"promise_intensity", "practice_score"} & set(orgs.columns):
        return {}
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for rec in orgs.to_dict("records"):
        promise = rec.get("promise_intensity")
        practice = rec.get("practice_score")
        promise = promise if isinstance(promise, dict) else {}
        practice = practice if isinstance(practice, dict) else {}
        for ctype in sorted(set(promise) | set(practice)):
            out[(str(rec["org"]), str(ctype))] = (_num(promise.get(ctype)), _num(practice.get(ctype)))
    return out


def saturation_table(report: AuditReport) -> pd.DataFrame:
    """Claims per (claim type, organisation), widest-claimed types first.

    Returns:
        One row per claim type: ``claim_type``, ``n_orgs``, ``orgs`` (sorted
        list) and one count column per organisation.
    """
    import pandas as pd

    claims = report.claims
    all_orgs = sorted({str(o) for o in report.organisations.get("org", [])}
                      | {str(o) for o in claims.get("org", [])})
    counts: dict[str, dict[str, int]] = {}
    if len(claims) and "claim_types" in claims.columns:
        for org, types in zip(claims["org"].astype(str), claims["claim_types"], strict=True):
            for ctype in _types(types):
                per = counts.setdefault(ctype, {})
                per[org] = per.get(org, 0) + 1
    rows = []
    for ctype, per in counts.items():
        makers = sorted(per)
        rows.append({"claim_type": ctype, "n_orgs": len(makers), "orgs": makers,
                     **{o: per.get(o, 0) for o in all_orgs}})
    out = pd.DataFrame(rows, columns=["claim_type", "n_orgs", "orgs", *all_orgs])
    if len(out):
        out = out.sort_values(["n_orgs", "claim_type"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def _fmt(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.2f}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def gap_svg(table: pd.DataFrame, group: str, *, by: str = "claim_type", width: int = 560) -> Markup:
    """One promise-vs-practice chart as inline SVG.

    With ``by="claim_type"`` (default) the chart is of one value and has a
    row per organisation; with ``by="org"`` it is of one organisation and has
    a row per value. Each row has two horizontal bars: promise intensity and
    practice score. The axis spans ``[min(0, data), max(1, data)]``; a missing
    value is drawn as an outlined "n/a" bar.

    Args:
        table: The output of :func:`gap_table`.
        group: The claim type (or organisation) to draw.
        by: ``"claim_type"`` or ``"org"``.
        width: SVG width in pixels.

    Returns:
        SVG markup with ``class="gap-chart"``, ``id="gap-<slug>"`` and
        ``data-group``; each row is a ``g.gap-row`` and each bar a ``rect``
        with ``class="bar-promise"`` / ``"bar-practice"`` (``"bar-na"`` when
        missing).

    Raises:
        ConfigError: ``by`` is not ``"claim_type"`` or ``"org"``.
    """
    if by not in ("claim_type", "org"):
        raise ConfigError(f"The 'by' parameter of gap_svg() must be 'claim_type' or 'org'. Got {by!r} instead.")
    row_key = "org" if by == "claim_type" else "claim_type"
    part = table[table[by] == group]
    # one domain for every chart of the table, so charts compare: [0, 1] or [-1, 1]
    practice_all = [_num(v) for v in table["practice"]]
    lo = -1.0 if any(v < 0 for v in practice_all if not math.isnan(v)) else 0.0
    hi = 1.0
    label_w, bar_h, gap_h = 120, 12, 10
    pad = 40 if lo < 0 else 10  # room for the value labels of negative bars
    plot_w = width - label_w - pad - 50
    row_h = 2 * bar_h + gap_h
    height = 34 + max(len(part), 1) * row_h + 24

    def x(v: float) -> float:
        return label_w + pad + (v - lo) / (hi - lo) * plot_w

    group_e = escape(group)
    out = [f'<svg class="gap-chart" id="gap-{escape(_slug(by + "-" + group))}" data-group="{group_e}" '
           f'data-by="{by}" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f"<title>Promise vs practice: {group_e}</title>",
           f'<g class="legend"><rect x="{label_w + pad}" y="6" width="10" height="10" class="bar-promise"/>'
           f'<text x="{label_w + pad + 14}" y="15">promise intensity</text>'
           f'<rect x="{label_w + pad + 130}" y="6" width="10" height="10" class="bar-practice"/>'
           f'<text x="{label_w + pad + 144}" y="15">practice score</text></g>']
    zero = x(0.0)
    top = 28
    if not len(part):
        out.append(f'<text x="{label_w + pad}" y="{top + 16}" class="na">no claims</text>')
    for i, rec in enumerate(part.to_dict("records")):
        y0 = top + i * row_h
        name = escape(rec[row_key])
        out.append(f'<g class="gap-row" data-{row_key.replace("_", "-")}="{name}">')
        out.append(f'<text x="{label_w}" y="{y0 + bar_h + 4}" text-anchor="end" class="row-label">{name}</text>')
        bars = (("promise", _num(rec["promise"]), _num(rec.get("promise_rel", rec["promise"]))),
                ("practice", _num(rec["practice"]), _num(rec["practice"])))
        for j, (kind, value, length) in enumerate(bars):
            y = y0 + j * bar_h
            if math.isnan(value) or math.isnan(length):
                out.append(f'<rect x="{zero:.1f}" y="{y}" width="24" height="{bar_h - 2}" class="bar-na" '
                           f'data-kind="{kind}"><title>{name} {kind}: n/a</title></rect>'
                           f'<text x="{zero + 28:.1f}" y="{y + bar_h - 3}" class="value na">n/a</text>')
                continue
            x0, x1 = sorted((zero, x(max(lo, min(hi, length)))))
            label_x = x1 + 4 if length >= 0 else x0 - 4
            anchor = "start" if length >= 0 else "end"
            out.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" height="{bar_h - 2}" '
                       f'class="bar-{kind}" data-kind="{kind}" data-value="{value:.4f}">'
                       f"<title>{name} {kind}: {value:.2f}</title></rect>"
                       f'<text x="{label_x:.1f}" y="{y + bar_h - 3}" text-anchor="{anchor}" '
                       f'class="value">{_fmt(value)}</text>')
        out.append("</g>")
    axis_y = top + max(len(part), 1) * row_h + 4
    out.append(f'<line x1="{zero:.1f}" y1="{top - 2}" x2="{zero:.1f}" y2="{axis_y}" class="axis"/>')
    for tick in sorted({lo, 0.0, hi}):
        out.append(f'<text x="{x(tick):.1f}" y="{axis_y + 14}" text-anchor="middle" class="tick">{tick:g}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def saturation_svg(table: pd.DataFrame, *, cell: int = 34) -> Markup:
    """Claim type × organisation heat map (claims per cell) as inline SVG.

    Args:
        table: The output of :func:`saturation_table`.
        cell: Cell size in pixels.

    Returns:
        SVG markup with ``id="saturation-chart"``.
    """
    orgs = [c for c in table.columns if c not in ("claim_type", "n_orgs", "orgs")]
    label_w, head_h = 120, 90
    width = label_w + cell * max(len(orgs), 1) + 70
    height = head_h + cell * max(len(table), 1) + 10
    peak = max([int(table[o].max()) for o in orgs if len(table)] + [1])
    out = [f'<svg id="saturation-chart" class="saturation-chart" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}"><title>Claim saturation across organisations</title>']
    for j, org in enumerate(orgs):
        cx = label_w + j * cell + cell / 2
        out.append(f'<text transform="translate({cx:.1f},{head_h - 6}) rotate(-45)" class="org-label">'
                   f"{escape(org)}</text>")
    out.append(f'<text x="{label_w + len(orgs) * cell + 8}" y="{head_h - 6}" class="org-label">orgs</text>')
    if not len(table):
        out.append(f'<text x="{label_w}" y="{head_h + 20}" class="na">no claims</text>')
    for i, rec in enumerate(table.to_dict("records")):
        y = head_h + i * cell
        ctype = escape(rec["claim_type"])
        out.append(f'<g class="sat-row" data-claim-type="{ctype}" data-n-orgs="{int(rec["n_orgs"])}">')
        out.append(f'<text x="{label_w - 6}" y="{y + cell / 2 + 4:.1f}" text-anchor="end" '
                   f'class="type-label">{ctype}</text>')
        for j, org in enumerate(orgs):
            n = int(rec[org])
            level = 0.0 if n == 0 else 0.25 + 0.75 * n / peak
            out.append(f'<rect x="{label_w + j * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                       f'class="sat-cell" fill-opacity="{level:.2f}" data-count="{n}">'
                       f"<title>{escape(org)} · {ctype}: {n} claim(s)</title></rect>")
            if n:
                out.append(f'<text x="{label_w + j * cell + (cell - 2) / 2:.1f}" y="{y + cell / 2 + 4:.1f}" '
                           f'text-anchor="middle" class="sat-count">{n}</text>')
        out.append(f'<text x="{label_w + len(orgs) * cell + 8}" y="{y + cell / 2 + 4:.1f}" '
                   f'class="n-orgs">{int(rec["n_orgs"])}/{len(orgs)}</text></g>')
    out.append("</svg>")
    return Markup("".join(out))


def plot_gap(
    report: AuditReport, *, by: str = "claim_type", figsize: tuple[float, float] | None = None
) -> Any:
    """The promise-vs-practice chart as a matplotlib figure.

    Args:
        report: An audit report.
        by: ``"claim_type"`` (default: one panel per value, a pair of bars per
            organisation) or ``"org"`` (one panel per organisation, a pair of
            bars per value).
        figsize: Figure size in inches (default grows with the panels).

    Returns:
        A ``matplotlib.figure.Figure``; missing practice scores are labelled
        "n/a".

    Raises:
        ImportError: matplotlib is missing (``pip install authentitext[plot]``).
        ConfigError: ``by`` is not ``"claim_type"`` or ``"org"``.
    """
    if by not in ("claim_type", "org"):
        raise ConfigError(f"The 'by' parameter of plot_gap() must be 'claim_type' or 'org'. Got {by!r} instead.")
    try:
        from matplotlib.figure import Figure
    except ImportError as err:
        raise ImportError(
            "report.plot_gap() needs matplotlib; install with `pip install authentitext[plot]`."
        ) from err
    table = gap_table(report)
    row_key = "org" if by == "claim_type" else "claim_type"
    groups = sorted(set(table[by])) or [""]
    n = len(groups)
    fig = Figure(figsize=figsize or (7.0, 1.0 + 1.9 * n), layout="constrained")
    axes = fig.subplots(n, 1, squeeze=False)[:, 0]
    for ax, group in zip(axes, groups, strict=True):
        part = table[table[by] == group]
        ys = list(range(len(part)))
        promise = [0.0 if math.isnan(_num(v)) else _num(v) for v in part["promise_rel"]]
        practice = [0.0 if math.isnan(_num(v)) else _num(v) for v in part["practice"]]
        ax.barh([y - 0.2 for y in ys], promise, height=0.38, color="#4c72b0", label="promise (relative)")
        bars = ax.barh([y + 0.2 for y in ys], practice, height=0.38, color="#dd8452", label="practice score")
        for bar, value in zip(bars, part["practice"], strict=True):
            if math.isnan(_num(value)):
                ax.annotate("n/a", (0, bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                            textcoords="offset points", va="center", fontsize=8, color="#666")
        ax.set_yticks(ys, [str(v) for v in part[row_key]])
        ax.invert_yaxis()
        ax.axvline(0, color="#333", linewidth=0.8)
        ax.set_title(group or "no claims", loc="left", fontsize=10)
    axes[-1].set_xlabel("promise intensity / loudest promise; practice score")
    axes[0].legend(loc="upper right", fontsize=8)
    fig.suptitle("Promise vs practice")
    return fig
