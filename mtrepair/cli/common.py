"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import sys
from typing import Iterator

from ..config import RepairConfig
from ..io import STDIN_LOOKS_LIKE_JSONL, InputError, TextInput, looks_like_jsonl, read_text


def add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="*", default=["-"], metavar="FILE",
                   help="input files ('-' or nothing: standard input)")
    p.add_argument("--encoding-errors", choices=["strict", "replace"], default="strict",
                   help="what to do with bytes that are not valid UTF-8 (default: strict = stop with an error)")


def add_config_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("repair settings")
    g.add_argument("--config", metavar="TOML", help="read settings from a TOML file (keys = RepairConfig fields)")
    g.add_argument("--min-confidence", type=float, metavar="X",
                   help="apply findings at least this confident (default 0.7)")
    g.add_argument("--glossary", action="append", default=[], metavar="PATH",
                   help="extra glossary file or folder (repeatable; overrides shipped entries with the same id)")
    g.add_argument("--disable", action="append", default=[], metavar="ID",
                   help="switch off a glossary entry by id, or a family with PREFIX-* (repeatable)")
    g.add_argument("--no-builtin-glossary", action="store_true", help="do not load the shipped glossary")
    g.add_argument("--no-boilerplate", action="store_true", help="keep adverts, calls to action and footers")
    g.add_argument("--no-join-lines", action="store_true", help="do not join sentences cut across lines")
    g.add_argument("--no-typography", action="store_true", help="do not fix French spacing")
    g.add_argument("--no-entities", action="store_true", help="do not restore garbled names")
    g.add_argument("--unlisted", action=argparse.BooleanOptionalAction, default=None,
                   help="also report improbable phrases no glossary entry lists (the model's unlisted-phrase "
                        "finder; never applied; off by default: it makes a repair about 2.5x slower)")
    g.add_argument("--model", metavar="NAME",
                   help="reference model: default (embedded), none, a model folder, or hf:NAME_OR_PATH")
    g.add_argument("--categories", metavar="LIST",
                   help="comma-separated categories that may be edited (default: all)")


def config_from_args(args: argparse.Namespace) -> RepairConfig:
    config = RepairConfig.from_file(args.config) if getattr(args, "config", None) else RepairConfig()
    changes: dict = {}
    if args.min_confidence is not None:
        changes["min_confidence"] = args.min_confidence
    if args.glossary:
        changes["glossary_paths"] = tuple(config.glossary_paths) + tuple(args.glossary)
    if args.disable:
        changes["disabled_rules"] = tuple(config.disabled_rules) + tuple(args.disable)
    if args.no_builtin_glossary:
        changes["builtin_glossary"] = False
    if args.no_boilerplate:
        changes["remove_boilerplate"] = False
    if args.no_join_lines:
        changes["join_broken_lines"] = False
    if args.no_typography:
        changes["typography"] = False
    if args.no_entities:
        changes["restore_entities"] = False
    if args.unlisted is not None:
        changes["find_unlisted"] = args.unlisted
    if args.model is not None:
        changes["model"] = None if args.model == "default" else args.model
    if args.categories:
        changes["categories"] = tuple(c.strip() for c in args.categories.split(",") if c.strip())
    return config.replace(**changes) if changes else config


def iter_inputs(args: argparse.Namespace, errors: list[str]) -> Iterator[TextInput]:
    """Yield decoded inputs; a bad input is reported, recorded and skipped."""
    for path in args.inputs:
        try:
            item = read_text(path, encoding_errors=args.encoding_errors)
            if path == "-" and getattr(args, "input_format", "auto") == "auto" and looks_like_jsonl(item.text):
                raise InputError(STDIN_LOOKS_LIKE_JSONL)
            yield item
        except InputError as exc:
            print(f"mtrepair: error: {exc}", file=sys.stderr)
            errors.append(str(exc))


def glossary_problems(repairer) -> list[str]:
    """Print every problem found while loading the glossaries (``file:line: reason``) and return them.

    A bad user glossary never stops the run nor disables the shipped entries, but it is never
    silent either: the commands report it and exit non-zero once the inputs are processed.
    """
    problems = repairer.glossary_problems
    for message in problems:
        print(f"mtrepair: error: glossary: {message}", file=sys.stderr)
    return problems


def use_colour(stream) -> bool:
    import os

    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("NO_COLOR") is None


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col
