"""Decide which findings become edits, and apply edits to text.

This is the one place where text changes. Passes only report findings; here
they are filtered by the config, overlaps are resolved, and the surviving
edits are applied. ``apply_edits(original, result.edits) == result.text``
holds for every result mtrepair returns.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import replace
from typing import Iterable, Sequence

from .config import RepairConfig
from .types import Category, Edit, Finding

#: Which config switch enables each category's automatic edits.
_CATEGORY_SWITCH = {
    Category.BOILERPLATE.value: "remove_boilerplate",
    Category.LINEBREAK.value: "join_broken_lines",
    Category.TYPOGRAPHY.value: "typography",
    Category.ENTITY.value: "restore_entities",
}

#: Deletions of boilerplate blocks are decided before anything else: a calque
#: inside an advert is moot once the advert is gone.
_FIRST = (Category.BOILERPLATE.value,)


class EditConflict(ValueError):
    """Edits overlap or fall outside the text."""


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (offsets into ``text``) and return the new text."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[str] = []
    pos = 0
    for edit in ordered:
        if edit.start < pos or edit.end > len(text) or edit.start > edit.end:
            raise EditConflict(f"edit {edit.rule} at {edit.start}..{edit.end} overlaps or is out of range")
        if text[edit.start : edit.end] != edit.original:
            raise EditConflict(f"edit {edit.rule} at {edit.start}..{edit.end} does not match the text")
        out.append(text[pos : edit.start])
        out.append(edit.replacement)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def is_applicable(finding: Finding, config: RepairConfig) -> bool:
    """May this finding be applied automatically under ``config``?"""
    return finding.mode == "auto" and _applicable_in_auto_mode(finding, config)


def could_apply(finding: Finding, config: RepairConfig) -> bool:
    """Could this finding be applied once the model gate has seen it? The gate only reorders
    suggestions and changes the mode (``check`` → ``auto`` when the model agrees, ``auto`` →
    ``check`` on a veto); it keeps the category and the confidence, and a finding with
    suggestions keeps at least one (tests/test_rounds_fast.py checks this on real findings).
    So a finding in ``report`` mode, or one that would not be applicable even in ``auto``
    mode, stays unapplied whatever the model says."""
    return finding.mode in ("auto", "check") and _applicable_in_auto_mode(finding, config)


def _applicable_in_auto_mode(finding: Finding, config: RepairConfig) -> bool:
    if not finding.suggestions:
        return False
    if finding.confidence < config.min_confidence:
        return False
    if str(finding.category) not in config.categories:
        return False
    switch = _CATEGORY_SWITCH.get(str(finding.category))
    return switch is None or bool(getattr(config, switch))


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    if a_start == a_end and b_start == b_end:  # two insertions at one point
        return a_start == b_start
    if a_start == a_end:
        return b_start < a_start < b_end
    if b_start == b_end:
        return a_start < b_start < a_end
    return a_start < b_end and b_start < a_end


class _Accepted:
    """Spans accepted so far, pairwise not :func:`_overlaps`; ``overlaps(a, b)`` is
    ``any(_overlaps(a, b, s, e) for s, e in accepted)`` by bisection, so that a document with
    thousands of edits is not quadratic. Non-empty spans are disjoint, so sorted by start their
    ends are sorted too: only the last one starting before a query's end can overlap it.
    Insertions (empty spans) are kept apart as sorted points."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.points: list[int] = []

    def overlaps(self, a: int, b: int) -> bool:
        if a == b:  # an insertion: inside a span, or at another insertion's point
            p = bisect_left(self.starts, a)
            if p > 0 and self.ends[p - 1] > a:
                return True
            q = bisect_left(self.points, a)
            return q < len(self.points) and self.points[q] == a
        p = bisect_left(self.starts, b)
        if p > 0 and self.ends[p - 1] > a:
            return True
        q = bisect_right(self.points, a)  # an insertion strictly inside (a, b)
        return q < len(self.points) and self.points[q] < b

    def add(self, a: int, b: int) -> None:
        if a == b:
            insort(self.points, a)
            return
        p = bisect_left(self.starts, a)
        self.starts.insert(p, a)
        self.ends.insert(p, b)


def select_edits(
    findings: Sequence[Finding], config: RepairConfig
) -> tuple[list[Edit], list[Finding]]:
    """Split findings into edits to apply and findings left as reports.

    Greedy by priority: boilerplate first, then higher confidence, then the
    longer span, then the earlier pass (the order of ``findings``). A finding
    that overlaps an accepted edit is left unapplied.
    """
    ranked = sorted(
        enumerate(findings),
        key=lambda item: (
            str(item[1].category) not in _FIRST,
            -item[1].confidence,
            -(item[1].end - item[1].start),
            item[0],
        ),
    )
    accepted = _Accepted()
    edits: list[Edit] = []
    left: list[Finding] = []
    for _, finding in ranked:
        if is_applicable(finding, config) and not accepted.overlaps(finding.start, finding.end):
            edit = finding.to_edit()
            if edit.replacement == edit.original:
                continue
            accepted.add(finding.start, finding.end)
            edits.append(edit)
        else:
            left.append(finding)
    edits.sort(key=lambda e: (e.start, e.end))
    left.sort(key=lambda f: (f.start, f.end, f.rule))
    return edits, left


class OffsetMap:
    """Maps offsets in ``apply_edits(original, edits)`` back to ``original``."""

    def __init__(self, edits: Sequence[Edit]):
        self.spans: list[tuple[int, int, Edit]] = []  # [s, t) in the new text
        shift = 0
        for e in sorted(edits, key=lambda e: e.start):
            s = e.start + shift
            self.spans.append((s, s + len(e.replacement), e))
            shift += len(e.replacement) - (e.end - e.start)

    def touching(self, start: int, end: int) -> list[int]:
        """Indices of the edits whose output the range [start, end) touches."""
        return [
            i for i, (s, t, _) in enumerate(self.spans)
            if _overlaps(start, end, s, t) or s < start < t or s < end < t
            or (s == t and start <= s <= end)  # a deletion right at the range's edge
        ]

    def _outside(self, pos: int) -> int:
        return pos - sum(t - s - (e.end - e.start) for s, t, e in self.spans if t <= pos and s < pos)

    def to_original(self, start: int, end: int) -> tuple[int, int, int, int]:
        """Original range for [start, end), widened to whole edits it touches.

        Returns (original_start, original_end, new_start, new_end): the
        widened range in both texts.
        """
        hit = self.touching(start, end)
        if not hit:
            o = self._outside(start)
            return o, o + (end - start), start, end
        lo = min(start, self.spans[hit[0]][0])
        hi = max(end, self.spans[hit[-1]][1])
        o_lo = self.spans[hit[0]][2].start if lo == self.spans[hit[0]][0] else self._outside(lo)
        o_hi = self.spans[hit[-1]][2].end if hi == self.spans[hit[-1]][1] else self._outside(hi)
        return o_lo, o_hi, lo, hi


#: Appended to the explanation of an edit merged with a normalisation edit.
NORMALISATION_NOTE = " (merged with an encoding/normalisation fix)"


def compose(original: str, first: Sequence[Edit], second: Sequence[Edit],
            note: str = NORMALISATION_NOTE, keep_first: bool = False) -> list[Edit]:
    """Express ``second`` (offsets into ``apply_edits(original, first)``) as edits on ``original``.

    Edits of ``second`` that touch text produced by an edit of ``first`` are
    merged with it (and with each other) into one edit whose rule names all;
    its explanation is the second edits' (``keep_first``: the first edits' too) plus ``note``.
    """
    if not first:
        return list(second)
    intermediate = apply_edits(original, first)
    offsets = OffsetMap(first)
    # Group second-stage edits that share a first-stage edit into clusters.
    clusters: list[tuple[set[int], list[Edit]]] = []
    for e2 in sorted(second, key=lambda e: (e.start, e.end)):
        hit = set(offsets.touching(e2.start, e2.end))
        if hit and clusters and clusters[-1][0] & hit:
            clusters[-1][0].update(hit)
            clusters[-1][1].append(e2)
        else:
            clusters.append((hit, [e2]))
    merged: set[int] = set()
    result: list[tuple[int, Edit]] = []  # (position in the intermediate text, edit)
    for hit, group in clusters:
        if not hit:
            e2 = group[0]
            o_lo, o_hi, lo, _ = offsets.to_original(e2.start, e2.end)
            result.append((lo, replace(e2, start=o_lo, end=o_hi)))
            continue
        merged.update(hit)
        first_span, last_span = offsets.spans[min(hit)], offsets.spans[max(hit)]
        lo = min(group[0].start, first_span[0])
        hi = max(max(e.end for e in group), last_span[1])
        o_lo = first_span[2].start if lo == first_span[0] else offsets.to_original(lo, lo)[0]
        o_hi = last_span[2].end if hi == last_span[1] else offsets.to_original(hi, hi)[0]
        pieces, pos = [], lo
        for e2 in group:
            pieces.append(intermediate[pos : e2.start] + e2.replacement)
            pos = e2.end
        pieces.append(intermediate[pos:hi])
        rules = [offsets.spans[i][2].rule for i in sorted(hit)] + [e.rule for e in group]
        firsts = [offsets.spans[i][2] for i in sorted(hit)]
        # Between repair rounds the widest first-round edit names the change (a removed advert
        # stays "boilerplate" even if a later round re-capitalised the text after it), and the
        # chain is only as sure as its weakest link.
        base = max(firsts, key=lambda e: e.end - e.start) if keep_first else group[0]
        result.append(
            (lo, replace(
                base,
                confidence=min(e.confidence for e in firsts + group) if keep_first else base.confidence,
                start=o_lo,
                end=o_hi,
                original=original[o_lo:o_hi],
                replacement="".join(pieces),
                rule=" + ".join(rules),
                explanation="; ".join(
                    [offsets.spans[i][2].explanation for i in sorted(hit) if keep_first]
                    + [e.explanation for e in group]
                ) + note,
            ))
        )
    result.extend((s, e) for i, (s, _, e) in enumerate(offsets.spans) if i not in merged)
    # Insertions at one original offset keep the order they have in the intermediate text.
    result.sort(key=lambda item: (item[1].start, item[1].end, item[0]))
    return [e for _, e in result]


def map_findings(original: str, first: Sequence[Edit], findings: Sequence[Finding]) -> list[Finding]:
    """Move finding offsets from ``apply_edits(original, first)`` back to ``original``."""
    if not first:
        return list(findings)
    offsets = OffsetMap(first)
    out = []
    for f in findings:
        o_lo, o_hi, _, _ = offsets.to_original(f.start, f.end)
        out.append(replace(f, start=o_lo, end=o_hi, span=original[o_lo:o_hi]))
    return out
