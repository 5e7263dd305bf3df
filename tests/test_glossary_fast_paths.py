"""The glossary's fast paths agree with their plain definitions (exactness of speed work)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from mtrepair import tokens as _tokens
from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.glossary import load_glossary
from mtrepair.glossary.engine import _FAST_RE, _FAST_RE_REFERENCE, _norm_text, doc_tokens_are_exact

CLEAN = Path(__file__).parent / "data" / "clean" / "paragraphs.jsonl"
TRICKY = [
    "QU'IL", "Qu’il", "qu'il", "JUSQU'À", "JUsqu'ici", "LORSQU’ELLE", "PuisQu'on", "QUOIQU'IL", "L'ÉTAT",
    "D'AILLEURS", "Aujourd'hui", "AUJOURD'HUI", "ΟΔΟΣ", "Σ'a", "İstanbul", "Kelvin K", "ſ'", "U.S.", "3,5 %",
    "l’esprit", "_x_", "«", "»", "-", "—", "\n", "\t", " ", "\u00a0", "'", "’", "`", "´", "ʼ", "‘", "a", "É",
]


def _paragraphs(n: int) -> list[str]:
    return [json.loads(line)["text"] for line, _ in zip(CLEAN.open(encoding="utf-8"), range(n))]


def _texts() -> list[str]:
    texts = _paragraphs(300)
    texts += [t.upper() for t in texts[:100]] + [t.replace("'", "’") for t in texts[:50]]
    rng = random.Random(11)
    pool = list("aÉ' ’ʼ‘`´_-.\n\t«»,lLqQuUsS0ΣİKſıIiOoRrPpJj") + [" "]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(0, 14))) for _ in range(4000)]
    texts += [" ".join(rng.choice(TRICKY) for _ in range(rng.randint(1, 8))) for _ in range(4000)]
    texts += ["".join(rng.choice(TRICKY) for _ in range(rng.randint(1, 5))) for _ in range(3000)]
    return texts


def _reference_tokens(text: str) -> tuple[list[str], list[tuple[int, int, str]]]:
    """What matching read before doc tokens were shared: the normalised text's tokens."""
    nt = _norm_text(text)
    if len(nt) != len(text):
        toks = _tokens.tokenize(text)
        return [t.norm for t in toks], [(t.start, t.end, t.norm) for t in toks]
    return _FAST_RE_REFERENCE.findall(nt), [(m.start(), m.end(), m.group()) for m in _FAST_RE_REFERENCE.finditer(nt)]


@pytest.fixture(scope="module")
def matcher():
    return load_glossary(RepairConfig()).matcher


def test_lowering_keeps_every_character_class_the_tokenizer_reads():
    """The premise of doc_tokens_are_exact, over all of Unicode."""
    word, blank = re.compile(r"[^\W_]"), re.compile(r"\s")
    special = set("-._" + _tokens.APOSTROPHES)
    longer = []
    for cp in range(0x110000):
        c = chr(cp)
        low = c.lower()
        if low == c:
            continue
        if len(low) != 1:
            longer.append(c)
            continue
        assert bool(word.match(c)) == bool(word.match(low)), hex(cp)
        assert bool(blank.match(c)) == bool(blank.match(low)), hex(cp)
        assert c not in special and low not in special, hex(cp)
    assert longer == ["\u0130"]
    # folding apostrophes to "'" keeps them non-word characters, except the modifier letter
    assert [c for c in _tokens.APOSTROPHES if word.match(c)] == ["\u02bc"]
    assert not any(blank.match(c) for c in _tokens.APOSTROPHES)


def test_case_sensitive_elision_prefixes_are_the_ones_checked():
    """The tokenizer's elision prefixes: one letter in both cases, or the multi-letter ones
    whose letters after the first are lower case only (what _ELISION_ANY_CASE looks for)."""
    alternatives = re.search(r"\(\?:(.*?)\)\[", _tokens._ELISION).group(1).split("|")
    single = alternatives[0][1:-1]
    assert set(single) == {c for x in single for c in (x.lower(), x.upper())}
    multi = sorted(a[a.index("]") + 1:] for a in alternatives[1:])
    assert multi == sorted(["u", "usqu", "orsqu", "uisqu", "uoiqu"])


def test_tokens_of_a_document_equal_the_normalised_texts_tokens(matcher):
    shared = 0
    for text in _texts():
        words, spans = _reference_tokens(text)
        doc = Document(text)
        fresh = matcher.tokens_of(text, doc)  # tokens not computed yet: not computed for matching
        assert "tokens" not in vars(doc)
        assert fresh.words == words and fresh.spans == spans, repr(text)
        doc.tokens  # noqa: B018 - as the passes compute them
        got = matcher.tokens_of(text, doc)
        assert got.words == words, repr(text)
        assert got.spans == spans, repr(text)
        if doc_tokens_are_exact(text):
            shared += 1
            assert got._tokens is doc.tokens
    assert shared > 5000  # the fast path is the usual one


def test_fast_token_regex_equals_the_tokenizers_regex():
    """_FAST_RE (words as runs joined by connectors) finds exactly _FAST_RE_REFERENCE's tokens."""
    texts = _texts() + [t.lower() for t in _paragraphs(300)]
    texts += ["a-b-c a--b a.-b 3.5.7 l'a'b qu'’il jusqu'-a x.y. -a- ʼaʼ _a_b a_ 'l' d''a"]
    rng = random.Random(5)
    pool = list("ab0É-.'’ʼ‘`´_ \n") + ["qu", "l", "jusqu"]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 16))) for _ in range(20000)]
    for t in texts:
        assert _FAST_RE.findall(t) == _FAST_RE_REFERENCE.findall(t), repr(t)
        assert [m.span() for m in _FAST_RE.finditer(t)] == [m.span() for m in _FAST_RE_REFERENCE.finditer(t)], repr(t)


def test_upper_case_elisions_and_sigma_use_the_normalised_text():
    assert not doc_tokens_are_exact("QU'IL VIENT")
    assert not doc_tokens_are_exact("JUsqu’ici")
    assert not doc_tokens_are_exact("ΟΔΟΣ")
    assert not doc_tokens_are_exact("ſ'ʼ’")
    assert doc_tokens_are_exact("Qu'il vient. L'État, d'ailleurs, Aujourd'hui")
    assert doc_tokens_are_exact("İstanbul QU'IL")  # matching reads tokenize() itself then


def test_compiled_context_equals_words_ok(matcher):
    """ContextCheck.ok == words_ok: on every hit in real text, and on random windows made of
    each entry's own context words, their elisions, inflections, function words and punctuation."""
    from mtrepair.glossary.engine import _FORM_ONLY, _UNELIDED, ContextCheck, context_item, words_ok

    checked = 0
    for text in _paragraphs(300):
        doc = Document(text)
        doc.tokens  # noqa: B018
        tokens = matcher.tokens_of(text, doc)
        for c, i, j in matcher.hits(tokens.words):
            assert ContextCheck(c.entry).ok(tokens.words, i, j) == words_ok(c.entry, tokens.words, i, j)
            checked += 1
    assert checked > 100
    rng = random.Random(5)
    common = sorted(_FORM_ONLY) + list(_UNELIDED) + [",", ".", "«", "-", "2024", "entreprise", "gouvernement"]
    entries = [e for e in matcher.entries if e.context.require or e.context.forbid]
    agree = {True: 0, False: 0}
    for e in entries:
        vocab = list(common)
        for item in e.context.require + e.context.forbid:
            toks = context_item(item)[1]
            vocab += list(toks) + [t + "s" for t in toks] + [t + "e" for t in toks] + [t[:-1] for t in toks if len(t) > 4]
            vocab += [x for t in toks for x in _UNELIDED.get(t, ())] + [w for w, full in _UNELIDED.items() if set(full) & set(toks)]
        check = ContextCheck(e)
        for _ in range(40):
            words = [rng.choice(vocab) for _ in range(rng.randint(1, 2 * e.context.window + 6))]
            i = rng.randint(0, len(words) - 1)
            j = rng.randint(i, min(len(words), i + 4))
            got = check.ok(words, i, j)
            assert got == words_ok(e, words, i, j), (e.id, words, i, j)
            agree[got] += 1
    assert min(agree.values()) > 1000  # both outcomes are well exercised


def _symbol(matcher, form: str) -> str:
    """A form's symbol by definition: its lemma's group, or the filler."""
    from mtrepair.glossary.engine import FILLER
    from mtrepair.glossary.lexicon import lemma

    return matcher._lemma_sym.get(lemma(form), FILLER)


def _keys(matcher) -> dict[str, list[int]]:
    """Key (symbols of the tokens before the first slot) -> compiled variants, in order."""
    keys: dict[str, list[int]] = {}
    for n, c in enumerate(matcher.compiled):
        keys.setdefault("".join(_symbol(matcher, t.norm) for t in c.prefix), []).append(n)
    return keys


def _hits_reference(matcher, keys, words):
    """Matcher.hits by its definition: at each end position, every key ending there (longest
    first, then in compiled order), verified token by token with match_tokens."""
    from mtrepair.glossary.engine import match_tokens

    longest = max(map(len, keys))
    s = "".join(_symbol(matcher, w) for w in words)
    out = []
    for e in range(len(s)):
        for length in range(min(longest, e + 1), 0, -1):
            i = e - length + 1
            for n in keys.get(s[i:e + 1], ()):
                c = matcher.compiled[n]
                got = match_tokens(c.tokens, words, i)
                if got is not None and (c.has_slots or got[0] == e + 1):
                    out.append((c, i, got[0]))
    return out


def test_hits_equal_their_definition(matcher):
    """Exact-word plans, the automaton's insertion order and the never-matching filler key
    change nothing: the same hits in the same order as the plain definition."""
    texts = _paragraphs(250) + [e.example for e in matcher.entries if e.example][:600]
    total = 0
    keys = _keys(matcher)
    for text in texts:
        words = matcher.tokens_of(text, Document(text)).words
        got = matcher.hits(words)
        assert got == _hits_reference(matcher, keys, words), text
        total += len(got)
    assert total > 500


def test_match_case_equals_its_definition():
    from mtrepair.glossary.agreement import carry_case, match_case

    rng = random.Random(8)
    pool = list("aAéÉ ' -1ⓐⒶǅǆßİıΣσ") + ["", "l'", "L'", "ÉTAT", "État", "état", "mise en œuvre", "ⅰ", "Ⅰ", "ª"]
    for _ in range(20000):
        original = "".join(rng.choice(pool) for _ in range(rng.randint(0, 5)))
        replacement = "".join(rng.choice(pool) for _ in range(rng.randint(0, 4)))
        assert match_case(original, replacement) == carry_case(original, replacement), (original, replacement)


def test_replacement_pieces_equal_their_definition():
    """The cached tokenisation of a replacement gives the pieces the plain code built."""
    from mtrepair.glossary.realise import _pieces

    replacements = {r for e in load_glossary(RepairConfig()).entries for r in e.replace}
    replacements |= {"du côté d'", "d’", "l'", "  x  ", "", "«\u00a0a\u00a0»", "aujourd'hui, l'État"}
    for r in sorted(replacements):
        toks = _tokens.tokenize(r + "a")[:-1] if r[-1:] in _tokens.APOSTROPHES else _tokens.tokenize(r)
        want, prev_end = [], 0
        for t in toks:
            want.append((t.text, r[prev_end:t.start], t.is_word))
            prev_end = t.end
        if want:
            want[0] = (want[0][0], "", want[0][2])
        for _ in range(2):  # computed, then cached: fresh pieces each time
            pieces, tail = _pieces(r)
            assert [(p.text, p.sep, p.word) for p in pieces] == want and tail == r[prev_end:], r
            for p in pieces:
                p.text = "changed"


def test_replacement_head_equals_the_search_on_fresh_pieces():
    from mtrepair.glossary.realise import _is_head, _norm, _pieces, _replacement_head

    replacements = {r for e in load_glossary(RepairConfig()).entries for r in e.replace if r}
    replacements |= {"du côté d'", "d’", "l'", "  x  ", "«\u00a0a\u00a0»", "aujourd'hui, l'État", "les {1} de"}
    for r in sorted(replacements):
        pieces, _ = _pieces(r)
        want = next((n for n, p in enumerate(pieces) if p.word and _is_head(_norm(p.text))), None)
        assert _replacement_head(r) == want, r
        assert _replacement_head(r) == want, r  # cached


def test_form_caches_are_bounded_and_still_exact(matcher, monkeypatch):
    from mtrepair.glossary import engine, lexicon

    words = [w for text in _paragraphs(20) for w in matcher.tokens_of(text).words]
    monkeypatch.setattr(engine, "FORM_CACHE_MAX", 5)
    symbols = engine._FormSymbols(matcher._lemma_sym)
    assert "".join(map(symbols.__getitem__, words)) == "".join(_symbol(matcher, w) for w in words)
    assert len(symbols) == 5
    monkeypatch.setattr(lexicon, "LEMMA_CACHE_MAX", 0)
    monkeypatch.setattr(lexicon, "_lemma_cache", {})
    import simplemma

    forms = ("gardées", "étaient", "l'", "2024")
    assert [lexicon.lemma(w) for w in forms] == ["gardé", "être", "le", "2024"]
    assert [lexicon.lemma(w) for w in forms[:3]] == [simplemma.lemmatize(w, lang="fr").lower() for w in forms[:3]]
    assert lexicon._lemma_cache == {}


def test_context_items_are_the_tokens_of_their_text(matcher):
    """context_item's shortcut for one-word items gives what tokenising the item gives."""
    from mtrepair.glossary.engine import context_item

    items = {it for e in matcher.entries for it in e.context.require + e.context.forbid}
    items |= {"=Été", "lʼa", "ʼa", "aʼ", "État", "ß", "İl", "ΟΔΟΣ", "a-b", "3", "x2", "n'", "d'abord", "=qu’il"}
    for item in sorted(items):
        exact = item.startswith("=")
        body = item[1:] if exact else item
        want = (_tokens.normalise(body),) if body[-1:] in _tokens.APOSTROPHES and len(body) > 1 \
            else tuple(t.norm for t in _tokens.tokenize(body))
        assert context_item.__wrapped__(item) == (exact, want), item
