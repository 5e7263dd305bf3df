"""Property tests: matching never crashes and always returns consistent spans."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtrepair.glossary import load_paths

DATA = Path(__file__).parent / "data" / "glossary"
GLOSSARY = load_paths([DATA / "engine.yaml"])

WORDS = [
    "le", "la", "l'", "L’", "les", "un", "une", "du", "au", "de", "d'", "que", "qu'", "ce", "cet", "ses",
    "garder", "gardé", "gardait", "Garde", "à", "esprit", "quartier", "quartiers", "technologique",
    "individus", "individu", "entreprise", "membres", "du", "personnel", "nouveau", "tout", "groupe",
    "d’étude", "pendant", "En", "savoir", "plus", "élevée", "poste", "restaurer", "PDG", "Œuvre", "İstanbul",
    "ß", "123", "hôpital", "hausse",
]
SEPS = [" ", " ", " ", "\n", ", ", ". ", "\n\n", "’", " « ", " » ", "\u00a0", "-"]


@st.composite
def texts(draw):
    n = draw(st.integers(min_value=0, max_value=40))
    out = []
    for _ in range(n):
        out.append(draw(st.sampled_from(WORDS)))
        out.append(draw(st.sampled_from(SEPS)))
    return "".join(out)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts())
def test_matches_are_consistent(text):
    for all_matches in (False, True):
        ms = GLOSSARY.match(text, all_matches=all_matches)
        for m in ms:
            assert 0 <= m.start <= m.pattern_start <= m.pattern_end <= len(text)
            assert m.start <= m.end <= len(text)
            assert m.span == text[m.start:m.end]
            assert m.mode in ("auto", "check", "report")
            assert all(isinstance(s, str) for s in m.suggestions)
        if not all_matches:
            spans = sorted((m.start, m.end, m.entry.category == "boilerplate") for m in ms)
            for (a, b, la), (c, d, lc) in zip(spans, spans[1:]):
                assert la != lc or b <= c  # no overlap within a layer
