"""``mtrepair repair``: repair files and print the text, a diff, or JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys

from ..blocks import DEFAULT_BLOCK_CHARS, check_file, repair_file_streaming, repair_long
from ..io import (DEFAULT_BACKUP_SUFFIX, AtomicOutput, InputError, empty_input, read_text, rewrite_in_place,
                  same_file, write_text_atomic)
from ..render import edits_table, inline_diff, summary
from ..repairer import Repairer
from .batch_opts import add_batch_options, run_batch_cli, wants_batch
from .common import (add_config_options, add_input_options, config_from_args, glossary_problems, iter_inputs,
                     use_colour)

FORMATS = ("text", "json", "jsonl", "diff", "html")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("repair", help="repair files and explain every edit",
                       description="Repair French text damaged by spinning and machine translation.")
    add_input_options(p)
    p.add_argument("-o", "--output", metavar="OUT", help="write here instead of standard output")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="text: repaired text (report on stderr); json: text, edits, findings, scores; "
                        "jsonl: one JSON object per input; diff: inline diff (coloured on a terminal); "
                        "html: self-contained page, edits highlighted, scores at the top "
                        "(default: text; jsonl for record inputs and for several documents in a batch)")
    p.add_argument("-q", "--quiet", action="store_true", help="no report on standard error")
    p.add_argument("-i", "--in-place", action="store_true",
                   help="rewrite each input file with its repaired text (atomically, in its own encoding); "
                        f"the original is kept as FILE{DEFAULT_BACKUP_SUFFIX} unless --no-backup")
    p.add_argument("--no-backup", action="store_true", help="with --in-place: keep no backup of the originals")
    p.add_argument("--backup-suffix", default=DEFAULT_BACKUP_SUFFIX, metavar="SUFFIX",
                   help=f"with --in-place: suffix of the backup files (default {DEFAULT_BACKUP_SUFFIX})")
    p.add_argument("--block-chars", type=int, default=DEFAULT_BLOCK_CHARS, metavar="N",
                   help=f"repair documents longer than N characters block by block, cut at blank lines (else at "
                        f"line ends closing a sentence, else at line ends), in bounded memory; text and diff output of a long file is streamed "
                        f"(default {DEFAULT_BLOCK_CHARS}; 0 = always whole)")
    add_batch_options(p)
    add_config_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    explicit_format, args.format = args.format, args.format or "text"
    if args.block_chars < 0:
        raise InputError(f"--block-chars must be 0 (never split) or more, got {args.block_chars}")
    if args.record_timeout is not None and not args.record_timeout >= 0:
        raise InputError(f"--record-timeout must be 0 (no limit) or a number of seconds, got {args.record_timeout}")
    if args.retry_failed and not args.resume:
        raise InputError("--retry-failed only makes sense with --resume (it repairs again the records that failed "
                         "in the output a previous run left: -o FILE or --output-dir)")
    if not args.in_place and wants_batch(args):
        return run_batch_cli(args, explicit_format)
    if args.in_place:
        return run_in_place(args)
    if args.no_backup:
        raise InputError("--no-backup only makes sense with --in-place")
    if args.output and args.output != "-":
        for path in args.inputs:
            if path != "-" and same_file(path, args.output):
                raise InputError(f"{args.output}: -o would overwrite its own input; choose another file")
        if len(args.inputs) > 1 and args.format in ("text", "diff"):
            raise InputError("-o with several inputs needs --format json or jsonl")
    repairer = Repairer(config_from_args(args))
    errors: list[str] = glossary_problems(repairer)
    chunks: list[str] = []
    objects: list[dict] = []
    to_file = bool(args.output and args.output != "-")
    colour = not to_file and use_colour(sys.stdout)
    if args.format in ("text", "diff") and any(long_file(p, args.block_chars) for p in args.inputs):
        return run_streaming(args, repairer, errors, colour, to_file)
    read_any = False
    for item in iter_inputs(args, errors):
        read_any = True
        result = repair_long(repairer, item.text, args.block_chars)
        if args.format == "text":
            chunks.append(result.text)
        elif args.format == "diff":
            chunks.append(inline_diff(item.text, result.edits, colour=colour))
        elif args.format == "html":
            from ..scoring.html import repair_section
            chunks.append(repair_section(item.name, result, repairer))
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
        from ..scoring.html import render_page
        out = render_page(chunks) if args.format == "html" else "".join(chunks)
    if to_file:
        if not read_any:
            return 1  # every input failed (each reported): an existing output file is left as it was
        write_text_atomic(args.output, out)
    else:
        sys.stdout.write(out)
        sys.stdout.flush()
    return 1 if errors else 0


def long_file(path: str, block_chars: int) -> bool:
    """A file too long to be one block (by its size in bytes, which is at least its characters)."""
    if path == "-" or block_chars <= 0:
        return False
    try:
        return os.path.isfile(path) and os.path.getsize(path) > block_chars
    except OSError:
        return False


def run_streaming(args: argparse.Namespace, repairer: Repairer, errors: list[str], colour: bool,
                  to_file: bool) -> int:
    """Text or diff output when an input is a long file: every input is written as soon as it is
    repaired, a long file block by block, so memory stays flat whatever its size. ``-o`` is still
    atomic (a temporary file renamed at the end). Each long file is read once first, so that a
    decoding error is reported before any of its text is written."""
    sink = AtomicOutput(args.output) if to_file else None
    write = sink.write_text if sink is not None else sys.stdout.write
    diff = args.format == "diff"
    read_any = False
    try:
        for path in args.inputs:
            if long_file(path, args.block_chars):
                try:
                    try:
                        _, content = check_file(path, path, args.encoding_errors)
                    except OSError as exc:
                        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
                    if not content:
                        raise empty_input(path)
                except InputError as exc:
                    print(f"mtrepair: error: {exc}", file=sys.stderr)
                    errors.append(str(exc))
                    continue
                render = (lambda block, result: inline_diff(block, result.edits, colour=colour)) if diff else None
                read_any = True
                merged = repair_file_streaming(repairer, path, path, write, args.block_chars,
                                               args.encoding_errors, render)
                report = merged.summary(path)
            else:
                try:
                    item = read_text(path, encoding_errors=args.encoding_errors)
                except InputError as exc:
                    print(f"mtrepair: error: {exc}", file=sys.stderr)
                    errors.append(str(exc))
                    continue
                read_any = True
                result = repair_long(repairer, item.text, args.block_chars)
                write(inline_diff(item.text, result.edits, colour=colour) if diff else result.text)
                report = summary(item.name, result)
                if result.edits and sys.stderr.isatty():
                    report = edits_table(item.text, result.edits) + "\n" + report
            if not args.quiet:
                print(report, file=sys.stderr)
    except BaseException:
        if sink is not None:
            sink.discard()
        raise
    if sink is not None:
        if read_any:
            sink.commit()
        else:  # every input failed (each reported): an existing output file is left as it was
            sink.discard()
    else:
        sys.stdout.flush()
    return 1 if errors else 0


def not_plain_text(path: str, args: argparse.Namespace) -> str | None:
    """What an input is when it is not plain text (records or HTML, as the batch engine would
    read it), else None."""
    from ..batch.sources import SUFFIX_FORMATS, sniff_html_file

    from ..compression import codec_of_file

    codec = codec_of_file(path) if os.path.isfile(path) else None
    if codec is not None:
        return f"a {codec}-compressed file"
    fmt = args.input_format
    if fmt == "auto":
        fmt = SUFFIX_FORMATS.get(os.path.splitext(path)[1].lower())
        if fmt is None and (args.html or (os.path.isfile(path) and sniff_html_file(path))):
            fmt = "html"
    if fmt in ("jsonl", "csv", "parquet"):
        return f"{fmt.upper()} records"
    return "an HTML page" if fmt == "html" or args.html else None


def run_in_place(args: argparse.Namespace) -> int:
    """``--in-place``: each file is rewritten atomically, after an atomic backup (unless --no-backup).

    Files whose text does not change are left untouched (no write, no backup). A file that cannot
    be read or written is reported and skipped; the others are still processed.
    """
    if args.output:
        raise InputError("--in-place and -o are exclusive: --in-place writes back to each input file")
    if args.format != "text":
        raise InputError("--in-place writes repaired text; it cannot be combined with --format " + args.format)
    if not args.inputs or "-" in args.inputs:
        raise InputError("--in-place needs file names (standard input cannot be rewritten)")
    if args.no_backup and args.encoding_errors == "replace":
        raise InputError("--in-place --no-backup with --encoding-errors replace would destroy the undecodable "
                         "bytes; keep the backup")
    if not args.no_backup and not args.backup_suffix:
        raise InputError("--backup-suffix must not be empty")
    for path in args.inputs:
        kind = not_plain_text(path, args)
        if kind:
            raise InputError(f"{path}: is {kind}; --in-place rewrites plain text files only (repairing it as text "
                             "would break its records or markup): use -o FILE or --output-dir")
    suffix = None if args.no_backup else args.backup_suffix
    repairer = Repairer(config_from_args(args))
    errors: list[str] = glossary_problems(repairer)
    for item in iter_inputs(args, errors):
        result = repair_long(repairer, item.text, args.block_chars)
        if result.text != item.text:
            try:
                rewrite_in_place(item.name, result.text, item.encoding, suffix)
            except InputError as exc:
                print(f"mtrepair: error: {exc}", file=sys.stderr)
                errors.append(str(exc))
                continue
        if not args.quiet:
            print(summary(item.name, result), file=sys.stderr)
    return 1 if errors else 0
