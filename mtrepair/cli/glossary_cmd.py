"""``mtrepair glossary check|learn|list``: tools for the people who write rules."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED = 0, 1


def register(subparsers) -> None:
    p = subparsers.add_parser("glossary", help="check, list or learn glossary rules",
                              description="Tools for glossary files (see README, section Glossary).")
    sub = p.add_subparsers(dest="glossary_command", metavar="ACTION")
    sub.required = True

    c = sub.add_parser("check", help="validate glossary files: schema, duplicates, conflicts, examples, counter-examples")
    c.add_argument("paths", nargs="*", metavar="PATH",
                   help="glossary files or folders (default: the shipped glossary)")
    c.add_argument("--with-shipped", action="store_true",
                   help="check PATHs together with the shipped glossary (ids and conflicts across both)")
    c.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    c.add_argument("--warnings", "-W", action="store_true",
                   help="also print doubtful constructs that do not fail the check (e.g. a replacement that "
                        "keeps one of the pattern's alternatives)")
    c.set_defaults(func=_check)

    ls = sub.add_parser("list", help="list glossary entries")
    ls.add_argument("paths", nargs="*", metavar="PATH", help="glossary files or folders (default: the shipped glossary)")
    ls.add_argument("--family", help="only this family (reporting, business, technology, glue, ...)")
    ls.add_argument("--format", choices=("text", "json"), default="text")
    ls.set_defaults(func=_list)

    le = sub.add_parser("learn", help="learn candidate entries from spun/clean pairs",
                        description="Align spun and corrected texts word by word and write candidate "
                                    "glossary entries (mode: report) for review.")
    le.add_argument("--spun", required=True, help="spun text file, folder, or JSONL file with both fields")
    le.add_argument("--clean", help="corrected text file or folder (same file names); omit for JSONL")
    le.add_argument("--spun-field", default="spun", help="JSONL field holding the spun text (default: spun)")
    le.add_argument("--clean-field", default="clean", help="JSONL field holding the clean text (default: clean)")
    le.add_argument("--min-support", type=int, default=1, help="keep substitutions seen in at least N documents")
    le.add_argument("--max-tokens", type=int, default=6, help="longest phrase kept, in tokens (default 6)")
    le.add_argument("--prefix", default="LRN", help="id prefix of the candidate entries (default LRN)")
    le.add_argument("-o", "--output", help="write the YAML here (default: standard output)")
    le.set_defaults(func=_learn)


def _load(paths, with_shipped: bool = False):
    from ..glossary import load_paths
    from ..glossary.glossary import build_glossary, shipped_files

    if paths:
        return load_paths(paths, include_shipped=with_shipped)
    return build_glossary(shipped_files(), [], [])


def _check(args: argparse.Namespace) -> int:
    from ..glossary.check import check_glossary

    g = _load(args.paths, args.with_shipped)
    report = check_glossary(g)
    for p in report.problems:
        print(str(p))
    if args.warnings:
        for w in report.warnings:
            print(f"warning: {w}")
    if not args.quiet:
        fam = ", ".join(f"{k}: {v}" for k, v in report.families.items()) or "none"
        modes = ", ".join(f"{k}: {v}" for k, v in report.modes.items()) or "none"
        print(f"{report.entries} entries ({fam}; modes {modes}) in {len(g.files)} file(s); "
              f"{len(report.problems)} problem(s)", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAILED


def _list(args: argparse.Namespace) -> int:
    g = _load(args.paths)
    for p in g.problems:
        print(f"warning: {p}", file=sys.stderr)
    entries = [e for e in g.entries if args.family is None or e.family == args.family]
    entries.sort(key=lambda e: (e.family, e.id))
    if args.format == "json":
        json.dump([e.to_dict() for e in entries], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return EXIT_FAILED if g.problems else EXIT_OK
    for e in entries:
        repl = " | ".join(r if r else "(delete)" for r in e.replace)
        print(f"{e.id:<10} {e.mode:<6} {e.confidence:.2f}  {e.pattern}  ->  {repl}")
        if e.note:
            print(f"{'':<10} note: {e.note}  ({e.where})")
    print(f"{len(entries)} entries", file=sys.stderr)
    return EXIT_FAILED if g.problems else EXIT_OK


def _learn(args: argparse.Namespace) -> int:
    from ..glossary.learn import LearnError, extract, read_pairs, to_entries, to_yaml

    if args.min_support < 1 or args.max_tokens < 1:
        print("mtrepair: error: --min-support and --max-tokens must be at least 1", file=sys.stderr)
        return EXIT_FAILED
    try:
        pairs = read_pairs(args.spun, args.clean, args.spun_field, args.clean_field)
    except LearnError as exc:
        print(f"mtrepair: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    cands = extract(pairs, max_tokens=args.max_tokens)
    entries = to_entries(cands, prefix=args.prefix, min_support=args.min_support)
    text = to_yaml(entries, prefix=args.prefix)
    if args.output:
        out = Path(args.output)
        if any(out.resolve() == Path(x).resolve() for x in (args.spun, args.clean) if x):
            print("mtrepair: error: -o would overwrite an input", file=sys.stderr)
            return EXIT_FAILED
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"mtrepair: error: {out}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAILED
    else:
        sys.stdout.write(text)
    print(f"{len(entries)} candidate entries from {len(pairs)} document pair(s)", file=sys.stderr)
    return EXIT_OK
