"""Headless-browser check of the HTML report (Debian ``chromium``, installed by ``.ci/run``).

The browser runs with networking features off, loads the report from a
``file://`` URL, takes a screenshot and dumps the DOM after scripts ran. The
report's script sets ``data-report-ready`` on ``<html>``; console errors are
read from Chromium's log. A canary page with a deliberate script error proves
that the console check can fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from authentitext.report import AuditReport

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)
pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH (.ci/run installs Debian chromium)"),
]
_CONSOLE_ERROR = re.compile(r"Uncaught|CONSOLE\(\d+\)\].*(?:error|Error)|console error", re.IGNORECASE)


def _chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
        "--disable-extensions", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        *extra, page.resolve().as_uri(),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=False)


def _console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if _CONSOLE_ERROR.search(line)]


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditReport, Path]:
    import authentitext
    from authentitext.resources import resource

    report = authentitext.audit(pd.read_csv(str(resource("sample", "claims.csv"))),
                                pd.read_csv(str(resource("sample", "practice.csv"))))
    return report, report.to_html(tmp_path_factory.mktemp("page") / "report.html", mask_pii=True)


def test_screenshot_without_console_errors(sample_page: tuple[AuditReport, Path], tmp_path: Path) -> None:
    """Chromium renders the sample report to a non-trivial PNG and logs no console error."""
    _, page = sample_page
    shot = tmp_path / "shot.png"
    done = _chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000")
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.exists()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 30_000  # a blank 1280x2000 page is a few KB
    assert _console_errors(done.stderr) == []


def test_script_ran(sample_page: tuple[AuditReport, Path], tmp_path: Path) -> None:
    """After load, the script has marked the page ready with the number of claim rows."""
    report, page = sample_page
    done = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert f'data-report-ready="{len(report.claims)}"' in done.stdout
    assert f"{len(report.claims)} of {len(report.claims)} claims shown" in done.stdout
    assert _console_errors(done.stderr) == []


def test_console_check_catches_errors(tmp_path: Path) -> None:
    """A page that throws is reported by the console check (the check is not vacuous)."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction();</script></body></html>",
                    encoding="utf-8")
    done = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert _console_errors(done.stderr), done.stderr[-2000:]


def test_sort_and_filter_work(sample_page: tuple[AuditReport, Path], tmp_path: Path) -> None:
    """Clicking a numeric header sorts the claim rows; the verdict filter hides the others."""
    report, page = sample_page
    verdict = str(report.claims["verdict"].iloc[0]) if "verdict" in report.claims.columns else "n/a"
    expected = int((report.claims["verdict"].astype(str) == verdict).sum()) if verdict != "n/a" else len(report.claims)
    probe = """<script>
(function () {
  var heads = document.querySelectorAll("#claim-table thead th");
  var col = Array.prototype.findIndex.call(heads, function (h) { return h.textContent === "Top similarity"; });
  heads[col].click();
  var rows = document.querySelectorAll("#claim-table tbody tr");
  var vals = Array.prototype.map.call(rows, function (r) { return r.cells[col].textContent.trim(); });
  document.documentElement.setAttribute("data-sorted", vals.join("|"));
  var sel = document.getElementById("verdict-filter");
  sel.value = "%s";
  sel.dispatchEvent(new Event("change"));
  var shown = Array.prototype.filter.call(rows, function (r) { return !r.hidden; }).length;
  document.documentElement.setAttribute("data-filtered", String(shown));
})();
</script></body>""" % verdict
    probed = tmp_path / "probe.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", probe), encoding="utf-8")
    done = _chromium(probed, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    sorted_vals = re.search(r'data-sorted="([^"]*)"', done.stdout)
    assert sorted_vals, done.stdout[:500]
    numbers = [float(v) for v in sorted_vals.group(1).split("|") if v != "n/a"]
    assert len(numbers) == report.claims["top_similarity"].notna().sum()
    assert numbers == sorted(numbers)
    assert f'data-filtered="{expected}"' in done.stdout
    assert _console_errors(done.stderr) == []
