"""Research: how much would perfect relevance or perfect direction on the evidence readers cite be worth?

    .venv/bin/python research/verdict_agreement/oracle.py

Uses the blind annotations of ``scenarios_test22``/``23`` (``out_NN_{A,B}.jsonl``: the practice sentences
each annotator relied on). A verdict head is fit on the other development files (the shipped feature
setting: midpoint 0.2, scale 0.1, exclusivity 0.1; C 1.0), then the two files are scored with their audit's
evidence rows edited four ways:

* ``model``: as audited (the stance model's probabilities);
* ``relevance oracle``: rows no annotator cites become unrelated (p_unrelated 1); cited rows keep the
  model's probabilities;
* ``direction oracle``: cited rows of substantiated (contradicted) claims keep the model's related mass
  ``1 - p_unrelated`` but put all of it on supports (contradicts); other rows unchanged;
* ``both``.

Mixed claims keep the model's direction (the annotations do not say which cited row points which way).

Result (2026-11-23, ninth session; claims 7.3.0, stance 2.4.0; head fit on the other 24 files):

    scenarios_test22: model 0.693 (rho 0.718); relevance oracle 0.693 (0.782); direction oracle 0.795 (0.959); both 0.818 (0.950)
    scenarios_test23: model 0.648 (rho 0.509); relevance oracle 0.636 (0.509); direction oracle 0.795 (0.950); both 0.818 (0.865)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from _scenarios import DEVELOPMENT, audit_runs, replay  # noqa: E402
from train_verdict_head import features  # noqa: E402

from authentitext.verdicts import VerdictConfig, VerdictModel  # noqa: E402

FILES = ("22", "23")


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cited_rows(run: dict, n: str) -> tuple[dict, dict]:
    """claim_id -> set of cited practice texts, claim_id -> intended verdict."""
    rows = read(ROOT / f"data/scenarios/scenarios_test{n}.jsonl")
    blind = {c["id"]: {p["id"]: p["text"] for p in o["practice"]}
             for o in read(HERE / f"blind_{n}.jsonl") for c in o["claims"]}
    ann = {x: {d["id"]: d for d in read(HERE / f"out_{n}_{x}.jsonl")} for x in "AB"}
    keys = [f"{i}.{j}" for i, s in enumerate(rows) for j, _ in enumerate(s["claims"])]
    cited, intended = {}, {}
    for i, key in enumerate(keys):
        cid = run["first"][i]
        cited[cid] = {blind[key][e] for x in "AB" for e in ann[x][key]["evidence"] if e in blind[key]}
        intended[cid] = run["gold"][i]
    return cited, intended


def edited(run: dict, cited: dict, intended: dict, relevance: bool, direction: bool) -> dict:
    ev = run["evidence"].copy()
    is_cited = np.array([t in cited.get(c, set()) for c, t in zip(ev["claim_id"], ev["evidence"])])
    ps, pc, pu = (ev[k].to_numpy(float).copy() for k in ("p_supports", "p_contradicts", "p_unrelated"))
    if direction:
        verdict = np.array([intended.get(c, "") for c in ev["claim_id"]])
        for name, side in (("substantiated", "s"), ("contradicted", "c")):
            m = is_cited & (verdict == name)
            mass = 1.0 - pu[m]
            ps[m], pc[m] = (mass, 0.0) if side == "s" else (0.0, mass)
    if relevance:
        ps[~is_cited], pc[~is_cited], pu[~is_cited] = 0.0, 0.0, 1.0
    ev["p_supports"], ev["p_contradicts"], ev["p_unrelated"] = ps, pc, pu
    return {**run, "evidence": ev}


def main() -> int:
    names = {f"scenarios_test{n}.jsonl" for n in FILES}
    runs = audit_runs(DEVELOPMENT)
    fcfg = VerdictConfig(similarity_midpoint=0.2, similarity_scale=0.1, exclusivity_scale=0.1)
    train = [features(r, fcfg) for r in runs if r["name"] not in names]
    head = VerdictModel.fit(np.vstack([d[0] for d in train]), [v for d in train for v in d[1]], C=1.0,
                            feature_config=fcfg)
    model_cfg = VerdictConfig(method="model")
    for n in FILES:
        run = next(r for r in runs if r["name"] == f"scenarios_test{n}.jsonl")
        cited, intended = cited_rows(run, n)
        out = []
        for label, rel, dirn in (("model", False, False), ("relevance oracle", True, False),
                                 ("direction oracle", False, True), ("both", True, True)):
            hits, rho = replay(edited(run, cited, intended, rel, dirn), model_cfg, model=head)
            out.append(f"{label} {hits / len(run['gold']):.3f} (rho {rho:.3f})")
        print(f"scenarios_test{n}: " + "; ".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
