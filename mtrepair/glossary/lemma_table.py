"""simplemma's French lemmatiser, with its dictionary loaded from a faster copy.

simplemma ships its dictionary front-coded and decodes it in Python on first use (~0.15 s
of CPU, the largest part of the glossary's start-up). Here the decoded table — the very same
``bytes -> bytes`` dict, same order — is kept in mtrepair's cache folder as newline-joined byte
strings, which one ``split`` each and one ``dict(zip(...))`` rebuild (~0.06 s). The table is
wrapped in simplemma's own ``MappingStrToByteString`` and handed to simplemma's own
``Lemmatizer``/``DefaultStrategy``/``DictionaryLookupStrategy`` through their public
``dictionary_factory`` parameter, so every look-up runs simplemma's code on equal data:

* :func:`lemmatize` is ``simplemma.lemmatize(form, lang="fr")`` (the legacy function builds
  ``Lemmatizer(lemmatization_strategy=DefaultStrategy())``, whose strategies all read the
  dictionary through that one factory). A form that is a key of the table is answered by one
  look-up (~0.4 µs instead of ~2 µs through simplemma's pipeline): the copy also holds the keys
  whose simplemma lemma is not their table value (none for simplemma 2.0.0), computed when the
  copy is written by running ``simplemma.lemmatize`` on every key (~1 s, once per version of
  simplemma's data);
* :func:`is_known` is ``simplemma.is_known(form, lang="fr")`` (a ``DictionaryLookupStrategy``
  over the same factory, after the same input checks and NFC normalisation).

Tests compare both with simplemma's functions on every key of the dictionary and on corpus
forms. The copy's file name hashes simplemma's version and its shipped data file, so another
simplemma never reads a stale table; any failure (cache off, read-only folder, corrupt file)
falls back to simplemma's own loading and lemmatising.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

import simplemma
from simplemma.strategies import DEFAULT_DICTIONARY_FACTORY, DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries.dictionary_factory import (
    DATA_FOLDER,
    CachingDictionaryFactory,
    MappingStrToByteString,
)
from simplemma.utils import normalize_token

from .. import cache as shared_cache

LANG = "fr"
_SEP = b"\n"
_SPLIT = b"\0"


#: Tag of the copy's header (:func:`mtrepair.cache.write_checked` adds the size and sha256).
_TAG = b"mtrepair simplemma table 3"


def _table_path(lang: str) -> Path | None:
    d = shared_cache.folder("simplemma")
    if d is None:
        return None
    try:
        data = (DATA_FOLDER / f"{lang}.plzma").read_bytes()
    except OSError:
        return None
    h = hashlib.sha256(simplemma.__version__.encode() + b"\0" + data).hexdigest()[:32]
    return d / f"{lang}-{h}.bin"


#: (simplemma's table: form -> lemma as UTF-8 bytes, the keys whose simplemma lemma is not their
#: table value -> that lemma)
Copy = tuple[dict[bytes, bytes], dict[str, str]]


def _read_table(path: Path) -> Copy | None:
    body = shared_cache.read_checked(path, _TAG)  # None: missing, another format, cut short, altered
    if body is None:
        return None
    parts = body.split(_SPLIT)
    if len(parts) != 4:
        return None
    k, v, ok, ov = (p.split(_SEP) if p else [] for p in parts)
    if len(k) != len(v) or len(ok) != len(ov):
        return None
    try:
        table = dict(zip(k, v))
        overrides = dict(zip((x.decode() for x in ok), (x.decode() for x in ov)))
    except UnicodeDecodeError:
        return None
    return (table, overrides) if len(table) == len(k) and len(overrides) == len(ok) else None


def _overrides(lang: str, mapping: Mapping[str, str]) -> dict[str, str]:
    """The keys ``k`` of simplemma's table for which ``simplemma.lemmatize(k)`` is not
    ``mapping[k]`` (almost none: the dictionary look-up comes early in its pipeline), with
    their lemma. Computed with simplemma itself, once per version of its data."""
    out = {}
    for key in mapping:
        got = simplemma.lemmatize(key, lang=lang)
        if got != mapping[key]:
            out[key] = got
    return out


def _write_table(path: Path, lang: str, mapping: Mapping[str, str]) -> None:
    """Write the copy; the overrides (~1 s) are computed only once the folder is known to be
    writable, so a read-only cache costs nothing more than simplemma's own loading."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(path.parent, os.W_OK):
            return
        keys = [key.encode() for key in mapping]
        values = [mapping[key].encode() for key in mapping]
        overrides = _overrides(lang, mapping)
        okeys = [k.encode() for k in overrides]
        ovalues = [v.encode() for v in overrides.values()]
    except Exception:  # noqa: BLE001 - a cache must never break lemmatising
        return
    if any(_SEP in x or _SPLIT in x or not x for x in keys + values + okeys + ovalues):
        return  # not representable in this format: keep simplemma's loading
    body = _SPLIT.join(_SEP.join(x) for x in (keys, values, okeys, ovalues))
    shared_cache.write_checked(path, _TAG, body, stale=f"{lang}-*.bin")  # copies for other versions


class CopiedDictionaryFactory(CachingDictionaryFactory):
    """simplemma's dictionaries, loaded from the copy in the cache folder when there is one."""

    __slots__ = ("copies",)

    def __init__(self, cache_max_size: int = 8) -> None:
        super().__init__(cache_max_size)
        #: lang -> the copy read from the cache folder (absent when simplemma loaded the table)
        self.copies: dict[str, Copy] = {}

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        path = _table_path(lang)
        if path is not None:
            copy = _read_table(path)
            if copy is not None:
                self.copies[lang] = copy
                return MappingStrToByteString(copy[0])
        mapping = DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)
        if path is not None:
            _write_table(path, lang, mapping)
        return mapping


class FrenchLemmas:
    """``simplemma.lemmatize`` and ``simplemma.is_known`` for French over a factory's tables."""

    def __init__(self, factory: CopiedDictionaryFactory) -> None:
        self.factory = factory
        self._lemmatizer = simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))
        self._lookup = DictionaryLookupStrategy(factory)
        self._copy: Copy | None = None
        self._loaded = False

    def lemmatize(self, form: str) -> str:
        """``simplemma.lemmatize(form, lang="fr")``.

        A form that is a key of the copied table gets its lemma by one look-up: the table's
        value, unless simplemma's pipeline gives it another lemma (then it is among the
        overrides, computed by simplemma itself when the copy was written). simplemma's
        lemmatiser is a function of the form alone (for one version of its data, which the
        copy's name hashes), so this is its result for every key; other forms go through it.
        """
        if not self._loaded:
            self.factory.get_dictionary(LANG)
            self._copy = self.factory.copies.get(LANG)
            self._loaded = True
        if self._copy is not None:
            table, overrides = self._copy
            got = overrides.get(form)
            if got is not None:
                return got
            try:
                value = table.get(form.encode())
            except UnicodeEncodeError:  # lone surrogates: never a key
                value = None
            if value is not None:
                return value.decode()
        return self._lemmatizer.lemmatize(form, LANG)

    def is_known(self, form: str) -> bool:
        """``simplemma.is_known(form, lang="fr")``."""
        if not isinstance(form, str):
            raise TypeError(f"Wrong input type, expected string, got {type(form)}")
        if form == "":
            raise ValueError("Wrong input value: empty string")
        return self._lookup.get_lemma(normalize_token(form), LANG) is not None


_FRENCH = FrenchLemmas(CopiedDictionaryFactory())
lemmatize = _FRENCH.lemmatize
is_known = _FRENCH.is_known
