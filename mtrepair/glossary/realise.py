"""Turn a raw pattern hit into ready-to-paste suggestions.

Steps, for each replacement of the entry:

1. inflect the replacement's head like the matched head (verb tense/person,
   noun number) by suffix transfer (:func:`.lexicon.inflect_like`);
2. for a noun head, make the determiner and prenominal adjectives before it
   agree with the replacement's gender/number (widening the span);
3. fix elision at every boundary (``le`` + vowel -> ``l'``, ``d'`` +
   consonant -> ``de``, ``ce`` -> ``cet``);
4. keep the original's capitals and apostrophe style.

If a step cannot produce a form it knows is right, the match is downgraded
to ``report`` with a note: a wrong form is never offered for auto-apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..tokens import tokenize
from .agreement import (
    DET_FORMS,
    DET_PAIRS,
    DETS,
    ELIDABLE,
    ELIDED,
    PRENOMINAL,
    adjective_form,
    match_case,
    starts_with_vowel,
)
from .lexicon import inflect_like, is_infinitive, lemma
from .model import Entry
from .pattern import PToken

#: Words that are never the head of a pattern or replacement.
FUNCTION_WORDS = frozenset(
    "le la les l' un une des du de d' à au aux en et ou que qu' qui ce cet cette ces se s' son sa ses "
    "leur leurs mon ma mes ton ta tes notre nos votre vos pour par sur sous dans avec sans il elle ils elles on "
    "ne n' pas plus y tout toute tous toutes très comme si ".split()
)
#: Forms after which "ce" elides to "c'" rather than becoming "cet".
_CE_ELIDE = frozenset("est était étaient étant en".split())
#: How far left (in tokens) agreement may widen the span.
MAX_AGREE_LEFT = 4


@dataclass
class Piece:
    text: str
    sep: str  # text before this piece
    word: bool
    outside: bool = False  # a token of the original text before the pattern
    token_index: int = -1


@dataclass(frozen=True)
class Realised:
    start: int
    end: int
    suggestions: tuple[str, ...]
    mode: str
    notes: tuple[str, ...]


def _case_like(original: str, new: str) -> str:
    if original[:1].isupper() and new:
        return new[0].upper() + new[1:]
    return new


def _det_at(toks, k: int):
    """Determiner ending at token k: (first index, lexeme, gender, number) or None."""
    norm = toks[k][2]
    if k > 0:
        pair = DET_PAIRS.get((toks[k - 1][2], norm))
        if pair:
            return (k - 1,) + pair
    got = DET_FORMS.get(norm)
    return (k,) + got if got else None


def realise(entry: Entry, variant: tuple[PToken, ...], i: int, j: int, toks, text: str,
            apostrophe: str) -> Realised:
    """Suggestions for the hit of ``variant`` on tokens ``i..j-1`` of ``toks``.

    ``toks`` is a sequence of (start, end, norm) triples over ``text``.
    """
    start, end = toks[i][0], toks[j - 1][1]
    head_k = next((k for k, p in enumerate(variant) if p.is_word and not p.exact
                   and p.norm not in FUNCTION_WORDS), None)
    head = None
    if head_k is not None:
        p = variant[head_k]
        head = (toks[i + head_k][2], lemma(p.norm), p.norm)
    notes: list[str] = []
    outs: list[tuple[int, int, str]] = []
    mode = entry.mode
    for n, r in enumerate(entry.replace):
        res = _one(entry, variant, r, head, i, j, toks, text)
        if isinstance(res, str):
            notes.append(res)
            if n == 0:
                mode = "report"  # never auto-apply a second choice silently
            continue
        outs.append(res)
    if not outs:
        # Nothing correct could be built: show the raw replacements to a person.
        return Realised(start, end, tuple(entry.replace), "report", tuple(notes))
    # All suggestions share one span: the widest, re-deriving the text.
    s0 = min(o[0] for o in outs)
    e0 = max(o[1] for o in outs)
    original = text[s0:e0]
    sugg: list[str] = []
    for s, e, t in outs:
        full = _apostrophes(match_case(original, text[s0:s] + t + text[e:e0]), apostrophe)
        if full not in sugg:
            sugg.append(full)
    return Realised(s0, e0, tuple(sugg), mode, tuple(notes))


def _apostrophes(s: str, apostrophe: str) -> str:
    return s.replace("'", apostrophe).replace("’", apostrophe)


def _one(entry: Entry, variant, r: str, head, i: int, j: int, toks, text: str):
    """One replacement -> (start, end, text) or an error string."""
    start, end = toks[i][0], toks[j - 1][1]
    if r == "":
        # Delete the span and one space next to it.
        if end < len(text) and text[end] == " ":
            end += 1
        elif start > 0 and text[start - 1] == " ":
            start -= 1
        return (start, end, "")
    rt = tokenize(r)
    pieces: list[Piece] = []
    prev_end = 0
    for t in rt:
        pieces.append(Piece(t.text, r[prev_end:t.start], t.is_word))
        prev_end = t.end
    pieces[0].sep = ""
    tail = r[prev_end:]
    rhead = next((n for n, p in enumerate(pieces) if p.word and p.text.lower().replace("’", "'") not in FUNCTION_WORDS), None)
    is_verb = False
    n_matched = "s"
    if head is not None and rhead is not None:
        matched, head_lemma, written = head
        is_verb = is_infinitive(head_lemma)
        if not is_verb and matched != head_lemma and matched[-1:] in ("s", "x") and not head_lemma.endswith(("s", "x")):
            n_matched = "p"
        rword = pieces[rhead].text
        rnorm = rword.lower().replace("’", "'")
        if matched != written and not (not is_verb and entry.number):
            target = (rnorm if is_infinitive(rnorm) else lemma(rnorm)) if is_verb else rnorm
            if is_verb and not is_infinitive(target):
                return f"[{r}] head {rword!r} of the replacement is not a verb I can conjugate like {matched!r}"
            new = inflect_like(target, matched, head_lemma)
            if new is None:
                return f"[{r}] cannot inflect {target!r} like {matched!r} ({head_lemma}); not applied automatically"
            if new != rnorm:
                pieces[rhead].text = _case_like(rword, new)
                if not is_verb and n_matched == "p":
                    # Adjectives right after the head follow its number.
                    for p in pieces[rhead + 1:]:
                        low = p.text.lower()
                        if not p.word or low in FUNCTION_WORDS:
                            break
                        adj = inflect_like(lemma(low), matched, head_lemma)
                        if adj:
                            p.text = _case_like(p.text, adj)
    # ---- agreement of determiners / prenominal adjectives (noun heads) ----
    gender = entry.gender
    number = entry.number or n_matched
    unknown_gender = False
    first_outside = i
    if head is not None and rhead is not None and not is_verb:
        outside: list[Piece] = []
        k = i - 1
        nadj = 0
        while k >= 0 and i - k <= MAX_AGREE_LEFT and toks[k][2] and lemma(toks[k][2]) in PRENOMINAL and nadj < 2:
            # stop if not adjacent (line breaks or punctuation in between are fine: tokens are words only here)
            k -= 1
            nadj += 1
        det = _det_at(toks, k) if k >= 0 and i - k <= MAX_AGREE_LEFT else None
        lo = det[0] if det else k + 1
        # Pre-head pieces of the replacement are agreed too (a replacement that starts with a determiner).
        if (entry.gender or entry.number or n_matched == "p") and lo < i:
            for idx in range(lo, i):
                s_, e_, norm = toks[idx]
                outside.append(Piece(text[s_:e_], text[toks[idx - 1][1]:s_] if idx > lo else "", True, True, idx))
            pieces[0].sep = text[toks[i - 1][1]:start]
            # Re-inflect: walk the outside pieces, determiner first.
            det_info = det[1:] if det else None
            first_outside = lo
            seq = outside + pieces
            for n, p in enumerate(outside):
                nxt = next((q for q in seq[n + 1:] if q.word), None)
                vowel = bool(nxt) and starts_with_vowel(nxt.text)
                norm = p.text.lower().replace("’", "'")
                if det and p.token_index == det[0]:
                    lex, g0, _n0 = det_info
                    g = gender or g0
                    if g is None and number == "s" and DETS[lex].form("m", "s", vowel) != DETS[lex].form("f", "s", vowel):
                        unknown_gender = True
                        continue
                    new = DETS[lex].form(g or "m", number, vowel)
                    if (toks[det[0]][2], toks[det[0] + 1][2]) in DET_PAIRS and det[0] + 1 < i:
                        # two-token determiner: put the whole form on the first piece
                        p.text = _case_like(p.text, new)
                        outside[n + 1].text = ""
                        outside[n + 1].word = False
                        outside[n + 1].sep = ""
                    else:
                        p.text = _case_like(p.text, new)
                elif p.word and p.text:
                    if not lemma(norm) in PRENOMINAL:
                        continue
                    new = adjective_form(norm, gender, number, vowel)
                    if new is None:
                        return f"[{r}] cannot make {p.text!r} agree ({gender or '?'}/{number})"
                    p.text = _case_like(p.text, new)
            pieces = seq
    # ---- elision inside the new sequence and at its borders ----
    before_idx = first_outside - 1
    if before_idx >= 0 and toks[before_idx][1] <= toks[first_outside][0]:
        s_, e_, norm = toks[before_idx]
        if norm in ELIDED or norm in ELIDABLE or norm == "ce":
            gap = text[e_:toks[first_outside][0]] if first_outside < len(toks) else ""
            if "\n" not in gap:
                pieces[0].sep = gap if pieces[0].sep == "" else pieces[0].sep
                pieces.insert(0, Piece(text[s_:e_], "", True, True, before_idx))
                first_outside = before_idx
    g_for_l = gender
    problem = _elide(pieces, g_for_l)
    if problem:
        unknown_gender = True
    if unknown_gender:
        return f"[{r}] cannot tell whether the determiner should be masculine or feminine; give 'gender' in the entry"
    # Border after the span: elision with the next word of the text.
    span_end = end
    if j < len(toks):
        ns, ne, nnorm = toks[j]
        last = next((p for p in reversed(pieces) if p.word and p.text), None)
        gap_after = text[end:ns]
        if last is not None and "\n" not in gap_after and tail == "" and _is_letter_word(nnorm):
            lnorm = last.text.lower().replace("’", "'")
            if lnorm in ELIDABLE and lnorm not in ("le", "la") and starts_with_vowel(nnorm):
                last.text = _case_like(last.text, ELIDABLE[lnorm])
                span_end = ns
            elif lnorm in ELIDED and ELIDED[lnorm] and not starts_with_vowel(nnorm):
                last.text = _case_like(last.text, ELIDED[lnorm])
                if gap_after == "":
                    tail = " "
    # Drop leading pieces that did not change (keep the span minimal).
    span_start = toks[first_outside][0] if first_outside < i else start
    while pieces and pieces[0].outside:
        p = pieces[0]
        s_, e_, _ = toks[p.token_index]
        if p.text == text[s_:e_] and len(pieces) > 1 and (pieces[1].sep == text[e_:toks[p.token_index + 1][0]]
                                                          if p.token_index + 1 < len(toks) else True):
            pieces.pop(0)
            nxt_idx = pieces[0].token_index if pieces[0].outside else i
            span_start = toks[nxt_idx][0]
            pieces[0].sep = ""
            continue
        break
    out = "".join(p.sep + p.text for p in pieces) + tail
    return (span_start, span_end, out)


def _is_letter_word(norm: str) -> bool:
    return norm[:1].isalpha()


def _elide(pieces: list[Piece], gender: str | None) -> bool:
    """Fix elision between consecutive pieces; True if a gender was needed but unknown."""
    problem = False
    words = [p for p in pieces if p.word and p.text]
    for a, b in zip(words, words[1:]):
        an = a.text.lower().replace("’", "'")
        bn = b.text.lower().replace("’", "'")
        vowel = starts_with_vowel(bn)
        if vowel and an.endswith("'"):
            b.sep = ""
        elif vowel and an in ELIDABLE:
            a.text = _case_like(a.text, ELIDABLE[an])
            b.sep = ""
        elif vowel and an == "ce":
            a.text = _case_like(a.text, "c'" if bn in _CE_ELIDE else "cet")
            b.sep = "" if bn in _CE_ELIDE else " "
        elif vowel and an == "si" and bn in ("il", "ils"):
            a.text = _case_like(a.text, "s'")
            b.sep = ""
        elif not vowel and an in ELIDED and bn[:1].isalpha():
            full = ELIDED[an]
            if full is None:  # l' -> le / la
                if gender is None:
                    problem = True
                    continue
                full = "le" if gender == "m" else "la"
            a.text = _case_like(a.text, full)
            b.sep = " "
        elif an == "cet" and not vowel:
            a.text = _case_like(a.text, "ce")
    return problem
