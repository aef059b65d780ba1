"""Which claim data files the training and selection scripts may read.

A held-out test file becomes usable for training once it has been evaluated (once) and a fresher
held-out pair has replaced it; its evaluation stays on record in ``EVALUATION_claims.md``.
"""

from __future__ import annotations

from pathlib import Path

#: Evaluated held-out files, demoted to training data (2026-11-23, before claims_v4).
DEMOTED = {"test_en.jsonl", "test_nl.jsonl", "test3_en.jsonl", "test3_nl.jsonl", "test4_en.jsonl",
           "test4_nl.jsonl"}
#: Evaluated once each (test5-test7 with claims_v4/v5, test8 with v5 and cue packs 1.2.0) and replaced
#: by the fresh pair test9 (2026-11-23, fifth session): development data from then on.
DEMOTED |= {f"test{k}_{lang}.jsonl" for k in (5, 6, 7, 8) for lang in ("en", "nl")}


#: Claim training files written as training data (the demoted test files come on top).
TRAIN_FILES = ("train.jsonl", "train_more.jsonl", "train_env_reports.jsonl", "train_v3.jsonl",
               "train_v5_en_a.jsonl", "train_v5_en_b.jsonl", "train_v5_nl_a.jsonl", "train_v5_nl_b.jsonl",
               "train_v8_en_a.jsonl", "train_v8_en_b.jsonl", "train_v8_nl_a.jsonl", "train_v8_nl_b.jsonl")


def refused(paths: list[Path]) -> list[str]:
    """Names among ``paths`` that are test files still held out."""
    return [p.name for p in paths if "test" in p.name and p.name not in DEMOTED]
#: Evaluated once with claims_v6 (2026-11-23, fifth session) and replaced by the fresh pair test10
#: (2026-11-23, sixth session): development data for the claims_v7 type head, then training data.
DEMOTED |= {"test9_en.jsonl", "test9_nl.jsonl"}
#: Evaluated once each (test10 with claims_v7, test11 with cue packs 1.3.0, test12 with 1.3.1), then development
#: data (eighth session), then training data for claims 7.1.0; test13 is the fresh pair.
DEMOTED |= {f"test{k}_{lang}.jsonl" for k in (10, 11, 12) for lang in ("en", "nl")}
#: test13 evaluated once with claims 7.1.0 (eighth session), then the development file of
#: research/claim_types/new_files_check.py (train_v8), then training data for claims 7.2.0; test14 is the fresh pair.
DEMOTED |= {"test13_en.jsonl", "test13_nl.jsonl"}
#: test14/test15 evaluated once with claims 7.2.0 (eighth session), then the development pair of
#: new_files_check.py (train_v9, not shipped), then training data for claims 7.3.0 (ninth session);
#: test16 is the fresh pair.
DEMOTED |= {f"test{k}_{lang}.jsonl" for k in (14, 15) for lang in ("en", "nl")}
#: test16 evaluated once with claims 7.2.0 and 7.3.0 (ninth session), then training data for claims 7.4.0
#: (tenth session); test17 is the fresh pair.
DEMOTED |= {"test16_en.jsonl", "test16_nl.jsonl"}
#: test17 evaluated once with claims 7.3.0 and 7.4.0 (tenth session), then development data for the type-model
#: probes of the eleventh session; test18 is the fresh pair.
DEMOTED |= {"test17_en.jsonl", "test17_nl.jsonl"}
#: test18 evaluated once with claims 7.4.0 and 7.5.0 (eleventh session; 7.5.0 shipped), then development data;
#: test19 is the fresh pair.
DEMOTED |= {"test18_en.jsonl", "test18_nl.jsonl"}
#: test19 evaluated once with claims 7.5.0 and 7.6.0 (twelfth session; 7.6.0 shipped), then development data;
#: test20 is the fresh pair.
DEMOTED |= {"test19_en.jsonl", "test19_nl.jsonl"}
#: test20 evaluated once with claims 7.6.0 and 7.7.0 (thirteenth session; 7.7.0 shipped), then development data;
#: test21 is the fresh pair.
DEMOTED |= {"test20_en.jsonl", "test20_nl.jsonl"}
#: test21 evaluated once with claims 7.7.0 and 7.8.0 (fourteenth session; 7.8.0 shipped), then development data;
#: test22 is the fresh pair.
DEMOTED |= {"test21_en.jsonl", "test21_nl.jsonl"}
