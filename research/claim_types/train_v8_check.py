"""Development check for the train_v8 files (claim-type focused training data, eighth session).

Rule set before the files were read: ship claims 7.2.0 (the 7.1.0 recipe with the train_v8 files, then also the used
pair test13) only if, on test13 (used once, not training data of 7.1.0), the full pipeline's type micro-F1 on gold
claims rises by at least 0.005 on the mean of EN and NL, and claim F1 drops by no more than 0.01 in either language.
Both models are fit here with the recipe of scripts/train_claim_model.py and run through extract_claims.

    .venv/bin/python research/claim_types/train_v8_check.py
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from _claim_files import DEMOTED  # noqa: E402
from eval_claims import score_own  # noqa: E402
from train_claim_model import CLAIM_PARAMS, TYPE_PARAMS, typed  # noqa: E402

BASE = ["train.jsonl", "train_more.jsonl", "train_env_reports.jsonl", "train_v3.jsonl", "train_v5_en_a.jsonl",
        "train_v5_en_b.jsonl", "train_v5_nl_a.jsonl", "train_v5_nl_b.jsonl", *sorted(DEMOTED)]
V8 = [f"train_v8_{lang}_{part}.jsonl" for lang in ("en", "nl") for part in ("a", "b")]


def read(name: str) -> list[dict]:
    return [json.loads(line) for line in (ROOT / "data/claims" / name).open(encoding="utf-8") if line.strip()]


def fit_and_score(rows: list[dict], test: dict[str, list[dict]], out: Path) -> dict:
    import numpy as np

    from authentitext.claim_model import ClaimClassifier, ClaimModel

    texts = [r["text"] for r in rows]
    claim = ClaimClassifier(**CLAIM_PARAMS).fit(texts, np.array([int(r["is_claim"]) for r in rows]))
    types = ClaimClassifier(**TYPE_PARAMS).fit(*typed(texts, [list(r["claim_types"]) for r in rows]))
    ClaimModel(claim, types).save(out, meta={"name": out.name})
    res = {}
    for lang, t in test.items():
        r = score_own(t, lang, model=str(out))
        res[lang] = {"claim_f1": r["claim"]["f1"], "type_f1": r["type_micro_f1_gold_claims"]}
    return res


def main() -> int:
    base = [r for f in BASE for r in read(f)]
    v8 = [r for f in V8 for r in read(f)]
    test = {lang: read(f"test13_{lang}.jsonl") for lang in ("en", "nl")}
    with tempfile.TemporaryDirectory() as tmp:
        before = fit_and_score(base, test, Path(tmp) / "base")
        after = fit_and_score(base + v8, test, Path(tmp) / "v8")
    print(f"7.1.0 recipe, {len(base)} rows: {before}")
    print(f"+ train_v8, {len(base) + len(v8)} rows: {after}")
    gain = sum(after[k]["type_f1"] - before[k]["type_f1"] for k in ("en", "nl")) / 2
    drop = max(before[k]["claim_f1"] - after[k]["claim_f1"] for k in ("en", "nl"))
    ok = gain >= 0.005 and drop <= 0.01
    print(f"type F1 gain (mean) {gain:+.3f}, largest claim F1 drop {drop:+.3f}: {'ship' if ok else 'do not ship'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
