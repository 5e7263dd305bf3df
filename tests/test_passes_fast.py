"""Fast forms of the cheap passes give the same results as their plain definitions."""

from __future__ import annotations

import json
import random
from pathlib import Path

from mtrepair.document import Document
from mtrepair.entities.spans import find_runs, find_runs_reference
from mtrepair.passes import typography as typo

CLEAN = Path(__file__).parent / "data" / "clean" / "paragraphs.jsonl"


def _paragraphs() -> list[str]:
    return [json.loads(line)["text"] for line in CLEAN.open(encoding="utf-8")]


def _random_texts(pool: list[str], n: int, seed: int, longest: int = 14) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, longest))) for _ in range(n)]


_TYPO_POOL = list("a?!;:«»)]\"'’%.,…  \u00a0\u202f\t\nÉ1_/") + ["http://x.fr/a", "www", "@", ".com/", "10:30"]


def test_typography_patterns_equal_their_look_behind_first_forms():
    for t in _paragraphs() + _random_texts(_TYPO_POOL, 20000, 4):
        for fast, ref in ((typo._GLUED_BEFORE, typo._GLUED_BEFORE_REFERENCE),
                          (typo._GLUED_CLOSE, typo._GLUED_CLOSE_REFERENCE)):
            assert [m.span() for m in fast.finditer(t)] == [m.span() for m in ref.finditer(t)], repr(t)


def test_address_and_quotation_spans_of_one_line_equal_the_whole_text_scan():
    from mtrepair.document import Document

    pool = _TYPO_POOL + ["“", "”", '"', "«", "»"]
    for t in _random_texts(pool, 5000, 5, longest=20):
        addresses = [m.span() for m in typo._URLISH.finditer(t)]
        quotations = [m.span() for m in typo._QUOTATION.finditer(t)]
        facts = typo._LineFacts(Document(t))
        for pos, ch in enumerate(t):
            if not ch.isspace():
                line_addresses, _, line_quotations = facts.of(pos)
                assert any(s <= pos < e for s, e in line_addresses) == any(s <= pos < e for s, e in addresses), (t, pos)
                assert [q[:2] for q in line_quotations if q[0] <= pos < q[1]] == [
                    q for q in quotations if q[0] <= pos < q[1]], (t, pos)


def test_find_runs_equals_its_plain_definition():
    pool = ["The", "of", "the", "New", "York", "&", " ", " ", "\n", "\n\n", "Le", "de", "3", "x", "L'", "É",
            ",", "Ⓐ", "l'", "à", "AI", "von", "À", "Of", "DE", "L’", "2024", "x2", "½"]
    rng = random.Random(6)
    texts = _paragraphs() + ["".join(rng.choice(pool) + rng.choice(["", " "]) for _ in range(rng.randint(0, 15)))
                             for _ in range(10000)]
    for t in texts:
        doc = Document(t)
        assert find_runs(doc) == find_runs_reference(doc), repr(t)


def test_mojibake_precheck_equals_its_plain_definition():
    from mtrepair.passes.normalize import _PRECHECK, _detector_cannot_match, _detector_cannot_match_reference

    pool = sorted(_PRECHECK[0])[:200] + list("éèàçêôù’«»  aZ .,!?-'\"1 \tÃÂ©")
    lines = [line for p in _paragraphs() for line in p.split("\n")]
    lines += _random_texts(pool, 20000, 7, longest=8)
    for line in lines:
        assert _detector_cannot_match(line) == _detector_cannot_match_reference(line), repr(line)


def test_entity_pass_remembers_generate_results_exactly():
    from mtrepair.entities import EntityPass
    from mtrepair.entities.restore import generate

    p = EntityPass()
    spans = [(("the", "details"), ("The", "Details"), (False, False)),
             (("financial", "period"), ("Financial", "Period"), (False, False)),
             (("the", "details"), ("The", "Details"), (True, False)),
             (("zorglub", "inc"), ("Zorglub", "Inc"), (False, False))]
    for words, texts, lock in spans * 2:
        assert p._generate(words, texts, lock) == generate(words, texts, lock, p.gazetteer, p.synonyms)
    assert len(p._generated) == len(spans)


def test_find_mentions_equals_its_plain_definition():
    """Only the lengths of the names that start with a word are looked up: the same mentions
    as trying every length, on clean French, the entity test sets, and every shipped name
    written inside a run (with a spun neighbour, and cut short)."""
    from mtrepair.entities.gazetteer import load_gazetteer
    from mtrepair.entities.spans import find_mentions, find_mentions_reference

    gaz = load_gazetteer()
    data = Path(__file__).parent / "data"
    texts = _paragraphs()
    for name in ("entities_garbled.tsv", "entities_correct.tsv"):
        texts += [line.split("\t")[1] for line in (data / name).open(encoding="utf-8") if not line.startswith("#")]
    names = [text for ent in gaz.entities for text in ent.forms]
    texts += [f"Selon {n} et The {n} Details, {n.rsplit(' ', 1)[0]} Group de Paris." for n in names]
    for text in texts:
        doc = Document(text)
        for first, last in find_runs(doc):
            assert find_mentions(doc, gaz, first, last) == find_mentions_reference(doc, gaz, first, last), text


def test_mojibake_detector_at_candidate_positions_equals_ftfy_is_bad():
    """BADNESS_RE tried only where a character of an alternative's rarest required set puts a
    match start finds mojibake exactly where ftfy.badness.is_bad does: clean French, French
    garbled through cp1252, latin-1 and mac-roman, and generated lines of the characters the
    detector reads (with the "^Ã " and "a Ã " alternatives that are searched whole)."""
    from ftfy.badness import is_bad

    from mtrepair.passes.normalize import _LAYOUT, _PRECHECK, _ftfy_finds_mojibake

    assert _LAYOUT is not None and sum(x is not None for x in _LAYOUT) > 30  # the installed ftfy's layout
    lines = [line for p in _paragraphs() for line in p.split("\n")]
    for codec in ("cp1252", "latin-1", "mac_roman"):
        lines += [line.encode("utf-8").decode(codec, errors="replace") for line in lines[:400]]
    pool = sorted(_PRECHECK[0]) + list("éèàçêôù’«»  aZ .,!?-'\"1 \tÃÂ©")
    lines += _random_texts(pool, 30000, 8, longest=6)
    lines += _random_texts(list("ÃÂ aé\u00a0«»ÉÀ©") + sorted(_PRECHECK[0])[:40], 20000, 9, longest=5)
    hits = 0
    for line in lines:
        expected = is_bad(line)
        hits += expected
        assert _ftfy_finds_mojibake(line) == expected, repr(line)
    assert hits > 1000


def test_glued_mark_checks_by_bisection_equal_the_scan_of_every_span():
    """_LineFacts.keeps_its_own_typography finds the address or quotation that could hold a
    position by bisection: the same answer as testing every span of the line."""
    from mtrepair.document import Document

    from mtrepair.config import RepairConfig

    cfg = RepairConfig()
    pool = _TYPO_POOL + ["“", "”", '"', "«", "»", "„", "so what", "Il dit", " ¿", "www.x.fr/a",
                         " if x", "Yahoo", "Mamma Mia", "wir schaffen das "]
    for t in _random_texts(pool, 4000, 7, longest=24):
        facts = typo._LineFacts(Document(t), cfg)
        for pos, ch in enumerate(t):
            addresses, code, quotations = facts.of(pos)
            plain = (code or any(s <= pos < e for s, e in addresses)
                     or bool(typo._IDENTIFIER_BEFORE.search(t, max(0, pos - 64), pos))
                     or (ch == ":" and typo._is_inline_code(t, pos))
                     or (ch in "!?" and typo.names_with_marks().holds(t, pos))
                     or any(s < pos < e and typo._is_foreign_quotation(t[s:e], cfg) for s, e in quotations))
            assert facts.keeps_its_own_typography(pos) == plain, (t, pos)


def test_accepted_spans_by_bisection_equal_the_pairwise_overlap_test():
    """select_edits keeps its accepted spans in resolve._Accepted: its overlap answer is the plain
    any(_overlaps(...)) over every accepted span, insertions included."""
    from mtrepair.resolve import _Accepted, _overlaps

    rng = random.Random(8)
    for _ in range(3000):
        accepted, plain = _Accepted(), []
        for _ in range(rng.randint(0, 25)):
            a = rng.randint(0, 30)
            b = a if rng.random() < 0.3 else a + rng.randint(1, 6)
            expected = any(_overlaps(a, b, s, e) for s, e in plain)
            assert accepted.overlaps(a, b) == expected, (plain, a, b)
            if not expected:
                accepted.add(a, b)
                plain.append((a, b))
