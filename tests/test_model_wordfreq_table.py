"""The cached copy of wordfreq's OOV frequencies (mtrepair.model.wordfreq_table) gives the
model the very values of wordfreq's dict: every entry compared, and OOV log-probabilities
with the copy, without it, and with a corrupt copy are equal."""

from __future__ import annotations

import pytest

pytest.importorskip("wordfreq")

from wordfreq import get_frequency_dict  # noqa: E402

from mtrepair.model import default_model_path, wordfreq_table  # noqa: E402
from mtrepair.model.ngram import NgramModel, wordfreq_total_reference  # noqa: E402
from mtrepair.model.text import has_digit  # noqa: E402

WORDS = ["zorglubesque", "anticonstitutionnellement", "mégabassines", "xyzzyqux", "covidé",
         "wokisme", "la", "président", "2024", "covid19", "œuvrèrent", "straße", "", "zzzzzz",
         "a", "ﬁnance", "naïvement", "coûteuses", "ébouriffantes", "the", "\U0001f600"]


def _fresh() -> NgramModel:
    return NgramModel(default_model_path())


def _values(model: NgramModel, words) -> list[float]:
    return [model.oov_logprob(w) for w in words]


@pytest.fixture(scope="module")
def freqs():
    return get_frequency_dict("fr", wordlist="best")


@pytest.fixture()
def cached(tmp_path, monkeypatch):
    """A cache folder holding the copy written by a first model."""
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", str(tmp_path))
    first = _fresh()
    first.oov_logprob("zorglubesque")
    assert first._wf_table is False and first._wf is not None  # loaded wordfreq, wrote the copy
    path = wordfreq_table.table_path(str(first.meta["content_hash"]))
    assert path is not None and path.is_file()
    return path


def test_every_entry_is_the_dicts(cached, freqs):
    model = _fresh()
    table = wordfreq_table.read_table(cached)
    assert table is not None
    covered = [w for w in freqs if w not in model.vocab and not has_digit(w)]
    assert len(table.words) == len(covered) > 100_000
    assert all(table.frequency(w) == freqs[w] for w in covered)
    others = [w + "zq" for w in covered[:2000]] + ["", "\uffff", "zzzzzzzz", "a" * 40, "\ud800ab"]
    others = [w for w in others if w not in model.vocab and not has_digit(w)]  # the ones it covers
    assert all(table.frequency(w) == freqs.get(w, 0.0) for w in others)
    assert table.total == wordfreq_total_reference(freqs, model.vocab)


def test_model_with_the_copy_equals_the_model_without(cached, monkeypatch):
    with_copy = _fresh()
    got = _values(with_copy, WORDS)
    assert with_copy._wf_table  # read the copy...
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", "off")
    without = _fresh()
    assert _values(without, WORDS) == got
    assert without._wf_table is False and without._wf is not None
    assert with_copy._wf_total == without._wf_total
    text = "Les mégabassines zorglubesques de 2024 divisent la Straße."
    assert with_copy.logprob(text) == without.logprob(text)


def test_only_covered_words_avoid_the_dict(cached):
    model = _fresh()
    model.oov_logprob("zorglubesque")
    assert model._wf is None  # the copy answered
    model.oov_logprob("président")  # in the vocabulary: the dict answers
    assert model._wf is not None


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty"])
def test_a_damaged_copy_is_ignored(cached, damage):
    raw = cached.read_bytes()
    if damage == "truncate":
        cached.write_bytes(raw[: len(raw) // 2])
    elif damage == "flip":
        i = len(raw) // 2
        cached.write_bytes(raw[:i] + bytes([raw[i] ^ 1]) + raw[i + 1 :])
    else:
        cached.write_bytes(b"")
    assert wordfreq_table.read_table(cached) is None
    model = _fresh()
    reference = _values(model, WORDS)
    assert model._wf_table is False  # fell back to wordfreq (and rewrote the copy)
    assert wordfreq_table.read_table(cached) is not None
    assert _values(_fresh(), WORDS) == reference


def test_cache_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", "off")
    assert wordfreq_table.table_path("abc") is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _fresh().oov_logprob("zorglubesque")
    assert not any(tmp_path.rglob("*.bin"))
