"""Entity restoration on the generated test sets (bench/make_entity_testset.py).

Garbled names: restored top-1 in at least 90 % of cases and nothing wrong
applied; correct names (incl. short and generic ones): zero findings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.entities import EntityPass
from mtrepair.entities.evaluation import read_testset, score_garbled

DATA = Path(__file__).resolve().parent / "data"
THRESHOLD = RepairConfig().min_confidence


def _rows(name: str) -> list[list[str]]:
    return read_testset(DATA / name)


@pytest.fixture(scope="module")
def entity_pass() -> EntityPass:
    return EntityPass(RepairConfig())


def test_garbled_names_restored_top1(entity_pass):
    rows = _rows("entities_garbled.tsv")
    assert len(rows) >= 300
    score = score_garbled(entity_pass, rows, THRESHOLD)
    n = score.cases
    assert score.top1 / n >= 0.90, f"top-1 {score.top1}/{n}"
    assert score.applied_right / n >= 0.85, f"applied correctly {score.applied_right}/{n}"
    assert score.applied_wrong / n <= 0.01, f"applied a wrong name {score.applied_wrong}/{n}"


def test_correct_mentions_untouched(entity_pass):
    rows = _rows("entities_correct.tsv")
    assert len(rows) >= 500
    names = {r[2] for r in rows}
    assert {"Wired", "Axios", "Meta", "Medium", "The Atlantic"} <= names
    touched = [(r[1], [f.span for f in entity_pass.find(Document(r[1]))]) for r in rows]
    touched = [t for t in touched if t[1]]
    assert touched == []


def test_clean_negative_paragraphs_untouched(entity_pass):
    path = DATA / "clean" / "paragraphs.jsonl"
    if not path.exists():
        pytest.skip("negative set not present")
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) >= 100
    touched = [(t[:60], [f.span for f in entity_pass.find(Document(t))]) for t in texts]
    assert [t for t in touched if t[1]] == []
