"""Entry point of the ``mtrepair`` command. Each subcommand lives in its own module
``mtrepair/cli/<name>_cmd.py`` exposing ``register(subparsers)``; the parser it
adds sets ``func(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
import warnings

from .. import __version__
from ..batch.options import WorkerStartError
from ..config import ConfigError, GlossaryWarning
from ..io import InputError
from ..model.errors import ModelError

#: Subcommand modules, in the order ``mtrepair --help`` lists them.
SUBCOMMAND_MODULES = ["repair_cmd", "detect_cmd", "glossary_cmd", "score_cmd"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: An unexpected error (a bug): reported in one line, never as a traceback (MTREPAIR_DEBUG=1 shows it).
EXIT_INTERNAL = 70
#: Exit status after SIGTERM (128 + 15, as a shell reports a process it terminated).
EXIT_TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an interruption so that it cleans up like Ctrl-C: temporary output
    files removed, workers stopped, nothing half-written left behind."""


def _raise_terminated(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise Terminated()


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
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        # The commands report glossary problems themselves, one per line
        # (cli.common.glossary_problems); the filter is the call's only (main() may be called from Python).
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=GlossaryWarning)
            return int(args.func(args) or 0)
    except (InputError, ConfigError, ModelError, WorkerStartError) as exc:
        print(f"mtrepair: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except Terminated:
        print("mtrepair: terminated", file=sys.stderr)
        return EXIT_TERMINATED
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
    except Exception as exc:  # last resort: a clear line instead of a traceback
        if os.environ.get("MTREPAIR_DEBUG"):
            raise
        print(f"mtrepair: internal error: {type(exc).__name__}: {exc} (a bug in mtrepair: please report it "
              "with the input; MTREPAIR_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
