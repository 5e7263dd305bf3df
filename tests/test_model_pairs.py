"""The embedded model prefers clean news sentences to the same sentences with a calque.

tests/data/model_pairs.tsv: ``clean<TAB>spun`` pairs written for mtrepair (news-like
sentences; the spun side carries one calque typical of spinning + machine translation).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mtrepair.model import load_model

PAIRS = Path(__file__).parent / "data" / "model_pairs.tsv"
#: The issue's bar. The general model alone (debates, plays, Wikisource, Tatoeba) reached
#: 88.7 % (205/231): the corpus register preferred the calque ("a été tiré" over "a été
#: limogé", "l'orateur" over "le porte-parole"). Interpolated with the in-domain news
#: component (mtrepair/model/build_domain.py; weight chosen on the DEV pairs
#: tests/data/model_pairs_dev.tsv, never on these TEST pairs) it prefers the clean sentence
#: in the share given in README "Reference model".
MIN_ACCURACY = 0.90


def read_pairs() -> list[tuple[str, str]]:
    rows = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            clean, spun = line.split("\t")
            rows.append((clean, spun))
    return rows


def test_pairs_file_is_large_and_well_formed():
    rows = read_pairs()
    assert len(rows) >= 200
    assert all(c != s for c, s in rows)
    assert len({s for _, s in rows}) == len(rows)


def test_embedded_model_prefers_clean_sentences():
    model = load_model()
    rows = read_pairs()
    clean = model.logprob_many([c for c, _ in rows])
    spun = model.logprob_many([s for _, s in rows])
    wins = clean > spun
    accuracy = float(wins.mean())
    failures = [rows[i] for i in range(len(rows)) if not wins[i]]
    assert accuracy >= MIN_ACCURACY, (accuracy, failures[:20])


def test_shuffled_sentences_lose():
    """Sanity: word salad made of the clean sentence's own words scores lower."""
    model = load_model()
    rows = read_pairs()[:50]
    worse = 0
    for clean, _ in rows:
        words = clean.rstrip(".").split()
        salad = " ".join(words[::2] + words[1::2]) + "."
        worse += model.logprob(salad) < model.logprob(clean)
    assert worse >= 48
