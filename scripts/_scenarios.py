"""Shared by tune_verdicts.py and train_verdict_head.py: the development scenario files and their audits.

Development files: ``scenarios.jsonl``, ``scenarios_test.jsonl`` to ``scenarios_test39.jsonl`` and
``scenarios_dev01`` to ``dev04``; the test files each demoted after its single held-out evaluation (logged in
its data card). Verdict head 1.1.0 was trained on the first eight (``scenarios_test8`` to ``scenarios_test11`` were its held-out runs), 1.2.0 on the
first twelve (``scenarios_test12``/``13`` were its held-out runs), 1.3.0 on the first fourteen
(``scenarios_test14``/``15`` were its held-out runs), 1.4.0 on the first sixteen (``scenarios_test16``/``17``
were its held-out runs), 1.5.0 on the first eighteen (``scenarios_test18``/``19`` were its held-out runs),
1.6.0 on the first twenty (``scenarios_test20``/``21`` were its held-out runs), 1.7.0 on the first twenty-two
(``scenarios_test22``/``23`` were its held-out runs), 1.8.0 on the first twenty-four (``scenarios_test24``/``25``
were its held-out runs), 1.9.0 with its direction model on the first twenty-six (``scenarios_test26``/``27`` were
its held-out runs), 1.10.0 with its hidden-layer direction model on the thirty-two files before ``scenarios_test28``
(``scenarios_test28``/``29`` were its held-out runs), 1.11.0 with its relevance and direction models learnt from the
evidence links on the thirty-four files before ``scenarios_test30`` (``scenarios_test30``/``31`` were its held-out
runs), 1.12.0 (the same recipe) on the thirty-six before ``scenarios_test32`` (``scenarios_test32``/``33`` were its
held-out runs), and the candidate stance 2.5.0 with head 1.13.0 (not shipped) was scored on ``scenarios_test34``/``35``
(thirteenth session), two more held-out runs, and the evidence reader ``stance_evidence`` 1.0.0 with head 1.13.0 on
``scenarios_test36``/``37`` (round 19), and the
evidence reader 1.1.0 with head 1.14.0 (forty-two files) on ``scenarios_test38``/``39`` (round 20).
``scenarios_dev01`` to ``dev04`` were written as development
data from the start (tenth session; same card, same counts, never held out). Files named in ``HELD_OUT`` (the next
ones to be evaluated) are refused by :func:`audit_runs`.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HELD_OUT = {"scenarios_test40.jsonl", "scenarios_test41.jsonl"}
DEVELOPMENT = [ROOT / "data/scenarios" / f
               for f in ("scenarios.jsonl", "scenarios_test.jsonl", "scenarios_test2.jsonl", "scenarios_test3.jsonl",
                         "scenarios_test4.jsonl", "scenarios_test5.jsonl", "scenarios_test6.jsonl",
                         "scenarios_test7.jsonl", "scenarios_test8.jsonl", "scenarios_test9.jsonl",
                         "scenarios_test10.jsonl", "scenarios_test11.jsonl", "scenarios_test12.jsonl",
                         "scenarios_test13.jsonl", "scenarios_test14.jsonl", "scenarios_test15.jsonl",
                         "scenarios_test16.jsonl", "scenarios_test17.jsonl", "scenarios_test18.jsonl",
                         "scenarios_test19.jsonl", "scenarios_test20.jsonl", "scenarios_test21.jsonl",
                         "scenarios_test22.jsonl", "scenarios_test23.jsonl", "scenarios_test24.jsonl",
                         "scenarios_test25.jsonl", "scenarios_test26.jsonl", "scenarios_test27.jsonl",
                         "scenarios_dev01.jsonl", "scenarios_dev02.jsonl", "scenarios_dev03.jsonl",
                         "scenarios_dev04.jsonl", "scenarios_test28.jsonl", "scenarios_test29.jsonl",
                         "scenarios_test30.jsonl", "scenarios_test31.jsonl", "scenarios_test32.jsonl",
                         "scenarios_test33.jsonl", "scenarios_test34.jsonl", "scenarios_test35.jsonl",
                         "scenarios_test36.jsonl", "scenarios_test37.jsonl", "scenarios_test38.jsonl",
                         "scenarios_test39.jsonl")]


def audit_runs(paths: list[Path], stance: str | None = None, **audit_kwargs: Any) -> list[dict[str, Any]]:
    """Audit every scenario claim as a claim (as the bench does); keep what verdict replays need.

    ``audit_kwargs`` go to :func:`authentitext.audit` (e.g. ``top_k``; default: its own defaults).

    Each run holds ``name, rc`` (report.claims), ``evidence``, ``gold`` (intended verdicts in file order),
    ``first`` (text_id -> claim_id), ``ranks``, ``orgs_with_practice`` and ``counts``.
    """
    import pandas as pd

    from authentitext import audit
    from authentitext.verdicts import VerdictConfig

    bad = [p.name for p in paths if p.name in HELD_OUT]
    if bad:
        raise SystemExit(f"refusing held-out scenario file(s): {bad}")
    runs = []
    for path in paths:
        scen = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        claims = pd.DataFrame([{"text": c["text"], "org": s["org"], "lang": s["lang"]}
                               for s in scen for c in s["claims"]])
        practice = pd.DataFrame([{"text": p["text"], "org": s["org"]} for s in scen for p in s["practice"]])
        # rules here: the replays choose the method; this keeps a missing or stale head out of the way
        report = audit(claims, practice, extract=False, stance=stance, verdict_config=VerdictConfig(method="rules"),
                       **audit_kwargs)
        rc = report.claims
        runs.append({
            "name": path.name, "rc": rc, "evidence": report.evidence,
            "gold": [c["intended_verdict"] for s in scen for c in s["claims"]],
            "ranks": {s["org"]: s["intended_gap_rank"] for s in scen},
            "first": rc.sort_values(["text_id", "sentence_id"]).groupby("text_id")["claim_id"].first(),
            "orgs_with_practice": set(practice["org"]), "counts": practice["org"].value_counts().to_dict(),
        })
    return runs


def cached_audit_runs(paths: list[Path], cache: Path | None, **kwargs: Any) -> list[dict[str, Any]]:
    """:func:`audit_runs` kept in the pickle ``cache`` (the scripts' ``--cache``): read when it exists, else written.

    A cache holding other files than ``paths`` (names, in order) is refused. ``kwargs`` go to :func:`audit_runs`.
    """
    if cache is not None and cache.exists():
        runs = pickle.loads(cache.read_bytes())
        if [r["name"] for r in runs] != [p.name for p in paths]:
            raise SystemExit(f"--cache {cache} holds other scenario files than the ones asked for "
                             f"({len(runs)} cached, {len(paths)} asked); pass another path or delete it")
        return runs
    runs = audit_runs(paths, **kwargs)
    if cache is not None:
        cache.write_bytes(pickle.dumps(runs))
    return runs

def replay(run: dict[str, Any], cfg: Any, model: Any = None) -> tuple[int, float]:
    """Verdict hits and Spearman rho (credibility gap vs intended rank) of one run under ``cfg``."""
    import numpy as np
    import pandas as pd
    from scipy.stats import spearmanr

    from authentitext.verdicts import claim_verdicts, organisation_scores

    rc, gold, first = run["rc"], run["gold"], run["first"]
    v = claim_verdicts(rc, run["evidence"], orgs_with_practice=run["orgs_with_practice"], config=cfg,
                       model=model).set_index("claim_id")
    pred = [v.loc[first[i], "verdict"] for i in range(len(gold))]
    hits = int(sum(p == g for p, g in zip(pred, gold, strict=True)))
    table = rc.drop(columns=[c for c in ("verdict", "confidence", "gap_weight") if c in rc.columns]).merge(
        v[["verdict", "confidence", "gap_weight"]], left_on="claim_id", right_index=True)
    no_values = pd.DataFrame(columns=["org", "claim_type", "promise_intensity", "practice_score"])
    orgs = organisation_scores(table, no_values, np.zeros((len(table), 1)), run["counts"], config=cfg).set_index("org")
    names = list(run["ranks"])
    rho = float(spearmanr([orgs.loc[o, "credibility_gap"] for o in names], [run["ranks"][o] for o in names])[0])
    return hits, rho
