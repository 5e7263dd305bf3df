"""The pattern language: parse, validate and expand glossary patterns.

``garder à l'esprit que``  plain tokens match any inflection (lemma class)
``=pendant``               exact normalised form only
``personnel|employé``      alternatives (each may be ``=form`` or several tokens)
``vraiment?``              optional item
``{1-4}``                  a bounded slot: 1 to 4 word tokens (no punctuation), reused in
                           replacements as ``{1}`` (first slot), ``{2}``...; ``{3}`` = ``{1-3}``

Items are separated by spaces and tokenised with :mod:`mtrepair.tokens`
(``l'esprit`` is ``l'`` + ``esprit``). Expansion is bounded so a pattern can
never explode: at most :data:`MAX_VARIANTS` variants of at most
:data:`MAX_TOKENS` tokens.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from dataclasses import dataclass

from ..tokens import APOSTROPHES, normalise, tokenize

MAX_VARIANTS = 64
MAX_TOKENS = 12
#: Slots: at most this many per pattern, each spanning at most MAX_SLOT_TOKENS tokens.
MAX_SLOTS = 2
MAX_SLOT_TOKENS = 6
_SLOT_RE = re.compile(r"\{(\d+)(?:-(\d+))?\}")
#: A slot reference in a replacement: ``{1}``.
SLOT_REF_RE = re.compile(r"\{(\d+)\}")


class PatternError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class PToken:
    norm: str
    exact: bool
    is_word: bool
    #: For a slot token ``{lo-hi}``: the bounds (hi > 0); plain tokens have hi == 0.
    lo: int = 0
    hi: int = 0

    @property
    def is_slot(self) -> bool:
        return self.hi > 0

    def __str__(self) -> str:
        if self.hi:
            return self.norm
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
        slot = _SLOT_RE.fullmatch(raw)
        if slot:
            lo, hi = (int(slot.group(1)), int(slot.group(2))) if slot.group(2) else (1, int(slot.group(1)))
            if lo > hi or hi < 1 or hi > MAX_SLOT_TOKENS:
                raise PatternError(f"slot {raw!r}: bounds must satisfy 0 <= lo <= hi, 1 <= hi <= {MAX_SLOT_TOKENS}")
            items.append(((PToken(f"{{{lo}-{hi}}}", True, False, lo, hi),),))
            continue
        if "{" in raw or "}" in raw:
            raise PatternError(f"bad slot {raw!r}: write {{N-M}} alone as an item (no '?', no '|')")
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
        if not any(t.is_slot for t in seq) and len(seq) > MAX_TOKENS:
            raise PatternError(f"pattern has more than {MAX_TOKENS} tokens")
        if not any(t.is_word for t in seq):
            raise PatternError("a variant of the pattern has no word")
        slots = [k for k, t in enumerate(seq) if t.is_slot]
        if slots:
            if len(slots) > MAX_SLOTS:
                raise PatternError(f"more than {MAX_SLOTS} slots")
            if not any(t.is_word for t in seq[:slots[0]]):
                raise PatternError("a slot needs a word before it (the fixed part before the first slot is what the automaton finds)")
            if slots[-1] == len(seq) - 1 or any(b == a + 1 for a, b in zip(slots, slots[1:])):
                raise PatternError("a slot must be followed by a fixed token (it is bounded on both sides)")
            if len(seq) - len(slots) > MAX_TOKENS:
                raise PatternError(f"pattern has more than {MAX_TOKENS} tokens")
        if seq not in seen:
            seen.add(seq)
            out.append(seq)
    return tuple(out)


def slot_count(pattern: str) -> int:
    """Number of slots in a (valid) pattern."""
    return sum(1 for raw in pattern.split() if _SLOT_RE.fullmatch(raw))


def fixed_prefix(seq: tuple[PToken, ...]) -> tuple[PToken, ...]:
    """The tokens before the first slot (all of them without a slot): the automaton's key."""
    for k, t in enumerate(seq):
        if t.is_slot:
            return seq[:k]
    return seq


def variant_text(seq: tuple[PToken, ...]) -> str:
    return " ".join(str(t) for t in seq)


def norm_word(word: str) -> str:
    return normalise(word.strip())
