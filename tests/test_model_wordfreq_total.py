"""The stored wordfreq total ``F`` (wordfreq_total.json) is the value the model computes, and
a missing or stale file falls back to computing it: OOV log-probabilities never change."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("wordfreq")

from wordfreq import get_frequency_dict  # noqa: E402

from mtrepair.model import default_model_path, load_model  # noqa: E402
from mtrepair.model.ngram import (WORDFREQ_TOTAL_FILE, NgramModel,  # noqa: E402
                                  wordfreq_total_reference)

OOV = ["zorglubesque", "anticonstitutionnellement", "mégabassines", "xyzzyqux", "covidé", "wokisme"]


@pytest.fixture(scope="module")
def model():
    return load_model()


def _linked_copy(tmp_path, stored: dict | None):
    """The shipped model's files, linked into ``tmp_path``, with ``stored`` as the total file."""
    for p in default_model_path().iterdir():
        if p.name != WORDFREQ_TOTAL_FILE:
            (tmp_path / p.name).symlink_to(p)
    if stored is not None:
        (tmp_path / WORDFREQ_TOTAL_FILE).write_text(json.dumps(stored), encoding="utf-8")
    return NgramModel(tmp_path)


def test_shipped_total_is_the_computed_one(model):
    stored = model._stored_wordfreq_total()
    assert stored is not None, "wordfreq_total.json is stale: run write_wordfreq_total"
    assert stored == wordfreq_total_reference(get_frequency_dict("fr", wordlist="best"), model.vocab)


@pytest.mark.parametrize("stored", [None, "stale hash", "other version", "garbage"])
def test_missing_or_stale_file_computes_the_same_values(model, tmp_path, stored):
    good = json.loads((default_model_path() / WORDFREQ_TOTAL_FILE).read_text(encoding="utf-8"))
    content = {None: None, "stale hash": {**good, "content_hash": "0" * 64},
               "other version": {**good, "wordfreq": "0.0", "total": (1.0).hex()},
               "garbage": {"total": "not a float"}}[stored]
    other = _linked_copy(tmp_path, content)
    assert other._stored_wordfreq_total() is None
    fresh = NgramModel(default_model_path())
    assert [other.oov_logprob(w) for w in OOV] == [fresh.oov_logprob(w) for w in OOV]
    assert other._wf_total == fresh._wf_total
    assert other.logprob("Les mégabassines zorglubesques divisent.") == fresh.logprob(
        "Les mégabassines zorglubesques divisent.")
