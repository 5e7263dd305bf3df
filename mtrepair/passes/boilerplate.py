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

A rule of sentence scope without required context words deletes a whole
sentence on the strength of its phrase alone, so it does so only for a short
sentence (``RepairConfig.boilerplate_sentence_max_words`` other words): a long
one is content that quotes the phrase, and is reported instead.

Deleting a line deletes its line break too, so no blank hole is left.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..config import RepairConfig
from ..document import Document
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


def _sentence_is_content(match: "GlossaryMatch", text: str, max_words: int) -> bool:
    """Is the sentence a context-free sentence-scope rule would delete longer than
    ``max_words`` words besides the rule's own phrase (content quoting the phrase)?"""
    entry = match.entry
    if getattr(entry, "scope", "span") != "sentence" or entry.context.require:
        return False
    others = len(_WORD.findall(text, match.start, match.pattern_start)) + len(
        _WORD.findall(text, match.pattern_end, match.end))
    return others > max_words


def find_boilerplate(doc: Document, glossary: "Glossary | None", config: RepairConfig) -> list[Finding]:
    if glossary is None:
        return []
    # This pass runs first, and the later ones (entities, unlisted phrases, the model gate) read
    # the document's tokens: computing them now lets the glossary match on them instead of
    # tokenising the text a second time (results are the same either way).
    doc.tokens  # noqa: B018
    findings: list[Finding] = []
    removed_lines: set[int] = set()
    taken: list[tuple[int, int]] = []
    items: list[bool] | None = None  # list_items(doc), at the first whole-line match
    for match in glossary.match(doc):
        entry = match.entry
        if entry.category != Category.BOILERPLATE.value:
            continue
        if _sentence_is_content(match, doc.text, config.boilerplate_sentence_max_words):
            findings.append(_kept_as_content(
                doc, match, f"in a sentence of more than {config.boilerplate_sentence_max_words} other "
                "words: likely content quoting it, so the sentence is kept"))
            continue
        start, end = _tidy(doc, match.start, match.end)
        if any(s < end and start < e for s, e in taken):
            continue
        matched_line = doc.line_index(match.pattern_start)
        if _deletes_one_line(doc, start, end, matched_line):
            items = list_items(doc) if items is None else items
            if items[matched_line]:
                findings.append(_kept_as_content(
                    doc, match, "a line of a list introduced by « … : » (« Commerce, Publicité, Bâtiment »): "
                    "an item, so it is kept"))
                continue
        taken.append((start, end))
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
            if any(s < end and start < e for s, e in taken):
                continue
            removed_lines.add(neighbour)
            frontier.append(neighbour)
            taken.append((start, end))
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
