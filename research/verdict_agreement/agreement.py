"""Research: how well can a careful reader recover the scenarios' intended verdicts? And where does the audit lose them?

    .venv/bin/python research/verdict_agreement/agreement.py             # agreement only (seconds)
    .venv/bin/python research/verdict_agreement/agreement.py --evidence  # plus the audit diagnostic (~1 min)
    .venv/bin/python research/verdict_agreement/agreement.py --make-blind  # rebuild blind_NN.jsonl

``blind_NN.jsonl`` holds the development file ``data/scenarios/scenarios_testNN.jsonl`` without its
intended verdicts, rank and rationale: organisations shuffled, practice shuffled within each
organisation (seeded), claims renumbered ``<org>.<claim>``. Four annotators (separate LLM helper
sessions, two per file) labelled every claim from the blind file and ``annotator_prompt.txt`` alone
(the prompt as given; its paths were under /tmp then), naming the practice sentences they relied on:
``out_NN_{A,B}.jsonl``.

Printed: accuracy and Cohen's kappa of each annotator against the author's intended verdicts and
against each other; Spearman rho of the data card's gap formula (mean claim weight: contradicted 1.0,
mixed 0.55, hollow 0.45, unverifiable 0.30, substantiated 0) over each annotator's verdicts against
the intended rank. With ``--evidence``: the shipped audit of the same files, and for the practice
sentences the annotators cite, whether retrieval returns them, how relevant the verdict features
find them, and whether the stance model points them the way the intended verdict does.

Result (2026-11-23, ninth session): annotators vs author 1.000 / 1.000 on ``scenarios_test22`` and
0.989 / 1.000 on ``scenarios_test23`` (kappa 0.986-1.000; the one difference is a slogan, "Honesty is
the foundation of everything we do", intended unverifiable, read as contradicted); annotator vs
annotator 1.000 / 0.989; every annotator's gap ranking rho 1.000. With claims 7.3.0, stance 2.4.0 and
head 1.8.0's relevance, of the sentences the annotators cite, retrieval returns 93 of 99 for
substantiated claims, 77 of 97 for contradicted ones and 41 of 46 for mixed ones; the stance model
leans the intended way on 61 of 93 (0.66) supporting and 57 of 77 (0.74) contradicting ones.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FILES = ("22", "23")
WEIGHTS = {"contradicted": 1.0, "mixed": 0.55, "hollow": 0.45, "unverifiable": 0.30, "substantiated": 0.0}


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def make_blind(n: str) -> None:
    rows = read(ROOT / f"data/scenarios/scenarios_test{n}.jsonl")
    rng = random.Random(int(n))
    out = []
    for i, s in enumerate(rows):
        practice = list(s["practice"])
        rng.shuffle(practice)
        out.append({"org": s["org"], "sector": s["sector"], "lang": s["lang"],
                    "claims": [{"id": f"{i}.{j}", "text": c["text"]} for j, c in enumerate(s["claims"])],
                    "practice": [{"id": f"p{k}", "text": p["text"], "source": p["source"]}
                                 for k, p in enumerate(practice)]})
    rng.shuffle(out)
    (HERE / f"blind_{n}.jsonl").write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out),
                                           encoding="utf-8")


def kappa(a: list[str], b: list[str]) -> float:
    po = float(np.mean([x == y for x, y in zip(a, b, strict=True)]))
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in ca) / len(a) ** 2
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def gap_rho(rows: list[dict], verdicts: dict[str, str]) -> float:
    from scipy.stats import spearmanr

    gaps = [np.mean([WEIGHTS[verdicts[f"{i}.{j}"]] for j in range(len(s["claims"]))]) for i, s in enumerate(rows)]
    return float(spearmanr(gaps, [s["intended_gap_rank"] for s in rows])[0])


def agreement() -> dict[str, dict]:
    annotations = {}
    for n in FILES:
        rows = read(ROOT / f"data/scenarios/scenarios_test{n}.jsonl")
        gold = {f"{i}.{j}": c["intended_verdict"] for i, s in enumerate(rows) for j, c in enumerate(s["claims"])}
        ann = {x: {d["id"]: d for d in read(HERE / f"out_{n}_{x}.jsonl")} for x in "AB"}
        annotations[n] = (rows, gold, ann)
        keys = list(gold)
        print(f"scenarios_test{n}: {len(keys)} claims, intended {dict(Counter(gold.values()))}")
        for x in "AB":
            pred = [ann[x][k]["verdict"] for k in keys]
            print(f"  annotator {x} vs author: accuracy {np.mean([p == gold[k] for p, k in zip(pred, keys)]):.3f}, "
                  f"kappa {kappa(pred, [gold[k] for k in keys]):.3f}, gap rho "
                  f"{gap_rho(rows, {k: ann[x][k]['verdict'] for k in keys}):.3f}")
            for k in keys:
                if ann[x][k]["verdict"] != gold[k]:
                    print(f"    {k}: intended {gold[k]}, annotator {ann[x][k]['verdict']} ({ann[x][k]['note']})")
        a, b = ([ann[x][k]["verdict"] for k in keys] for x in "AB")
        print(f"  A vs B: accuracy {np.mean([p == q for p, q in zip(a, b)]):.3f}, kappa {kappa(a, b):.3f}; "
              f"gap rho with intended verdicts {gap_rho(rows, gold):.3f}")
    return annotations


def evidence_diagnostic(annotations: dict) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    sys.path.insert(0, str(ROOT / "src"))
    from _scenarios import audit_runs

    from authentitext.verdicts import VerdictModel, _relevance

    fcfg = VerdictModel.load().feature_config
    runs = audit_runs([ROOT / f"data/scenarios/scenarios_test{n}.jsonl" for n in FILES])
    stats: dict[str, Counter] = {}
    for n, run in zip(FILES, runs, strict=True):
        rows, gold, ann = annotations[n]
        blind = {c["id"]: {p["id"]: p["text"] for p in o["practice"]}
                 for o in read(HERE / f"blind_{n}.jsonl") for c in o["claims"]}
        groups = {c: g for c, g in run["evidence"].groupby("claim_id")}
        for i, key in enumerate(gold):
            cited = {blind[key][e] for x in "AB" for e in ann[x][key]["evidence"] if e in blind[key]}
            verdict, g = gold[key], groups.get(run["first"][i])
            if verdict not in ("substantiated", "contradicted", "mixed") or not cited:
                continue
            st = stats.setdefault(verdict, Counter())
            st["claims"] += 1
            st["cited"] += len(cited)
            if g is None:
                continue
            g = g.assign(rel=_relevance(g, fcfg)).sort_values("rel", ascending=False)
            hit = g["evidence"].isin(cited).to_numpy()
            st["retrieved"] += int(hit.sum())
            st["top_relevance_cited"] += int(hit[0])
            st["rel_cited_x100"] += int(round(100 * g["rel"][hit].sum()))
            st["rel_other_x100"] += int(round(100 * g["rel"][~hit].sum()))
            st["other_rows"] += int((~hit).sum())
            if verdict != "mixed":
                lean_s = (g["p_supports"] > g["p_contradicts"]).to_numpy()[hit]
                st["direction_right"] += int((lean_s == (verdict == "substantiated")).sum())
    print("\nCited practice sentences in the audit with the shipped models (relevance as in the verdict head):")
    for verdict, st in stats.items():
        line = (f"  {verdict}: {st['claims']} claims, {st['cited']} cited sentences, {st['retrieved']} retrieved "
                f"({st['retrieved'] / st['cited']:.2f}); most relevant row is a cited one for {st['top_relevance_cited']}; "
                f"mean relevance cited {st['rel_cited_x100'] / 100 / max(st['retrieved'], 1):.2f} vs other rows "
                f"{st['rel_other_x100'] / 100 / max(st['other_rows'], 1):.2f}")
        if verdict != "mixed":
            line += f"; stance leans the intended way on {st['direction_right']} of {st['retrieved']} " \
                    f"({st['direction_right'] / max(st['retrieved'], 1):.2f})"
        print(line)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--make-blind", action="store_true")
    ap.add_argument("--evidence", action="store_true")
    args = ap.parse_args()
    if args.make_blind:
        for n in FILES:
            make_blind(n)
        return 0
    annotations = agreement()
    if args.evidence:
        evidence_diagnostic(annotations)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
