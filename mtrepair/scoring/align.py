"""Segments for reference metrics, and the checks that hypothesis and reference align.

sacrebleu compares segment *i* of the hypothesis with segment *i* of the
reference. mtrepair's segments are the non-blank lines of a document (blank
lines separate paragraphs; they are not segments), or the whole document as
one segment (``unit="document"``: line breaks become spaces), which needs no
line alignment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

#: Segmentation units.
UNITS = ("line", "document")


class AlignmentError(ValueError):
    """Hypothesis, reference and original do not have the same number of segments."""


@dataclass(frozen=True)
class Segment:
    doc: str  # document name
    line: int  # 1-based line number in the hypothesis (0 for a whole document)
    hyp: str
    ref: str
    orig: str | None = None


def segments(text: str, unit: str = "line") -> list[tuple[int, str]]:
    """(line number, segment text) pairs of ``text``."""
    if unit == "document":
        joined = " ".join(line.strip() for line in text.splitlines() if line.strip())
        return [(0, joined)]
    if unit != "line":
        raise ValueError(f"unknown segmentation unit {unit!r}; choose among {', '.join(UNITS)}")
    return [(i, line.strip()) for i, line in enumerate(text.splitlines(), 1) if line.strip()]


def align_segments(
    hyp: str,
    ref: str,
    orig: str | None = None,
    *,
    doc: str = "<text>",
    unit: str = "line",
) -> list[Segment]:
    """Aligned segments of one document; :class:`AlignmentError` when counts differ."""
    h, r = segments(hyp, unit), segments(ref, unit)
    o = segments(orig, unit) if orig is not None else None
    problems = []
    if len(h) != len(r):
        problems.append(f"the hypothesis has {len(h)} non-blank line(s), the reference {len(r)}")
    if o is not None and len(o) != len(r):
        problems.append(f"the original has {len(o)} non-blank line(s), the reference {len(r)}")
    if problems:
        raise AlignmentError(
            f"{doc}: cannot align segments: {'; '.join(problems)}. Reference metrics compare line i "
            "with line i; give one segment per line in each file, or use --segment document"
        )
    return [
        Segment(doc, hl, ht, rt, o[i][1] if o is not None else None)
        for i, ((hl, ht), (_, rt)) in enumerate(zip(h, r))
    ]


def check_same_names(kind: str, names: Sequence[str], other: Sequence[str]) -> None:
    """Folders of same-named files: every hypothesis file needs its counterpart and back."""
    missing = sorted(set(names) - set(other))
    extra = sorted(set(other) - set(names))
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"no {kind} for {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}")
        if extra:
            parts.append(f"{kind} without hypothesis: {', '.join(extra[:5])}{' …' if len(extra) > 5 else ''}")
        raise AlignmentError(f"folders do not hold the same file names: {'; '.join(parts)}")
