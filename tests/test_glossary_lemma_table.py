"""The lemmatiser over the cached copy of simplemma's dictionary is simplemma's lemmatiser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import simplemma
from simplemma.strategies import DEFAULT_DICTIONARY_FACTORY, DefaultStrategy, DictionaryLookupStrategy

from mtrepair import cache
from mtrepair.glossary import lemma_table
from mtrepair.tokens import tokenize

CLEAN = Path(__file__).parent / "data" / "clean" / "paragraphs.jsonl"
ODD = ["", "a", "A", "L'État", "l’État", "aujourd'hui", "Aujourd’hui", "ʼa", "porte-parole", "Porte-Parole",
       "soixante-dix", "12", "3,5", "XIV", "ⅷ", "一", "İstanbul", "ΟΔΟΣ", "e\u0301té", "Ete", "ÉTÉ", "qu'", "jusqu'à",
       "sur-le-champ", "anti-covid", "re-démarrer", "x" * 40, "ſ", "œuvre", "Œuvres", "ﬁn", "-", "'", "a-", "-a"]


def _corpus_forms() -> list[str]:
    forms: dict[str, None] = {}
    for line, _ in zip(CLEAN.open(encoding="utf-8"), range(400)):
        for t in tokenize(json.loads(line)["text"]):
            forms[t.text] = None
            forms[t.norm] = None
    return list(forms)


def _same(f, g, form):
    try:
        want = f(form)
    except Exception as exc:  # noqa: BLE001 - the same error either way
        with pytest.raises(type(exc)):
            g(form)
        return
    assert g(form) == want, repr(form)


@pytest.fixture()
def copied(tmp_path, monkeypatch):
    """A factory that wrote the copy, and one that read it back."""
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", str(tmp_path))
    writer = lemma_table.CopiedDictionaryFactory()
    writer.get_dictionary("fr")
    path = lemma_table._table_path("fr")
    assert path is not None and path.is_file()
    reader = lemma_table.CopiedDictionaryFactory()
    return reader


def test_the_copy_is_simplemmas_table_in_the_same_order(copied):
    got = copied.get_dictionary("fr")
    assert isinstance(got, lemma_table.MappingStrToByteString)
    want = DEFAULT_DICTIONARY_FACTORY.get_dictionary("fr")
    assert list(got) == list(want)
    assert all(got[k] == want[k] for k in want)


def test_lemmas_and_known_forms_over_the_copy_equal_simplemmas(copied):
    lemmatizer = simplemma.Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=copied))
    lookup = DictionaryLookupStrategy(copied)
    forms = list(DEFAULT_DICTIONARY_FACTORY.get_dictionary("fr")) + _corpus_forms() + ODD
    for form in forms:
        _same(lambda f: simplemma.lemmatize(f, lang="fr"), lambda f: lemmatizer.lemmatize(f, "fr"), form)
    for form in [f for f in _corpus_forms() + ODD if f]:  # (input checks: test_module_functions...)
        _same(lambda f: simplemma.is_known(f, lang="fr"),
              lambda f: lookup.get_lemma(simplemma.utils.normalize_token(f), "fr") is not None, form)


def test_lemmas_read_from_the_copy_equal_simplemmas(copied):
    """The one-look-up path, on every key of the table (where it answers) and on other forms."""
    lemmas = lemma_table.FrenchLemmas(copied)
    assert lemmas.lemmatize("gardée") == simplemma.lemmatize("gardée", lang="fr")
    assert lemmas._copy is not None
    for form in list(DEFAULT_DICTIONARY_FACTORY.get_dictionary("fr")) + _corpus_forms() + ODD + ["a\ud800"]:
        _same(lambda f: simplemma.lemmatize(f, lang="fr"), lemmas.lemmatize, form)


def test_overrides_are_simplemmas_lemmas_where_they_differ_from_the_table(monkeypatch):
    mapping = {"gardée": "gardé", "zorglub": "zorglub", "chevaux": "cheval"}
    monkeypatch.setattr(simplemma, "lemmatize", lambda k, lang: {"gardée": "garder"}.get(k, mapping[k]))
    assert lemma_table._overrides("fr", mapping) == {"gardée": "garder"}


def test_module_functions_equal_simplemmas():
    for form in _corpus_forms() + ODD + [w.upper() for w in _corpus_forms()[:2000]]:
        _same(lambda f: simplemma.lemmatize(f, lang="fr"), lemma_table.lemmatize, form)
        _same(lambda f: simplemma.is_known(f, lang="fr"), lemma_table.is_known, form)


def test_a_corrupt_or_missing_copy_falls_back_to_simplemma(tmp_path, monkeypatch):
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", str(tmp_path))
    path = lemma_table._table_path("fr")
    path.parent.mkdir(parents=True)
    assert cache.write_checked(path, lemma_table._TAG, b"a\nb\0c\0d\0e")  # two keys, one value
    assert lemma_table._read_table(path) is None
    assert cache.write_checked(path, lemma_table._TAG, b"a\0b\0c")  # three parts, not four
    assert lemma_table._read_table(path) is None
    path.write_bytes(path.read_bytes()[:-2])  # cut short
    assert lemma_table._read_table(path) is None
    got = lemma_table.CopiedDictionaryFactory().get_dictionary("fr")
    assert got.get("gardée") == DEFAULT_DICTIONARY_FACTORY.get_dictionary("fr").get("gardée")
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", "off")
    assert lemma_table._table_path("fr") is None
    assert lemma_table.CopiedDictionaryFactory().get_dictionary("fr") is DEFAULT_DICTIONARY_FACTORY.get_dictionary("fr")


def test_writing_a_copy_removes_the_copies_of_other_versions(tmp_path, monkeypatch):
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", str(tmp_path))
    path = lemma_table._table_path("fr")
    path.parent.mkdir(parents=True)
    stale = path.parent / "fr-0123456789abcdef.bin"
    stale.write_bytes(b"old")
    lemma_table.CopiedDictionaryFactory().get_dictionary("fr")
    assert path.is_file() and not stale.exists()


def test_an_unwritable_cache_folder_costs_no_override_computation(tmp_path, monkeypatch):
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", str(tmp_path))
    (tmp_path / "simplemma").write_text("a file where the folder should be")
    monkeypatch.setattr(lemma_table, "_overrides", lambda *a: pytest.fail("computed for nothing"))
    got = lemma_table.CopiedDictionaryFactory().get_dictionary("fr")
    assert got is DEFAULT_DICTIONARY_FACTORY.get_dictionary("fr")
    assert list(tmp_path.iterdir()) == [tmp_path / "simplemma"]
