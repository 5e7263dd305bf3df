"""Tokenisation with offsets, on a normalised view of the text.

The text itself is never changed here: each token keeps ``start``/``end``
code-point offsets into the original string, and a ``norm`` form used for
matching (lower case, typographic apostrophes folded to ``'``, non-breaking
spaces ignored). Elided words keep their apostrophe as their own token:
``l’esprit`` → ``l'`` + ``esprit``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add, countOf, itemgetter
from typing import NamedTuple, Sequence

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
# The same words written as runs of letters/digits joined by one connector each: a connector
# is taken only when a letter or digit follows, so both forms match the same longest string;
# this one lets the engine consume a run in one step (the regex alone is ~30 % faster). The
# repeats are possessive: nothing follows them in the pattern, so the greedy match is the one
# kept whatever the engine would have tried after it, and no backtracking state is stacked.
_WORD_RUNS = r"[^\W_]++(?:[-." + _APOS_CLASS + r"][^\W_]++)*+"
#: One capturing group around a token: ``split`` alternates gap, token, gap, ..., gap. Every
#: alternative starts with a character that is not white space, so the leading ``(?=\S)``
#: changes no match; it lets the engine leave a white-space position at the first test
#: instead of trying each alternative there (split ~25 % faster on the bench input).
_SPLIT_RE = re.compile(
    r"(?=\S)(" + _ELISION + r"(?=[^\W_])|" + _WORD_RUNS + r"|[^\w\s])",
    re.UNICODE,
)
_APOS_TABLE = str.maketrans({c: "'" for c in APOSTROPHES})

_SENTENCE_END = frozenset(".!?…")
#: Closing marks after final punctuation that keep the sentence open (« ... ! » continues).
_CLOSERS = frozenset('»")')


class Token(NamedTuple):
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


def token_kind(piece: str) -> str:
    """Kind of a token given its text alone: an elision is the one kind of token that ends with
    an apostrophe and is longer than one character (a word's apostrophes need a letter after
    them; punctuation is one character), a word starts with a letter or digit (the pattern's
    class for those matches exactly the characters ``str.isalnum`` accepts), and anything else
    is one punctuation character."""
    if len(piece) > 1 and piece[-1] in APOSTROPHES:
        return "elision"
    return "word" if piece[0].isalnum() else "punct"


#: Lower-case words that may sit inside a run of capitalised words when a capitalised word
#: follows ("Bank of America"); :mod:`mtrepair.entities.spans` finds such runs on the shape codes.
NAME_CONNECTORS = frozenset(
    {"of", "the", "and", "&", "for", "on", "in", "at", "by", "with", "to", "an", "a",
     "de", "du", "des", "la", "le", "et", "à", "bin", "von", "van", "der", "den", "al", "da", "di", "del"}
)
#: Shape codes of the tokens that start with an upper-case character.
UPPER_SHAPES = "WVX"
#: Shape codes of capitalised words (an upper-case letter or a digit first), and of connectors.
CAPITALISED_WORD_SHAPES, CONNECTOR_SHAPES = "WD", "cX"


def token_shape(piece: str) -> str:
    """One character that says what :func:`split_sentences` and the search for capitalised
    runs need to know of a token: E final punctuation, Q a closing mark; W a word whose first
    character is upper case, D one whose first character is a digit; X a connector
    (:data:`NAME_CONNECTORS`) that starts upper case, c one that does not; V any other token
    that starts upper case, o anything else."""
    if piece in _SENTENCE_END:
        return "E"
    if piece in _CLOSERS:
        return "Q"
    upper = piece[:1].isupper()
    if token_kind(piece) == "word" and (upper or piece[0].isdigit()):
        return "W" if upper else "D"
    if normalise(piece) in NAME_CONNECTORS:
        return "X" if upper else "c"
    return "V" if upper else "o"


#: Most distinct token forms whose properties :func:`tokenize` remembers.
_NORM_CACHE_MAX = 200_000


class FormCache(dict):
    """``cache[form]`` -> ``function(form)``, remembered (bounded): a pure function of the form.
    A dict subclass so that hits cost one C-level look-up inside ``map``."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, form: str) -> str:
        value = self.function(form)
        if len(self) < _NORM_CACHE_MAX:
            self[form] = value
        return value


def _form_info(piece: str) -> tuple[str, str, str]:
    """What :func:`tokenize` needs to know of a form: its norm, kind and shape code."""
    return normalise(piece), token_kind(piece), token_shape(piece)


#: One look-up per token: a second and third dict cost more than the tuple reads, above all
#: when the other passes have pushed these tables out of the processor's cache.
_FORMS = FormCache(_form_info)
_SHAPES = FormCache(token_shape)
_new_tuple = tuple.__new__
_START, _END, _TEXT, _NORM, _KIND = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3), itemgetter(4)
_NORM_OF, _KIND_OF, _CODE_OF = itemgetter(0), itemgetter(1), itemgetter(2)


class Tokenized(NamedTuple):
    """A text's tokens with what was learnt on the way (see :func:`tokenize_with_codes`)."""

    tokens: list[Token]
    shapes: str  # one token_shape() code per token
    words: int  # word and elision tokens (word_count)
    newlines: dict[int, int]  # newline_gaps()


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with offsets (whitespace is skipped)."""
    return tokenize_with_codes(text).tokens


def tokenize_with_codes(text: str) -> Tokenized:
    """:func:`tokenize`, the shape code of each token (:func:`token_shape`), the word count and
    the :func:`newline_gaps`, all taken while the forms and offsets are at hand.

    Same tokens as :func:`tokenize_reference`, built without a Python step per token:
    ``split`` on the one-group pattern gives gap, token, gap, ..., gap (the gaps are the
    characters no alternative matches); the running sum of their lengths gives every start
    and end; the norm, kind and shape of a form are remembered; the tuples are made by ``map``.
    """
    parts = _SPLIT_RE.split(text)
    if len(parts) == 1:
        return Tokenized([], "", 0, {})
    bounds = list(accumulate(map(len, parts)))
    pieces = parts[1::2]
    infos = list(map(_FORMS.__getitem__, pieces))
    fields = zip(bounds[0::2], bounds[1::2], pieces, map(_NORM_OF, infos), map(_KIND_OF, infos))
    tokens = list(map(_new_tuple, repeat(Token), fields))
    n = len(pieces)
    starts = bounds[0::2]  # n token starts, then the end of the text
    newlines = _newline_gaps(text, starts, n, bounds[1], starts[n - 1])
    return Tokenized(tokens, "".join(map(_CODE_OF, infos)), n - countOf(map(_KIND_OF, infos), "punct"), newlines)


def retokenize(old_text: str, old: Tokenized, changes: Sequence[tuple[int, int, str]], new_text: str) -> Tokenized:
    """:func:`tokenize_with_codes` of ``new_text``, which is ``old_text`` (tokenised as ``old``)
    with ``changes`` applied: ``(start, end, replacement)``, offsets into ``old_text``, sorted
    and not overlapping (as :func:`mtrepair.resolve.apply_edits` takes them).

    Exact because white space separates tokenisations: no token contains white space and no
    match starts on it, and the pattern looks at most one character past a token, so the tokens
    of a stretch that white space (or an end of the text) encloses on both sides are those of
    the stretch alone, and a text's tokens are those of its white-space-enclosed stretches. Each
    change is widened to such a stretch (:func:`_stretch`); only the widened stretches are split
    again, the tokens between them are the old ones moved by the length the changes before them
    added, and their codes and word counts are the old ones. Tested against
    :func:`tokenize_with_codes` on generated texts and changes.
    """
    regions: list[list[int]] = []  # [start, end, length added] in old_text, widened and merged
    for start, end, replacement in changes:
        lo, hi = _stretch(old_text, start, end)
        added = len(replacement) - (end - start)
        if regions and lo <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], hi)
            regions[-1][2] += added
        else:
            regions.append([lo, hi, added])
    toks, codes = old.tokens, old.shapes
    tokens: list[Token] = []
    shapes: list[str] = []
    words = old.words
    kept = shift = 0  # first old token not yet placed; length added before it
    for lo, hi, added in regions:
        first = bisect_left(toks, lo, kept, key=_START)
        after = bisect_left(toks, hi, first, key=_START)
        tokens += _moved(toks[kept:first], shift)
        shapes.append(codes[kept:first])
        words -= word_count(toks[first:after])
        region = _split_tokens(new_text[lo + shift : hi + shift + added], lo + shift)
        tokens += region.tokens
        shapes.append(region.shapes)
        words += region.words
        kept, shift = after, shift + added
    tokens += _moved(toks[kept:], shift)
    shapes.append(codes[kept:])
    n = len(tokens)
    if not n:
        return Tokenized([], "", 0, {})
    starts = list(map(_START, tokens))
    return Tokenized(tokens, "".join(shapes), words, _newline_gaps(new_text, starts, n, tokens[0].end, starts[n - 1]))


def _stretch(text: str, start: int, end: int) -> tuple[int, int]:
    """The smallest ``[lo, hi)`` around ``[start, end)`` with white space (or an end of
    ``text``) just before ``lo`` and at ``hi`` (``str.isspace`` is the pattern's ``\\s``)."""
    lo, hi, n = start, end, len(text)
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < n and not text[hi].isspace():
        hi += 1
    return lo, hi


def _split_tokens(text: str, base: int) -> Tokenized:
    """Tokens, codes and word count of ``text``, offsets moved by ``base`` (no newline gaps)."""
    parts = _SPLIT_RE.split(text)
    if len(parts) == 1:
        return Tokenized([], "", 0, {})
    bounds = list(accumulate(map(len, parts), initial=base))
    pieces = parts[1::2]
    infos = list(map(_FORMS.__getitem__, pieces))
    fields = zip(bounds[1::2], bounds[2::2], pieces, map(_NORM_OF, infos), map(_KIND_OF, infos))
    tokens = list(map(_new_tuple, repeat(Token), fields))
    return Tokenized(tokens, "".join(map(_CODE_OF, infos)), len(pieces) - countOf(map(_KIND_OF, infos), "punct"), {})


def _moved(tokens: list[Token], shift: int) -> list[Token]:
    """``tokens`` with their offsets moved by ``shift``."""
    if not shift:
        return tokens
    fields = zip(map(add, map(_START, tokens), repeat(shift)), map(add, map(_END, tokens), repeat(shift)),
                 map(_TEXT, tokens), map(_NORM, tokens), map(_KIND, tokens))
    return list(map(_new_tuple, repeat(Token), fields))


def shape_codes(tokens: list[Token]) -> str:
    """The :func:`token_shape` of every token, as one string (as :func:`tokenize_with_codes`)."""
    return "".join(map(_SHAPES.__getitem__, map(_TEXT, tokens)))


def tokenize_reference(text: str) -> list[Token]:
    """The plain definition of :func:`tokenize` (one match object per token), for tests."""
    return [Token(m.start(), m.end(), m.group(), normalise(m.group()), m.lastgroup or "punct")
            for m in _TOKEN_RE.finditer(text)]


def word_count(tokens: list[Token]) -> int:
    """Number of word and elision tokens."""
    return len(tokens) - countOf(map(_KIND, tokens), "punct")


@lru_cache(maxsize=4096)
def tokenize_phrase(phrase: str) -> tuple[str, ...]:
    """Normalised token forms of a short phrase (glossary patterns, names).

    The norms of :func:`tokenize`'s tokens, taken from the same split pieces and the same
    remembered form table without building tokens, offsets or codes (the gazetteer tokenises
    its 4,600 names at start-up)."""
    return tuple(map(_NORM_OF, map(_FORMS.__getitem__, _SPLIT_RE.split(phrase)[1::2])))


def tokenize_phrase_reference(phrase: str) -> tuple[str, ...]:
    """The plain definition of :func:`tokenize_phrase`, for tests."""
    return tuple(t.norm for t in tokenize_reference(phrase))


class Sentence(NamedTuple):
    start: int
    end: int
    tokens: tuple[Token, ...]


_FINAL_RE = re.compile("E(?![EQ])")


def newline_gaps(text: str, tokens: list[Token]) -> dict[int, int]:
    """Token index ``j`` -> number of newlines between tokens ``j - 1`` and ``j``, for the gaps
    that hold any (tokens never contain a newline; few gaps hold one, so this costs a search
    per newline rather than a look at every gap)."""
    if not tokens or text.find("\n", tokens[0].end, tokens[-1].start) < 0:
        return {}
    return _newline_gaps(text, list(map(_START, tokens)), len(tokens), tokens[0].end, tokens[-1].start)


def _newline_gaps(text: str, starts: list[int], n: int, first_end: int, last_start: int) -> dict[int, int]:
    """:func:`newline_gaps` from the starts of the ``n`` tokens (``starts`` may run on)."""
    newlines: dict[int, int] = {}
    pos = text.find("\n", first_end, last_start)
    while pos >= 0:
        j = bisect_left(starts, pos, 0, n)  # the gap before token j holds this newline
        newlines[j] = newlines.get(j, 0) + 1
        pos = text.find("\n", pos + 1, last_start)
    return newlines


def split_sentences(text: str, tokens: list[Token] | None = None,
                    newlines: dict[int, int] | None = None, codes: str | None = None) -> list[Sentence]:
    """Sentences by final punctuation or blank line; offsets into ``text``.

    A line break alone does not end a sentence (scraped text breaks lines
    mid-sentence); a line that ends with final punctuation, or a line that is
    followed by a capitalised line and ends with no punctuation (a heading),
    does.

    Same sentences as :func:`split_sentences_reference`, with the per-token test done on a
    string of one code per token (:func:`token_shape`): final punctuation ends a sentence
    unless more final punctuation or a closing mark follows (a regular expression over the
    codes); the line-break rule is checked only at the gaps that hold a newline. ``newlines``
    (:func:`newline_gaps`) and ``codes`` (:func:`tokenize_with_codes`) of these tokens may be
    passed when the caller has them already.
    """
    if tokens is None:
        tokens, codes, _, newlines = tokenize_with_codes(text)
    n = len(tokens)
    if not n:
        return []
    if codes is None:
        codes = shape_codes(tokens)
    last = [m.start() for m in _FINAL_RE.finditer(codes)]
    if newlines is None:
        newlines = newline_gaps(text, tokens)
    for j, count in newlines.items():
        if codes[j - 1] != "E" and (count > 1 or codes[j] in UPPER_SHAPES):
            last.append(j - 1)
    if newlines:
        last.sort()
    sentences: list[Sentence] = []
    first = 0
    for i in last:
        chunk = tuple(tokens[first : i + 1])
        sentences.append(Sentence(chunk[0].start, chunk[-1].end, chunk))
        first = i + 1
    if first < n:
        chunk = tuple(tokens[first:])
        sentences.append(Sentence(chunk[0].start, chunk[-1].end, chunk))
    return sentences


def split_sentences_reference(text: str, tokens: list[Token] | None = None) -> list[Sentence]:
    """The plain definition of :func:`split_sentences` (a loop over tokens), for tests."""
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
