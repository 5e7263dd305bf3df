"""The gazetteer: names that tech and business news cites, with type and aliases.

Data lives in ``glossary/entities/*.tsv`` (shipped as package data under
``mtrepair.glossary_files``); each line is
``name<TAB>type<TAB>aliases<TAB>region<TAB>source`` (aliases ``|``-separated).
This module only reads and indexes it; it knows nothing about spinning.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from ..config import ConfigError
from ..tokens import tokenize_phrase

#: Types an entry may have (anything else is a data error).
ENTITY_TYPES = frozenset(
    {"outlet", "newsletter", "event", "company", "lab", "product", "service", "programme"}
)

#: Small words that may sit inside a name without carrying its meaning.
NAME_FUNCTION_WORDS = frozenset(
    {"the", "of", "and", "&", "for", "in", "on", "at", "a", "an", "to", "with", "by",
     "de", "du", "des", "la", "le", "les", "l'", "d'", "et", "en", "pour", "sur", "à"}
)


#: Words that French and English write differently inside the same name
#: ("l'IA Impact Tour" is the AI Impact Tour); matching folds them together.
WORD_EQUIVALENTS = {"ia": "ai"}


def canon(word: str) -> str:
    """Matching key of a normalised word."""
    return WORD_EQUIVALENTS.get(word, word)


def name_key(phrase: str) -> tuple[str, ...]:
    """Matching key of a name: normalised, folded tokens."""
    return tuple(canon(w) for w in tokenize_phrase(phrase))


class GazetteerError(ConfigError):
    """A gazetteer file is malformed or unreadable; ``str`` is ``file:line: reason``.

    A :class:`~mtrepair.config.ConfigError` (hence a ``ValueError``), so the CLI
    reports it as a clean error line.
    """


@dataclass(frozen=True)
class Entity:
    """One gazetteer entry."""

    name: str
    type: str
    aliases: tuple[str, ...]
    region: str
    source_note: str
    path: str  # file name relative to the entities folder (or the path given)
    line: int

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name,) + self.aliases


@dataclass(frozen=True)
class NameForm:
    """A written form of an entity (its name or an alias), tokenised."""

    entity: Entity
    text: str
    words: tuple[str, ...]  # normalised tokens


def parse_tsv(text: str, path: str) -> list[Entity]:
    out: list[Entity] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            raise GazetteerError(f"{path}:{lineno}: expected name<TAB>type[<TAB>aliases<TAB>region<TAB>source]")
        name, typ = cols[0].strip(), cols[1].strip()
        if not name:
            raise GazetteerError(f"{path}:{lineno}: empty name")
        if typ not in ENTITY_TYPES:
            raise GazetteerError(
                f"{path}:{lineno}: unknown type {typ!r}; choose among {', '.join(sorted(ENTITY_TYPES))}"
            )
        aliases = tuple(a.strip() for a in (cols[2] if len(cols) > 2 else "").split("|") if a.strip())
        region = cols[3].strip() if len(cols) > 3 else ""
        note = cols[4].strip() if len(cols) > 4 else ""
        out.append(Entity(name, typ, aliases, region, note, path, lineno))
    return out


def _builtin_files() -> list[tuple[str, str]]:
    folder = resources.files("mtrepair.glossary_files").joinpath("entities")
    files = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".tsv"):
            files.append((item.name, item.read_text(encoding="utf-8")))
    return files


def _user_files(paths: Iterable[str]) -> list[tuple[str, str]]:
    files = []
    for p in paths:
        path = Path(p)
        candidates = sorted(path.glob("*.tsv")) if path.is_dir() else [path]
        for c in candidates:
            try:
                files.append((str(c), c.read_text(encoding="utf-8")))
            except OSError as exc:
                raise GazetteerError(f"{c}:0: cannot read gazetteer file: {exc.strerror or exc}") from None
            except UnicodeDecodeError as exc:
                raise GazetteerError(f"{c}:0: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    return files


class Gazetteer:
    """Entries plus the indexes the restorer needs (built once)."""

    def __init__(self, entities: list[Entity]):
        self.entities: tuple[Entity, ...] = tuple(entities)
        self.forms: list[NameForm] = []
        #: normalised word tuple -> forms written that way (exact lookups)
        self.exact: dict[tuple[str, ...], list[NameForm]] = defaultdict(list)
        #: (length, position, word) -> form ids (per-position word sets)
        self.by_position: dict[tuple[int, int, str], list[int]] = defaultdict(list)
        #: length -> form ids
        self.by_length: dict[int, list[int]] = defaultdict(list)
        #: every normalised word that occurs in a name
        self.vocabulary: set[str] = set()
        seen: set[tuple[tuple[str, ...], str]] = set()
        for ent in self.entities:
            for text in ent.forms:
                words = name_key(text)
                if not words or (words, ent.name) in seen:
                    continue
                seen.add((words, ent.name))
                form = NameForm(ent, text, words)
                fid = len(self.forms)
                self.forms.append(form)
                self.exact[words].append(form)
                self.by_length[len(words)].append(fid)
                for i, w in enumerate(words):
                    self.by_position[(len(words), i, w)].append(fid)
                    self.vocabulary.add(w)
        #: names written without their spaces ("venturebeat") -> forms
        self.joined: dict[str, list[NameForm]] = defaultdict(list)
        for form in self.forms:
            if len(form.words) >= 1:
                self.joined["".join(form.words)].append(form)
        self.max_words = max(self.by_length) if self.by_length else 0
        self.first_words = frozenset(f.words[0] for f in self.forms)
        #: first word -> the lengths of the forms that start with it, longest first (an exact
        #: look-up of k words can only hit a form of k words that starts with the first one)
        lengths: dict[str, set[int]] = defaultdict(set)
        for f in self.forms:
            lengths[f.words[0]].add(len(f.words))
        self.first_word_lengths: dict[str, tuple[int, ...]] = {
            w: tuple(sorted(ks, reverse=True)) for w, ks in lengths.items()}
        digest = hashlib.sha256()
        for f in self.forms:
            digest.update(f"{f.text}\t{f.entity.name}\t{f.entity.type}\n".encode("utf-8"))
        self.fingerprint = digest.hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.entities)

    def lookup(self, words: tuple[str, ...]) -> list[NameForm]:
        return self.exact.get(words, [])


@lru_cache(maxsize=8)
def load_gazetteer(extra_paths: tuple[str, ...] = (), builtin: bool = True) -> Gazetteer:
    """Load the shipped gazetteer (and extra TSV files or folders), cached."""
    entities: list[Entity] = []
    files = (_builtin_files() if builtin else []) + _user_files(extra_paths)
    for name, text in files:
        entities.extend(parse_tsv(text, name))
    return Gazetteer(entities)
