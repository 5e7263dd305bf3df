"""Compile all entries into one Aho-Corasick automaton and match documents.

Encoding (one automaton, no per-entry scan):

* every text token is mapped to ONE symbol, a private-use character standing
  for its simplemma lemma — more precisely for the *lemma group* of that
  lemma: the lemmas a plain pattern token accepts (``garder`` accepts the
  lemmas of garde, gardée, ... because simplemma gives some inflected forms
  another word's lemma) are merged with union-find, so one symbol per
  position suffices;
* lemmas that no pattern uses map to a filler symbol that no key contains;
* every pattern variant becomes the string of its tokens' symbols;
* a hit of the automaton is then verified token by token (exact ``=form``
  tokens compare the normalised form, plain tokens check that the form's
  lemma is in the token's lemma class) and against the entry's context.

Matching a document therefore costs one regex tokenisation (none when the
document's tokens are already computed and equal, :func:`doc_tokens_are_exact`),
one dict lookup per token (forms are cached) and one automaton pass (keys
inserted so the commonest symbols are found first). Each fast path keeps its
plain definition next to it or in tests/test_glossary_fast_paths.py
(``words_ok`` for :class:`ContextCheck`, the normalised text's tokens for
:class:`TextTokens`), and the tests check they agree.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

import ahocorasick

from .. import tokens as _tokens
from ..document import Document
from .lexicon import accepts, lemma
from .model import Entry, GlossaryMatch
from .pattern import PToken, fixed_prefix, variant_text
from .realise import realise
from .tables import pattern_tables

#: Symbol for tokens whose lemma no pattern uses (never part of a key).
FILLER = " "
#: A character encoded text never holds (symbols are private-use characters or FILLER).
NEVER = "\x00"
#: The most frequent French words (wordfreq's top list), most frequent first: only the order in
#: which the automaton's keys are inserted, for speed (see Matcher.__init__).
FREQUENT_WORDS = (
    "de la le et l' à les est en des d' un que a pas une du il pour dans qui au ce sur qu' par on ne se "
    "plus s' son avec sont ou mais été elle ils y leur c' être cette comme aux n' ses nous tout"
).split()
_SENTENCE_END = frozenset(".!?…")
_OPENERS = frozenset("«\"“(-–—[")
_CLOSERS = frozenset("»\"”)]")
# The tokenizer's regex without named groups, for findall on the normalised text: the plain
# definition of the tokens matching reads.
_FAST_RE_REFERENCE = re.compile(re.sub(r"\(\?P<\w+>", "(?:", _tokens._TOKEN_RE.pattern), re.UNICODE)
# The same tokens, words written as runs of letters/digits joined by one connector each
# (tokens._WORD_RUNS, what the tokenizer splits on): a connector is taken only when a letter or
# digit follows in both patterns, so each alternative matches the same longest string, and the
# engine consumes a run in one step (faster). Tested against _FAST_RE_REFERENCE.
_FAST_RE = re.compile("(?:" + _tokens._ELISION + r"(?=[^\W_])|" + _tokens._WORD_RUNS + r"|[^\w\s])", re.UNICODE)
_APOS = [c for c in _tokens.APOSTROPHES if c != "'"]


def _norm_text(text: str) -> str:
    for c in _APOS:
        if c in text:
            text = text.replace(c, "'")
    return text.lower()


#: Elision prefixes whose letters after the first are lower case only in the tokenizer's regex
#: ("[qQ]u'", "[jJ]usqu'", ...), written case-insensitively: where one of these matches with an
#: upper-case letter after the first ("QU'IL"), the original text and its lower-cased copy are
#: tokenised differently ("QU'IL" is one word, "qu'il" is "qu'" + "il").
_ELISION_ANY_CASE = re.compile(
    r"(?:qu|jusqu|lorsqu|puisqu|quoiqu)[" + _tokens._APOS_CLASS + r"](?=[^\W_])", re.IGNORECASE
)
#: A quick necessary condition for a real difference: the prefix's letters are then ASCII (only
#: they lower to the regex's letters), one of them after the first upper case (U, S, Q, O, R,
#: I), followed by at most four letters and the apostrophe. A case-sensitive search, ~10× faster
#: than the case-insensitive one, which then runs only on the few texts it finds.
_ELISION_UPPER_HINT = re.compile(r"[UISQOR][A-Za-z]{0,4}[" + _tokens._APOS_CLASS + "]")


def doc_tokens_are_exact(text: str) -> bool:
    """Are the norms of ``tokenize(text)`` exactly the tokens :meth:`Matcher.raw_hits` reads?

    ``raw_hits`` tokenises the normalised text (apostrophes folded, lower-cased) when lowering
    keeps its length, else reads ``tokenize(text)`` itself. The two tokenisations agree, token
    by token, because lowering one character never changes whether it is a word character,
    blank, hyphen, dot or apostrophe (checked over all of Unicode by the tests), and folding
    an apostrophe keeps it a non-word character except for "ʼ" (a modifier letter, so a word
    character); so only "ʼ" and the regex's lower-case letters can see a difference: the
    elision prefixes found by ``_ELISION_ANY_CASE``. Each norm is the lower case of one token,
    which equals the slice of the lower-cased text except for the capital sigma (lowered by
    its context). So:

    * "İ" (the only character whose lower case is longer) in the text: raw_hits reads
      ``tokenize(text)`` itself — exact;
    * "ʼ", a capital sigma, or an elision prefix with an upper-case letter after its first:
      not exact (the caller tokenises the normalised text);
    * else exact.
    """
    if "\u0130" in text:
        return True
    if "\u02bc" in text or "\u03a3" in text:
        return False
    if _ELISION_UPPER_HINT.search(text) is None:
        return True
    for m in _ELISION_ANY_CASE.finditer(text):
        if not m.group()[1:].islower():
            return False
    return True


_NORM = attrgetter("norm")


class TextTokens:
    """The normalised tokens of one text: ``words`` (norms) and, on demand, ``spans``."""

    __slots__ = ("words", "_tokens", "_text", "_spans")

    def __init__(self, words: list[str], tokens=None, text: str | None = None) -> None:
        self.words = words
        self._tokens = tokens  # Token objects (from the Document), or None
        self._text = text  # the normalised text the words were found in, or None
        self._spans: list[tuple[int, int, str]] | None = None

    @classmethod
    def from_tokens(cls, tokens) -> "TextTokens":
        return cls(list(map(_NORM, tokens)), tokens=tokens)

    @classmethod
    def from_text(cls, text: str) -> "TextTokens":
        nt = _norm_text(text)
        if len(nt) != len(text):  # lower() changed lengths (rare letters): slow exact path
            return cls.from_tokens(_tokens.tokenize(text))
        return cls(_FAST_RE.findall(nt), text=nt)

    @property
    def spans(self):
        """(start, end, norm) of every token: a list, or a :class:`TokenSpans` view of the
        document's tokens (the same items, made only where read)."""
        if self._spans is None:
            if self._tokens is not None:
                self._spans = TokenSpans(self._tokens)
            else:
                self._spans = _offsets(self._text, self.words)
        return self._spans


class TokenSpans(Sequence):
    """``[(t.start, t.end, t.norm) for t in tokens]`` as a read-only view.

    Matching reads the spans of a few tokens around each hit; building a tuple for every token
    of the document cost more than all those reads. Indexing (negative indexes, slices,
    IndexError) behaves as on the list, since it delegates to the token list.
    """

    __slots__ = ("_tokens",)

    def __init__(self, tokens) -> None:
        self._tokens = tokens

    def __len__(self) -> int:
        return len(self._tokens)

    def __getitem__(self, k):
        if k.__class__ is slice:
            return [(t.start, t.end, t.norm) for t in self._tokens[k]]
        t = self._tokens[k]
        return (t.start, t.end, t.norm)

    def __eq__(self, other) -> bool:
        return list(self) == other


def _offsets(nt: str, pieces: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, piece) of the ``findall`` pieces of ``nt``.

    Offsets by str.find: the characters no alternative matches are whitespace and "_", and
    no token starts with either, so a token's first occurrence at or after the previous
    token's end is the token itself.
    """
    out: list[tuple[int, int, str]] = []
    find = nt.find
    pos = 0
    for piece in pieces:
        start = find(piece, pos)
        pos = start + len(piece)
        out.append((start, pos, piece))
    return out


@dataclass(frozen=True)
class Compiled:
    entry: Entry
    tokens: tuple[PToken, ...]
    text: str  # readable variant
    #: Tokens up to the first slot (== tokens when there is no slot): what the automaton finds.
    prefix: tuple[PToken, ...] = ()

    @property
    def has_slots(self) -> bool:
        return len(self.prefix) != len(self.tokens)


def match_tokens(ptoks: tuple[PToken, ...], words, pos: int, k: int = 0):
    """Match pattern tokens ``ptoks[k:]`` on ``words`` from ``pos``.

    Returns ``(end, gaps)`` — the index after the match and the (start, end)
    token ranges of the slots — or None. A slot ``{lo-hi}`` takes lo..hi word
    tokens (never punctuation), shortest first; the search is bounded by the
    product of the slots' widths (at most 2 slots of 6 tokens), so there is no
    unbounded backtracking.
    """
    n = len(ptoks)
    while k < n:
        p = ptoks[k]
        if p.hi:
            g = 0
            while g <= p.hi:
                if g >= p.lo:
                    got = match_tokens(ptoks, words, pos + g, k + 1)
                    if got is not None:
                        return got[0], ((pos, pos + g),) + got[1]
                if pos + g >= len(words) or not words[pos + g][:1].isalnum():
                    return None
                g += 1
            return None
        if pos >= len(words):
            return None
        w = words[pos]
        if p.exact:
            if w != p.norm:
                return None
        elif not accepts(p.norm, w):
            return None
        k += 1
        pos += 1
    return pos, ()


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent.setdefault(x, x)
        while p != self.parent[p]:
            self.parent[p] = self.parent[self.parent[p]]
            p = self.parent[p]
        self.parent[x] = p
        return p

    def union(self, items) -> None:
        items = list(items)
        root = self.find(items[0])
        for it in items[1:]:
            r = self.find(it)
            if r != root:
                self.parent[r] = root


def _plan(c: Compiled) -> tuple[Compiled, list[str] | None, bool]:
    """How a hit of ``c``'s key is verified: (c, exact_words, has_slots).

    ``exact_words``: when every token is an exact ``=form`` and there is no slot, the words
    the hit must be (one list comparison is :meth:`Matcher._verify` then); else None.
    """
    if not c.has_slots and all(t.exact for t in c.tokens):
        return c, [t.norm for t in c.tokens], False
    return c, None, c.has_slots


#: Most distinct forms whose symbol a Matcher remembers (a bound on memory; past it, new
#: forms are lemmatised each time they are met).
FORM_CACHE_MAX = 500_000


class _FormSymbols(dict):
    """form -> symbol (its lemma's group, or FILLER), remembered: ``encode`` maps a whole
    document through ``__getitem__`` in one C-level pass, and only unseen forms reach
    ``__missing__`` (simplemma runs once per distinct form while the cache is not full)."""

    def __init__(self, lemma_sym: dict[str, str]) -> None:
        super().__init__()
        self.lemma_sym = lemma_sym

    def __missing__(self, form: str) -> str:
        sym = self.lemma_sym.get(lemma(form), FILLER)
        if len(self) < FORM_CACHE_MAX:
            self[form] = sym
        return sym


def _symbol_char(n: int) -> str:
    # Private-use planes: 6,400 symbols in the BMP, then plane 15.
    return chr(0xE000 + n) if n < 6400 else chr(0xF0000 + n - 6400)


class Matcher:
    """The compiled form of a list of entries."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        uf = _UnionFind()
        compiled: list[Compiled] = []
        # the variants of each entry, the lemma of each pattern token and the lemma class of each
        # plain one (expand, lemma, lemma_class; read from the glossary cache when kept there)
        variants, lemmas, classes = pattern_tables(entries)
        for e, seqs in zip(entries, variants):
            for seq in seqs:
                prefix = fixed_prefix(seq)
                compiled.append(Compiled(e, seq, variant_text(seq), prefix))
                for t in seq:
                    if t.is_slot:
                        continue
                    if t.exact:
                        uf.find(lemmas[t.norm])
                    else:
                        uf.union(classes[t.norm])
        roots: dict[str, str] = {}
        self._lemma_sym: dict[str, str] = {}
        for lem in sorted(uf.parent):
            r = uf.find(lem)
            if r not in roots:
                roots[r] = _symbol_char(len(roots))
            self._lemma_sym[lem] = roots[r]
        self.compiled = compiled
        self._form_sym = _FormSymbols(self._lemma_sym)
        keys: dict[str, list[int]] = defaultdict(list)
        for n, c in enumerate(compiled):
            keys["".join(self._lemma_sym[lemmas[t.norm]] for t in c.prefix)].append(n)
        self.automaton = ahocorasick.Automaton()
        if keys:
            # pyahocorasick looks a node's transitions up by a linear search in insertion order,
            # and every token not continuing a partial match is looked up at the root: so the
            # filler (most tokens) goes first, by a key that can never match (encoded text never
            # holds NEVER), then the keys starting with the symbols of the most frequent words.
            # The order of insertion changes no result: the matches ending at a position are
            # reported longest first whatever the order (the automaton's suffix links).
            self.automaton.add_word(FILLER + NEVER, (2, ()))
        rank = self._root_ranks()
        for key in sorted(keys, key=lambda k: rank.get(k[0], len(rank))):
            self.automaton.add_word(key, (len(key), tuple(_plan(compiled[n]) for n in keys[key])))
        if keys:
            self.automaton.make_automaton()
        self._has_keys = bool(keys)
        #: id(entry) -> its compiled context (built on first use; entries live as long as self).
        self._contexts: dict[int, ContextCheck] = {}

    def context_ok(self, entry: Entry, words: list[str], i: int, j: int) -> bool:
        """:func:`words_ok`, with the entry's items compiled once."""
        check = self._contexts.get(id(entry))
        if check is None:
            check = self._contexts[id(entry)] = ContextCheck(entry)
        return check.ok(words, i, j)

    def _root_ranks(self) -> dict[str, int]:
        """Symbol -> rank of the most frequent word it stands for (speed only, see __init__)."""
        rank: dict[str, int] = {}
        for word in FREQUENT_WORDS:
            sym = self.symbol(word)
            if sym != FILLER:
                rank.setdefault(sym, len(rank))
        return rank

    # ---- text encoding -------------------------------------------------
    def symbol(self, form: str) -> str:
        """The symbol of a normalised form: its lemma group's, or FILLER."""
        return self._form_sym[form]

    def encode(self, words: list[str]) -> str:
        return "".join(map(self._form_sym.__getitem__, words))

    # ---- matching ------------------------------------------------------
    def tokens_of(self, text: str, doc: Document | None = None) -> "TextTokens":
        """The normalised tokens of ``text`` that matching reads, computed once for hits and spans.

        With ``doc`` (whose text is ``text``) whose tokens are already computed (the passes
        share them), they are reused when they are exactly the tokens of the normalised text
        (see :func:`doc_tokens_are_exact`); else one ``findall`` over the normalised text,
        cheaper than making Token objects nobody else reads.
        """
        if doc is not None and "tokens" in vars(doc) and doc_tokens_are_exact(text):
            return TextTokens.from_tokens(doc.tokens)
        return TextTokens.from_text(text)

    def raw_hits(self, text: str):
        """(hits, words): every verified hit (compiled, i, j) before context, and the normalised tokens."""
        if not self._has_keys or not text:
            return [], []
        words = TextTokens.from_text(text).words
        return self.hits(words), words

    def hits(self, words: list[str]) -> list[tuple[Compiled, int, int]]:
        """Every verified hit (compiled, i, j) in the normalised tokens ``words``, before context."""
        if not self._has_keys or not words:
            return []
        s = self.encode(words)
        hits = []
        for end_idx, (length, plans) in self.automaton.iter(s):
            i = end_idx - length + 1
            j = end_idx + 1
            for c, exact_words, slots in plans:
                if exact_words is not None:
                    if words[i:j] == exact_words:
                        hits.append((c, i, j))
                elif slots:
                    got = match_tokens(c.tokens, words, i)
                    if got is not None:
                        hits.append((c, i, got[0]))
                elif self._verify(c.tokens, words, i):
                    hits.append((c, i, j))
        return hits

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, norm) of every token, consistent with :meth:`raw_hits`."""
        return list(TextTokens.from_text(text).spans)

    @staticmethod
    def _verify(ptoks: tuple[PToken, ...], words: list[str], i: int) -> bool:
        for k, p in enumerate(ptoks):
            w = words[i + k]
            if p.exact:
                if w != p.norm:
                    return False
            elif not accepts(p.norm, w):
                return False
        return True


def slots_ok(c: Compiled, toks, i: int, j: int, text: str) -> bool:
    """A hit with slots stays on one line (a slot never bridges a line break)."""
    return not c.has_slots or "\n" not in text[toks[i][0]:toks[j - 1][1]]


def position_ok(entry: Entry, toks, i: int, j: int, text: str) -> bool:
    """The entry's ``position``, ``same-case`` and ``preceded-by`` constraints (need token offsets)."""
    ctx = entry.context
    if ctx.same_case and not same_case_ok(toks, i, j, text):
        return False
    if ctx.preceded_by and (i == 0 or toks[i - 1][2] not in ctx.preceded_by):
        return False
    pos = ctx.position
    return pos == "any" or _position_ok(pos, toks, i, j, text)


def same_case_ok(toks, i: int, j: int, text: str) -> bool:
    """No word of tokens i..j-1 starts with a capital right after one starting in lower case.

    ``context.same-case`` (the doubled-word entries): a stutter repeats the word in its case
    (« les les », « Les les » at a sentence start, « LES LES »); « une Une halte » or « sur SUR,
    prép. » is a heading or a dictionary entry glued on across a lost line or sentence boundary.
    """
    prev = text[toks[i][0]:toks[i][0] + 1]
    for k in range(i + 1, j):
        first = text[toks[k][0]:toks[k][0] + 1]
        if prev.islower() and first.isupper():
            return False
        prev = first
    return True


@lru_cache(maxsize=65536)
def context_item(item: str) -> tuple[bool, tuple[str, ...]]:
    """A require/forbid item -> (exact, normalised tokens); ``s'`` and ``d'abord`` work."""
    exact = item.startswith("=")
    body = item[1:] if exact else item
    if body[-1:] in _tokens.APOSTROPHES and len(body) > 1:
        return exact, (_tokens.normalise(body),)
    if body.isalpha() and "\u02bc" not in body:
        # one word (letters only; "ʼ" is a letter that can also elide): tokenize gives it whole
        return exact, (_tokens.normalise(body),)
    return exact, tuple(t.norm for t in _tokens.tokenize(body))


#: Tokens that end a sentence: the words a ``require`` item may take as evidence stop there.
_SENTENCE_ENDS = frozenset(".!?…")

Sides = tuple[list[str], list[str]]


def _windows(words: list[str], i: int, j: int, size: int) -> tuple[Sides, Sides]:
    """Up to ``size`` words (punctuation skipped) before and after tokens i..j-1, in text order:
    the window cut at the first sentence end on each side (where ``require`` items count), and
    the whole window (where ``forbid`` items count), from one scan of each side."""
    left: list[str] = []
    left_cut = -1  # words taken before the first sentence end met, or -1
    k = i - 1
    while k >= 0 and len(left) < size:
        if left_cut < 0 and words[k] in _SENTENCE_ENDS:
            left_cut = len(left)
        if words[k][:1].isalnum():
            left.append(words[k])
        k -= 1
    right: list[str] = []
    right_cut = -1
    k = j
    while k < len(words) and len(right) < size:
        if right_cut < 0 and words[k] in _SENTENCE_ENDS:
            right_cut = len(right)
        if words[k][:1].isalnum():
            right.append(words[k])
        k += 1
    in_sentence = ((left[:left_cut] if left_cut >= 0 else left)[::-1],
                   right[:right_cut] if right_cut >= 0 else right)
    left.reverse()
    return in_sentence, (left, right)


#: Context words compared by form only: simplemma's lemmas of short function
#: words are unreliable for this ("les" -> le, "te" -> le, "leur" -> son).
_FORM_ONLY = frozenset(
    "le la les l' un une des du de d' à au aux en et ou que qu' qui ce cet cette ces se s' son sa ses leur leurs "
    "mon ma mes ton ta tes notre nos votre vos il elle ils elles on ne n' pas plus y me m' te t' nous vous lui "
    "moi toi eux soi même autre dont quoi quel quelle si ni car mais donc or".split()
)


#: An elided word stands for its full form in context items ("ne" also forbids "n'").
_UNELIDED = {"n'": ("ne",), "d'": ("de",), "qu'": ("que",), "s'": ("se", "si"), "m'": ("me",), "t'": ("te",),
             "j'": ("je",), "c'": ("ce",), "l'": ("le", "la")}


def _same(item_tok: str, word: str, exact: bool) -> bool:
    if word == item_tok or item_tok in _UNELIDED.get(word, ()) or word in _UNELIDED.get(item_tok, ()):
        return True
    if exact or item_tok in _FORM_ONLY or len(item_tok) <= 3:
        return False
    return lemma(word) == lemma(item_tok)


def words_ok(entry: Entry, words: list[str], i: int, j: int) -> bool:
    """The entry's ``require``/``forbid`` constraints over normalised words.

    The definition; matching runs the compiled :class:`ContextCheck` (same result, tested).
    ``require`` items are looked for in the match's sentence only, ``forbid`` items over the
    whole window.
    """
    ctx = entry.context
    if not ctx.require and not ctx.forbid:
        return True
    in_sentence, whole = _windows(words, i, j, ctx.window)
    if ctx.require and not _any_present(ctx.require, in_sentence):
        return False
    if ctx.forbid and _any_present(ctx.forbid, whole):
        return False
    return True


def _any_present(items: tuple[str, ...], sides: Sides) -> bool:
    """Is one of the require/forbid ``items`` among the window's words ``sides`` (:func:`words_ok`)?"""
    forms = set(sides[0]) | set(sides[1])
    expanded = set(forms)
    for w in forms:
        expanded.update(_UNELIDED.get(w, ()))
    lemmas: set[str] | None = None

    def present(item: str) -> bool:
        nonlocal lemmas
        exact, toks = context_item(item)
        if len(toks) == 1:
            t = toks[0]
            if t in expanded or any(x in forms for x in _UNELIDED.get(t, ())):
                return True
            if exact or t in _FORM_ONLY or len(t) <= 3:
                return False
            if lemmas is None:
                lemmas = {lemma(w) for w in forms if w not in _FORM_ONLY}
            return lemma(t) in lemmas
        n = len(toks)
        for side in sides:
            for s in range(len(side) - n + 1):
                if all(_same(toks[q], side[s + q], exact) for q in range(n)):
                    return True
        return False

    return any(present(item) for item in items)


#: Elided forms that stand for a full word (the inverse of ``_UNELIDED``): "ne" -> ("n'",).
_ELIDED_FORMS = {full: tuple(w for w, fulls in _UNELIDED.items() if full in fulls)
                 for fulls in _UNELIDED.values() for full in fulls}


@lru_cache(maxsize=65536)
def _triggers(t: str) -> frozenset[str]:
    """The window forms that make the one-token item ``t`` present without lemmas.

    In :func:`words_ok`: ``t in expanded`` (``t`` itself, or an elided form standing for it:
    "n'" for "ne") or ``x in forms`` for an elided form ``x`` of ``t``."""
    return frozenset((t,) + _ELIDED_FORMS.get(t, ()) + _UNELIDED.get(t, ()))


@lru_cache(maxsize=65536)
def _item_parts(item: str) -> tuple[frozenset[str], str | None, tuple[bool, tuple[str, ...]] | None]:
    """One require/forbid item -> (its trigger forms, its token if compared by lemma, the item
    if it has several tokens), see :class:`ContextItems`."""
    exact, toks = context_item(item)
    if len(toks) != 1:
        return frozenset(), None, (exact, toks)
    t = toks[0]
    return _triggers(t), (None if exact or t in _FORM_ONLY or len(t) <= 3 else t), None


class ContextItems:
    """The ``require`` (or ``forbid``) items of one entry, compiled for :meth:`any_present`.

    ``any_present`` is ``any(present(item) for item in items)`` of :func:`words_ok`, item by
    item the same test: a one-token item is present when a window form is one of its
    triggers (:func:`_triggers`), or, when it may be compared by lemma (not exact, not a
    function word, longer than 3), when a window form's lemma is its lemma; longer items
    run the reference comparison. Only the order of the look-ups changes (forms of every
    item before any lemma), and they have no effect but caching.
    """

    __slots__ = ("forms", "phrases", "_by_lemma", "_lemmas")

    def __init__(self, items: tuple[str, ...]) -> None:
        parts = list(map(_item_parts, items))
        self.forms = frozenset().union(*[p[0] for p in parts])
        self._by_lemma = tuple([p[1] for p in parts if p[1] is not None])
        self.phrases = tuple([p[2] for p in parts if p[2] is not None])
        self._lemmas: frozenset[str] | None = None  # their lemmas, on first need

    @property
    def lemmas(self) -> frozenset[str]:
        if self._lemmas is None:
            self._lemmas = frozenset(map(lemma, self._by_lemma))
        return self._lemmas

    def any_present(self, forms: set[str], sides: tuple[list[str], list[str]]) -> bool:
        if not self.forms.isdisjoint(forms):
            return True
        for exact, toks in self.phrases:
            n = len(toks)
            for side in sides:
                for s in range(len(side) - n + 1):
                    if all(_same(toks[q], side[s + q], exact) for q in range(n)):
                        return True
        if self._by_lemma:
            lemmas = self.lemmas
            return any(lemma(w) in lemmas for w in forms if w not in _FORM_ONLY)
        return False


@lru_cache(maxsize=16384)
def context_items(items: tuple[str, ...]) -> ContextItems:
    """The compiled items (entries often share their require/forbid lists)."""
    return ContextItems(items)


class ContextCheck:
    """An entry's ``require``/``forbid`` constraints, compiled: :meth:`ok` is :func:`words_ok`."""

    __slots__ = ("window", "require", "forbid")

    def __init__(self, entry: Entry) -> None:
        ctx = entry.context
        self.window = ctx.window
        self.require = context_items(ctx.require) if ctx.require else None
        self.forbid = context_items(ctx.forbid) if ctx.forbid else None

    def ok(self, words: list[str], i: int, j: int) -> bool:
        """Is a ``require`` item within the window *in the match's sentence* (the evidence for
        the calque reading: « …la recherche. L'équipage a quitté le navire » is no team), and no
        ``forbid`` item within the window, on either side of a sentence end (a forbid only
        protects, so it looks as far as the window goes)?"""
        if self.require is None and self.forbid is None:
            return True
        in_sentence, whole = _windows(words, i, j, self.window)
        if self.require is not None and not self.require.any_present(_forms(in_sentence), in_sentence):
            return False
        if self.forbid is not None and self.forbid.any_present(_forms(whole), whole):
            return False
        return True


def _forms(sides: Sides) -> set[str]:
    """The distinct words of a window's two sides."""
    forms = set(sides[0])
    forms.update(sides[1])
    return forms


def _after_opening_quotation(toks, i: int, text: str, starts_sentence) -> bool:
    """``position: after-quote``: the match starts with the « » » that closes a quotation opening
    its sentence (or following a colon), as in an inverted reporting clause (« « Nous
    accélérons », a dit la ministre »), not a name in guillemets inside a sentence (« le
    dispositif « Jeunes actifs », a inclus … »)."""
    if toks[i][2] not in ("»", "\"", "”"):
        return False
    k = i - 1
    while k >= 0 and toks[k][2] not in ("«", "\"", "“") and "\n" not in text[toks[k][1]:toks[k + 1][0]]:
        k -= 1
    if k < 0 or toks[k][2] not in ("«", "\"", "“"):
        return False
    if k > 0 and toks[k - 1][2] == ":" and "\n" not in text[toks[k - 1][1]:toks[k][0]]:
        return True
    return _position_ok("sentence-start", toks, k, k + 1, text)


def _position_ok(position: str, toks, i: int, j: int, text: str) -> bool:
    def starts_sentence() -> bool:
        k = i - 1
        while k >= 0 and toks[k][2] in _OPENERS and "\n" not in text[toks[k][1]:toks[k + 1][0]]:
            k -= 1
        if k < 0:
            return True
        gap = text[toks[k][1]:toks[k + 1][0]]
        return toks[k][2] in _SENTENCE_END or "\n" in gap

    def ends_sentence() -> bool:
        k = j
        while k < len(toks) and toks[k][2] in _CLOSERS and "\n" not in text[toks[k - 1][1]:toks[k][0]]:
            k += 1
        if k >= len(toks):
            return True
        gap = text[toks[k - 1][1]:toks[k][0]]
        return toks[k][2] in _SENTENCE_END or "\n" in gap

    if position == "block-start":
        return _block_start_line(toks, i, j, text)
    if position == "after-quote":
        return _after_opening_quotation(toks, i, text, starts_sentence)
    if position == "sentence-start":
        return starts_sentence()
    if position == "sentence-end":
        return ends_sentence()
    if position == "line":
        # Nothing alphanumeric between the match and the line's ends. Scan outwards only as far as
        # the first letter or line break: slicing whole lines made one long line quadratic.
        k = toks[i][0] - 1
        while k >= 0 and text[k] != "\n":
            if text[k].isalnum():
                return False
            k -= 1
        k, n = toks[j - 1][1], len(text)
        while k < n and text[k] != "\n":
            if text[k].isalnum():
                return False
            k += 1
        return True
    return True


#: Horizontal blanks a deleted boilerplate phrase takes with it.
_BLANKS = " \t\u00a0\u202f"


#: ``position: block-start``: at most this many words may follow the match on its line.
BLOCK_GLUED_MAX_WORDS = 2


def _block_start_line(toks, i: int, j: int, text: str) -> bool:
    """The line part of ``position: block-start`` (a scraped call to action glued to a sentence).

    The match starts its line; the rest of the line is 1..BLOCK_GLUED_MAX_WORDS lower-case words
    without punctuation (the first words of a sentence the scraper glued to the link text); and
    the next line starts with a lower-case letter (that sentence goes on). The line above is
    checked by :func:`block_start_above` once all boilerplate matches are known.
    """
    a, b = toks[i][0], toks[j - 1][1]
    if text[text.rfind("\n", 0, a) + 1:a].strip():
        return False
    line_end = text.find("\n", b)
    if line_end < 0:
        return False
    rest = text[b:line_end].split()
    if not 1 <= len(rest) <= BLOCK_GLUED_MAX_WORDS or not all(w.isalpha() and w[0].islower() for w in rest):
        return False
    nxt = text[line_end + 1:line_end + 80].lstrip(" \t")
    return nxt[:1].isalpha() and nxt[:1].islower()


def block_start_above(match_start: int, others, text: str) -> bool:
    """The line above a block-start match is blank, absent, or wholly removed boilerplate.

    ``others`` are the other boilerplate matches kept in the same document ((start, end) pairs).
    """
    line_start = text.rfind("\n", 0, match_start) + 1
    if line_start == 0:
        return True
    prev_start = text.rfind("\n", 0, line_start - 1) + 1
    prev = text[prev_start:line_start - 1]
    if not prev.strip():
        return True
    lo = prev_start + (len(prev) - len(prev.lstrip()))
    hi = prev_start + len(prev.rstrip())
    return any(s <= lo and e >= hi for s, e in others)


def scope_span(doc: Document, start: int, end: int, scope: str) -> tuple[int, int]:
    """The text a boilerplate entry deletes: its span, sentence, line or paragraph.

    Line and paragraph scopes include their line break so no empty line is
    left behind; a sentence scope includes the spaces after it.
    """
    text = doc.text
    if scope == "span":
        # Take the spaces the deleted phrase leaves behind: those after it when it starts its
        # line (nothing but blanks before it on the line), else one space before it.
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip(_BLANKS) == "":
            while end < len(text) and text[end] in _BLANKS:
                end += 1
        elif start > 0 and text[start - 1] in _BLANKS:
            start -= 1
        elif end < len(text) and text[end] in _BLANKS:
            end += 1
        return start, end
    if scope == "sentence":
        s = doc.sentence_at(start)
        if s is None:
            return start, end
        e = max(s.end, end)
        while e < len(text) and text[e] in " \t":
            e += 1
        return min(s.start, start), e
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if scope == "line":
        return line_start, (len(text) if line_end < 0 else line_end + 1)
    # paragraph: bounded by blank lines (or the text's ends)
    m = None
    for m in re.finditer(r"\n[ \t]*\n", text[:start]):
        pass
    p_start = m.end() if m else 0
    m2 = re.search(r"\n[ \t]*\n", text[end:])
    p_end = end + m2.end() if m2 else len(text)
    return p_start, p_end


def apostrophe_style(text: str) -> str:
    return "’" if text.count("’") > text.count("'") else "'"


def realise_hit(c: Compiled, i: int, j: int, toks, doc: Document, apostrophe: str) -> GlossaryMatch:
    e = c.entry
    text = doc.text
    if e.category == "boilerplate":
        s, t = scope_span(doc, toks[i][0], toks[j - 1][1], e.scope)
        sugg = tuple(e.replace)
        return GlossaryMatch(e, s, t, sugg, e.mode, text[s:t], toks[i][0], toks[j - 1][1], c.text, ())
    gaps = ()
    if c.has_slots:
        got = match_tokens(c.tokens, [t[2] for t in toks[i:j]], 0)
        gaps = tuple((i + a, i + b) for a, b in got[1]) if got is not None else ()
    r = realise(e, c.tokens, i, j, toks, text, apostrophe, gaps)
    return GlossaryMatch(e, r.start, r.end, r.suggestions, r.mode, text[r.start:r.end],
                         toks[i][0], toks[j - 1][1], c.text, r.notes)
