"""The cached English/French Zipf table gives the language test the same answers as wordfreq."""

from __future__ import annotations

import random

import pytest

wordfreq = pytest.importorskip("wordfreq")

from mtrepair.entities import language, zipf_table  # noqa: E402


@pytest.fixture(scope="module")
def dicts():
    return {lang: wordfreq.get_frequency_dict(lang, "best") for lang in ("en", "fr")}


@pytest.fixture(scope="module")
def table(dicts):
    built = zipf_table.build_table(dicts)
    assert built is not None
    return built


def verdicts(en: float, fr: float) -> tuple[str, bool]:
    """word_language's and could_be_english's answers for these Zipf values (stop words aside)."""
    if en >= language.ENGLISH_MIN_ZIPF and en >= fr + language.ENGLISH_MARGIN:
        lang = "en"
    elif fr >= language.FRENCH_MIN_ZIPF and fr + language.ENGLISH_MARGIN > en:
        lang = "fr"
    else:
        lang = "?"
    return lang, not (fr >= language.FRENCH_MIN_ZIPF and en < language.ENGLISH_MIN_ZIPF)


def test_every_stored_word_has_wordfreqs_own_values(table):
    assert len(table.words) > 50_000  # both languages' common words
    for i, key in enumerate(table.words):
        word = key.decode("utf-8")
        assert table.zipf(word) == language.zipf_pair_reference(word), word
        assert max(table.en[i], table.fr[i]) >= zipf_table.CUTOFF * 100


def test_plain_words_left_out_are_below_the_cutoff_in_both_languages(dicts, table):
    stored = set(table.words)
    left_out = sorted(w for d in dicts.values() for w in d
                      if zipf_table.PLAIN.fullmatch(w) and w.encode() not in stored)
    rng = random.Random(7)
    sample = rng.sample(left_out, 5000) + ["zzyzx", "quetzalcoatlus", "blorfendale", "énormissimement"]
    for word in sample:
        assert table.zipf(word) == (0.0, 0.0)
        en, fr = language.zipf_pair_reference(word)
        assert max(en, fr) < zipf_table.CUTOFF, word
        assert verdicts(en, fr) == verdicts(0.0, 0.0), word


def test_words_that_are_not_plain_are_left_to_wordfreq(table):
    for word in ("aujourd'hui", "co-fondateur", "covid-19", "u.s.", "straße", "Apple", "ﬁnance", "東京", ""):
        assert table.zipf(word) is None


def test_the_language_verdicts_are_wordfreqs_on_news_words():
    words = ("effect", "impact", "tour", "trip", "details", "information", "venturebeat", "journal",
             "monde", "quartier", "communauté", "employés", "individus", "souligné", "gardé", "esprit",
             "the", "and", "startup", "cloud", "aujourd'hui", "intelligence", "artificielle", "open",
             "source", "chef", "manager", "week-end", "e-mail", "2024", "microsoft", "openai")
    for word in words:
        if max(language.zipf_pair_reference(word)) >= zipf_table.CUTOFF:
            assert language.zipf_pair(word) == language.zipf_pair_reference(word), word
        assert verdicts(*language.zipf_pair(word)) == verdicts(*language.zipf_pair_reference(word)), word


def test_the_copy_is_written_read_back_and_refused_when_altered(tmp_path, monkeypatch, table):
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", str(tmp_path))
    path = zipf_table.table_path()
    assert path is not None and path.parent == tmp_path / "wordfreq"
    zipf_table.write_table(path, table)
    read = zipf_table.read_table(path)
    assert read is not None and read.words == table.words and read.en == table.en and read.fr == table.fr
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 0xFF
    path.write_bytes(bytes(raw))
    assert zipf_table.read_table(path) is None
    assert zipf_table.load() is not None  # rebuilt from wordfreq
    assert zipf_table.read_table(path) is not None  # and stored again


def test_no_cache_folder_still_builds_the_table(monkeypatch):
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", "off")
    assert zipf_table.table_path() is None
    built = zipf_table.load()
    assert built is not None and built.zipf("information") == language.zipf_pair_reference("information")


def test_hyphenated_words_are_read_from_the_table_as_wordfreq_combines_them():
    # wordfreq splits « notre-dame » into its parts and combines their frequencies; the table gives
    # the same values, so a hyphenated name no longer loads wordfreq's whole list (60 MB).
    for word in ("notre-dame", "saint-étienne", "beaux-arts", "week-end", "e-mail", "grand-mère",
                 "porte-parole", "start-up", "high-tech", "jean-pierre", "aix-en-provence", "face-à-face"):
        pair, ref = language.zipf_pair(word), language.zipf_pair_reference(word)
        assert verdicts(*pair) == verdicts(*ref), word
        if min(ref) >= zipf_table.CUTOFF:
            assert pair == ref, word


def test_a_repair_with_hyphenated_names_numbers_and_possessives_does_not_load_wordfreq():
    import subprocess
    import sys

    code = ("import sys, mtrepair; mtrepair.repair('La cathédrale Notre-Dame et le musée des Beaux-Arts de "
            "Saint-Étienne rouvrent au public. Le plan Horizon 2030 prévoit un nouveau McDonald\\'s Express. "
            "Score final : PSG 2-1 OM.'); print('wordfreq' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr[-2000:]
