"""Agreement, elision and case for glossary replacements.

Determiners and contractions are a closed class that no lemmatiser
describes, so they are listed here once (the only hand-written table of the
engine). Adjectives are inflected by derivation rules whose every output is
validated against simplemma's vocabulary (``ancien`` -> ``ancienne`` only if
simplemma knows ``ancienne`` and lemmatises it back to ``ancien``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import is_known, lemma

VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæ")
#: Common words whose initial h blocks elision ("le héros", "la hausse").
H_ASPIRE = frozenset(
    "hache haie haine hall halte hamac hameau hanche handicap hangar hanter harcèlement harceler hardi hareng "
    "haricot hasard hâte hausse haut hauteur héros hérisson hibou hiérarchie hisser hockey hollandais homard "
    "honte hors houle housse hublot huit hurler hutte hashtag hacker hacking hackathon hardware holding hub "
    "hamburger handball".split()
)

# Determiner lexemes: forms for (m, s), (f, s), plural (m), plural (f), and
# the form used before a vowel in the singular (None = same as the gendered form).
@dataclass(frozen=True)
class Det:
    ms: str
    fs: str
    mp: str
    fp: str
    ms_vowel: str | None = None
    fs_vowel: str | None = None

    def form(self, gender: str, number: str, vowel: bool) -> str:
        if number == "p":
            return self.mp if gender == "m" else self.fp
        if gender == "m":
            return (self.ms_vowel if vowel and self.ms_vowel else self.ms)
        return (self.fs_vowel if vowel and self.fs_vowel else self.fs)


DETS: dict[str, Det] = {
    "def": Det("le", "la", "les", "les", "l'", "l'"),
    "de_def": Det("du", "de la", "des", "des", "de l'", "de l'"),
    "a_def": Det("au", "à la", "aux", "aux", "à l'", "à l'"),
    "indef": Det("un", "une", "des", "des"),
    "dem": Det("ce", "cette", "ces", "ces", "cet", None),
    "poss1": Det("mon", "ma", "mes", "mes", None, "mon"),
    "poss2": Det("ton", "ta", "tes", "tes", None, "ton"),
    "poss3": Det("son", "sa", "ses", "ses", None, "son"),
    "poss4": Det("notre", "notre", "nos", "nos"),
    "poss5": Det("votre", "votre", "vos", "vos"),
    "poss6": Det("leur", "leur", "leurs", "leurs"),
    "quel": Det("quel", "quelle", "quels", "quelles"),
    "aucun": Det("aucun", "aucune", "aucuns", "aucunes"),
    "certain": Det("certain", "certaine", "certains", "certaines"),
    "chaque": Det("chaque", "chaque", "chaque", "chaque"),
}

# Single-token determiner forms -> (lexeme, gender or None, number or None).
DET_FORMS: dict[str, tuple[str, str | None, str | None]] = {
    "le": ("def", "m", "s"), "la": ("def", "f", "s"), "l'": ("def", None, "s"), "les": ("def", None, "p"),
    "du": ("de_def", "m", "s"), "des": ("de_def", None, "p"),
    "au": ("a_def", "m", "s"), "aux": ("a_def", None, "p"),
    "un": ("indef", "m", "s"), "une": ("indef", "f", "s"),
    "ce": ("dem", "m", "s"), "cet": ("dem", "m", "s"), "cette": ("dem", "f", "s"), "ces": ("dem", None, "p"),
    "mon": ("poss1", None, "s"), "ma": ("poss1", "f", "s"), "mes": ("poss1", None, "p"),
    "ton": ("poss2", None, "s"), "ta": ("poss2", "f", "s"), "tes": ("poss2", None, "p"),
    "son": ("poss3", None, "s"), "sa": ("poss3", "f", "s"), "ses": ("poss3", None, "p"),
    "notre": ("poss4", None, "s"), "nos": ("poss4", None, "p"),
    "votre": ("poss5", None, "s"), "vos": ("poss5", None, "p"),
    "leur": ("poss6", None, "s"), "leurs": ("poss6", None, "p"),
    "quel": ("quel", "m", "s"), "quelle": ("quel", "f", "s"), "quels": ("quel", "m", "p"), "quelles": ("quel", "f", "p"),
    "aucun": ("aucun", "m", "s"), "aucune": ("aucun", "f", "s"),
    "certain": ("certain", "m", "s"), "certaine": ("certain", "f", "s"),
    "certains": ("certain", "m", "p"), "certaines": ("certain", "f", "p"),
    "chaque": ("chaque", None, "s"),
}
# Two-token determiners: (first, second) -> lexeme, gender, number.
DET_PAIRS: dict[tuple[str, str], tuple[str, str | None, str | None]] = {
    ("de", "la"): ("de_def", "f", "s"), ("de", "l'"): ("de_def", None, "s"),
    ("à", "la"): ("a_def", "f", "s"), ("à", "l'"): ("a_def", None, "s"),
}

#: Adjectives that stand before the noun (their lemma); they agree with it.
PRENOMINAL = frozenset(
    "nouveau ancien grand petit autre même seul premier dernier beau bon vieux jeune gros mauvais prochain "
    "véritable vrai long haut futur principal simple unique large vaste énorme tout "
    # quantifying adjectives before the noun ("de nombreuses personnes", "diverses équipes")
    "nombreux divers différent".split()
)
#: Masculine singular forms used before a vowel.
VOWEL_MASC = {"nouveau": "nouvel", "beau": "bel", "vieux": "vieil", "fou": "fol", "mou": "mol"}

#: Elided forms and their full forms.
ELIDED = {"l'": None, "d'": "de", "qu'": "que", "j'": "je", "n'": "ne", "s'": "se", "m'": "me", "t'": "te",
          "c'": "ce", "jusqu'": "jusque", "lorsqu'": "lorsque", "puisqu'": "puisque", "quoiqu'": "quoique"}
ELIDABLE = {v: k for k, v in ELIDED.items() if v}
ELIDABLE.update({"le": "l'", "la": "l'"})


def starts_with_vowel(word: str) -> bool:
    w = word.lower()
    if not w:
        return False
    if w[0] in VOWELS:
        return True
    if w[0] == "h":
        return lemma(w) not in H_ASPIRE and w not in H_ASPIRE
    return False


def adjective_form(word: str, gender: str | None, number: str, vowel_next: bool,
                   before_adjective: bool = False) -> str | None:
    """Form of a prenominal adjective for gender/number, validated; None if unsure."""
    base = lemma(word)
    if base == "tout":
        if gender is None:
            gender = "f" if word in ("toute", "toutes") else "m"
        if number == "p" and gender == "m":
            # "tous les individus" (determiner) but "de tout nouveaux groupes" (adverb)
            return "tous" if word == "tous" or not before_adjective else "tout"
        if gender == "f":
            return "toutes" if number == "p" else "toute"
        return "tout"
    if gender is None:
        gender = "f" if _is_feminine(word, base) else "m"
    if gender == "m":
        sing = base
        if number == "p":
            return _plural(sing)
        return VOWEL_MASC.get(sing, sing) if vowel_next else sing
    fem = _feminine(base)
    if fem is None:
        return None
    return _plural(fem) if number == "p" else fem


def _is_feminine(word: str, base: str) -> bool:
    fem = _feminine(base)
    return fem is not None and word in (fem, fem + "s") and fem != base


def _feminine(base: str) -> str | None:
    if base.endswith("e") and not base.endswith("é"):
        return base  # -e: the same form for both genders, even for words simplemma does not list
    else:
        cands = []
        if base.endswith("eau"):
            cands.append(base[:-3] + "elle")
        if base.endswith(("en", "on")):
            cands.append(base + "ne")
        if base.endswith("eux"):
            cands.append(base[:-1] + "se")
        if base.endswith("f"):
            cands.append(base[:-1] + "ve")
        if base.endswith("er"):
            cands.append(base[:-2] + "ère")
        if base.endswith(("el", "eil")):
            cands.append(base + "le")
        if base.endswith("x"):
            cands.append(base[:-1] + "lle")
            cands.append(base[:-1] + "ille")
            cands.append(base[:-2] + "ille")  # vieux -> vieille
        if base.endswith("s"):
            cands.append(base + "se")  # gros -> grosse, bas -> basse
        if base.endswith("g"):
            cands.append(base + "ue")  # long -> longue
        cands.append(base + "e")
    for c in cands:
        if is_known(c) and lemma(c) == base:
            return c
    return None


def _plural(form: str, guess: bool = False) -> str | None:
    """Plural of ``form`` validated by simplemma; with ``guess``, the regular "+s" for words it does
    not list (used for a replacement's head noun only: "développeur" -> "développeurs"; words after
    the head such as "tech" are left alone when unknown)."""
    if form.endswith(("s", "x", "z")):
        return form
    cands = [form[:-1] + "ux"] if form.endswith("al") else []
    cands += [form[:-3] + "aux"] if form.endswith("ail") else []
    cands += [form + "x"] if form.endswith(("eau", "au", "eu", "ou")) else []
    cands.append(form + "s")
    for c in cands:
        # simplemma lemmatises some plurals to the feminine ("nouvelles" -> nouvelle) and that
        # feminine to the masculine ("nouvelle" -> nouveau): both are the same word here
        if is_known(c) and lemma(c) in (lemma(form), form):
            return c
    if guess and len(form) >= _MIN_REGULAR_PLURAL and form[-1:].isalpha() and not form.endswith(_SPECIAL_PLURAL_ENDINGS):
        return form + "s"  # the regular plural, for words simplemma does not list ("développeurs")
    return None


#: Endings whose plural is not always "+s" (-al -> -aux, -ail, -au/-eu -> -x, -ou -> -s or -x): only
#: plurals simplemma knows are used for them.
_SPECIAL_PLURAL_ENDINGS = ("al", "ail", "au", "eu", "ou")
#: Shorter words (abbreviations such as "ia") are never given a guessed plural.
_MIN_REGULAR_PLURAL = 4


def match_case(original: str, replacement: str) -> str:
    """Carry the original's capitalisation over to the replacement."""
    if original.islower():  # no upper-case letter (the usual case): nothing to carry
        return replacement
    return carry_case(original, replacement)


def carry_case(original: str, replacement: str) -> str:
    """The definition of :func:`match_case` (without its shortcut for a lower-case original)."""
    letters = [c for c in original if c.isalpha()]
    if not replacement or not letters:
        return replacement
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    first = next((i for i, c in enumerate(replacement) if c.isalpha()), None)
    if first is None:
        return replacement
    if letters[0].isupper():
        return replacement[:first] + replacement[first].upper() + replacement[first + 1:]
    return replacement
