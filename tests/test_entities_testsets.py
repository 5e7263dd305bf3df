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

DATA = Path(__file__).resolve().parent / "data"
THRESHOLD = RepairConfig().min_confidence


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def entity_pass() -> EntityPass:
    return EntityPass(RepairConfig())


def test_garbled_names_restored_top1(entity_pass):
    rows = _rows("entities_garbled.tsv")
    assert len(rows) >= 300
    top1 = applied_ok = wrong_applied = 0
    for _id, sentence, garbled, expected, _type, _k in rows:
        start = sentence.index(garbled)
        end = start + len(garbled)
        hits = [f for f in entity_pass.find(Document(sentence)) if f.start < end and start < f.end]
        if not hits:
            continue
        f = max(hits, key=lambda f: f.end - f.start)
        right = f.evidence["entity"] == expected and f.best.endswith(expected.split()[-1])
        top1 += right
        if f.mode == "auto" and f.confidence >= THRESHOLD:
            applied_ok += right
            wrong_applied += not right
    n = len(rows)
    assert top1 / n >= 0.90, f"top-1 {top1}/{n}"
    assert applied_ok / n >= 0.85, f"applied correctly {applied_ok}/{n}"
    assert wrong_applied / n <= 0.01, f"applied a wrong name {wrong_applied}/{n}"


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
