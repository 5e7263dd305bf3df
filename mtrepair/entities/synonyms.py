"""Reverse synonym index: words a spinner may have written -> the name words they replaced.

Built at development time by ``scripts/build_entity_synonyms.py`` from WordNet
3.0 and the Moby thesaurus, shipped as ``glossary/entities/synonyms.tsv.gz``.
Reading it needs neither resource.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
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


@dataclass(frozen=True)
class SynonymIndex:
    table: dict[str, tuple[tuple[str, float], ...]]

    def sources(self, word: str) -> tuple[tuple[str, float], ...]:
        """Name words that ``word`` may stand for, with closeness (best first)."""
        hit = self.table.get(word)
        if hit is None:
            for base in singulars(word):
                hit = self.table.get(base)
                if hit is not None:
                    break
        return hit or ()

    def __len__(self) -> int:
        return len(self.table)


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


def parse_index(text: str) -> SynonymIndex:
    table: dict[str, tuple[tuple[str, float], ...]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        syn, _, rest = line.partition("\t")
        pairs = []
        for item in rest.split(","):
            w, _, c = item.rpartition(":")
            pairs.append((w, float(c)))
        pairs.sort(key=lambda p: (-p[1], p[0]))
        table[syn] = tuple(pairs)
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
