"""How many joins of sentences cut inside a quotation the quoted-verse cue turns into reports.

The broken-lines pass reports (does not join) the breaks of a quotation laid out in lines after
« : » (verse, lyrics, a slogan: ``RepairConfig.quoted_verse_max_chars``). A sentence a scraper cut
inside such a quotation looks the same, so this measures the cost on real sentences: every
sentence of ../shared/corpus/fr that quotes after « : » and ends with the quotation, cut like a
scraper cuts (at word boundaries), set between two other sentences one per line. Two scenarios:

- ``random``: one or two cuts at random word boundaries;
- ``quote-start``: a cut right before « (an inline element around the quotation) and a random
  cut inside the quotation (the worst case for the cue).

Counts, per scenario, the cut breaks the pass joins or reports with the cue off (0) and on (the
default). Run: ``python bench/linebreak_quotes.py`` (needs ../shared; prints a reason without it).
"""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path

from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.passes.linebreaks import find_broken_lines

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "fr"
NAMES = ("debats-assemblee-nationale", "wikisource", "libretheatre", "gutenberg")
#: A sentence that ends with a quotation opened after a colon.
QUOTING = re.compile(r":\s*«[^«»]{3,}»\s*[.!?…]?$")
BEFORE, AFTER = "Le débat a repris en fin de matinée.", "La séance est levée à midi."


def quoting_sentences(limit: int = 1500, seed: int = 1) -> list[str]:
    found = []
    for name in NAMES:
        with gzip.open(CORPUS / f"{name}.txt.gz", "rt", encoding="utf-8") as fh:
            found.extend(s for s in (line.strip() for line in fh) if QUOTING.search(s) and len(s.split()) >= 6)
    random.Random(seed).shuffle(found)
    return found[:limit]


def cut_points(words: list[str], scenario: str, rng: random.Random) -> list[int] | None:
    if scenario == "random":
        return rng.sample(range(1, len(words)), min(rng.choice((1, 2)), len(words) - 1))
    q = next(i for i, w in enumerate(words) if w.startswith("«"))
    return None if len(words) - q < 3 else [q, rng.randrange(q + 1, len(words))]


def measure(sentences: list[str], scenario: str, max_chars: int, seed: int = 7) -> dict[str, int]:
    rng, config = random.Random(seed), RepairConfig(quoted_verse_max_chars=max_chars)
    counts = {"sentences": 0, "cut breaks found": 0, "joined": 0, "reported": 0}
    for sentence in sentences:
        words = sentence.split()
        points = cut_points(words, scenario, rng)
        if points is None:
            continue
        bounds = [0, *sorted(points), len(words)]
        pieces = [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:])]
        text = "\n".join([BEFORE, *pieces, AFTER])
        breaks, pos = set(), len(BEFORE) + 1
        for piece in pieces[:-1]:
            pos += len(piece)
            breaks.add(pos)
            pos += 1
        counts["sentences"] += 1
        for finding in find_broken_lines(Document(text), config):
            if finding.start in breaks:
                counts["cut breaks found"] += 1
                counts["joined" if finding.mode == "auto" else "reported"] += 1
    return counts


def main() -> int:
    if not all((CORPUS / f"{n}.txt.gz").is_file() for n in NAMES):
        print(f"skipped: the shared corpus is not at {CORPUS}")
        return 0
    sentences = quoting_sentences()
    print(f"{len(sentences)} sentences quoting after « : »")
    for scenario in ("random", "quote-start"):
        for max_chars in (0, RepairConfig().quoted_verse_max_chars):
            print(f"{scenario:12} quoted_verse_max_chars={max_chars:<3} {measure(sentences, scenario, max_chars)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
