"""High-level batch entry points: paths in, files or a stream out; records in, records out."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping, Sequence

from ..config import RepairConfig
from ..io import InputError, same_file
from ..repairer import Repairer
from .engine import BatchSummary, Progress, iter_outcomes, run_batch
from .options import BatchOptions
from .readers import ReadStats, WorkItem, iter_items
from .sources import STDIN, InputSpec, check_output_collisions, discover, output_name
from .writers import DirWriter, ResumeIndex, StreamWriter, check_resumable, drop_error_records, open_output


def repair_paths(
    inputs: Sequence[str],
    config: RepairConfig,
    options: BatchOptions,
    *,
    output: str | None = None,
    output_dir: str | None = None,
    globs: Sequence[str] = (),
    progress: Progress | None = None,
    stdout: IO[str] | None = None,
    specs: Sequence[InputSpec] | None = None,
    repairer: Repairer | None = None,
) -> BatchSummary:
    """Repair files, folders and ``-`` into ``output`` (a file), ``output_dir`` or ``stdout``.

    Compressed inputs (gzip, bz2, xz, zstd: by their magic bytes) are read decompressed, as a
    stream; an ``output`` (or a mirrored name under ``output_dir``) ending in ``.gz``, ``.bz2``,
    ``.xz`` or ``.zst`` is written compressed (see :mod:`mtrepair.compression`).

    Raises :class:`~mtrepair.io.InputError` for problems found before any work
    starts (bad combination of options, an output that would overwrite an input);
    problems with single inputs or records become error records instead.
    """
    if output and output_dir:
        raise InputError("give either -o or --output-dir, not both")
    to_stream = not output_dir
    if output == "-":
        output = None
    if specs is None:
        specs = discover(inputs, options, globs=globs, exclude=output_dir)
    records = [s for s in specs if s.is_records and not s.error]
    if records and options.output_format != "jsonl":
        raise InputError(
            f"{records[0].name}: {records[0].fmt.upper()} input gives JSONL records; use --format jsonl "
            f"(the default for such inputs)"
        )
    if options.resume and not (output or output_dir):
        raise InputError("--resume needs -o FILE or --output-dir (it reads what is already there)")
    if options.resume and output and options.output_format != "jsonl":
        raise InputError("--resume with -o needs --format jsonl")
    if output:
        for s in specs:
            if s.path != STDIN and not s.error and same_file(s.path, output):
                raise InputError(f"{output}: -o would overwrite its own input; choose another file")
    if output_dir:
        clash = check_output_collisions(specs, options.output_format)
        if clash:
            raise InputError(clash)
        for s in specs:
            if s.path != STDIN and not s.error:
                target = Path(output_dir) / output_name(s, options.output_format)
                if target.exists() and same_file(s.path, str(target)):
                    raise InputError(f"{target}: --output-dir would overwrite its own input; choose another folder")
    elif to_stream and options.output_format in ("text", "diff") and len(specs) > 1 and output:
        raise InputError("-o with several inputs needs --format json or jsonl (or use --output-dir)")

    skip = None
    retried = 0
    if options.resume:
        targets = jsonl_outputs(specs, options, output, output_dir)
        for target in targets:
            check_resumable(target, options)  # before anything cuts or rewrites a file that is not an output
        if options.retry_failed:  # before anything reads the outputs: their error records are not done
            names = {s.name for s in specs}
            retried = sum(drop_error_records(target, options, names) for target in targets)
        skip = ResumeIndex(options, output=output, outdir=output_dir)
    stats = ReadStats()
    single = len(specs) == 1 and not specs[0].is_records
    if output_dir:
        writer: Any = DirWriter(output_dir, options, append=options.resume)
    elif output:
        fh = open_output(output, append=options.resume, atomic=options.output_format != "jsonl")
        writer = StreamWriter(fh, options, close=True, single=single)
    else:
        writer = StreamWriter(stdout or sys.stdout, options, single=single)
    on_empty = writer.empty_input if isinstance(writer, DirWriter) else None
    items = iter_items(specs, options, skip=skip, stats=stats, on_empty=on_empty)
    try:
        summary = run_batch(items, config, options, writer, progress=progress, repairer=repairer)
    except BaseException:
        writer.abort()
        raise
    if isinstance(writer, StreamWriter) and writer.wrote_nothing and summary.records and summary.ok == 0:
        writer.abort()  # every input failed and nothing was written: an atomic -o file is left as it was
    else:
        writer.close()
    summary.skipped = stats.skipped
    summary.retried = retried + (skip.retried if skip is not None else 0)
    summary.empty_inputs = list(stats.empty)
    return summary


def jsonl_outputs(specs: Sequence[InputSpec], options: BatchOptions, output: str | None,
                  output_dir: str | None) -> list[Path]:
    """The JSONL files a resumed run appends to: ``-o FILE``, or the mirrored outputs of record
    inputs (and of documents in ``jsonl`` format) under ``--output-dir``."""
    if output:
        return [Path(output)]
    targets = [Path(output_dir) / output_name(s, options.output_format) for s in specs
               if not s.error and (s.is_records or options.output_format == "jsonl")] if output_dir else []
    return list(dict.fromkeys(targets))


def repair_records(
    records: Iterable[Mapping[str, Any]],
    config: RepairConfig | None = None,
    *,
    text_field: str = "text",
    jobs: int = 1,
    html: bool = False,
    options: BatchOptions | None = None,
) -> Iterator[dict]:
    """Repair an iterable of dict records lazily, keeping every field.

    Yields one dict per input record, in order, with the repaired text, edits,
    findings and scores added under :class:`~mtrepair.batch.OutputKeys` names
    (``repaired_text``, ``edits``...), or an ``error`` field when the record
    could not be repaired. Each record is yielded as soon as it is repaired, without waiting for
    the next ones (a slow generator is not drained first): with one job it is repaired as soon as
    the iterable gives it; with worker processes (``jobs > 1``, ``options.record_timeout``) the
    iterable is consumed in a background thread, chunks cut as in :mod:`mtrepair.batch.feed`
    (``BatchOptions(max_latency=None)``: in the calling thread, a chunk then waits to be full).

    >>> out = next(repair_records([{"id": 1, "text": "Et maintenant? Rien."}]))
    >>> out["id"], out["repaired_text"]
    (1, 'Et maintenant ? Rien.')
    """
    base = options or BatchOptions(text_field=text_field, jobs=jobs, html=html)
    opts = replace(base, as_objects=True, output_format="jsonl")
    items = (record_item(i, r) for i, r in enumerate(records))
    for outcome in iter_outcomes(items, config or RepairConfig(), opts):
        yield outcome.output


def record_item(index: int, record: Any) -> WorkItem:
    """The work item of the ``index``-th record given to :func:`repair_records`: a copy of its
    fields, or, for a value that is not a mapping of fields (a string, None, a list), an error
    item: its output is an error record holding ``repr(record)`` under ``raw`` (nothing dropped)."""
    if isinstance(record, Mapping) or hasattr(record, "keys"):  # dicts, Mappings, pandas rows
        try:
            return WorkItem(index, "<records>", "records", "jsonl", "row", index + 1, dict(record))
        except (TypeError, ValueError):
            pass
        except Exception as exc:  # a mapping that fails while its fields are read (a lazy ORM row)
            return WorkItem(index, "<records>", "records", "jsonl", "error", index + 1, _safe_repr(record),
                            f"record {index + 1}: its fields cannot be read ({type(exc).__name__}: {exc})")
    return WorkItem(index, "<records>", "records", "jsonl", "error", index + 1, _safe_repr(record),
                    f"record {index + 1} is a {type(record).__name__}, not a mapping of fields")


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception:  # a repr that reads what cannot be read
        return f"<{type(value).__name__} object>"
