"""Evidence links of the development scenario files: which practice sentences support or contradict each claim.

``data/scenarios/links/<file stem>.links.jsonl`` holds one line per claim of ``data/scenarios/<file stem>.jsonl``,
in file order: ``{"org", "claim", "supports", "contradicts", "disagree", "note"}``, where ``claim`` is the claim's
position within its organisation and ``supports`` / ``contradicts`` list practice positions within the same
organisation (``data/scenarios/links/DATACARD.md``). Held-out files have no links.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LINKS_DIR = ROOT / "data/scenarios/links"


def links_path(scenario_file: str) -> Path:
    return LINKS_DIR / f"{Path(scenario_file).stem}.links.jsonl"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_links(scenario_file: str) -> dict[tuple[str, int], dict[str, Any]] | None:
    """``(org, claim position) -> link row`` for a scenario file, or ``None`` when it has no links file."""
    path = links_path(scenario_file)
    if not path.is_file():
        return None
    return {(r["org"], int(r["claim"])): r for r in read_jsonl(path)}


def row_labels(run: dict[str, Any], scen: list[dict[str, Any]] | None = None) -> np.ndarray | None:
    """Per evidence row of an audit run: 1 (the practice sentence supports the claim), 0 (contradicts), -1 (neither).

    ``scen`` is the scenario file's organisations in file order (the run audited claims and practice in that
    order, so ``text_id`` and ``practice_text_id`` are positions in the flattened lists); by default
    ``data/scenarios/<run name>``. ``None`` without links (or without that scenario file).
    """
    links = read_links(run["name"])
    if links is None:
        return None
    if scen is None:
        path = ROOT / "data/scenarios" / run["name"]
        if not path.is_file():
            return None
        scen = read_jsonl(path)
    claim_at = [(s["org"], i) for s in scen for i in range(len(s["claims"]))]
    practice_at = [(s["org"], j) for s in scen for j in range(len(s["practice"]))]
    text_id = run["rc"].set_index("claim_id")["text_id"]
    ev = run["evidence"]
    out = np.full(len(ev), -1, dtype=np.int64)
    for k, (cid, pid) in enumerate(zip(ev["claim_id"], ev["practice_text_id"], strict=True)):
        org, i = claim_at[int(text_id[cid])]
        porg, j = practice_at[int(pid)]
        link = links.get((org, i))
        if link is None or porg != org:
            continue
        if j in link["supports"]:
            out[k] = 1
        elif j in link["contradicts"]:
            out[k] = 0
    return out


#: Stance label of a :func:`row_labels` value.
PAIR_LABEL = {1: "supports", 0: "contradicts", -1: "unrelated"}


def link_pairs(run: dict[str, Any], labels: np.ndarray, unrelated: float, rng: np.random.Generator) -> list[dict]:
    """Stance training pairs (``data/stance`` schema) from one audit: every linked evidence row, and a sample of
    ``unrelated`` times as many unlinked rows (drawn with ``rng``) labelled ``unrelated``; phenomenon ``scenario_link``.
    """
    ev = run["evidence"]
    rc = run["rc"].set_index("claim_id")
    linked = np.flatnonzero(labels >= 0)
    others = np.flatnonzero(labels < 0)
    take = rng.choice(others, size=min(len(others), int(round(unrelated * len(linked)))), replace=False)
    rows = []
    for i in sorted([*linked, *take]):
        cid = ev["claim_id"].iloc[i]
        types = rc.loc[cid, "claim_types"]
        rows.append({"claim": rc.loc[cid, "sentence"], "evidence": ev["evidence"].iloc[i],
                     "label": PAIR_LABEL[int(labels[i])], "claim_lang": rc.loc[cid, "lang"],
                     "evidence_lang": ev["evidence_lang"].iloc[i], "claim_type": (list(types) or ["none"])[0],
                     "phenomenon": "scenario_link"})
    return rows


def rescore(run: dict[str, Any], model: Any) -> dict[str, Any]:
    """The audit ``run`` with its evidence rows' stance probabilities (and ``pair_p_*``) from ``model``."""
    import sys

    sys.path.insert(0, str(ROOT / "src"))
    from authentitext.verdicts import _restance

    ev = run["evidence"].copy()
    rc = run["rc"].set_index("claim_id")
    p = model.predict_proba([rc.loc[c, "sentence"] for c in ev["claim_id"]], list(ev["evidence"]))
    ev["p_supports"], ev["p_contradicts"], ev["p_unrelated"] = p[:, 0], p[:, 1], p[:, 2]
    ev["pair_p_supports"], ev["pair_p_contradicts"], ev["pair_p_unrelated"] = p[:, 0], p[:, 1], p[:, 2]
    return {**run, "evidence": _restance(ev)}
