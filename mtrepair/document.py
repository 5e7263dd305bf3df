"""Document: the text under repair plus views computed once and shared by passes."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple, Sequence

from .tokens import Sentence, Token, Tokenized, retokenize, shape_codes, split_sentences, tokenize_with_codes
from .tokens import newline_gaps as find_newline_gaps
from .tokens import word_count as count_words


class Line(NamedTuple):
    start: int
    end: int  # excludes the newline
    text: str


@dataclass
class Document:
    """The (normalised) text that passes read. Views are computed lazily, once."""

    text: str
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def after_changes(cls, old: "Document", changes: Sequence[tuple[int, int, str]], text: str) -> "Document":
        """The document of ``text``, which is ``old.text`` with ``changes`` applied
        (``(start, end, replacement)``, sorted, not overlapping): the same views as
        ``Document(text)``, the tokens re-split only around the changes
        (:func:`~mtrepair.tokens.retokenize`) when ``old`` has its tokens already."""
        doc = cls(text)
        done = old.__dict__.get("_tokenized")
        if done is not None and old.tokens is done.tokens:
            doc.__dict__["_tokenized"] = retokenize(old.text, done, changes, text)
        return doc

    @cached_property
    def _tokenized(self) -> Tokenized:
        return tokenize_with_codes(self.text)

    @cached_property
    def tokens(self) -> list[Token]:
        return self._tokenized.tokens

    @cached_property
    def newline_gaps(self) -> dict[int, int]:
        """Token index -> newlines between it and the token before, where there are any."""
        done = self._tokenized
        return done.newlines if self.tokens is done.tokens else find_newline_gaps(self.text, self.tokens)

    @cached_property
    def shape_codes(self) -> str:
        """One :func:`~mtrepair.tokens.token_shape` code per token, as a string."""
        done = self._tokenized
        return done.shapes if self.tokens is done.tokens else shape_codes(self.tokens)  # else: set by hand

    @cached_property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.text, self.tokens, self.newline_gaps, self.shape_codes)

    @cached_property
    def lines(self) -> list[Line]:
        out: list[Line] = []
        pos = 0
        for raw in self.text.split("\n"):
            out.append(Line(pos, pos + len(raw), raw))
            pos += len(raw) + 1
        return out

    @cached_property
    def line_starts(self) -> list[int]:
        return [line.start for line in self.lines]

    def line_index(self, offset: int) -> int:
        """The index in :attr:`lines` of the line holding ``offset`` (a line's end, where its
        newline is, belongs to it)."""
        return max(0, bisect_right(self.line_starts, offset) - 1)

    @cached_property
    def word_count(self) -> int:
        done = self._tokenized
        return done.words if self.tokens is done.tokens else count_words(self.tokens)

    def sentence_at(self, offset: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None
