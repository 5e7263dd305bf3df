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


def fold_offsets_preserving(text: str) -> str:
    """``text.translate(_FOLD_CASE)``, the translation of :func:`lm_tokens_with_offsets`
    (every character to one character, so a slice of the result is the translation of the
    same slice of ``text``). Replaces only the characters present, as :func:`fold` does:
    the same result, because each replacement is one character to one character and none
    produces a character that a later one replaces (``'`` maps to itself)."""
    for char, repl in _FOLD_PAIRS:
        if char in text:
            text = text.replace(char, repl)
    return text


def lm_token_pieces(text: str) -> tuple[str, list[str], list[str]]:
    """``(folded, pieces, tokens)`` of ``text``: see :func:`lm_token_pieces_folded`."""
    return lm_token_pieces_folded(text.translate(_FOLD_CASE))


def lm_token_pieces_folded(folded: str) -> tuple[str, list[str], list[str]]:
    """``(folded, pieces, tokens)`` of the text whose translation is ``folded``: the parts of
    :func:`lm_tokens_with_offsets` without the
    offsets, which callers compute later for the few tokens they need
    (:func:`piece_offsets`). ``tokens`` is ``[t for _, _, t in lm_tokens_with_offsets(text)]``.

    Exact: the same translation and the same ``findall``; the pieces are lower-cased in one
    call on their NUL-joined string, which is lower-casing each piece (no piece contains a
    NUL, the translation removed them; NUL is neither cased nor case-ignorable, so the only
    context-dependent mapping, the final sigma, does not see across it). ``folded`` is
    ``fold_offsets_preserving(text)``, or the same slice of a longer text's.
    """
    pieces = _TOKEN_RE_I.findall(folded)
    if not pieces:
        return folded, pieces, []
    return folded, pieces, _SEP.join(pieces).lower().split(_SEP)


def piece_offsets(folded: str, pieces: list[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of each piece of :func:`lm_token_pieces` (the offsets of
    :func:`lm_tokens_with_offsets`, computed by the same loop)."""
    out: list[tuple[int, int]] = []
    find = folded.find
    pos = 0
    for piece in pieces:
        start = find(piece, pos)
        pos = start + len(piece)
        out.append((start, pos))
    return out


def lm_tokens_positions(text: str) -> list[tuple[int, int, str]] | None:
    """``lm_tokens(text)`` with each token's ``(start, end)`` in ``text``, or ``None`` when
    folding changes the text's length (then folded positions are not positions in ``text``).

    Same matches as :func:`lm_tokens` (the same ``findall`` on the same folded text), located
    by :func:`piece_offsets` (its argument holds here too: only whitespace and "_" start no
    token). With equal lengths every character folds to exactly one character, so offsets
    in the folded text are offsets in ``text``.
    """
    folded = fold(text)
    if len(folded) != len(text):
        return None
    pieces = _TOKEN_RE.findall(folded)
    return [(a, b, t) for (a, b), t in zip(piece_offsets(folded, pieces), pieces)]


def lm_tokens_positions_reference(text: str) -> list[tuple[int, int, str]] | None:
    """The plain definition of :func:`lm_tokens_positions`, for tests."""
    folded = fold(text)
    if len(folded) != len(text):
        return None
    return [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(folded)]


def splice_tokens(text: str, positions: list[tuple[int, int, str]], start: int, end: int,
                  middle: str, tokenize=lm_tokens) -> list[str]:
    """``lm_tokens(text[:start] + middle + text[end:])`` re-tokenising only around the splice.

    ``positions`` is ``lm_tokens_positions(text)``. The splice is widened to whitespace on
    both sides (or the text's ends): ``L <= start`` with ``text[L - 1]`` white, ``R >= end``
    with ``text[R]`` white. Then the result is the tokens of ``text`` that end at or before
    ``L``, the tokens of ``text[L:start] + middle + text[end:R]``, and the tokens of ``text``
    that start at or after ``R``. Exact because a whitespace character splits the
    tokenisation: no token contains one, a token's only look-ahead (one character: is it a
    letter or digit?) answers the same for whitespace as for the end of the text, and
    lower-casing does not look across whitespace (it is neither cased nor case-ignorable;
    :func:`splice_tokens_reference` is the plain definition, compared in tests).
    ``tokenize`` may be a cached :func:`lm_tokens`.
    """
    return splice_tokens_shared(text, positions, start, end, middle, tokenize)[0]


def splice_tokens_shared(text: str, positions: list[tuple[int, int, str]], start: int, end: int,
                         middle: str, tokenize=lm_tokens) -> tuple[list[str], int, int]:
    """:func:`splice_tokens` and how many of its first and last tokens are ``text``'s own
    (those outside the re-tokenised window)."""
    lo = start
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    hi = end
    n = len(text)
    while hi < n and not text[hi].isspace():
        hi += 1
    left = [t for _, e, t in positions if e <= lo]
    right = [t for s, _, t in positions if s >= hi]
    return left + tokenize(text[lo:start] + middle + text[end:hi]) + right, len(left), len(right)


def splice_tokens_reference(text: str, start: int, end: int, middle: str) -> list[str]:
    """The plain definition of :func:`splice_tokens`, for tests."""
    return lm_tokens(text[:start] + middle + text[end:])
