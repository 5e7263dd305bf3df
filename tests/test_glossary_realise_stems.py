"""The realiser conjugates a replacement like a matched verb whose stem changes its spelling
(épeler: épelle, acheter: achète), and a replacement it cannot build is shown fitted to the span's
edges (case, apostrophe, elision before the next word) rather than pasted raw."""

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
