"""The HTML audit report, its charts, PII masking and the notebook summary.

Unit tests use a hand-built :class:`AuditReport` with every column the audit
may produce (verdicts, stances, per-type promise/practice scores) and hostile
text, so escaping and the "n/a" fallbacks are checked without models. The
``model`` tests render the report of the bundled sample corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape

from authentitext.errors import ConfigError
from authentitext.pii import mask_pii
from authentitext.plots import gap_svg, gap_table, plot_gap, saturation_table
from authentitext.report import AuditReport
from authentitext.report_html import VERDICTS, highlight, render_html

XSS = '<script>alert("x")</script>'
# anything that would make the page fetch or link to something outside the file
EXTERNAL = re.compile(r"(?i)(https?:|ftp:|//cdn|\bsrc\s*=|<link\b|@import|url\(|<iframe|<object|<embed)")


def _full_report() -> AuditReport:
    claims = pd.DataFrame({
        "claim_id": [0, 1, 2, 3, 4],
        "org": ["Acme", "Acme", "Bolt", "Bolt", f"Evil{XSS}"],
        "text_id": [0, 1, 2, 3, 4],
        "sentence_id": [0, 0, 0, 0, 0],
        "sentence": ["We are the cheapest shop.", "Honest prices, always.", "Wij zijn 100% groen.",
                     "Klanten staan centraal.", f"Best {XSS} ever & more."],
        "lang": ["en", "en", "nl", "nl", "en"],
        "claim_types": [["price", "superiority"], ["integrity"], ["sustainability"], ["customer"], ["quality"]],
        "rules": [["en.rule.cheap"], ["en.rule.honest"], [], [], ["en.rule.evil"]],
        "negated": [False, False, False, True, False],
        "hedged": [False, True, False, False, False],
        "flags": [["en.flag.superlative"], [], ["nl.flag.generic_env"], [], []],
        "score": [0.9, 0.6, 0.8, 0.4, 0.5],
        "reasons": [["superlative"], ["hedge"], ["generic env"], [], [XSS]],
        "verdict": list(VERDICTS),
        "alignment": [0.7, -0.6, 0.1, None, None],
        "confidence": [0.8, 0.7, 0.5, 0.6, 0.3],
        "reason": ["reviews agree", "staff say fees are hidden", "mixed evidence", "never mentioned", XSS],
        "n_evidence": [2, 1, 1, 0, 0],
        "evidence_ids": [["e0"], ["e2"], [], [], []],
        "prominence": [2.0, 1.0, 1.5, 1.0, 1.0],
        "top_similarity": [0.61, 0.55, 0.4, None, None],
    })
    evidence = pd.DataFrame({
        "evidence_id": ["e0", "e1", "e2", "e3"],
        "claim_id": [0, 0, 1, 2],
        "org": ["Acme", "Acme", "Acme", "Bolt"],
        "rank": [1, 2, 1, 1],
        "evidence": ["Prices really are the lowest.", "Mail jan@example.com or call 06-12345678.",
                     f"Staff told me {XSS}.", "Ik sprak met mevrouw De Vries over de stroom."],
        "similarity": [0.61, 0.3, 0.55, 0.4],
        "practice_text_id": [0, 1, 2, 3],
        "practice_sentence_id": [0, 0, 0, 0],
        "evidence_lang": ["en", "en", "en", "nl"],
        "stance": ["supports", "unrelated", "contradicts", "supports"],
        "p_supports": [0.8, 0.1, 0.1, 0.6],
        "p_contradicts": [0.1, 0.1, 0.8, 0.2],
        "p_unrelated": [0.1, 0.8, 0.1, 0.2],
    })
    organisations = pd.DataFrame({
        "org": ["Acme", "Bolt", f"Evil{XSS}"],
        "n_claims": [2, 2, 1],
        "n_practice_sentences": [3, 1, 0],
        "credibility_gap": [0.42, 0.1, None],
        "promise_price": [0.9, None, None],
        "practice_price": [0.7, None, None],
        "promise_integrity": [0.6, None, None],
        "practice_integrity": [-0.6, None, None],
    })
    saturation = pd.DataFrame({"claim_type": ["price"], "n_orgs": [1], "orgs": [["Acme"]]})
    errors = pd.DataFrame({"input": ["claims"], "text_id": [9], "row_id": [9], "org": ["Acme"],
                           "error": [f"unsupported language: 'bel 06-98765432' {XSS}"]})
    return AuditReport(claims=claims, evidence=evidence, organisations=organisations,
                       saturation=saturation, errors=errors, config={"top_k": 3, "note": XSS})


def _minimal_report() -> AuditReport:
    """The columns of the original audit, without verdicts, stances or scores."""
    claims = pd.DataFrame({
        "claim_id": [0], "org": ["Acme"], "text_id": [0], "sentence_id": [0],
        "sentence": ["The cheapest shop."], "lang": ["en"], "claim_types": [["price"]],
        "rules": [["en.rule.cheap"]], "top_evidence": ["Cheap indeed."], "top_similarity": [0.5],
    })
    evidence = pd.DataFrame({
        "claim_id": [0], "org": ["Acme"], "rank": [1], "evidence": ["Cheap indeed."], "similarity": [0.5],
        "practice_text_id": [0], "practice_sentence_id": [0], "evidence_lang": ["en"],
    })
    organisations = pd.DataFrame({"org": ["Acme"], "n_claims": [1], "n_practice_sentences": [1]})
    empty = pd.DataFrame(columns=["claim_type", "n_orgs", "orgs"])
    errors = pd.DataFrame(columns=["input", "text_id", "row_id", "org", "error"])
    return AuditReport(claims=claims, evidence=evidence, organisations=organisations, saturation=empty,
                       errors=errors, config={})


class TestRenderUnit:
    """Rendering a hand-built report (no models: highlighting off)."""

    def test_escapes_all_text(self) -> None:
        """Hostile text in claims, evidence, orgs, errors and config is escaped, never raw."""
        html = render_html(_full_report(), highlight_spans=False)
        assert XSS not in html
        assert str(escape(XSS)) in html
        assert html.count("<script>") == 1  # only the report's own script

    def test_contains_claims_verdicts_flags_and_stances(self) -> None:
        """Every claim, verdict, flag id, qualifier and stance reaches the page."""
        report = _full_report()
        html = render_html(report, highlight_spans=False)
        for sentence in report.claims["sentence"]:
            assert str(escape(sentence)) in html
        for verdict in VERDICTS:
            assert f'class="verdict verdict-{verdict}"' in html
        assert "en.flag.superlative" in html and "nl.flag.generic_env" in html
        assert '<span class="chip qualifier">hedged</span>' in html
        assert '<span class="chip qualifier">negated</span>' in html
        for stance in ("supports", "contradicts", "unrelated"):
            assert f'class="stance stance-{stance}"' in html
        assert "p(contradicts) 0.80" in html
        assert "0.42" in html  # credibility gap of Acme
        assert html.count("&#10003; used") == 2  # evidence counted by the verdicts
        assert "prominence 2.00" in html

    def test_charts_use_wide_columns_and_draw_na(self) -> None:
        """The gap chart reads promise_/practice_ columns; missing practice is an n/a bar."""
        report = _full_report()
        table = gap_table(report)
        acme_price = table[(table.org == "Acme") & (table.claim_type == "price")].iloc[0]
        assert (acme_price.promise, acme_price.practice, acme_price.source) == (0.9, 0.7, "organisations")
        html = render_html(report, highlight_spans=False)
        assert 'id="gap-claim-type-price"' in html
        assert 'id="saturation-chart"' in html
        assert html.count('class="gap-chart"') == len(set(table.claim_type))
        assert 'class="bar-practice" data-kind="practice" data-value="-0.6000"' in html
        assert 'class="bar-na"' in html  # Bolt has no practice score

    def test_missing_columns_show_na(self) -> None:
        """A report without verdicts, stances or scores still renders, with n/a."""
        html = render_html(_minimal_report(), highlight_spans=False)
        assert "The cheapest shop." in html
        assert "Verdicts are not available" in html
        assert 'class="verdict verdict-na">n/a<' in html
        assert 'class="stance stance-na">n/a<' in html

    def test_empty_report(self) -> None:
        """A report without claims still renders a page, a summary and a figure."""
        names = ("claims", "evidence", "organisations", "saturation", "errors")
        empty = AuditReport(**{name: pd.DataFrame(columns=c) for name, c in zip(names, (
            ["claim_id", "org", "sentence", "lang", "claim_types"], ["claim_id", "rank", "evidence"],
            ["org", "n_claims"], ["claim_type", "n_orgs", "orgs"], ["input", "error"]), strict=True)})
        html = render_html(empty)
        assert "No claims were found." in html and 'id="saturation-chart"' in html
        assert "0 claims" in empty._repr_html_()

    def test_no_external_reference(self) -> None:
        """The page is self-contained: no URL, remote src, stylesheet link or CSS import."""
        html = render_html(_full_report(), highlight_spans=False)
        assert not EXTERNAL.findall(html)

    def test_mask_pii_only_when_asked(self) -> None:
        """mask_pii=True replaces e-mail, phone and names in evidence; the default keeps them."""
        report = _full_report()
        plain = render_html(report, highlight_spans=False)
        masked = render_html(report, highlight_spans=False, mask_pii=True)
        assert "jan@example.com" in plain and "06-12345678" in plain and "De Vries" in plain
        assert "jan@example.com" not in masked and "06-12345678" not in masked and "De Vries" not in masked
        assert "[EMAIL]" in masked and "[PHONE]" in masked and "mevrouw [NAME]" in masked
        assert "06-98765432" in plain and "06-98765432" not in masked  # error rows echo input text

    def test_bad_top_evidence(self) -> None:
        """top_evidence must be a positive int."""
        with pytest.raises(ConfigError, match="top_evidence"):
            render_html(_minimal_report(), top_evidence=0)

    def test_repr_html_is_compact(self) -> None:
        """The notebook summary lists the organisations and verdict counts, escaped, without script."""
        html = _full_report()._repr_html_()
        assert "Acme" in html and "Bolt" in html
        assert "<script" not in html and str(escape(XSS)) in html
        assert "substantiated 1" in html
        assert len(html) < 5000


@pytest.mark.model
def test_render_highlights_claim_spans() -> None:
    """With highlighting on, claim words of the sentence are marked (claim pipeline re-run)."""
    html = render_html(_full_report())
    assert re.search(r'<mark class="hl hl-claim[^"]*"[^>]*>cheapest</mark>', html)
    assert XSS not in html


def test_highlight_escapes_and_marks_overlaps() -> None:
    """Overlapping spans become marks with both kinds; text and labels are escaped."""
    out = str(highlight("not <b>cheap</b> at all", [(0, 3, "cue", "negation", "en.cue.not"),
                                                    (4, 16, "claim", "price", "en.p"),
                                                    (7, 12, "flag", "superlative", "en.f")]))
    assert "<b>" not in out
    assert '<mark class="hl hl-cue"' in out
    assert '<mark class="hl hl-claim hl-flag"' in out
    assert '<sup class="hl-tag hl-tag-claim">price</sup>' in out
    assert str(highlight("a & b", [])) == "a &amp; b"


def test_gap_table_derives_from_claims_without_wide_columns() -> None:
    """Without per-type columns, promise is the share of an org's claims of that type."""
    table = gap_table(_minimal_report())
    assert table.to_dict("records")[0]["promise"] == 1.0
    assert table["practice"].isna().all()
    assert set(table["source"]) == {"claims"}
    assert "n/a" in gap_svg(table, "price")


def test_gap_table_prefers_values_table() -> None:
    """A tidy ``values`` table (promise_intensity, practice_score) wins over other sources."""
    report = _full_report()
    report.values = pd.DataFrame({"org": ["Acme", "Bolt"], "claim_type": ["price", "price"],
                                  "promise_intensity": [3.0, 1.5], "practice_score": [-0.5, float("nan")]})
    table = gap_table(report).set_index("org")
    assert list(table.index) == ["Acme", "Bolt"]
    assert set(table["source"]) == {"values"}
    assert table.loc["Bolt", "promise_rel"] == 0.5  # relative to the loudest promise
    svg = str(gap_svg(gap_table(report), "price"))
    assert 'data-value="3.0000"' in svg and 'data-value="-0.5000"' in svg
    assert svg.count('class="bar-na"') == 1


def test_saturation_table_counts_orgs() -> None:
    """Saturation counts the organisations making each claim type."""
    sat = saturation_table(_full_report())
    assert sat.set_index("claim_type").loc["price", "n_orgs"] == 1
    assert list(sat.columns[:3]) == ["claim_type", "n_orgs", "orgs"]


def test_plot_gap_returns_figure() -> None:
    """plot_gap gives a matplotlib figure with one panel per claim type (or org)."""
    pytest.importorskip("matplotlib")
    report = _full_report()
    n_types = len(set(gap_table(report)["claim_type"]))
    assert len(report.plot_gap().axes) == n_types
    assert len(plot_gap(report, by="org").axes) == 3
    with pytest.raises(ConfigError, match="'by'"):
        plot_gap(report, by="value")


def test_plot_gap_without_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib, plot_gap raises ImportError naming the `plot` extra."""
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"authentitext\[plot\]"):
        _minimal_report().plot_gap()


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Mail jan@example.nl of bel 06-12345678.", "nl", "Mail [EMAIL] of bel [PHONE]."),
        ("Bel +31 (0)20 123 4567 of 0031 6 1234 5678.", "nl", "Bel [PHONE] of [PHONE]."),
        ("Call +44 20 7946 0958 or (555) 123-4567.", "en", "Call [PHONE] or [PHONE]."),
        ("Dhr. van der Berg was onbeleefd.", "nl", "Dhr. [NAME] was onbeleefd."),
        ("Ik sprak met mevrouw de Wit-Jansen.", "nl", "Ik sprak met mevrouw [NAME]."),
        ("Sanne de Boer en Jeroen hielpen me.", "nl", "[NAME] en [NAME] hielpen me."),
        ("Order 123456 cost 25.50 on 12-03-2024.", "en", "Order 123456 cost 25.50 on 12-03-2024."),
        ("De prijzen bij Prijsvrij liggen hoger.", "nl", "De prijzen bij Prijsvrij liggen hoger."),
    ],
)
def test_mask_pii_rules(text: str, lang: str, expected: str) -> None:
    """E-mail, phone and title/first-name rules; dates, amounts and brands stay."""
    assert mask_pii(text, lang) == expected


@pytest.mark.model
def test_mask_pii_english_ner() -> None:
    """English person names are found by the spaCy NER."""
    assert mask_pii("I was helped by John Smith at the desk.", "en") == "I was helped by [NAME] at the desk."


# ---------------------------------------------------------------- the sample corpus


@pytest.fixture(scope="module")
def sample_report() -> AuditReport:
    import authentitext
    from authentitext.resources import resource

    return authentitext.audit(pd.read_csv(str(resource("sample", "claims.csv"))),
                              pd.read_csv(str(resource("sample", "practice.csv"))))


@pytest.fixture(scope="module")
def sample_html(sample_report: AuditReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_report.to_html(tmp_path_factory.mktemp("report") / "report.html")


@pytest.mark.model
def test_sample_report_contents(sample_report: AuditReport, sample_html: Path) -> None:
    """The sample report holds every claim, every verdict, the charts, and no external URL."""
    html = sample_html.read_text(encoding="utf-8")
    assert len(sample_report.claims) > 0
    for sentence in sample_report.claims["sentence"]:
        assert str(escape(sentence)) in html, sentence
    if "verdict" in sample_report.claims.columns:
        for verdict in sample_report.claims["verdict"]:
            assert f'class="verdict verdict-{verdict}">{verdict}<' in html
    n_articles = len(re.findall(r'<article class="claim ', html))
    assert n_articles == len(sample_report.claims)
    types = {t for ts in sample_report.claims["claim_types"] for t in ts}
    for ctype in types:
        assert f'id="gap-claim-type-{ctype}"' in html
    assert 'id="saturation-chart"' in html
    assert html.count("<svg") == len(types) + 1
    assert '<mark class="hl hl-claim' in html  # claim spans highlighted
    assert not EXTERNAL.findall(html)


@pytest.mark.model
def test_sample_write_adds_html(sample_report: AuditReport, tmp_path: Path) -> None:
    """AuditReport.write (used by the CLI audit) writes report.html beside the tables."""
    written = sample_report.write(tmp_path, formats=("csv", "html"))
    assert tmp_path / "report.html" in written
    assert (tmp_path / "report.html").stat().st_size > 5000


@pytest.mark.model
def test_cli_audit_writes_html_beside_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`authentitext audit --sample --out DIR` leaves report.html next to claims.csv."""
    from authentitext.cli import main

    assert main(["audit", "--sample", "--out", str(tmp_path), "--no-cache", "--no-progress"]) == 0
    capsys.readouterr()
    assert (tmp_path / "claims.csv").is_file()
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'id="claim-table"' in html and not EXTERNAL.findall(html)


def test_report_module_imports_stay_light() -> None:
    """Importing the report does not pull in matplotlib, nbclient or the PII NER."""
    import subprocess
    import sys

    code = ("import sys, authentitext, authentitext.report; "
            "heavy = [m for m in ('matplotlib', 'jinja2', 'nbclient', 'torch') if m in sys.modules]; "
            "assert not heavy, heavy")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-1000:]
