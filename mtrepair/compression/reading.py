"""Reading compressed inputs as streams: the magic bytes decide (:mod:`mtrepair.compression`)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from dataclasses import dataclass
from typing import IO, Any, Iterator

from .codecs import CodecMissing, CompressedDataError, MAGIC_BYTES, codec_of_bytes, require_zstandard


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
