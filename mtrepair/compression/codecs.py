"""Compressed data: the codecs mtrepair reads and writes (gzip, bz2, xz; zstd with an extra), how
they are recognised (magic bytes for reading, the name for writing), and the errors of damaged
data. See :mod:`mtrepair.compression`."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

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
