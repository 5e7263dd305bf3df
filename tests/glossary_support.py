"""Helpers shared by the glossary tests: a one-file glossary from YAML text, and its fixes."""

from __future__ import annotations

from mtrepair.glossary.check import apply_matches
from mtrepair.glossary.glossary import Glossary
from mtrepair.glossary.loader import parse_text


def one(yaml_entries: str) -> Glossary:
    """A glossary made of the entries in ``yaml_entries`` (YAML list items, indented two spaces)."""
    text = "family: user-defined\nprefix: T\nentries:\n" + yaml_entries
    entries, errors = parse_text(text, "t.yaml")
    assert not errors, [str(e) for e in errors]
    return Glossary(entries)


def fix(g: Glossary, text: str) -> str:
    """``text`` with every applicable (non-report) match of ``g`` applied."""
    return apply_matches(text, [m for m in g.match(text) if m.mode != "report"])
