"""Tokenisation used by the reference model, at build time and at run time.

The model owns its tokeniser (rather than reusing :mod:`mtrepair.tokens`) so that the
shipped n-gram tables stay valid whatever happens to the repair passes' tokeniser.
Rules, in order:

* the text is lower-cased and typographic apostrophes are folded to ``'``;
* tokens are elided prefixes (``l'``, ``qu'``, ``jusqu'`` ...), words (letters/digits with
  internal hyphens, dots or apostrophes) or single punctuation characters;
* French and English quotation marks all become ``"``, dashes become ``-``;
* a token that contains a digit becomes :data:`NUM` (numbers are not vocabulary).
"""

from __future__ import annotations

import re

#: Pseudo-word that stands for every number.
NUM = "<num>"
BOS = "<s>"
EOS = "</s>"
UNK = "<unk>"

_APOS = "'’ʼ‘`´"
_ELISION = r"(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=[^\W_])"
_WORD = r"[^\W_](?:[^\W_]|[-.'](?=[^\W_]))*"
_NUMBER = r"\d+(?:[.,]\d+)*(?![^\W_])"
_TOKEN_RE = re.compile(_ELISION + "|" + _NUMBER + "|" + _WORD + r"|[^\w\s]", re.UNICODE)
_DIGIT_RE = re.compile(r"\d")
_FOLD = str.maketrans(
    {**{c: "'" for c in _APOS}, **{c: '"' for c in "«»“”„‟"}, **{c: "-" for c in "–—‐‑−"},
     "\u00a0": " ", "\u202f": " ", "\x00": " "}
)


_FOLD_PAIRS = tuple((k if isinstance(k, str) else chr(k), v) for k, v in _FOLD.items())


def fold(text: str) -> str:
    """Lower-case and fold apostrophes, quotes, dashes and non-breaking spaces."""
    # str.replace on the few characters present is much faster than str.translate
    for char, repl in _FOLD_PAIRS:
        if char in text:
            text = text.replace(char, repl)
    return text.lower()


def lm_tokens(text: str) -> list[str]:
    """Model tokens of ``text`` (numbers are *not* yet replaced by :data:`NUM`)."""
    return _TOKEN_RE.findall(fold(text))


_SEP = "\x00"


def lm_tokens_many(texts) -> list[list[str]]:
    """``[lm_tokens(t) for t in texts]``, tokenised in one pass (faster for many texts)."""
    if not texts:
        return []
    joined = _SEP.join(fold(t) for t in texts)  # fold() turns any NUL of the texts into a space
    out: list[list[str]] = []
    current: list[str] = []
    for tok in _TOKEN_RE.findall(joined):
        if tok == _SEP:
            out.append(current)
            current = []
        else:
            current.append(tok)
    out.append(current)
    return out


def has_digit(token: str) -> bool:
    return _DIGIT_RE.search(token) is not None


def join_window(left: str, middle: str, right: str) -> str:
    """Concatenate ``left + middle + right`` with a space where words would touch.

    No space is added after an elided prefix or an existing space (so ``"l'" + "esprit"``
    stays one elision + word).
    """
    out = left
    for part in (middle, right):
        if not part:
            continue
        if out and not out[-1].isspace() and out[-1] not in _APOS and not part[0].isspace():
            out += " "
        out += part
    return out


_FOLD_CASE = str.maketrans(
    {**{c: "'" for c in _APOS}, **{c: '"' for c in "«»“”„‟"}, **{c: "-" for c in "–—‐‑−"},
     "\u00a0": " ", "\u202f": " ", "\x00": " "}
)
_TOKEN_RE_I = re.compile(_TOKEN_RE.pattern, re.UNICODE | re.IGNORECASE)


def lm_tokens_with_offsets(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, token)`` triples; ``[t for _, _, t in ...] == lm_tokens(text)`` for
    text whose lower-casing keeps its length (all French text)."""
    folded = text.translate(_FOLD_CASE)
    # findall (one C call) instead of a match object per token. Offsets: characters no
    # alternative matches are whitespace and "_", and no token starts with either, so a
    # token's first occurrence at or after the previous token's end is the token itself.
    out: list[tuple[int, int, str]] = []
    find = folded.find
    pos = 0
    for piece in _TOKEN_RE_I.findall(folded):
        start = find(piece, pos)
        pos = start + len(piece)
        out.append((start, pos, piece.lower()))
    return out


def lm_tokens_with_offsets_reference(text: str) -> list[tuple[int, int, str]]:
    """The plain definition of :func:`lm_tokens_with_offsets`, for tests."""
    folded = text.translate(_FOLD_CASE)
    return [(m.start(), m.end(), m.group().lower()) for m in _TOKEN_RE_I.finditer(folded)]
