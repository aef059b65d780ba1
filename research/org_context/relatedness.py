"""Does organisation context help decide which practice sentence speaks to which claim?

On the organisation-world pair files (`data/stance/train_v6_{a,b,c,d}.jsonl`: every claim x practice pair
of 96 fictional organisations labelled; never training data of the shipped stance model 2.4.0), compare
related-vs-unrelated ranking (ROC AUC, and macro-F1 of the 3-way stance) of the shipped stance model alone
with a small stacker (logistic regression, grouped 5-fold CV by organisation) over the same pair outputs
plus organisation-context features: the pair's similarity rank among the organisation's claims for that
practice sentence, its gap to the best claim, its rank among the practice sentences for that claim, and
the organisation's size.

    .venv/bin/python research/org_context/relatedness.py

Result (2026-11-23, 5,289 pairs, 96 organisations, 13.7% related): stance 2.4.0 alone related-vs-unrelated
AUC 0.783, 3-way macro-F1 0.399; stacker over its outputs + similarity 0.927 / 0.631; + organisation
context 0.962 / 0.694. Inside one organisation the pairwise model calls far too many pairs related.
The verdicts did not follow (verdict_lofo.py).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / f"data/stance/train_v6_{k}.jsonl" for k in "abcd"]


def read_orgs() -> list[dict]:
    """Rows with an ``org`` index: a new organisation starts when a claim's evidence list changes."""
    out, org = [], -1
    rows = [json.loads(line) for f in FILES for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    # evidence list per consecutive claim block
    blocks: list[list[dict]] = []
    for r in rows:
        if not blocks or r["claim"] != blocks[-1][0]["claim"]:
            blocks.append([])
        blocks[-1].append(r)
    prev_ev = None
    for b in blocks:
        ev = tuple(r["evidence"] for r in b)
        if ev != prev_ev:
            org += 1
        prev_ev = ev
        for r in b:
            out.append({**r, "org": org})
    return out


def main() -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, roc_auc_score
    from sklearn.model_selection import GroupKFold

    from authentitext.embed import get_encoder
    from authentitext.stance import classify_stance

    rows = read_orgs()
    n_org = rows[-1]["org"] + 1
    claims = [r["claim"] for r in rows]
    evid = [r["evidence"] for r in rows]
    y = np.array([r["label"] for r in rows])
    st = classify_stance(claims, evid)
    P = st[["p_supports", "p_contradicts", "p_unrelated"]].to_numpy(float)
    enc = get_encoder()
    uniq = sorted(set(claims) | set(evid))
    vec = dict(zip(uniq, enc.encode(uniq), strict=True))
    sim = np.array([float(vec[c] @ vec[e]) for c, e in zip(claims, evid, strict=True)])
    org = np.array([r["org"] for r in rows])
    feats = np.zeros((len(rows), 6))
    for o in range(n_org):
        idx = np.flatnonzero(org == o)
        cl = sorted({claims[i] for i in idx})
        ev = sorted({evid[i] for i in idx})
        for i in idx:
            same_ev = [j for j in idx if evid[j] == evid[i]]
            same_cl = [j for j in idx if claims[j] == claims[i]]
            s_ev = np.array([sim[j] for j in same_ev])
            s_cl = np.array([sim[j] for j in same_cl])
            rel_ev = np.array([1 - P[j, 2] for j in same_ev])
            feats[i] = [(s_ev > sim[i]).sum(), s_ev.max() - sim[i], (s_cl > sim[i]).sum(),
                        rel_ev.max() - (1 - P[i, 2]), len(cl), len(ev)]
    X0 = np.column_stack([P, sim])
    X1 = np.column_stack([X0, feats, feats[:, :4] * (1 - P[:, 2:3])])
    related = (y != "unrelated").astype(int)
    print(f"{len(rows)} pairs, {n_org} organisations, related {related.mean():.3f}")
    print("shipped 2.4.0 alone: related AUC (1 - p_unrelated) %.3f, 3-way macro-F1 %.3f" % (
        roc_auc_score(related, 1 - P[:, 2]),
        f1_score(y, np.array(["supports", "contradicts", "unrelated"])[P.argmax(1)], average="macro")))
    for name, X in (("stacker, pair outputs + similarity", X0), ("stacker, + organisation context", X1)):
        oof = np.zeros((len(rows), 3))
        for tr, te in GroupKFold(5).split(X, y, org):
            mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-9
            clf = LogisticRegression(C=1.0, max_iter=2000).fit((X[tr] - mu) / sd, y[tr])
            pr = clf.predict_proba((X[te] - mu) / sd)
            oof[te] = pr[:, [list(clf.classes_).index(c) for c in ("supports", "contradicts", "unrelated")]]
        print("%s: related AUC %.3f, 3-way macro-F1 %.3f" % (
            name, roc_auc_score(related, 1 - oof[:, 2]),
            f1_score(y, np.array(["supports", "contradicts", "unrelated"])[oof.argmax(1)], average="macro")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
