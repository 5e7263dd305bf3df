"""Shared helpers for the robustness tests and the fuzzing script (bench/fuzz_properties.py).

- :func:`check_result` asserts the invariants every :class:`RepairResult` must satisfy.
- :func:`french_fragments` collects French material (glossary examples and counter-examples, the
  example articles, the clean negative set) so that generated strings actually make rules fire.
- :func:`load_clean_paragraphs` reads the negative set.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

from mtrepair import apply_edits
from mtrepair.types import Edit, Finding, RepairResult

ROOT = Path(__file__).resolve().parents[1]
CLEAN_SET = ROOT / "tests" / "data" / "clean" / "paragraphs.jsonl"
EXAMPLES = ROOT / "examples"

#: Spun/calqued fragments typical of the problem (written for these tests), so that the generator
#: produces the artefacts mtrepair repairs even if the glossary is not installed.
SPUN_FRAGMENTS = (
    "a gardé à l'esprit que",
    "Il a gardé à l’esprit que",
    "garde à l’esprit que",
    "ses individus",
    "des dizaines de membres du personnel",
    "le quartier technologique",
    "un tout nouveau groupe d’étude de recherche",
    "chercheur en recherche",
    "a été élevée du poste de",
    "restaurer Altman",
    "The Details",
    "Le AI Effect Trip",
    "Événement VB",
    "En savoir plus",
    "En savoir plus pendant\nil n’est pas clair\nsi",
    "Et maintenant?",
    "« d’être familier avec »",
    "Toute l’actualité en temps réel, est sur L’Entrepreneur",
    "Publicité",
    " pendant\n",
    "\n\n",
    "\r\n",
    " ; ",
    "«",
    "»",
    "?",
    "!",
    ":",
    "’",
    "'",
)


def default_config():
    """The configuration the robustness tests exercise: the default one.

    ``MTREPAIR_TEST_MODEL`` (e.g. ``none``) overrides the model, for developing without a built
    model; CI leaves it unset.
    """
    from mtrepair.config import RepairConfig

    model = os.environ.get("MTREPAIR_TEST_MODEL")
    return RepairConfig(model=model) if model else RepairConfig()


@lru_cache(maxsize=1)
def load_clean_paragraphs() -> tuple[dict, ...]:
    records = []
    with CLEAN_SET.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                records.append(json.loads(line))
    return tuple(records)


def _glossary_strings() -> list[str]:
    """Examples and counter-examples of the installed glossary (empty if it is not available)."""
    try:
        from mtrepair.config import RepairConfig
        from mtrepair.glossary import load_glossary

        glossary = load_glossary(RepairConfig())
    except Exception:  # the glossary is another engineer's module; fall back to our fragments
        return []
    out: list[str] = []
    for entry in getattr(glossary, "entries", ()):
        for value in (getattr(entry, "example", None), getattr(entry, "expect", None)):
            if isinstance(value, str) and value:
                out.append(value)
        counter = getattr(entry, "counter", ()) or ()
        out.extend(c for c in counter if isinstance(c, str))
    return out


@lru_cache(maxsize=1)
def french_fragments() -> tuple[str, ...]:
    """Sentences and phrases of real and spun French, deduplicated, in a stable order."""
    pieces: list[str] = list(SPUN_FRAGMENTS)
    pieces.extend(_glossary_strings())
    for path in sorted(EXAMPLES.glob("spun-article-*.txt")):
        pieces.extend(line for line in path.read_text(encoding="utf-8").split("\n") if line)
    for rec in load_clean_paragraphs()[::7]:
        pieces.extend(s for s in re.split(r"(?<=[.?!])\s+", rec["text"]) if s)
    seen: dict[str, None] = {}
    for p in pieces:
        seen.setdefault(p, None)
    return tuple(seen)


@lru_cache(maxsize=1)
def french_words() -> tuple[str, ...]:
    words: dict[str, None] = {}
    for frag in french_fragments():
        for w in re.findall(r"\w+(?:[’']\w+)?", frag):
            words.setdefault(w, None)
    return tuple(words)


def check_offsets(original: str, edits: tuple[Edit, ...] | list[Edit], findings) -> None:
    n = len(original)
    last_end = -1
    for e in edits:
        assert 0 <= e.start <= e.end <= n, f"edit {e.rule} offsets {e.start}..{e.end} outside 0..{n}"
        assert original[e.start : e.end] == e.original, (
            f"edit {e.rule} at {e.start}..{e.end}: original {e.original!r} != text {original[e.start:e.end]!r}"
        )
        assert e.start >= last_end, f"edit {e.rule} at {e.start} overlaps the previous edit (ends {last_end})"
        last_end = e.end
        assert 0.0 <= e.confidence <= 1.0
        assert isinstance(e.replacement, str)
    for f in findings:
        assert isinstance(f, Finding)
        assert 0 <= f.start <= f.end <= n, f"finding {f.rule} offsets {f.start}..{f.end} outside 0..{n}"
        assert original[f.start : f.end] == f.span, (
            f"finding {f.rule} at {f.start}..{f.end}: span {f.span!r} != text {original[f.start:f.end]!r}"
        )


def check_result(original: str, result: RepairResult) -> None:
    """Every invariant a RepairResult promises."""
    assert result.original == original
    check_offsets(original, result.edits, result.findings)
    assert apply_edits(original, result.edits) == result.text
    for e in result.edits:
        assert e.replacement != e.original, f"no-op edit {e.rule} at {e.start}"
