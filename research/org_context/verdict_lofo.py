"""Organisation-context re-scoring of stance, checked where it matters: verdict accuracy on the
development scenarios (leave-one-file-out, the protocol of scripts/train_verdict_head.py).

1. Fit a stacker (logistic regression) on the organisation-world pairs (`data/stance/train_v6_*.jsonl`,
   never training data of the shipped stance model 2.4.0) over features an audit has for every
   evidence row: the shipped stance probabilities, the similarity, the gap to the practice sentence's
   best claim of the organisation, how many of the organisation's claims are closer to the sentence,
   and the row's similarity rank for its claim (capped at top_k + 1).
2. Audit every development scenario file once, replace the evidence rows' probabilities by the
   stacker's, and run the verdict head's leave-one-file-out grid on both.

    .venv/bin/python research/org_context/verdict_lofo.py

Result (2026-11-23, 18 development files, 1,585 claims, full grid of train_verdict_head.py): shipped
stance 2.4.0 best accuracy 0.691 (rho 0.739; grid median 0.677); with the stacker 0.684 (rho 0.697;
median 0.676). The head's own relevance (similarity discount, exclusivity) already uses what the
stacker adds; not pursued.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _scenarios import DEVELOPMENT, audit_runs  # noqa: E402
from relatedness import read_orgs  # noqa: E402

LABELS = ("supports", "contradicts", "unrelated")
TOP_K = 5


def context_features(P: np.ndarray, sim: np.ndarray, best: np.ndarray, n_better: np.ndarray,
                     rank: np.ndarray) -> np.ndarray:
    rel = 1.0 - P[:, 2:3]
    base = np.column_stack([P, sim, best - sim, n_better, np.minimum(rank, TOP_K + 1)])
    return np.column_stack([base, base[:, 3:] * rel])


def fit_stacker(enc):
    from sklearn.linear_model import LogisticRegression

    from authentitext.stance import classify_stance

    rows = read_orgs()
    claims = [r["claim"] for r in rows]
    evid = [r["evidence"] for r in rows]
    P = classify_stance(claims, evid)[["p_supports", "p_contradicts", "p_unrelated"]].to_numpy(float)
    uniq = sorted(set(claims) | set(evid))
    vec = dict(zip(uniq, enc.encode(uniq), strict=True))
    sim = np.array([float(vec[c] @ vec[e]) for c, e in zip(claims, evid, strict=True)])
    org = np.array([r["org"] for r in rows])
    best, n_better, rank = np.zeros(len(rows)), np.zeros(len(rows)), np.zeros(len(rows))
    for o in np.unique(org):
        idx = np.flatnonzero(org == o)
        for i in idx:
            s_ev = np.array([sim[j] for j in idx if evid[j] == evid[i]])
            s_cl = np.array([sim[j] for j in idx if claims[j] == claims[i]])
            best[i], n_better[i], rank[i] = s_ev.max(), (s_ev > sim[i]).sum(), (s_cl > sim[i]).sum() + 1
    X = context_features(P, sim, best, n_better, rank)
    mu, sd = X.mean(0), X.std(0) + 1e-9
    y = np.array([r["label"] for r in rows])
    clf = LogisticRegression(C=1.0, max_iter=3000).fit((X - mu) / sd, y)
    order = [list(clf.classes_).index(c) for c in LABELS]
    return lambda Z: clf.predict_proba((Z - mu) / sd)[:, order]


def restack(run: dict, stack, enc) -> dict:
    ev = run["evidence"].copy()
    rc = run["rc"]
    P = ev[["p_supports", "p_contradicts", "p_unrelated"]].to_numpy(float)
    sim = ev["similarity"].to_numpy(float)
    cvec = dict(zip(rc["claim_id"], enc.encode(list(rc["sentence"])), strict=True))
    evec = enc.encode(list(ev["evidence"]))
    n_better = np.zeros(len(ev))
    org_claims = rc.groupby("org")["claim_id"].apply(list).to_dict()
    for i, (o, s) in enumerate(zip(ev["org"], sim, strict=True)):
        sims = np.array([float(evec[i] @ cvec[c]) for c in org_claims[o]])
        n_better[i] = (sims > s + 1e-6).sum()
    Q = stack(context_features(P, sim, ev["best_similarity"].to_numpy(float), n_better, ev["rank"].to_numpy(float)))
    ev["p_supports"], ev["p_contradicts"], ev["p_unrelated"] = Q.T
    ev["stance"] = [LABELS[k] for k in Q.argmax(1)]
    return {**run, "evidence": ev}


def lofo(runs, label):
    from train_verdict_head import CS, RELEVANCE, features, lofo_score

    from authentitext.verdicts import VerdictConfig

    results = []
    for mid, scale, excl in RELEVANCE:
        fcfg = VerdictConfig(similarity_midpoint=mid, similarity_scale=scale, exclusivity_scale=excl)
        data = [features(run, fcfg) for run in runs]
        for c in CS:
            acc, rho, parts = lofo_score(runs, fcfg, c, data)
            results.append((round(acc, 4), round(rho, 4), f"mid={mid} scale={scale} excl={excl} C={c}",
                            [round(h / len(r["gold"]), 3) for (h, _), r in zip(parts, runs, strict=True)]))
    results.sort(reverse=True)
    print(f"{label}: best accuracy {results[0][0]:.3f} rho {results[0][1]:.3f} ({results[0][2]}); "
          f"median over the grid {np.median([r[0] for r in results]):.3f}", flush=True)
    print("  per file:", results[0][3], flush=True)
    return results


def main() -> int:
    from authentitext.embed import get_encoder

    enc = get_encoder()
    stack = fit_stacker(enc)
    runs = audit_runs(DEVELOPMENT)
    print(f"{len(runs)} development files, {sum(len(r['gold']) for r in runs)} claims", flush=True)
    lofo(runs, "shipped stance 2.4.0")
    lofo([restack(r, stack, enc) for r in runs], "2.4.0 + organisation-context stacker")
    return 0


if __name__ == "__main__":
    sys.exit(main())
