"""EntityPass: find garbled proper names and propose the real ones."""

from __future__ import annotations

from dataclasses import replace

from ..config import RepairConfig
from ..document import Document
from ..types import Category, Finding, Source
from ..tokens import Token, normalise
from .french import place
from .gazetteer import Gazetteer, canon, load_gazetteer
from .language import FRENCH_STOP_WORDS, LanguageGuesser, SpanLanguage, answered_by_table, could_be_english
from .restore import (NON_CONTENT_WORDS, Candidate, confidence, doubts_about, generate, near_competitors,
                      rank_score)
from .spans import Mention, find_cue, find_mentions, find_runs
from .synonyms import SynonymIndex, load_synonyms

#: How many suggestions a finding carries at most.
MAX_SUGGESTIONS = 3
#: Most spans whose candidate names a pass remembers (see :meth:`EntityPass._generate`).
GENERATED_MAX = 50_000


class EntityPass:
    """Restore names a spinner garbled ("The Details" → "The Information").

    Loads the gazetteer and the synonym index once; ``find`` is cheap per
    document. Settings (all in :class:`RepairConfig`): ``restore_entities``,
    ``langdetect_seed``, ``entity_gazetteer_paths``, ``entity_embeddings``.
    """

    name = "entities"

    def __init__(self, config: RepairConfig | None = None, *, gazetteer: Gazetteer | None = None,
                 synonyms: SynonymIndex | None = None, embedder=None):
        self.config = config or RepairConfig()
        extra_paths = tuple(getattr(self.config, "entity_gazetteer_paths", ()) or ())
        self.gazetteer = gazetteer or load_gazetteer(extra_paths)
        self.synonyms = synonyms if synonyms is not None else load_synonyms()
        self.language = LanguageGuesser(self.config.langdetect_seed)
        self.embedder = embedder
        self._generated: dict[tuple, list] = {}
        #: Human-readable notes about degraded features.
        self.notes: list[str] = []
        if self.embedder is None and getattr(self.config, "entity_embeddings", False):
            from .embed import EmbeddingsUnavailable, load_embedder

            try:
                self.embedder = load_embedder(self.gazetteer)
            except EmbeddingsUnavailable as exc:
                self.notes.append(f"{exc}; using the thesaurus evidence alone")
        if not len(self.synonyms):
            self.notes.append("synonym index missing: only spelling damage is repaired")

    # -- the pass ---------------------------------------------------------
    def find(self, doc: Document) -> list[Finding]:
        if not self.config.restore_entities:
            return []
        runs = find_runs(doc)
        mentions_by_run: list[list[Mention]] = []
        mentioned: set[str] = set()
        for first, last in runs:
            ms = find_mentions(doc, self.gazetteer, first, last)
            mentions_by_run.append(ms)
            if ms:
                mentioned.update(m.form.entity.name for m in ms)
        findings: list[Finding] = []
        quiet: list[tuple[int, int, list[Mention]]] = []
        for (first, last), ms in zip(runs, mentions_by_run):
            if last == first:
                continue  # one capitalised word: too little evidence to rename it
            found = self._restore_run(doc, first, last, ms, mentioned)
            findings.extend(found)
            if not found:
                quiet.append((first, last, ms))
        # Second look: the same garbled words restored with confidence elsewhere
        # in the document vouch for an uncued copy ("The Details ajoute...").
        echoes = self._echoes(findings)
        if echoes and quiet:
            for first, last, ms in quiet:
                findings.extend(self._restore_run(doc, first, last, ms, mentioned, echoes))
        return findings

    def _echoes(self, findings: list[Finding]) -> dict[tuple[str, ...], str]:
        out: dict[tuple[str, ...], str] = {}
        for f in findings:
            if f.mode == "auto" and f.confidence >= self.config.min_confidence:
                key = tuple(canon(normalise(w["span"])) for w in f.evidence["words"])
                out.setdefault(key, f.evidence["entity"])
        return out

    # -- internals ----------------------------------------------------------
    def _locks(self, mentions: list[Mention]) -> tuple[dict[int, tuple[int, int]], set[int]]:
        """Tokens of correct names: multi-word names by token, and locked tokens.

        Every token of a multi-word name is locked (never changed), and so is
        a one-word name that no thesaurus lists ("Microsoft"); a one-word name
        that is an ordinary English word ("Capital", "Time") may be a spun
        word inside a longer garbled name, so it is not.
        """
        multi: dict[int, tuple[int, int]] = {}
        locked: set[int] = set()
        for m in mentions:
            if m.last > m.first:
                for t in range(m.first, m.last + 1):
                    multi[t] = (m.first, m.last)
                    locked.add(t)
            elif not self.synonyms.sources(m.form.words[0]):
                locked.add(m.first)
        return multi, locked

    def _restore_run(self, doc: Document, first: int, last: int, mentions: list[Mention],
                     mentioned: set[str], echoes: dict[tuple[str, ...], str] | None = None) -> list[Finding]:
        toks = doc.tokens
        multi, locked = self._locks(mentions)
        exact = {(m.first, m.last) for m in mentions}
        # Run tokens a name could explain (French glue words never count).
        loose = [t for t in range(first, last + 1) if t not in multi and toks[t].norm not in FRENCH_STOP_WORDS]
        namelike: set[int] | None = None  # taken when a span has candidates (see _namelike)
        scored: list[tuple[float, int, int, list[Candidate]]] = []
        # A span's words, texts and locks are slices of the run's (taken once per run).
        run_words = tuple(self._key(t) for t in toks[first : last + 1])
        run_texts = tuple(t.text for t in toks[first : last + 1])
        run_lock = tuple(k in locked for k in range(first, last + 1))
        for i in range(first, last + 1):
            if i in multi and multi[i][0] != i:
                continue  # would cut a correct name in two
            for j in range(i + 1, min(last, i + self.gazetteer.max_words - 1) + 1):
                if j in multi and multi[j][1] != j:
                    continue
                lock = run_lock[i - first : j - first + 1]
                if (i, j) in exact or all(lock):
                    continue
                words = run_words[i - first : j - first + 1]
                texts = run_texts[i - first : j - first + 1]
                raw = self._generate(words, texts, lock)
                if not raw:
                    continue
                cue = find_cue(doc, i, j)
                leftover = sum(1 for t in loose if t < i or t > j)
                if namelike is None:
                    namelike = _namelike(toks, loose, mentions)
                glued = tuple(toks[t].text for t in (i - 1, j + 1) if t in namelike)
                cands = []
                for form, wmap in raw:
                    echo = bool(echoes) and echoes.get(words) == form.entity.name
                    c = Candidate(form, wmap, cue, form.entity.name in mentioned, leftover=leftover, echo=echo,
                                  glued=glued)
                    if c.kept_content == 0 and c.type_fit <= 0 and not c.consistent and not c.echo:
                        continue  # every word changed, nothing vouches for it: too weak to report
                    cands.append(c)
                if not cands:
                    continue
                if self.embedder is not None:
                    cands = self.embedder.annotate(doc.text[toks[i].start : toks[j].end], cands)
                cands = [_with_score(c) for c in cands]
                cands.sort(key=lambda c: (-c.score, c.form.entity.name))
                scored.append((cands[0].score, i, j, cands))
        # Best non-overlapping spans first.
        scored.sort(key=lambda s: (-s[0], s[1]))
        taken: set[int] = set()
        out = []
        for _, i, j, cands in scored:
            if any(k in taken for k in range(i, j + 1)):
                continue
            taken.update(range(i, j + 1))
            out.append(self._finding(doc, i, j, cands))
        return out

    def _generate(self, words: tuple[str, ...], texts: tuple[str, ...], lock: tuple[bool, ...]) -> list:
        """:func:`generate` remembered per span: a pure function of the span's words (short
        phrases: a name is a few words) given this pass's gazetteer and synonym index. The
        list returned is shared: read it, never change it."""
        key = (words, texts, lock)
        raw = self._generated.get(key)
        if raw is None:
            raw = generate(words, texts, lock, self.gazetteer, self.synonyms)
            if len(self._generated) < GENERATED_MAX:
                self._generated[key] = raw
        return raw

    @staticmethod
    def _key(tok: Token) -> str:
        return canon(tok.norm)

    def _finding(self, doc: Document, i: int, j: int, cands: list[Candidate]) -> Finding:
        toks = doc.tokens
        start, end = toks[i].start, toks[j].end
        span_text = doc.text[start:end]
        best = cands[0]
        # Alternatives: distinct entities only.
        seen, ranked = set(), []
        for c in cands:
            if c.form.entity.name not in seen:
                seen.add(c.form.entity.name)
                ranked.append(c)
        runner = ranked[1] if len(ranked) > 1 else None
        anchored = any(
            w.how == "same" and w.name_word.lower() not in NON_CONTENT_WORDS
            and len(w.name_word) > 2 and not self.synonyms.sources(w.name_word.lower())
            for w in best.words
        )
        keys = tuple(self._key(t) for t in toks[i : j + 1])
        near_thesaurus = near_competitors(best, keys, self.gazetteer, self.synonyms)
        near_meaning = (self.embedder.confirm_competitors(span_text, best, near_thesaurus)
                        if self.embedder is not None else [])
        near = near_thesaurus
        doubts = doubts_about(best, keys, self.gazetteer)

        def conf_with(english: bool, french: bool = False) -> tuple[float, str]:
            return confidence(best, runner, english, anchored, bool(near_thesaurus), bool(near_meaning), french,
                              doubts)

        # Language evidence: word lists first; langdetect (slow) only when the
        # words cannot decide *and* the answer could move the span across the
        # auto-apply threshold.
        lang = self.language.guess_by_words(keys)
        if lang is None:
            low, high = conf_with(False)[0], conf_with(True)[0]
            threshold = self.config.min_confidence
            if low < threshold <= high:
                lang = self.language.guess(span_text, keys)
            else:
                lang = SpanLanguage("?", 0.0, "not needed")
        # "reads as French": every word the word lists can judge is French (« Horizon 2030 »)
        all_french = lang.method == "words" and lang.language == "fr" and lang.probability >= 1.0
        conf, mode = conf_with(lang.language == "en", all_french)
        prev = toks[i - 1] if i > 0 else None
        placement = place(doc.text, prev, start, end, best.form.text)
        suggestions = [placement.replacement]
        for c in ranked[1:MAX_SUGGESTIONS]:
            p = place(doc.text, prev, start, end, c.form.text)
            if (p.start, p.end) == (placement.start, placement.end):
                suggestions.append(p.replacement)
        ent = best.form.entity
        mapping = "; ".join(w.describe() for w in best.words)
        bits = [f"garbled {ent.type} name « {span_text} » → « {best.form.text} »: {mapping}"]
        if best.consistent:
            bits.append(f"« {ent.name} » is written correctly elsewhere in the document")
        elif best.echo:
            bits.append(f"the same words were restored to « {ent.name} » elsewhere in the document")
        if best.cue is not None:
            fit = "fits" if best.type_fit > 0 else "does not fit"
            bits.append(f"context « {best.cue.text} » {fit} the type {ent.type}")
        bits.append(f"span language {lang.describe()}")
        if best.similarity is not None:
            bits.append(f"meaning similarity {best.similarity:.2f} (all-MiniLM-L6-v2)")
        if placement.note:
            bits.append(f"French article adjusted: {placement.note}")
        if runner is not None:
            bits.append(f"runner-up « {runner.form.text} » ({runner.form.entity.type})")
        if near and not best.consistent:
            bits.append("close competitor" + ("s" if len(near) > 1 else "") + " "
                        + ", ".join(f"« {f.text} »" for f in near[:3]))
        vouched = best.consistent or best.echo
        live = [d.reason for d in doubts if not (vouched and d.overruled_by_document)]
        if live:
            bits.append("; ".join(live) + ": reported only")
        elif mode == "report":
            bits.append("every content word changed and nothing in the context vouches for it: reported only")
        elif doubts:
            bits.append("; ".join(d.reason for d in doubts) + ", but the document vouches for the name")
        evidence = {
            "entity": ent.name,
            "type": ent.type,
            "matched_form": best.form.text,
            "words": [{"span": w.span_word, "name": w.name_word, "how": w.how, "closeness": w.closeness}
                      for w in best.words],
            "cue": best.cue.text if best.cue else None,
            "type_fit": best.type_fit,
            "consistent": best.consistent,
            "echo": best.echo,
            "language": lang.describe(),
            "similarity": best.similarity,
            "score": round(best.score, 3),
            "alternatives": [c.form.text for c in ranked[1:MAX_SUGGESTIONS]],
            "near_competitors": [f.text for f in near[:3]],
            "doubts": [d.reason for d in doubts],
        }
        return Finding(
            start=placement.start,
            end=placement.end,
            span=doc.text[placement.start : placement.end],
            category=Category.ENTITY.value,
            rule=f"ENT-{ent.type.upper()}",
            source=Source("gazetteer", f"entities/{ent.path}", ent.line),
            suggestions=tuple(suggestions),
            confidence=conf,
            explanation="; ".join(bits),
            mode=mode,
            evidence=evidence,
        )


def _namelike(toks: list[Token], loose: list[int], mentions: list[Mention]) -> set[int]:
    """The loose run tokens that read as part of a name: not a glue word, a number (any token
    with a digit: « 2030 », « 2-1 », « 1er »), a French word (« Hier The Details… ») or a known
    one-word name. A word the Zipf table cannot judge (« Donald's », « S.A. ») reads as part of a
    name, rather than loading wordfreq's whole list for it."""
    single = {m.first for m in mentions if m.first == m.last}
    return {t for t in loose if t not in single and not any(ch.isdigit() for ch in toks[t].text)
            and toks[t].norm not in NON_CONTENT_WORDS
            and (not answered_by_table(toks[t].norm) or could_be_english(toks[t].norm))}


def _with_score(c: Candidate) -> Candidate:
    return replace(c, score=rank_score(c))
