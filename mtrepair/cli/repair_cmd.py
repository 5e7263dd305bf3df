"""``mtrepair repair``: repair files and print the text, a diff, or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from ..io import InputError, same_file, write_text_atomic
from ..render import edits_table, inline_diff, summary
from ..repairer import Repairer
from .common import add_config_options, add_input_options, config_from_args, iter_inputs, use_colour

FORMATS = ("text", "json", "jsonl", "diff")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("repair", help="repair files and explain every edit",
                       description="Repair French text damaged by spinning and machine translation.")
    add_input_options(p)
    p.add_argument("-o", "--output", metavar="OUT", help="write here instead of standard output")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text: repaired text (report on stderr); json: text, edits, findings, scores; "
                        "jsonl: one JSON object per input; diff: inline diff (coloured on a terminal)")
    p.add_argument("-q", "--quiet", action="store_true", help="no report on standard error")
    add_config_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.output and args.output != "-":
        for path in args.inputs:
            if path != "-" and same_file(path, args.output):
                raise InputError(f"{args.output}: -o would overwrite its own input; choose another file")
        if len(args.inputs) > 1 and args.format in ("text", "diff"):
            raise InputError("-o with several inputs needs --format json or jsonl")
    repairer = Repairer(config_from_args(args))
    errors: list[str] = []
    chunks: list[str] = []
    objects: list[dict] = []
    to_file = bool(args.output and args.output != "-")
    colour = not to_file and use_colour(sys.stdout)
    for item in iter_inputs(args, errors):
        result = repairer.repair(item.text)
        if args.format == "text":
            chunks.append(result.text)
        elif args.format == "diff":
            chunks.append(inline_diff(item.text, result.edits, colour=colour))
        else:
            obj = result.to_dict()
            if args.format == "jsonl" or len(args.inputs) > 1:
                obj = {"input": item.name, **obj}
            objects.append(obj)
        if not args.quiet and args.format in ("text", "diff"):
            report = summary(item.name, result)
            if result.edits and sys.stderr.isatty():
                report = edits_table(item.text, result.edits) + "\n" + report
            print(report, file=sys.stderr)
    if args.format == "json":
        payload = objects[0] if len(args.inputs) == 1 and objects else objects
        out = json.dumps(payload, ensure_ascii=False, indent=2) + "\n" if objects or len(args.inputs) > 1 else ""
    elif args.format == "jsonl":
        out = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)
    else:
        out = "".join(chunks)
    if to_file:
        write_text_atomic(args.output, out)
    else:
        sys.stdout.write(out)
        sys.stdout.flush()
    return 1 if errors else 0
