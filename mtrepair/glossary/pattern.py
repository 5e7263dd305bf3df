"""The pattern language: parse, validate and expand glossary patterns.

``garder à l'esprit que``  plain tokens match any inflection (lemma class)
``=pendant``               exact normalised form only
``personnel|employé``      alternatives (each may be ``=form`` or several tokens)
``vraiment?``              optional item

Items are separated by spaces and tokenised with :mod:`mtrepair.tokens`
(``l'esprit`` is ``l'`` + ``esprit``). Expansion is bounded so a pattern can
never explode: at most :data:`MAX_VARIANTS` variants of at most
:data:`MAX_TOKENS` tokens.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from dataclasses import dataclass

from ..tokens import APOSTROPHES, normalise, tokenize

MAX_VARIANTS = 64
MAX_TOKENS = 12


class PatternError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class PToken:
    norm: str
    exact: bool
    is_word: bool

    def __str__(self) -> str:
        return ("=" if self.exact else "") + self.norm


def _alternative(text: str, item: str) -> tuple[PToken, ...]:
    exact = text.startswith("=")
    body = text[1:] if exact else text
    if not body or body.startswith("="):
        raise PatternError(f"empty alternative in {item!r}")
    if body[-1:] in APOSTROPHES and len(body) > 1:  # a lone elided word: "=d'"
        return (PToken(normalise(body), exact, True),)
    toks = _tokens(body)
    if not toks:
        raise PatternError(f"no token in {item!r}")
    return tuple(PToken(norm, exact or not is_word, is_word) for norm, is_word in toks)


@lru_cache(maxsize=65536)
def _tokens(body: str) -> tuple[tuple[str, bool], ...]:
    return tuple((t.norm, t.is_word) for t in tokenize(body))


def parse(pattern: str) -> list[tuple[tuple[PToken, ...], ...]]:
    """Pattern -> list of items; an item is a tuple of alternatives (token tuples)."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError("empty pattern")
    items = []
    for raw in pattern.split():
        optional = raw.endswith("?") and len(raw) > 1
        body = raw[:-1] if optional else raw
        if body.endswith("?"):
            raise PatternError(f"doubled '?' in {raw!r}")
        alts = body.split("|")
        if any(a == "" for a in alts):
            raise PatternError(f"empty alternative in {raw!r}")
        parsed = tuple(_alternative(a, raw) for a in alts)
        if optional:
            parsed = parsed + ((),)
        items.append(parsed)
    return items


@lru_cache(maxsize=16384)
def expand(pattern: str) -> tuple[tuple[PToken, ...], ...]:
    """All token sequences a pattern stands for (bounded); cached (loading and compiling share it)."""
    items = parse(pattern)
    total = 1
    for it in items:
        total *= len(it)
        if total > MAX_VARIANTS:
            raise PatternError(f"pattern expands to more than {MAX_VARIANTS} variants")
    out: list[tuple[PToken, ...]] = []
    seen = set()
    for combo in itertools.product(*items):
        seq = tuple(t for alt in combo for t in alt)
        if not seq:
            raise PatternError("a variant of the pattern is empty (every item optional)")
        if len(seq) > MAX_TOKENS:
            raise PatternError(f"pattern has more than {MAX_TOKENS} tokens")
        if not any(t.is_word for t in seq):
            raise PatternError("a variant of the pattern has no word")
        if seq not in seen:
            seen.add(seq)
            out.append(seq)
    return tuple(out)


def variant_text(seq: tuple[PToken, ...]) -> str:
    return " ".join(str(t) for t in seq)


def norm_word(word: str) -> str:
    return normalise(word.strip())
