"""The data that flows through mtrepair: findings, edits and results.

Every object here is an immutable, typed dataclass. Offsets are code-point
offsets into the *original* input string (Python ``str`` indices), ``end``
exclusive, so ``text[start:end] == span``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Mapping


class Category(str, Enum):
    """Families of artifacts that mtrepair knows about."""

    CALQUE = "calque"
    ENTITY = "entity"
    BOILERPLATE = "boilerplate"
    LINEBREAK = "linebreak"
    MISTRANSLATION = "mistranslation"
    GRAMMAR = "grammar"
    TYPOGRAPHY = "typography"
    FOREIGN = "foreign"

    def __str__(self) -> str:  # "calque", not "Category.CALQUE"
        return self.value


ALL_CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)


@dataclass(frozen=True)
class Source:
    """Where a finding comes from.

    ``kind`` is one of ``glossary``, ``model``, ``heuristic``, ``gazetteer``;
    ``name`` names the rule file, model or heuristic; ``line`` is the line in
    the rule file where the entry starts (``None`` for non-file sources).
    """

    kind: str
    name: str
    line: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.kind}:{self.name}:{self.line}"
        return f"{self.kind}:{self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "line": self.line}


@dataclass(frozen=True)
class Finding:
    """A suspicious span, with ranked suggestions and the evidence.

    A finding becomes an :class:`Edit` when its best suggestion is applied.
    ``suggestions`` may be empty (report only); ``""`` as a suggestion means
    "delete the span".
    """

    start: int
    end: int
    span: str
    category: str
    rule: str
    source: Source
    suggestions: tuple[str, ...]
    confidence: float
    explanation: str
    mode: str = "auto"  # auto: may be applied; check: only if the model agrees; report: never applied
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad finding offsets {self.start}..{self.end}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1], got {self.confidence}")

    @property
    def best(self) -> str | None:
        return self.suggestions[0] if self.suggestions else None

    def to_edit(self, replacement: str | None = None) -> "Edit":
        chosen = self.best if replacement is None else replacement
        if chosen is None:
            raise ValueError(f"finding {self.rule} has no suggestion to apply")
        return Edit(
            start=self.start,
            end=self.end,
            original=self.span,
            replacement=chosen,
            category=self.category,
            rule=self.rule,
            source=self.source,
            confidence=self.confidence,
            explanation=self.explanation,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "span": self.span,
            "category": str(self.category),
            "rule": self.rule,
            "source": str(self.source),
            "suggestions": list(self.suggestions),
            "confidence": round(self.confidence, 4),
            "explanation": self.explanation,
            "mode": self.mode,
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class Edit:
    """One applied change: ``original[start:end]`` became ``replacement``."""

    start: int
    end: int
    original: str
    replacement: str
    category: str
    rule: str
    source: Source
    confidence: float
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "replacement": self.replacement,
            "category": str(self.category),
            "rule": self.rule,
            "source": str(self.source),
            "confidence": round(self.confidence, 4),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class RepairResult:
    """What :func:`mtrepair.repair` returns.

    ``apply_edits(original, edits) == text`` always holds.
    ``findings`` are the findings that were *not* applied (below the
    confidence threshold, report-only, vetoed by the model, or overlapping a
    stronger edit).
    """

    original: str
    text: str
    edits: tuple[Edit, ...]
    findings: tuple[Finding, ...]
    scores: Mapping[str, Any] = field(default_factory=dict)
    signature: str = ""

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "edits": [e.to_dict() for e in self.edits],
            "findings": [f.to_dict() for f in self.findings],
            "scores": dict(self.scores),
            "signature": self.signature,
        }


def as_plain(obj: Any) -> Any:
    """Dataclass → plain dict (for JSON), leaving other values alone."""
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if hasattr(obj, "__dataclass_fields__"):
        return asdict(obj)
    return obj
