"""How a batch run writes a record as JSON, and how ``--resume`` recognises a record it wrote.

One definition of the JSON text of a record (:func:`dumps_record`) serves the writers and the
resume index: a record read back from an output is the record as :func:`dumps_record` wrote it,
so :func:`as_written` (the same text read back) is what an input record must be compared with.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from functools import lru_cache
from typing import Any

from .options import BatchOptions, OutputKeys

#: A lone surrogate: possible in strings from JSON "\\udXXX" escapes, not encodable as UTF-8.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: Characters of a malformed line kept in its error record (the rest is cut, and said so).
RAW_KEEP_CHARS = 100_000
#: The keys of a document's JSON output (``--format json`` contract; HTML adds the other two).
DOCUMENT_KEYS = frozenset({"input", "text", "edits", "findings", "scores", "signature"})
DOCUMENT_HTML_KEYS = frozenset({"original", "metadata"})


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float (JSON has none) replaced by ``None``."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def dumps_record(obj: Any, indent: int | None = None) -> str:
    """The JSON line (or indented document) of ``obj``, newline-terminated.

    ``default=str``: CSV/Parquet values such as dates and decimals are written as text, not lost;
    NaN and infinite floats (a Parquet float column) as null, as pandas does; a lone surrogate
    (JSON input may hold "\\ud800"), which UTF-8 cannot encode, makes the record's non-ASCII
    characters escaped instead, which reads back to exactly the same strings.
    """
    try:
        text = json.dumps(obj, ensure_ascii=False, indent=indent, default=str, allow_nan=False)
    except ValueError:
        obj = finite(obj)
        text = json.dumps(obj, ensure_ascii=False, indent=indent, default=str)
    if not text.isascii() and LONE_SURROGATE.search(text):
        text = json.dumps(obj, ensure_ascii=True, indent=indent, default=str)
    return text + "\n"


def as_written(record: dict) -> Any:
    """``record`` as an output holds it: :func:`dumps_record` read back (dates as text, NaN as null)."""
    return json.loads(dumps_record(record))


def _digest(fields: Any) -> str:
    """A digest of ``fields`` (as written), whatever the order of their keys."""
    text = json.dumps(fields, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("ascii"), digest_size=16).hexdigest()


def content_key(fields: Any) -> str:
    """Resume key of a record without id: a digest of its fields (as written), in any key order."""
    return "rec:" + _digest(fields)


def without_key(fields: dict, key: str) -> dict:
    """``fields`` without ``key``."""
    return {k: v for k, v in fields.items() if k != key}


@lru_cache(maxsize=16)
def _added(options: BatchOptions) -> frozenset[str]:
    """The keys this run adds to a repaired record (computed once per options: read per record)."""
    keys = options.keys
    added = set(keys.added())
    if options.html:
        added.update(k for k in (keys.extracted, keys.metadata) if k)
    return frozenset(added)


@lru_cache(maxsize=16)
def _not_compared(options: BatchOptions) -> frozenset[str]:
    """Keys left out when an output record is compared with an input record: the keys this run adds,
    and those an earlier run with other ``--*-field`` options may have added (the default names,
    with this run's prefix too), so that leaving out a key between runs (``--findings-field ''``)
    does not make every record look new. Both sides leave them out, so an input field of such a
    name only makes the comparison less strict."""
    out = set(_added(options))
    default = OutputKeys()
    names = [*default.added(), default.extracted, default.metadata]
    changed = options.keys.changed
    prefix = changed[: -len(default.changed)] if changed and changed.endswith(default.changed) else ""
    out.update(names)
    out.update(prefix + name for name in names)
    return frozenset(out)


def unapply_edits(text: str, edits: Any) -> str | None:
    """The text ``edits`` (as a JSON output holds them: offsets into the input text) were applied
    to, rebuilt from the repaired ``text``; ``None`` when they do not fit it."""
    if not isinstance(edits, list):
        return None
    try:
        ordered = sorted(edits, key=lambda e: (e["start"], e["end"]))
        out: list[str] = []
        pos = shift = 0  # in the repaired text; repaired offset minus input offset
        for e in ordered:
            start, end, original, replacement = e["start"], e["end"], e["original"], e["replacement"]
            if not (isinstance(original, str) and isinstance(replacement, str) and end - start == len(original)):
                return None
            at = start + shift
            if at < pos or text[at:at + len(replacement)] != replacement:
                return None
            out += [text[pos:at], original]
            pos = at + len(replacement)
            shift += len(replacement) - len(original)
    except (KeyError, TypeError):
        return None
    out.append(text[pos:])
    return "".join(out)


def _input_text_of(obj: dict, options: BatchOptions) -> str | None:
    """The input text of an output record whose repaired text replaced it (``--text-out-field`` =
    the text field): the text itself when unchanged, else rebuilt from the edits (not for HTML:
    the edits refer to the extracted article, not to the page)."""
    text = obj.get(options.text_field)
    if not isinstance(text, str) or options.html:
        return None
    keys = options.keys
    if keys.changed and obj.get(keys.changed) is False:
        return text
    return unapply_edits(text, obj.get(keys.edits)) if keys.edits else None


def input_fields_of_output(obj: dict, options: BatchOptions) -> dict | None:
    """The input record's fields of a successful output record, as compared (see
    :func:`_not_compared`), or ``None`` when they cannot be told: the repaired text replaced the
    input text and neither the ``changed`` flag nor the edits give it back."""
    left_out = _not_compared(options) - {options.text_field}
    fields = {k: v for k, v in obj.items() if k not in left_out}
    if options.text_field in _added(options):
        original = _input_text_of(obj, options)
        if original is None:
            return None
        fields[options.text_field] = original
    return fields


def input_content_key(record: dict, options: BatchOptions, written: Any = None) -> str | None:
    """Resume key of an input record without id, equal to that of its successful output record."""
    if (_added(options) - {options.text_field}) & record.keys():
        return None  # a record that fails anyway (it holds a key the run would add)
    left_out = _not_compared(options) - {options.text_field}
    fields = as_written(record) if written is None else written
    return content_key({k: v for k, v in fields.items() if k not in left_out})


def is_error_record(obj: Any, options: BatchOptions) -> bool:
    """Is ``obj`` (a record read back from an output) one that a run wrote for a failure?

    A failed record carries the run's error key (``--error-field``, ``--output-key-prefix``; a
    failed document in JSON output carries ``error``) holding the message. A repaired record
    always carries the ``changed`` flag instead: it is never taken for a failure, even when its
    input had a field of the error key's name.
    """
    if not isinstance(obj, dict):
        return False
    changed = options.keys.changed
    if changed and isinstance(obj.get(changed), bool):
        return False
    for key in dict.fromkeys((options.keys.error or "error", "error")):
        message = obj.get(key)
        if isinstance(message, str) and message:
            return True
    return False


def raw_line_text(raw: bytes) -> str:
    """The ``raw`` value of the error record of a JSONL line that is not a JSON object."""
    text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
    if len(text) > RAW_KEEP_CHARS:
        text = text[:RAW_KEEP_CHARS] + f"… [{len(text) - RAW_KEEP_CHARS} more characters cut]"
    return text


def parse_jsonl_line(raw: bytes, encoding_errors: str) -> Any:
    """A JSONL line parsed as the workers parse it (a UTF-8 byte order mark before it ignored);
    raises ``ValueError`` (``UnicodeDecodeError`` included) when it is not JSON."""
    line = raw.decode("utf-8", errors=encoding_errors)
    if line.startswith("\ufeff"):
        line = line[1:]  # json.loads refuses a BOM in a str
    return json.loads(line)


def is_document_output(obj: dict) -> bool:
    """Is ``obj`` (read back from a JSONL output) the record of a document (text or HTML file)?

    Only that exact shape counts: a record that merely has a field named ``input`` is not one (its
    output holds the keys the run added, or ``line`` when it failed).
    """
    if not isinstance(obj.get("input"), str):
        return False
    keys = obj.keys()
    if keys == {"input", "error"}:
        return True
    return keys - DOCUMENT_HTML_KEYS == DOCUMENT_KEYS


def error_key(fields: Any) -> str:
    """Resume key of an error record of a record without id: a digest of its fields minus the
    error message (the input record's fields plus where it came from)."""
    return "err:" + _digest(fields)


def input_error_key(record: Any, raw: bytes | None, name: str, line: int, options: BatchOptions) -> str:
    """Resume key of the error record the record at ``name``:``line`` gets when it fails: the
    record's fields (as written) with the input name and line number where it has none, or, for
    a line that is not a JSON object, the name, line and raw text. Equal to :func:`error_key` of
    that error record minus its error message, so a record is recognised by its content *and*
    position, never by position alone (a record's own ``input``/``line`` fields cannot hide
    another record)."""
    keys = options.keys
    source_key, line_key = keys.source or "input", keys.line or "line"
    if isinstance(record, dict):
        fields = as_written(record)
        fields.setdefault(source_key, name)
        fields.setdefault(line_key, line)
    else:
        fields = {source_key: name, line_key: line}
        if raw is not None:
            fields[keys.raw or "raw"] = raw_line_text(raw)
    fields.pop(keys.error or "error", None)
    return error_key(as_written(fields))


def output_id_variants(obj: dict, options: BatchOptions) -> list[str]:
    """What an output record with id says of its input record's fields (see
    :func:`input_id_variants`): the digest of its input fields, or of its fields minus the error
    message when it failed; both when it cannot be told (an input field named like the other key);
    none when the repaired text replaced the input text (the id alone then decides)."""
    message_key = options.keys.error or "error"
    variants = []
    if is_error_record(obj, options) or isinstance(obj.get(message_key), str):
        variants.append(error_key(without_key(obj, message_key)))
    if not is_error_record(obj, options):
        fields = input_fields_of_output(obj, options)
        if fields is not None:
            variants.append(content_key(fields))
    return variants


def input_id_variants(record: dict, options: BatchOptions) -> list[str]:
    """The digests an output record of ``record`` (a record with id) is found by: its successful
    output's input fields, and its error record minus the message. An id alone does not make a
    record done: another input sharing the output may reuse it (row numbers as ids)."""
    written = as_written(record)
    variants = [error_key(without_key(written, options.keys.error or "error"))]
    content = input_content_key(record, options, written)
    if content is not None:
        variants.append(content)
    return variants
