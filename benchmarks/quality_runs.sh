#!/usr/bin/env bash
# Re-measure every table of docs/benchmarks.md, then rebuild that file.
# Run from the repository root; needs ../shared/data (evaluation data, never copied into the repo).
set -euo pipefail
BENCH="${BENCH:-.venv/bin/authentitext bench}"
R=benchmarks/results
ENV=../shared/data/environmental_claims
CF=../shared/data/climate_fever/dev.jsonl
mkdir -p "$R"
run() { name=$1; shift; echo "== $name" >&2; $BENCH "$@" --json "$R/$name.json" > "$R/$name.md"; }
run claims_env_fit claims --train "$ENV/train.jsonl" --test "$ENV/dev.jsonl"
run claims_env_zero claims --test "$ENV/dev.jsonl"
run stance_cf stance --test "$CF" --by agreement
run stance_cf_transfer stance --train data/stance/train.jsonl --test "$CF" --by agreement
run stance_own stance --train data/stance/train.jsonl --test data/stance/test.jsonl --by claim_lang,evidence_lang
run audit audit --test data/scenarios/scenarios.jsonl --train data/stance/train.jsonl
.venv/bin/python benchmarks/quality_doc.py
