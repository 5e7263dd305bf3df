"""Pass 5: French spacing before ``? ! ; :`` and inside ``« »``.

French puts a (narrow) no-break space before the high punctuation marks and
inside guillemets. The pass inserts the space the document itself already
uses for that purpose (narrow no-break, no-break or plain), so the output
keeps the article's own typography. With ``typography_style = "document"``
(the default) a document that never spaces these marks is left alone and the
problems are only reported: some publications write that way on purpose.
Times (10:30), URLs (https://), ratios, emoticons and repeated marks (?!)
are never touched, nor are code (« api_key: », a line « def f(x): », a
statement in running text « on écrit if x: puis »), names whose own spelling
has the mark (« Yahoo! », « Mamma Mia! »: the list
``glossary_files/entities/names_with_marks.txt``) and quotations in another
language (« so what? », "What's next?", « ¿Dónde? », « Wir schaffen das! »),
which keep their own typography, nor are the fixed tokens of mail subject lines (« Objet : Re:
Planning », « TR: Devis », « Fwd: »).

The marks ``? ! ;`` are judged as a family of their own: a document that glues at least
``typography_convention_min_marks`` of them and spaces none, while it spaces its colons,
follows a convention, not an MT error: Québec usage (Office québécois de la langue française)
puts a space before « : » and inside « » but none before ? ! ;. Those marks are then only
reported. A document that spaces some of them and glues others is still fixed.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache
from importlib import resources

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
#: The marks of the family a document may leave unspaced on purpose (Québec usage).
_UNSPACED_FAMILY = "?!;"
_URLISH = re.compile(r"\S*(?:https?|ftp|www|@|\.\w{2,4}/)\S*")
#: The word a mark is glued to, when it is a code identifier (« api_key: », « max_len? »).
_IDENTIFIER_BEFORE = re.compile(r"\w*_\w*$")
#: A compound statement of code in running text (« on écrit if x: puis », « un bloc else: »):
#: a keyword, a short expression (checked for French words by :func:`_is_inline_code`), the colon.
_CODE_STATEMENT = re.compile(
    r"(?<![\w'’-])(?:(?:if|elif|while|for|with|except|def|class|lambda) +"
    r"([^\s:;!?«»][^:;!?«»\n]{0,40})|else|try|finally)$")
#: A mail subject line up to a glued colon that ends a fixed prefix of it: the line start (or an
#: opening quote), an optional label « Objet : », then prefixes « Re: », « TR: », « Fwd: »,
#: « Réf: », « N/Réf: »... (any case, « Re[2]: » too), the last one glued to the colon.
_MAIL_PREFIXES = r"(?:re|rép|fwd?|tr|(?:[nv]/)?r[ée]f|aw|wg|rif)(?:\[\d+\])?"
_MAIL_SUBJECT = re.compile(
    r"(?:^|[«\"“][ \u00a0\u202f]?)[ \t>]*(?:(?:objet|sujet|subject|obj|betreff)[ \t\u00a0\u202f]*:[ \t\u00a0\u202f]*)?"
    r"(?:" + _MAIL_PREFIXES + r"[ \u00a0\u202f]?:[ \t\u00a0\u202f]*)*" + _MAIL_PREFIXES + r"$",
    re.IGNORECASE | re.MULTILINE)
#: A quotation on one line: guillemets, curly or straight double quotes, German-style „…“.
_QUOTATION = re.compile(r'«[^«»\n]*»|“[^“”\n]*”|"[^"\n]*"|„[^„“”\n]*[“”]')
_WORD = re.compile(r"[^\W\d_]{2,}")  # one-letter pieces (the s of what's) say nothing
_LAST_WORD = re.compile(r"\w+$")
#: A quotation is in English when at least this many of its words are English and they outnumber
#: its French words (the entity pass's word-language test).
ENGLISH_QUOTATION_MIN_WORDS = 2
#: Names and titles whose spelling has a glued mark (package data, see the file's header).
NAMES_WITH_MARKS_FILE = "names_with_marks.txt"


def _document_space(text: str, default: str) -> tuple[str, int, Counter[str]]:
    """The space character this document uses before high punctuation, how often it spaces a
    mark, and how often it spaces each of ``? ! ; :``."""
    counts: Counter[str] = Counter()
    marks: Counter[str] = Counter()
    for m in _SPACED_BEFORE.finditer(text):
        counts[m.group()[0]] += 1
        marks[m.group()[1]] += 1
    for m in _SPACED_QUOTES.finditer(text):
        counts[m.group()[1] if m.group()[0] == "«" else m.group()[0]] += 1
    if not counts:
        return default, 0, marks
    space, _ = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return space, sum(counts.values()), marks


class _LineFacts:
    """What the glued-mark checks need to know of a mark's line, computed once per line (and only
    for lines that have a glued mark): its addresses, whether it is code, its quotations. Each
    check is then a look-up, so a long line with many marks costs one scan, not one per mark.
    Whether a quotation keeps its own marks (its language) is decided only for a quotation that
    holds a glued mark, and once."""

    def __init__(self, doc: Document, config: RepairConfig | None = None):
        self.doc = doc
        self.text = doc.text
        self.config = config if config is not None else RepairConfig()
        self._facts: dict[int, tuple[list[tuple[int, int]], bool, list[tuple[int, int]]]] = {}
        self._foreign: dict[int, bool] = {}  # quotation start -> keeps its own marks

    def of(self, pos: int) -> tuple[list[tuple[int, int]], bool, list[tuple[int, int]]]:
        """(address spans, is code, quotation spans) of ``pos``'s line."""
        line = self.doc.lines[self.doc.line_index(pos)]
        facts = self._facts.get(line.start)
        if facts is None:
            text, start, end = self.text, line.start, line.end
            # _URLISH and _QUOTATION never cross a line break: a scan of the line alone finds them.
            addresses = [m.span() for m in _URLISH.finditer(text, start, end)]
            quotations = [m.span() for m in _QUOTATION.finditer(text, start, end)]
            facts = self._facts[line.start] = (addresses, looks_like_code(line.text), quotations)
        return facts

    def is_foreign(self, start: int, end: int) -> bool:
        """Is the quotation ``text[start:end]`` in a language that keeps its own marks?"""
        foreign = self._foreign.get(start)
        if foreign is None:
            foreign = self._foreign[start] = _is_foreign_quotation(self.text[start:end], self.config)
        return foreign

    def keeps_its_own_typography(self, pos: int) -> bool:
        """A mark glued at ``pos`` that is not French prose: in an address, after a code
        identifier, on a line of code, ending a statement of code in running text, in a name
        spelt with it, or in a quotation in another language. Addresses and quotations are
        disjoint and in order: the one that could hold ``pos`` is found by bisection (a line of
        thousands of quotations stays linear)."""
        addresses, code, quotations = self.of(pos)
        if code or _IDENTIFIER_BEFORE.search(self.text, max(0, pos - 64), pos):
            return True
        k = bisect_right(addresses, (pos, math.inf)) - 1  # the last address starting at or before pos
        if k >= 0 and pos < addresses[k][1]:
            return True
        mark = self.text[pos]
        if mark == ":" and (_is_inline_code(self.text, pos) or _is_mail_prefix(self.doc, pos)):
            return True
        if mark in "!?" and names_with_marks(self.config.entity_gazetteer_paths).holds(self.text, pos):
            return True
        k = bisect_left(quotations, (pos,)) - 1  # the last quotation starting before pos
        return k >= 0 and pos < quotations[k][1] and self.is_foreign(*quotations[k])


def _is_mail_prefix(doc: Document, pos: int) -> bool:
    """Does the colon at ``pos`` end a fixed prefix of a mail subject (« Objet : Re: Re: Planning »,
    « TR: Devis », « Fwd: »)? These tokens are written without a space in French mail too."""
    start = doc.lines[doc.line_index(pos)].start
    return pos - start <= 80 and _MAIL_SUBJECT.search(doc.text, start, pos) is not None


def _is_inline_code(text: str, pos: int) -> bool:
    """Does the colon at ``pos`` end a statement of code written in running text (« if x: »,
    « for item in items: », « else: »)? The expression after the keyword has no French word, so
    French prose that happens to use the word (« en son for intérieur: ») is not code."""
    m = _CODE_STATEMENT.search(text, max(0, pos - 64), pos)
    if m is None:
        return False
    from ..entities.language import could_be_english

    return m.group(1) is None or all(could_be_english(w.lower()) for w in _WORD.findall(m.group(1)))


class _NamesWithMarks:
    """Names spelt with a glued mark, indexed by the word just before each of their marks."""

    def __init__(self, names: list[str]):
        self.names = tuple(names)
        #: last word before a mark -> (name, offset of that mark in the name)
        self._by_word: dict[str, list[tuple[str, int]]] = {}
        for name in names:
            for form in dict.fromkeys((name, name.upper())):
                for i, ch in enumerate(form):
                    word = _LAST_WORD.search(form, 0, i)
                    if ch in "!?" and word is not None:
                        self._by_word.setdefault(word.group(), []).append((form, i))

    def holds(self, text: str, pos: int) -> bool:
        """Is the mark at ``pos`` part of a listed name written there (whole words)?"""
        word = _LAST_WORD.search(text, max(0, pos - 64), pos)
        if word is None:
            return False
        for name, i in self._by_word.get(word.group(), ()):
            start, end = pos - i, pos - i + len(name)
            if (start >= 0 and text.startswith(name, start)
                    and not (start > 0 and text[start - 1].isalnum())
                    and not (end < len(text) and text[end].isalnum() and name[-1].isalnum())):
                return True
        return False


def parse_names_with_marks(content: str) -> list[str]:
    """The names of a names-with-marks file: one a line, ``#`` comments and blank lines skipped."""
    return [line.strip() for line in content.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def spelt_with_a_mark(name: str) -> bool:
    """Does ``name`` hold a « ! » or « ? » glued to a letter or digit (« Yahoo! », « Panic! at the Disco »)?"""
    return any(ch in "!?" and i > 0 and name[i - 1].isalnum() for i, ch in enumerate(name))


@lru_cache(maxsize=8)
def names_with_marks(gazetteer_paths: tuple[str, ...] = ()) -> _NamesWithMarks:
    """The names spelt with a glued mark: the shipped list, plus the names and aliases spelt so in
    the user's gazetteer files (``RepairConfig.entity_gazetteer_paths``: a name added there for
    entity restoration keeps its mark too). Read once per set of files."""
    item = resources.files("mtrepair.glossary_files").joinpath("entities", NAMES_WITH_MARKS_FILE)
    names = parse_names_with_marks(item.read_text(encoding="utf-8"))
    if gazetteer_paths:
        from ..entities.gazetteer import load_gazetteer

        user = load_gazetteer(gazetteer_paths, builtin=False)
        names += [form for entity in user.entities for form in entity.forms if spelt_with_a_mark(form)]
    return _NamesWithMarks(list(dict.fromkeys(names)))


def is_english(words: list[str]) -> bool:
    """Are these words English, by the entity pass's word-language test: at least
    ``ENGLISH_QUOTATION_MIN_WORDS`` English words, more than French ones (« Make it simple »:
    *simple* is French too)."""
    from ..entities.language import word_language

    languages = [word_language(w.lower()) for w in words]
    english = languages.count("en")
    return english >= ENGLISH_QUOTATION_MIN_WORDS and english > languages.count("fr")


def _is_foreign_quotation(quotation: str, config: RepairConfig) -> bool:
    """Is this quotation (its marks included) in English, in Spanish (« ¿… ? », « ¡… ! »), between
    German-style marks (« „…“ »), or in another language (:func:`in_other_language`)?"""
    inside = quotation[1:].lstrip()
    if inside[:1] in ("¿", "¡") or quotation[0] == "„":
        return True
    words = _WORD.findall(quotation)
    return is_english(words) or in_other_language(quotation[1:-1], words, config)


@lru_cache(maxsize=8)
def _guesser(seed: int):
    from ..entities.language import LanguageGuesser

    return LanguageGuesser(seed)


def in_other_language(text: str, words: list[str], config: RepairConfig) -> bool:
    """Is ``text`` (a quotation's inside, with its ``words``) in a language other than French
    (German or Italian, say: « Wir schaffen das! »)? It needs at least
    ``config.typography_foreign_min_words`` different words, none of them French
    (:func:`is_french_word`) and one at least that the entity pass's word test does not call
    French either (« Oh! Ah! Bravo! » is French: every word is), and langdetect naming another
    language with at least ``config.typography_foreign_min_probability``. langdetect is unreliable
    on a few words of French (« Merci patron! » comes out Italian), hence the word filters;
    repeated words (« Victor! Victor! Victor! ») count once."""
    from ..entities.language import word_language

    distinct = {w.lower() for w in words}
    if (len(distinct) < config.typography_foreign_min_words or any(map(is_french_word, distinct))
            or all(word_language(w) == "fr" for w in distinct)):
        return False
    guess = _guesser(config.langdetect_seed).guess(text, ())
    return guess.language not in ("fr", "?") and guess.probability >= config.typography_foreign_min_probability


#: A word at least this frequent in French (Zipf scale)...
FRENCH_WORD_MIN_ZIPF = 4.0
#: ...and at least this much more frequent in French than in English is French, whatever else it
#: may be (*merci*, *madame*, *jamais*). German and Italian words that French corpora also hold
#: are rarer (*das* 3.6, *mia* 3.7) or as frequent in English (*und*, *der*).
FRENCH_WORD_MARGIN = 1.0


@lru_cache(maxsize=65536)
def is_french_word(word: str) -> bool:
    """A lower-case word that marks a quotation as French: a French function word, a word French
    uses and English hardly knows (*ça*, *liberté*), or a common French word (see
    ``FRENCH_WORD_MIN_ZIPF``). The entity pass's word test alone is too lenient here: it calls
    *wir* and *das* French."""
    from ..entities.language import could_be_english, zipf_pair

    if not could_be_english(word):  # French stop words included
        return True
    en, fr = zipf_pair(word)
    return fr >= FRENCH_WORD_MIN_ZIPF and fr - en >= FRENCH_WORD_MARGIN


def find_typography(doc: Document, config: RepairConfig) -> list[Finding]:
    text = doc.text
    if not any(c in text for c in "?!;:«»"):
        return []
    gaps: list[tuple[int, str]] = []  # (insertion offset, mark)
    lines = _LineFacts(doc, config)
    for m in _GLUED_BEFORE.finditer(text):
        if not lines.keeps_its_own_typography(m.start()):
            gaps.append((m.start(), m.group()))
    for m in _GLUED_OPEN.finditer(text):
        gaps.append((m.end(), "«"))
    for m in _GLUED_CLOSE.finditer(text):
        gaps.append((m.start(), "»"))
    if not gaps:
        return []
    space, spaced, spaced_marks = _document_space(text, config.typography_space)
    family_glued = sum(mark in _UNSPACED_FAMILY for _, mark in gaps)
    # Colons spaced, ? ! ; glued throughout: the document's convention (Québec usage), not MT damage.
    convention = (config.typography_style == "document" and config.typography_convention_min_marks > 0
                  and spaced_marks[":"] > 0 and not any(spaced_marks[m] for m in _UNSPACED_FAMILY)
                  and family_glued >= config.typography_convention_min_marks)
    follows_document = spaced >= len(gaps) - (family_glued if convention else 0)
    name = {"\u202f": "narrow no-break space", "\u00a0": "no-break space", " ": "space"}.get(space, repr(space))
    findings = []
    for pos, mark in sorted(gaps):
        where = "after" if mark == "«" else "before"
        evidence = {"spaced_marks_in_document": spaced, "glued_marks": len(gaps)}
        if convention and mark in _UNSPACED_FAMILY:
            auto = False
            why = (f"; this document spaces « : » but never « ? ! ; » ({family_glued} glued), as Québec "
                   "usage does, so it is only reported")
            evidence.update(spaced_question_exclamation_semicolon=0,
                            glued_question_exclamation_semicolon=family_glued)
        else:
            auto = config.typography_style == "french" or follows_document
            why = "" if auto else "; this document mostly does not, so it is only reported"
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
                explanation=f"French typography puts a {name} {where} « {mark} »" + why,
                mode="auto" if auto else "report",
                evidence=evidence,
            )
        )
    return findings


class TypographyPass:
    name = "typography"

    def __init__(self, config: RepairConfig):
        self.config = config

    def find(self, doc: Document) -> list[Finding]:
        return find_typography(doc, self.config)
