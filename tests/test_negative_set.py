"""Clean French must come out byte-identical (promise 1: never make clean text worse).

The negative set (tests/data/clean/paragraphs.jsonl, see its README) is 340 original news
paragraphs, about half of them deliberately tempting: legitimate uses of phrases the glossary
watches. With the default configuration:
- repair() returns every paragraph unchanged, with no edit;
- detect() reports no calque, entity or boilerplate finding at or above the auto-apply threshold.
A failure names the paragraph and every rule that fired (id, source file:line, span), so the
glossary writers know which entry needs a counter-example or a context constraint.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

from mtrepair import Repairer

from robustness_support import default_config, load_clean_paragraphs

#: Categories whose confident findings on clean text count as false alarms.
WATCHED = ("calque", "entity", "boilerplate")

PARAGRAPHS = load_clean_paragraphs()
IDS = [p["id"] for p in PARAGRAPHS]


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(default_config())


def _describe(items) -> str:
    lines = []
    for x in items:
        span = getattr(x, "original", None)
        if span is None:
            span = x.span
        replacement = getattr(x, "replacement", None)
        if replacement is None:
            replacement = x.suggestions[0] if x.suggestions else "(report)"
        lines.append(
            f"  rule {x.rule} [{x.category}] from {x.source} conf {x.confidence:.2f}: "
            f"{span!r} -> {replacement!r} -- {x.explanation}"
        )
    return "\n".join(lines)


# --- the data itself ------------------------------------------------------------------------


def test_negative_set_is_large_varied_and_well_formed():
    assert len(PARAGRAPHS) >= 320
    assert len(set(IDS)) == len(IDS), "duplicate ids"
    topics = Counter(p["topic"] for p in PARAGRAPHS)
    assert set(topics) == {"tech", "business", "politics", "sport", "culture", "science", "health", "local"}
    assert min(topics.values()) >= 30
    assert sum("\n" in p["text"] for p in PARAGRAPHS) >= 15, "too few multi-line records"
    for p in PARAGRAPHS:
        text = p["text"]
        assert re.fullmatch(r"clean-\d{4}", p["id"])
        assert unicodedata.is_normalized("NFC", text), p["id"]
        # Typography already right: a space of some kind before ? ! ; : and inside « ».
        assert not re.search(r"\S[?!;:]", text), f"{p['id']}: missing space before high punctuation"
        assert not re.search(r"«\S|\S»", text), f"{p['id']}: missing space inside guillemets"
        for line in text.split("\n"):
            assert line and line == line.strip() and "  " not in line, f"{p['id']}: stray whitespace"


def test_negative_set_is_tempting():
    """At least 100 paragraphs use, legitimately, phrases that spun text abuses."""
    watched = [
        "garder à l", "personnel soignant", "quartier de la Défense", "joueurs du PSG", "abandonné la course",
        "restaurer", "élever des enfants", "groupe d", "pendant", "concernant", "relocalisation",
        "article du Monde", "individus", "communauté", "dédié", "en fait", "intelligence artificielle",
        "apprentissage automatique", "données massives", "en savoir plus", "publicité", "mission de",
        "élevé", "quartier", "membres du",
    ]
    tempting = [p for p in PARAGRAPHS if any(w.lower() in p["text"].lower().replace("’", "'") for w in watched)]
    assert len(tempting) >= 100, len(tempting)


# --- the promise ----------------------------------------------------------------------------


@pytest.mark.parametrize("record", PARAGRAPHS, ids=IDS)
def test_clean_paragraph_is_unchanged(repairer, record):
    text = record["text"]
    result = repairer.repair(text)
    assert result.text == text and not result.edits, (
        f"{record['id']} ({record['topic']}) was changed by {len(result.edits)} edit(s):\n"
        f"{_describe(result.edits)}\n  paragraph: {text!r}"
    )


def confident_alarms(repairer, text: str) -> list:
    """The findings on ``text`` of a WATCHED category at or above the auto-apply threshold."""
    threshold = repairer.config.min_confidence
    return [f for f in repairer.detect(text) if str(f.category) in WATCHED and f.confidence >= threshold]


@pytest.mark.parametrize("record", PARAGRAPHS, ids=IDS)
def test_clean_paragraph_raises_no_confident_alarm(repairer, record):
    alarms = confident_alarms(repairer, record["text"])
    assert not alarms, (
        f"{record['id']} ({record['topic']}): {len(alarms)} confident finding(s) on clean text:\n"
        f"{_describe(alarms)}\n  paragraph: {record['text']!r}"
    )


def test_whole_clean_set_as_one_document_is_unchanged(repairer):
    """Paragraphs joined one per line, as a scraped article would be: joins must not fire."""
    text = "\n".join(p["text"] for p in PARAGRAPHS[:120])
    result = repairer.repair(text)
    assert result.text == text, f"changed by:\n{_describe(result.edits[:20])}"
