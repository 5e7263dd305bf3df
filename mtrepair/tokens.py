"""Tokenisation with offsets, on a normalised view of the text.

The text itself is never changed here: each token keeps ``start``/``end``
code-point offsets into the original string, and a ``norm`` form used for
matching (lower case, typographic apostrophes folded to ``'``, non-breaking
spaces ignored). Elided words keep their apostrophe as their own token:
``l’esprit`` → ``l'`` + ``esprit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Characters that French typography uses as an apostrophe.
APOSTROPHES = "'’ʼ‘`´"
_APOS_CLASS = "'’ʼ‘`´"

# A word: letters/digits with internal hyphens or dots (U.S., 3.5); an elided
# prefix ends with an apostrophe and is its own token (l', qu', aujourd'hui is
# kept whole because "aujourd" is not an elision prefix).
_ELISION = r"(?:[lLdDjJmMnNsStTcC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu|[qQ]uoiqu)[" + _APOS_CLASS + r"]"
_WORD = r"[^\W_](?:[^\W_]|[-.](?=[^\W_])|[" + _APOS_CLASS + r"](?=[^\W_]))*"
_TOKEN_RE = re.compile(
    r"(?P<elision>" + _ELISION + r"(?=[^\W_]))"
    r"|(?P<word>" + _WORD + r")"
    r"|(?P<punct>[^\w\s])",
    re.UNICODE,
)
_APOS_TABLE = str.maketrans({c: "'" for c in APOSTROPHES})

_SENTENCE_END = frozenset(".!?…")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    norm: str
    kind: str  # "word", "elision" or "punct"

    @property
    def is_word(self) -> bool:
        return self.kind != "punct"


def normalise(word: str) -> str:
    """Matching form of a word: lower case with ASCII apostrophes."""
    return word.translate(_APOS_TABLE).lower()


#: Most distinct token forms whose normalised form :func:`tokenize` remembers.
_NORM_CACHE_MAX = 200_000
_NORM_CACHE: dict[str, str] = {}


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with offsets (whitespace is skipped)."""
    out: list[Token] = []
    append = out.append
    cache = _NORM_CACHE
    find = text.find
    pos = 0
    # findall (one C call) instead of a match object per token. Offsets: the characters no
    # alternative matches (skipped between tokens) are whitespace and "_", and a token never
    # starts with either, so a token's first occurrence at or after the previous token's end
    # is the token itself.
    for elision, word, punct in _TOKEN_RE.findall(text):
        if elision:
            piece, kind = elision, "elision"
        elif word:
            piece, kind = word, "word"
        else:
            piece, kind = punct, "punct"
        start = find(piece, pos)
        pos = start + len(piece)
        norm = cache.get(piece)
        if norm is None:  # normalise() is a pure function of the form: remember it
            norm = normalise(piece)
            if len(cache) < _NORM_CACHE_MAX:
                cache[piece] = norm
        append(Token(start, pos, piece, norm, kind))
    return out


def tokenize_reference(text: str) -> list[Token]:
    """The plain definition of :func:`tokenize` (one match object per token), for tests."""
    return [Token(m.start(), m.end(), m.group(), normalise(m.group()), m.lastgroup or "punct")
            for m in _TOKEN_RE.finditer(text)]


@lru_cache(maxsize=4096)
def tokenize_phrase(phrase: str) -> tuple[str, ...]:
    """Normalised token forms of a short phrase (glossary patterns, names)."""
    return tuple(t.norm for t in tokenize(phrase))


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    tokens: tuple[Token, ...]


def split_sentences(text: str, tokens: list[Token] | None = None) -> list[Sentence]:
    """Sentences by final punctuation or blank line; offsets into ``text``.

    A line break alone does not end a sentence (scraped text breaks lines
    mid-sentence); a line that ends with final punctuation, or a line that is
    followed by a capitalised line and ends with no punctuation (a heading),
    does.
    """
    if tokens is None:
        tokens = tokenize(text)
    sentences: list[Sentence] = []
    current: list[Token] = []
    for i, tok in enumerate(tokens):
        current.append(tok)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        boundary = False
        if tok.kind == "punct" and tok.text in _SENTENCE_END:
            boundary = nxt is None or not (nxt.kind == "punct" and nxt.text in _SENTENCE_END)
            if boundary and nxt is not None and nxt.text in "»\")":
                boundary = False
        elif nxt is not None:
            gap = text[tok.end : nxt.start]
            if "\n" in gap and (gap.count("\n") > 1 or nxt.text[:1].isupper()):
                boundary = True
        if boundary and current:
            sentences.append(Sentence(current[0].start, current[-1].end, tuple(current)))
            current = []
    if current:
        sentences.append(Sentence(current[0].start, current[-1].end, tuple(current)))
    return sentences
