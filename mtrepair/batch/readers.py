"""Readers: turn input specs into a stream of work items, one per record.

Plain text and HTML files are one record each; JSONL, CSV and Parquet files
give one record per line/row. Reading is streaming (a line, a row or a Parquet
batch at a time) so memory stays flat whatever the input size. JSONL lines are
passed on as raw bytes and parsed in the worker (so parsing runs in parallel
too); a malformed line becomes an error record with its line number and raw text.
"""

from __future__ import annotations

import csv
import errno
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from ..blocks import iter_decoded, iter_text_blocks
from ..compression import (CompressedDataError, Opened, check_integrity, codec_of_file, decompressed_longer_than,
                           open_input, open_stream)
from ..io import STDIN_LOOKS_LIKE_JSONL, InputError, empty_input, is_blank, looks_like_jsonl
from .jsonio import finite, input_content_key, input_error_key, input_id_variants, parse_jsonl_line
from .options import BatchOptions
from .sources import STDIN, InputSpec, sniff_html_file

#: Rows read from a Parquet file at a time.
PARQUET_BATCH_ROWS = 256


@dataclass(frozen=True)
class WorkItem:
    """One record on its way to a worker.

    ``kind``: ``doc`` (``payload`` = file bytes), ``block`` (a :class:`Block` of a long
    plain-text file), ``line`` (raw JSONL line bytes), ``row`` (a record dict) or ``error``
    (``error`` says why; ``payload`` may hold the raw text).
    """

    index: int
    source: str
    rel: str
    fmt: str
    kind: str
    line: int | None
    payload: Any
    error: str | None = None


@dataclass(frozen=True)
class Block:
    """One block of a long plain-text file (see :mod:`mtrepair.blocks`): its text, its offset
    in characters, its number (from 0) and whether it is the file's last."""

    text: str
    offset: int
    number: int
    last: bool


@dataclass
class ReadStats:
    skipped: int = 0
    #: Names of the record inputs (JSONL, CSV, Parquet) that held no record at all: 0 bytes, blank
    #: lines only, a CSV header alone, a Parquet file without rows. Not a failure: their output is
    #: an empty stream of records.
    empty: list[str] = field(default_factory=list)


#: resume predicate: (spec, key) -> True when the record is already in the output; key is
#: "input:NAME" (document), "id:ID" (record), or for a record without id "rec:DIGEST" (its output)
#: and "err:DIGEST" (its error record), see :mod:`mtrepair.batch.jsonio`.
#: Records with id also give the digests their output record is found by (an id must come with
#: its record's fields: see :func:`~mtrepair.batch.jsonio.input_id_variants`).
SkipFn = Callable[..., bool]


def iter_items(
    specs: Sequence[InputSpec],
    options: BatchOptions,
    skip: SkipFn | None = None,
    stats: ReadStats | None = None,
    on_empty: Callable[[InputSpec], None] | None = None,
) -> Iterator[WorkItem]:
    """Work items of every input, in order. A record input that holds no record gives no item: it
    is added to ``stats.empty`` and handed to ``on_empty`` (``--output-dir`` writes its empty mirror)."""
    stats = stats if stats is not None else ReadStats()
    index = 0
    for spec in specs:
        skipped_before, produced = stats.skipped, False
        for item in _read_spec(spec, options, skip, stats):
            produced = True
            yield WorkItem(index, *item)
            index += 1
        if spec.is_records and not spec.error and not produced and stats.skipped == skipped_before:
            stats.empty.append(spec.name)
            if on_empty is not None:
                on_empty(spec)


def _read_spec(spec: InputSpec, options: BatchOptions, skip: SkipFn | None, stats: ReadStats) -> Iterator[tuple]:
    base = (spec.name, spec.rel, spec.fmt)
    if spec.error:
        yield (*base, "error", None, None, spec.error)
        return
    if spec.fmt in ("text", "html"):
        if skip is not None and skip(spec, "input:" + spec.name):
            stats.skipped += 1
            return
        if streams_in_blocks(spec, options):
            yield from _read_blocks(spec, base, options)
            return
        try:
            data = _read_bytes(spec.path, spec.name)
        except OSError as exc:  # a damaged compressed document is not repaired in part: one error record
            yield (*base, "error", None, None, f"{spec.name}: cannot read: {exc.strerror or exc}")
            return
        if spec.path == STDIN and options.input_format == "auto" and looks_like_jsonl(data):
            yield (*base, "error", None, None, STDIN_LOOKS_LIKE_JSONL)
            return
        yield (*base, "doc", None, data, None)
    elif spec.fmt == "jsonl":
        yield from _read_jsonl(spec, base, options, skip, stats)
    elif spec.fmt == "csv":
        yield from _read_csv(spec, base, options, skip, stats)
    elif spec.fmt == "parquet":
        yield from _read_parquet(spec, base, options, skip, stats)
    else:  # pragma: no cover - guarded by BatchOptions
        yield (*base, "error", None, None, f"{spec.name}: unknown input format {spec.fmt}")


def streams_in_blocks(spec: InputSpec, options: BatchOptions) -> bool:
    """A plain-text file longer than a block, with text or diff output: read and repaired block by
    block, each block its own work item, so memory stays flat whatever the file size. (JSON
    outputs need the whole document's edits in one object; HTML needs the whole page.)"""
    if spec.fmt != "text" or spec.path == STDIN or options.block_chars <= 0 or options.html:
        return False
    if options.output_format not in ("text", "diff"):
        return False
    try:
        if os.path.getsize(spec.path) <= options.block_chars and codec_of_file(spec.path) is None:
            return False  # bytes >= characters
    except OSError:
        return False
    if codec_of_file(spec.path) is not None and not decompressed_longer_than(spec.path, options.block_chars):
        return False
    return not (options.input_format == "auto" and sniff_html_file(spec.path))


def _read_blocks(spec: InputSpec, base: tuple, options: BatchOptions) -> Iterator[tuple]:
    """Blocks of a long text file. The file is decoded once first, so that a file that cannot be
    read to its end (invalid UTF-8, binary) is one error record before any of it is written."""
    try:
        try:
            content = _check_file(spec.path, spec.name, options.encoding_errors)
        except OSError as exc:
            raise InputError(f"{spec.name}: cannot read: {exc.strerror or exc}") from None
        if not content:
            raise empty_input(spec.name)
    except InputError as exc:
        yield (*base, "error", None, None, str(exc))
        return
    offset, line, number = 0, 1, 0
    previous: str | None = None
    try:
        with open_input(spec.path, spec.name) as src:
            for text in iter_text_blocks(iter_decoded(src.fh, spec.name, options.encoding_errors), options.block_chars):
                if previous is not None:
                    yield (*base, "block", line, Block(previous, offset, number, False), None)
                    offset, line, number = offset + len(previous), line + previous.count("\n"), number + 1
                previous = text
    except (OSError, InputError) as exc:  # the file changed or vanished since it was checked
        message = f"{spec.name}: cannot read: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)
        yield (*base, "error", line, None, message)
        return
    if previous is not None:
        yield (*base, "block", line, Block(previous, offset, number, True), None)


def stdin_binary():
    """Standard input as a binary file. With a real file descriptor it is a private file object
    over it (``closefd=False``), not ``sys.stdin.buffer``: the reads may wait for a slow stream in
    the background reader (:mod:`mtrepair.batch.feed`), holding the file object's lock, and a
    forked worker process closes ``sys.stdin`` as it starts (which waits for that lock), as does
    the interpreter at exit. Standard input replaced by an in-memory stream is used as it is.
    Raises OSError when the process was started with standard input closed (no ``sys.stdin``)."""
    if sys.stdin is None:
        raise OSError(errno.EBADF, "standard input is closed")
    buffer = sys.stdin.buffer
    try:
        fd = buffer.fileno()
    except (OSError, ValueError, AttributeError):
        return buffer
    return open(fd, "rb", closefd=False)


def _check_file(path: str, name: str, encoding_errors: str) -> bool:
    """:func:`mtrepair.blocks.check_file` over the decompressed data of a compressed file: read the
    whole file once, raising the error the repair would meet; True when it holds non-blank text."""
    content = False
    with open_input(path, name) as src:
        for piece in iter_decoded(src.fh, name, encoding_errors):
            content = content or not is_blank(piece)
    return content


def _read_bytes(path: str, name: str) -> bytes:
    """A document's bytes, decompressed when its magic bytes say so (standard input too)."""
    with open_source(path, name) as src:
        return src.fh.read()


def open_source(path: str, name: str) -> Opened:
    """An input file, or standard input, as a binary stream decompressed when it is compressed.
    Closing it closes standard input's private file object (its descriptor stays open), never
    ``sys.stdin.buffer`` itself."""
    if path != STDIN:
        return open_input(path, name)
    raw = stdin_binary()
    return open_stream(raw, name, owned=raw is not getattr(sys.stdin, "buffer", None))


def record_key(record: Any, id_field: str) -> str | None:
    """The resume key of a parsed record (its id as a string, as an output holds it), or None.
    A NaN or infinite id is written as null (JSON has neither): such a record has no id."""
    if isinstance(record, dict) and record.get(id_field) is not None:
        value = finite(record[id_field])
        return None if value is None else str(value)
    return None


def _skipped(spec: InputSpec, record: Any, options: BatchOptions, skip: SkipFn | None, line: int,
             raw: bytes | None = None) -> bool:
    """Resume: the record's id is in the output; or (a record without id) its output record is,
    found by the record's fields (:func:`~mtrepair.batch.jsonio.content_key`), or its error record,
    found by its fields and position (:func:`~mtrepair.batch.jsonio.input_error_key`; ``raw`` is
    the line of a JSONL record that is not a JSON object)."""
    if skip is None:
        return False
    key = record_key(record, options.id_field)
    if key is not None:
        return skip(spec, "id:" + key, lambda: input_id_variants(record, options))
    content = input_content_key(record, options) if isinstance(record, dict) else None
    if content is not None and skip(spec, content):
        return True
    return skip(spec, input_error_key(record, raw, spec.name, line, options))


def _blank_line(raw: bytes) -> bool:
    """A JSONL line that holds no record: only whitespace (Unicode's, no-break spaces included,
    :func:`~mtrepair.io.is_blank`) and byte order marks (a file an editor saved 'empty')."""
    head = raw.lstrip()
    if not head:
        return True
    if head[0] < 0x80:
        return False  # a record (or a malformed line) starts with a visible ASCII character
    return is_blank(raw.decode("utf-8", errors="replace").replace("\ufeff", ""))


def corrupt_input(spec: InputSpec) -> str | None:
    """The error of a compressed record file whose data is corrupt (see
    :func:`~mtrepair.compression.check_integrity`): nothing of it is read, since lines decompressed
    before the damage is detected may be wrong. None for a plain, sound or merely truncated file
    (a truncated one is read up to the cut, and an error record says where it stopped). Standard
    input cannot be checked before it is read."""
    if spec.path == STDIN or codec_of_file(spec.path) is None:
        return None
    damage = check_integrity(spec.path)
    if damage is None or damage.truncated:
        return None
    return (f"{spec.name}: {damage}: nothing was read from it (the data decompressed before the damage "
            "cannot be trusted); download or compress it again")


def _read_jsonl(spec, base, options, skip, stats) -> Iterator[tuple]:
    corrupt = corrupt_input(spec)
    if corrupt is not None:
        yield (*base, "error", None, None, corrupt)
        return
    try:
        src = open_source(spec.path, spec.name)
    except OSError as exc:
        yield (*base, "error", None, None, f"{spec.name}: cannot read: {exc.strerror or exc}")
        return
    number = 0
    try:
        for number, raw in enumerate(src.fh, 1):
            if _blank_line(raw):
                continue  # blank lines are not records
            if skip is not None:
                try:
                    record = parse_jsonl_line(raw, options.encoding_errors)
                except ValueError:
                    record = None  # malformed: let the worker report it
                if _skipped(spec, record, options, skip, number, raw):
                    stats.skipped += 1
                    continue
            yield (*base, "line", number, raw, None)
    except CompressedDataError as exc:
        # The records before the damage were read (and are written); this error record says where
        # reading stopped, in decompressed lines. A line cut by the damage is not a record.
        yield (*base, "error", number + 1, None, damaged_message(spec.name, exc, number))
    except OSError as exc:
        yield (*base, "error", None, None, f"{spec.name}: read failed: {exc.strerror or exc}")
    finally:
        src.close()


def damaged_message(name: str, exc: CompressedDataError, lines: int) -> str:
    """The error of a record input whose compressed data is damaged after ``lines`` lines."""
    return (f"{name}: {exc}; reading stopped after {lines} decompressed line(s): the records in them were "
            "read, the rest of the file is missing")


def unique_names(names: Sequence[str]) -> list[str]:
    """CSV header names made unique, so that no column's cells are dropped: a name seen before
    becomes the first free ``NAME.1``, ``NAME.2``... (a name the header does not already have)."""
    taken = set(names)
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        if name in seen:
            n = 1
            while f"{name}.{n}" in taken:
                n += 1
            name = f"{name}.{n}"
            taken.add(name)
        seen.add(name)
        out.append(name)
    return out


def _read_csv(spec, base, options, skip, stats) -> Iterator[tuple]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # articles are longer than csv's default 128 KiB
    corrupt = corrupt_input(spec)
    if corrupt is not None:
        yield (*base, "error", None, None, corrupt)
        return
    try:
        import io

        fh = io.TextIOWrapper(open_source(spec.path, spec.name).fh, encoding="utf-8-sig",  # type: ignore[arg-type]
                              errors=options.encoding_errors, newline="")
    except OSError as exc:
        yield (*base, "error", None, None, f"{spec.name}: cannot read: {exc.strerror or exc}")
        return
    reader = csv.DictReader(fh)
    try:
        try:
            if reader.fieldnames:
                reader.fieldnames = unique_names(reader.fieldnames)
        except (UnicodeDecodeError, csv.Error, CompressedDataError) as exc:
            yield (*base, "error", 1, None, f"{spec.name}: line 1: cannot read the header: {exc}")
            return
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except (UnicodeDecodeError, csv.Error) as exc:
                # The rest of the file cannot be read reliably: one error record says where it stopped.
                yield (*base, "error", reader.line_num + 1, None,
                       f"{spec.name}: line {reader.line_num + 1}: cannot read further: {exc}")
                break
            except CompressedDataError as exc:
                yield (*base, "error", reader.line_num + 1, None, damaged_message(spec.name, exc, reader.line_num))
                break
            if None in row:  # more cells than header names
                row["_extra_cells"] = row.pop(None)
            if _skipped(spec, row, options, skip, reader.line_num):
                stats.skipped += 1
                continue
            yield (*base, "row", reader.line_num, dict(row), None)
    finally:
        fh.close()  # standard input's own stream stays open (see open_source)


def _read_parquet(spec, base, options, skip, stats) -> Iterator[tuple]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield (*base, "error", None, None,
               f"{spec.name}: Parquet input needs pyarrow: pip install 'mtrepair[parquet]'")
        return
    codec = codec_of_file(spec.path)
    if codec is not None:
        yield (*base, "error", None, None, f"{spec.name}: {codec}-compressed Parquet is not read (Parquet "
               "compresses its own columns): decompress it first")
        return
    try:
        pf = pq.ParquetFile(spec.path)
    except Exception as exc:  # pyarrow raises its own error types for bad files
        yield (*base, "error", None, None, f"{spec.name}: not a readable Parquet file: {exc}")
        return
    number = 0
    names = pf.schema_arrow.names
    unique = unique_names(names) if len(set(names)) < len(names) else None
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS):
        if unique is None:
            rows = batch.to_pylist()
        else:  # columns of the same name: to_pylist would keep one of them
            rows = [dict(zip(unique, values)) for values in zip(*(c.to_pylist() for c in batch.columns))]
        for row in rows:
            number += 1
            if _skipped(spec, row, options, skip, number):
                stats.skipped += 1
                continue
            yield (*base, "row", number, row, None)
