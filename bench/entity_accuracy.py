#!/usr/bin/env python3
"""Entity restoration accuracy on the generated test sets, for both paths.

* thesaurus path (default install): word-level evidence only;
* thesaurus + embeddings (extra ``entities-embed``): similarity added as evidence;
* embeddings alone (reference only, never used to act): nearest gazetteer name.

Reports top-1 (the best suggestion of the finding on the garbled span is the
right name), applied-correct (that finding would be applied at the default
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

DATA = REPO / "tests" / "data"


def rows(name):
    return [l.split("\t") for l in (DATA / name).read_text(encoding="utf-8").splitlines()
            if l and not l.startswith("#")]


def evaluate(p: EntityPass, label: str) -> None:
    threshold = p.config.min_confidence
    garbled = rows("entities_garbled.tsv")
    top1 = ok = wrong = 0
    t0 = time.perf_counter()
    for _id, sentence, span, expected, _type, _k in garbled:
        s = sentence.index(span)
        e = s + len(span)
        hits = [f for f in p.find(Document(sentence)) if f.start < e and s < f.end]
        if not hits:
            continue
        f = max(hits, key=lambda f: f.end - f.start)
        right = f.evidence["entity"] == expected
        top1 += right
        if f.mode == "auto" and f.confidence >= threshold:
            ok += right
            wrong += not right
    correct = rows("entities_correct.tsv")
    touched = sum(1 for r in correct if p.find(Document(r[1])))
    n = len(garbled)
    dt = time.perf_counter() - t0
    print(f"{label:<28} top-1 {top1}/{n} = {top1 / n:.1%}   applied correct {ok / n:.1%}   "
          f"applied wrong {wrong}/{n}   correct mentions touched {touched}/{len(correct)}   ({dt:.1f} s)")


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
