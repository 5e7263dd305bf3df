"""Is a word or a span English, inside French text?

Word level: wordfreq's English and French frequency lists (Zipf scale).
Span level: the word votes, and langdetect (seeded, so it is deterministic)
for spans the words cannot decide. langdetect is only ever run on candidate
spans, never on every token.
"""

from __future__ import annotations

import math

from dataclasses import dataclass
from functools import lru_cache

#: A word is English when its English Zipf frequency is at least this...
ENGLISH_MIN_ZIPF = 2.0
#: ...and exceeds its French Zipf frequency by this margin.
ENGLISH_MARGIN = 0.5
#: A word is French when its French Zipf frequency is at least this and not
#: clearly lower than its English one.
FRENCH_MIN_ZIPF = 2.5

#: French function words that start sentences and glue names to the text;
#: they never belong to a garbled English name.
FRENCH_STOP_WORDS = frozenset(
    """le la les l' un une des du de d' au aux à a et ou mais donc or ni car ce cet cette ces
    son sa ses leur leurs mon ma mes notre nos votre vos il elle ils elles on nous vous je tu
    qui que qu' quoi dont où en dans par pour sur sous avec sans chez selon vers entre contre
    depuis pendant avant après lors comme si ne pas plus moins très tout toute tous toutes
    est sont été être avoir ont avait c' s' n' j' m' t' y cela ça ceci celui celle ceux
    alors ainsi aussi encore déjà puis enfin bien même autre autres certains plusieurs
    lundi mardi mercredi jeudi vendredi samedi dimanche""".split()
)


def zipf_pair_reference(word: str) -> tuple[float, float]:
    """wordfreq's English and French Zipf frequencies of ``word`` (the plain definition)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en"), zipf_frequency(word, "fr")


_TABLE: list = []  # [ZipfTable or None], filled at the first word


def zipf_pair(word: str) -> tuple[float, float]:
    """:func:`zipf_pair_reference`, or values that give every verdict of this module the same
    answer: plain words are read from a cached copy (:mod:`mtrepair.entities.zipf_table`, which
    reads words below its cut-off in both languages as 0.0; the thresholds here are at least that
    cut-off), so that wordfreq is loaded only for other words."""
    if not _TABLE:
        from . import zipf_table

        usable = min(ENGLISH_MIN_ZIPF, FRENCH_MIN_ZIPF) >= zipf_table.CUTOFF
        _TABLE.append(zipf_table.load() if usable else None)
    table = _TABLE[0]
    if table is not None:
        pair = table.zipf(word)
        if pair is None and "-" in word:
            pair = _hyphenated(table, word)
        if pair is not None:
            return pair
    return zipf_pair_reference(word)


def _hyphenated(table, word: str) -> tuple[float, float] | None:
    """A word of plain parts joined by hyphens (« notre-dame », « saint-étienne »), computed as
    wordfreq does for a word its tokenizer splits: the frequency is ``1 / sum(1 / f)`` over the
    parts, rounded to three significant digits, as a Zipf value to two decimals; a part outside the
    table (below its cut-off in both languages) makes the word read 0.0 in that language, below
    every threshold, as a plain word outside the table does. Without it, the first hyphenated name
    of a run loaded wordfreq's whole list (60 MB, a second of CPU) for one verdict. None when a part
    is not plain (ask wordfreq)."""
    pairs = [table.zipf(part) for part in word.split("-")]
    if any(p is None for p in pairs):
        return None
    out = []
    for k in (0, 1):
        zipfs = [p[k] for p in pairs]
        if 0.0 in zipfs:
            out.append(0.0)
            continue
        freq = float(f"{1 / sum(10 ** (9 - z) for z in zipfs):.3g}")
        out.append(round(math.log10(freq) + 9, 2))
    return out[0], out[1]


@lru_cache(maxsize=65536)
def word_language(word: str) -> str:
    """'en', 'fr' or '?' for a normalised (lower-case) word."""
    if word in FRENCH_STOP_WORDS:
        return "fr"
    en, fr = zipf_pair(word)
    if en >= ENGLISH_MIN_ZIPF and en >= fr + ENGLISH_MARGIN:
        return "en"
    if fr >= FRENCH_MIN_ZIPF and fr + ENGLISH_MARGIN > en:
        return "fr"
    return "?"


def answered_by_table(word: str) -> bool:
    """Can :func:`zipf_pair` answer for ``word`` from the cached table, without loading wordfreq's
    whole list (a plain word, or plain words joined by hyphens)?"""
    from .zipf_table import PLAIN

    return all(PLAIN.fullmatch(part) for part in word.split("-"))


@lru_cache(maxsize=65536)
def could_be_english(word: str) -> bool:
    """False only for words that are French and (nearly) unknown in English."""
    if word in FRENCH_STOP_WORDS:
        return False
    en, fr = zipf_pair(word)
    return not (fr >= FRENCH_MIN_ZIPF and en < ENGLISH_MIN_ZIPF)


@dataclass(frozen=True)
class SpanLanguage:
    language: str  # 'en', 'fr' or another langdetect code, or '?'
    probability: float
    method: str  # 'words' or 'langdetect'

    def describe(self) -> str:
        return f"{self.language} ({self.method}, p={self.probability:.2f})"


class LanguageGuesser:
    """Span-level language identification with a fixed langdetect seed."""

    def __init__(self, seed: int = 0):
        self.seed = seed
        self._cache: dict[str, SpanLanguage] = {}

    def guess(self, text: str, words: tuple[str, ...]) -> SpanLanguage:
        by_words = self.guess_by_words(words)
        return by_words if by_words is not None else self._langdetect(text)

    @staticmethod
    def guess_by_words(words: tuple[str, ...]) -> SpanLanguage | None:
        """The word lists' verdict, or None when they cannot decide."""
        # Numbers say nothing of a language (wordfreq reads every « 2030 » as « 0000 », about
        # as frequent in English as in French): they do not vote.
        votes = [word_language(w) for w in words if len(w) > 1 and not any(ch.isdigit() for ch in w)]
        en, fr = votes.count("en"), votes.count("fr")
        if votes and en > fr and en >= len(votes) / 2:
            return SpanLanguage("en", en / len(votes), "words")
        if votes and fr > en and fr >= len(votes) / 2:
            return SpanLanguage("fr", fr / len(votes), "words")
        return None

    def _langdetect(self, text: str) -> SpanLanguage:
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        try:
            from langdetect import DetectorFactory, detect_langs
            from langdetect.lang_detect_exception import LangDetectException

            DetectorFactory.seed = self.seed
            try:
                best = detect_langs(text)[0]
                out = SpanLanguage(best.lang, float(best.prob), "langdetect")
            except LangDetectException:
                out = SpanLanguage("?", 0.0, "langdetect")
        except ImportError:  # langdetect is a core dependency; degrade anyway
            out = SpanLanguage("?", 0.0, "unavailable")
        self._cache[text] = out
        return out
