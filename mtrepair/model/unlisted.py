"""Unlisted suspicious phrases: spans the model finds improbable and can improve.

Statistic. Each sentence of the document (``doc.sentences``, at least
:data:`MIN_SENTENCE_WORDS` words) is scored token by token in one batch. A word token is a
*suspect* when its log-probability is far below the sentence's typical token::

    surprise_i = median_j(log P(t_j | h_j)) - log P(t_i | h_i)   >=  config.unlisted_min_surprise

and the token right after a suspect also makes the previous word a suspect (a wrong word
often shows up as an improbable *next* word). Suspects must be plain lower-case French words
of the model's vocabulary: names (capitalised words other than a sentence's first word),
numbers, dates (:data:`DATE_WORDS`), out-of-vocabulary words (English brand names, rare
names), words inside quotes and
sentences with too many unknown words (foreign text) and the most frequent (function) words
are never suspects.

Candidates for a suspect span (1-3 words):

* single words: the word's distributional neighbours from the model's thesaurus (see
  :meth:`mtrepair.model.ngram.NgramModel.neighbours`; derived from the corpus at build
  time, PPMI + SVD), with similarity at least :data:`MIN_NEIGHBOUR_SIMILARITY`;
* the glossary's replacement vocabulary: each calque entry ``pattern -> replacement`` is
  reduced to the differing middle (common leading and trailing tokens stripped), giving
  pairs of 1-3 tokens such as ``gardé à l'esprit -> souligné``; wherever the text shows such
  a sequence *not already matched by the glossary* (another inflection or context of a
  listed calque), the pair's replacement is a candidate.

Each candidate is pasted into the sentence and the sentence re-scored (one batch per
document); ``delta`` is the smaller of the sentence log-probability gain and that gain minus
the candidate's own frequency advantage (difference of unigram log-probabilities), so a word
does not win merely by being more frequent. The phrase is reported when a candidate reaches
``delta >= config.unlisted_margin`` (glossary candidates) or ``delta >=
config.unlisted_thesaurus_margin`` (thesaurus neighbours, which include co-hyponyms such as
weekdays or "adoptée"/"supprimée": hence the stricter default). Findings are ``mode="report"``, category
``calque``, rule ``model.unlisted``, never applied; evidence holds the surprise, the sentence
median, the delta, the candidate's source and each candidate's delta. ``confidence =
min(0.6, 0.3 + 0.05 * (delta - margin))``: only a hint, below any auto-apply threshold.

Runs only with a model that exposes ``token_logprobs_batch`` (the embedded n-gram model); with
a transformers model it returns no findings (pseudo-log-likelihood per candidate is too slow
to run on every document).
"""

from __future__ import annotations

from typing import Any, Iterable, NamedTuple

import numpy as np

from ..document import Document
from ..types import Finding, Source
from .text import (fold_offsets_preserving, lm_token_pieces_folded, lm_tokens, lm_tokens_many,
                   lm_tokens_positions, lm_tokens_with_offsets, piece_offsets, splice_tokens_shared)

#: Sentences with fewer words are not examined.
MIN_SENTENCE_WORDS = 5
#: Thesaurus neighbours below this cosine similarity are not candidates.
MIN_NEIGHBOUR_SIMILARITY = 0.65
#: Neighbours tried per suspect word.
MAX_NEIGHBOURS = 8
#: Suspects examined per sentence (most surprising first) and per document.
MAX_SUSPECTS_PER_SENTENCE = 2
MAX_SUSPECTS_PER_DOCUMENT = 40
#: A sentence whose words are more than this share out-of-vocabulary is skipped (foreign text).
MAX_OOV_SHARE = 0.3
#: The most frequent words of the vocabulary (ids below this rank, the vocabulary being sorted
#: by frequency) are function words: never suspects.
MIN_CONTENT_RANK = 150
#: Dates and times: news text is full of them, they are never calques, and the thesaurus
#: groups them (mercredi ~ hier ~ vendredi), so they are neither suspects nor candidates.
DATE_WORDS = frozenset(
    "lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin "
    "juillet août septembre octobre novembre décembre hier demain aujourd'hui avant-hier "
    "après-demain matin soir midi minuit nuit veille lendemain".split()
)
#: Suggestions kept per finding.
MAX_SUGGESTIONS = 3
RULE = "model.unlisted"
#: Most phrases (words) whose unigram prior (thesaurus candidates) one pass remembers.
PRIOR_CACHE_MAX = 100_000

_QUOTES_OPEN = {'"', "«", "“"}
#: Token-form flags (:meth:`UnlistedPhrasePass._form`): a word (letter or digit first), an
#: out-of-vocabulary word without digits, a form :meth:`UnlistedPhrasePass._eligible` may accept.
_WORD, _OOV, _CONTENT = 1, 2, 4


def _quoted(tokens: list[str]) -> list[bool]:
    """Per token: inside quotes (a quote token toggles, itself included)."""
    out, inside = [], False
    for t in tokens:
        if t in _QUOTES_OPEN:
            inside = not inside
        out.append(inside)
    return out


def _glossary_pairs(glossary: Any) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First token -> [(tokens of the calque's differing part, replacement text)]."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for entry in getattr(glossary, "entries", ()) or ():
        if str(getattr(entry, "category", "calque")) != "calque":
            continue
        for pattern in _expand(str(getattr(entry, "pattern", ""))):
            _add_pairs(index, pattern, getattr(entry, "replace", ()) or ())
    return index


#: Most alternatives expanded from one glossary pattern.
MAX_PATTERN_VARIANTS = 16


def _expand(pattern: str) -> list[list[str]]:
    """Token lists of a glossary pattern: ``a|b`` alternatives expanded, ``=`` markers dropped."""
    variants: list[list[str]] = [[]]
    for chunk in pattern.split():
        alts = [a.lstrip("=") for a in chunk.split("|") if a.lstrip("=")]
        if not alts:
            return []
        variants = [v + lm_tokens(a) for v in variants for a in alts][:MAX_PATTERN_VARIANTS]
    return [v for v in variants if v and all(t[0].isalnum() or t in ("'", "-") for t in v)]


def _add_pairs(index: dict, pattern: list[str], replacements) -> None:
    for repl in replacements:
        rtoks = lm_tokens(str(repl))
        a, b = 0, 0
        while a < min(len(pattern), len(rtoks)) and pattern[a] == rtoks[a]:
            a += 1
        while (b < min(len(pattern), len(rtoks)) - a
               and pattern[len(pattern) - 1 - b] == rtoks[len(rtoks) - 1 - b]):
            b += 1
        p = tuple(pattern[a : len(pattern) - b])
        r = rtoks[a : len(rtoks) - b]
        if not 1 <= len(p) <= 3 or not r or not any(t.isalpha() for t in p):
            continue
        pair = (p, " ".join(r).replace("' ", "'"))
        bucket = index.setdefault(p[0], [])
        if pair not in bucket:
            bucket.append(pair)


def _pair_index(pairs: dict[str, list[tuple[tuple[str, ...], str]]]) -> dict[tuple[str, ...], list[tuple[int, int, str]]]:
    """Tokens of a calque's differing part -> ``[(rank in its first token's bucket, length,
    replacement)]``: the pairs of :func:`_glossary_pairs` found by one dictionary look-up."""
    index: dict[tuple[str, ...], list[tuple[int, int, str]]] = {}
    for bucket in pairs.values():
        for rank, (p, r) in enumerate(bucket):
            index.setdefault(p, []).append((rank, len(p), r))
    return index


class _Sentence(NamedTuple):
    """A sentence :meth:`UnlistedPhrasePass.find` scores: offsets in the document, its folded
    text and token pieces (for offsets on demand), tokens and token-form flags."""

    start: int
    end: int
    folded: str
    pieces: list[str]
    tokens: list[str]
    flags: list[int]


class _Splicer:
    """Token lists of one sentence with candidates pasted in: :func:`splice_tokens_shared`
    when folding keeps the sentence's length, else full tokenisation (``lm_tokens``)."""

    def __init__(self, sent_text: str, ref_tokens: list[str], window_tokens) -> None:
        self.text = sent_text
        self.positions = lm_tokens_positions(sent_text)
        self.window_tokens = window_tokens
        if self.positions is None:
            self.base = lm_tokens(sent_text)
            self.hints = False
        else:
            self.base = [t for _, _, t in self.positions]
            # spliced lists share their ends with the ref only if both tokenisations agree
            self.hints = self.base == ref_tokens

    def pasted(self, start: int, end: int, middle: str) -> tuple[list[str], tuple[int, int]]:
        """Tokens of the sentence with ``[start:end)`` replaced by ``middle``, and how many
        first and last tokens it surely shares with the ref."""
        if self.positions is None:
            return lm_tokens(self.text[:start] + middle + self.text[end:]), (0, 0)
        toks, n_left, n_right = splice_tokens_shared(self.text, self.positions, start, end,
                                                     middle, self.window_tokens)
        return toks, ((n_left, n_right) if self.hints else (0, 0))


class _RescoreBatch:
    """The token lists :meth:`UnlistedPhrasePass.find` re-scores: per job the sentence, then
    the sentence with each candidate pasted in (the order of :meth:`find_reference`)."""

    def __init__(self) -> None:
        self.token_lists: list[list[str]] = []
        self.refs: list[tuple[list[str], np.ndarray]] = []
        self.shared: list[tuple[int, int]] = []
        self.base_index: list[int] = []

    def add(self, splicer: _Splicer, start: int, end: int, pairs, ref) -> None:
        self.base_index.append(len(self.token_lists))
        self.token_lists.append(splicer.base)
        self.shared.append((0, 0))
        for _, middle in pairs:
            toks, shared = splicer.pasted(start, end, middle)
            self.token_lists.append(toks)
            self.shared.append(shared)
        self.refs.extend([ref] * (len(pairs) + 1))


def _match_case(original: str, candidate: str) -> str:
    if original[:1].isupper() and candidate:
        return candidate[0].upper() + candidate[1:]
    return candidate


class UnlistedPhrasePass:
    """Report improbable 1-3-word spans that a candidate replacement makes more probable."""

    name = "unlisted"

    def __init__(self, model: Any, glossary: Any, config: Any) -> None:
        self.model = model
        self.glossary = glossary
        self.config = config
        self.min_surprise = float(getattr(config, "unlisted_min_surprise", 6.0))
        self.margin = float(getattr(config, "unlisted_margin", 4.0))
        self.thesaurus_margin = float(getattr(config, "unlisted_thesaurus_margin", 8.0))
        self._pairs = _glossary_pairs(glossary)
        self._pair_index = _pair_index(self._pairs)
        self._vocab = getattr(model, "vocab", None)
        self._prior_cache: dict[str, float] = {}
        self._nbr_cache: dict[str, list[tuple[str, str]]] = {}
        self._form_cache: dict[str, int] = {}
        self._window_cache: dict[str, list[str]] = {}

    # ------------------------------------------------------------ helpers

    def _glossary_spans(self, doc: Document) -> list[tuple[int, int]]:
        match = getattr(self.glossary, "match", None)
        if match is None:
            return []
        try:
            return [(m.start, m.end) for m in match(doc)]
        except Exception:  # a broken glossary must not stop the model pass
            return []

    def _eligible(self, toks: list[tuple[int, int, str]], i: int, text: str, quoted: list[bool]) -> bool:
        start, end, tok = toks[i]
        if quoted[i] or len(tok) < 3 or not tok.replace("-", "").isalpha() or tok in DATE_WORDS:
            return False
        if self._vocab is not None and self._vocab.get(tok, -1) < MIN_CONTENT_RANK:
            return False  # out of vocabulary (names, brands, foreign words) or a function word
        surface = text[start:end]
        if any(ch.isupper() for ch in surface):
            if i != 0 or not surface[1:].islower():
                return False
            # a capitalised first word: a name if the next word is capitalised too
            if len(toks) > 1 and text[toks[1][0] : toks[1][1]][:1].isupper():
                return False
        return True

    def _form(self, tok: str) -> int:
        """Flags of a token form (:data:`_WORD`, :data:`_OOV`, :data:`_CONTENT`): the parts of
        the sentence filter and of :meth:`_eligible` that depend on the form alone."""
        flags = self._form_cache.get(tok)
        if flags is not None:
            return flags
        vocab = self._vocab
        flags = 0
        if tok[0].isalnum():
            flags |= _WORD
        if vocab is not None and tok not in vocab and not any(c.isdigit() for c in tok):
            flags |= _OOV
        if (len(tok) >= 3 and tok.replace("-", "").isalpha() and tok not in DATE_WORDS
                and (vocab is None or vocab.get(tok, -1) >= MIN_CONTENT_RANK)):
            flags |= _CONTENT
        if len(self._form_cache) < PRIOR_CACHE_MAX:  # a pure function of the form
            self._form_cache[tok] = flags
        return flags

    def _window_tokens(self, window: str) -> list[str]:
        """``lm_tokens(window)`` remembered per window (a few words around a candidate; the
        caller only concatenates the list, never changes it)."""
        cached = self._window_cache.get(window)
        if cached is None:
            cached = lm_tokens(window)
            if len(self._window_cache) < PRIOR_CACHE_MAX:
                self._window_cache[window] = cached
        return cached

    # ------------------------------------------------------------ pass

    def find(self, doc: Document) -> list[Finding]:
        """The findings of :meth:`find_reference`, computed with less work (same floats, same
        order, same findings; compared on real text in the tests):

        * sentences are tokenised without offsets (:func:`lm_token_pieces`); offsets are
          computed only for sentences with a suspect;
        * the form-only parts of the sentence filter and of the eligibility test are cached
          per token form;
        * all sentences are scored in one flat batch (:meth:`token_logprobs_flat`, the same
          values as :meth:`token_logprobs_batch`), and converted to Python floats once;
        * suspects are searched among the tokens at least ``min_surprise`` above the median
          only: the reference walks the tokens by decreasing surprise (stable) and stops at
          the first one below the threshold, so it never looks at the others (all values are
          finite here; a document with a non-finite log-probability takes the reference path);
        * the candidate sentences are tokenised by splicing (:func:`splice_tokens`): the
          sentence's tokens outside the candidate's whitespace-delimited window plus the
          window's tokens, which is ``lm_tokens`` of the pasted sentence.
        """
        flat = getattr(self.model, "token_logprobs_flat", None)
        if flat is None:
            return self.find_reference(doc)
        text = doc.text
        kept = self._kept_sentences(doc)
        if not kept:
            return []
        lp_all = flat([k.tokens for k in kept])
        if not np.isfinite(lp_all).all():
            return self.find_reference(doc)
        lp_list = lp_all.tolist()
        taken: list[tuple[int, int]] | None = None
        jobs: list[tuple[int, int, int, float, float, list[tuple[str, str]]]] = []
        batch = _RescoreBatch()
        at = 0
        for sent in kept:
            n = len(sent.tokens)
            o = at
            at += n + 1
            if len(jobs) >= MAX_SUSPECTS_PER_DOCUMENT:
                continue  # the reference finds this sentence's suspects, then stops at once
            lps = lp_list[o : o + n]
            median = _median([x for x, f in zip(lps, sent.flags) if f & _WORD])
            hot = [i for i, x in enumerate(lps) if median - x >= self.min_surprise]
            if not hot:
                continue
            surprise = [median - x for x in lps]
            suspects, toks = self._hot_suspects(sent, hot, surprise, text)
            if not suspects:
                continue
            ref = (sent.tokens, lp_all[o : o + n + 1])
            splicer = None  # made for the first job of the sentence
            for j in suspects:
                if len(jobs) >= MAX_SUSPECTS_PER_DOCUMENT:
                    break
                for (a, b, cands) in self._candidates(toks, j):
                    start, end = toks[a][0], toks[b][1]
                    if taken is None:
                        taken = self._glossary_spans(doc)
                    if any(x < end and start < y for x, y in taken):
                        continue
                    pairs = _pasted_candidates(text[start:end], cands)
                    if not pairs:
                        continue
                    if splicer is None:
                        splicer = _Splicer(text[sent.start : sent.end], sent.tokens, self._window_tokens)
                    batch.add(splicer, start - sent.start, end - sent.start, pairs, ref)
                    jobs.append((start, end, j, surprise[j], median, pairs))
        if not jobs:
            return []
        reuse = getattr(self.model, "logprob_tokens_reusing", None)
        if reuse is not None:
            all_scores = reuse(batch.token_lists, batch.refs, batch.shared)
        else:
            all_scores = self.model.logprob_tokens_many(batch.token_lists)
        return self._findings(text, jobs, batch.base_index, all_scores)

    def _kept_sentences(self, doc: Document) -> list[_Sentence]:
        """The sentences :meth:`find_reference` scores (enough words, not foreign), with their
        tokens and token-form flags; no offsets yet."""
        folded_text = fold_offsets_preserving(doc.text)  # one call; slices are the sentences' own
        form = self._form
        known = self._form_cache.get
        check_oov = self._vocab is not None
        kept: list[_Sentence] = []
        for s in doc.sentences:
            folded, pieces, tokens = lm_token_pieces_folded(folded_text[s.start : s.end])
            if len(tokens) < MIN_SENTENCE_WORDS:
                continue  # fewer tokens than the words required
            flags = [known(t) for t in tokens]
            if None in flags:
                flags = [form(t) for t in tokens]
            n_words = 0
            oov = 0
            for f in flags:
                if f & _WORD:
                    n_words += 1
                    if f & _OOV:
                        oov += 1
            if n_words < MIN_SENTENCE_WORDS:
                continue
            if check_oov and oov > MAX_OOV_SHARE * n_words:
                continue
            kept.append(_Sentence(s.start, s.end, folded, pieces, tokens, flags))
        return kept

    def _hot_suspects(self, sent: _Sentence, hot: list[int], surprise: list[float],
                      text: str) -> tuple[list[int], list[tuple[int, int, str]] | None]:
        """The suspects the reference picks, walking only the ``hot`` tokens (those at least
        ``min_surprise`` above the median) by decreasing surprise; and the sentence's
        ``(start, end, token)`` triples when some token needed its offsets."""
        hot.sort(key=lambda i: -surprise[i])  # stable: ties keep token order (argsort "stable")
        flags = sent.flags
        toks = None
        quoted: list[bool] = []
        suspects: list[int] = []
        for i in hot:
            if len(suspects) >= MAX_SUSPECTS_PER_SENTENCE:
                break
            for j in (i, i - 1):
                if j < 0 or j in suspects or not flags[j] & _CONTENT:
                    continue  # not eligible whatever its position (form test of _eligible)
                if toks is None:
                    toks = [(a + sent.start, b + sent.start, t)
                            for (a, b), t in zip(piece_offsets(sent.folded, sent.pieces), sent.tokens)]
                    quoted = _quoted(sent.tokens)
                if self._eligible(toks, j, text, quoted):
                    suspects.append(j)
                    break
        return suspects, toks

    def find_reference(self, doc: Document) -> list[Finding]:
        """The plain definition of :meth:`find` (kept for tests and for models without
        :meth:`token_logprobs_flat`)."""
        batch = getattr(self.model, "token_logprobs_batch", None)
        if batch is None:
            return []
        text = doc.text
        sentences = []
        for s in doc.sentences:
            toks = [(a + s.start, b + s.start, t) for a, b, t in lm_tokens_with_offsets(text[s.start : s.end])]
            words = [t for _, _, t in toks if t[0].isalnum()]
            if len(words) < MIN_SENTENCE_WORDS:
                continue
            if self._vocab is not None:
                oov = sum(1 for w in words if w not in self._vocab and not any(c.isdigit() for c in w))
                if oov > MAX_OOV_SHARE * len(words):
                    continue
            sentences.append((s.start, s.end, toks))
        if not sentences:
            return []
        scores = batch([[t for _, _, t in toks] for _, _, toks in sentences])
        taken = self._glossary_spans(doc)

        jobs: list[tuple[int, int, int, float, float, list[tuple[str, str]]]] = []
        texts: list[str] = []
        refs: list[tuple[list[str], np.ndarray]] = []
        base_index: list[int] = []
        for si, ((s_start, s_end, toks), lp) in enumerate(zip(sentences, scores)):
            median = _median([float(lp[i]) for i, (_, _, t) in enumerate(toks) if t[0].isalnum()])
            quoted, inside = [], False
            for _, _, t in toks:
                if t in _QUOTES_OPEN:
                    inside = not inside
                quoted.append(inside)
            surprise = median - lp[: len(toks)]
            order = np.argsort(-surprise, kind="stable")
            suspects: list[int] = []
            for i in order:
                if surprise[i] < self.min_surprise or len(suspects) >= MAX_SUSPECTS_PER_SENTENCE:
                    break
                for j in (int(i), int(i) - 1):
                    if j >= 0 and j not in suspects and self._eligible(toks, j, text, quoted):
                        suspects.append(j)
                        break
            sent_text = text[s_start:s_end]
            ref = ([t for _, _, t in toks], lp)
            for j in suspects:
                if len(jobs) >= MAX_SUSPECTS_PER_DOCUMENT:
                    break
                spans = self._candidates(toks, j)
                for (a, b, cands) in spans:
                    start, end = toks[a][0], toks[b][1]
                    if any(x < end and start < y for x, y in taken):
                        continue
                    pairs = _pasted_candidates(text[start:end], cands)
                    if not pairs:
                        continue
                    base_index.append(len(texts))
                    texts.append(sent_text)
                    refs.append(ref)
                    for _, pasted in pairs:
                        texts.append(sent_text[: start - s_start] + pasted + sent_text[end - s_start :])
                        refs.append(ref)
                    jobs.append((start, end, j, float(surprise[j]), median, pairs))
        if not jobs:
            return []
        reuse = getattr(self.model, "logprob_tokens_reusing", None)
        if reuse is not None:
            # the same sums, re-scoring only the tokens whose trigram window changed
            all_scores = reuse(lm_tokens_many(texts), refs)
        else:
            all_scores = self.model.logprob_many(texts)
        return self._findings(text, jobs, base_index, all_scores)

    def _findings(self, text: str, jobs, base_index: list[int], all_scores) -> list[Finding]:
        """Findings of the scored jobs (shared by :meth:`find` and :meth:`find_reference`)."""
        findings: list[Finding] = []
        for (start, end, _j, surp, median, pairs), k in zip(jobs, base_index):
            base = float(all_scores[k])
            raw = [float(all_scores[k + 1 + n]) - base for n in range(len(pairs))]
            span_prior = self._prior(text[start:end])
            ctx = [r - (self._prior(pairs[n][1]) - span_prior) for n, r in enumerate(raw)]
            # both must clear the margin: the sentence gets more probable, and not merely
            # because the candidate is a more frequent word
            deltas = [min(r, c) for r, c in zip(raw, ctx)]
            excess = [d - self._margin_for(pairs[n][0]) for n, d in enumerate(deltas)]
            order = sorted(range(len(pairs)), key=lambda n: (-excess[n], n))
            if excess[order[0]] < 0:
                continue
            kept = [n for n in order if excess[n] >= 0][:MAX_SUGGESTIONS]
            best = deltas[kept[0]]
            suggestions = tuple(pairs[n][1] for n in kept)
            span = text[start:end]
            model_id = getattr(self.model, "id", "model")
            findings.append(Finding(
                start=start, end=end, span=span, category="calque", rule=RULE,
                source=Source("model", str(model_id)),
                suggestions=suggestions,
                confidence=round(min(0.6, 0.3 + 0.05 * excess[kept[0]]), 3),
                explanation=(f"«{span}» is unexpected here (surprise {surp:.1f} nats above the "
                             f"sentence median); «{suggestions[0]}» makes the sentence more probable "
                             f"by {best:.1f} nats. Not in the glossary: reported, not applied."),
                mode="report",
                evidence={"model": model_id, "surprise": round(surp, 3),
                          "sentence_median": round(median, 3), "delta": round(best, 3),
                          "candidate_source": pairs[kept[0]][0],
                          "scores": {pairs[n][1]: round(deltas[n], 3) for n in order}},
            ))
        return _dedupe(findings)

    def _margin_for(self, origin: str) -> float:
        return self.margin if origin == "glossary" else self.thesaurus_margin

    def _prior(self, phrase: str) -> float:
        cached = self._prior_cache.get(phrase)
        if cached is not None:
            return cached
        uni = getattr(self.model, "unigram_logprob", None)
        value = float(uni(phrase)) if uni is not None else 0.0
        if len(self._prior_cache) < PRIOR_CACHE_MAX:  # a pure function of the phrase
            self._prior_cache[phrase] = value
        return value

    def _thesaurus_candidates(self, word: str) -> list[tuple[str, str]]:
        """The word's thesaurus neighbours kept as candidates (a pure function of the word:
        remembered per pass)."""
        cached = self._nbr_cache.get(word)
        if cached is not None:
            return cached
        cands: list[tuple[str, str]] = []
        neighbours = getattr(self.model, "neighbours", None)
        if neighbours is not None:
            for w, sim in neighbours(word)[:MAX_NEIGHBOURS]:
                if sim >= MIN_NEIGHBOUR_SIMILARITY and w != word and w not in DATE_WORDS:
                    cands.append((w, "thesaurus"))
        if len(self._nbr_cache) < PRIOR_CACHE_MAX:
            self._nbr_cache[word] = cands
        return cands

    def _candidates(self, toks: list[tuple[int, int, str]], j: int) -> Iterable[tuple[int, int, list]]:
        """:meth:`_candidates_reference` with the glossary pairs found by their token tuple
        (:func:`_pair_index`) instead of scanning every pair that starts with the same token.
        For each start ``a`` the matches are put back in bucket order, so the spans come out
        in the same order."""
        word = toks[j][2]
        cands = self._thesaurus_candidates(word)
        out = []
        glossary_single: list[tuple[str, str]] = []
        index = self._pair_index
        n = len(toks)
        for a in range(max(0, j - 2), j + 1):
            if toks[a][2] not in self._pairs:
                continue
            found = []
            for length in range(j - a + 1, min(3, n - a) + 1):
                hits = index.get(tuple(t for _, _, t in toks[a : a + length]))
                if hits:
                    found.extend(hits)
            if len(found) > 1:
                found.sort()
            for _, length, r in found:
                b = a + length - 1
                if a == b == j:
                    glossary_single.append((r, "glossary"))
                else:
                    out.append((a, b, [(r, "glossary")]))
        return _with_single_word_candidates(out, j, glossary_single + cands)

    def _candidates_reference(self, toks: list[tuple[int, int, str]], j: int) -> Iterable[tuple[int, int, list]]:
        """``(first token, last token, [(candidate, origin)])`` for spans around suspect ``j``;
        origin is ``"glossary"`` or ``"thesaurus"``."""
        word = toks[j][2]
        cands = self._thesaurus_candidates(word)
        out = []
        glossary_single: list[tuple[str, str]] = []
        pairs = self._pairs
        for a in range(max(0, j - 2), j + 1):
            bucket = pairs.get(toks[a][2])
            if not bucket:
                continue
            for p, r in bucket:
                b = a + len(p) - 1
                if b < j or b >= len(toks):
                    continue
                if tuple(t for _, _, t in toks[a : b + 1]) == p:
                    if a == b == j:
                        glossary_single.append((r, "glossary"))
                    else:
                        out.append((a, b, [(r, "glossary")]))
        return _with_single_word_candidates(out, j, glossary_single + cands)


def _pasted_candidates(span_text: str, cands: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(origin, candidate cased like the span)`` for the candidates that differ from the span."""
    return [(origin, _match_case(span_text, c)) for c, origin in cands if c != span_text.lower()]


def _with_single_word_candidates(out: list, j: int, candidates: list[tuple[str, str]]) -> list:
    """``out`` with the one-word span of suspect ``j`` first, holding ``candidates`` without
    repeats (glossary ones first), when there is any."""
    seen: set[str] = set()
    single = []
    for c, origin in candidates:
        if c not in seen:
            seen.add(c)
            single.append((c, origin))
    if single:
        out.insert(0, (j, j, single))
    return out


def _median(values: list[float]) -> float:
    """``float(np.median(values))`` without numpy's per-call overhead (same float: the middle
    value, or ``(a + b) / 2`` of the two middle values; NaN when any value is NaN)."""
    if any(v != v for v in values):
        return float("nan")
    s = sorted(values)
    n = len(s)
    if n % 2:
        return s[n // 2]
    return (s[n // 2 - 1] + s[n // 2]) / 2


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Keep the strongest of overlapping findings."""
    findings.sort(key=lambda f: (-float(f.evidence.get("delta", 0.0)), f.start))
    kept: list[Finding] = []
    for f in findings:
        if all(f.end <= k.start or k.end <= f.start for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end))
