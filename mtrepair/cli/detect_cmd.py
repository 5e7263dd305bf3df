"""``mtrepair detect``: list findings without changing the text."""

from __future__ import annotations

import argparse
import json
import sys

from ..render import findings_table
from ..repairer import Repairer
from .common import add_config_options, add_input_options, config_from_args, glossary_problems, iter_inputs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("detect", help="list findings without changing the text",
                       description="List every suspicious span with its suggestions and evidence.")
    add_input_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_config_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    repairer = Repairer(config_from_args(args))
    errors: list[str] = glossary_problems(repairer)
    several = len(args.inputs) > 1
    payload: list[dict] = []
    for item in iter_inputs(args, errors):
        findings = repairer.detect(item.text)
        if args.format == "json":
            payload.append({"input": item.name, "findings": [f.to_dict() for f in findings]})
        else:
            header = f"== {item.name}: {len(findings)} finding(s)\n" if several or not findings else ""
            body = findings_table(item.text, findings)
            sys.stdout.write(header + body + ("\n" if body else ""))
    if args.format == "json":
        out = payload[0]["findings"] if not several and payload else payload
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    return 1 if errors else 0
