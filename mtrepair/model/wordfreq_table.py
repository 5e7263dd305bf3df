"""The wordfreq frequencies the n-gram model asks for, from a copy in mtrepair's cache folder.

The model's OOV distribution (:mod:`mtrepair.model.ngram`) reads ``f_wf(w) =
get_frequency_dict("fr", "best").get(w, 0.0)`` for out-of-vocabulary words ``w`` (not in the
vocabulary, no digit: words with a digit are ``<num>``) and ``F``, the total of those
frequencies. Importing wordfreq, decoding its table and building that dict costs ~0.18 s of
CPU at the first OOV word of every process (and of every worker). The part of the dict the
model asks for — the words outside the vocabulary without a digit, with their very floats —
is kept here as a sorted word list and looked up by bisection (~0.02 s to load).

Exact: the file is written from wordfreq's own dict (the floats stored in hexadecimal) and
``F`` by :func:`mtrepair.model.ngram.wordfreq_total_reference`; :meth:`WordfreqTable.frequency`
of a word the table covers is ``dict.get(word, 0.0)`` (a covered word missing from the list
is missing from the dict). Callers ask the dict itself for the other words. The file name
hashes wordfreq's code and French data files, the model's content hash and this format,
so another wordfreq or model never reads a stale copy; the body's sha256 is checked, and any
failure (cache off, read-only folder, corrupt file) falls back to wordfreq's own loading.
Tests compare every entry with the dict.

Location: the ``wordfreq`` folder of mtrepair's cache (:mod:`mtrepair.cache`).
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from pathlib import Path
from typing import Callable

from .. import cache

_FORMAT = b"mtrepair wordfreq oov table 2"
_DATA_FILES = ("large_fr.msgpack.gz", "small_fr.msgpack.gz")


class WordfreqTable:
    """Sorted OOV words of one model (UTF-8 ``bytes``: splitting the file into ``str`` would
    cost twice as much, and UTF-8 keeps the code point order) with the index of their
    frequency in ``values``."""

    __slots__ = ("words", "index", "values", "total")

    def __init__(self, words: list[bytes], index: array, values: list[float], total: float) -> None:
        self.words = words
        self.index = index
        self.values = values
        self.total = total

    def frequency(self, word: str) -> float:
        """wordfreq's frequency of a covered word (no digit, not in the vocabulary), else 0."""
        try:
            key = word.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no word of the table (all were encoded)
            return 0.0
        words = self.words
        i = bisect_left(words, key)
        if i < len(words) and words[i] == key:
            return self.values[self.index[i]]
        return 0.0


def cache_folder() -> Path | None:
    """The folder of the copies, or ``None`` when the cache is off (:mod:`mtrepair.cache`)."""
    return cache.folder("wordfreq")


def table_path(content_hash: str) -> Path | None:
    """Where the copy for this model and this wordfreq lives (``None``: no cache, no key).

    The key hashes wordfreq's code that builds the dict (its ``__init__.py``) and its French
    data files, rather than its version (asking the version imports ``importlib.metadata``)."""
    folder = cache_folder()
    if folder is None or not content_hash:
        return None
    digest = cache.package_files_digest("wordfreq", ("__init__.py",) + tuple(f"data/{n}" for n in _DATA_FILES),
                                        _FORMAT, sys.byteorder.encode(), content_hash.encode())
    if digest is None:
        return None
    return folder / f"fr-best-{digest[:32]}.bin"


def read_table(path: Path) -> WordfreqTable | None:
    """The table stored at ``path``, or ``None`` if it is missing, cut short or corrupt."""
    body = cache.read_checked(path, _FORMAT)
    if body is None:
        return None
    try:
        counts, _, rest = body.partition(b"\n")
        n_text, n_values_text, total_text = counts.decode().split()
        n, n_values, total = int(n_text), int(n_values_text), float.fromhex(total_text)
        values_line, _, table = rest.partition(b"\n")
        words_part, sep, index_part = table.partition(b"\0")
        if not sep:
            return None
        words = words_part.split(b"\n") if n else []
        index = array("H")
        index.frombytes(index_part)
        values = [float.fromhex(v) for v in values_line.decode().split()]
        if len(words) != n or len(index) != n or len(values) != n_values or (n and max(index) >= n_values):
            return None
        return WordfreqTable(words, index, values, total)
    except (ValueError, UnicodeDecodeError, IndexError):
        return None


def build_table(freqs: dict[str, float], vocab: dict[str, int], total: float,
                has_digit: Callable[[str], bool]) -> WordfreqTable:
    """The table of ``freqs`` for the words outside ``vocab`` without a digit."""
    covered = sorted(w for w in freqs if w not in vocab and not has_digit(w))
    words = [w.encode("utf-8") for w in covered]  # raises on a lone surrogate: no table
    position: dict[float, int] = {}
    values: list[float] = []
    index = array("H")
    for w in covered:
        f = freqs[w]
        k = position.get(f)
        if k is None:
            k = position[f] = len(values)
            values.append(f)
        index.append(k)
    return WordfreqTable(words, index, values, total)


def write_table(path: Path, table: WordfreqTable) -> None:
    """Store ``table`` at ``path`` (atomically); silently nothing when it cannot."""
    if any(b"\n" in w or b"\0" in w for w in table.words) or len(table.values) > 65535:
        return  # not representable in this format: keep wordfreq's loading
    body = (b"%d %d %s\n" % (len(table.words), len(table.values), table.total.hex().encode())
            + " ".join(v.hex() for v in table.values).encode() + b"\n"
            + b"\n".join(table.words) + b"\0" + table.index.tobytes())
    cache.write_checked(path, _FORMAT, body, stale="fr-best-*.bin")  # copies for other models or versions
