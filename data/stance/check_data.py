"""Validate data/stance/{train,test}.jsonl and data/scenarios/scenarios.jsonl and print counts.

Run: .venv/bin/python data/stance/check_data.py   (exit code 1 on any error)
"""
import json
import re
import sys
from collections import Counter
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STANCE = ROOT / "stance"
SCEN = ROOT / "scenarios" / "scenarios.jsonl"

KEYS = {"claim", "evidence", "label", "claim_lang", "evidence_lang", "claim_type", "phenomenon"}
LABELS = ("supports", "contradicts", "unrelated")
LANGS = ("en", "nl")
CTYPES = {"price", "superiority", "integrity", "sustainability", "customer", "employee",
          "reliability", "independence", "quality", "social"}
PHENS = ("plain", "negation", "sarcasm", "slogan_repeat", "numeric", "lexical_overlap",
         "paraphrase", "hedged_evidence", "mixed_review", "overlap_support", "overlap_contradict")
VERDICTS = ("substantiated", "contradicted", "hollow", "unverifiable", "mixed")
SOURCES = {"employee_review", "customer_review", "policy"}
NL_WORDS = {"de", "het", "een", "en", "van", "bij", "ons", "niet", "wij", "je", "ik", "voor", "op",
            "met", "dat", "die", "zijn", "er", "maar", "geen", "nooit", "wordt", "hier", "elke", "altijd",
            "mijn", "ze", "te", "naar", "ook", "nog", "om", "tot", "jouw", "onze", "aan", "dan"}
EN_WORDS = {"the", "a", "an", "and", "to", "our", "you", "your", "it", "for", "on",
            "with", "that", "was", "my", "i", "they", "but", "never", "every", "not", "no", "at", "by",
            "from", "have", "has", "here", "their", "us", "always", "be", "are", "were", "after"}

errors = []


def err(msg):
    errors.append(msg)


def toks(s):
    return re.findall(r"[a-zà-ÿ0-9]+", s.lower())


def guess_lang(s):
    t = toks(s)
    nl = sum(w in NL_WORDS for w in t)
    en = sum(w in EN_WORDS for w in t)
    if nl == en:
        return None
    return "nl" if nl > en else "en"


def mix(r):
    if r["claim_lang"] == r["evidence_lang"]:
        return f"{r['claim_lang']}-{r['evidence_lang']}"
    return "cross"


def load_stance(name):
    rows = []
    for i, line in enumerate((STANCE / name).read_text(encoding="utf-8").splitlines(), 1):
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            err(f"{name}:{i}: bad JSON {e}")
            continue
        if set(r) != KEYS:
            err(f"{name}:{i}: keys {sorted(r)}")
            continue
        for k in ("claim", "evidence"):
            if not isinstance(r[k], str) or len(r[k].strip()) < 5:
                err(f"{name}:{i}: empty {k}")
        if r["label"] not in LABELS:
            err(f"{name}:{i}: label {r['label']}")
        if r["claim_lang"] not in LANGS or r["evidence_lang"] not in LANGS:
            err(f"{name}:{i}: lang")
        if r["claim_type"] not in CTYPES:
            err(f"{name}:{i}: claim_type {r['claim_type']}")
        if r["phenomenon"] not in PHENS:
            err(f"{name}:{i}: phenomenon {r['phenomenon']}")
        if r["phenomenon"] == "slogan_repeat" and r["label"] != "unrelated":
            err(f"{name}:{i}: slogan_repeat must be unrelated")
        for k in ("claim", "evidence"):
            g = guess_lang(r[k])
            if g and g != r[f"{k}_lang"]:
                err(f"{name}:{i}: {k}_lang={r[f'{k}_lang']} but text looks {g}: {r[k]!r}")
        rows.append(r)
    return rows


def report_stance(name, rows):
    n = len(rows)
    print(f"\n=== {name}: {n} pairs, {len({r['evidence'] for r in rows})} distinct evidence, "
          f"{len({r['claim'] for r in rows})} distinct claims")
    pairs = Counter((r["claim"], r["evidence"]) for r in rows)
    dups = [p for p, c in pairs.items() if c > 1]
    if dups:
        err(f"{name}: {len(dups)} duplicate (claim, evidence) pairs")
    lab = Counter(r["label"] for r in rows)
    print("labels:", {l: f"{lab[l]} ({lab[l] / n:.1%})" for l in LABELS})
    mx = Counter(mix(r) for r in rows)
    dirs = Counter(f"{r['claim_lang']}->{r['evidence_lang']}" for r in rows if mix(r) == "cross")
    print("language mix:", {m: f"{mx[m]} ({mx[m] / n:.1%})" for m in ("en-en", "nl-nl", "cross")},
          "cross directions (claim->evidence):", dict(dirs))
    print(f"{'label x mix':14s}" + "".join(f"{m:>16s}" for m in ("en-en", "nl-nl", "cross")))
    for l in LABELS:
        cells = []
        for m in ("en-en", "nl-nl", "cross"):
            c = sum(1 for r in rows if r["label"] == l and mix(r) == m)
            share = c / mx[m] if mx[m] else 0
            cells.append(f"{c:>6d} ({share:5.1%})")
            if share < 0.28:
                err(f"{name}: label {l} only {share:.1%} in mix {m}")
        print(f"{l:14s}" + "".join(f"{x:>16s}" for x in cells))
    for l in LABELS:
        if lab[l] / n < 0.28:
            err(f"{name}: label {l} below 28%")
    for m in ("en-en", "nl-nl", "cross"):
        if not 0.26 <= mx[m] / n <= 0.40:
            err(f"{name}: mix {m} share {mx[m] / n:.1%} far from 1/3")
    print(f"{'phenomenon':17s}" + "".join(f"{l:>12s}" for l in LABELS) + f"{'en-en':>8s}{'nl-nl':>8s}{'cross':>8s}{'total':>8s}")
    for p in PHENS:
        sub = [r for r in rows if r["phenomenon"] == p]
        print(f"{p:17s}" + "".join(f"{sum(r['label'] == l for r in sub):>12d}" for l in LABELS)
              + "".join(f"{sum(mix(r) == m for r in sub):>8d}" for m in ("en-en", "nl-nl", "cross")) + f"{len(sub):>8d}")
    nonplain = sum(r["phenomenon"] != "plain" for r in rows) / n
    print(f"non-plain share: {nonplain:.1%}")
    if nonplain < 0.40:
        err(f"{name}: non-plain share {nonplain:.1%} < 40%")
    ct = Counter(r["claim_type"] for r in rows)
    print("claim_type:", dict(sorted(ct.items())))
    missing = CTYPES - set(ct)
    if missing:
        err(f"{name}: claim types missing {missing}")


def jacc(a, b):
    a, b = set(toks(a)), set(toks(b))
    return len(a & b) / max(1, len(a | b))


def cross_file(train, test):
    print("\n=== train/test overlap")
    trp = {(r["claim"], r["evidence"]) for r in train}
    shared_pairs = [r for r in test if (r["claim"], r["evidence"]) in trp]
    tre, tee = {r["evidence"] for r in train}, {r["evidence"] for r in test}
    trc, tec = {r["claim"] for r in train}, {r["claim"] for r in test}
    print(f"shared (claim, evidence) pairs: {len(shared_pairs)}; shared evidence sentences: {len(tre & tee)}; "
          f"shared claim sentences: {len(trc & tec)}")
    if shared_pairs:
        err("train/test share (claim, evidence) pairs")
    if tre & tee:
        err(f"train/test share evidence: {sorted(tre & tee)[:5]}")
    if trc & tec:
        err(f"train/test share claims: {sorted(trc & tec)[:5]}")
    near = [(a, b, jacc(a, b)) for a in tee for b in tre if jacc(a, b) >= 0.5]
    nearc = [(a, b, jacc(a, b)) for a in tec for b in trc if jacc(a, b) >= 0.5]
    print(f"near-duplicate evidence (token Jaccard >= 0.5): {len(near)}; near-duplicate claims: {len(nearc)}")
    for a, b, j in sorted(near + nearc, key=lambda x: -x[2])[:10]:
        print(f"  {j:.2f}  TEST {a!r}  ~  TRAIN {b!r}")
    if near or nearc:
        err("near-duplicates across train/test")
    maxj = max(jacc(a, b) for a in tee for b in tre)
    print(f"max evidence Jaccard across files: {maxj:.2f}")


def check_scenarios():
    print("\n=== scenarios")
    orgs = []
    for i, line in enumerate(SCEN.read_text(encoding="utf-8").splitlines(), 1):
        o = json.loads(line)
        if set(o) != {"org", "sector", "lang", "intended_gap_rank", "rationale", "claims", "practice"}:
            err(f"scenarios:{i}: keys {sorted(o)}")
            continue
        if o["lang"] not in LANGS:
            err(f"scenarios:{i}: lang")
        if not isinstance(o["intended_gap_rank"], int):
            err(f"scenarios:{i}: rank not int")
        for k in ("org", "sector", "rationale"):
            if not isinstance(o[k], str) or not o[k].strip():
                err(f"scenarios:{i}: empty {k}")
        if not 4 <= len(o["claims"]) <= 8:
            err(f"scenarios:{i}: {len(o['claims'])} claims")
        if not 8 <= len(o["practice"]) <= 20:
            err(f"scenarios:{i}: {len(o['practice'])} practice")
        for c in o["claims"]:
            if set(c) != {"text", "intended_verdict"} or c["intended_verdict"] not in VERDICTS or not c["text"].strip():
                err(f"scenarios:{i}: bad claim {c}")
            g = guess_lang(c["text"])
            if g and g != o["lang"]:
                err(f"scenarios:{i}: claim language {g} != org lang {o['lang']}: {c['text']!r}")
        for p in o["practice"]:
            if set(p) != {"text", "source"} or p["source"] not in SOURCES or not p["text"].strip():
                err(f"scenarios:{i}: bad practice {p}")
        orgs.append(o)
    ranks = sorted(o["intended_gap_rank"] for o in orgs)
    if ranks != list(range(1, len(orgs) + 1)):
        err(f"scenario ranks not 1..N distinct: {ranks}")
    if len(orgs) < 14:
        err("fewer than 14 organisations")
    if len({o["org"] for o in orgs}) != len(orgs):
        err("duplicate org names")
    tot = Counter()
    print(f"{'rank':>4s} {'org':28s} {'lang':4s} {'practice_lang':13s} {'#cl':>3s} {'#pr':>3s}  verdicts")
    cross = 0
    for o in sorted(orgs, key=lambda o: o["intended_gap_rank"]):
        v = Counter(c["intended_verdict"] for c in o["claims"])
        tot.update(v)
        pl = Counter(guess_lang(p["text"]) for p in o["practice"])
        plang = "/".join(f"{k}:{c}" for k, c in pl.most_common() if k)
        main_pl = pl.most_common(1)[0][0]
        if main_pl and main_pl != o["lang"]:
            cross += 1
        src = Counter(p["source"] for p in o["practice"])
        print(f"{o['intended_gap_rank']:>4d} {o['org']:28s} {o['lang']:4s} {plang:13s} {len(o['claims']):>3d} "
              f"{len(o['practice']):>3d}  {dict(v)}  sources={dict(src)}")
    print("organisations:", len(orgs), "| cross-lingual orgs:", cross,
          "| claims:", sum(len(o["claims"]) for o in orgs), "| practice:", sum(len(o["practice"]) for o in orgs))
    print("verdict totals:", dict(tot))
    if cross < 3:
        err("fewer than 3 cross-lingual organisations")
    sup = [o for o in orgs if o["sector"] == "supermarket" and o["lang"] == "nl"]
    print("Dutch supermarkets:", [o["org"] for o in sup])
    if len(sup) < 4:
        err("need four Dutch supermarkets")


if __name__ == "__main__":
    train = load_stance("train.jsonl")
    test = load_stance("test.jsonl")
    report_stance("train.jsonl", train)
    report_stance("test.jsonl", test)
    for extra in sorted([*STANCE.glob("train_v2_*.jsonl"), *STANCE.glob("train_v3_*.jsonl"), *STANCE.glob("train_v4_*.jsonl")]):  # later training files: format checks only
        load_stance(extra.name)
    if len(train) < 900 or len(test) < 300:
        err("too few pairs")
    cross_file(train, test)
    check_scenarios()
    print("\nERRORS:" if errors else "\nALL CHECKS PASSED")
    for e in errors:
        print("  -", e)
    sys.exit(1 if errors else 0)
