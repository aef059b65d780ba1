"""Choose claim-model parameters and decision thresholds on a development file.

    python scripts/dev_claims.py --fit data/claims/train.jsonl data/claims/train_more.jsonl \
        data/claims/train_env_reports.jsonl --dev data/claims/train_v3.jsonl [--C 1 4]

The claim and type heads are fit on ``--fit`` (same estimator as the shipped model) and the full
pipeline (rules, cues, vetoes, qualifier decision) runs on ``--dev`` with the heads' scores, for a
grid of ``threshold`` (model alone), ``rule_threshold`` (model + rule), ``type_threshold`` and
``veto_override``.
Prints claim F1 and type micro-F1 (gold claims) per language. ``--dev`` is a training file written
independently of the others (``train_v3.jsonl``: EN and NL not translations of each other), so the
selection never reads a held-out test file; the shipped model is then refit on all training files
with the chosen values. Several ``--dev`` files are scored together, e.g. a used held-out pair
(``--dev data/claims/test8_en.jsonl data/claims/test8_nl.jsonl``), as for claims_v6 and claims_v7.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
from pathlib import Path

import numpy as np

from _claim_files import refused

ROOT = Path(__file__).resolve().parents[1]
#: The thresholds of the shipped qualifier component (threshold, rule, type, veto override).
SHIPPED = (0.35, 0.25, 0.6, 0.8)


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def pre_model_docs(texts: list[str], langs: np.ndarray) -> tuple[dict[int, object], dict[str, object]]:
    """Run the claim pipeline up to (not including) the model and the qualifier, once per language.

    Returns the docs by row index (each with ``doc.spans["claim_sentences"]`` set) and the
    ``authentitext_qualifiers`` component per language, so a caller can set model scores on the
    sentences and replay the qualifier's decision on ``doc.copy()`` for any thresholds.
    """
    from authentitext.pipeline.build import build_nlp

    docs: dict[int, object] = {}
    quals: dict[str, object] = {}
    for lang in ("en", "nl"):
        nlp = build_nlp(lang, cache=False)
        quals[lang] = nlp.get_pipe("authentitext_qualifiers")
        before = [n for n in nlp.pipe_names if n not in ("authentitext_claim_model", "authentitext_qualifiers")]
        idx = np.flatnonzero(langs == lang)
        with nlp.select_pipes(enable=before):
            for i, doc in zip(idx, nlp.pipe([texts[i] for i in idx], batch_size=64), strict=True):
                doc.spans["claim_sentences"] = list(doc.sents)
                docs[int(i)] = doc
    return docs, quals


def type_f1(gold: list[set], pred: list[set]) -> float:
    tp = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    fp = sum(len(p - g) for g, p in zip(gold, pred, strict=True))
    fn = sum(len(g - p) for g, p in zip(gold, pred, strict=True))
    return 2 * tp / max(1, 2 * tp + fp + fn)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", type=Path, nargs="+", required=True)
    ap.add_argument("--dev", type=Path, nargs="+", required=True, help="one or more files, scored together")
    ap.add_argument("--C", type=float, nargs="+", default=[4.0])
    args = ap.parse_args(argv)
    held_out = refused([*args.fit, *args.dev])
    if held_out:
        ap.error(f"refusing to read held-out test files {held_out}")
    from sklearn.metrics import f1_score

    from authentitext.claim_model import ClaimClassifier

    spec = importlib.util.spec_from_file_location("train", ROOT / "scripts/train_claim_model.py")
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)  # type: ignore[union-attr]
    fit_rows = [r for p in args.fit for r in read(p)]
    dev = [r for path in args.dev for r in read(path)]
    texts = [r["text"] for r in dev]
    y = np.array([int(r["is_claim"]) for r in dev])
    langs = np.array([r["lang"] for r in dev])
    gold_types = [set(r["claim_types"]) for r in dev]

    docs, quals = pre_model_docs(texts, langs)

    grid = list(itertools.product([0.35, 0.4, 0.45, 0.5], [0.15, 0.25, 0.35], [0.5, 0.6, 0.7], [0.8, 0.9]))
    print(f"{'C':>5} {'thr':>5} {'rule':>5} {'type':>5} {'veto':>5}  claimF1 en / nl   typeF1 en / nl   mean")
    for C in args.C:
        params = {**train.CLAIM_PARAMS, "C": C}
        tparams = {**train.TYPE_PARAMS, "C": C}
        claim = ClaimClassifier(**params).fit([r["text"] for r in fit_rows], [int(r["is_claim"]) for r in fit_rows])
        types = ClaimClassifier(**tparams).fit(*train.typed([r["text"] for r in fit_rows],
                                                            [r["claim_types"] for r in fit_rows]))
        p_claim = claim.predict_proba(texts)[:, 1]
        p_types = types.predict_proba(texts)
        names = [str(c) for c in types.classes_]
        results = []
        for thr, rule_thr, type_thr, veto in grid:
            pred = np.zeros(len(dev), dtype=int)
            pred_types: list[set] = [set() for _ in dev]
            for i, doc in docs.items():
                q = quals[langs[i]]
                q.threshold, q.rule_threshold, q.type_threshold, q.veto_override = thr, rule_thr, type_thr, veto
                d = doc.copy()
                for sent in d.spans["claim_sentences"]:
                    sent._.claim_score = float(p_claim[i])
                    sent._.type_scores = {n: float(v) for n, v in zip(names, p_types[i], strict=True)}
                d = q(d)
                claims = [s for s in d.spans["claim_sentences"] if s._.is_claim]
                pred[i] = int(bool(claims))
                pred_types[i] = {t for s in claims for t in (s._.claim_types or [])}
            row = []
            for lang in ("en", "nl"):
                m = langs == lang
                row.append(f1_score(y[m], pred[m]))
            for lang in ("en", "nl"):
                m = np.flatnonzero((langs == lang) & (y == 1))
                row.append(type_f1([gold_types[i] for i in m], [pred_types[i] for i in m]))
            results.append((float(np.mean(row)), (C, thr, rule_thr, type_thr, veto), row))
        results.sort(key=lambda r: -r[0])
        for mean, key, row in results[:8]:
            print(f"{key[0]:5.1f} {key[1]:5.2f} {key[2]:5.2f} {key[3]:5.2f} {key[4]:5.2f}  {row[0]:.3f} / {row[1]:.3f}    "
                  f"{row[2]:.3f} / {row[3]:.3f}    {mean:.3f}")
        cur = next(r for r in results if r[1][1:] == SHIPPED)
        print(f"shipped thresholds {SHIPPED}, C={C}: " + " / ".join(f"{x:.3f}" for x in cur[2])
              + f"  mean {cur[0]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
