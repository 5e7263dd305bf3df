"""Fluency measures for scoring: per-sentence and document perplexity.

For the scoring engineer::

    from mtrepair.model import load_model
    from mtrepair.model.fluency import sentence_perplexities, document_perplexity

    model = load_model()                       # or load_model("hf:...")
    for s in sentence_perplexities(text, model):
        print(s.start, s.end, s.tokens, s.logprob, s.perplexity)
    document_perplexity(text, model)           # exp(-sum logprob / sum tokens)

Sentences come from :func:`mtrepair.tokens.split_sentences` (offsets into ``text``); each is
scored as one sentence with ``</s>``; ``tokens`` counts the model's tokens plus ``</s>``, and
``perplexity = exp(-logprob / tokens)``. All sentences are scored in one batch. Lower
perplexity means more fluent *for the model's register* (debates and books, not news): compare
before/after on the same text rather than across texts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..tokens import split_sentences
from .gate import score_texts
from .text import lm_tokens


@dataclass(frozen=True)
class SentenceFluency:
    start: int
    end: int
    tokens: int
    logprob: float
    perplexity: float


def sentence_perplexities(text: str, model: Any) -> list[SentenceFluency]:
    """Per-sentence log-probability and perplexity of ``text`` under ``model``."""
    spans = [(s.start, s.end) for s in split_sentences(text)]
    if not spans:
        return []
    texts = [text[a:b] for a, b in spans]
    scores = score_texts(model, texts)
    out = []
    for (a, b), t, lp in zip(spans, texts, scores):
        n = len(lm_tokens(t)) + 1
        out.append(SentenceFluency(a, b, n, lp, math.exp(-lp / n)))
    return out


def document_perplexity(text: str, model: Any) -> float:
    """Token-weighted perplexity over all sentences (``nan`` for a text without words)."""
    sents = sentence_perplexities(text, model)
    n = sum(s.tokens for s in sents)
    if n == 0:
        return float("nan")
    return math.exp(-sum(s.logprob for s in sents) / n)
