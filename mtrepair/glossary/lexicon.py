"""French word knowledge for the glossary: lemmas, known forms, inflection.

Everything here comes from a maintained package (simplemma: lemmas and its
vocabulary of known forms) or from data derived from one by a deterministic
build script (``data/paradigms.json``: verb endings learnt from wordfreq's
French vocabulary, see ``scripts/build_glossary_paradigms.py``). Nothing is a
hand-built inflection table, except the closed classes that no lemmatiser
describes (determiners and elision, in :mod:`.agreement`).

Results are cached per distinct form, so lemmatising never dominates.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from . import lemma_table

LANG = "fr"
#: Infinitive endings, longest first ("oir" before "ir").
VERB_ENDINGS = ("oir", "er", "ir", "re")
#: Suffixes tried to list the other forms of a noun or adjective of a pattern.
NOMINAL_SUFFIXES = ("s", "x", "e", "es")

_lemma_cache: dict[str, str] = {}
#: Most distinct forms whose lemma is remembered (a bound on memory for endless input).
LEMMA_CACHE_MAX = 500_000


def lemma(form: str) -> str:
    """simplemma lemma of a normalised (lower-case) form, cached."""
    got = _lemma_cache.get(form)
    if got is None:
        if form[:1].isalpha():
            got = lemma_table.lemmatize(form).lower()  # simplemma.lemmatize(form, lang=LANG)
        else:
            got = form
        if len(_lemma_cache) < LEMMA_CACHE_MAX:
            _lemma_cache[form] = got
    return got


@lru_cache(maxsize=65536)
def is_known(form: str) -> bool:
    """True when simplemma's French vocabulary knows ``form``."""
    return lemma_table.is_known(form)  # simplemma.is_known(form, lang=LANG)


@lru_cache(maxsize=1)
def paradigms() -> dict[str, tuple[str, ...]]:
    raw = json.loads(resources.files(__package__).joinpath("data/paradigms.json").read_text("utf-8"))
    return {ending: tuple(v["suffixes"]) for ending, v in raw.items()}


def verb_ending(word: str) -> str | None:
    """Infinitive ending of ``word`` if it looks like a French infinitive."""
    for e in VERB_ENDINGS:
        if word.endswith(e) and len(word) > len(e) + 1:
            return e
    return None


#: Conjugated endings whose presence proves that a word in -er/-ir/-re/-oir is a verb.
_PROOF_SUFFIXES = ("ait", "aient", "é", "ée", "i", "it", "u", "ons", "ent", "a", "ra", "ront", "issait", "t", "sait")


@lru_cache(maxsize=16384)
def is_infinitive(word: str) -> bool:
    """True for a French verb infinitive (``garder``), false for ``quartier``, ``membre``.

    The word must end like an infinitive, be its own lemma, and simplemma
    must know at least one conjugated form that lemmatises back to it.
    """
    ending = verb_ending(word)
    if word == "être":
        return True
    if ending is None or lemma(word) != word or not is_known(word):
        return False
    stem = word[: -len(ending)]
    for s in _PROOF_SUFFIXES:
        form = stem + s
        if form != word and is_known(form) and lemma(form) == word:
            return True
    return False


@lru_cache(maxsize=16384)
def pattern_forms(word: str) -> frozenset[str]:
    """Known forms of the pattern word ``word`` whose simplemma lemma is another word.

    simplemma gives one lemma per form, and some inflected forms get another
    word's lemma (``garde`` -> the noun *garde*, ``gardée`` -> *gardé*). We
    generate the word's forms (verb forms from the learnt endings, noun and
    adjective forms with the usual suffixes and feminine spellings) and keep
    those simplemma knows.
    """
    base = lemma(word)
    candidates: set[str] = {word}
    ending = verb_ending(base)
    if ending and ending in paradigms() and is_infinitive(base):
        stem = base[: -len(ending)]
        candidates.update(stem + s for s in paradigms()[ending])
    candidates.update(base + s for s in NOMINAL_SUFFIXES)
    for fem in feminine_candidates(base):
        candidates.update((fem, fem + "s"))
    return frozenset(f for f in candidates if f != base and (f == word or is_known(f)) and lemma(f) != base)


@lru_cache(maxsize=16384)
def lemma_class(word: str) -> frozenset[str]:
    """Lemmas of the text forms that the plain pattern token ``word`` may match.

    Used to build the automaton (one symbol per lemma group); the exact test
    is :func:`accepts`.
    """
    base = lemma(word)
    return frozenset({base} | {lemma(f) for f in pattern_forms(word)})


def feminine_candidates(base: str) -> list[str]:
    """Spelling rules of French feminine adjectives/nouns (outputs are validated by callers)."""
    out = []
    for masc, fem in (("eau", "elle"), ("eux", "euse"), ("er", "ère"), ("en", "enne"), ("on", "onne"),
                      ("el", "elle"), ("eil", "eille"), ("et", "ette"), ("f", "ve"), ("teur", "trice"),
                      ("x", "lle"), ("x", "ille")):
        if base.endswith(masc):
            out.append(base[: len(base) - len(masc)] + fem)
    if not base.endswith("e") or base.endswith("é"):
        out.append(base + "e")
    return out


def accepts(word: str, form: str) -> bool:
    """Does the plain pattern token ``word`` accept the text form ``form``?

    Yes when the form's lemma is the word's lemma, or when the form is one of
    the word's generated forms (``gardée`` for ``garder``), but not for another
    word that merely shares a lemma with one of them (``gardon``).
    """
    return form == word or lemma(form) == lemma(word) or form in pattern_forms(word)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def inflect_like(target: str, matched_form: str, matched_lemma: str) -> str | None:
    """Inflect ``target`` (a lemma) the way ``matched_form`` inflects ``matched_lemma``.

    Suffix transfer: ``gardait``/``garder`` has suffix ``ait`` for ``er``, so
    ``souligner`` -> ``soulignait``; ``individus``/``individu`` adds ``s``, so
    ``employé`` -> ``employés``. The result must be a form simplemma knows (a
    target of another conjugation group fails this and returns ``None``: the
    caller then reports instead of pasting a wrong form).
    """
    if matched_form == matched_lemma:
        return target
    e_from, e_to = verb_ending(matched_lemma), verb_ending(target)
    n = _common_prefix(matched_form, matched_lemma)
    if e_from and is_infinitive(matched_lemma) and matched_form.startswith(matched_lemma[: -len(e_from)]):
        n = len(matched_lemma) - len(e_from)  # split at the verb stem: gard|e, not garde|
    add, drop = matched_form[n:], matched_lemma[n:]
    if e_from == "er" and is_infinitive(matched_lemma):
        # A stem that changed its spelling (épeler: épelle, acheter: achète, céder: cède): the
        # ending is what is left once the change is undone (the same changes as _stem_variants).
        stem = matched_lemma[:-2]
        for k in range(len(matched_form) - 1, 0, -1):
            if matched_form in _stem_variants(stem, matched_form[k:]):
                n, add, drop = len(stem), matched_form[k:], "er"
                break
    if n == 0:
        return None
    cands: list[str] = []
    if e_from and e_to and e_from != e_to:
        # Another conjugation group: only the future/conditional (infinitive +
        # ending) and the -er -> -ir correspondences below are safe.
        full = _future_ending(matched_form, matched_lemma)
        if full is not None:
            cands.append(_future_stem(target) + full)
        elif (e_from, e_to) == ("er", "ir") and matched_form.startswith(matched_lemma[:-2]):
            ending = matched_form[len(matched_lemma) - 2:]
            # 2nd group only (finir: finissait), never partir/sortir (3rd group)
            if ending in ER_TO_IR and is_known(target[:-2] + "issait"):
                cands.append(target[:-2] + ER_TO_IR[ending])
    elif not drop or target.endswith(drop):
        stem = target[: len(target) - len(drop)] if drop else target
        cands.append(stem + add)
        if stem + add == target:
            return target
        # Stem spelling changes (-cer/-ger, -yer, e/é -> è, doubled consonant):
        # generated, and kept only if the vocabulary knows the form.
        cands.extend(_stem_variants(stem, add))
    for cand in cands:
        if cand and is_known(cand) and (lemma(cand) == lemma(target) or lemma(cand) == target
                                        or lemma(cand) in lemma_class(target)):
            return cand
    return None


#: Endings of the future and conditional, added to the infinitive (minus the final e of -re).
FUTURE_ENDINGS = frozenset("ai as a ons ez ont ais ait ions iez aient".split())


def _future_stem(verb: str) -> str:
    return verb[:-1] if verb.endswith("re") else verb


def _future_ending(form: str, verb: str) -> str | None:
    stem = _future_stem(verb)
    if form.startswith(stem) and form[len(stem):] in FUTURE_ENDINGS:
        return form[len(stem):]
    return None


#: Endings of the 1st group (after the stem) and their 2nd-group equivalents
#: (participles, present, imperfect, present participle), used only to
#: conjugate a replacement of the 2nd group (rétablir) like a matched -er verb.
ER_TO_IR = {
    "é": "i", "ée": "ie", "és": "is", "ées": "ies", "e": "it", "es": "is", "ent": "issent",
    "ait": "issait", "ais": "issais", "aient": "issaient", "ant": "issant", "ons": "issons", "ez": "issez",
    "a": "it", "èrent": "irent",
}


def _stem_variants(stem: str, add: str) -> list[str]:
    out = []
    if add[:1] in ("a", "o") and stem.endswith("c"):
        out.append(stem[:-1] + "ç" + add)
    if add[:1] in ("a", "o") and stem.endswith("g"):
        out.append(stem + "e" + add)
    if stem.endswith("y"):
        out.append(stem[:-1] + "i" + add)
    for k in range(len(stem) - 1, max(len(stem) - 4, 0), -1):
        if stem[k] in "eé":
            out.append(stem[:k] + "è" + stem[k + 1:] + add)
            break
    if stem[-1:] in ("l", "t"):
        out.append(stem + stem[-1] + add)
    return out


#: Past-participle endings tried for a verb, by infinitive ending, in order.
_PARTICIPLE_TRIES = {"er": ("é",), "ir": ("i", "u", "ert"), "re": ("u", "it", "is", "t"), "oir": ("u",)}
#: Adverbs that may stand between an auxiliary and its participle ("a également noté").
_BETWEEN_AUX = frozenset("pas plus déjà aussi bien toujours jamais encore également même enfin récemment "
                         "finalement notamment ensuite alors vite souvent".split())


@lru_cache(maxsize=16384)
def participle(verb: str) -> str | None:
    """Masculine singular past participle of an infinitive, or None.

    Candidates end like participles (é, i, u, it, is, t, ert) and must be
    known to simplemma with their feminine and plural (fait/faite/faits;
    rejects mit, fais, dis), and lemmatise to the verb or to themselves.
    """
    ending = verb_ending(verb)
    if ending is None:
        return None
    for end in _PARTICIPLE_TRIES.get(ending, ()):
        for k in range(len(verb) - len(ending), 0, -1):
            form = verb[:k] + end
            stem_kept = k >= len(verb) - len(ending) - 1
            if not is_known(form) or not (lemma(form) == verb or (lemma(form) == form and stem_kept)):
                continue
            if is_known(form + "e") and (form.endswith("s") or is_known(form + "s")):
                return form
    return None


def participle_like(target: str, matched_form: str, matched_lemma: str) -> str | None:
    """Past participle of ``target`` agreeing like the participle ``matched_form`` (élevée -> promue)."""
    mp, tp = participle(matched_lemma), participle(target)
    if mp is None or tp is None or not matched_form.startswith(mp):
        return None
    agree = matched_form[len(mp):]
    if agree not in ("", "e", "s", "es"):
        return None
    out = tp + (agree if not (agree.startswith("s") and tp.endswith("s")) else agree[1:])
    return out if (out == tp or is_known(out)) else None


def after_auxiliary(toks, k: int) -> bool:
    """Is token k preceded by a form of avoir/être (adverbs allowed in between)?"""
    n = k - 1
    skipped = 0
    while n >= 0 and skipped <= 2:
        w = toks[n][2]
        if lemma(w) in ("avoir", "être") and w not in ("avoir", "être"):
            return True
        if w in _BETWEEN_AUX or w.endswith("ment"):
            n -= 1
            skipped += 1
            continue
        return False
    return False


def guess_infinitive(form: str) -> str | None:
    """Infinitive of a verb form simplemma does not know, from the learnt endings.

    ``impacté`` -> ``impacter`` (ending "é" of the -er group). Only -er verbs
    (the open class where new verbs appear); None if several readings remain.
    """
    sufs = paradigms().get("er", ())
    # the longest ending wins: "impactée" -> impact|ée, not impacté|e
    for s in sorted((s for s in sufs if s and s != "er"), key=len, reverse=True):
        if form.endswith(s) and len(form) - len(s) >= 3:
            return form[: len(form) - len(s)] + "er"
    return None
