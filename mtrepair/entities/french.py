"""Fit a restored name into the French around it.

"Le AI Effect Trip" becomes "L'AI Impact Tour", "du Impact Tour" would become
"de l'Impact Tour", "au AI..." "à l'AI...", "de AI..." "d'AI...", and
"d'The..." "de The...". The article's own apostrophe (' or ’) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..tokens import Token

VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")


def starts_with_vowel(text: str) -> bool:
    return bool(text) and text[0] in VOWELS


def apostrophe_of(text: str) -> str:
    """The apostrophe this text uses most (typographic ’ or straight ')."""
    return "’" if text.count("’") > text.count("'") else "'"


def _cap(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


@dataclass(frozen=True)
class Placement:
    start: int
    end: int
    replacement: str
    note: str  # what was adjusted, "" if nothing


def place(text: str, prev: Token | None, start: int, end: int, name: str) -> Placement:
    """Where to put ``name`` in place of text[start:end], and with which article."""
    if prev is None or text[prev.end : start].strip() not in ("",):
        return Placement(start, end, name, "")
    gap = text[prev.end : start]
    vowel = starts_with_vowel(name)
    apo = apostrophe_of(text)
    norm = prev.norm
    if prev.kind == "elision":
        if norm == "d'" and not vowel:
            return Placement(prev.start, end, _cap("de", prev.text) + " " + name, "d' → de before a consonant")
        return Placement(start, end, name, "")
    if not vowel or "\n" in gap:
        return Placement(start, end, name, "")
    if norm in ("le", "la"):
        return Placement(prev.start, end, _cap("l", prev.text) + apo + name, f"{prev.text} → elided before a vowel")
    if norm == "du":
        return Placement(prev.start, end, _cap("de", prev.text) + " l" + apo + name, "du → de l' before a vowel")
    if norm == "au":
        return Placement(prev.start, end, _cap("à", prev.text) + " l" + apo + name, "au → à l' before a vowel")
    if norm == "de":
        return Placement(prev.start, end, _cap("d", prev.text) + apo + name, "de → d' before a vowel")
    return Placement(start, end, name, "")
