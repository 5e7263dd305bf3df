"""Clean French of other genres and layouts must come out byte-identical (promise 1).

The second negative set (tests/data/clean/genres.jsonl, see the README there) holds original
records in the genres and layouts scraped French news also has: live blogs, results and tables,
weather, finance, court reporting quoting boilerplate phrases as content, interviews, recipes,
schedules, press releases, code and commands, hashtags, English quotations, verse, lists,
intertitles, capitals, abbreviations, and phrases the glossary watches used correctly.
Same rules as tests/test_negative_set.py (whose helpers this reuses):
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

GENRES_SET = Path(__file__).resolve().parent / "data" / "clean" / "genres.jsonl"

#: The genres the set must cover (see the README).
GENRES = {
    "live", "sport", "weather", "finance", "legal", "interview", "recipe", "schedule", "press", "tech",
    "social", "english", "poetry", "list", "heading", "caps", "abbrev", "tempting", "layout",
}
KEYS = {"id", "genre", "text", "xfail", "xfail_detect"}


def _load() -> list[dict]:
    with GENRES_SET.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


RECORDS = _load()


def _params(mark_key: str) -> list:
    out = []
    for r in RECORDS:
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
