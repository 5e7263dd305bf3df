"""simplemma's French lemmatiser, with its dictionary loaded from a faster copy.

simplemma ships its dictionary front-coded and decodes it in Python on first use (~0.15 s
of CPU, the largest part of the glossary's start-up). Here the decoded table — the very same
``bytes -> bytes`` dict, same order — is kept in mtrepair's cache folder as two
newline-joined byte strings, which one ``split`` each and one ``dict(zip(...))`` rebuild
(~0.05 s). The table is wrapped in simplemma's own ``MappingStrToByteString`` and handed to
simplemma's own ``Lemmatizer``/``DefaultStrategy``/``DictionaryLookupStrategy`` through their
public ``dictionary_factory`` parameter, so every lookup runs simplemma's code on equal data:

* :func:`lemmatize` is ``simplemma.lemmatize(form, lang="fr")`` (the legacy function builds
  ``Lemmatizer(lemmatization_strategy=DefaultStrategy())``, whose strategies all read the
  dictionary through that one factory);
* :func:`is_known` is ``simplemma.is_known(form, lang="fr")`` (a ``DictionaryLookupStrategy``
  over the same factory, after the same input checks and NFC normalisation).

Tests compare both with simplemma's functions on every key of the dictionary and on corpus
forms. The copy's file name hashes simplemma's version and its shipped data file, so another
simplemma never reads a stale table; any failure (cache off, read-only folder, corrupt file)
falls back to simplemma's own loading.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
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

from . import cache

LANG = "fr"
_SEP = b"\n"
_SPLIT = b"\0"


def _header(body_size: int) -> bytes:
    return b"mtrepair simplemma table 1 %d" % body_size


def _table_path(lang: str) -> Path | None:
    d = cache.folder()
    if d is None:
        return None
    try:
        data = (DATA_FOLDER / f"{lang}.plzma").read_bytes()
    except OSError:
        return None
    h = hashlib.sha256(simplemma.__version__.encode() + b"\0" + data).hexdigest()[:32]
    return d.parent / "simplemma" / f"{lang}-{h}.bin"


def _read_table(path: Path) -> dict[bytes, bytes] | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    header, _, body = raw.partition(_SEP)
    if header != _header(len(body)):
        return None  # another format, or a file cut short
    keys, sep, values = body.partition(_SPLIT)
    if not sep:
        return None
    k, v = keys.split(_SEP), values.split(_SEP)
    if len(k) != len(v):
        return None
    table = dict(zip(k, v))
    return table if len(table) == len(k) else None


def _write_table(path: Path, mapping: Mapping[str, str]) -> None:
    keys = [key.encode() for key in mapping]
    values = [mapping[key].encode() for key in mapping]
    if any(_SEP in x or _SPLIT in x for x in keys + values):
        return  # not representable in this format: keep simplemma's loading
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        body = _SEP.join(keys) + _SPLIT + _SEP.join(values)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_header(len(body)) + _SEP + body)
        os.replace(tmp, path)
        for old in path.parent.glob(f"{path.name.split('-')[0]}-*.bin"):  # copies for other versions
            if old != path:
                old.unlink()
    except Exception:  # noqa: BLE001 - a cache must never break lemmatising
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


class CopiedDictionaryFactory(CachingDictionaryFactory):
    """simplemma's dictionaries, loaded from the copy in the cache folder when there is one."""

    __slots__ = ()

    def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
        path = _table_path(lang)
        if path is not None:
            table = _read_table(path)
            if table is not None:
                return MappingStrToByteString(table)
        mapping = DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)
        if path is not None:
            _write_table(path, mapping)
        return mapping


_FACTORY = CopiedDictionaryFactory()
_LEMMATIZER = simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_FACTORY))
_LOOKUP = DictionaryLookupStrategy(_FACTORY)


def lemmatize(form: str) -> str:
    """``simplemma.lemmatize(form, lang="fr")``."""
    return _LEMMATIZER.lemmatize(form, LANG)


def is_known(form: str) -> bool:
    """``simplemma.is_known(form, lang="fr")``."""
    if not isinstance(form, str):
        raise TypeError(f"Wrong input type, expected string, got {type(form)}")
    if form == "":
        raise ValueError("Wrong input value: empty string")
    return _LOOKUP.get_lemma(normalize_token(form), LANG) is not None
