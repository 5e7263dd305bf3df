"""The n-gram model's few-positions scoring path (the model gate's size) equals the plain
definition bit for bit, on realistic French, with and without the in-domain component, on
both sides of the size threshold."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from mtrepair.model import load_model
from mtrepair.model import ngram
from mtrepair.model.ngram import NgramModel
from mtrepair.model.text import lm_tokens

CLEAN = Path(__file__).parent / "data" / "clean" / "paragraphs.jsonl"

EXTRA = [
    "L'entreprise a gardé à l'esprit que l'intelligence fabriquée par l'homme changerait tout.",
    "Ils ont 3,5 % de parts ; aujourd'hui, c'est-à-dire jusqu'à présent, rien n'a changé…",
    "ΟΔΟΣ Σ'ΑΓΑΠΩ: ſ'abord İstanbul a voté «oui» l'an passé, zorglubesque.",
    "",
]


@pytest.fixture(scope="module", params=["default", "general only"])
def model(request):
    m = load_model()
    return m if request.param == "default" else NgramModel(m.path, domain_weight=0.0)


def _sentences(n: int) -> list[list[str]]:
    paras = [json.loads(line)["text"] for line, _ in zip(CLEAN.open(encoding="utf-8"), range(n))]
    return [lm_tokens(s) for p in paras + EXTRA for s in p.split(". ")]


def test_few_positions_equal_the_reference(model):
    lists = _sentences(60)
    rng = random.Random(7)
    checked = 0
    for _ in range(150):
        batch = rng.sample(lists, rng.randint(1, 6))
        seq = model._batch(batch)[0]
        pos = np.flatnonzero(seq != 0)
        assert pos.size <= ngram._FEW_POSITIONS
        fast = model._score_positions(seq, pos)
        assert np.array_equal(fast, model._score_few_positions(seq, pos))
        assert np.array_equal(fast, model._score_positions_reference(seq, pos))
        # an arbitrary increasing subset of the positions (re-scored windows)
        sub = np.array(sorted(rng.sample(list(pos), max(1, pos.size // 3))), dtype=np.int64)
        assert np.array_equal(model._score_positions(seq, sub), model._score_positions_reference(seq, sub))
        checked += pos.size
    assert checked > 2000


def test_both_sides_of_the_threshold(model):
    seq = model._batch(_sentences(120))[0]
    pos = np.flatnonzero(seq != 0)
    assert pos.size > ngram._FEW_POSITIONS + 10
    for n in (1, 2, ngram._FEW_POSITIONS - 1, ngram._FEW_POSITIONS, ngram._FEW_POSITIONS + 1, pos.size):
        p = pos[:n]
        assert np.array_equal(model._score_positions(seq, p), model._score_positions_reference(seq, p)), n


def test_logprob_many_unchanged_by_the_path(model, monkeypatch):
    texts = [" ".join(t) for t in _sentences(10)]
    few = model.logprob_many(texts[:5])
    monkeypatch.setattr(ngram, "_FEW_POSITIONS", 0)  # force the sorted look-ups
    assert np.array_equal(few, model.logprob_many(texts[:5]))
