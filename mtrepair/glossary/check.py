"""``glossary check``: validate entries the way LanguageTool validates rules.

Every problem is a :class:`GlossaryError` (``file:line: reason``):

* schema errors and duplicate ids (from loading);
* conflicting patterns: the same compiled token sequence, with the same
  context, in two entries that replace it differently;
* the example must fire, and give ``expect`` when replace[0] is applied;
* an entry whose replacement the engine cannot build on its own example
  (downgraded to report) is an error unless the entry is report-only;
* every counter-example must stay silent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .glossary import Glossary
from .lexicon import lemma, lemma_class
from .pattern import parse
from .realise import FUNCTION_WORDS
from ..tokens import tokenize_phrase
from .model import Entry, GlossaryError, GlossaryMatch


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[GlossaryError, ...]
    families: dict[str, int]
    modes: dict[str, int]
    entries: int
    #: Doubtful but possibly intended constructs (do not fail the check).
    warnings: tuple[GlossaryError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def apply_matches(text: str, matches: list[GlossaryMatch]) -> str:
    """Apply each match's first suggestion (matches must not overlap)."""
    out = []
    pos = 0
    for m in sorted(matches, key=lambda m: m.start):
        if m.start < pos or not m.suggestions:
            continue
        out.append(text[pos:m.start])
        out.append(m.suggestions[0])
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


class _Only:
    """A glossary view restricted to one entry (what the boilerplate pass needs: ``match(doc)``)."""

    def __init__(self, glossary: Glossary, entry_id: str) -> None:
        self._glossary = glossary
        self._only = frozenset({entry_id})

    def match(self, doc):
        return self._glossary.match(doc, only=self._only)


def boilerplate_output(glossary: Glossary, e: Entry, text: str) -> str:
    """``text`` after the repair path's boilerplate removal with entry ``e`` applied.

    The very code the repairer runs (:func:`mtrepair.passes.boilerplate.find_boilerplate`, which
    tidies each deletion and grows advert blocks, then :func:`mtrepair.resolve.select_edits` and
    :func:`mtrepair.resolve.apply_edits`), with the entry treated as applied (mode auto, any
    confidence): ``expect`` then means what users get.
    """
    from dataclasses import replace

    from ..config import RepairConfig
    from ..document import Document
    from ..passes.boilerplate import find_boilerplate
    from ..resolve import apply_edits, select_edits

    config = replace(RepairConfig(), min_confidence=0.0)
    findings = [replace(f, mode="auto") for f in find_boilerplate(Document(text), _Only(glossary, e.id), config)]
    edits, _ = select_edits(findings, config)
    return apply_edits(text, edits)


def _conflicts(glossary: Glossary) -> list[GlossaryError]:
    problems = []
    seen: dict[tuple, Entry] = {}
    for c in glossary.matcher.compiled:
        e = c.entry
        # Two variants conflict when they accept the same texts: same exact forms,
        # same lemma classes for plain tokens ("gardé" and "garder" are one token).
        key = (tuple(("=" + t.norm) if t.exact else lemma_class(t.norm) for t in c.tokens), e.context)
        other = seen.get(key)
        if other is None:
            seen[key] = e
        elif other.id != e.id and other.replace[:1] != e.replace[:1]:
            problems.append(GlossaryError(
                e.path, e.line,
                f"{e.id}: pattern variant '{c.text}' is also in {other.id} ({other.where}) "
                f"with another replacement ({other.replace[0]!r} vs {e.replace[0]!r})"))
    # one message per entry pair is enough
    uniq, out = set(), []
    for p in problems:
        k = str(p).split(": pattern variant")[0]
        if k not in uniq:
            uniq.add(k)
            out.append(p)
    return out


def _alternatives_lint(e: Entry) -> list[GlossaryError]:
    """An item "hausse|baisse|chute" whose replacement keeps one alternative ("hausse
    spectaculaire") turns the other alternatives into it: almost always a mistake."""
    out = []
    for r in e.replace[:1]:
        rlemmas = {lemma(t) for t in tokenize_phrase(r)}
        for item in parse(e.pattern):
            words = [alt[0].norm for alt in item if len(alt) == 1 and alt[0].is_word]
            words = [w for w in words if w not in FUNCTION_WORDS]
            if len(words) < 2:
                continue
            kept = [w for w in words if lemma(w) in rlemmas]
            if kept and len(kept) < len(words):
                others = ", ".join(w for w in words if w not in kept)
                out.append(GlossaryError(e.path, e.line, f"{e.id}: the replacement {r!r} keeps the alternative "
                                         f"{kept[0]!r}: is it right that {others} become {kept[0]!r}?"))
    return out


def check_entry(glossary: Glossary, e: Entry) -> list[GlossaryError]:
    problems: list[GlossaryError] = []
    only = frozenset({e.id})
    if e.example:
        ms = glossary.match(e.example, only=only)
        if not ms:
            problems.append(GlossaryError(e.path, e.line, f"{e.id}: example does not fire: {e.example!r}"))
        else:
            downgraded = [m for m in ms if m.mode == "report" and e.mode != "report"]
            if downgraded:
                why = "; ".join(n.split("] ", 1)[-1] for m in downgraded for n in m.notes) or "unknown reason"
                problems.append(GlossaryError(e.path, e.line, f"{e.id}: the engine cannot build the replacement on the example ({why}); set mode: report or rephrase"))
            elif e.expect is not None:
                if e.category == "boilerplate":
                    got = boilerplate_output(glossary, e, e.example)
                else:
                    got = apply_matches(e.example, ms)
                if got != e.expect:
                    problems.append(GlossaryError(e.path, e.line, f"{e.id}: example gives {got!r}, expected {e.expect!r}"))
    for counter in e.counter:
        ms = glossary.match(counter, only=only)
        if ms:
            problems.append(GlossaryError(e.path, e.line, f"{e.id}: counter-example fires on {ms[0].span!r}: {counter!r}"))
    return problems


def check_glossary(glossary: Glossary) -> CheckReport:
    problems = list(glossary.problems)
    problems.extend(_conflicts(glossary))
    warnings: list[GlossaryError] = []
    for e in glossary.entries:
        problems.extend(check_entry(glossary, e))
        warnings.extend(_alternatives_lint(e))
    problems.sort(key=lambda p: (p.path, p.line or 0))
    fam = Counter(e.family for e in glossary.entries)
    modes = Counter(e.mode for e in glossary.entries)
    return CheckReport(tuple(problems), dict(sorted(fam.items())), dict(sorted(modes.items())), len(glossary.entries),
                       tuple(warnings))
