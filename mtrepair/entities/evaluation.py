"""Scoring entity restoration on a garbled-name test set (tests and bench/entity_accuracy.py).

A test set is a TSV file of ``id, sentence, garbled span, expected name, type, words changed``
rows (``#`` lines are comments), as written by ``bench/make_entity_testset.py``. A case counts
as restored top-1 when the widest finding overlapping the garbled span names the expected entity
and its best suggestion, pasted, ends with the name's last word (so a finding that names the right
entity but would paste something else does not count).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..document import Document


def read_testset(path: Path) -> list[list[str]]:
    """The rows of a TSV test set (comment and empty lines skipped)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@dataclass(frozen=True)
class GarbledScore:
    """How an entity pass did on a garbled-name test set."""

    cases: int
    #: the best suggestion is the expected name
    top1: int
    #: ... and the finding would be applied (auto mode, confidence ≥ the threshold)
    applied_right: int
    #: a finding on the span would be applied with another name
    applied_wrong: int


def score_garbled(entity_pass, rows: list[list[str]], min_confidence: float) -> GarbledScore:
    """Run ``entity_pass`` on each row's sentence and score the finding on its garbled span."""
    top1 = applied_right = applied_wrong = 0
    for _id, sentence, garbled, expected, *_ in rows:
        start = sentence.index(garbled)
        end = start + len(garbled)
        hits = [f for f in entity_pass.find(Document(sentence)) if f.start < end and start < f.end]
        if not hits:
            continue
        finding = max(hits, key=lambda f: f.end - f.start)
        right = finding.evidence["entity"] == expected and finding.best.endswith(expected.split()[-1])
        top1 += right
        if finding.mode == "auto" and finding.confidence >= min_confidence:
            applied_right += right
            applied_wrong += not right
    return GarbledScore(len(rows), top1, applied_right, applied_wrong)
