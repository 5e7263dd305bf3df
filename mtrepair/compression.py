"""Compressed inputs and outputs: gzip, bz2 and xz (standard library), zstd (optional extra).

Reading: the **magic bytes** decide, not the name: ``dump.jsonl.gz`` holding plain text is read
as plain text, ``dump.jsonl`` holding gzip data is decompressed. Data is decompressed as a stream
(never the whole file in memory for records), so line numbers count decompressed lines.
Damaged data (truncated, corrupt) raises :class:`CompressedDataError` (an ``OSError``) from the
read that meets it: what was decompressed before it has been handed out.

Writing: the **name** decides (``-o out.jsonl.gz``, ``.bz2``, ``.xz``, ``.zst``). Appending
(``--resume``) adds a new member / stream / frame after the existing ones: gzip, bz2, xz and zstd
readers (``gzip -dc``, Python's modules) read concatenated streams as one.

zstd needs ``zstandard`` (``pip install 'mtrepair[zstd]'``); without it a zstd input or output is
a clear error naming the extra (:class:`CodecMissing`).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import time
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any, Iterator

#: Name suffix -> codec. Writing picks the codec from the output name; reading from the magic bytes.
SUFFIX_CODECS = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}
CODEC_SUFFIXES = {codec: suffix for suffix, codec in SUFFIX_CODECS.items()}
#: Bytes read from the start of an input to recognise a compressed stream.
MAGIC_BYTES = 10
#: gzip level of outputs (gzip's own default; 9 is several times slower for ~1 % smaller files).
GZIP_LEVEL = 6
#: xz preset of outputs: xz's default 6 compressed 22 MB of output records in 5.8 s (and a repair
#: run with --model none took 2.5x as long as with gzip), 3 in 0.8 s for a file 3 % larger.
XZ_PRESET = 3
#: A compressed record output pushes its data to the file (a gzip sync flush, a zstd block end) at
#: most this often, not for every record: a flush per record made a gzip output of 750-byte records
#: 25 % larger. A run killed without warning (SIGKILL) loses at most the records of the last second,
#: which ``--resume`` repairs again; Ctrl-C and SIGTERM close the stream properly.
SYNC_FLUSH_SECONDS = 1.0
#: The extra that brings zstd support.
ZSTD_EXTRA = "pip install 'mtrepair[zstd]'"

_BZ2_BLOCK = b"\x31\x41\x59\x26\x53\x59"  # pi: the first block of a bzip2 stream
_BZ2_END = b"\x17\x72\x45\x38\x50\x90"  # sqrt(pi): end of an empty stream


class CompressedDataError(OSError):
    """Compressed data that cannot be decompressed to its end. ``truncated``: the data stops
    inside a stream (an interrupted download or write), rather than holding wrong bytes."""

    def __init__(self, message: str, truncated: bool = False):
        super().__init__(message)
        self.truncated = truncated

    def __str__(self) -> str:
        return str(self.args[0])


class CodecMissing(OSError):
    """A zstd stream without the ``zstandard`` package."""

    def __str__(self) -> str:
        return str(self.args[0])


def codec_of_bytes(head: bytes) -> str | None:
    """The codec whose magic bytes start ``head``, or None (plain data)."""
    if head[:3] == b"\x1f\x8b\x08":
        return "gzip"
    if head[:6] == b"\xfd7zXZ\x00":
        return "xz"
    if head[:4] == b"\x28\xb5\x2f\xfd":
        return "zstd"
    if len(head) >= 10 and head[:3] == b"BZh" and 0x31 <= head[3] <= 0x39 and head[4:10] in (_BZ2_BLOCK, _BZ2_END):
        return "bz2"
    return None


def codec_of_name(name: str) -> str | None:
    """The codec an output named ``name`` is written with (its last suffix), or None."""
    return SUFFIX_CODECS.get(PurePosixPath(str(name)).suffix.lower())


def split_suffix(name: str) -> tuple[str, str]:
    """``("a.jsonl", ".gz")`` for ``"a.jsonl.gz"``; ``(name, "")`` without a compression suffix."""
    suffix = PurePosixPath(str(name)).suffix
    if suffix.lower() in SUFFIX_CODECS and len(name) > len(suffix):
        return name[: -len(suffix)], suffix
    return name, ""


def codec_of_file(path: str) -> str | None:
    """The codec of the file at ``path`` by its magic bytes (None: plain, or unreadable)."""
    try:
        with open(path, "rb") as fh:
            return codec_of_bytes(fh.read(MAGIC_BYTES))
    except OSError:
        return None


def require_zstandard(name: str = "") -> Any:
    """The zstandard module, or :class:`CodecMissing` naming the extra."""
    try:
        import zstandard
    except ImportError:
        raise CodecMissing(f"zstd-compressed data needs the zstandard package: {ZSTD_EXTRA}") from None
    return zstandard


# -- reading ---------------------------------------------------------------------------------


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were already read (to sniff them): gives them back, then reads on.
    Reads return what is available (``read1``), so a slow pipe is not waited for."""

    def __init__(self, prefix: bytes, fh: IO[bytes], owned: bool = False):
        self._prefix, self._fh, self._owned = prefix, fh, owned

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self._prefix:
            n = min(len(b), len(self._prefix))
            b[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        read1 = getattr(self._fh, "read1", None)
        data = read1(len(b)) if read1 is not None else self._fh.read(len(b))
        n = len(data)
        b[:n] = data
        return n

    def close(self) -> None:
        if self._owned and not self.closed:
            self._fh.close()
        super().close()


#: Errors the decompressors raise on damaged data (an OSError without errno is gzip's and bz2's).
def _damage(exc: BaseException, codec: str) -> CompressedDataError | None:
    if isinstance(exc, CompressedDataError):
        return exc
    if isinstance(exc, EOFError):
        return CompressedDataError(f"{codec} data is truncated (the file ends inside a compressed stream)",
                                   truncated=True)
    if isinstance(exc, (zlib.error, lzma.LZMAError)) or (isinstance(exc, OSError) and exc.errno is None
                                                         and not isinstance(exc, CodecMissing)):
        return CompressedDataError(f"{codec} data is corrupt ({exc})")
    if type(exc).__name__ == "ZstdError":
        return CompressedDataError(f"zstd data is corrupt ({exc})")
    return None


class _Checked(io.RawIOBase):
    """A decompressing reader whose damage errors become :class:`CompressedDataError`."""

    def __init__(self, inner: Any, codec: str, owned: tuple = ()):
        self._inner, self.codec, self._owned = inner, codec, owned
        # One decompressor read at a time (read1): a read of n bytes that meets damage after
        # some of them would lose the ones it had (the lines before the damage must come out).
        self._read = getattr(inner, "read1", None) or inner.read

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        try:
            data = self._read(len(b))
        except Exception as exc:  # decompressors raise their own types
            damage = _damage(exc, self.codec)
            if damage is None:
                raise
            raise damage from None
        n = len(data)
        b[:n] = data
        return n

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._inner.close()
        finally:
            for fh in self._owned:
                fh.close()
            super().close()


def _decompressor(src: IO[bytes], codec: str, name: str) -> Any:
    if codec == "gzip":
        return gzip.GzipFile(fileobj=src, mode="rb")
    if codec == "bz2":
        return bz2.BZ2File(src, "rb")
    if codec == "xz":
        return lzma.LZMAFile(src, "rb")
    return _ZstdReader(src, require_zstandard(name))


class _ZstdReader:
    """zstd frames one after the other, decompressed; a stream that ends inside a frame raises
    ``EOFError`` (zstandard's stream reader would end quietly)."""

    def __init__(self, src: IO[bytes], zstandard: Any):
        self._src, self._zstd = src, zstandard
        self._dctx = zstandard.ZstdDecompressor()
        self._obj: Any = None
        self._pending = b""

    def read(self, size: int) -> bytes:
        while not self._pending:
            data = self._src.read(1 << 16)
            if not data:
                if self._obj is not None and not self._obj.eof:
                    raise EOFError("the data ends inside a zstd frame")
                return b""
            while data:
                if self._obj is None or self._obj.eof:
                    self._obj = self._dctx.decompressobj()
                self._pending += self._obj.decompress(data)
                data = self._obj.unused_data if self._obj.eof else b""
        out, self._pending = self._pending[:size], self._pending[size:]
        return out

    def close(self) -> None:
        pass


@dataclass
class Opened:
    """A binary input stream, decompressed when its magic bytes say so (``codec``)."""

    fh: IO[bytes]
    codec: str | None

    def close(self) -> None:
        self.fh.close()

    def __enter__(self) -> "Opened":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.fh)


_MAGICS = (b"\x1f\x8b\x08", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd", b"BZh")


def _may_become_magic(head: bytes) -> bool:
    """Could more bytes make ``head`` a magic number? (Plain data is not waited for.)"""
    return any(head[: len(m)] == m[: len(head)] for m in _MAGICS)


def open_stream(src: IO[bytes], name: str, owned: bool = False) -> Opened:
    """Sniff ``src`` (a binary stream, e.g. standard input) and give it back decompressed when it
    is compressed. The sniffed bytes are not lost; closing the result closes ``src`` only when
    ``owned``. Reads take what is available, so a slow pipe of plain records is not waited for."""
    read1 = getattr(src, "read1", None) or src.read
    head = b""
    while len(head) < MAGIC_BYTES and codec_of_bytes(head) is None and _may_become_magic(head):
        piece = read1(MAGIC_BYTES - len(head))
        if not piece:
            break
        head += piece
    codec = codec_of_bytes(head)
    raw: Any = _Prefixed(head, src, owned)
    if codec is None:
        return Opened(io.BufferedReader(raw), None)
    try:
        inner = _decompressor(raw, codec, name)
    except BaseException:
        raw.close()
        raise
    return Opened(io.BufferedReader(_Checked(inner, codec, (raw,))), codec)  # type: ignore[arg-type]


def open_input(path: str, name: str | None = None) -> Opened:
    """The file at ``path`` as a binary stream, decompressed when its magic bytes say so.
    Raises ``OSError`` (unreadable), :class:`CodecMissing`."""
    fh = open(path, "rb")
    try:
        head = fh.read(MAGIC_BYTES)
        codec = codec_of_bytes(head)
        if codec is None:
            fh.seek(0)
            return Opened(fh, None)
        fh.seek(0)
        inner = _decompressor(fh, codec, name or path)
    except BaseException:
        fh.close()
        raise
    return Opened(io.BufferedReader(_Checked(inner, codec, (fh,))), codec)  # type: ignore[arg-type]


def read_head(path: str, size: int) -> bytes:
    """The first ``size`` bytes of a file, decompressed (damage and a missing codec give b"")."""
    head = b""
    try:
        with open_input(path) as src:
            while len(head) < size:
                piece = src.fh.read1(size - len(head))  # type: ignore[attr-defined]
                if not piece:
                    break
                head += piece
    except OSError:
        pass
    return head


def decompressed_longer_than(path: str, limit: int) -> bool:
    """Does the file hold more than ``limit`` bytes once decompressed? (Reads at most limit + 1.)"""
    try:
        with open_input(path) as src:
            left = limit + 1
            while left > 0:
                data = src.fh.read(min(left, 1 << 20))
                if not data:
                    return False
                left -= len(data)
            return True
    except OSError:
        return False


def check_integrity(path: str) -> CompressedDataError | None:
    """Decompress the whole file once, keeping nothing: the damage found, or None (a plain file
    too). A compressed stream is checked as a whole (gzip's CRC covers a whole member, bz2's and
    xz's a block of up to megabytes): bytes decompressed from a corrupt stream may be wrong before
    the damage is detected, so a corrupt file is refused before any of it is used. A truncated
    one is not corrupt: what it holds before the cut decompresses exactly."""
    try:
        with open_input(path) as src:
            if src.codec is None:
                return None
            read1 = src.fh.read1  # type: ignore[attr-defined]
            while read1(1 << 20):
                pass
    except CompressedDataError as exc:
        return exc
    except OSError:
        return None  # unreadable, or zstd without its package: the reader reports it
    return None


def decompress_bytes(data: bytes, name: str) -> bytes:
    """``data`` decompressed when its magic bytes say so (for inputs read whole: a document on
    standard input). Raises :class:`CompressedDataError`, :class:`CodecMissing`."""
    if codec_of_bytes(data[:MAGIC_BYTES]) is None:
        return data
    with open_stream(io.BytesIO(data), name) as src:
        return src.fh.read()


# -- writing ---------------------------------------------------------------------------------


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
        from .io import AtomicOutput

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
    from .io import AtomicOutput

    codec = codec_of_name(path)
    return AtomicOutput(path) if codec is None else CompressedAtomicOutput(path, codec)


def write_text_atomic(path: str, text: str) -> None:
    """:func:`mtrepair.io.write_text_atomic`, compressed when the name of ``path`` says so."""
    from .io import write_bytes_atomic

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
