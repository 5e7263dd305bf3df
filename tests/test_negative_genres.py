"""Clean French of other genres, layouts and formats must come out byte-identical (promise 1).

The second negative set (tests/data/clean/genres.jsonl, see the README there) holds original
records in the genres and layouts scraped French news also has: live blogs, results and tables,
weather, finance, court reporting quoting boilerplate phrases as content, interviews, recipes,
schedules, press releases, code and commands, hashtags, English quotations, verse, lists,
intertitles, capitals, abbreviations, and phrases the glossary watches used correctly.
The third (tests/data/clean/formats.jsonl) holds what scraped French text also looks like:
markdown, subtitles, e-mail headers, classified and job ads, obituaries, horoscopes, TV listings,
timetables and traffic, legal citations, bibliographies, science and units, maths, Québec,
Belgian and Swiss French, SMS and forums, quoted posts, infobox lines, FAQs, letters to the
editor, corrections, headlines in capitals or title case.
Both sets follow the rules as tests/test_negative_set.py (whose helpers this reuses):
- repair() returns every record unchanged, with no edit;
- detect() reports no calque, entity or boilerplate finding at or above the auto-apply threshold.

A record carrying ``"xfail": "<reason>"`` (repair changes it) or ``"xfail_detect": "<reason>"``
(detect raises a confident alarm) is a known false fix in a pass: the test expects the failure
(strict), so the mark must be removed when the pass is fixed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from mtrepair import Repairer

from robustness_support import default_config
from test_negative_set import _describe, confident_alarms

CLEAN_DIR = Path(__file__).resolve().parent / "data" / "clean"
GENRES_SET = CLEAN_DIR / "genres.jsonl"
FORMATS_SET = CLEAN_DIR / "formats.jsonl"

#: The genres the set must cover (see the README).
GENRES = {
    "live", "sport", "weather", "finance", "legal", "interview", "recipe", "schedule", "press", "tech",
    "social", "english", "poetry", "list", "heading", "caps", "abbrev", "tempting", "layout",
}
#: The formats of the third set (see the README).
FORMATS = {
    "markdown", "subtitles", "email", "ads", "obituary", "horoscope", "tv", "transport", "legalcite",
    "biblio", "science", "maths", "quebec", "bech", "sms", "tweet", "infobox", "faq", "letters",
    "erratum", "headline",
}
KEYS = {"id", "genre", "text", "xfail", "xfail_detect"}


def _load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


RECORDS = _load(GENRES_SET)
FORMAT_RECORDS = _load(FORMATS_SET)


def _params(mark_key: str) -> list:
    out = []
    for r in RECORDS + FORMAT_RECORDS:
        reason = r.get(mark_key)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        out.append(pytest.param(r, id=r["id"], marks=marks))
    return out


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(default_config())


# --- the data itself ------------------------------------------------------------------------


def test_genre_set_is_large_varied_and_well_formed():
    assert len(RECORDS) >= 150
    ids = [r["id"] for r in RECORDS]
    assert len(set(ids)) == len(ids), "duplicate ids"
    genres = Counter(r["genre"] for r in RECORDS)
    assert set(genres) == GENRES
    assert min(genres.values()) >= 5, genres
    assert sum("\n" in r["text"] for r in RECORDS) >= 60, "too few multi-line records"
    for r in RECORDS:
        text = r["text"]
        assert set(r) <= KEYS, f"{r['id']}: unknown keys {set(r) - KEYS}"
        assert re.fullmatch(r"genre-\d{4}", r["id"])
        for key in ("xfail", "xfail_detect"):
            assert key not in r or (isinstance(r[key], str) and len(r[key]) > 20), f"{r['id']}: {key} needs a reason"
        assert unicodedata.is_normalized("NFC", text), r["id"]
        # Typography already right: a space of some kind inside « » (English quotations and code
        # may go without a space before ? ! ; :, so that is not checked here).
        assert not re.search(r"«\S|\S»", text), f"{r['id']}: missing space inside guillemets"
        for line in text.split("\n"):
            body = line[4:] if line.startswith("    ") and r["genre"] == "tech" else line  # indented code
            assert body and body == body.strip() and "  " not in body, f"{r['id']}: stray whitespace"


def test_format_set_is_large_varied_and_well_formed():
    assert len(FORMAT_RECORDS) >= 200
    ids = [r["id"] for r in FORMAT_RECORDS]
    assert len(set(ids)) == len(ids), "duplicate ids"
    formats = Counter(r["genre"] for r in FORMAT_RECORDS)
    assert set(formats) == FORMATS
    assert min(formats.values()) >= 10, formats
    assert sum("\n" in r["text"] for r in FORMAT_RECORDS) >= 80, "too few multi-line records"
    for r in FORMAT_RECORDS:
        text = r["text"]
        assert set(r) <= KEYS, f"{r['id']}: unknown keys {set(r) - KEYS}"
        assert re.fullmatch(r"format-\d{4}", r["id"])
        for key in ("xfail", "xfail_detect"):
            assert key not in r or (isinstance(r[key], str) and len(r[key]) > 20), f"{r['id']}: {key} needs a reason"
        assert unicodedata.is_normalized("NFC", text), r["id"]
        # Québec outlets, SMS, subject lines (« Re: ») and « RT @x: » go without a space before
        # ? ! ; :, so only the guillemets are checked. Markdown, subtitles and e-mails keep their
        # blank lines (empty lines are allowed, never spaces at a line end).
        assert not re.search(r"«\S|\S»", text), f"{r['id']}: missing space inside guillemets"
        assert text == text.strip(), f"{r['id']}: stray whitespace"
        for line in text.split("\n"):
            assert line == line.strip() and "  " not in line, f"{r['id']}: stray whitespace"


def test_format_set_is_tempting():
    """A third of the format records use phrases the glossary or boilerplate rules watch."""
    watched = [
        "restauration", "poste", "partag", "abandonn", "élevé", "intimité", "patrie", "maréchaussée",
        "démarrage", "garder à l", "gardez à l", "gardé à l", "se connecter", "connectez-vous",
        "mot de passe", "télécharger l", "abonnez-vous", "s'abonner", "par courriel", "quartier", "révélé",
        "main", "contact", "cliquez", "nuage", "apprentissage profond", "réunion du conseil", "inclus",
        "dus au", "expulsion", "assigné", "agissant", "libération", "reddition", "individus", "composé",
        "verbalisé", "surligné", "annoté", "informés que", "soulev", "élaboré", "articulé", "location",
        "chaise", "costume", "conseils", "laissez", "momentané", "décharge", "inscrivez", "publicité",
        "accueil", "équipe", "fermeture", "fermé", "pendant", "communauté", "mis à jour", "modifié le",
    ]
    tempting = [r for r in FORMAT_RECORDS if any(w in r["text"].lower().replace("’", "'") for w in watched)]
    assert len(tempting) >= len(FORMAT_RECORDS) // 3, len(tempting)


def test_genre_set_is_tempting():
    """Many records use glossary phrases or boilerplate words as legitimate content."""
    assert Counter(r["genre"] for r in RECORDS)["tempting"] >= 40
    lines = [ln for r in RECORDS for ln in r["text"].split("\n")]
    one_word_lines = [ln for ln in lines if re.fullmatch(r"\w[\w-]*", ln)]
    assert len(one_word_lines) >= 15, "too few one-word lines (headings, list items) next to content"


# --- the promise ----------------------------------------------------------------------------


@pytest.mark.parametrize("record", _params("xfail"))
def test_clean_genre_record_is_unchanged(repairer, record):
    text = record["text"]
    result = repairer.repair(text)
    assert result.text == text and not result.edits, (
        f"{record['id']} ({record['genre']}) was changed by {len(result.edits)} edit(s):\n"
        f"{_describe(result.edits)}\n  record: {text!r}"
    )


@pytest.mark.parametrize("record", _params("xfail_detect"))
def test_clean_genre_record_raises_no_confident_alarm(repairer, record):
    alarms = confident_alarms(repairer, record["text"])
    assert not alarms, (
        f"{record['id']} ({record['genre']}): {len(alarms)} confident finding(s) on clean text:\n"
        f"{_describe(alarms)}\n  record: {record['text']!r}"
    )
