"""Typed data of the glossary: entries, context constraints, matches, errors."""

from __future__ import annotations

from dataclasses import dataclass, field

FAMILIES = ("reporting", "business", "technology", "glue", "spinning", "boilerplate", "entities", "user-defined")
CATEGORIES = ("calque", "mistranslation", "grammar", "typography", "boilerplate", "entity", "foreign")
MODES = ("auto", "check", "report")
POSITIONS = ("any", "sentence-start", "sentence-end", "line", "block-start", "after-quote")
SCOPES = ("span", "sentence", "line", "paragraph")
DEFAULT_WINDOW = 6


class GlossaryError(ValueError):
    """A glossary file problem; ``str(err)`` is ``file:line: reason``."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Context:
    window: int = DEFAULT_WINDOW
    require: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    position: str = "any"
    #: Boilerplate labels that are also ordinary headings (« Newsletter », « Mentions légales »):
    #: words of the content such a line may head or belong to (see the boilerplate pass).
    #: Not a matching condition.
    topic: tuple[str, ...] = ()
    #: Doubled-word entries (« les les »): no word of the match may start with a capital after a
    #: lower-case one. A stutter keeps the case (« les les », « Les les » at a sentence start);
    #: « une Une halte », « sur SUR, prép. » is a heading or dictionary entry glued across a lost
    #: line or sentence boundary.
    same_case: bool = False
    #: The token right before the match must be one of these normalised forms (exact, case-
    #: insensitive; nothing before it, or punctuation, fails). For a word that is also a verb
    #: form: BIZ-0237 « coupe des coûts » is the noun after « la », « une », « de »…, not the
    #: verb after its subject (« Le gouvernement coupe des coûts »).
    preceded_by: tuple[str, ...] = ()

    @property
    def is_default(self) -> bool:
        return (not self.require and not self.forbid and self.position == "any" and not self.same_case
                and not self.preceded_by)


@dataclass(frozen=True)
class Entry:
    id: str
    family: str
    pattern: str
    replace: tuple[str, ...]
    category: str = "calque"
    confidence: float = 0.5
    mode: str = "auto"
    gender: str | None = None
    number: str | None = None
    context: Context = field(default_factory=Context)
    scope: str = "span"
    example: str = ""
    expect: str | None = None
    counter: tuple[str, ...] = ()
    note: str = ""
    path: str = ""
    line: int = 0
    #: 0 for shipped files, 1 for user files (higher wins ties).
    rank: int = 0

    @property
    def prefix(self) -> str:
        return self.id.split("-", 1)[0]

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "family": self.family,
            "pattern": self.pattern,
            "replacements": list(self.replace),
            "category": self.category,
            "confidence": self.confidence,
            "mode": self.mode,
            "gender": self.gender,
            "number": self.number,
            "context": {
                "window": self.context.window,
                "require": list(self.context.require),
                "forbid": list(self.context.forbid),
                "position": self.context.position,
                "topic": list(self.context.topic),
            },
            "scope": self.scope,
            "note": self.note,
            "path": self.path,
            "line": self.line,
        }


@dataclass(frozen=True)
class GlossaryMatch:
    """One place where an entry applies.

    ``start``/``end`` are offsets into ``doc.text``; the span may be wider
    than the pattern (agreement of a preceding determiner/adjective, an
    elided word before it, or the ``scope`` of a boilerplate entry).
    ``suggestions`` are ready to paste (inflected, agreed, elided, cased).
    ``mode`` is the entry's mode, or ``"report"`` when the engine could not
    build a correct form (``notes`` says why).
    """

    entry: Entry
    start: int
    end: int
    suggestions: tuple[str, ...]
    mode: str = "auto"
    span: str = ""
    pattern_start: int = 0
    pattern_end: int = 0
    variant: str = ""
    notes: tuple[str, ...] = ()
