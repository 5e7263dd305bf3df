"""The fast tokeniser and sentence splitter give the same results as their plain definitions."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from mtrepair.document import Document
from mtrepair.tokens import (
    Token,
    newline_gaps,
    shape_codes,
    split_sentences,
    split_sentences_reference,
    token_kind,
    tokenize,
    tokenize_phrase,
    tokenize_phrase_reference,
    tokenize_reference,
    tokenize_with_codes,
    word_count,
)

CLEAN = Path(__file__).parent / "data" / "clean" / "paragraphs.jsonl"

#: Characters where the rules meet: apostrophes, connectors, final punctuation, closing marks,
#: capitals (a symbol that counts as upper case too), line breaks, "_" and no-break spaces.
_POOL = list("aé' ’_-.\n\t«»,lL0qA!?…\")(ÉⒶ\u00a0") + [" ", " ", "\n\n", "qu'", "Jusqu’", "U.S."]


def _texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in CLEAN.open(encoding="utf-8")]
    texts += [
        "Il a dit : « Non ! » Puis il est parti.\nTITRE\nLe texte suit… Fin?! (Oui.) « Bon. »",
        "Une ligne coupée\nau milieu. Une autre\n\nAprès un blanc\n\n\n",
        "l’esprit _souligné_ __init__ a__b « Qu’il » — 3,5 % U.S. aujourd'hui\t\n  j'ai",
        "", " ", "\n", ".", "..", "a.\n\nB", "\n\nA\n", "_", "Ⓐ\nⒶ", "x.»\n\nY", "!\n\n!",
    ]
    rng = random.Random(12)
    texts += ["".join(rng.choice(_POOL) for _ in range(rng.randint(0, 25))) for _ in range(8000)]
    return texts


def test_tokenize_and_split_sentences_equal_their_plain_definitions():
    for t in _texts():
        toks = tokenize(t)
        assert toks == tokenize_reference(t), repr(t)
        assert split_sentences(t, toks) == split_sentences_reference(t, toks), repr(t)
        assert split_sentences(t) == split_sentences(t, toks)
        assert Document(t).sentences == split_sentences_reference(t, toks), repr(t)
        done = tokenize_with_codes(t)
        assert done.newlines == newline_gaps(t, toks) == _newline_gaps_reference(t, toks), repr(t)
        assert done.shapes == shape_codes(toks) and done.words == word_count(toks)


def test_tokenize_phrase_equals_its_plain_definition():
    from mtrepair.entities.gazetteer import load_gazetteer

    names = [text for ent in load_gazetteer().entities for text in ent.forms]
    for t in _texts()[:3000] + names:
        assert tokenize_phrase(t) == tokenize_phrase_reference(t), repr(t)


def _newline_gaps_reference(text: str, toks) -> dict[int, int]:
    gaps = {j: text[toks[j - 1].end : toks[j].start].count("\n") for j in range(1, len(toks))}
    return {j: n for j, n in gaps.items() if n}


def test_word_count_counts_words_and_elisions():
    for t in _texts()[:500]:
        toks = tokenize(t)
        assert word_count(toks) == sum(1 for tok in toks if tok.is_word)
        assert Document(t).word_count == word_count(toks)


@pytest.mark.parametrize(("piece", "kind"), [("l'", "elision"), ("Qu’", "elision"), ("aujourd'hui", "word"),
                                             ("U.S", "word"), ("3", "word"), ("'", "punct"), ("«", "punct"),
                                             ("Ⓐ", "punct")])
def test_token_kind_is_a_function_of_the_text(piece, kind):
    assert token_kind(piece) == kind
    assert [t.kind for t in tokenize_reference(piece + "a")][0] == kind


def test_token_keeps_its_attributes():
    tok = tokenize("L’État")[0]
    assert (tok.start, tok.end, tok.text, tok.norm, tok.kind, tok.is_word) == (0, 2, "L’", "l'", "elision", True)
    assert tok == Token(0, 2, "L’", "l'", "elision")
    assert not tokenize(",")[0].is_word
    with pytest.raises(AttributeError):
        tok.start = 3  # immutable, like the frozen dataclass it replaces


def test_letter_or_digit_class_is_isalnum_on_every_code_point():
    """token_kind relies on it: the tokenizer's ``[^\\W_]`` is exactly ``str.isalnum``."""
    import re
    import sys

    letter_or_digit = re.compile(r"[^\W_]")
    assert all(bool(letter_or_digit.match(c)) == c.isalnum() for c in map(chr, range(sys.maxunicode + 1)))


def _random_changes(rng: random.Random, text: str) -> list[tuple[int, int, str]]:
    """Sorted, non-overlapping (start, end, replacement) changes, as apply_edits takes them."""
    changes, pos = [], 0
    for _ in range(rng.randint(0, 4)):
        if pos > len(text):
            break
        start = rng.randint(pos, len(text))
        end = rng.randint(start, min(len(text), start + 6))
        replacement = "".join(rng.choice(_POOL) for _ in range(rng.randint(0, 4)))
        changes.append((start, end, replacement))
        pos = end
    return changes


def _apply(text: str, changes) -> str:
    out, pos = [], 0
    for start, end, replacement in changes:
        out += [text[pos:start], replacement]
        pos = end
    return "".join(out) + text[pos:]


def test_retokenize_equals_tokenizing_the_changed_text():
    """Tokens re-split only around the changes: the same tokens, codes, word count and newline
    gaps as tokenizing the changed text, on generated texts and realistic French."""
    from mtrepair.tokens import retokenize

    rng = random.Random(7)
    texts = _texts()
    for text in texts[:4000] + texts[:300]:
        changes = _random_changes(rng, text)
        new = _apply(text, changes)
        assert retokenize(text, tokenize_with_codes(text), changes, new) == tokenize_with_codes(new), (text, changes)
        doc = Document(text)
        doc.tokens
        after = Document.after_changes(doc, changes, new)
        assert after.sentences == Document(new).sentences and after.word_count == Document(new).word_count


def test_white_space_of_the_pattern_is_str_isspace():
    """retokenize widens a change to white space by str.isspace: the split pattern's \\s."""
    import re
    import sys

    space = re.compile(r"\s")
    assert all(bool(space.match(chr(c))) == chr(c).isspace() for c in range(sys.maxunicode + 1))
