"""Batch options of ``mtrepair repair`` and the hand-over to :mod:`mtrepair.batch`.

Single files keep the plain ``repair`` path; folders, JSONL/CSV/Parquet, HTML,
``--jobs``, ``--output-dir`` and ``--resume`` go through the batch engine.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..batch import BatchOptions, OutputKeys, Progress, discover, repair_paths
from ..batch.engine import MAX_ERRORS_SHOWN
from ..batch.options import DEFAULT_CHUNK_RECORDS, DEFAULT_MAX_LATENCY, DEFAULT_RECORD_TIMEOUT, INPUT_FORMATS
from ..blocks import DEFAULT_BLOCK_CHARS
from ..batch.sources import DEFAULT_FOLDER_GLOBS, STDIN, SUFFIX_FORMATS, sniff_html_file
from ..compression import codec_of_file, codec_of_name, split_suffix
from ..io import InputError
from ..repairer import Repairer
from .common import config_from_args, glossary_problems, use_colour

_KEY_OPTIONS = (("text_out_field", "text"), ("edits_field", "edits"), ("findings_field", "findings"),
                ("scores_field", "scores"), ("error_field", "error"))


def add_batch_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("batches and streams (folders, JSONL/CSV/Parquet records, HTML pages)")
    g.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="worker processes, each loading glossary and model once (default 1; 0 = one per CPU)")
    g.add_argument("--output-dir", metavar="DIR",
                   help="write one output per input, mirroring input names (folders keep their structure)")
    g.add_argument("--glob", action="append", default=[], metavar="PATTERN",
                   help=f"in folders, take files matching PATTERN, or matching it once a .gz/.bz2/.xz/.zst "
                        f"suffix is left out (repeatable; default: {' '.join(DEFAULT_FOLDER_GLOBS)})")
    g.add_argument("--input-format", choices=INPUT_FORMATS, default="auto",
                   help="auto (default): by extension (.jsonl .ndjson .csv .parquet .html .htm, also under a "
                        ".gz/.bz2/.xz/.zst suffix), HTML also recognised by content, anything else is plain "
                        "text; gzip, bz2, xz and zstd data is decompressed whatever the name (magic bytes)")
    g.add_argument("--html", action="store_true",
                   help="inputs (or the text field of records) are HTML pages: extract the article with "
                        "trafilatura first, keep title/date/url (needs mtrepair[html])")
    g.add_argument("--text-field", metavar="NAME", help="record field holding the text (default: text)")
    g.add_argument("--id-field", metavar="NAME", help="record field holding a stable id, for --resume (default: id)")
    g.add_argument("--output-key-prefix", default="", metavar="P",
                   help="prefix of the default names of the keys added to output records (e.g. mtrepair_); "
                        "names given with the options below are used as they are")
    g.add_argument("--text-out-field", metavar="NAME",
                   help="key of the repaired text (default repaired_text; give the --text-field name to "
                        "replace the text in place)")
    g.add_argument("--edits-field", metavar="NAME", help="key of the edits (default edits; '' leaves them out)")
    g.add_argument("--findings-field", metavar="NAME",
                   help="key of the unapplied findings (default findings; '' leaves them out)")
    g.add_argument("--scores-field", metavar="NAME", help="key of the scores (default scores; '' leaves them out)")
    g.add_argument("--error-field", metavar="NAME", help="key of the error message of a failed record (default error)")
    g.add_argument("--resume", action="store_true",
                   help="skip records (by id, with the same fields) and documents (by name) already in the "
                        "output (-o FILE or --output-dir), error records included (see --retry-failed); records "
                        "without id are recognised by their fields")
    g.add_argument("--retry-failed", action="store_true",
                   help="with --resume: error records in the output (a record that failed or timed out) do not "
                        "count as done: the output is rewritten atomically without them (every other line kept "
                        "as it was, in order) and their records are repaired again and appended")
    g.add_argument("--record-timeout", type=float, default=None, metavar="SECONDS",
                   help=f"a record (or each 200 kB of a longer one) that takes more than SECONDS becomes an "
                        f"error record and its worker process is replaced; the run goes on (default "
                        f"{DEFAULT_RECORD_TIMEOUT:g}; 0 = no limit, and one job then repairs in this process)")
    g.add_argument("--max-latency", type=float, default=None, metavar="SECONDS",
                   help=f"records go to worker processes in chunks of {DEFAULT_CHUNK_RECORDS}; a chunk that is "
                        f"not full goes to an idle worker once its oldest record has waited SECONDS for more "
                        f"input, so that a slow stream on standard input comes out record by record (busy "
                        f"workers let chunks fill; default {DEFAULT_MAX_LATENCY:g}; 0 = at once)")
    g.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="show a progress bar (default: only when standard error is a terminal)")
    g.add_argument("--no-progress", dest="progress", action="store_false", help="never show a progress bar")


def wants_batch(args: argparse.Namespace) -> bool:
    """True when the run needs the batch engine rather than the plain single-file path."""
    if (args.jobs != 1 or args.output_dir or args.resume or args.html or args.input_format != "auto"
            or args.text_field is not None or args.id_field is not None or args.glob
            or (args.record_timeout is not None and args.record_timeout > 0)):
        return True
    if args.output and args.output != "-" and codec_of_name(args.output):
        return True  # a compressed -o is written by the batch writers
    for path in args.inputs:
        if path == STDIN:
            continue
        if os.path.isdir(path) or Path(split_suffix(path)[0]).suffix.lower() in SUFFIX_FORMATS:
            return True
        if os.path.isfile(path) and (codec_of_file(path) or sniff_html_file(path)):
            return True  # compressed files are read (streaming) by the batch readers
    return False


def batch_options(args: argparse.Namespace, output_format: str, colour: bool) -> BatchOptions:
    keys = OutputKeys().with_prefix(args.output_key_prefix or "")
    changes = {}
    for opt, key in _KEY_OPTIONS:
        value = getattr(args, opt)
        if value is not None:
            changes[key] = value
    if changes:
        from dataclasses import replace

        keys = replace(keys, **changes)
    input_format = args.input_format
    if input_format == "auto" and STDIN in args.inputs and (args.text_field or args.id_field):
        input_format = "jsonl" if all(p == STDIN for p in args.inputs) else input_format
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    timeout = DEFAULT_RECORD_TIMEOUT if args.record_timeout is None else args.record_timeout
    if timeout < 0 or timeout != timeout:
        raise InputError(f"--record-timeout must be 0 (no limit) or a number of seconds, got {args.record_timeout}")
    latency = getattr(args, "max_latency", None)
    latency = DEFAULT_MAX_LATENCY if latency is None else latency
    if not 0 <= latency < float("inf"):
        raise InputError(f"--max-latency must be 0 or a number of seconds, got {args.max_latency}")
    try:
        return BatchOptions(
            input_format=input_format,
            html=args.html,
            text_field=args.text_field or "text",
            id_field=args.id_field or "id",
            keys=keys,
            output_format=output_format,
            encoding_errors=args.encoding_errors,
            colour=colour,
            jobs=jobs,
            resume=args.resume,
            retry_failed=args.retry_failed,
            block_chars=getattr(args, "block_chars", DEFAULT_BLOCK_CHARS),
            record_timeout=timeout if 0 < timeout < float("inf") else None,
            max_latency=latency,
        )
    except ValueError as exc:
        raise InputError(str(exc)) from None


def default_format(specs, output_dir: str | None) -> str:
    """Records give JSONL; documents mirrored into a folder give repaired text; one document
    gives its text; several documents on one stream give JSONL (one object per document)."""
    if any(s.is_records for s in specs):
        return "jsonl"
    if output_dir or len(specs) <= 1:
        return "text"
    return "jsonl"


def run_batch_cli(args: argparse.Namespace, explicit_format: str | None) -> int:
    if getattr(args, "no_backup", False):
        raise InputError("--no-backup only makes sense with --in-place")
    if args.jobs < 0:
        raise InputError(f"--jobs must be 0 (one per CPU) or more, got {args.jobs}")
    if explicit_format is not None and explicit_format not in ("text", "json", "jsonl", "diff"):
        raise InputError(f"--format {explicit_format} is not available for batches (folders, records, compressed "
                         "files, --jobs, --output-dir); use text, json, jsonl or diff")
    output = args.output if args.output and args.output != "-" else None
    probe = batch_options(args, "jsonl", False)
    specs = discover(args.inputs, probe, globs=args.glob, exclude=args.output_dir)
    fmt = explicit_format or default_format(specs, args.output_dir)
    colour = fmt == "diff" and not output and not args.output_dir and use_colour(sys.stdout)
    options = batch_options(args, fmt, colour)
    config = config_from_args(args)
    # Built here once: reports glossary problems, raises clear config errors, and (with fork)
    # warms the caches that the worker processes inherit.
    repairer = Repairer(config)
    problems = glossary_problems(repairer)
    progress = Progress(enabled=args.progress if not args.quiet else False)
    summary = repair_paths(args.inputs, config, options, output=output, output_dir=args.output_dir,
                           globs=args.glob, progress=progress, specs=specs, repairer=repairer)
    if not args.quiet:
        for name in summary.empty_inputs[:MAX_ERRORS_SHOWN]:
            mirrored = "; its mirrored output file is empty" if args.output_dir else ""
            print(f"mtrepair: note: {name}: holds no record, nothing to repair{mirrored}", file=sys.stderr)
        print(f"mtrepair: {summary.line()}", file=sys.stderr)
        if summary.failed > len(summary.errors) and summary.errors:
            print(f"mtrepair: ({summary.failed - len(summary.errors)} more failure(s) not shown; "
                  f"see the error field of the output records)", file=sys.stderr)
    return 1 if summary.failed or problems else 0
