"""Output writers, and the resume index that reads what a previous run wrote.

- :class:`StreamWriter`: everything to one stream (standard output or ``-o FILE``).
  JSONL is written a line at a time and flushed, so an interrupted run leaves a
  valid prefix that ``--resume`` continues.
- :class:`DirWriter`: ``--output-dir`` mirrors input names. A record input (JSONL,
  CSV, Parquet) gives one JSONL file written progressively; a document gives one
  file written atomically (temporary file + rename).

An output whose name ends in ``.gz``, ``.bz2``, ``.xz`` or ``.zst`` is written compressed (see
:mod:`mtrepair.compression`); ``--resume`` reads it decompressed and appends a new stream.
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from pathlib import Path
from typing import IO, Callable, Collection

from ..compression import (CompressedAtomicOutput, CompressedDataError, atomic_output, check_codec_for_append,
                           codec_of_name, iter_complete_lines, needs_rewrite_before_append, open_input,
                           open_text_output, rewrite_complete_lines, text_writer, write_text_atomic)
from ..io import AtomicOutput, InputError, new_file_mode
from .options import BatchOptions
from .jsonio import (LONE_SURROGATE, content_key, error_key, input_fields_of_output, is_document_output,
                     is_error_record, output_id_variants, without_key)
from .process import Outcome
from .sources import InputSpec, output_name


class StreamWriter:
    def __init__(self, fh: IO[str], options: BatchOptions, close: bool = False, flush_every: int = 1,
                 single: bool = False):
        """``single``: one document in ``json`` format is written as one object, not a list
        (the ``--format json`` contract of one input file)."""
        self.fh, self.options, self._close = fh, options, close
        self._json_array = options.output_format == "json" and not single
        self._count = 0
        self._flush_every = flush_every

    def __call__(self, outcome: Outcome) -> None:
        if outcome.output is None:
            return
        text = outcome.output
        if self._json_array:
            text = ("[\n" if self._count == 0 else ",\n") + text.rstrip("\n")
        try:
            self.fh.write(text)
        except UnicodeEncodeError:
            # Plain-text output of a record whose text holds a lone surrogate (possible only from
            # a JSON "\udXXX" escape): UTF-8 cannot carry it, so it is written as U+FFFD.
            self.fh.write(LONE_SURROGATE.sub("\ufffd", text))
        self._count += 1
        if self._count % self._flush_every == 0:
            self.fh.flush()

    @property
    def wrote_nothing(self) -> bool:
        return self._count == 0

    def close(self) -> None:
        if self._json_array:
            self.fh.write("\n]\n" if self._count else "[]\n")
        self.fh.flush()
        if self._close:
            self.fh.close()

    def abort(self) -> None:
        """The run stopped early: an atomic output is discarded; a JSONL one keeps its valid prefix."""
        if isinstance(self.fh, _AtomicFile):
            self.fh.discard()
        else:
            self.close()


class DirWriter:
    def __init__(self, outdir: str, options: BatchOptions, append: bool = False):
        self.outdir = Path(outdir)
        self.options = options
        self.append = append
        self._current: tuple[str, IO[str]] | None = None
        self._long_document: AtomicOutput | CompressedAtomicOutput | None = None  # a document arriving in blocks
        try:
            self.outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{outdir}: cannot create the output folder: {exc.strerror or exc}") from None

    def path_for(self, spec_like) -> Path:
        return self.outdir / output_name(spec_like, self.options.output_format)

    def __call__(self, outcome: Outcome) -> None:
        spec = InputSpec(outcome.source, outcome.source, outcome.rel, outcome.fmt)
        target = self.path_for(spec)
        if outcome.part is not None:
            self._write_block(target, outcome)
            return
        self._discard_long_document()  # a long document cut short by a read error: its error record says so
        if outcome.is_record:
            fh = self._records_file(target)
            fh.write(outcome.output)
            fh.flush()
            return
        if outcome.output is None:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(target, outcome.output)

    def empty_input(self, spec: InputSpec) -> None:
        """A record input that holds no record is mirrored by an empty JSONL file, so that every input
        has its output (written atomically; with ``--resume`` an existing output is kept as it is)."""
        target = self.path_for(spec)
        if self.append and target.exists():
            return
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{target}: cannot write: {exc.strerror or exc}") from None
        _write_atomic(target, "")

    def _write_block(self, target: Path, outcome: Outcome) -> None:
        """Blocks of a long document go to one temporary file, renamed over the target after the
        last block (atomic, as for other documents)."""
        if outcome.part == 0 or self._long_document is None:
            self._discard_long_document()
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._long_document = atomic_output(str(target))
            except OSError as exc:  # zstd without its package
                raise InputError(f"{target}: cannot write: {exc}") from None
        self._long_document.write_text(outcome.output)
        if outcome.last:
            document, self._long_document = self._long_document, None
            document.commit()

    def _discard_long_document(self) -> None:
        if self._long_document is not None:
            self._long_document.discard()
            self._long_document = None

    def _records_file(self, target: Path) -> IO[str]:
        key = str(target)
        if self._current is not None and self._current[0] == key:
            return self._current[1]
        self._close_current()
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.append:
            prepare_append(target)
        try:
            fh = open_text_output(str(target), append=self.append)
        except OSError as exc:
            raise InputError(f"{target}: cannot write: {exc.strerror or exc}") from None
        self._current = (key, fh)
        return fh

    def _close_current(self) -> None:
        if self._current is not None:
            self._current[1].close()
            self._current = None

    def close(self) -> None:
        self._close_current()
        self._discard_long_document()  # a run stopped half-way through a long document keeps no partial file

    abort = close


def _write_atomic(target: Path, text: str) -> None:
    """A document's output, written atomically (compressed when its name says so)."""
    try:
        write_text_atomic(str(target), text)
    except InputError:
        raise
    except OSError as exc:  # zstd without its package
        raise InputError(f"{target}: cannot write: {exc}") from None


def prepare_append(path: Path) -> None:
    """Make an output ready for appended records: cut an unfinished last line (see
    :func:`repair_partial_last_line`). A compressed output that does not end cleanly (a run killed
    in the middle of a stream) is rewritten atomically with its complete lines, since a new stream
    appended after a broken one would be unreadable; corrupt data is refused."""
    if codec_of_name(str(path)) is None:
        repair_partial_last_line(path)
        return
    try:
        if path.stat().st_size == 0:
            return
    except OSError:
        return
    try:
        if needs_rewrite_before_append(str(path)):
            rewrite_complete_lines(str(path))
    except CompressedDataError as exc:
        raise InputError(f"{path}: --resume: {exc}; records cannot be appended to it safely: move it away "
                         "(or repair it) and run again") from None
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def repair_partial_last_line(path: Path) -> None:
    """Cut an unfinished last line (left by a crash) so that appended records start clean."""
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size == 0:
        return
    try:
        fh = open(path, "rb+")
    except OSError as exc:  # read-only: a clear error, before anything is written
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    with fh:
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return
        # Walk back to the last newline; the partial record will be redone.
        pos = size
        block = 65536
        while pos > 0:
            start = max(0, pos - block)
            fh.seek(start)
            data = fh.read(pos - start)
            nl = data.rfind(b"\n")
            if nl >= 0:
                fh.truncate(start + nl + 1)
                return
            pos = start
        fh.truncate(0)


#: The fields of an output record with id cannot be compared with its input's (the repaired text
#: replaced the input text): its id alone decides.
UNKNOWN_FIELDS = "?"


def check_resumable(path: Path, options: BatchOptions, limit: int = 1 << 20) -> None:
    """``--resume`` appends to ``path``: refuse a file that is not a JSONL output (a binary file, a
    CSV, an indented JSON document: ``-o`` pointed at the wrong file), which cutting an "unfinished
    last line" and appending records would damage. The first line that is not blank (after a byte
    order mark an editor may add) must be a JSON object, or start like one when it is unfinished (a
    run killed during its first record) or longer than ``limit`` bytes; an empty or missing file is
    fine. That object must be one this run could have written (see :func:`_foreign`): else no record
    would be recognised and every one written twice."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"{path}: cannot read for --resume: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        if os.path.exists(os.devnull) and os.path.samefile(path, os.devnull):
            return  # nothing to resume, nothing kept
        raise InputError(f"{path}: --resume: not a regular file (a pipe, a folder, a device): it reads what "
                         "the output already holds")
    problem = check_codec_for_append(str(path))
    if problem is not None:
        raise InputError(problem)
    try:
        src = open_input(str(path))
    except OSError as exc:
        raise InputError(f"{path}: cannot read for --resume: {exc.strerror or exc}") from None
    line = b""
    with src:
        try:
            line = src.fh.readline(limit)
            if line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            while line and not line.strip():
                line = src.fh.readline(limit)
        except CompressedDataError as exc:
            if not exc.truncated:
                raise InputError(f"{path}: --resume: {exc}; records cannot be appended to it safely: move "
                                 "it away (or repair it) and run again") from None
    if not line:
        return
    if not line.endswith(b"\n"):  # unfinished, or longer than the limit
        if line.lstrip().startswith(b"{"):
            return
    else:
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            problem = _foreign(obj, options)
            if problem is None:
                return
            raise InputError(f"{path}: --resume: its first record {problem}, so it was not written with "
                             "this run's key names (another --output-key-prefix or --*-field option?) and no "
                             "record could be recognised; give the options of the run that wrote it")
    raise InputError(f"{path}: --resume: not a JSONL output (its first line is not a JSON object); "
                     "records would be appended to it. Give the output of the interrupted run, or another file")


def _foreign(obj: dict, options: BatchOptions) -> str | None:
    """Why ``obj`` (a record of an output) is not one this run could have written, or ``None``: a
    record output carries the ``changed`` flag, an error record this run's error key, a document
    output the document shape."""
    if is_document_output(obj) or is_error_record(obj, options):
        return None
    changed = options.keys.changed
    if not changed or isinstance(obj.get(changed), bool):
        return None
    return f"has neither {changed!r} nor {options.keys.error or 'error'!r}"


def done_keys(path: Path, options: BatchOptions) -> Counter[str]:
    """Resume keys of the records already written to a JSONL output, with their counts.

    ``id:X`` for records with an id, ``input:NAME`` for documents (records of exactly the
    document shape), ``err:DIGEST`` for error records of records without id (a digest of their
    fields minus the error message: the input record's fields and where it came from, see
    :func:`~mtrepair.batch.jsonio.input_error_key`), and ``rec:DIGEST`` for the other records
    without id: a digest of the input fields they hold
    (:func:`~mtrepair.batch.jsonio.content_key`), which an input record is compared by.
    Failed records count as done too, so that a resumed run never writes a
    second record for the same input record. Keys are counted: with duplicate ids (or identical
    records without id) in the input, only as many records as the output already holds are
    skipped (the others are not lost).
    """
    keys: Counter[str] = Counter()
    message_key = options.keys.error or "error"
    try:
        lines = _OutputLines(path)
    except FileNotFoundError:
        return keys
    except OSError as exc:
        raise InputError(f"{path}: cannot read for --resume: {exc.strerror or exc}") from None
    with lines:
        for raw in lines:
            if not raw.endswith(b"\n"):
                break  # a partial last line (interrupted run): that record is redone
            try:
                obj = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(obj, dict):
                continue
            if obj.get(options.id_field) is not None:
                full = "id:" + str(obj[options.id_field])
                keys[full] += 1
                for variant in output_id_variants(obj, options) or [UNKNOWN_FIELDS]:
                    keys[f"{full}|{variant}"] += 1
            elif is_document_output(obj):
                keys["input:" + obj["input"]] += 1
            elif is_error_record(obj, options):
                keys[error_key(without_key(obj, message_key))] += 1
            else:
                if isinstance(obj.get(message_key), str):
                    # a repaired record whose input has an error field, or a failed one whose input has
                    # the changed flag (an earlier output given again as input): either can be it
                    keys[error_key(without_key(obj, message_key))] += 1
                fields = input_fields_of_output(obj, options)
                if fields is not None:
                    keys[content_key(fields)] += 1
    return keys


class _OutputLines:
    """The lines of an output, read back decompressed when its magic bytes say so. A compressed
    output cut inside a stream (an interrupted run) ends at the last line read whole (its later
    records are redone); corrupt data raises :class:`~mtrepair.io.InputError`."""

    def __init__(self, path: Path):
        self.path = path
        self._src = open_input(str(path))

    def __enter__(self) -> "_OutputLines":
        return self

    def __exit__(self, *exc) -> None:
        self._src.close()

    def __iter__(self):
        try:
            for raw in self._src.fh:
                yield raw
        except CompressedDataError as exc:
            if not exc.truncated:
                raise InputError(f"{self.path}: --resume: {exc}; records cannot be appended to it safely: "
                                 "move it away (or repair it) and run again") from None


def drop_error_records(path: Path, options: BatchOptions, inputs: Collection[str] | None = None) -> int:
    """``--retry-failed``: rewrite the JSONL output at ``path`` without its error records, so that
    ``--resume`` repairs their records again. Returns how many were removed.

    ``inputs``: the names of this run's inputs. An error record that names another input (records
    without id and documents say where they came from) is kept: nothing would redo it. An error
    record of a record with id does not say; it is removed (and redone if its input is given).

    Every other line is kept byte for byte, in order (an unfinished last line too: resuming cuts
    it). The new file is written under a temporary name and renamed over the old one (a symbolic
    link is followed): an error or Ctrl-C at any point leaves the old output as it was, and no
    temporary file. A file without error records is not touched.

    A compressed output (by its name) is read decompressed and rewritten compressed, the same way;
    its lines are kept byte for byte once decompressed (an unfinished last line or a stream cut by an
    interrupted run is dropped there: those records are redone).
    """
    real = os.path.realpath(path)
    if codec_of_name(str(path)) is not None:
        return _drop_error_records_compressed(path, real, options, inputs)
    try:
        fh = open(real, "rb")
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise InputError(f"{path}: cannot read for --retry-failed: {exc.strerror or exc}") from None
    dropped, offset = 0, 0
    out: AtomicOutput | None = None  # created at the first error record: a file without any is not touched
    with fh:
        try:
            for raw in fh:
                if raw.endswith(b"\n") and _is_error_line(raw, options, inputs):
                    if out is None:
                        _check_appendable(path, real)
                        out = AtomicOutput(real)
                        _copy_head(real, offset, out)
                    dropped += 1
                elif out is not None:
                    out.write(raw)
                offset += len(raw)
        except BaseException:
            if out is not None:
                out.discard()
            raise
    if out is not None:
        out.commit()
    return dropped


def _drop_error_records_compressed(path: Path, real: str, options: BatchOptions,
                                   inputs: Collection[str] | None) -> int:
    """:func:`drop_error_records` for a compressed output: one pass finds whether it holds error
    records, a second writes the others to a compressed temporary file renamed over it."""
    def lines():
        try:
            yield from iter_complete_lines(real)
        except FileNotFoundError:
            return
        except CompressedDataError as exc:
            raise InputError(f"{path}: --retry-failed: {exc}; it cannot be rewritten safely: move it away "
                             "(or repair it) and run again") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read for --retry-failed: {exc.strerror or exc}") from None

    if not any(_is_error_line(raw, options, inputs) for raw in lines()):
        return 0
    _check_appendable(path, real)
    out = CompressedAtomicOutput(real, codec_of_name(str(path)) or "gzip")
    dropped = 0
    try:
        for raw in lines():
            if _is_error_line(raw, options, inputs):
                dropped += 1
            else:
                out.write(raw)
    except BaseException:
        out.discard()
        raise
    out.commit()
    return dropped


def _check_appendable(path: Path, real: str) -> None:
    """The retried records are appended to the rewritten output: a file that cannot be written to
    (read-only in a writable folder, where the rename would succeed) is refused before it is
    rewritten, or its error records would vanish without their records being written again."""
    try:
        open(real, "ab").close()
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _is_error_line(raw: bytes, options: BatchOptions, inputs: Collection[str] | None = None) -> bool:
    try:
        obj = json.loads(raw)
    except ValueError:
        return False
    if not is_error_record(obj, options):
        return False
    if inputs is None:
        return True
    if is_document_output(obj):
        return obj["input"] in inputs
    source = obj.get(options.keys.source or "input")
    if isinstance(source, str) and obj.get(options.keys.line or "line") is not None:
        return source in inputs
    return True


def _copy_head(path: str, size: int, out: AtomicOutput, piece: int = 1 << 20) -> None:
    """Copy the first ``size`` bytes of ``path`` to ``out``."""
    with open(path, "rb") as fh:
        while size > 0:
            data = fh.read(min(piece, size))
            if not data:
                break
            out.write(data)
            size -= len(data)


class ResumeIndex:
    """Answers "is this record already in the output?" for ``--resume``.

    With one output stream the keys are read once; with ``--output-dir`` they are
    read from each mirrored file when its input starts. Records are matched by
    their id field, records without id by their fields (or, for error records, their input and
    line number), documents by their input name.
    """

    def __init__(self, options: BatchOptions, output: str | None = None, outdir: str | None = None):
        self.options = options
        self.outdir = Path(outdir) if outdir else None
        self._stream_keys = done_keys(Path(output), options) if output else None
        self._per_file: tuple[str, Counter[str]] | None = None
        #: JSON document outputs that recorded an error and are written again (--retry-failed).
        self.retried = 0

    @staticmethod
    def _consume(keys: Counter[str], full: str, variants: Callable[[], list[str]] | None = None) -> bool:
        """Skip the record if the output holds one more record with its key (each counts once). A
        record with id (``variants`` gives its digests, computed only when its id is there) needs
        one with its id *and* its fields, or whose fields cannot be compared (text replaced in place)."""
        if keys[full] <= 0:
            return False
        if variants is not None:
            for variant in [*variants(), UNKNOWN_FIELDS]:
                if keys[f"{full}|{variant}"] > 0:
                    keys[f"{full}|{variant}"] -= 1
                    break
            else:
                return False  # its id with other fields: another input's record, or a changed record
        keys[full] -= 1
        return True

    def __call__(self, spec: InputSpec, full: str, variants: Callable[[], list[str]] | None = None) -> bool:
        if self._stream_keys is not None:
            return self._consume(self._stream_keys, full, variants)
        if self.outdir is None:
            return False
        target = self.outdir / output_name(spec, self.options.output_format)
        if not spec.is_records and self.options.output_format in ("text", "diff"):
            return target.exists()  # failed documents write no file in these formats: they are retried
        if self._per_file is None or self._per_file[0] != str(target):
            keys = done_keys(target, self.options)
            if not spec.is_records and target.exists() and not keys:
                keys = self._json_document_done(target, spec)
            self._per_file = (str(target), keys)
        return self._consume(self._per_file[1], full, variants)

    def _json_document_done(self, target: Path, spec: InputSpec) -> Counter[str]:
        """A JSON (indented) document output counts as done, even one that records an error, unless
        ``retry_failed``: that one is written again."""
        try:
            with open_input(str(target)) as src:
                obj = json.loads(src.fh.read().decode("utf-8"))
        except (OSError, ValueError):
            return Counter()
        if not isinstance(obj, dict):
            return Counter()
        if self.options.retry_failed and is_error_record(obj, self.options):
            self.retried += 1
            return Counter()
        return Counter({"input:" + spec.name: 1})


def open_output(path: str, append: bool, atomic: bool = False) -> IO[str]:
    """The ``-o`` file. JSONL is written in place, progressively (what ``--resume`` needs);
    ``atomic`` output goes to a temporary file renamed over ``path`` when complete. A name ending
    in ``.gz``, ``.bz2``, ``.xz`` or ``.zst`` is written compressed (appending: a new stream)."""
    if append:
        prepare_append(Path(path))
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        raise InputError(f"{path}: cannot write: folder {directory} does not exist")
    try:
        if atomic and not append:
            return _AtomicFile(path, directory)
        return open_text_output(path, append)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None


class _AtomicFile:
    """A text file written under a temporary name and renamed over the target on close();
    ``discard()`` (on failure) removes it and leaves the target as it was."""

    def __init__(self, path: str, directory: str):
        import tempfile

        self.path = path
        codec = codec_of_name(path)
        if codec == "zstd":
            from ..compression import require_zstandard

            require_zstandard(path)  # before a temporary file is made
        fd, self.tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
        try:
            self.fh = text_writer(os.fdopen(fd, "wb"), codec, path)
        except BaseException:
            os.unlink(self.tmp)
            raise

    def write(self, text: str) -> int:
        return self.fh.write(text)

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        if self.fh.closed:
            return
        self.fh.close()
        try:
            os.chmod(self.tmp, os.stat(self.path).st_mode & 0o7777 if os.path.exists(self.path) else new_file_mode())
        except OSError:
            pass
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        if not self.fh.closed:
            self.fh.close()
        try:
            os.unlink(self.tmp)
        except OSError:
            pass


Writer = Callable[[Outcome], None]
