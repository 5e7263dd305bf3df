"""The embedded n-gram model: run-time scoring over memory-mapped numpy tables.

Model (built by :mod:`mtrepair.model.build`): a word trigram model with interpolated
modified Kneser-Ney smoothing, pruned, stored in back-off form. For a token ``w`` after
context ``u v``::

    log P(w | u v) = lp3(u v w)                               if the trigram is stored
                   = bo2(u v) + lp2(v w)                      elif the bigram v w is stored
                   = bo2(u v) + bo1(v) + lp1(w)               otherwise

(``bo2(u v) = 0`` when the context has no stored trigram). Every sentence is scored as
``<s> <s> w1 ... wn </s>``; the log-probability includes ``</s>``. Logarithms are natural.

Out-of-vocabulary words (seen fewer than ``min_count`` times in the corpus) are predicted as
the ``<unk>`` token, which the model learnt like any word, and then spelt out with the
sentencepiece unigram model::

    log P(w | h) = log P(<unk> | h) + log P_unk(w)
    P_unk(w)       = lambda * f_wf(w) / F + (1 - lambda) * P_spell(w)
    log P_spell(w) = log q + (k - 1) log(1 - q) + sum_i log p_spm(piece_i)

where ``piece_1..piece_k`` is the Viterbi segmentation of ``w`` by ``spm.model``,
``p_spm`` the piece probabilities re-estimated on the segmentations of the corpus's rare
word types (``spell_lp.npy``, add-1/2 smoothing) and ``q`` (``meta.json: oov_q``) the
probability that a word ends after a piece (1 / mean pieces per rare word). ``P_spell``
is a proper (sub-)distribution over piece sequences, so the total stays normalised up to the
mass that spelling gives to in-vocabulary strings. ``f_wf(w)`` is the French frequency of
``w`` in wordfreq (news, web, subtitles: closer to news than the corpus), ``F`` the total
wordfreq frequency of the words outside the model's vocabulary, and ``lambda`` =
:data:`WORDFREQ_WEIGHT`; both parts are distributions over OOV words, so the mixture is one
too. Without wordfreq (``wordfreq=False`` or not installed) ``P_unk = P_spell``; the model id
says which (``+wordfreq<version>``). ``F`` is read from ``wordfreq_total.json`` when that
file was written for this vocabulary and wordfreq version (:func:`write_wordfreq_total`),
else computed; ``f_wf`` and ``F`` come from a copy in the cache folder when there is one
(:mod:`mtrepair.model.wordfreq_table`: same values, without loading wordfreq). Numbers are the single token ``<num>``.

In-domain component (optional, ``meta.json: domain``; built by
:mod:`mtrepair.model.build_domain` from original news-register text): a second, unpruned
trigram Kneser-Ney model over the same vocabulary (``dom_*.npy``, float32). Every token
probability, ``<unk>`` included, is the linear interpolation::

    P(w | u v) = (1 - lambda_d) * P_general(w | u v) + lambda_d * P_domain(w | u v)

with ``lambda_d = domain.weight`` when ``domain.k`` is 0, else ``lambda_d(u v) = weight *
n(u v) / (n(u v) + k)`` where ``n(u v)`` is the in-domain count of the history (the small
model only speaks where it has seen the history; see :mod:`mtrepair.model.build_domain`).
Both were chosen on DEV pairs; ``NgramModel(path, domain_weight=w, domain_k=k)`` overrides
them, ``domain_weight=0`` = the general model alone. Both components are
normalised over the same vocabulary, so the mixture is too; the model id gains
``+news<hash>w<weight>``.

Scoring is vectorised: all sentences of a batch become one id array, and the three table
look-ups are ``np.searchsorted`` calls over sorted ``uint64`` keys packing three 21-bit ids.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .errors import ModelNotFoundError
from .text import has_digit, join_window, lm_tokens, lm_tokens_many

#: A lone surrogate (possible in text from JSON "\\udXXX" escapes) cannot be passed to sentencepiece.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

_BOS, _EOS, _UNK, _NUM = 0, 1, 2, 3
#: Tokens of history a log-probability depends on (trigram model: ``order - 1``).
_CONTEXT = 2

_REQUIRED = (
    "meta.json", "vocab.txt", "uni_lp.npy", "uni_bo.npy", "bi_keys.npy", "bi_lp.npy",
    "bi_bo.npy", "bi_lp_book.npy", "bi_bo_book.npy", "tri_keys.npy", "tri_lp.npy",
    "tri_lp_book.npy", "spm.model", "spell_lp.npy",
)
#: Weight of wordfreq's frequencies in the OOV word distribution (the rest is spelling).
WORDFREQ_WEIGHT = 0.9
#: Up to this many positions :meth:`NgramModel._score_positions` looks keys up without sorting
#: them first: fewer numpy calls (the model gate's windows: tens to hundreds of positions);
#: sorting pays for large batches (the unlisted-phrase pass), whose queries then share pages.
_FEW_POSITIONS = 1024
#: File of a built model storing ``F`` for one wordfreq version (:func:`write_wordfreq_total`).
WORDFREQ_TOTAL_FILE = "wordfreq_total.json"
#: Size of the per-model cache of spelling log-probabilities of OOV words.
_SPELL_CACHE_MAX = 100_000


@dataclass(frozen=True)
class TokenScores:
    """Per-token log-probabilities of one text (the last entry is ``</s>``)."""

    tokens: tuple[str, ...]
    logprobs: np.ndarray  # len(tokens) + 1
    oov: np.ndarray  # bool per token: scored through <unk> + spelling


def _lookup(keys: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(found, index) of each query key in the sorted key array."""
    if keys.size == 0:
        return np.zeros(q.size, dtype=bool), np.zeros(q.size, dtype=np.int64)
    i = _searchsorted(keys, q)
    np.minimum(i, keys.size - 1, out=i)
    return keys[i] == q, i


class _SortedQueries:
    """Query keys with their stable sort order computed once, for look-ups in several tables
    (the general and the in-domain tables are searched with the same keys). Same results as
    :func:`_lookup`: each answer of ``np.searchsorted`` depends on its query only."""

    __slots__ = ("q", "order", "sorted")

    def __init__(self, q: np.ndarray) -> None:
        self.q = q
        if q.size < 2:
            self.order = None
            self.sorted = q
        else:
            self.order = np.argsort(q, kind="stable")
            self.sorted = q[self.order]

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q = self.q
        if keys.size == 0:
            return np.zeros(q.size, dtype=bool), np.zeros(q.size, dtype=np.int64)
        if self.order is None:
            i = np.searchsorted(keys, q)
        else:
            i = np.empty(q.size, dtype=np.intp)
            i[self.order] = np.searchsorted(keys, self.sorted)
        np.minimum(i, keys.size - 1, out=i)
        return keys[i] == q, i


def _previous_or_lookup(found: np.ndarray, index: np.ndarray, prev_scored: np.ndarray,
                        keys: np.ndarray, kc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Look-up of the context keys ``kc`` given that of the bigram keys: where the previous
    position is scored too, its bigram key ``(b, c)`` *is* this position's context key
    ``(a, b)``, so its (found, index) are reused; the other positions (first words) are
    looked up. Same (found, index) as a full look-up of ``kc``."""
    fc = np.empty_like(found)
    ic = np.empty_like(index)
    fc[1:] = found[:-1]
    ic[1:] = index[:-1]
    first = np.flatnonzero(~prev_scored)
    if first.size:
        f, i = _lookup(keys, kc[first])
        fc[first] = f
        ic[first] = i
    return fc, ic


def _lookup_plain(keys: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_lookup` without visiting the queries in sorted order: the same (found, index),
    each answer of ``np.searchsorted`` depending on its query only; cheaper for few queries
    (no sort, no scatter)."""
    if keys.size == 0:
        return np.zeros(q.size, dtype=bool), np.zeros(q.size, dtype=np.int64)
    i = np.searchsorted(keys, q)
    np.minimum(i, keys.size - 1, out=i)
    return keys[i] == q, i


def _searchsorted(keys: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``np.searchsorted(keys, q)`` with the queries visited in sorted order (same result:
    each answer depends on its query only; nearby queries reuse cached table pages)."""
    if q.size < 2:
        return np.searchsorted(keys, q)
    order = np.argsort(q, kind="stable")
    out = np.empty(q.size, dtype=np.intp)
    out[order] = np.searchsorted(keys, q[order])
    return out


@dataclass(frozen=True)
class _Tables:
    """Unquantised back-off tables of the in-domain component (``dom_*.npy``)."""

    uni_lp: np.ndarray
    uni_bo: np.ndarray
    bi_keys: np.ndarray
    bi_lp: np.ndarray
    bi_bo: np.ndarray
    tri_keys: np.ndarray
    tri_lp: np.ndarray
    bi_n: np.ndarray  # in-domain count of each key as a two-word history

    def logprobs(self, k3, k2, kc, b, c) -> tuple[np.ndarray, np.ndarray]:
        """In-domain log-probabilities and the in-domain count of each history."""
        f3, i3 = _lookup(self.tri_keys, k3)
        f2, i2 = _lookup(self.bi_keys, k2)
        fc, ic = _lookup(self.bi_keys, kc)
        return self.combine(f3, i3, f2, i2, fc, ic, b, c)

    def combine(self, f3, i3, f2, i2, fc, ic, b, c) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`logprobs` from the (found, index) of the three look-ups."""
        bo2 = np.where(fc, self.bi_bo[ic], 0.0)
        low = np.where(f2, self.bi_lp[i2], self.uni_bo[b.astype(np.int64)] + self.uni_lp[c.astype(np.int64)])
        return np.where(f3, self.tri_lp[i3], bo2 + low), np.where(fc, self.bi_n[ic], 0.0)


class NgramModel:
    """Word trigram model with subword back-off (and an optional in-domain component
    interpolated with weight ``domain_weight``, default ``meta.json``'s); see the module
    docstring."""

    kind = "ngram"

    def __init__(self, path: str | Path, *, wordfreq: bool = True,
                 domain_weight: float | None = None, domain_k: float | None = None) -> None:
        path = Path(path)
        missing = [n for n in _REQUIRED if not (path / n).is_file()]
        if missing:
            raise ModelNotFoundError(
                f"{path}: not a built mtrepair model (missing {', '.join(missing)}); "
                "build one with: python -m mtrepair.model.build --corpus DIR --out DIR"
            )
        self.path = path
        self.meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        self.name = str(self.meta.get("name", path.name))
        if int(self.meta.get("order", 3)) != _CONTEXT + 1:
            raise ModelNotFoundError(f"{path}: order {self.meta.get('order')} model; only trigram models are supported")
        self._base_id = f"{self.name}@{str(self.meta.get('content_hash', ''))[:12]}"
        self._bits = np.uint64(int(self.meta.get("id_bits", 21)))
        words = (path / "vocab.txt").read_text(encoding="utf-8").split("\n")
        if words and words[-1] == "":
            words.pop()
        self.words: list[str] = words
        self.vocab: dict[str, int] = dict(zip(words, range(len(words))))

        def load(name: str) -> np.ndarray:
            # a plain ndarray view of the memory map: same data, without np.memmap's
            # per-indexing subclass overhead
            return np.asarray(np.load(path / name, mmap_mode="r", allow_pickle=False))

        self._uni_lp = np.asarray(load("uni_lp.npy"), dtype=np.float64)
        self._uni_bo = np.asarray(load("uni_bo.npy"), dtype=np.float64)
        self._bi_keys = load("bi_keys.npy")
        self._bi_lp = load("bi_lp.npy")
        self._bi_bo = load("bi_bo.npy")
        self._bi_lp_book = np.asarray(load("bi_lp_book.npy"), dtype=np.float64)
        self._bi_bo_book = np.asarray(load("bi_bo_book.npy"), dtype=np.float64)
        self._tri_keys = load("tri_keys.npy")
        self._tri_lp = load("tri_lp.npy")
        self._tri_lp_book = np.asarray(load("tri_lp_book.npy"), dtype=np.float64)
        self._dom = None
        dom = self.meta.get("domain")
        if dom is not None and domain_weight != 0.0:
            from .build_domain import DOMAIN_FILES

            missing = [n for n in DOMAIN_FILES if not (path / n).is_file()]
            if missing:
                raise ModelNotFoundError(
                    f"{path}: meta.json names an in-domain component but {', '.join(missing)} "
                    "is missing; rebuild it with python -m mtrepair.model.build_domain"
                )
            w = float(dom.get("weight", 0.0)) if domain_weight is None else float(domain_weight)
            if not 0.0 <= w < 1.0:
                raise ValueError(f"domain_weight must be in [0, 1): {w}")
            if w > 0.0:
                self._dom = _Tables(
                    load("dom_uni_lp.npy"), load("dom_uni_bo.npy"), load("dom_bi_keys.npy"),
                    load("dom_bi_lp.npy"), load("dom_bi_bo.npy"), load("dom_tri_keys.npy"),
                    load("dom_tri_lp.npy"), load("dom_bi_n.npy"))
                self._dom_w = w
                self._dom_k = float(dom.get("k", 0.0)) if domain_k is None else float(domain_k)
                if self._dom_k < 0.0:
                    raise ValueError(f"domain_k must be >= 0: {self._dom_k}")
                self._base_id += f"+news{str(dom.get('files_hash', ''))[:8]}w{w:g}"
                if self._dom_k > 0.0:
                    self._base_id += f"k{self._dom_k:g}"
        q = float(self.meta.get("oov_q", 0.3))
        self._spell_base = (math.log(q), math.log(1.0 - q))
        self._sp = None
        self._piece_lp: np.ndarray | None = None
        self._spell_cache: dict[str, float] = {}
        self._oov_cache: dict[str, float] = {}
        self._syn: tuple | None = None
        self._wf: dict[str, float] | None = None
        self._wf_table = None  # mtrepair.model.wordfreq_table.WordfreqTable, or False: none
        self._wf_total = 1.0
        self._use_wf = bool(wordfreq) and _has_wordfreq()
        self._id: str | None = None

    @property
    def id(self) -> str:
        """``name@contenthash`` (+ ``+wordfreqVERSION`` when wordfreq scores OOV words)."""
        if self._id is None:
            self._id = self._base_id + (f"+wordfreq{_wordfreq_version()}" if self._use_wf else "")
        return self._id

    # ------------------------------------------------------------ tokens

    def tokens(self, text: str) -> list[str]:
        """The model's tokens of ``text`` (lower-cased; see :mod:`mtrepair.model.text`)."""
        return lm_tokens(text)

    def oov_logprob(self, word: str) -> float:
        """``log P_unk(word)``: the OOV word distribution of the module docstring."""
        cached = self._oov_cache.get(word)
        if cached is not None:
            return cached
        value = self.spell_logprob(word)
        if self._use_wf:
            f = self._wordfreq(word)
            value = math.log(WORDFREQ_WEIGHT * f / self._wf_total
                             + (1.0 - WORDFREQ_WEIGHT) * math.exp(value))
        if len(self._oov_cache) < _SPELL_CACHE_MAX:
            self._oov_cache[word] = value
        return value

    def _wordfreq(self, word: str) -> float:
        """``f_wf(word)``: ``get_frequency_dict("fr", "best").get(word, 0.0)``, sets ``F``.

        Without loading wordfreq when the cached copy of the dict's OOV part is there
        (:mod:`mtrepair.model.wordfreq_table`: the same floats for the words it covers, those
        outside the vocabulary without a digit, the only ones the model asks about); other
        words, or no copy, load the dict (and write the copy for the next process).
        """
        if self._wf is None:
            if self._wf_table is None:
                self._wf_table = self._open_wordfreq_table()
            table = self._wf_table
            if table and word not in self.vocab and not has_digit(word):
                return table.frequency(word)
            if self._wf is None:
                self._load_wordfreq()
        return self._wf.get(word, 0.0)

    def _open_wordfreq_table(self):
        """The cached table (and ``F`` from it), or ``False`` after loading the dict instead."""
        from . import wordfreq_table

        path = wordfreq_table.table_path(str(self.meta.get("content_hash", "")))
        table = wordfreq_table.read_table(path) if path is not None else None
        if table is not None:
            self._wf_total = table.total
            return table
        self._load_wordfreq()
        if path is not None:
            try:
                table = wordfreq_table.build_table(self._wf, self.vocab, self._wf_total, has_digit)
            except UnicodeEncodeError:  # a word UTF-8 cannot encode: no copy
                return False
            wordfreq_table.write_table(path, table)
        return False

    def _load_wordfreq(self) -> None:
        from wordfreq import get_frequency_dict

        self._wf = get_frequency_dict("fr", wordlist="best")  # cached by wordfreq, shared
        stored = self._stored_wordfreq_total()
        self._wf_total = stored if stored is not None else wordfreq_total_reference(self._wf, self.vocab)

    def _stored_wordfreq_total(self) -> float | None:
        """``F`` as :func:`write_wordfreq_total` stored it for this model's vocabulary (its
        ``content_hash``) and the installed wordfreq version, else ``None``.

        ``F`` depends on nothing else (the French "best" list ships inside the wordfreq
        version, which the model id already names), and the stored value is the exact float
        (hexadecimal), so it is the value :func:`wordfreq_total_reference` computes (tested
        on the shipped model). It saves that loop over the whole wordfreq table (~0.08 s of
        CPU at the first OOV word of every process).
        """
        try:
            data = json.loads((self.path / WORDFREQ_TOTAL_FILE).read_text(encoding="utf-8"))
            key = (data["content_hash"], data["wordfreq"], data["lang"], data["wordlist"])
            total = float.fromhex(data["total"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        current = (str(self.meta.get("content_hash", "")), _wordfreq_version(), "fr", "best")
        return total if key == current else None

    def spell_logprob(self, word: str) -> float:
        """``log P_spell(word)`` of the sentencepiece spelling model (module docstring)."""
        cached = self._spell_cache.get(word)
        if cached is not None:
            return cached
        if self._sp is None:
            import sentencepiece as spm

            self._sp = spm.SentencePieceProcessor(model_file=str(self.path / "spm.model"))
            self._piece_lp = np.asarray(np.load(self.path / "spell_lp.npy"), dtype=np.float64)
        ids = self._sp.encode(word if word.isascii() or not _LONE_SURROGATE.search(word)
                              else _LONE_SURROGATE.sub("\ufffd", word))  # sentencepiece takes UTF-8 only
        lq, l1q = self._spell_base
        value = lq + (len(ids) - 1) * l1q + float(self._piece_lp[ids].sum()) if ids else lq
        if len(self._spell_cache) < _SPELL_CACHE_MAX:
            self._spell_cache[word] = value
        return value

    def _encode(self, toks: Sequence[str]) -> tuple[list[int], list[float]]:
        """Ids of ``toks`` and, per token, the spelling log-prob added for OOV words (else 0)."""
        get = self.vocab.get
        ids = [get(t, -1) for t in toks]
        extra = [0.0] * len(ids)
        if -1 not in ids:  # all in the vocabulary (ids are never negative)
            return ids, extra
        for i, v in enumerate(ids):
            if v < 0:
                if has_digit(toks[i]):
                    ids[i] = _NUM
                else:
                    ids[i] = _UNK
                    extra[i] = self.oov_logprob(toks[i])
        return ids, extra

    # ------------------------------------------------------------ core

    def _score_seq(self, seq: np.ndarray) -> np.ndarray:
        """Log-probs of every non-``<s>`` position of ``seq`` (blocks ``<s> <s> w.. </s>``)."""
        return self._score_positions(seq, np.flatnonzero(seq != _BOS))

    def _score_seq_reference(self, seq: np.ndarray) -> np.ndarray:
        """The plain definition of :meth:`_score_seq`, for tests."""
        return self._score_positions_reference(seq, np.nonzero(seq != _BOS)[0])

    def _score_positions(self, seq: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """Log-probs of the positions ``pos`` (increasing) of ``seq``.

        Bit for bit :meth:`_score_positions_reference`, with fewer table searches: the context
        key ``(a, b)`` of a position is the bigram key ``(b, c)`` of the previous position
        whenever that one is scored as well (all but a sentence's first word, or a re-scored
        window's first position), so those look-ups are reused instead of repeated; and each
        key array is sorted once for the general and the in-domain tables. The arithmetic is
        the same element-wise code.
        """
        if pos.size == 0:
            return self._score_positions_reference(seq, pos)
        if pos.size <= _FEW_POSITIONS:
            return self._score_few_positions(seq, pos)
        b, c, k2, k3, kc = self._position_keys(seq, pos)
        # pos[n] - 1 == pos[n - 1] exactly when the previous position is scored too
        prev_scored = np.zeros(pos.size, dtype=bool)
        np.equal(pos[1:] - 1, pos[:-1], out=prev_scored[1:])
        q3, q2 = _SortedQueries(k3), _SortedQueries(k2)
        f3, i3 = q3.lookup(self._tri_keys)
        f2, i2 = q2.lookup(self._bi_keys)
        fc, ic = _previous_or_lookup(f2, i2, prev_scored, self._bi_keys, kc)
        general = self._general(f3, i3, f2, i2, fc, ic, b, c)
        if self._dom is None:
            return general
        d = self._dom
        g3, j3 = q3.lookup(d.tri_keys)
        g2, j2 = q2.lookup(d.bi_keys)
        gc, jc = _previous_or_lookup(g2, j2, prev_scored, d.bi_keys, kc)
        domain, n_hist = d.combine(g3, j3, g2, j2, gc, jc, b, c)
        return self._mix(general, domain, n_hist)

    def _position_keys(self, seq: np.ndarray, pos: np.ndarray) -> tuple[np.ndarray, ...]:
        """For each position: its context word ``b``, its word ``c``, and the bigram ``(b, c)``,
        trigram ``(a, b, c)`` and context ``(a, b)`` keys of the hashed tables."""
        s = seq.astype(np.uint64)
        a, b, c = s[pos - 2], s[pos - 1], s[pos]
        bits = self._bits
        k2 = (b << bits) | c
        return b, c, k2, (a << (bits + bits)) | k2, (a << bits) | b

    def _score_few_positions(self, seq: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """:meth:`_score_positions` for a few positions (the model gate scores a document's
        sentence windows, tens to hundreds of positions): bit for bit
        :meth:`_score_positions_reference`, in fewer numpy calls, which is what costs at this
        size. The bigram and the context keys are looked up in one ``np.searchsorted`` call
        per table (on their concatenation: each answer depends on its query only), the
        queries are not sorted first (:func:`_lookup_plain`), and the arithmetic is the same
        element-wise code (:meth:`_general`, :meth:`_Tables.combine`, :meth:`_mix`)."""
        b, c, k2, k3, kc = self._position_keys(seq, pos)
        n = pos.size
        both = np.concatenate((k2, kc))
        f3, i3 = _lookup_plain(self._tri_keys, k3)
        f, i = _lookup_plain(self._bi_keys, both)
        general = self._general(f3, i3, f[:n], i[:n], f[n:], i[n:], b, c)
        if self._dom is None:
            return general
        d = self._dom
        g3, j3 = _lookup_plain(d.tri_keys, k3)
        g, j = _lookup_plain(d.bi_keys, both)
        domain, n_hist = d.combine(g3, j3, g[:n], j[:n], g[n:], j[n:], b, c)
        return self._mix(general, domain, n_hist)

    def _general(self, f3, i3, f2, i2, fc, ic, b, c) -> np.ndarray:
        """General-model log-probs from the (found, index) of the three look-ups."""
        bo2 = np.where(fc, self._bi_bo_book[self._bi_bo[ic]], 0.0)
        low = np.where(
            f2,
            self._bi_lp_book[self._bi_lp[i2]],
            self._uni_bo[b.astype(np.int64)] + self._uni_lp[c.astype(np.int64)],
        )
        return np.where(f3, self._tri_lp_book[self._tri_lp[i3]], bo2 + low)

    def _mix(self, general: np.ndarray, domain: np.ndarray, n_hist: np.ndarray) -> np.ndarray:
        """Interpolation with the in-domain component (module docstring)."""
        if self._dom_k > 0.0:
            lam = self._dom_w * n_hist / (n_hist + self._dom_k)
        else:
            lam = np.full(n_hist.shape, self._dom_w)
        with np.errstate(divide="ignore"):
            return np.logaddexp(general + np.log1p(-lam), domain + np.log(lam))

    def _score_positions_reference(self, seq: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """The plain definition of :meth:`_score_positions`: three searches per table."""
        s = seq.astype(np.uint64)
        a, b, c = s[pos - 2], s[pos - 1], s[pos]
        bits = self._bits
        k3 = (a << (bits + bits)) | (b << bits) | c
        k2 = (b << bits) | c
        kc = (a << bits) | b

        f3, i3 = _lookup(self._tri_keys, k3)
        f2, i2 = _lookup(self._bi_keys, k2)
        fc, ic = _lookup(self._bi_keys, kc)
        general = self._general(f3, i3, f2, i2, fc, ic, b, c)
        if self._dom is None:
            return general
        domain, n_hist = self._dom.logprobs(k3, k2, kc, b, c)
        return self._mix(general, domain, n_hist)

    def next_word_logprobs(self, context: Sequence[str]) -> np.ndarray:
        """``log P(w | context)`` for every vocabulary id ``w`` except ``<s>`` (index = id - 1).

        ``context`` is the last two tokens (``"<s>"`` allowed); ``<unk>`` carries the mass of
        all rare words. Used to check that the model is normalised.
        """
        u, v = ([_BOS, _BOS] + [self.vocab.get(t, _UNK) for t in context])[-2:]
        n = len(self.words)
        seq = np.empty(3 * (n - 1), dtype=np.int64)
        seq[0::3], seq[1::3], seq[2::3] = u, v, np.arange(1, n)
        pos = np.arange(2, seq.size, 3)
        return self._score_positions(seq, pos)

    def _batch(self, token_lists: Iterable[Sequence[str]]):
        seq: list[int] = []
        extra: list[float] = []
        lengths: list[int] = []
        for toks in token_lists:
            ids, ex = self._encode(toks)
            seq += (_BOS, _BOS)
            seq += ids
            seq.append(_EOS)
            extra += ex
            extra.append(0.0)
            lengths.append(len(ids) + 1)
        return np.array(seq, dtype=np.int64), lengths, np.array(extra, dtype=np.float64)

    def _token_logprobs(self, token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, list[int]]:
        seq, lengths, extra = self._batch(token_lists)
        return self._score_seq(seq) + extra, lengths

    # ------------------------------------------------------------ public API

    def logprob_many(self, texts: Sequence[str]) -> np.ndarray:
        """Natural log-probability of each text, scored as one sentence (incl. ``</s>``)."""
        return self.logprob_tokens_many(lm_tokens_many(list(texts)))

    def logprob_tokens_many(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Like :meth:`logprob_many` for texts already split by :meth:`tokens`."""
        if len(token_lists) == 0:
            return np.zeros(0)
        lp, lengths = self._token_logprobs(token_lists)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        return np.add.reduceat(lp, starts)

    def logprob_tokens_reusing(self, token_lists: Sequence[Sequence[str]],
                               refs: Sequence[tuple[Sequence[str], np.ndarray] | None],
                               shared: Sequence[tuple[int, int]] | None = None) -> np.ndarray:
        """Bit for bit :meth:`logprob_tokens_many` (``token_lists``), scoring only what changed.

        ``refs[i]`` is ``None`` or ``(ref_tokens, ref_lp)`` where ``ref_lp`` is the entry of
        :meth:`token_logprobs_batch` for ``ref_tokens`` (``</s>`` last). Position ``k`` of a
        list (``</s>`` at ``n``) depends only on tokens ``k-2 .. k`` (trigram; ``<s>`` before
        the start), so where those tokens are the ref's at the same offset from the start
        (common prefix) or from the end (common suffix) the ref's value is the very float
        the full scoring would compute and is reused; only the positions in between are
        scored, by the same element-wise code. The per-list sums are then the same
        ``np.add.reduceat`` over the same values as :meth:`logprob_tokens_many`, hence the
        same floating-point results.

        ``shared[i]``, when given, is ``(p, s)``: the list is known to share its first ``p``
        and last ``s`` tokens with its ref (a caller that spliced it knows), so the
        comparisons start there; they end where they would from 0, hence the same result.
        """
        if len(token_lists) == 0:
            return np.zeros(0)
        ctx = _CONTEXT
        plans: list[tuple[int, int, int, int]] = []  # (list index, lo, hi, ref shift) per list
        seq: list[int] = []
        extra: list[float] = []
        pos: list[int] = []
        for li, toks in enumerate(token_lists):
            n = len(toks)
            ref = refs[li]
            if ref is None:
                lo, hi, shift = 0, n, 0
            else:
                rt, _ = ref
                m = len(rt)
                if n == m and list(toks) == list(rt):
                    plans.append((li, 0, -1, 0))
                    continue
                lim = min(n, m)
                p, s = (0, 0) if shared is None else shared[li]
                p = min(p, lim)
                while p < lim and toks[p] == rt[p]:
                    p += 1
                s = min(s, lim - p)
                while s < lim - p and toks[n - 1 - s] == rt[m - 1 - s]:
                    s += 1
                lo, hi, shift = p, min(n, n - s + ctx - 1), m - n
            plans.append((li, lo, hi, shift))
            first = max(0, lo - ctx)
            ids, ex = self._encode(toks[first : min(n, hi + 1)])
            base = len(seq)
            pad = ctx - (lo - first)  # <s> padding before the first scored position
            seq += [_BOS] * pad
            seq += ids
            if hi == n:
                seq.append(_EOS)
                ex = ex + [0.0]
            extra += ex[lo - first :]
            pos.extend(range(base + ctx, base + ctx + hi - lo + 1))
        if pos:
            arr = np.array(seq, dtype=np.int64)
            scored = self._score_positions(arr, np.array(pos, dtype=np.int64)) + np.array(extra, dtype=np.float64)
        else:
            scored = np.zeros(0)
        parts: list[np.ndarray] = []
        lengths: list[int] = []
        at = 0
        for li, lo, hi, shift in plans:
            n = len(token_lists[li])
            ref = refs[li]
            if hi < lo:  # identical to the ref
                parts.append(ref[1][: n + 1])
            else:
                k = hi - lo + 1
                if ref is None:
                    parts.append(scored[at : at + k])
                else:
                    rlp = ref[1]
                    parts.append(rlp[:lo])
                    parts.append(scored[at : at + k])
                    parts.append(rlp[hi + 1 + shift : n + 1 + shift])
                at += k
            lengths.append(n + 1)
        lp = np.concatenate(parts)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        return np.add.reduceat(lp, starts)

    def token_logprobs_flat(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """:meth:`token_logprobs_batch` concatenated: one array, ``len(toks) + 1`` entries per
        list (``</s>`` last), without splitting it into one array per list."""
        if len(token_lists) == 0:
            return np.zeros(0)
        return self._token_logprobs(token_lists)[0]

    def token_logprobs_batch(self, token_lists: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per-token log-probabilities of each token list (``</s>`` last), in one batch."""
        if len(token_lists) == 0:
            return []
        lp, lengths = self._token_logprobs(token_lists)
        return np.split(lp, np.cumsum(lengths)[:-1])

    def logprob(self, text: str) -> float:
        """Natural log-probability of ``text`` as one sentence, ``</s>`` included."""
        return float(self.logprob_many([text])[0])

    def perplexity(self, text: str) -> float:
        """``exp(-logprob / (tokens + 1))``: per-token perplexity, ``</s>`` counted."""
        n = len(lm_tokens(text)) + 1
        return math.exp(-self.logprob(text) / n)

    def token_scores(self, text: str) -> TokenScores:
        """Per-token log-probabilities (``</s>`` last), OOV words including their spelling."""
        toks = lm_tokens(text)
        lp = self.token_logprobs_batch([toks])[0]
        oov = [t not in self.vocab and not has_digit(t) for t in toks]
        return TokenScores(tuple(toks), lp, np.array(oov + [False]))

    def rank(self, left_context: str, candidates: Sequence[str], right_context: str = "") -> list[tuple[str, float]]:
        """Candidates with the log-probability of ``left + candidate + right``, best first.

        Scores are comparable across the candidates of one call (same window). Ties keep
        the input order.
        """
        texts = [join_window(left_context, c, right_context) for c in candidates]
        scores = self.logprob_many(texts)
        order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
        return [(candidates[i], float(scores[i])) for i in order]

    def unigram_logprob(self, text: str) -> float:
        """Context-free log-probability of ``text``'s tokens (sum of unigram log-probs, no
        ``</s>``): the frequency prior that :mod:`mtrepair.model.unlisted` discounts."""
        toks = lm_tokens(text)
        ids, extra = self._encode(toks)
        return float(self._uni_lp[np.asarray(ids, dtype=np.int64)].sum() + sum(extra)) if ids else 0.0

    def neighbours(self, word: str) -> list[tuple[str, float]]:
        """Distributional neighbours of ``word`` (the build's thesaurus), most similar first.

        Cosine similarities in [0, 1]. Neighbours share contexts: true synonyms, but also
        co-hyponyms and antonyms ("hausse"/"baisse"); use them as candidates to score, never
        as replacements on their own. Empty for words outside the thesaurus.
        """
        if self._syn is None:
            names = ("syn_words.npy", "syn_nbrs.npy", "syn_sims.npy")
            if all((self.path / n).is_file() for n in names):
                self._syn = tuple(np.asarray(np.load(self.path / n, mmap_mode="r")) for n in names)
            else:
                self._syn = ()
        if not self._syn:
            return []
        i = self.vocab.get(word)
        if i is None:
            return []
        words, nbrs, sims = self._syn
        j = int(np.searchsorted(words, i))
        if j >= words.size or int(words[j]) != i:
            return []
        return [(self.words[int(n)], int(v) / 255.0) for n, v in zip(nbrs[j], sims[j])]

    def in_vocabulary(self, word: str) -> bool:
        toks = lm_tokens(word)
        return bool(toks) and all(t in self.vocab for t in toks)

    def __repr__(self) -> str:
        return f"NgramModel({self.id!r}, vocab={len(self.words)})"


def data_hash(path: Path) -> str:
    """sha256 of a built model's data files (the value stored as ``content_hash``)."""
    from .build import DATA_FILES

    h = hashlib.sha256()
    for name in DATA_FILES:
        h.update(name.encode())
        h.update((path / name).read_bytes())
    return h.hexdigest()


def wordfreq_total_reference(freqs: dict[str, float], vocab: dict[str, int]) -> float:
    """``F`` of the module docstring: the total wordfreq frequency of the words outside the
    vocabulary (numbers excepted, they are ``<num>``); 1 when there are none."""
    total = math.fsum(f for w, f in freqs.items() if w not in vocab and not has_digit(w))
    return total if total > 0 else 1.0


def write_wordfreq_total(path: str | Path) -> float:
    """Compute ``F`` for the model in ``path`` with the installed wordfreq and store it in
    :data:`WORDFREQ_TOTAL_FILE` (read by :meth:`NgramModel._stored_wordfreq_total`). Run after
    a build or a wordfreq upgrade; a stale file is ignored, never wrong.
    Shipped model: ``python -c "from mtrepair.model.ngram import write_wordfreq_total;
    write_wordfreq_total('mtrepair/model/data')"``."""
    from wordfreq import get_frequency_dict

    model = NgramModel(path, domain_weight=0.0)
    total = wordfreq_total_reference(get_frequency_dict("fr", wordlist="best"), model.vocab)
    data = {"content_hash": str(model.meta.get("content_hash", "")), "wordfreq": _wordfreq_version(),
            "lang": "fr", "wordlist": "best", "total": total.hex()}
    (Path(path) / WORDFREQ_TOTAL_FILE).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n",
                                                  encoding="utf-8")
    return total


def _has_wordfreq() -> bool:
    import importlib.util

    return importlib.util.find_spec("wordfreq") is not None


@functools.lru_cache(maxsize=1)
def _wordfreq_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wordfreq")
    except PackageNotFoundError:
        return "unknown"
