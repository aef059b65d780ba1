"""Value-specific positive / negative prototype sentences (EN + NL), written for this lab.

Generic per claim type (not copied from any training pair): what living up to the value
looks like (pos) and what betraying it looks like (neg), as a customer / employee would say it.

The sentences now live in one place, the library's versioned data file
``src/authentitext/resources/models/stance_prototypes.json`` (used by the shipped two-stage
stance model); this module only reads it, so the lab and the library share one copy.
"""

import json
from pathlib import Path

_FILE = Path(__file__).resolve().parents[2] / "src/authentitext/resources/models/stance_prototypes.json"
_DATA = json.loads(_FILE.read_text(encoding="utf-8"))

VERSION: str = _DATA["version"]
PROTOTYPES: dict[str, dict[str, list[str]]] = _DATA["prototypes"]
GENERIC: dict[str, list[str]] = _DATA["generic"]
