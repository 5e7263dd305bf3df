#!/usr/bin/env python3
"""Entity restoration accuracy on the generated test sets, for both paths.

* thesaurus path (default install): word-level evidence only;
* thesaurus + embeddings (extra ``entities-embed``): similarity added as evidence;
* embeddings alone (reference only, never used to act): nearest gazetteer name.

Reports top-1 (the best suggestion of the finding on the garbled span is the
right name, as :mod:`mtrepair.entities.evaluation` defines it), applied-correct (that finding would be applied at the default
threshold), applied-wrong, and findings on the correct-mention set.
Run: ``python bench/entity_accuracy.py`` (after ``bench/make_entity_testset.py``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mtrepair.config import RepairConfig  # noqa: E402
from mtrepair.document import Document  # noqa: E402
from mtrepair.entities import EntityPass  # noqa: E402
from mtrepair.entities.evaluation import read_testset, score_garbled  # noqa: E402

DATA = REPO / "tests" / "data"


def rows(name):
    return read_testset(DATA / name)


def evaluate(p: EntityPass, label: str) -> None:
    t0 = time.perf_counter()
    score = score_garbled(p, rows("entities_garbled.tsv"), p.config.min_confidence)
    correct = rows("entities_correct.tsv")
    touched = sum(1 for r in correct if p.find(Document(r[1])))
    n = score.cases
    dt = time.perf_counter() - t0
    print(f"{label:<28} top-1 {score.top1}/{n} = {score.top1 / n:.1%}   applied correct {score.applied_right / n:.1%}   "
          f"applied wrong {score.applied_wrong}/{n}   correct mentions touched {touched}/{len(correct)}   ({dt:.1f} s)")


def embedding_alone(embedder) -> None:
    garbled = rows("entities_garbled.tsv")
    hit = sum(1 for r in garbled if embedder.nearest(r[2], 1)[0][0] == r[3])
    print(f"{'embeddings alone (nearest)':<28} top-1 {hit}/{len(garbled)} = {hit / len(garbled):.1%}   "
          "(reference only: never used to act)")


def main() -> int:
    evaluate(EntityPass(RepairConfig()), "thesaurus path (default)")
    p = EntityPass(RepairConfig(entity_embeddings=True))
    if p.embedder is None:
        print("embeddings: not measured:", "; ".join(p.notes))
        return 0
    evaluate(p, "thesaurus + embeddings")
    embedding_alone(p.embedder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
