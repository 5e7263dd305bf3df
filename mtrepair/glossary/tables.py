"""What compiling a glossary needs from its patterns, kept on disk for large glossaries.

:class:`~.engine.Matcher` needs, for every entry, its pattern's variants (:func:`.pattern.expand`),
the lemma of every pattern token and the lemma class of every plain token
(:func:`.lexicon.lemma_class`, simplemma look-ups for each generated form). Computing them is most
of the shipped glossary's compile time (~0.06 s of ~0.085 s); read back from a JSON file of the
glossary cache they cost a few milliseconds.

The file's key hashes the patterns (in entry order), the code these values come from (pattern
parsing, the tokenizer, the lexicon and its paradigms table, this module) and simplemma's version
and French data, so any change there computes them afresh. :func:`pattern_tables_reference` is
the plain definition; the tests check that both agree and that a matcher built either way is the
same. Small glossaries (user files in tests, one-entry glossaries while learning) compile in
milliseconds and are not written to disk.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import simplemma

from . import cache
from .lexicon import lemma, lemma_class
from .model import Entry
from .pattern import PToken, expand

#: Glossaries with fewer entries are compiled without the on-disk tables.
MIN_ENTRIES = 200
_HERE = Path(__file__).resolve().parent
#: The code (and data) the tables are computed by: a change in any of them changes the key.
_SOURCES = (_HERE / "pattern.py", _HERE / "lexicon.py", _HERE / "lemma_table.py", _HERE / "tables.py",
            _HERE / "data" / "paradigms.json", _HERE.parent / "tokens.py")

#: (variants of each entry, pattern norm -> its lemma, plain norm -> its sorted lemma class)
Tables = tuple[list[tuple[tuple[PToken, ...], ...]], dict[str, str], dict[str, list[str]]]


def pattern_tables_reference(entries: list[Entry]) -> Tables:
    """The plain definition: expand every pattern, lemmatise every token."""
    variants = [expand(e.pattern) for e in entries]
    lemmas: dict[str, str] = {}
    classes: dict[str, list[str]] = {}
    for seqs in variants:
        for seq in seqs:
            for t in seq:
                if t.is_slot:
                    continue
                if t.norm not in lemmas:
                    lemmas[t.norm] = lemma(t.norm)
                if not t.exact and t.norm not in classes:
                    classes[t.norm] = sorted(lemma_class(t.norm))
    return variants, lemmas, classes


@lru_cache(maxsize=1)
def _sources_hash() -> str:
    h = hashlib.sha256(simplemma.__version__.encode())
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import DATA_FOLDER

        h.update((DATA_FOLDER / "fr.plzma").read_bytes())
    except (ImportError, OSError):
        h.update(b"no simplemma data file")
    for path in _SOURCES:
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(str(path).encode())
    return h.hexdigest()


def _to_json(tables: Tables) -> dict:
    variants, lemmas, classes = tables
    return {"variants": [[[[t.norm, t.exact, t.is_word, t.lo, t.hi] for t in seq] for seq in seqs]
                         for seqs in variants],
            "lemmas": lemmas, "classes": classes}


def _from_json(raw: dict, n_entries: int) -> Tables | None:
    try:
        variants = [tuple(tuple(PToken(norm, exact, is_word, lo, hi) for norm, exact, is_word, lo, hi in seq)
                          for seq in seqs) for seqs in raw["variants"]]
        lemmas, classes = raw["lemmas"], raw["classes"]
    except (KeyError, TypeError, ValueError):
        return None
    if len(variants) != n_entries or not isinstance(lemmas, dict) or not isinstance(classes, dict):
        return None
    return variants, lemmas, classes


def pattern_tables(entries: list[Entry]) -> Tables:
    """:func:`pattern_tables_reference`, read from the glossary cache when it was computed before."""
    if len(entries) < MIN_ENTRIES or cache.folder() is None:
        return pattern_tables_reference(entries)
    patterns = json.dumps([e.pattern for e in entries], ensure_ascii=False).encode("utf-8")
    key = "tables-" + cache.key(patterns, _sources_hash())
    raw = cache.get(key)
    if raw is not None:
        got = _from_json(raw, len(entries))
        if got is not None:
            return got
    tables = pattern_tables_reference(entries)
    cache.put(key, _to_json(tables))
    return tables
