"""Per-type precision, recall and F1 of the shipped pipeline's claim types on a used pair's gold claims.

    .venv/bin/python research/claim_types/per_type.py test19 [--show N]

Development data only (a pair after its one held-out run): the pipeline (``extract_claims``) types every
sentence; for each gold claim the predicted types are the union over its claim rows. ``--show N`` prints the
first N gold claims whose predicted types differ from the gold ones (text, gold, predicted).

Result (2026-11-24, twelfth session, claims 7.6.0 on ``test19``; EN / NL F1): quality 0.55 / 0.59, customer
0.70 / 0.67, reliability 0.76 / 0.78, social 0.80 / 0.73, integrity 0.86 / 0.79, employee 0.85 / 0.74,
sustainability 0.82 / 0.91, price 0.81 / 0.95, superiority 0.85 / 0.92, independence 0.95 / 0.80.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from _claim_files import refused  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pair", help="a used pair, e.g. test19")
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args(argv)
    paths = [ROOT / "data/claims" / f"{args.pair}_{lang}.jsonl" for lang in ("en", "nl")]
    if refused(paths):
        ap.error(f"{args.pair} is still held out")
    from authentitext import extract_claims

    for lang, path in zip(("en", "nl"), paths, strict=True):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        frame = extract_claims([r["text"] for r in rows], lang=lang)
        tp, fp, fn, wrong = Counter(), Counter(), Counter(), []
        for i, row in enumerate(rows):
            if not row["is_claim"]:
                continue
            pred = {t for ts in frame[frame.text_id == i].claim_types for t in ts}
            gold = set(row["claim_types"])
            tp.update(pred & gold)
            fp.update(pred - gold)
            fn.update(gold - pred)
            if pred != gold:
                wrong.append((row["text"], sorted(gold), sorted(pred)))
        print(lang)
        for t in sorted(set(tp) | set(fp) | set(fn)):
            p, r = tp[t] / max(tp[t] + fp[t], 1), tp[t] / max(tp[t] + fn[t], 1)
            print(f"  {t:14s} tp {tp[t]:3d} fp {fp[t]:3d} fn {fn[t]:3d}  P {p:.2f} R {r:.2f} "
                  f"F1 {2 * p * r / max(p + r, 1e-9):.2f}")
        for item in wrong[:args.show]:
            print("   ", item)
    return 0


if __name__ == "__main__":
    sys.exit(main())
