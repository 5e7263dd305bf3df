"""The English and French Zipf frequencies the language test asks for, from a copy in mtrepair's cache.

:mod:`mtrepair.entities.language` decides whether a word is English or French from
``wordfreq.zipf_frequency(word, "en")`` and ``(word, "fr")``. Importing wordfreq and decoding its
two tables costs ~0.3 s of CPU at the first capitalised run of every process (and of every worker,
Scrapy or Spark process); this module keeps what the test needs as a sorted word list read in
~0.02 s.

What is kept: the *plain* words (:data:`PLAIN`: lower-case Latin letters, French and common
accented letters only) whose Zipf frequency reaches :data:`CUTOFF` in either language, with both
values. The test compares frequencies with thresholds of at least ``CUTOFF`` only
(``language.ENGLISH_MIN_ZIPF``, ``FRENCH_MIN_ZIPF``; ``language`` checks that), so a plain word
below it in both languages gets the same verdicts from ``(0.0, 0.0)`` as from its true values.

Exact for plain words: wordfreq tokenises a plain word to itself (no case to fold, no digit, no
apostrophe, no character its tokenizer splits on), so its ``zipf_frequency`` is that of the
dict entry; the values are computed here by the same arithmetic as wordfreq's
``word_frequency`` + ``zipf_frequency`` and stored in hundredths (wordfreq rounds Zipf values to
two decimals); a stored value that does not read back as the float computed, or any doubt, means
no copy. Tests compare every stored word, and plain words outside the table, with wordfreq
itself. Other words (hyphens, apostrophes, digits, other scripts) always ask wordfreq.

The file name hashes wordfreq's code and data files for both languages, the cut-off and this
format, so another wordfreq never reads a stale copy; the body's sha256 is checked, and any
failure (cache off, read-only folder, corrupt file) falls back to wordfreq.

Location: the ``wordfreq`` folder of mtrepair's cache (:mod:`mtrepair.cache`).
"""

from __future__ import annotations

import math
import re
import sys
from array import array
from bisect import bisect_left
from pathlib import Path

from .. import cache

_FORMAT = b"mtrepair zipf en fr table 1"
#: The lowest Zipf threshold the language test compares with: words below it in both
#: languages are left out of the table (read as 0.0, same verdicts).
CUTOFF = 2.0
#: Words wordfreq tokenises to themselves: lower-case letters only, none that case folding or
#: its tokenizer would change (no ß, no ligature other than œ/æ, which fold to themselves).
PLAIN = re.compile(r"[a-zàâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ]+")
_LANGS = ("en", "fr")
_CODE_FILES = ("__init__.py", "tokens.py", "preprocess.py", "language_info.py")
_DATA_FILES = tuple(f"data/{size}_{lang}.msgpack.gz" for lang in _LANGS for size in ("large", "small"))


class ZipfTable:
    """Sorted plain words (UTF-8 ``bytes``) with their English and French Zipf values in hundredths."""

    __slots__ = ("words", "en", "fr")

    def __init__(self, words: list[bytes], en: array, fr: array) -> None:
        self.words, self.en, self.fr = words, en, fr

    def zipf(self, word: str) -> tuple[float, float] | None:
        """``(zipf_frequency(word, "en"), zipf_frequency(word, "fr"))`` for a plain word, where
        a word outside the table reads ``(0.0, 0.0)`` (below :data:`CUTOFF` in both); ``None``
        for a word that is not plain (ask wordfreq)."""
        if not PLAIN.fullmatch(word):
            return None
        key = word.encode("utf-8")
        words = self.words
        i = bisect_left(words, key)
        if i < len(words) and words[i] == key:
            return self.en[i] / 100, self.fr[i] / 100
        return 0.0, 0.0


def zipf_of_frequency(freq: float) -> float:
    """wordfreq's ``zipf_frequency`` of a one-token word whose dict frequency is ``freq`` (0 when
    absent), with the default ``minimum`` of 0: ``word_frequency`` keeps at least 1e-9 and rounds
    to three significant digits, ``zipf_frequency`` takes ``log10(f) + 9`` to two decimals."""
    unrounded = max(freq, 10**0.0 / 1e9)  # zipf_to_freq(minimum=0), as wordfreq computes it
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    rounded = round(unrounded, leading_zeroes + 3)
    return round(math.log(rounded, 10) + 9, 2)


def table_path() -> Path | None:
    """Where the copy for this wordfreq lives (``None``: no cache, or wordfreq not installed)."""
    folder = cache.folder("wordfreq")
    if folder is None:
        return None
    digest = cache.package_files_digest("wordfreq", _CODE_FILES + _DATA_FILES,
                                        _FORMAT, sys.byteorder.encode(), repr(CUTOFF).encode(),
                                        PLAIN.pattern.encode())
    return None if digest is None else folder / f"zipf-en-fr-{digest[:32]}.bin"


def read_table(path: Path) -> ZipfTable | None:
    """The table stored at ``path``, or ``None`` if it is missing, cut short or corrupt."""
    body = cache.read_checked(path, _FORMAT)
    if body is None:
        return None
    count, sep, rest = body.partition(b"\n")
    words_part, sep2, values = rest.partition(b"\0")
    if not (sep and sep2 and count.isdigit()):
        return None
    n = int(count)
    words = words_part.split(b"\n") if n else []
    scores = array("h")
    try:
        scores.frombytes(values)
    except ValueError:
        return None
    if len(words) != n or len(scores) != 2 * n:
        return None
    return ZipfTable(words, scores[:n], scores[n:])


def build_table(freqs: dict[str, dict[str, float]]) -> ZipfTable | None:
    """The table of wordfreq's ``{"en": dict, "fr": dict}`` (``get_frequency_dict(lang)``), or
    ``None`` when a value would not read back exactly from hundredths."""
    # A word can reach the cut-off only if its frequency, rounded to 3 digits, does: take a margin.
    floor = 10.0 ** (CUTOFF - 9) * 0.99
    candidates = sorted({w for d in freqs.values() for w, f in d.items() if f >= floor and PLAIN.fullmatch(w)})
    words: list[bytes] = []
    en, fr = array("h"), array("h")
    for w in candidates:
        values = [zipf_of_frequency(freqs[lang].get(w, 0.0)) for lang in _LANGS]
        if max(values) < CUTOFF:
            continue
        hundredths = [round(v * 100) for v in values]
        if any(h / 100 != v for h, v in zip(hundredths, values)):
            return None
        words.append(w.encode("utf-8"))
        en.append(hundredths[0])
        fr.append(hundredths[1])
    return ZipfTable(words, en, fr)


def write_table(path: Path, table: ZipfTable) -> None:
    """Store ``table`` at ``path`` (atomically); silently nothing when it cannot."""
    if any(b"\n" in w or b"\0" in w for w in table.words):
        return
    body = b"%d\n" % len(table.words) + b"\n".join(table.words) + b"\0" + table.en.tobytes() + table.fr.tobytes()
    cache.write_checked(path, _FORMAT, body, stale="zipf-en-fr-*.bin")


def load() -> ZipfTable | None:
    """The cached table, else build it from wordfreq (and store it); ``None`` when wordfreq is
    missing or the table cannot be built exactly."""
    path = table_path()
    table = read_table(path) if path is not None else None
    if table is not None:
        return table
    try:
        from wordfreq import get_frequency_dict
    except ImportError:
        return None
    table = build_table({lang: get_frequency_dict(lang, "best") for lang in _LANGS})
    if table is not None and path is not None:
        write_table(path, table)
    return table
