"""Where garbled names may sit: runs of capitalised words, and citation slots.

A *run* is a maximal sequence of capitalised word tokens on one line (small
connectors such as "of", "&", "de" may sit inside). Inside a run, the parts
that are already correct gazetteer names are marked as *mentions* (never to be
changed); what is left becomes *segments*, the candidate spans.

A *cue* is the French wording around a span that says what kind of name is
expected there: "selon X" (an outlet), "lors du X" (an event), "chez X" (a
company), "au X de Las Vegas" (an event)...
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document
from ..tokens import CAPITALISED_WORD_SHAPES, CONNECTOR_SHAPES, NAME_CONNECTORS, Token
from .gazetteer import WORD_EQUIVALENTS, Gazetteer, NameForm, canon
from .language import FRENCH_STOP_WORDS

#: Lower-case words allowed inside a capitalised run when a capitalised word follows.
RUN_CONNECTORS = NAME_CONNECTORS

_OUTLET = ("outlet", "newsletter")
_EVENT = ("event",)
_COMPANY = ("company", "lab", "service")
_LAB = ("lab",)
_PRODUCT = ("product", "service")

#: Words just before a span (normalised, in order) -> the types they announce.
PRE_CUES: dict[tuple[str, ...], tuple[str, ...]] = {
    **{c: _OUTLET for c in [
        ("selon",), ("d'", "après"), ("rapport", "de"), ("rapport", "du"), ("article", "de"),
        ("article", "du"), ("enquête", "de"), ("enquête", "du"), ("a", "rapporté"), ("ont", "rapporté"),
        ("rapporte",), ("rapportait",), ("a", "révélé"), ("révèle",), ("cité", "par"), ("citée", "par"),
        ("cités", "par"), ("interrogé", "par"), ("interrogée", "par"), ("colonnes", "de"),
        ("colonnes", "du"), ("confié", "à"), ("déclaré", "à"), ("indiqué", "à"), ("journal",),
        ("quotidien",), ("magazine",), ("hebdomadaire",), ("newsletter",), ("podcast",), ("média",),
        ("site",), ("publié", "par"), ("publiée", "par"), ("révélé", "par"), ("révélée", "par"),
        ("micro", "de"), ("micro", "du"), ("antenne", "de"), ("lettre",), ("chroniqueur", "de"),
        ("journaliste", "de"), ("journaliste", "du"), ("éditorialiste", "de"), ("d'", "après", "le"),
    ]},
    **{c: _EVENT for c in [
        ("lors", "du"), ("lors", "de"), ("lors", "de", "la"), ("lors", "de", "l'"), ("salon",),
        ("conférence",), ("sommet",), ("festival",), ("occasion", "du"), ("occasion", "de"),
        ("édition", "du"), ("édition", "de"), ("en", "marge", "du"), ("en", "marge", "de"),
        ("keynote", "du"), ("keynote", "de"), ("scène", "du"), ("participé", "au"), ("rendez-vous",),
    ]},
    **{c: _COMPANY for c in [
        ("chez",), ("société",), ("entreprise",), ("groupe",), ("start-up",), ("startup",), ("géant",),
        ("firme",), ("constructeur",), ("fabricant",), ("éditeur",), ("filiale",), ("rachat", "de"),
        ("rachat", "du"), ("racheté",), ("fondateur", "de"), ("patron", "de"), ("pdg", "de"),
        ("pdg", "du"), ("dirigeant", "de"), ("directeur", "général", "de"), ("cofondateur", "de"),
        ("concurrent",), ("investisseur",), ("fonds",), ("banque",), ("opérateur",),
    ]},
    **{c: _LAB for c in [
        ("laboratoire",), ("labo",), ("chercheurs", "de"), ("chercheurs", "du"), ("institut",),
        ("université",),
    ]},
    **{c: _PRODUCT for c in [
        ("modèle",), ("application",), ("service",), ("plateforme",), ("assistant",), ("logiciel",),
        ("puce",), ("processeur",), ("smartphone",), ("console",), ("casque",), ("outil",),
        ("chatbot",), ("système",),
    ]},
    **{c: ("programme",) for c in [
        ("programme",), ("plan",), ("loi",), ("règlement",), ("directive",), ("dispositif",),
        ("cadre", "du"), ("cadre", "de"), ("initiative",), ("projet",), ("stratégie",), ("texte",),
    ]},
}

#: Words just after a span -> the types they announce ("X a annoncé").
POST_CUES: dict[tuple[str, ...], tuple[str, ...]] = {
    **{c: _OUTLET for c in [
        ("rapporte",), ("a", "rapporté"), ("révèle",), ("a", "révélé"), ("écrit",), ("a", "écrit"),
        ("affirme",), ("a", "affirmé"), ("indique",), ("a", "indiqué"), ("croit", "savoir"),
    ]},
    **{c: _COMPANY + _LAB for c in [
        ("a", "annoncé"), ("annonce",), ("a", "dévoilé"), ("dévoile",), ("a", "lancé"), ("lance",),
        ("a", "levé"), ("lève",), ("a", "racheté"), ("rachète",), ("a", "licencié"), ("emploie",),
        ("a", "publié"), ("publie",),
    ]},
}

#: Articles that may stand between a cue and the name ("selon le Financial Times").
CUE_ARTICLES = frozenset({"le", "la", "l'", "les"})
#: Longest cue, in tokens.
MAX_CUE = max(len(c) for c in list(PRE_CUES) + list(POST_CUES))


@dataclass(frozen=True)
class Cue:
    text: str
    types: tuple[str, ...]
    where: str  # "before" or "after"


@dataclass(frozen=True)
class Segment:
    """A candidate span: token indexes [first, last] into doc.tokens."""

    first: int
    last: int
    start: int
    end: int
    words: tuple[str, ...]  # canonical matching keys
    cue: Cue | None


@dataclass(frozen=True)
class Mention:
    """A correct gazetteer name found in the text."""

    first: int
    last: int
    start: int
    end: int
    form: NameForm


def _is_cap(tok: Token) -> bool:
    ch = tok.text[0]
    return tok.kind == "word" and (ch.isupper() or ch.isdigit())


def _same_line(text: str, a: Token, b: Token) -> bool:
    return "\n" not in text[a.end : b.start]


#: A run starts at any capitalised word and goes on, on the same line, with capitalised words
#: or a connector followed by one (tried in that order, like :func:`find_runs_reference`), over
#: the document's shape codes (:func:`mtrepair.tokens.token_shape`) where the tokens that follow
#: a line break read N (a capitalised word: it may start a run, not continue one) or n.
_RUN_RE = re.compile(f"[{CAPITALISED_WORD_SHAPES}N](?:[{CAPITALISED_WORD_SHAPES}]|[{CONNECTOR_SHAPES}][{CAPITALISED_WORD_SHAPES}])*")
_AFTER_NEWLINE = {**{c: "N" for c in CAPITALISED_WORD_SHAPES}, **{c: "n" for c in CONNECTOR_SHAPES}}


def find_runs(doc: Document) -> list[tuple[int, int]]:
    """Runs of capitalised words: (first, last) token indexes, inclusive.

    Same runs as :func:`find_runs_reference`, found by a regular expression over the shape
    codes the tokenizer made (one character per token) instead of a Python step per token.
    """
    codes = doc.shape_codes
    breaks = doc.newline_gaps
    if breaks:
        chars = list(codes)
        for j in breaks:
            chars[j] = _AFTER_NEWLINE.get(chars[j], "o")
        codes = "".join(chars)
    return [(m.start(), m.end() - 1) for m in _RUN_RE.finditer(codes)]


def find_runs_reference(doc: Document) -> list[tuple[int, int]]:
    """The plain definition of :func:`find_runs` (a loop over tokens), for tests."""
    toks = doc.tokens
    text = doc.text
    runs: list[tuple[int, int]] = []
    i, n = 0, len(toks)
    while i < n:
        if not _is_cap(toks[i]):
            i += 1
            continue
        j = i
        while j + 1 < n and _same_line(text, toks[j], toks[j + 1]):
            nxt = toks[j + 1]
            if _is_cap(nxt):
                j += 1
            elif (
                nxt.norm in RUN_CONNECTORS
                and j + 2 < n
                and _is_cap(toks[j + 2])
                and _same_line(text, nxt, toks[j + 2])
            ):
                j += 2
            else:
                break
        runs.append((i, j))
        i = j + 1
    return runs


def _cue_before(doc: Document, first: int) -> Cue | None:
    toks = doc.tokens
    lo = max(0, first - MAX_CUE - 1)
    before = [t.norm for t in toks[lo:first]]
    # "selon le Financial Times": the article may stand between cue and name.
    stripped = before[:-1] if before and before[-1] in CUE_ARTICLES else before
    for seq in (before, stripped):
        for k in range(min(MAX_CUE, len(seq)), 0, -1):
            key = tuple(seq[-k:])
            types = PRE_CUES.get(key)
            if types:
                return Cue(" ".join(key).replace("' ", "'"), types, "before")
    return None


def _cue_after(doc: Document, last: int) -> Cue | None:
    toks = doc.tokens
    after = [t.norm for t in toks[last + 1 : last + 1 + MAX_CUE]]
    for k in range(min(MAX_CUE, len(after)), 0, -1):
        key = tuple(after[:k])
        types = POST_CUES.get(key)
        if types:
            return Cue(" ".join(key), types, "after")
    # "au X de Las Vegas", "du X de Barcelone": an event held in a city.
    if (
        last + 2 < len(toks)
        and toks[last + 1].norm in ("de", "à")
        and _is_cap(toks[last + 2])
        and toks[last + 2].norm not in FRENCH_STOP_WORDS
    ):
        return Cue(f"{toks[last + 1].text} {toks[last + 2].text}", _EVENT, "after-city")
    return None


def find_cue(doc: Document, first: int, last: int) -> Cue | None:
    cue = _cue_before(doc, first)
    if cue is not None:
        return cue
    after = _cue_after(doc, last)
    if after is None:
        return None
    if after.where == "after-city":
        # Only "au/du/le X de Ville" reads as an event held in a city.
        prev = doc.tokens[first - 1].norm if first > 0 else ""
        if prev not in ("au", "du", "le", "l'"):
            return None
    return after


def find_mentions(doc: Document, gaz: Gazetteer, first: int, last: int) -> list[Mention]:
    """Correct gazetteer names inside a run (longest match first, left to right).

    Same mentions as :func:`find_mentions_reference`: at each word only the lengths of the
    names that start with it are looked up (``gaz.first_word_lengths``, longest first), as
    no other length can hit.
    """
    toks = doc.tokens
    if first == last:  # most runs are one capitalised word: only a one-word name can hit
        tok = toks[first]
        forms = gaz.exact.get((WORD_EQUIVALENTS.get(tok.norm, tok.norm),))
        return [Mention(first, first, tok.start, tok.end, forms[0])] if forms else []
    lengths_of = gaz.first_word_lengths
    keys = [WORD_EQUIVALENTS.get(t.norm, t.norm) for t in toks[first : last + 1]]
    mentions: list[Mention] = []
    exact = gaz.exact
    i, L = 0, len(keys)
    while i < L:
        lengths = lengths_of.get(keys[i])
        if lengths is not None:
            room = L - i
            for k in lengths:
                if k <= room:
                    forms = exact.get(tuple(keys[i : i + k]))
                    if forms:
                        a, b = first + i, first + i + k - 1
                        mentions.append(Mention(a, b, toks[a].start, toks[b].end, forms[0]))
                        i += k
                        break
            else:
                i += 1
        else:
            i += 1
    return mentions


def find_mentions_reference(doc: Document, gaz: Gazetteer, first: int, last: int) -> list[Mention]:
    """The plain definition of :func:`find_mentions` (every length tried), for tests."""
    toks = doc.tokens
    keys = [canon(t.norm) for t in toks[first : last + 1]]
    mentions: list[Mention] = []
    i, L = 0, len(keys)
    while i < L:
        hit = None
        if keys[i] in gaz.first_words:
            for k in range(min(gaz.max_words, L - i), 0, -1):
                forms = gaz.exact.get(tuple(keys[i : i + k]))
                if forms:
                    hit = (k, forms[0])
                    break
        if hit is None:
            i += 1
            continue
        k, form = hit
        a, b = first + i, first + i + k - 1
        mentions.append(Mention(a, b, toks[a].start, toks[b].end, form))
        i += k
    return mentions


def make_segment(doc: Document, first: int, last: int) -> Segment:
    toks = doc.tokens
    return Segment(
        first,
        last,
        toks[first].start,
        toks[last].end,
        tuple(canon(t.norm) for t in toks[first : last + 1]),
        find_cue(doc, first, last),
    )
