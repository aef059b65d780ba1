#!/usr/bin/env bash
# Re-measure every table of docs/benchmarks.md, then rebuild that file. The stance pair files test.jsonl to
# test_v7.jsonl are training data since stance 2.4.0, test_v8.jsonl since round 18, test_v9.jsonl since round 20
# (their first runs are in EVALUATION_stance.md).
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
STANCE_TRAIN="data/stance/train.jsonl data/stance/train_v2_a.jsonl data/stance/train_v2_b.jsonl data/stance/train_v2_c.jsonl data/stance/train_v2_d.jsonl data/stance/train_v3_a.jsonl data/stance/train_v3_b.jsonl data/stance/train_v3_c.jsonl data/stance/train_v3_d.jsonl data/stance/train_v4_a.jsonl data/stance/train_v4_b.jsonl data/stance/train_v4_c.jsonl data/stance/train_v4_d.jsonl data/stance/train_v4_e.jsonl data/stance/train_v4_f.jsonl data/stance/test.jsonl data/stance/test_v2.jsonl data/stance/test_v3.jsonl data/stance/test_v4.jsonl data/stance/test_v5.jsonl data/stance/test_v6.jsonl data/stance/test_v7.jsonl data/stance/test_v8.jsonl data/stance/test_v9.jsonl"
# shellcheck disable=SC2086  # the list is meant to split into several --train files
run stance_cf_transfer stance --train $STANCE_TRAIN --test "$CF" --by agreement
# shellcheck disable=SC2086
run stance_own_v10 stance --train $STANCE_TRAIN --test data/stance/test_v10.jsonl --by claim_lang,evidence_lang
# audits: the two scenario files first scored by the models installed for round 20 (the evidence reader
# stance_evidence 1.1.0 with head 1.14.0); older files are their training data
for t in 38 39; do
  # shellcheck disable=SC2086
  run audit_test$t audit --test data/scenarios/scenarios_test$t.jsonl --train $STANCE_TRAIN
done
.venv/bin/python benchmarks/quality_doc.py
