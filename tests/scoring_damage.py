"""Seeded clean / lightly damaged / heavily damaged triples for the scoring ordering test.

Damage comes from the glossary itself, inverted: every ``auto`` entry carries an
``example`` sentence (with the calque) and its ``expect`` sentence (the same
sentence repaired, correct French). For each clean news paragraph of
``tests/data/clean/paragraphs.jsonl``, three ``expect`` sentences of different
entries are inserted at random sentence boundaries (the *clean* version, still
clean French); then

* *light*: one of the three is replaced by its ``example`` (one calque);
* *heavy*: all three are replaced by their ``example`` (three calques).

So the three versions differ only in the calques, the surrounding text is real
news prose, and heavy has strictly more damage than light. (Replacing correct
phrases *in place* inside the paragraphs was tried first: with the glossary's
current families fewer than ten paragraphs contain two or more of the correct
phrases, too few for a meaningful figure.)

``check`` and ``report`` entries are not used: their phrases are legitimate
French in some contexts, so putting them in a sentence is not damage per se.
Nor are entries whose example sentence the whole pipeline does not flag, or
whose expected repair it still flags.

``python tests/scoring_damage.py`` prints the set's size and a sample.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CLEAN = DATA / "clean" / "paragraphs.jsonl"

#: Seed of the damage (which sentences, where, which get calques).
SEED = 20261127
#: Glossary sentences inserted per paragraph; light damages 1 of them, heavy all.
INSERTED = 3

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ«])")


@dataclass(frozen=True)
class Pair:
    correct: str  # the entry's expect sentence
    damaged: str  # the entry's example sentence
    entry: str  # glossary entry id


@dataclass(frozen=True)
class Triple:
    id: str
    clean: str
    light: str
    heavy: str
    entries: tuple[str, ...]  # light damages entries[0]; heavy all


def _detected(text: str, config) -> bool:
    """Does mtrepair (the whole pipeline, as shipped) report an artifact in ``text``?"""
    import mtrepair

    return any(
        f.confidence >= config.scoring.finding_min_confidence and str(f.category) not in ("linebreak", "typography")
        for f in mtrepair.detect(text, config)
    )


@lru_cache(maxsize=4)
def glossary_pairs(config=None) -> tuple[Pair, ...]:
    """(expect, example) sentence pairs of the glossary's auto entries that change the text and whose
    example sentence mtrepair actually flags (an entry the pipeline vetoes in isolation, e.g. by the
    model gate, would only test that glossary entry, not the index)."""
    from mtrepair.config import RepairConfig
    from mtrepair.glossary import load_glossary

    config = config or RepairConfig()
    out = []
    for e in load_glossary(config).entries:
        if e.mode != "auto" or not e.example or not e.expect or e.example.strip() == e.expect.strip():
            continue
        if str(e.category) == "boilerplate" or "\n" in e.example or "\n" in e.expect:
            continue
        if _detected(e.example, config) and not _detected(e.expect, config):
            out.append(Pair(e.expect.strip(), e.example.strip(), e.id))
    return tuple(sorted(out, key=lambda p: p.entry))


def _insert(sentences: list[str], where: list[int], inserted: list[str]) -> str:
    out = list(sentences)
    for pos, sent in sorted(zip(where, inserted), key=lambda x: -x[0]):
        out.insert(pos, sent)
    return " ".join(out)


def build_triples(pairs: list[Pair] | None = None, seed: int = SEED, limit: int | None = None) -> list[Triple]:
    """Triples for the clean paragraphs (single-line ones), deterministic for a seed."""
    pairs = list(pairs if pairs is not None else glossary_pairs())
    if len(pairs) < INSERTED:
        raise ValueError(f"the glossary has {len(pairs)} usable auto entries; the damage needs {INSERTED}")
    rng = random.Random(seed)
    records = [json.loads(line) for line in CLEAN.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [r for r in records if "\n" not in r["text"]]
    if limit is not None:
        records = rng.sample(records, min(limit, len(records)))
    triples = []
    for rec in records:
        sentences = _SENTENCE_END.split(rec["text"].strip())
        chosen = rng.sample(pairs, INSERTED)
        where = [rng.randint(0, len(sentences)) for _ in chosen]
        clean = _insert(sentences, where, [p.correct for p in chosen])
        light = _insert(sentences, where, [chosen[0].damaged] + [p.correct for p in chosen[1:]])
        heavy = _insert(sentences, where, [p.damaged for p in chosen])
        triples.append(Triple(rec["id"], clean, light, heavy, tuple(p.entry for p in chosen)))
    return triples


if __name__ == "__main__":  # pragma: no cover
    pairs = glossary_pairs()
    triples = build_triples(pairs)
    print(f"{len(pairs)} auto entries usable; {len(triples)} triples")
    t = triples[0]
    print(f"{t.id} {t.entries}\nclean: {t.clean}\nlight: {t.light}\nheavy: {t.heavy}")
