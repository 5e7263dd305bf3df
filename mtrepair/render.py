"""Pure functions that turn results into text for people: diffs and reports."""

from __future__ import annotations

from typing import Iterable, Sequence

from .types import Edit, Finding, RepairResult

_RED, _GREEN, _DIM, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[0m"


def _visible(s: str) -> str:
    return s.replace("\n", "⏎\n")


def inline_diff(original: str, edits: Sequence[Edit], colour: bool = False) -> str:
    """The repaired text with each edit shown in place.

    Plain: ``[-old-]{+new+}`` (wdiff style). Coloured: old in red, new in green.
    """
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.start):
        out.append(original[pos : e.start])
        old, new = _visible(e.original), e.replacement
        if colour:
            if old:
                out.append(f"{_RED}\x1b[9m{old}{_RESET}")
            if new:
                out.append(f"{_GREEN}{new}{_RESET}")
        else:
            if old:
                out.append(f"[-{old}-]")
            if new:
                out.append(f"{{+{new}+}}")
        pos = e.end
    out.append(original[pos:])
    return "".join(out)


def _short(s: str, width: int = 60) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= width else s[: width - 1] + "…"


def _line_col(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{col}"


def edits_table(original: str, edits: Iterable[Edit]) -> str:
    rows = []
    for e in edits:
        rows.append(
            f"{_line_col(original, e.start):>7}  {str(e.category):<14} {e.rule:<22} {e.confidence:4.2f}  "
            f"«{_short(e.original, 40)}» → «{_short(e.replacement, 40)}»\n"
            f"{'':9}{e.explanation}  [{e.source}]"
        )
    return "\n".join(rows)


def findings_table(original: str, findings: Iterable[Finding]) -> str:
    rows = []
    for f in findings:
        sugg = " | ".join(f"«{_short(s, 30)}»" for s in f.suggestions[:3]) or "(no suggestion)"
        rows.append(
            f"{_line_col(original, f.start):>7}  {str(f.category):<14} {f.rule:<22} {f.confidence:4.2f} {f.mode:<6} "
            f"«{_short(f.span, 40)}» → {sugg}\n{'':9}{f.explanation}  [{f.source}]"
        )
    return "\n".join(rows)


def summary(name: str, result: RepairResult) -> str:
    by_cat = result.scores.get("edits_by_category", {}) if result.scores else {}
    cats = ", ".join(f"{k} {v}" for k, v in by_cat.items()) or "none"
    return (
        f"{name}: {len(result.edits)} edit(s) ({cats}); {len(result.findings)} finding(s) left for review\n"
        f"signature: {result.signature}"
    )
