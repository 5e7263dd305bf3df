"""Reverse synonym index: words a spinner may have written -> the name words they replaced.

Built at development time by ``scripts/build_entity_synonyms.py`` from WordNet
3.0 and the Moby thesaurus, shipped as ``glossary/entities/synonyms.tsv.gz``.
Reading it needs neither resource.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

#: Closeness of a synonym pair by the evidence that links them (0..1).
#: WordNet puts both words in the same synset: the tightest link.
CLOSENESS_WORDNET = 1.0
#: Moby lists each word under the other.
CLOSENESS_MOBY_BOTH = 0.9
#: Moby lists the spun word under the name word (the direction a spinner uses).
CLOSENESS_MOBY_FORWARD = 0.8
#: Moby lists the name word under the spun word only.
CLOSENESS_MOBY_REVERSE = 0.6

SYNONYM_FILE = "synonyms.tsv.gz"


class SynonymIndex:
    """Spun word -> the name words it may stand for, with closeness (best first).

    ``SynonymIndex(table)`` takes entries already parsed; :func:`load_synonyms` passes the
    shipped file's lines unparsed (``raw``: spun word -> the text after its tab) and each entry
    is parsed the first time it is looked up, by the same :func:`parse_entry` that
    :func:`parse_index_reference` applies to every line at once: loading costs a split per line
    instead of parsing and sorting 37,000 entries, of which a run looks up a few hundred. The
    entry a word gets is the same either way (tested on every line of the shipped file).
    """

    __slots__ = ("table", "_raw")

    def __init__(self, table: dict[str, tuple[tuple[str, float], ...]] | None = None,
                 raw: dict[str, str] | None = None):
        #: Entries parsed so far (all of them when built from a parsed table).
        self.table: dict[str, tuple[tuple[str, float], ...]] = dict(table or {})
        self._raw: dict[str, str] = raw if raw is not None else {}

    def _entry(self, word: str) -> tuple[tuple[str, float], ...] | None:
        hit = self.table.get(word)
        if hit is None:
            rest = self._raw.get(word)
            if rest is not None:
                hit = self.table[word] = parse_entry(rest)
        return hit

    def sources(self, word: str) -> tuple[tuple[str, float], ...]:
        """Name words that ``word`` may stand for, with closeness (best first)."""
        hit = self._entry(word)
        if hit is None:
            for base in singulars(word):
                hit = self._entry(base)
                if hit is not None:
                    break
        return hit or ()

    def __len__(self) -> int:
        return len(self._raw) if self._raw else len(self.table)


def singulars(word: str) -> tuple[str, ...]:
    """Plausible singular forms of an English plural (details -> detail)."""
    out = []
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        out.append(word[:-1])
    return tuple(out)


def parse_entry(rest: str) -> tuple[tuple[str, float], ...]:
    """One line's name words (the text after the tab: ``word:closeness,...``), best first."""
    pairs = []
    for item in rest.split(","):
        w, _, c = item.rpartition(":")
        pairs.append((w, float(c)))
    pairs.sort(key=lambda p: (-p[1], p[0]))
    return tuple(pairs)


def _entry_lines(text: str) -> dict[str, str]:
    """Spun word -> the text after its tab, for every entry line (a later line wins, as in
    :func:`parse_index_reference`)."""
    return dict(line.partition("\t")[::2] for line in text.splitlines() if line and not line.startswith("#"))


def parse_index(text: str) -> SynonymIndex:
    """The index of a file's text; entries are parsed when first looked up."""
    return SynonymIndex(raw=_entry_lines(text))


def parse_index_reference(text: str) -> SynonymIndex:
    """The plain definition: every entry parsed at once (for tests)."""
    table: dict[str, tuple[tuple[str, float], ...]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        syn, _, rest = line.partition("\t")
        table[syn] = parse_entry(rest)
    return SynonymIndex(table)


@lru_cache(maxsize=1)
def load_synonyms() -> SynonymIndex:
    """The shipped reverse index; empty (restoration by spelling only) if missing."""
    item = resources.files("mtrepair.glossary_files").joinpath("entities", SYNONYM_FILE)
    try:
        data = item.read_bytes()
    except (FileNotFoundError, OSError):
        return SynonymIndex({})
    return parse_index(gzip.decompress(data).decode("utf-8"))
