"""Entry point of the ``mtrepair`` command. Each subcommand lives in its own module
``mtrepair/cli/<name>_cmd.py`` exposing ``register(subparsers)``; the parser it
adds sets ``func(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys

from .. import __version__
from ..config import ConfigError
from ..io import InputError

#: Subcommand modules, in the order ``mtrepair --help`` lists them.
SUBCOMMAND_MODULES = ["repair_cmd", "detect_cmd", "glossary_cmd", "score_cmd"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mtrepair",
        description="Repair French news text damaged by spinning and machine translation.",
    )
    parser.add_argument("--version", action="version", version=f"mtrepair {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (InputError, ConfigError) as exc:
        print(f"mtrepair: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("mtrepair: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Reader went away (mtrepair ... | head): not an error of ours.
        try:
            sys.stdout = None  # type: ignore[assignment]
        finally:
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
