"""Stage 5: the audit report — tidy tables with fixed schemas, plus writers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AuditReport"]

_TABLES = ("claims", "evidence", "organisations", "values", "saturation", "errors")


@dataclass
class AuditReport:
    """Result of :func:`authentitext.audit`.

    Attributes:
        claims: One row per claim sentence: ``org, text_id, sentence, lang,
            claim_types``, the verdict (``verdict, alignment, confidence,
            reason, n_evidence, evidence_ids``), its weight in the
            credibility gap (``gap_weight``), ``prominence``,
            ``distinctiveness`` and its most similar evidence.
        evidence: One row per (claim, evidence sentence) pair, ranked by
            similarity: ``evidence_id, similarity, best_similarity, retrieval,
            stance, p_supports, p_contradicts, p_unrelated`` and provenance
            (``best_similarity``: the sentence's highest similarity to any
            claim of the organisation, used by the exclusivity discount).
            ``pair_p_supports`` / ``pair_p_contradicts`` / ``pair_p_unrelated``
            are the pair stance model's values; ``p_supports`` /
            ``p_contradicts`` / ``p_unrelated`` differ from them when the
            shipped relevance and direction models re-weighed the row before
            the learned verdict head (``report.config["relevance_model"]``,
            ``report.config["direction_model"]``).
        organisations: One row per organisation: ``credibility_gap``
            (formula in :mod:`authentitext.verdicts`), ``n_claims``, verdict
            counts, campaign ``coherence`` and ``type_focus``, and per claim
            type ``promise_intensity`` / ``practice_score`` (dicts).
        saturation: How many organisations make each claim type and each
            cluster of similar claims, with ``distinctiveness``.
        errors: Input rows that could not be used, with a reason (batch mode).
        values: Promise vs practice per (organisation, claim type), tidy.
        config: The resolved settings and versions of the run.
    """

    claims: pd.DataFrame
    evidence: pd.DataFrame
    organisations: pd.DataFrame
    saturation: pd.DataFrame
    errors: pd.DataFrame
    values: pd.DataFrame | None = None
    config: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.values is None:
            import pandas as pd

            self.values = pd.DataFrame(columns=["org", "claim_type", "n_claims", "promise_intensity",
                                                "practice_score", "n_relevant_evidence", "value_gap"])

    def tables(self) -> dict[str, pd.DataFrame]:
        """The report's tables by name."""
        return {name: getattr(self, name) for name in _TABLES}

    def write(self, out_dir: str | Path, *, formats: tuple[str, ...] = ("csv", "parquet", "html")) -> list[Path]:
        """Write every table as CSV and Parquet, ``run.json`` with the config, and ``report.html``.

        List-valued cells (e.g. ``claim_types``) are kept as lists in Parquet
        and written as JSON arrays in CSV. ``"html"`` in ``formats`` writes
        the self-contained HTML report (see :meth:`to_html`).

        Returns:
            The written paths.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for name, table in self.tables().items():
            if "parquet" in formats:
                path = out / f"{name}.parquet"
                table.to_parquet(path, index=False)
                written.append(path)
            if "csv" in formats:
                path = out / f"{name}.csv"
                _csv_ready(table).to_csv(path, index=False)
                written.append(path)
        path = out / "run.json"
        path.write_text(json.dumps(self.config, indent=2, default=str), encoding="utf-8")
        written.append(path)
        if "html" in formats:
            written.append(self.to_html(out / "report.html"))
        return written

    def to_html(self, path: str | Path, *, mask_pii: bool = False, **options: Any) -> Path:
        """Write the self-contained HTML report (inline CSS/JS/SVG, no external URL).

        Args:
            path: Output file.
            mask_pii: Mask e-mail addresses, phone numbers and person names in
                practice excerpts.
            **options: See :func:`authentitext.report_html.render_html`.

        Returns:
            The written path.
        """
        from .report_html import write_html

        return write_html(self, path, mask_pii=mask_pii, **options)

    def _repr_html_(self) -> str:
        from .report_html import summary_html

        return summary_html(self)

    def plot_gap(self, **options: Any) -> Any:
        """The promise-vs-practice chart as a matplotlib figure (extra ``plot``).

        See :func:`authentitext.plots.plot_gap` for ``options``.
        """
        from .plots import plot_gap

        return plot_gap(self, **options)

    def summary(self) -> str:
        """A short plain-text summary."""
        n_orgs = self.claims["org"].nunique() if len(self.claims) else 0
        verdicts = ""
        if "verdict" in self.claims.columns and len(self.claims):
            counts = self.claims["verdict"].value_counts()
            verdicts = " (" + ", ".join(f"{counts[v]} {v}" for v in sorted(counts.index)) + ")"
        return (
            f"AuditReport: {len(self.claims)} claims{verdicts} from {n_orgs} organisation(s), "
            f"{len(self.evidence)} evidence rows, {len(self.errors)} unusable input rows"
        )

    def __repr__(self) -> str:
        return self.summary()


def _csv_ready(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[col] = out[col].map(
                lambda v: json.dumps(list(v) if isinstance(v, tuple) else v, ensure_ascii=False)
                if isinstance(v, (list, tuple, dict))
                else v
            )
    return out
