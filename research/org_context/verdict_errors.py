"""Print the shipped verdict head's errors on scenario files (development files only), with each wrong claim's
four most similar evidence rows and their stance probabilities, then the confusion counts.

    .venv/bin/python research/org_context/verdict_errors.py data/scenarios/scenarios_test16.jsonl ...
"""
from __future__ import annotations

import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from _scenarios import audit_runs  # noqa: E402


def main(argv: list[str]) -> int:
    from authentitext.verdicts import VerdictConfig, claim_verdicts

    confusion: collections.Counter = collections.Counter()
    for run in audit_runs([Path(a) for a in argv]):
        rc, ev = run["rc"].set_index("claim_id"), run["evidence"]
        v = claim_verdicts(run["rc"], ev, orgs_with_practice=run["orgs_with_practice"],
                           config=VerdictConfig()).set_index("claim_id")
        for i, gold in enumerate(run["gold"]):
            cid = run["first"][i]
            pred = v.loc[cid, "verdict"]
            confusion[(gold, pred)] += 1
            if pred == gold:
                continue
            print(f"\n[{gold} -> {pred}] {rc.loc[cid, 'sentence']}")
            for _, x in ev[ev.claim_id == cid].sort_values("similarity", ascending=False).head(4).iterrows():
                print(f"   sim {x.similarity:.2f} S {x.p_supports:.2f} C {x.p_contradicts:.2f} U {x.p_unrelated:.2f} | "
                      f"{x.evidence[:110]}")
    print("\n(gold, predicted): count")
    for k, n in sorted(confusion.items()):
        print(k, n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
