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
from functools import lru_cache

from ..tokens import APOSTROPHES, tokenize
from .agreement import (
    DET_FORMS,
    DET_PAIRS,
    DETS,
    ELIDABLE,
    ELIDED,
    PRENOMINAL,
    _plural,
    adjective_form,
    match_case,
    starts_with_vowel,
)
from .lexicon import after_auxiliary, guess_infinitive, inflect_like, is_infinitive, is_known, lemma, participle_like, verb_ending
from .model import Entry
from .pattern import SLOT_REF_RE, PToken

#: Words that are never the head of a pattern or replacement.
FUNCTION_WORDS = frozenset(
    "le la les l' un une des du de d' à au aux en et ou que qu' qui ce cet cette ces se s' son sa ses "
    "leur leurs mon ma mes ton ta tes notre nos votre vos pour par sur sous dans avec sans il elle ils elles on "
    "ne n' pas plus y tout toute tous toutes très comme si chaque plusieurs quelques quelque aucun aucune "
    "certains certaines divers diverses différents différentes tel telle tels telles ".split()
)
#: Forms after which "ce" elides to "c'" rather than becoming "cet".
_CE_ELIDE = frozenset("est était étaient étant en".split())
#: Reflexive pronouns before a replacement verb.
_REFLEXIVE = frozenset("se s' me m' te t' nous vous".split())
#: How far left (in tokens) agreement may widen the span.
MAX_AGREE_LEFT = 4


@dataclass
class Piece:
    text: str
    sep: str  # text before this piece
    word: bool
    outside: bool = False  # a token of the original text before the pattern
    token_index: int = -1
    det: tuple | None = None  # (first index, lexeme, gender, number) for a determiner piece


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


#: Stand-ins for slot references ``{n}`` while a replacement is realised: one
#: private-use character each, which the tokenizer reads as a lone non-word token,
#: so agreement, pluralisation and elision never touch the slot's words.
_SLOT_MARK = 0xF8F0


def _slot_marker(n: int) -> str:
    return chr(_SLOT_MARK + n)


def _fill_slots(s: str, slot_texts: tuple[str, ...]) -> str:
    for n, t in enumerate(slot_texts, start=1):
        m = _slot_marker(n)
        if not t:
            s = s.replace(" " + m, "").replace(m, "")
        s = s.replace(m, t)
    return s


def realise(entry: Entry, variant: tuple[PToken, ...], i: int, j: int, toks, text: str,
            apostrophe: str, gaps: tuple[tuple[int, int], ...] = ()) -> Realised:
    """Suggestions for the hit of ``variant`` on tokens ``i..j-1`` of ``toks``.

    ``toks`` is a sequence of (start, end, norm) triples over ``text``;
    ``gaps`` are the token ranges the variant's slots took (in order).
    """
    start, end = toks[i][0], toks[j - 1][1]
    positions: list[int] = []
    pos, g = i, 0
    for p in variant:
        if p.is_slot:
            positions.append(-1)
            pos = gaps[g][1] if g < len(gaps) else pos
            g += 1
        else:
            positions.append(pos)
            pos += 1
    slot_texts = tuple(text[toks[a][0]:toks[b - 1][1]] if b > a else "" for a, b in gaps)
    head_k = next((k for k, p in enumerate(variant) if _is_head(p.norm) and p.is_word), None)
    head = None
    if head_k is not None:
        p = variant[head_k]
        head = (toks[positions[head_k]][2], lemma(p.norm), p.norm, p.exact, positions[head_k])
    notes: list[str] = []
    outs: list[tuple[int, int, str]] = []
    mode = entry.mode
    for n, r in enumerate(entry.replace):
        if "{" in r:
            r = SLOT_REF_RE.sub(lambda m: _slot_marker(int(m.group(1))), r)
        res = _one(entry, r, head, i, j, toks, text)
        if isinstance(res, str):
            notes.append(res)
            if n == 0:
                mode = "report"  # never auto-apply a second choice silently
            continue
        outs.append(res)
    if not outs:
        # Nothing correct could be built: show the raw replacements to a person.
        raw = tuple(_as_written(SLOT_REF_RE.sub(lambda m: slot_texts[int(m.group(1)) - 1]
                                                if int(m.group(1)) <= len(slot_texts) else m.group(), r),
                                text[start:end], apostrophe) for r in entry.replace)
        return Realised(start, end, raw, "report", tuple(notes))
    # All suggestions share one span: the widest, re-deriving the text.
    s0 = min(o[0] for o in outs)
    e0 = max(o[1] for o in outs)
    original = text[s0:e0]
    sugg: list[str] = []
    for s, e, t in outs:
        full = _apostrophes(match_case(original, text[s0:s] + t + text[e:e0]), apostrophe)
        if slot_texts:
            full = _fill_slots(full, slot_texts)
        if full not in sugg:
            sugg.append(full)
    return Realised(s0, e0, tuple(sugg), mode, tuple(notes))


def _as_written(raw: str, original: str, apostrophe: str) -> str:
    """A replacement shown as it stands (nothing could be conjugated or agreed), fitted to the
    span's edges that do not depend on grammar: its case, the document's apostrophe, and the
    elision of a last word before the next one when the span ends elided (« épelle qu' » + « il »:
    « expliquer qu' », not « expliquer que » glued to « il »)."""
    last = raw.rsplit(" ", 1)[-1]
    if original[-1:] in APOSTROPHES and ELIDABLE.get(_norm(last), "").endswith("'"):
        raw = raw[: len(raw) - len(last)] + _case_like(last, ELIDABLE[_norm(last)])
    return _apostrophes(match_case(original, raw), apostrophe) if raw else raw


def _is_head(norm: str) -> bool:
    return norm not in FUNCTION_WORDS and lemma(norm) not in PRENOMINAL and norm[:1].isalnum()


def _apostrophes(s: str, apostrophe: str) -> str:
    return s.replace("'", apostrophe).replace("’", apostrophe)


def _norm(s: str) -> str:
    return s.lower().replace("’", "'")


def _pieces(r: str) -> tuple[list[Piece], str]:
    """The replacement's tokens as fresh (mutable) pieces, and the text after the last one."""
    parts, tail = _piece_parts(r)
    return [Piece(text, sep, word) for text, sep, word in parts], tail


@lru_cache(maxsize=16384)
def _piece_parts(r: str) -> tuple[tuple[tuple[str, str, bool], ...], str]:
    """(text, separator before it, is a word) of each token of the replacement ``r``, and the
    text after the last token: a function of ``r`` alone, so tokenised once per replacement."""
    parts: list[tuple[str, str, bool]] = []
    prev_end = 0
    toks = tokenize(r)
    if r[-1:] in APOSTROPHES:  # a replacement ending with an elided word: "du côté d'"
        toks = tokenize(r + "a")[:-1]
    for t in toks:
        parts.append((t.text, r[prev_end:t.start] if parts else "", t.is_word))
        prev_end = t.end
    return tuple(parts), r[prev_end:]


@lru_cache(maxsize=16384)
def _replacement_head(r: str) -> int | None:
    """Index of the head among the fresh pieces of the replacement ``r`` (its first word that
    :func:`_is_head`), or None: a function of ``r`` alone (the pieces are made from
    :func:`_piece_parts`), so found once per replacement. Tested against the search on the pieces."""
    pieces, _ = _pieces(r)
    return next((n for n, p in enumerate(pieces) if p.word and _is_head(_norm(p.text))), None)


def _one(entry: Entry, r: str, head, i: int, j: int, toks, text: str):
    """One replacement -> (start, end, text) or an error string."""
    start, end = toks[i][0], toks[j - 1][1]
    if r == "":
        # Delete the span and one space next to it.
        if end < len(text) and text[end] == " ":
            end += 1
        elif start > 0 and text[start - 1] == " ":
            start -= 1
        return (start, end, "")
    pieces, tail = _pieces(r)
    rhead = _replacement_head(r)
    gender = entry.gender
    is_verb = False
    det = None
    after = None  # (gap, new text, end offset) of an agreeing participle after the span
    first_outside = i
    if head is not None and rhead is not None:
        matched, head_lemma, written, exact, head_index = head
        rword = pieces[rhead].text
        rnorm = _norm(rword)
        guessed = None
        if gender is None and entry.number is None and not is_infinitive(head_lemma) and is_infinitive(rnorm) \
                and not is_known(matched):
            # a verb form simplemma does not know ("impacté"): guess its infinitive from the learnt endings
            guessed = guess_infinitive(matched)
            head_lemma = guessed or head_lemma
        is_verb = gender is None and entry.number is None and (is_infinitive(head_lemma) or guessed is not None)
        if is_verb and matched != head_lemma and rhead > 0 and _norm(pieces[rhead - 1].text) in _REFLEXIVE:
            # "ont réalisé que" -> "se sont rendu compte que": the auxiliary would change too
            return f"[{r}] a reflexive replacement cannot be conjugated in place of {matched!r}; not applied automatically"
        if is_verb:
            target = rnorm if is_infinitive(rnorm) else lemma(rnorm)
            if matched == written and not is_infinitive(rnorm):
                new = rnorm  # the writer gave the form for exactly this text form
            elif matched == head_lemma:
                new = target  # infinitive in the text
            elif not is_infinitive(target) and verb_ending(target) is None and not verb_ending(rnorm):
                # a noun replacing a verb form: follow the number only
                new = inflect_like(rnorm, matched, head_lemma) if matched[-1:] in ("s", "x") else rnorm
            else:
                new = inflect_like(target, matched, head_lemma)
                if new is None and after_auxiliary(toks, head_index):
                    new = participle_like(target, matched, head_lemma)
            if new is None:
                return f"[{r}] cannot conjugate {target!r} like {matched!r} ({head_lemma}); not applied automatically"
            if new != rnorm:
                pieces[rhead].text = _case_like(rword, new)
        elif gender is None and entry.number is None and not exact \
                and (adj := _adjective_hit(matched, head_lemma, head_index, i, toks, rnorm)) is not None:
            # ---- adjective head after its noun ("logiciels malicieux"): same gender and number ----
            if adj == "ambiguous":
                return f"[{r}] cannot tell which gender/number of {rword!r} agrees like {matched!r}; not applied automatically"
            pieces[rhead].text = _case_like(rword, adj)
        else:
            # ---- noun head: number, then determiners/adjectives agreement ----
            k = i - 1
            nadj = 0
            while k >= 0 and nadj < 2 and lemma(toks[k][2]) in PRENOMINAL and _adjacent(toks, k, text):
                k -= 1
                nadj += 1
            det = _det_at(toks, k) if k >= 0 and _adjacent(toks, k, text) else None
            n_det = det[3] if det else None
            plural_form = matched != head_lemma and matched[-1:] in ("s", "x") and not head_lemma.endswith(("s", "x"))
            n_matched = n_det or ("p" if plural_form else "s")
            # A replacement written with its own plural determiner ("tous les jours") is plural as written.
            own = [_norm(p.text) for p in pieces[:rhead] if p.word]
            written_n = "p" if any(w in _PLURAL_OWN or (DET_FORMS.get(w) or ("", None, None))[2] == "p" for w in own) else "s"
            number = entry.number or ("p" if written_n == "p" else n_matched)
            if number == "p" and not exact:  # an exact head: the writer wrote the replacement for it
                for n in range(rhead, len(pieces)):
                    p = pieces[n]
                    low = _norm(p.text)
                    if not p.word or (n > rhead and (low in FUNCTION_WORDS)):
                        break
                    new = _pluralise(low, matched, head_lemma, plural_form, guess=n == rhead)
                    if new is None:
                        if n == rhead:
                            return f"[{r}] cannot put {p.text!r} in the plural; not applied automatically"
                        break
                    p.text = _case_like(p.text, new)
            # Pre-head pieces of the replacement (its own determiner/adjectives): the writer wrote them for
            # the replacement's gender and written number, so they change only when the number does
            # ("tous les jours" and "la toute première fois" stay as written).
            if number != written_n:
                err = _agree(pieces[:rhead], gender, number, pieces)
                if err:
                    return f"[{r}] {err}"
            lo = det[0] if det else k + 1
            if lo < i:
                outside = [Piece(text[toks[x][0]:toks[x][1]], text[toks[x - 1][1]:toks[x][0]] if x > lo else "",
                                 True, True, x) for x in range(lo, i)]
                pieces[0].sep = text[toks[i - 1][1]:start]
                if det and det[0] + 1 < i and (toks[det[0]][2], toks[det[0] + 1][2]) in DET_PAIRS:
                    # two-token determiner: the whole form goes on its first piece
                    outside[1].text, outside[1].word, outside[1].sep = "", False, ""
                if det:
                    outside[0].det = det
                seq = outside + pieces
                err = _agree(outside, gender, number, seq)
                if err:
                    return f"[{r}] {err}"
                pieces = seq
                first_outside = lo
            # A past participle right after the span agrees too ("fondé" -> "fondée").
            g_old = det[2] if det else None
            g_new = gender or g_old
            if g_old and g_new and (g_old, n_matched) != (g_new, number) and j < len(toks) \
                    and _adjacent(toks, j - 1, text) and toks[j][2][:1].isalpha():
                new = participle_form(toks[j][2], g_new, number)
                if new is None and text[toks[j][0]:toks[j][1]].islower():
                    new = _adjective_after(toks[j][2], g_old, n_matched, g_new, number)
                if new is not None and new != toks[j][2]:
                    after = (text[end:toks[j][0]], _case_like(text[toks[j][0]:toks[j][1]], new), toks[j][1])
    # ---- elision and contraction with the word before ----
    before_idx = first_outside - 1
    if before_idx >= 0 and _adjacent(toks, before_idx, text):
        s_, e_, norm = toks[before_idx]
        if norm in ELIDED or norm in ELIDABLE or norm in ("ce", "de", "à", "si"):
            if pieces[0].sep == "":
                pieces[0].sep = text[e_:toks[before_idx + 1][0]]
            pieces.insert(0, Piece(text[s_:e_], "", True, True, before_idx))
            first_outside = before_idx
    if _elide(pieces, gender):
        return f"[{r}] cannot tell whether the determiner should be masculine or feminine; give 'gender' in the entry"
    # ---- elision with the word after ----
    span_end = end
    if after is not None:
        tail += after[0] + after[1]
        span_end = after[2]
    elif j < len(toks) and tail == "":
        ns, ne, nnorm = toks[j]
        last = pieces[-1] if pieces and pieces[-1].word else None
        gap_after = text[end:ns]
        if last is not None and "\n" not in gap_after and nnorm[:1].isalpha():
            lnorm = _norm(last.text)
            if lnorm.endswith("'") and starts_with_vowel(nnorm):
                span_end = ns  # "d'" + " Altman" -> "d'Altman"
            elif lnorm in ELIDABLE and lnorm not in ("le", "la") and starts_with_vowel(nnorm):
                last.text = _case_like(last.text, ELIDABLE[lnorm])
                span_end = ns
            elif lnorm in ELIDED and ELIDED[lnorm] and not starts_with_vowel(nnorm):
                last.text = _case_like(last.text, ELIDED[lnorm])
                if gap_after == "":
                    tail = " "
    # ---- keep the span minimal: drop unchanged leading outside pieces ----
    span_start = start
    if pieces and pieces[0].outside:
        span_start = toks[pieces[0].token_index][0]
    while len(pieces) > 1 and pieces[0].outside:
        p = pieces[0]
        s_, e_, _ = toks[p.token_index]
        nxt = pieces[1]
        nxt_start = toks[nxt.token_index][0] if nxt.outside else start
        if p.text == text[s_:e_] and nxt.sep == text[e_:nxt_start]:
            pieces.pop(0)
            span_start = nxt_start
            pieces[0].sep = ""
            continue
        break
    out = "".join(p.sep + p.text for p in pieces) + tail
    return (span_start, span_end, out)


#: Endings of masculine singular past participles.
_PARTICIPLE_ENDINGS = ("é", "i", "u", "it", "is", "ert", "eint", "aint", "oint")


def participle_form(word: str, gender: str, number: str) -> str | None:
    """``word`` if it is a past participle, re-agreed; None if it is not one (or unknown)."""
    for cut in (0, 1, 2, 3):
        base = word[: len(word) - cut] if cut else word
        tail = word[len(base):]
        if tail not in ("", "e", "s", "es") or not base.endswith(_PARTICIPLE_ENDINGS):
            continue
        # the bare participle must itself lemmatise to a verb ("tri" for "trie" does not)
        if not is_known(base) or not is_infinitive(lemma(base)):
            continue
        form = base + ("e" if gender == "f" else "")
        if number == "p" and not form.endswith("s"):
            form += "s"
        if is_known(form):
            return form
    return None


def _adjective_after(word: str, g_old: str, n_old: str, g_new: str, n_new: str) -> str | None:
    """An adjective right after the noun, re-agreed ("groupe chinois" -> "équipe chinoise").

    Only when the word visibly agrees with the old noun (same gender and
    number forms), so nouns and invariable words are left alone.
    """
    if word in FUNCTION_WORDS or not word.isalpha():
        return None
    base = lemma(word)
    if base != word and lemma(base) != base:
        return None
    old = adjective_form(base, g_old, n_old, False)
    fem = adjective_form(base, "f", "s", False)
    if old is None or old != word or fem is None or fem == base:
        return None  # not an adjective agreeing with the old noun, or invariable
    return adjective_form(base, g_new, n_new, False)


#: Plural quantifiers a replacement may start with (its number is then plural as written).
_PLURAL_OWN = frozenset(("tous", "toutes", "plusieurs", "quelques", "nombreux", "nombreuses"))


#: Number words: a word after them is a noun ("cent mille disciples"), not an adjective.
_NUMERALS = frozenset(
    "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt trente "
    "quarante cinquante soixante cent cents mille million millions milliard milliards".split()
)


def _adjective_hit(matched: str, head_lemma: str, head_index: int, i: int, toks, rnorm: str):
    """The replacement adjective ``rnorm`` in the form of the matched adjective, "ambiguous", or None.

    None means "not an adjective after its noun": the hit must be a one-word adjective at the start
    of the hit, right after a word that is neither a determiner nor a function word, and the matched
    word or the replacement must have a distinct feminine form (so nouns keep the noun rules). The
    gender/number come from the matched form; when it does not tell (``malicieux``, ``rapide``), from
    the noun before it (its plural ending, its determiner); if they still do not, and the
    replacement's forms differ, the answer is "ambiguous".
    """
    if head_index != i or head_index == 0:
        return None
    prev = toks[head_index - 1][2]
    if not prev[:1].isalpha() or prev in DET_FORMS or prev in FUNCTION_WORDS or lemma(prev) in PRENOMINAL \
            or prev in _NUMERALS:
        return None
    fem = adjective_form(head_lemma, "f", "s", False)
    rfem = adjective_form(rnorm, "f", "s", False)
    if fem is None or rfem is None or (fem == head_lemma and rfem == lemma(rnorm)):
        return None
    cands = [(g, n) for g in "mf" for n in "sp" if adjective_form(head_lemma, g, n, False) == matched]
    if not cands:
        return None
    if len({n for _, n in cands}) > 1:  # "malicieux": singular or plural, as the noun before it
        n_prev = "p" if prev[-1:] in ("s", "x") and lemma(prev) != prev else "s"
        cands = [c for c in cands if c[1] == n_prev]
    if len({g for g, _ in cands}) > 1 and head_index >= 2:  # "rapide": the noun's determiner tells
        det = _det_at(toks, head_index - 2)
        if det and det[2]:
            cands = [c for c in cands if c[0] == det[2]]
    forms = {adjective_form(rnorm, g, n, False) for g, n in cands}
    if len(forms) != 1 or None in forms:
        return "ambiguous"
    return forms.pop()


def _adjacent(toks, k: int, text: str) -> bool:
    """Token k is on the same line as token k+1 (agreement never crosses lines)."""
    return k + 1 < len(toks) and "\n" not in text[toks[k][1]:toks[k + 1][0]]


def _pluralise(low: str, matched: str, head_lemma: str, plural_form: bool, guess: bool = False) -> str | None:
    if low.endswith(("s", "x", "z")):
        return low
    if plural_form:
        got = inflect_like(low, matched, head_lemma)
        if got:
            return got
    return _plural(low, guess)


def _agree(pieces: list[Piece], gender: str | None, number: str, seq: list[Piece]) -> str | None:
    """Make determiners and prenominal adjectives among ``pieces`` agree."""
    for p in pieces:
        if not p.word or not p.text:
            continue
        n = seq.index(p)
        nxt = next((q for q in seq[n + 1:] if q.word and q.text), None)
        vowel = bool(nxt) and starts_with_vowel(nxt.text)
        low = _norm(p.text)
        info = p.det[1:] if p.det else DET_FORMS.get(low)
        if info:
            lex, g0, _n0 = info
            g = gender or g0
            forms = DETS[lex]
            if g is None:
                if number == "s" and forms.form("m", "s", vowel) != forms.form("f", "s", vowel):
                    if low.endswith("'") and not vowel:
                        return "cannot tell whether the determiner should be masculine or feminine; give 'gender' in the entry"
                    continue  # keep the original (its gender is unknown but unchanged)
                g = "m"
            p.text = _case_like(p.text, forms.form(g, number, vowel))
        elif lemma(low) in PRENOMINAL:
            new = adjective_form(low, gender, number, vowel,
                                 before_adjective=bool(nxt) and lemma(_norm(nxt.text)) in PRENOMINAL)
            if new is None:
                return f"cannot make {p.text!r} agree ({gender or '?'}/{number})"
            p.text = _case_like(p.text, new)
    return None


#: Contractions of à/de with the definite article.
_CONTRACT = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}


def _elide(pieces: list[Piece], gender: str | None) -> bool:
    """Fix elision/contraction between neighbouring words; True if a gender was needed but unknown."""
    problem = False
    vis = [p for p in pieces if p.text]
    n = 0
    while n < len(vis) - 1:
        a, b = vis[n], vis[n + 1]
        if not (a.word and b.word):
            n += 1
            continue
        an, bn = _norm(a.text), _norm(b.text)
        # Contraction only where the article comes from the replacement.
        if (an, bn) in _CONTRACT and a.outside and not b.outside:
            a.text = _case_like(a.text, _CONTRACT[(an, bn)])
            b.text, b.word, b.sep = "", False, ""
            vis.pop(n + 1)
            if n + 1 < len(vis):
                vis[n + 1].sep = vis[n + 1].sep or " "
            continue
        n += 1
        vowel = starts_with_vowel(bn)
        if vowel and an.endswith("'"):
            b.sep = ""
        elif vowel and an in ELIDABLE:
            a.text = _case_like(a.text, ELIDABLE[an])
            b.sep = ""
        elif vowel and an == "ce":
            a.text = _case_like(a.text, "c'" if bn in _CE_ELIDE else "cet")
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
        elif an == "cet" and not vowel:
            a.text = _case_like(a.text, "ce")
        if b.sep == "" and not a.text.endswith(("'", "’")):
            b.sep = " "
    return problem
