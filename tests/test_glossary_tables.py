"""Compiling from the pattern tables kept on disk gives the same matcher as computing them."""

from __future__ import annotations

import pytest

from mtrepair.config import RepairConfig
from mtrepair.glossary import load_glossary, tables
from mtrepair.glossary.engine import Matcher


@pytest.fixture()
def entries():
    return list(load_glossary(RepairConfig()).entries)


def _signature(m: Matcher):
    return ([(c.entry.id, c.tokens, c.text, c.prefix) for c in m.compiled], m._lemma_sym,
            sorted((k, v[0], [(c.entry.id, c.tokens, w, s) for c, w, s in v[1]]) for k, v in m.automaton.items()))


def test_tables_read_back_equal_their_definition(entries, tmp_path, monkeypatch):
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", str(tmp_path))
    assert len(entries) >= tables.MIN_ENTRIES
    want = tables.pattern_tables_reference(entries)
    first = tables.pattern_tables(entries)  # computed and written
    assert list((tmp_path / "glossary").glob("tables-*.json"))
    again = tables.pattern_tables(entries)  # read back
    assert first == want and again == want
    assert [[[type(t) for t in seq] for seq in seqs] for seqs in again[0]] == \
        [[[type(t) for t in seq] for seq in seqs] for seqs in want[0]]


def test_a_matcher_from_the_kept_tables_is_the_same(entries, tmp_path, monkeypatch):
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", str(tmp_path))
    Matcher(entries)  # writes the tables
    from_disk = _signature(Matcher(entries))
    monkeypatch.setattr(tables, "MIN_ENTRIES", 10 ** 9)
    assert from_disk == _signature(Matcher(entries))


def test_other_patterns_or_a_corrupt_file_compute_afresh(entries, tmp_path, monkeypatch):
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", str(tmp_path))
    tables.pattern_tables(entries)
    for f in (tmp_path / "glossary").glob("tables-*.json"):
        f.write_text('{"variants": [], "lemmas": {}, "classes": {}}', encoding="utf-8")
    assert tables.pattern_tables(entries) == tables.pattern_tables_reference(entries)
    fewer = entries[1:]
    assert tables.pattern_tables(fewer) == tables.pattern_tables_reference(fewer)
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", "off")
    assert tables.pattern_tables(entries) == tables.pattern_tables_reference(entries)
