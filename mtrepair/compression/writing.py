"""Writing compressed outputs (the name decides), appending a new stream for ``--resume``, and
rewriting atomically (:mod:`mtrepair.compression`)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import time
from typing import IO, Any, Iterator

from .codecs import (
    CODEC_SUFFIXES, CompressedDataError, GZIP_LEVEL, MAGIC_BYTES, SYNC_FLUSH_SECONDS, XZ_PRESET,
    codec_of_bytes, codec_of_file, codec_of_name, require_zstandard)
from .reading import open_input


class _Sink:
    """Where a compressor writes: a function taking bytes (an AtomicOutput's write)."""

    def __init__(self, write: Any):
        self._write = write

    def write(self, data: bytes) -> int:
        self._write(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def compressor(dest: Any, codec: str, name: str) -> Any:
    """A binary writer compressing into ``dest`` (a file object, not closed with the writer).
    A new stream (gzip member, bz2/xz stream, zstd frame) starts at the current end of ``dest``."""
    if codec == "gzip":
        return gzip.GzipFile(fileobj=dest, mode="wb", compresslevel=GZIP_LEVEL, mtime=0)
    if codec == "bz2":
        return bz2.BZ2File(dest, "wb")
    if codec == "xz":
        return lzma.LZMAFile(dest, "wb", format=lzma.FORMAT_XZ, preset=XZ_PRESET)
    zstandard = require_zstandard(name)
    return zstandard.ZstdCompressor(write_checksum=True).stream_writer(dest, closefd=False)


class CompressedWriter(io.RawIOBase):
    """A binary file (opened by the caller) written through a compressor. ``flush()`` pushes gzip
    and zstd data out (a sync flush, at most every :data:`SYNC_FLUSH_SECONDS`), so a killed run
    leaves what was flushed readable; bz2 and xz compress whole blocks (their flush cannot)."""

    def __init__(self, raw: IO[bytes], codec: str, name: str):
        self._raw, self.codec = raw, codec
        self._finished = False
        self._flushed = time.monotonic()
        try:
            self._comp = compressor(raw, codec, name)
        except BaseException:
            raw.close()
            raise

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self._comp.write(bytes(b))
        return len(b)

    def flush(self) -> None:
        if self.closed or self._finished:
            return
        now = time.monotonic()
        if self.codec in ("gzip", "zstd") and now - self._flushed >= SYNC_FLUSH_SECONDS:
            self._comp.flush()
            self._raw.flush()
            self._flushed = now

    def close(self) -> None:
        if self.closed or self._finished:
            return
        self._finished = True
        try:
            self._comp.close()  # ends the stream (gzip trailer, bz2/xz end marker, zstd frame end)
            self._raw.flush()
        finally:
            self._raw.close()
            super().close()


def open_text_output(path: str, append: bool) -> IO[str]:
    """A UTF-8 text file for records, compressed when its name says so (``append``: a new stream
    after the existing ones). Raises ``OSError``, :class:`CodecMissing`."""
    codec = codec_of_name(path)
    if codec is None:
        return open(path, "a" if append else "w", encoding="utf-8", newline="")
    if codec == "zstd":
        require_zstandard(path)  # before the file is opened (and, without "a", emptied)
    raw = open(path, "ab" if append else "wb")
    return io.TextIOWrapper(CompressedWriter(raw, codec, path), encoding="utf-8", newline="",  # type: ignore[arg-type]
                            write_through=True)


def text_writer(raw: IO[bytes], codec: str | None, name: str) -> IO[str]:
    """A UTF-8 text layer over the binary file ``raw``, compressed with ``codec`` (None: plain)."""
    if codec is None:
        return io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
    return io.TextIOWrapper(CompressedWriter(raw, codec, name), encoding="utf-8", newline="",  # type: ignore[arg-type]
                            write_through=True)


def compress_bytes(data: bytes, codec: str | None, name: str = "") -> bytes:
    """``data`` compressed with ``codec`` (None: as it is)."""
    if codec is None:
        return data
    if codec == "gzip":
        return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    if codec == "bz2":
        return bz2.compress(data)
    if codec == "xz":
        return lzma.compress(data, format=lzma.FORMAT_XZ, preset=XZ_PRESET)
    return require_zstandard(name).ZstdCompressor(write_checksum=True).compress(data)


class CompressedAtomicOutput:
    """An :class:`~mtrepair.io.AtomicOutput` whose content is compressed with ``codec``: the same
    ``write``/``write_text``/``commit``/``discard``, on the uncompressed bytes."""

    def __init__(self, path: str, codec: str):
        from ..io import AtomicOutput

        if codec == "zstd":
            require_zstandard(path)
        self.path = path
        self._out = AtomicOutput(path)
        self._comp = compressor(_Sink(self._out.write), codec, path)

    def write(self, data: bytes) -> None:
        try:
            self._comp.write(data)
        except BaseException:
            self._out.discard()
            raise

    def write_text(self, text: str) -> None:
        self.write(text.encode("utf-8"))

    def commit(self) -> None:
        try:
            self._comp.close()
        except BaseException:
            self._out.discard()
            raise
        self._out.commit()

    def discard(self) -> None:
        self._out.discard()


def atomic_output(path: str) -> Any:
    """An atomic output for ``path``, compressed when its name says so."""
    from ..io import AtomicOutput

    codec = codec_of_name(path)
    return AtomicOutput(path) if codec is None else CompressedAtomicOutput(path, codec)


def write_text_atomic(path: str, text: str) -> None:
    """:func:`mtrepair.io.write_text_atomic`, compressed when the name of ``path`` says so."""
    from ..io import write_bytes_atomic

    write_bytes_atomic(path, compress_bytes(text.encode("utf-8"), codec_of_name(path), path))


# -- appending to a compressed output (--resume) ---------------------------------------------------


def check_codec_for_append(path: str) -> str | None:
    """A message when the content of ``path`` is not in the codec its name says (appending would
    mix a compressed stream and plain text), else None. An empty or missing file is fine."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(MAGIC_BYTES)
    except OSError:
        return None
    if not head:
        return None
    named, held = codec_of_name(path), codec_of_bytes(head)
    if named == held:
        return None
    if named is None:
        return (f"{path}: --resume: the file holds {held}-compressed data but its name has no "
                f"{CODEC_SUFFIXES[held]} suffix; records would be appended uncompressed to it. "
                f"Give it its {CODEC_SUFFIXES[held]} name")
    if held is None:
        return (f"{path}: --resume: the name says {named} but the file holds uncompressed data; "
                f"compressed records would be appended to plain text. Rename it without {CODEC_SUFFIXES[named]}")
    return (f"{path}: --resume: the name says {named} but the file holds {held}-compressed data; "
            "give it the name of its compression")


def iter_complete_lines(path: str) -> Iterator[bytes]:
    """The complete (newline-terminated) decompressed lines of a compressed output, up to where a
    truncated stream stops (an interrupted run: the records after it are redone). Raises
    :class:`CompressedDataError` for corrupt data (not merely truncated)."""
    with open_input(path) as src:
        try:
            for raw in src.fh:
                if not raw.endswith(b"\n"):
                    return  # an unfinished last line
                yield raw
        except CompressedDataError as exc:
            if not exc.truncated:
                raise


def needs_rewrite_before_append(path: str) -> bool:
    """Does the compressed output at ``path`` end cleanly (every stream complete, last line
    finished)? If not (a run interrupted in the middle of a stream), appending a new stream after
    the broken one would make the whole file unreadable: it must be rewritten first. Raises
    :class:`CompressedDataError` for corrupt data."""
    last = b"\n"
    with open_input(path) as src:
        try:
            while True:
                data = src.fh.read(1 << 20)
                if not data:
                    break
                last = data[-1:]
        except CompressedDataError as exc:
            if not exc.truncated:
                raise
            return True
    return last != b"\n"


def rewrite_complete_lines(path: str) -> None:
    """Rewrite a compressed output atomically (same codec, the one its name says) with its complete
    lines only (see :func:`needs_rewrite_before_append`); a symbolic link is followed."""
    real = os.path.realpath(path)
    out = CompressedAtomicOutput(real, codec_of_name(path) or codec_of_file(real) or "gzip")
    try:
        for raw in iter_complete_lines(real):
            out.write(raw)
    except BaseException:
        out.discard()
        raise
    out.commit()
