"""Pass 5: French spacing before ``? ! ; :`` and inside ``« »``.

French puts a (narrow) no-break space before the high punctuation marks and
inside guillemets. The pass inserts the space the document itself already
uses for that purpose (narrow no-break, no-break or plain), so the output
keeps the article's own typography. With ``typography_style = "document"``
(the default) a document that never spaces these marks is left alone and the
problems are only reported: some publications write that way on purpose.
Times (10:30), URLs (https://), ratios, emoticons and repeated marks (?!)
are never touched, nor are code (« api_key: », a line « def f(x): ») and
quotations in English or Spanish (« so what? », "What's next?", « ¿Dónde? »),
which keep their own typography.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter

from ..config import RepairConfig
from ..document import Document
from ..types import Category, Finding, Source
from .layout import looks_like_code

_SOURCE = Source("heuristic", "french-spacing")
_SPACES = " \u00a0\u202f"

# A mark glued to the word before it. ":" only when followed by a space or the
# end of the line (not 10:30, not https://, not "3:2").
_GLUED_BEFORE_REFERENCE = re.compile(r"(?<=[\w»)\]\"'’%])(?:[?!;]|:(?=[ \t\u00a0\u202f]|$))", re.MULTILINE)
# The same matches with the mark first and the look-behind after it (two characters: the one
# before the mark, and the mark): the engine then scans for the marks alone instead of testing
# the look-behind at every position.
_GLUED_BEFORE = re.compile(
    r"(?:[?!;]|:(?=[ \t\u00a0\u202f]|$))(?<=[\w»)\]\"'’%][?!;:])", re.MULTILINE)
_SPACED_BEFORE = re.compile(r"[ \u00a0\u202f](?:[?!;]|:(?=[ \t\u00a0\u202f]|$))", re.MULTILINE)
_GLUED_OPEN = re.compile(r"«(?=\w)")
_GLUED_CLOSE_REFERENCE = re.compile(r"(?<=[\w.!?…,])»")
_GLUED_CLOSE = re.compile(r"»(?<=[\w.!?…,]»)")  # same matches, mark first (as above)
_SPACED_QUOTES = re.compile(r"«[ \u00a0\u202f]|[ \u00a0\u202f]»")
_URLISH = re.compile(r"\S*(?:https?|ftp|www|@|\.\w{2,4}/)\S*")
#: The word a mark is glued to, when it is a code identifier (« api_key: », « max_len? »).
_IDENTIFIER_BEFORE = re.compile(r"\w*_\w*$")
#: A quotation on one line: guillemets, curly or straight double quotes.
_QUOTATION = re.compile(r'«[^«»\n]*»|“[^“”\n]*”|"[^"\n]*"')
_WORD = re.compile(r"[^\W\d_]{2,}")  # one-letter pieces (the s of what's) say nothing
#: A quotation is in English when at least this many of its words are English and they outnumber
#: its French words (the entity pass's word-language test).
ENGLISH_QUOTATION_MIN_WORDS = 2


def _document_space(text: str, default: str) -> tuple[str, int]:
    """The space character this document uses before high punctuation, and how often."""
    counts: Counter[str] = Counter()
    for m in _SPACED_BEFORE.finditer(text):
        counts[m.group()[0]] += 1
    for m in _SPACED_QUOTES.finditer(text):
        counts[m.group()[1] if m.group()[0] == "«" else m.group()[0]] += 1
    if not counts:
        return default, 0
    space, _ = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return space, sum(counts.values())


class _LineFacts:
    """What the glued-mark checks need to know of a mark's line, computed once per line (and only
    for lines that have a glued mark): its addresses, whether it is code, its quotations. Each
    check is then a look-up, so a long line with many marks costs one scan, not one per mark."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.text
        self._facts: dict[int, tuple[list[tuple[int, int]], bool, list[tuple[int, int, bool]]]] = {}

    def of(self, pos: int) -> tuple[list[tuple[int, int]], bool, list[tuple[int, int, bool]]]:
        """(address spans, is code, quotation spans with "foreign") of ``pos``'s line."""
        line = self.doc.lines[self.doc.line_index(pos)]
        facts = self._facts.get(line.start)
        if facts is None:
            text, start, end = self.text, line.start, line.end
            # _URLISH and _QUOTATION never cross a line break: a scan of the line alone finds them.
            addresses = [m.span() for m in _URLISH.finditer(text, start, end)]
            quotations = [(m.start(), m.end(), _is_foreign_quotation(m.group()))
                          for m in _QUOTATION.finditer(text, start, end)]
            facts = self._facts[line.start] = (addresses, looks_like_code(line.text), quotations)
        return facts

    def keeps_its_own_typography(self, pos: int) -> bool:
        """A mark glued at ``pos`` that is not French prose: in an address, after a code
        identifier, on a line of code, or in a quotation in English or Spanish. Addresses and
        quotations are disjoint and in order: the one that could hold ``pos`` is found by
        bisection (a line of thousands of quotations stays linear)."""
        addresses, code, quotations = self.of(pos)
        if code or _IDENTIFIER_BEFORE.search(self.text, max(0, pos - 64), pos):
            return True
        k = bisect_right(addresses, (pos, math.inf)) - 1  # the last address starting at or before pos
        if k >= 0 and pos < addresses[k][1]:
            return True
        k = bisect_left(quotations, (pos,)) - 1  # the last quotation starting before pos
        return k >= 0 and pos < quotations[k][1] and quotations[k][2]


def is_english(words: list[str]) -> bool:
    """Are these words English, by the entity pass's word-language test: at least
    ``ENGLISH_QUOTATION_MIN_WORDS`` English words, more than French ones (« Make it simple »:
    *simple* is French too)."""
    from ..entities.language import word_language

    languages = [word_language(w.lower()) for w in words]
    english = languages.count("en")
    return english >= ENGLISH_QUOTATION_MIN_WORDS and english > languages.count("fr")


def _is_foreign_quotation(quotation: str) -> bool:
    """Is this quotation (its marks included) in English, or in Spanish (« ¿… ? », « ¡… ! »)?"""
    inside = quotation[1:].lstrip()
    return inside[:1] in ("¿", "¡") or is_english(_WORD.findall(quotation))


def find_typography(doc: Document, config: RepairConfig) -> list[Finding]:
    text = doc.text
    if not any(c in text for c in "?!;:«»"):
        return []
    gaps: list[tuple[int, str]] = []  # (insertion offset, mark)
    lines = _LineFacts(doc)
    for m in _GLUED_BEFORE.finditer(text):
        if not lines.keeps_its_own_typography(m.start()):
            gaps.append((m.start(), m.group()))
    for m in _GLUED_OPEN.finditer(text):
        gaps.append((m.end(), "«"))
    for m in _GLUED_CLOSE.finditer(text):
        gaps.append((m.start(), "»"))
    if not gaps:
        return []
    space, spaced = _document_space(text, config.typography_space)
    follows_document = spaced >= len(gaps)
    auto = config.typography_style == "french" or follows_document
    name = {"\u202f": "narrow no-break space", "\u00a0": "no-break space", " ": "space"}.get(space, repr(space))
    findings = []
    for pos, mark in sorted(gaps):
        where = "after" if mark == "«" else "before"
        findings.append(
            Finding(
                start=pos,
                end=pos,
                span="",
                category=Category.TYPOGRAPHY.value,
                rule="TYPO-SPACE-" + {"«": "OPEN-QUOTE", "»": "CLOSE-QUOTE"}.get(mark, "HIGH-PUNCT"),
                source=_SOURCE,
                suggestions=(space,),
                confidence=0.9 if auto else 0.5,
                explanation=(
                    f"French typography puts a {name} {where} « {mark} »"
                    + ("" if auto else "; this document mostly does not, so it is only reported")
                ),
                mode="auto" if auto else "report",
                evidence={"spaced_marks_in_document": spaced, "glued_marks": len(gaps)},
            )
        )
    return findings


class TypographyPass:
    name = "typography"

    def __init__(self, config: RepairConfig):
        self.config = config

    def find(self, doc: Document) -> list[Finding]:
        return find_typography(doc, self.config)
