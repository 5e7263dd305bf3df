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

Modules: :mod:`.codecs` (the codecs, how they are recognised, the errors), :mod:`.reading`
(streams in), :mod:`.writing` (outputs, appending, atomic rewrites); their names are importable
from here.
"""

from __future__ import annotations

from .codecs import (
    CODEC_SUFFIXES, CodecMissing, CompressedDataError, GZIP_LEVEL, MAGIC_BYTES, SUFFIX_CODECS,
    SYNC_FLUSH_SECONDS, XZ_PRESET, ZSTD_EXTRA, codec_of_bytes, codec_of_file, codec_of_name,
    require_zstandard, split_suffix,
)
from .reading import (
    Opened, check_integrity, decompress_bytes, decompressed_longer_than, open_input, open_stream,
    read_head,
)
from .writing import (
    CompressedAtomicOutput, CompressedWriter, atomic_output, check_codec_for_append, compress_bytes,
    compressor, iter_complete_lines, needs_rewrite_before_append, open_text_output,
    rewrite_complete_lines, text_writer, write_text_atomic,
)

__all__ = [
    "CODEC_SUFFIXES", "CodecMissing", "CompressedAtomicOutput", "CompressedDataError",
    "CompressedWriter", "GZIP_LEVEL", "MAGIC_BYTES", "Opened", "SUFFIX_CODECS", "SYNC_FLUSH_SECONDS",
    "XZ_PRESET", "ZSTD_EXTRA", "atomic_output", "check_codec_for_append", "check_integrity",
    "codec_of_bytes", "codec_of_file", "codec_of_name", "compress_bytes", "compressor",
    "decompress_bytes", "decompressed_longer_than", "iter_complete_lines",
    "needs_rewrite_before_append", "open_input", "open_stream", "open_text_output", "read_head",
    "require_zstandard", "rewrite_complete_lines", "split_suffix", "text_writer", "write_text_atomic",
]
