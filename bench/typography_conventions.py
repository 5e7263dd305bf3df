"""What the Québec-usage rule of the typography pass costs in recall (not a test).

Takes 8-sentence extracts of ../shared/corpus/fr that the typography pass leaves alone (every mark
spaced), glues one spaced « ? », « ! » or « ; » back to its word (the MT error the pass exists for)
and counts how often the pass fixes it automatically with the default configuration and with
``typography_convention_min_marks = 0`` (no Québec convention: the document-wide majority alone).
A fix is lost when the glued mark was the document's only spaced ``? ! ;`` and it spaces a colon:
the document then reads as Québec usage.

    python bench/typography_conventions.py [--docs 3000] [--seed 5]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import random
import re
from pathlib import Path

from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.passes.typography import find_typography

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "fr"
FILES = ("gutenberg.txt.gz", "libretheatre.txt.gz", "wikisource.txt.gz", "debats-assemblee-nationale.txt.gz")
SPACED = re.compile(r"(?<=\w)[ \u00a0\u202f](?=[?!;])")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=3000, help="damaged extracts per corpus file")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}")
        return 1
    default, off = RepairConfig(model="none"), RepairConfig(model="none", typography_convention_min_marks=0)
    rng = random.Random(args.seed)
    for name in FILES:
        docs = fixed = fixed_off = 0
        with gzip.open(CORPUS / name, "rt", encoding="utf-8") as fh:
            lines = (line.rstrip("\n") for line in fh)
            while docs < args.docs:
                text = "\n".join(itertools.islice(lines, 8))
                if not text:
                    break
                marks = list(SPACED.finditer(text))
                if not marks or find_typography(Document(text), default):
                    continue
                docs += 1
                m = rng.choice(marks)
                damaged = Document(text[: m.start()] + text[m.end():])
                fixed += any(f.start == m.start() and f.mode == "auto" for f in find_typography(damaged, default))
                fixed_off += any(f.start == m.start() and f.mode == "auto" for f in find_typography(damaged, off))
        print(f"{name}: {docs} extracts, one ? ! ; glued: fixed {fixed} (convention off: {fixed_off}, "
              f"lost {fixed_off - fixed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
