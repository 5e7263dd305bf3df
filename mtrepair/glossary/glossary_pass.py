"""GlossaryPass: glossary matches as explained findings."""

from __future__ import annotations

from ..document import Document
from ..types import Finding, Source
from .glossary import Glossary
from .model import GlossaryMatch

_KIND = {
    "calque": "a calque",
    "mistranslation": "a mistranslation",
    "grammar": "a grammar error",
    "typography": "a typography error",
    "entity": "a garbled name",
    "foreign": "a foreign phrase",
    "boilerplate": "boilerplate",
}


def explain(m: GlossaryMatch) -> str:
    """Human explanation: what, why (the entry's note), what to write instead."""
    e = m.entry
    what = f'"{m.span.strip()}" is {_KIND.get(e.category, e.category)}'
    if e.note:
        what += f" ({e.note})"
    if m.suggestions:
        best = m.suggestions[0]
        what += f'; use "{best}"' if best else "; delete it"
        if len(m.suggestions) > 1:
            what += " (or " + ", ".join(f'"{s}"' for s in m.suggestions[1:]) + ")"
    if m.notes:
        what += ". Not applied automatically: " + "; ".join(n.split("] ", 1)[-1] for n in m.notes)
    elif e.mode == "check":
        what += ". Applied only if the language model prefers it"
    elif e.mode == "report":
        what += ". Reported only"
    return what + f" [{e.id}]"


def to_finding(m: GlossaryMatch) -> Finding:
    e = m.entry
    return Finding(
        start=m.start,
        end=m.end,
        span=m.span,
        category=e.category,
        rule=e.id,
        source=Source("glossary", e.path, e.line),
        suggestions=tuple(m.suggestions),
        confidence=e.confidence,
        explanation=explain(m),
        mode=m.mode,
        evidence={"pattern": m.variant or e.pattern, "entry_pattern": e.pattern, "family": e.family,
                  **({"notes": list(m.notes)} if m.notes else {})},
    )


class GlossaryPass:
    """Findings for every non-boilerplate glossary match (boilerplate entries
    are used by the boilerplate pass through :meth:`Glossary.match`)."""

    name = "glossary"

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary

    def find(self, doc: Document) -> list[Finding]:
        return [to_finding(m) for m in self.glossary.match(doc) if m.entry.category != "boilerplate"]
