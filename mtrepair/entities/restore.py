"""Undo the spinner: map a suspicious span back to gazetteer names.

For each word of the span, the name words it could have come from are: itself,
the words it is a thesaurus synonym of (reverse index), and -- for at most one
word -- a close spelling. A gazetteer name of the same length whose every word
is reachable this way is a candidate. Candidates are ranked by how many words
had to change, how close the synonyms are, whether the name's type fits the
French context (cue), whether the same name is written correctly elsewhere in
the document, and (optionally) sentence-embedding similarity.

Pure functions over the gazetteer and synonym index; no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from ..tokens import tokenize
from .gazetteer import NAME_FUNCTION_WORDS, Gazetteer, NameForm
from .language import could_be_english
from .spans import Cue
from .synonyms import SynonymIndex

#: Minimum normalised similarity (0..1) for a one-word spelling repair.
SPELLING_MIN_SIMILARITY = 0.8
#: Shortest word that may be repaired by spelling.
SPELLING_MIN_LENGTH = 4

# Ranking weights (see README "Entity restoration" for the rationale).
W_KEPT = 0.15        # per content word kept as is
W_CHANGED = 0.10     # penalty per changed word
W_TYPE_FIT = 0.30    # the cue announces this type
W_TYPE_CLASH = 0.20  # the cue announces another type
W_CONSISTENT = 1.00  # the name is written correctly elsewhere in the document
W_ECHO = 0.50        # the same garbled words were restored to this name elsewhere
W_SIMILARITY = 0.10  # sentence-embedding cosine (embedding extra only): a tie-breaker
W_LENGTH = 0.05      # prefer explaining more words
W_LEFTOVER = 0.15    # per capitalised word of the run left outside the name

#: Articles of other languages that open names (« Der Standard », « El País », « Il Sole 24 Ore »):
#: like *The* or *Le*, they carry no meaning of the name, so they never count as a kept content word
#: (« Der Zeitgeist » keeps no word of « Der Standard »).
FOREIGN_NAME_ARTICLES = frozenset({"der", "die", "das", "el", "il"})
#: Words a span keeps or changes without saying which name it is.
NON_CONTENT_WORDS = NAME_FUNCTION_WORDS | FOREIGN_NAME_ARTICLES

#: Head nouns of newspaper and magazine titles. A span whose changed word is one of them
#: (« The Evening Post », « The Sunday Mail ») has the shape of a paper's own name: countless real
#: papers are called « <Place or time> Post/Times/Herald… », and a thesaurus links these nouns to
#: one another (Post ↔ Standard, Gazette ↔ News), so the link says nothing about which paper it is.
MASTHEAD_WORDS = frozenset("""
    post times journal herald mail news star standard tribune chronicle gazette echo express record
    observer telegraph review mirror guardian examiner courier press globe monitor register inquirer
    enquirer independent sun daily weekly report bulletin dispatch advertiser leader argus sentinel
    magazine quarterly digest zeitung spiegel gazzetta diario courrier quotidien hebdo
""".split())
#: The types whose names follow the masthead pattern.
MASTHEAD_TYPES = frozenset({"outlet", "newsletter"})


@dataclass(frozen=True)
class Doubt:
    """Evidence that a span is another real name written right, not a garbled one."""

    reason: str  # for the explanation
    #: the name written correctly (or restored with confidence) elsewhere in the document
    #: outweighs it (not for a span that is itself a known name of the same type, nor for one
    #: glued to more words of a longer name)
    overruled_by_document: bool = True


@dataclass(frozen=True)
class WordMap:
    span_word: str
    name_word: str
    how: str  # "same", "synonym", "spelling"
    closeness: float

    def describe(self) -> str:
        if self.how == "same":
            return f"{self.span_word} = {self.name_word}"
        label = "thesaurus synonym" if self.how == "synonym" else "spelling"
        return f"{self.span_word} → {self.name_word} ({label}, {self.closeness:.2f})"


@dataclass(frozen=True)
class Candidate:
    form: NameForm
    words: tuple[WordMap, ...]
    cue: Cue | None
    consistent: bool
    similarity: float | None = None
    leftover: int = 0  # capitalised run words the span leaves unexplained
    #: unexplained name-like words of the run right before or after the span (« Bodley » in
    #: « the Bodley Head London »): the name written there is longer than the span
    glued: tuple[str, ...] = ()
    echo: bool = False  # the same garbled words were restored confidently elsewhere
    score: float = 0.0

    @property
    def changed(self) -> tuple[WordMap, ...]:
        return tuple(w for w in self.words if w.how != "same")

    @property
    def content(self) -> tuple[WordMap, ...]:
        return tuple(w for w in self.words if w.name_word.lower() not in NON_CONTENT_WORDS)

    @property
    def kept_content(self) -> int:
        return sum(1 for w in self.content if w.how == "same")

    @property
    def kept_words(self) -> int:
        """Content words kept as written that are words, not numbers: a year or a figure alone
        (« Vision 2030 » read in « Horizon 2030 ») is shared by too many names to vouch for one."""
        return sum(1 for w in self.content if w.how == "same" and not w.name_word.isdigit())

    @property
    def type_fit(self) -> int:
        if self.cue is None:
            return 0
        return 1 if self.form.entity.type in self.cue.types else -1

    @property
    def mean_closeness(self) -> float:
        ch = self.changed
        return sum(w.closeness for w in ch) / len(ch) if ch else 1.0


@lru_cache(maxsize=8192)
def _words_as_written(text: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(text))


def display_words(form: NameForm) -> tuple[str, ...]:
    return _words_as_written(form.text)


def generate(
    span_words: tuple[str, ...],
    span_texts: tuple[str, ...],
    locked: tuple[bool, ...],
    gaz: Gazetteer,
    syn: SynonymIndex,
) -> list[tuple[NameForm, tuple[WordMap, ...]]]:
    """Gazetteer names that the span could be a spun copy of (unranked)."""
    n = len(span_words)
    if n not in gaz.by_length:
        return []
    matched: dict[int, dict[int, tuple[str, float]]] = defaultdict(dict)
    for i, w in enumerate(span_words):
        options: list[tuple[str, str, float]] = [(w, "same", 1.0)]
        if not locked[i]:
            options.extend((src, "synonym", c) for src, c in syn.sources(w))
        for name_word, how, c in options:
            for fid in gaz.by_position.get((n, i, name_word), ()):
                cur = matched[fid].get(i)
                if cur is None or (cur[0] != "same" and (how == "same" or c > cur[1])):
                    matched[fid][i] = (how, c)
    out = []
    for fid, pos in matched.items():
        if len(pos) < n - 1 or (n == 1 and not pos):
            continue
        form = gaz.forms[fid]
        if len(pos) == n - 1:
            i = next(k for k in range(n) if k not in pos)
            a, b = span_words[i], form.words[i]
            if locked[i] or min(len(a), len(b)) < SPELLING_MIN_LENGTH:
                continue
            sim = Levenshtein.normalized_similarity(a, b)
            if sim < SPELLING_MIN_SIMILARITY:
                continue
            pos = dict(pos)
            pos[i] = ("spelling", round(sim, 2))
        if all(how == "same" for how, _ in pos.values()):
            continue  # the name itself (another casing): nothing to restore
        names = display_words(form)
        if len(names) != n:
            continue
        words = tuple(WordMap(span_texts[k], names[k], pos[k][0], pos[k][1]) for k in range(n))
        # The spinner writes English: if every changed word is plainly French
        # (unknown in English), this is French text, not a spun name.
        if not any(
            w.how == "spelling" or could_be_english(span_words[k])
            for k, w in enumerate(words)
            if w.how != "same"
        ):
            continue
        out.append((form, words))
    return out


def near_competitors(best: Candidate, span_words: tuple[str, ...], gaz: Gazetteer,
                     syn: SynonymIndex) -> list[NameForm]:
    """Other names one synonym step further away ("Monetary" -> economic -> financial).

    Thesauri are patchy: when the word a spinner wrote is linked to the best
    name's word but a synonym of that word also completes another real name,
    the restoration is less certain than uniqueness suggests.
    """
    n = len(span_words)
    names = best.form.words
    out: list[NameForm] = []
    for i, w in enumerate(best.words):
        if w.how != "synonym":
            continue
        for first_hop, _ in syn.sources(span_words[i]):
            for second_hop, _ in syn.sources(first_hop) + ((first_hop, 1.0),):
                if second_hop == names[i]:
                    continue
                key = names[:i] + (second_hop,) + names[i + 1 :]
                for form in gaz.exact.get(key, ()):
                    if form.entity.name != best.form.entity.name and form not in out:
                        out.append(form)
        if len(out) > 3:
            break
    return out[:3] if n else []


def rank_score(c: Candidate) -> float:
    s = sum(w.closeness for w in c.words) / len(c.words)
    s += W_KEPT * c.kept_content - W_CHANGED * len(c.changed) + W_LENGTH * len(c.words)
    s -= W_LEFTOVER * c.leftover
    if c.type_fit > 0:
        s += W_TYPE_FIT
    elif c.type_fit < 0:
        s -= W_TYPE_CLASH
    if c.consistent:
        s += W_CONSISTENT
    elif c.echo:
        s += W_ECHO
    if c.similarity is not None:
        s += W_SIMILARITY * c.similarity
    return s


# Confidence calibration (checked on the garbled test set, see bench/).
C_BASE = 0.45
C_KEPT = 0.25          # times the share of content words kept
C_CLOSENESS = 0.10     # times the mean closeness of changed words
C_ENGLISH = 0.10       # the span reads as English inside French text
C_CUE_FIT = 0.20
C_CUE_CLASH = 0.15
C_CONSISTENT = 0.35
C_ECHO = 0.25          # the same garbled words were restored elsewhere (with confidence)
C_SPELLING = 0.10      # penalty when a word was repaired by spelling
C_ANCHOR = 0.10       # a kept word is distinctive (no thesaurus lists it: "Microsoft")
C_UNIQUE = 0.05       # no other name is reachable from the span
C_AMBIGUOUS = 0.25
C_NEAR = 0.10         # penalty when a name one synonym step further also exists
C_NEAR_MEANING = 0.10 # ...and the embedding finds that name nearer in meaning too
#: Embedding margin that settles a tie between thesaurus candidates.
SIMILARITY_DECISIVE = 0.05     # penalty when another name ranks almost as high
C_SIMILARITY = 0.10    # times (similarity - 0.5), embedding extra only
C_MAX = 0.97
#: Highest confidence of a finding that is only reported (a doubt, or nothing vouches for it).
C_REPORTED_MAX = 0.5
#: Runner-up within this score margin counts as a close competitor.
AMBIGUITY_MARGIN = 0.15


def confidence(best: Candidate, runner_up: Candidate | None, english: bool,
               anchored: bool = False, near: bool = False,
               near_meaning: bool = False, french: bool = False,
               doubts: tuple[Doubt, ...] = ()) -> tuple[float, str]:
    """Calibrated confidence and mode ("auto" or "report") for the best candidate.

    ``doubts`` (see :func:`doubts_about`) make it a report, never applied, unless the document
    vouches for the name and the doubt gives way to that."""
    content = best.content or best.words
    conf = C_BASE + C_KEPT * (best.kept_content / len(content)) + C_CLOSENESS * best.mean_closeness
    if english:
        conf += C_ENGLISH
    if best.type_fit > 0:
        conf += C_CUE_FIT
    elif best.type_fit < 0:
        conf -= C_CUE_CLASH
    if best.consistent:
        conf += C_CONSISTENT
    elif best.echo:
        conf += C_ECHO
    if anchored:
        conf += C_ANCHOR
    if runner_up is None and not near and not near_meaning:
        conf += C_UNIQUE
    if near and not best.consistent:
        conf -= C_NEAR
    if near_meaning and not best.consistent:
        conf -= C_NEAR_MEANING
    if any(w.how == "spelling" for w in best.words):
        conf -= C_SPELLING
    if runner_up is not None and not best.consistent and best.score - runner_up.score < AMBIGUITY_MARGIN:
        decisive = (best.similarity is not None and runner_up.similarity is not None
                    and best.similarity - runner_up.similarity >= SIMILARITY_DECISIVE)
        conf -= C_AMBIGUOUS / 2 if decisive else C_AMBIGUOUS
    if best.similarity is not None:
        conf += C_SIMILARITY * (best.similarity - 0.5)
    conf = max(0.05, min(C_MAX, conf))
    mode = "auto"
    # Every content word changed and nothing around it vouches for the name: report it, never
    # apply it. A number kept alone does not vouch for a span whose words all read as French
    # (``french``),
    # nor does a context that fits the type (« le plan Horizon 2030 de la métropole » is a plan's
    # own name, not « Vision 2030 » garbled); in other words it may (« Move 365 » in a French
    # article is a garbled « Dynamics 365 »). Only the name written correctly, or restored with
    # confidence, elsewhere in the document does then.
    vouched = best.consistent or best.echo
    if not vouched and (best.kept_content == 0 and best.type_fit <= 0
                        or best.kept_words == 0 and french):
        mode = "report"
        conf = min(conf, C_REPORTED_MAX)
    if any(not (vouched and d.overruled_by_document) for d in doubts):
        mode = "report"
        conf = min(conf, C_REPORTED_MAX)
    return round(conf, 3), mode


def doubts_about(best: Candidate, span_keys: tuple[str, ...], gaz: Gazetteer) -> tuple[Doubt, ...]:
    """What says the span is a real name of its own, not ``best`` garbled (clean text audit:
    « The Evening Post » → « Evening Standard », « the Bodley Head London » → « Frieze London »,
    « Le Salon » → « Le Monde »). ``span_keys``: the span's matching keys, as in the gazetteer."""
    out: list[Doubt] = []
    synonyms = [(k, w) for k, w in zip(span_keys, best.words) if w.how == "synonym"]
    name_content = best.content or best.words
    if best.glued and synonyms and 2 * best.kept_content <= len(name_content):
        # A spelling repair keeps the word (« Colombia University Press »); a synonym does not.
        # A span that kept most of its name's words is that name in a longer phrase (« Selon le
        # Wall Road Journal Europe »); one that kept half or less is another name (« The Sunday
        # Post », « Proceedings of Israel Academy »). The document cannot vouch: pasting the
        # name would leave those words around it.
        out.append(Doubt("the capitalised words around it (« " + " ".join(best.glued)
                         + " ») belong to the same name, longer than the one proposed",
                         overruled_by_document=False))
    ent = best.form.entity
    heads = [w.span_word for k, w in synonyms if k in MASTHEAD_WORDS]
    if ent.type in MASTHEAD_TYPES and heads:
        out.append(Doubt(f"« {heads[0]} » heads newspaper titles: the span reads as another paper's name"))
    foreign = [w.span_word for w in best.words if w.how == "same" and w.name_word.lower() in FOREIGN_NAME_ARTICLES]
    if foreign and best.kept_content == 0:
        # « Selon Der Zeitgeist »: only the article of a German (Spanish, Italian) name is left, and
        # the papers of those languages the gazetteer does not list all start with it.
        out.append(Doubt(f"only the article « {foreign[0]} » of the name is left: the span reads as "
                         "another name in that language"))
    content = tuple(k for k in span_keys if k not in NON_CONTENT_WORDS)
    if content and content != span_keys and any(f.entity.type == ent.type for f in gaz.exact.get(content, ())):
        other = next(f for f in gaz.exact[content] if f.entity.type == ent.type)
        out.append(Doubt(f"« {other.text} » is itself a known {ent.type} name", overruled_by_document=False))
    return tuple(out)
