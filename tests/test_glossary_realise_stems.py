"""The realiser conjugates a replacement like a matched verb whose stem changes its spelling
(épeler: épelle, acheter: achète), and a replacement it cannot build is shown fitted to the span's
edges (case, apostrophe, elision before the next word) rather than pasted raw. Also the context
window: require words are taken from the match's sentence only, forbid words from both sides."""

from __future__ import annotations

import pytest

import mtrepair
from mtrepair.config import RepairConfig
from mtrepair.glossary.lexicon import inflect_like
from mtrepair.glossary.realise import _as_written


@pytest.mark.parametrize("target, matched, lemma, expected", [
    ("expliquer", "épelle", "épeler", "explique"),      # doubled consonant
    ("expliquer", "épellent", "épeler", "expliquent"),
    ("expliquer", "achète", "acheter", "explique"),     # e -> è
    ("acheter", "cède", "céder", "achète"),              # é -> è on both sides
    ("souligner", "gardait", "garder", "soulignait"),   # a regular stem: unchanged behaviour
    ("préciser", "épelait", "épeler", "précisait"),
])
def test_a_stem_that_changed_its_spelling_is_undone_before_the_ending_moves(target, matched, lemma, expected):
    assert inflect_like(target, matched, lemma) == expected


def test_spun_reporting_verbs_with_a_changed_stem_are_repaired_in_their_tense():
    cfg = RepairConfig()
    assert mtrepair.repair("La ministre épelle qu'il faudra attendre.", cfg).text == (
        "La ministre explique qu'il faudra attendre.")
    assert mtrepair.repair("Les ministres épellent que la réforme attendra.", cfg).text == (
        "Les ministres expliquent que la réforme attendra.")
    # The same verb in its own sense is left alone.
    text = "La standardiste épelle le nom du client au téléphone."
    assert mtrepair.repair(text, cfg).text == text


def test_a_replacement_shown_as_written_keeps_the_spans_elision_case_and_apostrophe():
    assert _as_written("expliquer que", "épelle qu'", "'") == "expliquer qu'"
    assert _as_written("expliquer que", "épelle qu’", "’") == "expliquer qu’"
    assert _as_written("expliquer que", "Épelle que", "'") == "Expliquer que"
    assert _as_written("", "épelle qu'", "'") == ""


def test_require_words_are_looked_for_in_the_matchs_sentence_only():
    # BIZ-0100 (« élevée » -> « promue » next to « PDG »): the PDG of the next sentence is no
    # evidence that the inflation was promoted.
    cfg = RepairConfig()
    text = "Le gouverneur a noté que l'inflation restait trop élevée. Le PDG a annoncé d'autres rachats."
    assert mtrepair.repair(text, cfg).text == text
    assert mtrepair.repair("La directrice financière a été élevée PDG en janvier.", cfg).text == (
        "La directrice financière a été promue PDG en janvier.")


def test_forbid_words_still_protect_across_a_sentence_end():
    from mtrepair.glossary.engine import words_ok
    from mtrepair.glossary.loader import parse_text

    entries, errors = parse_text(
        'family: user-defined\nprefix: T\nentries:\n  - id: T-1\n    pattern: "=élevée"\n    replace: ["promue"]\n'
        '    category: calque\n    confidence: 0.8\n    mode: auto\n'
        '    context: {window: 3, require: ["=pdg"], forbid: ["=note"]}\n'
        '    example: "Elle a été élevée PDG."\n    expect: "Elle a été promue PDG."\n', "t.yaml")
    assert not errors
    entry = entries[0]
    words = ["la", "note", ".", "élevée", "pdg"]
    assert not words_ok(entry, words, 3, 4)            # a forbid word before the sentence end counts
    words = ["le", "pdg", ".", "élevée", "aujourd'hui"]
    assert not words_ok(entry, words, 3, 4)            # a require word there does not
    assert words_ok(entry, ["elle", "est", "élevée", "pdg"], 2, 3)
