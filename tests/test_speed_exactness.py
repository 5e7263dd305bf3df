"""The speed shortcuts of the default path give bit-identical results to the plain code."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from mtrepair.model import load_model
from mtrepair.model.text import lm_tokens

CLEAN = Path(__file__).parent / "data" / "clean" / "paragraphs.jsonl"


@pytest.fixture(scope="module")
def model():
    return load_model()


def _paragraphs(n: int) -> list[str]:
    return [json.loads(line)["text"] for line, _ in zip(CLEAN.open(encoding="utf-8"), range(n))]


def _texts(extra: list[str], alphabet: str, seed: int, min_len: int = 0) -> list[str]:
    """400 clean paragraphs, ``extra`` and 3,000 random strings over ``alphabet`` + space."""
    rng = random.Random(seed)
    pool = list(alphabet) + [" "]
    return _paragraphs(400) + extra + [
        "".join(rng.choice(pool) for _ in range(rng.randint(min_len, 12))) for _ in range(3000)]


def test_reusing_scores_equal_full_rescoring_bit_for_bit(model):
    """Windowed re-scoring (unlisted pass) == scoring every candidate sentence in full."""
    rng = random.Random(7)
    vocab = model.words[4:5000] + ["zorglubesque", "2024", "«", ","]
    lists, refs = [], []
    for para in _paragraphs(200):
        toks = lm_tokens(para)[:80]
        if not toks:
            continue
        ref = (toks, model.token_logprobs_batch([toks])[0])
        lists.append(toks)
        refs.append(ref)
        for _ in range(5):  # replace / insert / delete 0-3 tokens anywhere, ends included
            t = list(toks)
            i = rng.randrange(len(t) + 1)
            t[i : i + rng.randint(0, 3)] = [rng.choice(vocab) for _ in range(rng.randint(0, 3))]
            lists.append(t)
            refs.append(ref)
    lists.append(["un", "mot"])
    refs.append(None)
    full = model.logprob_tokens_many(lists)
    fast = model.logprob_tokens_reusing(lists, refs)
    assert len(lists) > 500
    assert np.array_equal(full, fast)  # exact, not approximately equal


def test_reusing_handles_edits_at_both_ends(model):
    toks = lm_tokens("Le gouvernement a présenté son budget mardi.")
    ref = (toks, model.token_logprobs_batch([toks])[0])
    variants = [["la"] + toks[1:], toks[:-1], toks + ["encore"], [], toks[:1], ["x"] + toks + ["y"]]
    assert np.array_equal(model.logprob_tokens_many(variants),
                          model.logprob_tokens_reusing(variants, [ref] * len(variants)))


def test_pure_python_median_is_numpy_median():
    from mtrepair.model.unlisted import _median

    rng = random.Random(3)
    for n in list(range(1, 40)) * 20:
        values = [rng.choice([rng.uniform(-30, 0), -7.25, 0.0, -1e-300]) for _ in range(n)]
        assert _median(values) == float(np.median(np.array(values)))
    assert np.isnan(_median([1.0, float("nan"), 2.0]))


def test_mojibake_precheck_is_conservative():
    """A line the pre-check calls clean is one ftfy.fix_text leaves unchanged."""
    import ftfy

    from mtrepair.passes.normalize import _FTFY_CONFIG, _may_be_mojibake

    lines = [line for p in _paragraphs(400) for line in p.split("\n")]
    lines += ["Ã©tÃ© chaud", "le cafÃ© Â« noir Â»", "â€™", "Ã\xa0 Paris", "cÅ“ur", "naïve façon « œuvre »"]
    rng = random.Random(5)
    for line in list(lines):  # double-encode parts of clean lines (real mojibake)
        if line:
            i = rng.randrange(len(line))
            lines.append(line[:i] + line[i:].encode("utf-8").decode("latin-1", errors="replace"))
    skipped = 0
    for line in lines:
        if not _may_be_mojibake(line):
            skipped += 1
            assert ftfy.fix_text(line, _FTFY_CONFIG) == line
    assert skipped > 300
    assert _may_be_mojibake("Ã©tÃ© chaud")


def test_detector_precheck_never_hides_a_detector_match():
    """Random lines over the detector's own characters, French letters and ASCII: whenever
    the pre-check says BADNESS_RE cannot match, it indeed does not."""
    from ftfy.badness import BADNESS_RE, is_bad

    from mtrepair.passes.normalize import _PRECHECK, _detector_cannot_match

    assert _PRECHECK is not None
    pool = sorted(_PRECHECK[0]) + list("éèàçêôù’«»  aZ .,!?-'\"1 \t")
    rng = random.Random(11)
    skipped = 0
    for _ in range(20000):
        line = "".join(rng.choice(pool) for _ in range(rng.randint(1, 6)))
        if _detector_cannot_match(line):
            skipped += 1
            assert BADNESS_RE.search(line) is None and not is_bad(line), repr(line)
    assert skipped > 1000
    assert not _detector_cannot_match("le cafÃ© noir")


def test_tokenize_equals_its_plain_definition():
    from mtrepair.tokens import tokenize, tokenize_reference

    texts = _texts([
        "l’esprit _souligné_ __init__ a__b « Qu’il » — 3,5 % U.S. aujourd'hui\t\n  j'ai",
        "_", "", "   ", "__ _ x_", "L'État, c'est-à-dire: «lui»…", "a\u00a0b\u202fc",
    ], "aé' ’_-.\n\t«»,lL0", seed=2)
    for t in texts:
        assert tokenize(t) == tokenize_reference(t), repr(t)


def test_lm_tokens_with_offsets_equals_its_plain_definition():
    from mtrepair.model.text import lm_tokens_with_offsets, lm_tokens_with_offsets_reference

    texts = _texts(["L’État _x_ __a « Qu’il » 3,5 % U.S.\t\n j'ai", "_", "", "a__b_"], "aÉ' ’_-.\n\t«»,lL0q", seed=4)
    for t in texts:
        assert lm_tokens_with_offsets(t) == lm_tokens_with_offsets_reference(t), repr(t)


def test_glossary_spans_equal_their_plain_definition():
    from mtrepair.glossary.engine import _FAST_RE, _norm_text
    from mtrepair.config import RepairConfig
    from mtrepair.glossary import load_glossary

    matcher = load_glossary(RepairConfig()).matcher
    texts = _texts(["L’État _x_ __a « Qu’il » 3,5 % U.S.\t\n j'ai", "_", "", "a__b_"], "aÉ' ’_-.\n\t«»,lL0q",
                   seed=6, min_len=1)
    for t in texts:
        nt = _norm_text(t)
        if len(nt) != len(t):
            continue
        assert matcher.spans(t) == [(m.start(), m.end(), m.group()) for m in _FAST_RE.finditer(nt)], repr(t)
