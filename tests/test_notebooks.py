"""The notebooks under ``notebooks/`` execute top to bottom (nbclient), so they cannot rot.

Each notebook runs in a fresh ``python3`` kernel from its own folder (so the
relative ``data/`` paths resolve) under a per-cell timeout and a wall-clock
budget. The stored files must carry no outputs.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
# wall-clock budget per notebook in seconds (2 shared CI cores, models loaded cold)
BUDGET = {"01_quickstart": 240, "02_batch_scoring": 180, "03_benchmarking": 240}
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def test_expected_notebooks_exist() -> None:
    """The three narrative notebooks are present, each with a time budget."""
    assert [p.stem for p in NOTEBOOKS] == sorted(BUDGET)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_stripped(path: Path) -> None:
    """Stored notebooks hold no outputs or execution counts."""
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook without code"
    assert all(c.outputs == [] and c.execution_count is None for c in code)


@pytest.mark.model
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The notebook runs without error within its time budget."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    # kernel connection files and IPython profile in a scratch folder, not in $HOME
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    nb = nbformat.read(path, as_version=4)
    budget = BUDGET[path.stem]
    client = nbclient.NotebookClient(
        nb, timeout=budget, kernel_name="python3", allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.monotonic()
    client.execute()
    elapsed = time.monotonic() - start
    assert elapsed < budget, f"{path.name} took {elapsed:.0f}s (budget {budget}s)"
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert any(c.outputs for c in nb.cells if c.cell_type == "code")
