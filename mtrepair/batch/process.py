"""The worker side: repair one work item and turn it into one output record.

Each worker process builds its :class:`~mtrepair.repairer.Repairer` once
(:func:`init_worker`, the pool initializer) and keeps it for every record.
Every item gives exactly one :class:`Outcome`: a failure anywhere in a record
is caught here and recorded in the record's error field; it never stops the run.
Serialising to JSON happens here too, so that it runs in parallel.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from typing import Any

from ..blocks import repair_long
from ..config import GlossaryWarning, RepairConfig
from ..io import InputError, decode_bytes, empty_input, is_blank
from ..render import inline_diff
from ..repairer import Repairer
from .html import extract_article
from .jsonio import dumps_record as _dumps
from .jsonio import parse_jsonl_line, raw_line_text
from .options import BatchOptions
from .readers import Block, WorkItem, record_key
from .sources import looks_like_html

_STATE: dict[str, Any] = {}


@dataclass(frozen=True)
class Outcome:
    """The result of one item: its serialised output (or object) and its status.

    ``status`` is ``ok`` (unchanged), ``repaired`` or ``failed``. ``output`` is
    the text to write (a JSON line, a JSON document, repaired text or a diff),
    a dict when the run asked for objects, or None (a failed document in text or
    diff format, which has no output file).
    """

    index: int
    source: str
    rel: str
    fmt: str
    is_record: bool
    status: str
    output: Any
    error: str | None
    nbytes: int
    line: int | None = None
    #: Blocks of a long text file (kind ``block``): the block's number, and whether it is the
    #: document's last. The writer joins a document's blocks; the summary counts the document once.
    part: int | None = None
    last: bool = True


#: Repaired once by every Repairer before a worker reports ready: a process's first repair loads
#: lazy tables (wordfreq, the entity pass's language test: about 0.6 s), which must not be billed
#: to the first record a worker gets under ``--record-timeout`` (with a timeout below that cost,
#: every record timed out, each replacement worker paying the loading again). The tables are
#: caches keyed on words: output does not depend on them being loaded early.
WARM_UP_TEXT = ("Sa cofondatrice et PDG, Claire Dumont, a gardé à l’esprit que cet argent servira à doubler "
                "les effectifs.\nD’après un rapport de The Details, plusieurs membres du personnel ont "
                "rejoint la société ces dernières semaines.\nEt maintenant? Rien.\n")


def warm_up(repairer: Repairer) -> None:
    """Run one repair so that lazy loading happens now rather than within a record's time budget."""
    try:
        repairer.repair(WARM_UP_TEXT)
    except Exception:  # a record meeting the same problem will report it
        pass


def prepare_parent(repairer: Repairer) -> None:
    """Offer a Repairer built in the parent to forked workers (they inherit it instead of rebuilding),
    warmed up once here so that each forked worker (replacements too) starts warm."""
    warm_up(repairer)
    _STATE["prebuilt"] = repairer


def worker_repairer(config: RepairConfig) -> Repairer:
    """A worker process's Repairer, warm: the parent's (:func:`prepare_parent`) when this process
    was forked from it and it was built for the same config, else a new one built here."""
    prebuilt = _STATE.get("prebuilt")
    if prebuilt is not None and prebuilt.config == config:
        return prebuilt  # warm already
    with warnings.catch_warnings():  # the parent reported the glossary's problems already
        warnings.simplefilter("ignore", GlossaryWarning)
        repairer = Repairer(config)
    warm_up(repairer)  # before the worker reports ready
    return repairer


def init_worker(config: RepairConfig, options: BatchOptions) -> None:
    """Pool initializer: load glossary and model once per process (see :func:`worker_repairer`)."""
    _STATE["repairer"] = worker_repairer(config)
    _STATE["options"] = options


def process_chunk(items: list[WorkItem]) -> list[Outcome]:
    return [process_item(item, _STATE["repairer"], _STATE["options"]) for item in items]


def process_item(item: WorkItem, repairer: Repairer, options: BatchOptions) -> Outcome:
    try:
        if item.kind == "doc":
            return _document(item, repairer, options)
        if item.kind == "block":
            return _block(item, repairer, options)
        if item.kind == "line":
            return _jsonl_line(item, repairer, options)
        if item.kind == "row":
            return _record(item, dict(item.payload), repairer, options)
        return failed(item, item.error or "unreadable input", options)
    except Exception as exc:  # one bad record never stops the run; it is recorded instead
        return failed(item, f"{type(exc).__name__}: {exc}", options)


# -- documents (text and HTML files) -------------------------------------------


def _document(item: WorkItem, repairer: Repairer, options: BatchOptions) -> Outcome:
    data: bytes = item.payload
    try:
        decoded = decode_bytes(data, item.source, options.encoding_errors)
    except InputError as exc:
        return failed(item, str(exc), options)
    text = decoded.text
    header: dict[str, Any] = {"input": item.source}
    if item.fmt == "html" or options.html or (options.input_format == "auto" and looks_like_html(text)):
        page = extract_article(text)
        text = page.text
        header["original"] = text  # edit offsets refer to the extracted text
        header["metadata"] = dict(page.metadata)
    elif is_blank(text):
        return failed(item, str(empty_input(item.source)), options)
    result = repair_long(repairer, text, options.block_chars)
    status = "repaired" if result.changed else "ok"
    nbytes = len(data)
    fmt = options.output_format
    if fmt == "text":
        out: Any = result.text
    elif fmt == "diff":
        out = inline_diff(text, result.edits, colour=options.colour)
    else:
        obj = {**header, **result.to_dict()}
        out = obj if options_as_objects(options) else _dumps(obj, indent=2 if fmt == "json" else None)
    return Outcome(item.index, item.source, item.rel, item.fmt, False, status, out, None, nbytes, item.line)


def _block(item: WorkItem, repairer: Repairer, options: BatchOptions) -> Outcome:
    """One block of a long text file (text or diff output): its repaired text goes straight out."""
    block: Block = item.payload
    result = repairer.repair(block.text)
    if options.output_format == "diff":
        out: Any = inline_diff(block.text, result.edits, colour=options.colour)
    else:
        out = result.text
    status = "repaired" if result.changed else "ok"
    return Outcome(item.index, item.source, item.rel, item.fmt, False, status, out, None,
                   len(block.text.encode("utf-8", errors="replace")), item.line, block.number, block.last)


def _failed_block(item: WorkItem, message: str) -> Outcome:
    """A block that could not be repaired is written unchanged (nothing is lost) and fails its document."""
    block: Block = item.payload
    last_line = (item.line or 1) + block.text.count("\n")
    error = (f"{item.source}:{item.line}: {message} (block {block.number + 1}, lines {item.line}-{last_line}, "
             "written unrepaired)")
    return Outcome(item.index, item.source, item.rel, item.fmt, False, "failed", block.text, error,
                   len(block.text.encode("utf-8", errors="replace")), item.line, block.number, block.last)


# -- records (JSONL lines, CSV and Parquet rows) -------------------------------


def _jsonl_line(item: WorkItem, repairer: Repairer, options: BatchOptions) -> Outcome:
    try:
        # parsed as the resume index parses it (a UTF-8 BOM before the line ignored)
        record = parse_jsonl_line(item.payload, options.encoding_errors)
    except UnicodeDecodeError as exc:
        return failed(item, f"line {item.line}: invalid UTF-8 at byte {exc.start} of the line; "
                            "use --encoding-errors replace to go on", options)
    except ValueError as exc:
        return failed(item, f"line {item.line}: invalid JSON: {exc}", options)
    if not isinstance(record, dict):
        return failed(item, f"line {item.line}: expected a JSON object, got {type(record).__name__}", options)
    return _record(item, record, repairer, options)


def _record(item: WorkItem, record: dict, repairer: Repairer, options: BatchOptions) -> Outcome:
    keys = options.keys
    field = options.text_field
    problem = _record_problem(record, options)
    if problem:
        return _record_failure(item, record, problem, options)
    value: str = record[field]
    out = dict(record)
    text = value
    if options.html:
        page = extract_article(value)
        text = page.text
        if keys.extracted:
            out[keys.extracted] = text
        if keys.metadata:
            out[keys.metadata] = dict(page.metadata)
    result = repair_long(repairer, text, options.block_chars)
    if keys.text:
        out[keys.text] = result.text
    if keys.edits:
        out[keys.edits] = [e.to_dict() for e in result.edits]
    if keys.findings:
        out[keys.findings] = [f.to_dict() for f in result.findings]
    if keys.scores:
        out[keys.scores] = dict(result.scores)
    if keys.changed:
        out[keys.changed] = result.changed
    status = "repaired" if result.changed else "ok"
    output = out if options_as_objects(options) else _dumps(out)
    return Outcome(item.index, item.source, item.rel, item.fmt, True, status, output, None,
                   len(value.encode("utf-8", errors="replace")), item.line)


def _record_problem(record: dict, options: BatchOptions) -> str | None:
    field = options.text_field
    if field not in record:
        return f"record has no {field!r} field (choose the field with --text-field)"
    value = record[field]
    if not isinstance(value, str):
        return f"field {field!r} is {'null' if value is None else type(value).__name__}, not a string"
    clash = [k for k in options.keys.added() if k in record and k != field]
    if clash:
        return (f"record already has field(s) {', '.join(map(repr, clash))} that the repair would overwrite; "
                "choose other names with --output-key-prefix")
    return None


def _record_failure(item: WorkItem, record: dict, message: str, options: BatchOptions) -> Outcome:
    where = f"{item.source}:{item.line}: " if item.line is not None else f"{item.source}: "
    out = dict(record)
    out[options.keys.error or "error"] = message
    if record_key(record, options.id_field) is None and item.line is not None:
        # No id to find it by: say where it came from (also lets --resume recognise it).
        out.setdefault(options.keys.source or "input", item.source)
        out.setdefault(options.keys.line or "line", item.line)
    output = out if options_as_objects(options) else _dumps(out)
    return Outcome(item.index, item.source, item.rel, item.fmt, True, "failed", output, where + message,
                   0, item.line)


def failed(item: WorkItem, message: str, options: BatchOptions) -> Outcome:
    """The error record of an item that could not be repaired (nothing is dropped)."""
    keys = options.keys
    if item.kind == "block" and isinstance(item.payload, Block):
        return _failed_block(item, message)
    is_record = item.kind in ("line", "row") or (item.kind == "error" and item.fmt in ("jsonl", "csv", "parquet"))
    if item.kind == "row" and isinstance(item.payload, dict):
        return _record_failure(item, item.payload, message, options)
    if item.kind == "line" and isinstance(item.payload, (bytes, bytearray)):
        try:
            record = json.loads(item.payload)
        except ValueError:
            record = None
        if isinstance(record, dict):
            return _record_failure(item, record, message, options)
    where = f"{item.source}:{item.line}: " if item.line is not None else f"{item.source}: "  # name the input
    bare = message[len(f"line {item.line}: "):] if message.startswith(f"line {item.line}: ") else message
    full = message if message.startswith(item.source) else where + bare
    if is_record:
        obj: dict[str, Any] = {keys.error or "error": message, keys.source or "input": item.source}
        if item.line is not None:
            obj[keys.line or "line"] = item.line
        if isinstance(item.payload, (bytes, bytearray)):
            obj[keys.raw or "raw"] = raw_line_text(item.payload)
        elif item.kind == "error" and isinstance(item.payload, str):  # a Python value given as a record
            obj[keys.raw or "raw"] = item.payload
    else:
        obj = {"input": item.source, "error": message}
    fmt = options.output_format
    if options_as_objects(options):
        output: Any = obj
    elif not is_record and fmt in ("text", "diff"):
        output = None  # a document that failed has no repaired text to write
    else:
        output = _dumps(obj, indent=2 if fmt == "json" and not is_record else None)
    return Outcome(item.index, item.source, item.rel, item.fmt, is_record, "failed", output, full, 0, item.line)


def options_as_objects(options: BatchOptions) -> bool:
    return options.as_objects
