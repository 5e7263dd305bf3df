"""The fast paths of the unlisted-phrase pass and of the n-gram scoring equal their plain
definitions exactly (same tokens, same floats, same findings)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.model import load_model
from mtrepair.model.text import (lm_token_pieces, lm_tokens, lm_tokens_positions,
                                 lm_tokens_positions_reference, lm_tokens_with_offsets,
                                 piece_offsets, splice_tokens, splice_tokens_reference)
from mtrepair.model.unlisted import UnlistedPhrasePass

CLEAN = Path(__file__).parent / "data" / "clean" / "paragraphs.jsonl"

FRENCH = [
    "Le ministre avait stressé que la réforme serait votée avant l'été.",
    "« Nous avons sous-estimé la demande », a reconnu le directeur général, alors que les ventes reculent.",
    "L'entreprise a gardé à l'esprit que l'intelligence fabriquée par l'homme changerait tout.",
    "Selon la presse, un chef exécutif de l'entreprise a présenté sa démission lundi — sans préavis.",
    "Ils ont 3,5 % de parts ; aujourd'hui, c'est-à-dire jusqu'à présent, rien n'a changé…",
    "ΟΔΟΣ Σ'ΑΓΑΠΩ: ſ'abord İstanbul\u00a0a\u202fvoté «oui» l’an passé.",
]


@pytest.fixture(scope="module")
def model():
    return load_model()


def _paragraphs(n: int) -> list[str]:
    return [json.loads(line)["text"] for line, _ in zip(CLEAN.open(encoding="utf-8"), range(n))]


def _documents(n: int) -> list[str]:
    """Clean news paragraphs, some with a spun sentence (glossary examples) spliced in."""
    rng = random.Random(3)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from throughput import spun_sentences

    spun = spun_sentences()
    paras = _paragraphs(n)
    out = []
    for i, p in enumerate(paras):
        if spun and i % 2:
            p = p + " " + rng.choice(spun)
        out.append(p)
    return out + FRENCH


SENSITIVE = [
    RepairConfig(),
    RepairConfig(unlisted_min_surprise=3.0, unlisted_margin=0.0, unlisted_thesaurus_margin=1.0),
    RepairConfig(unlisted_min_surprise=0.5, unlisted_margin=-5.0, unlisted_thesaurus_margin=-5.0),
]


@pytest.mark.parametrize("config", SENSITIVE, ids=["default", "sensitive", "everything"])
def test_find_equals_its_reference(model, config):
    from mtrepair.glossary import load_glossary

    p = UnlistedPhrasePass(model, load_glossary(config), config)
    found = 0
    for text in _documents(150):
        fast = p.find(Document(text))
        assert fast == p.find_reference(Document(text)), text
        found += len(fast)
    if config.unlisted_min_surprise < 1:
        assert found > 100  # the comparison covered many findings


def test_score_seq_equals_its_reference_bit_for_bit(model):
    lists = [lm_tokens(s) for p in _paragraphs(80) for s in p.split(". ")]
    lists += [[], ["un"], ["zorglubesque", "2024", "«"]]
    seq = model._batch(lists)[0]
    assert np.array_equal(model._score_seq(seq), model._score_seq_reference(seq))
    flat = model.token_logprobs_flat(lists)
    assert np.array_equal(flat, np.concatenate(model.token_logprobs_batch(lists)))


def test_token_pieces_equal_offsets_tokenisation():
    for text in _paragraphs(100) + FRENCH + ["", "   ", "_"]:
        folded, pieces, tokens = lm_token_pieces(text)
        ref = lm_tokens_with_offsets(text)
        assert tokens == [t for _, _, t in ref]
        assert piece_offsets(folded, pieces) == [(a, b) for a, b, _ in ref]


def test_splice_tokens_on_french_sentences():
    rng = random.Random(5)
    words = ["souligné", "l'", "d'", "-", ",", "a", "3,5", "Été", "qu'il", "ſ'", "Σ", "x.y", ""]
    for text in [s for p in _paragraphs(60) for s in p.split(". ")] + FRENCH:
        positions = lm_tokens_positions(text)
        if positions is None:
            continue
        for _ in range(6):
            a, b, _ = rng.choice(positions) if positions else (0, 0, "")
            c = max(b, rng.choice(positions)[1]) if positions else b
            middle = rng.choice(words)
            assert (splice_tokens(text, positions, a, c, middle)
                    == splice_tokens_reference(text, a, c, middle)), (text, a, c, middle)


_CHARS = st.sampled_from(list("aeéiLlDdQqu'’-.,;:!?«»\"()0123456789 \u00a0\u202f\t\nΣσſİıKK_") + ["ΟΔΟΣ", "qu'", "jusqu'"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_CHARS, max_size=25).map("".join), st.data())
def test_splice_tokens_equals_its_definition(text, data):
    positions = lm_tokens_positions(text)
    assert positions == lm_tokens_positions_reference(text)
    if positions is None:
        return
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    middle = data.draw(st.lists(_CHARS, max_size=6).map("".join))
    assert splice_tokens(text, positions, start, end, middle) == splice_tokens_reference(text, start, end, middle)


def test_whitespace_stops_lower_casing_context():
    """splice_tokens relies on lower-casing not looking across whitespace (final sigma)."""
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    for w in spaces:
        for left, right in (("AΣ", "B"), ("A", "ΣB"), ("ΑΣ", "'Α"), ("Σ", "Σ")):
            assert (left + w + right).lower() == left.lower() + w.lower() + right.lower()


def test_positions_equal_their_plain_definition():
    for text in _paragraphs(100) + FRENCH + ["", " _ ", "a_b"]:
        assert lm_tokens_positions(text) == lm_tokens_positions_reference(text)


def test_reusing_with_shared_ends_equals_full_scoring(model):
    """The (prefix, suffix) hints of logprob_tokens_reusing change nothing."""
    rng = random.Random(11)
    lists, refs, shared = [], [], []
    for para in _paragraphs(120):
        toks = lm_tokens(para)[:60]
        if len(toks) < 4:
            continue
        ref = (toks, model.token_logprobs_batch([toks])[0])
        for _ in range(4):
            i = rng.randrange(len(toks))
            k = rng.randint(0, 2)
            new = toks[:i] + [rng.choice(model.words[4:3000]) for _ in range(rng.randint(0, 3))] + toks[i + k:]
            lists.append(new)
            refs.append(ref)
            shared.append((rng.randint(0, i), rng.randint(0, max(0, len(toks) - i - k))))
    full = model.logprob_tokens_many(lists)
    assert np.array_equal(full, model.logprob_tokens_reusing(lists, refs, shared))
    assert np.array_equal(full, model.logprob_tokens_reusing(lists, refs))


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS | st.sampled_from(list("\u2019\u02bc\u2018`\u00b4\u201c\u201d\u201e\u201f\u2013\u2014\u2010\u2011\u2212\x00")),
                max_size=30).map("".join))
def test_fold_offsets_preserving_is_the_translation(text):
    from mtrepair.model.text import _FOLD_CASE, fold_offsets_preserving

    assert fold_offsets_preserving(text) == text.translate(_FOLD_CASE)
