"""Pass 2: remove scraped boilerplate (adverts, calls to action, site footers).

Two sources of evidence:

* rules: glossary entries of category ``boilerplate`` (``glossary/fr/boilerplate.yaml``
  and user files); each says with ``scope`` what goes when it matches — the
  matched ``span``, its ``sentence``, its ``line`` or its ``paragraph``;
* one layout heuristic: an advert is a *block*. Short lines without final
  punctuation (at most ``RepairConfig.boilerplate_absorb_max_words`` words)
  that sit directly above or below a removed line belong to the same block
  ("Événement VB", a lone event title) and are removed with it — except a short
  line directly above a line of content, which is that content's heading.

A line that a rule would delete is kept when it is an item of a list introduced
by a colon (« Les secteurs qui recrutent : » over « Commerce », « Publicité »…).

Some labels are also ordinary headings: « Newsletter », « Mentions légales »,
« Partenariat » head an article about a town newsletter, about legal notices, about
a partnership. Their rules list, in ``context.topic``, words of the content such a
line may head or belong to; the line is then kept (reported) when the evidence says
content (:class:`LabelEvidence`): the sentence right under it talks about its
subject, or it is a line inside a listing of practical information about it. A
label with boilerplate right above or below it is site furniture and goes.

A rule of sentence scope without required context words deletes a whole
sentence on the strength of its phrase alone, so it does so only for a short
sentence (``RepairConfig.boilerplate_sentence_max_words`` other words): a long
one is content that quotes the phrase, and is reported instead. The sentence
stops at a full stop glued to the next sentence (« la haine.Le Vingtième Siècle
Tous droits réservés. », a scraper's or a corpus's join that the tokeniser reads
as one word): only the part holding the phrase goes.

A rule of line or paragraph scope takes the line (paragraph) as its evidence, so
it deletes it only when the line IS the furniture (:func:`_scope_is_content`):
at most ``RepairConfig.boilerplate_line_max_words`` words besides the
boilerplate phrases in it, and no sentence of it without a boilerplate phrase
except a call to the reader opened by an imperative (« Déjà abonné ?
Connectez-vous. ») or a short unpunctuated label (« Publicité / Offre
spéciale »). « Voir aussi : » in a paragraph of prose is reported, not deleted
with the paragraph.

Deleting a line deletes its line break too, so no blank hole is left.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from typing import TYPE_CHECKING

from ..config import RepairConfig
from ..document import Document
from ..glossary.engine import context_items
from ..types import Category, Finding, Source
from .linebreaks import STRANDED_WORDS

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Glossary, GlossaryMatch

_BLOCK_SOURCE = Source("heuristic", "advert-block")
_FINAL = tuple(".?…:;»\")]")
_WORD = re.compile(r"[^\W\d_]+")


def _line_extent(doc: Document, index: int) -> tuple[int, int]:
    """Offsets that delete line ``index`` and one adjacent line break."""
    line = doc.lines[index]
    if index + 1 < len(doc.lines):
        return line.start, line.end + 1
    if index > 0:
        return line.start - 1, line.end
    return line.start, line.end


def _tidy(doc: Document, start: int, end: int) -> tuple[int, int]:
    """Adjust the deletion the glossary computed for the entry's ``scope``.

    The glossary already widened the match to its scope (span, sentence with
    the spaces after it, line, paragraph). Here: a deletion that leaves its
    line empty takes the whole line with its break, and one that ends its line
    takes the spaces before it instead, so no trailing blank is left.
    """
    text = doc.text
    idx = doc.line_index(start)
    line = doc.lines[idx]
    if end > line.end:  # already a whole line (or more) with its break
        return start, end
    if text[line.start : start].strip() == "" and text[end : line.end].strip() == "":
        return _line_extent(doc, idx)
    if text[end : line.end].strip() == "":
        while start > line.start and text[start - 1] in " \t\u00a0\u202f":
            start -= 1
    return start, end


def _is_short_title(doc: Document, index: int, max_words: int) -> bool:
    """A short, capitalised, unpunctuated line that is not part of a running sentence."""
    stripped = doc.lines[index].text.strip()
    if not stripped or len(stripped.split()) > max_words or stripped.endswith(_FINAL):
        return False
    if not (stripped[0].isupper() or stripped[0].isdigit()):
        return False  # a lower-case line continues the sentence above it
    if stripped.rsplit(None, 1)[-1].lower() in STRANDED_WORDS:
        return False  # "... pendant": the sentence goes on below
    below = doc.lines[index + 1].text.lstrip() if index + 1 < len(doc.lines) else ""
    return not (below[:1].islower())


def _is_absorbable(doc: Document, index: int, removed: set[int], max_words: int, in_a_run: bool) -> bool:
    """A short title stuck to removed lines (:func:`_is_short_title`) that is not the heading of
    the content below it. A lone short line between a rule's line and content is that content's
    heading; one that ends a run of short lines already absorbed (« Partager : » over
    « Facebook », « Twitter », « E-mail ») is the run's last item (``in_a_run``)."""
    if not _is_short_title(doc, index, max_words):
        return False
    below = index + 1
    return (in_a_run or below >= len(doc.lines) or below in removed or not doc.lines[below].text.strip()
            or _is_short_title(doc, below, max_words))


def list_items(doc: Document) -> list[bool]:
    """For each line: is it an item of a list, i.e. unpunctuated lines going up to a line that
    ends with a colon (« Les secteurs qui recrutent : » over « Commerce », « Publicité »)? One pass
    over the lines, however many matches ask."""
    items: list[bool] = []
    introduced = False  # the lines above, up to a colon, allow the next line to be an item
    for line in doc.lines:
        stripped = line.text.strip()
        items.append(bool(stripped) and introduced and not stripped.endswith(_FINAL))
        if not stripped:
            introduced = False
        elif stripped.endswith(":"):
            introduced = True
        elif stripped.endswith(_FINAL):
            introduced = False
    return items


def _deletes_one_line(doc: Document, start: int, end: int, index: int) -> bool:
    """Does the deletion ``[start, end)`` remove line ``index`` whole, with one line break, and
    nothing else (:func:`_line_extent`)?"""
    line = doc.lines[index]
    return line.start - 1 <= start <= line.start and line.end <= end <= line.end + 1


#: A line that ends a sentence: the paragraph a heading stands over ends so (not « : »).
_SENTENCE_END = tuple(".!?…»\")")
#: Words that address the reader or speak for the publisher (« Recevez notre lettre… »,
#: « Inscrivez-vous… »): a promotion, not a paragraph about the label's subject.
_ADDRESS = frozenset("vous votre vos notre nos nous".split())
#: The publisher speaking of its own page (« Cet article a été réalisé en partenariat avec… »).
_SELF_REFERENCE = re.compile(r"\b(?:cet article|ce contenu|cette page|ce site|cette vidéo)\b", re.IGNORECASE)
#: Capitalised words ending in -ez that are no imperative.
_NOT_IMPERATIVE = frozenset("chez assez rendez-vous nez".split())
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")


def _line_words(doc: Document, index: int) -> list[str]:
    """The normalised words of line ``index`` (its tokens' forms, punctuation left out)."""
    line = doc.lines[index]
    toks = doc.tokens
    i = bisect_left(toks, line.start, key=lambda t: t.start)
    out: list[str] = []
    while i < len(toks) and toks[i].start < line.end:
        if toks[i].kind != "punct":
            out.append(toks[i].norm)
        i += 1
    return out


def _addresses_reader(text: str) -> bool:
    """Does the line (outside quotations) speak to the reader or for the publisher: « vous »,
    « notre », « cet article », an imperative first word (« Recevez », « Inscrivez-vous »)?"""
    text = _QUOTED.sub(" ", text)
    words = _lower_words(text)
    return any(w in _ADDRESS for w in words) or bool(_SELF_REFERENCE.search(text)) or _opens_on_imperative(words)


_WORD_OR_HYPHEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _lower_words(text: str) -> list[str]:
    """The words of ``text`` (hyphenated ones whole), in lower case."""
    return [w.lower() for w in _WORD_OR_HYPHEN.findall(text)]


def _opens_on_imperative(words: list[str]) -> bool:
    """Is the first of ``words`` an imperative (« recevez », « inscrivez-vous »)?"""
    first = words[0] if words else ""
    return first.split("-")[0].endswith("ez") and first not in _NOT_IMPERATIVE
#: A markdown heading marker at the start of a line (« ## Publicité »).
_MARKDOWN_HEADING = re.compile(r"#{1,6} \S")
#: Words that speak to the reader (a promotion under a heading); « notre », « nous » may be the
#: publication speaking of itself in content (« Notre lettre quotidienne compte 40 000 abonnés »).
_READER = frozenset("vous votre vos".split())


def _heading_over_content(doc: Document, index: int, matched_lines: set[int]) -> bool:
    """Is line ``index`` a markdown section heading (« ## Publicité »), not under another boilerplate
    match, whose section starts with a sentence of content: the next non-blank line is no
    boilerplate match, ends a sentence and
    neither speaks to the reader (« vous ») nor opens on an imperative (« Recevez… »)? Site
    furniture converted to markdown (« ## Newsletter » over « Inscrivez-vous… ») fails this."""
    if not _MARKDOWN_HEADING.match(doc.lines[index].text.lstrip()):
        return False
    above = index - 1
    while above >= 0 and not doc.lines[above].text.strip():
        above -= 1
    if above in matched_lines:
        return False  # under another match: a block of furniture (« ## Publicité » over « ## Newsletter »)
    below = index + 1
    while below < len(doc.lines) and not doc.lines[below].text.strip():
        below += 1
    if below >= len(doc.lines) or below in matched_lines:
        return False
    text = doc.lines[below].text.strip()
    return (text.endswith(_SENTENCE_END) and not _MARKDOWN_HEADING.match(text) and not _is_call(text)
            and not any(w in _READER for w in _lower_words(_QUOTED.sub(" ", text))))


def _is_call(text: str) -> bool:
    """Is the sentence a call to the reader, opened by an imperative (« Connectez-vous. »,
    « Cliquez ici. »)? « Je vous suis. » speaks to someone, but in a story."""
    return _opens_on_imperative(_lower_words(text))


def _topic_word(doc: Document, topic: tuple[str, ...], lines: list[int]) -> str | None:
    """The first item of ``topic`` (a form, its lemma, or several words) found in ``lines``."""
    words: list[str] = []
    for index in lines:
        words.extend(_line_words(doc, index))
    forms = set(words)
    for item in topic:
        if context_items((item,)).any_present(forms, (words, [])):
            return item
    return None


class LabelEvidence:
    """Evidence that a label a rule with ``context.topic`` words would delete is content, for one
    document (built at its first such label). ``furniture``: the lines boilerplate matches fall on
    (:func:`_furniture`), the label's own line among them.

    :meth:`why_content` says why line ``index`` is content, or None (site furniture):

    * it heads a paragraph about its own subject: it starts the document, follows a blank line or
      a finished sentence (not a column of short lines: « Partager / Facebook / Newsletter »), and
      the line right under it is a sentence (it ends with « . ! ? … ») that uses a topic word and
      addresses nobody (no « vous », « notre », « cet article », no imperative: « Newsletter »
      over « La lettre d'information de la communauté de communes paraît… », not over
      « Recevez notre lettre d'information. »);
    * it is a line inside a listing of practical information: between two short lines (at most
      ``boilerplate_listing_max_words`` words, no final full stop) in a run of such lines that
      holds a number (a date, an hour, a phone number) and a topic word and addresses nobody
      (« Places limitées » in « Stage de poterie / Du 8 au 12 juillet / Places limitées /
      Renseignements au 04… »).

    Either way, a label with a boilerplate line right above or below it (or, for a listing,
    anywhere in the run) belongs to a block of furniture and gets no evidence. A run of listing
    lines is read once however many labels it holds.
    """

    def __init__(self, doc: Document, furniture: set[int], config: RepairConfig) -> None:
        self.doc = doc
        self.furniture = furniture
        self.max_words = config.boilerplate_listing_max_words
        self._runs: dict[int, tuple[int, int]] = {}  # line -> (first, last) of its listing run
        self._listings: dict[tuple[int, tuple[str, ...]], str | None] = {}

    def why_content(self, index: int, topic: tuple[str, ...]) -> str | None:
        doc, furniture = self.doc, self.furniture
        if not topic or (index - 1) in furniture or (index + 1) in furniture:
            return None
        below = index + 1
        above = doc.lines[index - 1].text.strip() if index > 0 else ""
        if below < len(doc.lines) and (not above or above.endswith(_SENTENCE_END)):
            text = doc.lines[below].text.strip()
            if text.endswith(_SENTENCE_END) and not _addresses_reader(text):
                word = _topic_word(doc, topic, [below])
                if word is not None:
                    return (f"heads a sentence about its own subject (« {word} »): an intertitle, "
                            "so it is kept")
        if not (index > 0 and below < len(doc.lines) and self._is_listing_line(index - 1)
                and self._is_listing_line(below)):
            return None
        key = (self._run(index)[0], topic)
        if key not in self._listings:
            self._listings[key] = self._listing_evidence(*self._run(index), topic)
        return self._listings[key]

    def _is_listing_line(self, index: int) -> bool:
        """A short line of a listing: not blank, at most ``max_words`` words, no final full stop."""
        stripped = self.doc.lines[index].text.strip()
        return bool(stripped) and len(stripped.split()) <= self.max_words and not stripped.endswith((".", "!", "…"))

    def _run(self, index: int) -> tuple[int, int]:
        """The run of listing lines around line ``index`` (itself one)."""
        if index not in self._runs:
            first, last = index, index
            while first > 0 and self._is_listing_line(first - 1):
                first -= 1
            while last + 1 < len(self.doc.lines) and self._is_listing_line(last + 1):
                last += 1
            for i in range(first, last + 1):
                self._runs[i] = (first, last)
        return self._runs[index]

    def _listing_evidence(self, first: int, last: int, topic: tuple[str, ...]) -> str | None:
        """The run ``first..last`` holds one label (the only boilerplate line), a number and a topic
        word in its other lines, and none of them addresses the reader."""
        lines = range(first, last + 1)
        others = [i for i in lines if i not in self.furniture]
        if len(others) != len(lines) - 1:
            return None
        text = self.doc.lines
        if any(_addresses_reader(text[i].text) for i in others):
            return None
        if not any(c.isdigit() for i in others for c in text[i].text):
            return None
        word = _topic_word(self.doc, topic, others)
        if word is None:
            return None
        return (f"a line of a listing of practical information (dates, hours, phone numbers; « {word} ») "
                "with no other boilerplate around: content, so it is kept")


#: A full stop glued to the next sentence: « haine.Le », lower-case letter, final mark, capital.
_GLUED_STOP = re.compile(r"(?<=[^\W\d_])[.!?…](?=[^\W\d_])")


def _glued_stops(text: str, start: int, end: int) -> list[int]:
    """Offsets just after the glued full stops in ``text[start:end]`` (« haine.|Le »): a lower-case
    letter, a final mark and a capital with no space between, which the tokeniser keeps in one word
    (it cannot tell « haine.Le » from a domain name) so the sentence does not end there. Two
    lower-case letters before the mark: an initial (« M.Dupont ») is not a sentence."""
    out = []
    for m in _GLUED_STOP.finditer(text, start, end):
        before = text[max(start, m.start() - 2):m.start()]
        if len(before) == 2 and before.isalpha() and before.islower() and text[m.end()].isupper():
            out.append(m.end())
    return out


def _extent(doc: Document, match: "GlossaryMatch") -> tuple[int, int]:
    """What the match deletes before tidying: its scope's extent, except that a sentence stops at
    a full stop glued to the next sentence (:func:`_glued_stops`)."""
    start, end = match.start, match.end
    if getattr(match.entry, "scope", "span") == "sentence":
        text = doc.text
        before = _glued_stops(text, start, match.pattern_start)
        after = _glued_stops(text, match.pattern_end, end)
        if before:
            start = before[-1]
        if after:
            end = after[0]
    return start, end


def _sentence_is_content(match: "GlossaryMatch", doc: Document, max_words: int) -> bool:
    """Is the sentence a context-free sentence-scope rule would delete (:func:`_extent`) longer
    than ``max_words`` words besides the rule's own phrase (content quoting the phrase)?"""
    entry = match.entry
    if getattr(entry, "scope", "span") != "sentence" or entry.context.require:
        return False
    start, end = _extent(doc, match)
    text = doc.text
    others = len(_WORD.findall(text, start, match.pattern_start)) + len(
        _WORD.findall(text, match.pattern_end, end))
    return others > max_words


def _phrases(doc: Document, matches: list["GlossaryMatch"], config: RepairConfig) -> list[tuple[int, int]]:
    """The phrases of the boilerplate matches, ``(pattern_start, pattern_end)``, leaving out
    sentences kept as content."""
    return sorted((m.pattern_start, m.pattern_end) for m in matches
                  if not _sentence_is_content(m, doc, config.boilerplate_sentence_max_words))


def _scope_is_content(doc: Document, match: "GlossaryMatch", phrases: list[tuple[int, int]],
                      config: RepairConfig) -> str | None:
    """Why the line (paragraph) a rule of line or paragraph scope would delete is not the furniture
    itself, or None when it is: it has more than ``boilerplate_line_max_words`` words besides the
    boilerplate phrases in it, or a sentence without a boilerplate phrase that is no call to the
    reader (:func:`_is_call`) nor a short unpunctuated label (at most ``boilerplate_absorb_max_words``
    words, like the lines the advert block absorbs: « Publicité / Offre spéciale »): « Louise
    rapporte la scène à son père. Voir aussi : Grabar (O.). … » and « Voir aussi : Grabar (O.). Je
    vous suis. » are prose; « Déjà abonné ? Connectez-vous. » is furniture)."""
    scope = getattr(match.entry, "scope", "span")
    if scope not in ("line", "paragraph"):
        return None
    text = doc.text
    start, end = match.start, match.end
    while end > start and text[end - 1] in "\n \t":
        end -= 1
    inside = [(a, b) for a, b in phrases if a < end and b > start]

    def outside(a: int, b: int) -> list[str]:
        return [w.group() for w in _WORD.finditer(text, a, b)
                if not any(p <= w.start() < q for p, q in inside)]

    others = outside(start, end)
    if len(others) > config.boilerplate_line_max_words:
        return (f"in a {scope} of {len(others)} words besides its boilerplate (more than "
                f"{config.boilerplate_line_max_words}): not the furniture itself, so the {scope} is kept")
    for s in doc.sentences:
        if s.end <= start or s.start >= end:
            continue
        a, b = max(s.start, start), min(s.end, end)
        if any(p < b and q > a for p, q in inside) or not outside(a, b):
            continue
        piece = text[a:b].strip()
        if _is_call(piece) or (len(piece.split()) <= config.boilerplate_absorb_max_words
                               and not piece.endswith(_FINAL)):
            continue  # a call to the reader, or a short unpunctuated label (« Offre spéciale »)
        return (f"in a {scope} that also holds the sentence « {piece} », which is no "
                f"boilerplate: not the furniture itself, so the {scope} is kept")
    return None


def _furniture(doc: Document, matches: list["GlossaryMatch"], config: RepairConfig,
               phrases: list[tuple[int, int]]) -> set[int]:
    """The lines that boilerplate matches fall on (their phrase, not their scope), leaving out
    sentences and lines kept as content."""
    lines: set[int] = set()
    for m in matches:
        if (not _sentence_is_content(m, doc, config.boilerplate_sentence_max_words)
                and _scope_is_content(doc, m, phrases, config) is None):
            first = doc.line_index(m.pattern_start)
            lines.update(range(first, doc.line_index(max(m.pattern_start, m.pattern_end - 1)) + 1))
    return lines


class _Taken:
    """The deletions made so far, ``[start, end)``, none overlapping another: whether a new one
    overlaps one of them is a bisection, not a scan (a block of 200,000 characters of boilerplate
    lines made the pass quadratic)."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []  # sorted; their ends are sorted too
        self._ends: set[int] = set()

    def overlaps(self, start: int, end: int) -> bool:
        """``any(s < end and start < e for s, e in spans)``: the last span starting before
        ``end`` has the largest end of those."""
        i = bisect_left(self._spans, (end,))
        return i > 0 and self._spans[i - 1][1] > start

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))
        self._ends.add(end)

    def ends_at(self, offset: int) -> bool:
        return offset in self._ends


def find_boilerplate(doc: Document, glossary: "Glossary | None", config: RepairConfig) -> list[Finding]:
    if glossary is None:
        return []
    # This pass runs first, and the later ones (entities, unlisted phrases, the model gate) read
    # the document's tokens: computing them now lets the glossary match on them instead of
    # tokenising the text a second time (results are the same either way).
    doc.tokens  # noqa: B018
    findings: list[Finding] = []
    removed_lines: set[int] = set()
    taken = _Taken()
    items: list[bool] | None = None  # list_items(doc), at the first whole-line match
    matches = [m for m in glossary.match(doc) if m.entry.category == Category.BOILERPLATE.value]
    evidence: LabelEvidence | None = None  # at the first label whose rule has a topic
    phrases: list[tuple[int, int]] | None = None  # _phrases(...), at the first line-scope match
    matched_lines: set[int] | None = None  # lines of the matches' phrases, at the first whole-line match
    for match in matches:
        entry = match.entry
        if _sentence_is_content(match, doc, config.boilerplate_sentence_max_words):
            findings.append(_kept_as_content(
                doc, match, f"in a sentence of more than {config.boilerplate_sentence_max_words} other "
                "words: likely content quoting it, so the sentence is kept"))
            continue
        if getattr(entry, "scope", "span") in ("line", "paragraph"):
            phrases = _phrases(doc, matches, config) if phrases is None else phrases
            why = _scope_is_content(doc, match, phrases, config)
            if why is not None:
                findings.append(_kept_as_content(doc, match, why))
                continue
        start, end = _tidy(doc, *_extent(doc, match))
        if taken.overlaps(start, end):
            continue
        matched_line = doc.line_index(match.pattern_start)
        if _deletes_one_line(doc, start, end, matched_line):
            items = list_items(doc) if items is None else items
            if items[matched_line]:
                findings.append(_kept_as_content(
                    doc, match, "a line of a list introduced by « … : » (« Commerce, Publicité, Bâtiment »): "
                    "an item, so it is kept"))
                continue
            if matched_lines is None:
                matched_lines = {doc.line_index(m.pattern_start) for m in matches}
            if _heading_over_content(doc, matched_line, matched_lines):
                findings.append(_kept_as_content(
                    doc, match, "a markdown section heading (« ## … ») over a sentence of content: the "
                    "article's own heading, so it is kept"))
                continue
            topic = getattr(getattr(entry, "context", None), "topic", ())
            if topic:
                if evidence is None:
                    phrases = _phrases(doc, matches, config) if phrases is None else phrases
                    evidence = LabelEvidence(doc, _furniture(doc, matches, config, phrases), config)
                why = evidence.why_content(matched_line, topic)
                if why is not None:
                    findings.append(_kept_as_content(doc, match, why))
                    continue
        taken.add(start, end)
        first, last = doc.line_index(start), doc.line_index(max(start, end - 1))
        whole_lines = start <= doc.lines[first].start and end >= doc.lines[last].end
        if whole_lines:
            removed_lines.update(range(first, last + 1))
        findings.append(_rule_finding(
            doc, entry, start, end, entry.confidence, entry.mode,
            f"scraped boilerplate ({entry.note or 'site furniture'}): removes the "
            f"{getattr(entry, 'scope', 'span') or 'span'}"))
    # Grow each removed block by the short unpunctuated lines stuck to it.
    matched_lines = set(removed_lines)  # removed by a rule; the others are absorbed
    frontier = sorted(removed_lines)
    while frontier:
        index = frontier.pop()
        for neighbour in (index - 1, index + 1):
            if neighbour in removed_lines or not 0 <= neighbour < len(doc.lines):
                continue
            if not _is_absorbable(doc, neighbour, removed_lines, config.boilerplate_absorb_max_words,
                                  in_a_run=index not in matched_lines):
                continue
            start, end = _line_extent(doc, neighbour)
            if (neighbour == len(doc.lines) - 1 and index not in matched_lines
                    and taken.ends_at(start + 1)):
                # The document's last line ending a run of absorbed lines, which took the line
                # break above it: it goes without a line break of its own (« Partager : /
                # Facebook / Twitter » ending the article left « Twitter »). A lone short last
                # line under a rule's line still stays (« Le conseil se réunira jeudi »).
                start += 1
            if taken.overlaps(start, end):
                continue
            removed_lines.add(neighbour)
            frontier.append(neighbour)
            taken.add(start, end)
            findings.append(
                Finding(
                    start=start,
                    end=end,
                    span=doc.text[start:end],
                    category=Category.BOILERPLATE.value,
                    rule="BPL-BLOCK",
                    source=_BLOCK_SOURCE,
                    suggestions=("",),
                    confidence=0.8,
                    explanation="short unpunctuated line stuck to removed boilerplate: part of the same advert block",
                    evidence={"max_words": config.boilerplate_absorb_max_words},
                )
            )
    findings.sort(key=lambda f: f.start)
    return findings


#: Confidence of a boilerplate match kept as content (reported only): below any auto-apply threshold.
KEPT_AS_CONTENT_CONFIDENCE = 0.5


def _kept_as_content(doc: Document, match: "GlossaryMatch", why: str) -> Finding:
    """The report-only finding of a boilerplate phrase that is content here (the phrase alone)."""
    entry = match.entry
    return _rule_finding(doc, entry, match.pattern_start, match.pattern_end,
                         min(entry.confidence, KEPT_AS_CONTENT_CONFIDENCE), "report",
                         f"boilerplate phrase ({entry.note or 'site furniture'}) {why} (reported only)")


def _rule_finding(doc: Document, entry, start: int, end: int, confidence: float, mode: str,
                  explanation: str) -> Finding:
    """A finding of boilerplate rule ``entry`` deleting ``[start, end)``."""
    return Finding(
        start=start,
        end=end,
        span=doc.text[start:end],
        category=Category.BOILERPLATE.value,
        rule=entry.id,
        source=Source("glossary", entry.path, entry.line),
        suggestions=("",),
        confidence=confidence,
        explanation=explanation,
        mode=mode,
        evidence={"pattern": entry.pattern, "scope": getattr(entry, "scope", "span")},
    )


class BoilerplatePass:
    name = "boilerplate"

    def __init__(self, glossary: "Glossary | None", config: RepairConfig):
        self.glossary = glossary
        self.config = config

    def find(self, doc: Document) -> list[Finding]:
        return find_boilerplate(doc, self.glossary, self.config)
