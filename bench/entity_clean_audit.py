#!/usr/bin/env python3
"""Entity restoration on clean French: every name the entity pass would change is a false fix.

Glues the sentences of ../shared/corpus/fr (debates, Gutenberg books, theatre, Wikisource and the
French side of Tatoeba; the whole corpus by default) into pseudo-articles of 2-6 paragraphs of
2-5 sentences, as /work/notes/audit_clean.py does, for each seed, and runs the entity pass alone on
them. Prints the findings that would be applied (mode auto, confidence >= min_confidence) with their
context, and a count of the reported ones. Not a test: the corpus is read-only input from ../shared.

Run: ``python bench/entity_clean_audit.py [--seeds 7 11 13] [--words N] [--sep '\\n\\n']
[--news FILE]``. ``--news`` also audits a file of hand-written news sentences (one a line,
``#`` comments), each taken alone as a document.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mtrepair.config import RepairConfig  # noqa: E402
from mtrepair.document import Document  # noqa: E402
from mtrepair.entities import EntityPass  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "fr"
FILES = ["debats-assemblee-nationale.txt.gz", "wikisource.txt.gz", "libretheatre.txt.gz", "gutenberg.txt.gz"]
TATOEBA = "tatoeba-fra-eng.tsv.gz"


def read_pools(root: Path) -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {}
    for name in FILES:
        with gzip.open(root / name, "rt", encoding="utf-8") as fh:
            pools[name] = [s for s in (line.strip() for line in fh) if s]
    if (root / TATOEBA).exists():
        with gzip.open(root / TATOEBA, "rt", encoding="utf-8") as fh:
            pools[TATOEBA] = [p[1].strip() for p in (line.rstrip("\n").split("\t") for line in fh)
                              if len(p) > 1 and p[1].strip()]
    return pools


def articles(pools: dict[str, list[str]], seed: int, sep: str, max_words: int | None):
    """Pseudo-articles (source, text) using every sentence once (or until ``max_words``)."""
    rng = random.Random(seed)
    order = {n: rng.sample(range(len(lines)), len(lines)) for n, lines in pools.items()}
    pos = {n: 0 for n in pools}
    words = 0
    live = [n for n in pools if pools[n]]
    while live and (max_words is None or words < max_words):
        n = rng.choice(live)
        paras = []
        for _ in range(rng.randint(2, 6)):
            k = rng.randint(2, 5)
            idx = order[n][pos[n] : pos[n] + k]
            pos[n] += k
            if idx:
                paras.append(" ".join(pools[n][i] for i in idx))
        if pos[n] >= len(order[n]):
            live.remove(n)
        if not paras:
            continue
        text = sep.join(paras)
        words += len(text.split())
        yield n, text


def show(f, text: str) -> str:
    ctx = text[max(0, f.start - 70) : f.end + 70].replace("\n", "⏎")
    return (f"{f.rule} {f.span!r} -> {f.suggestions[0]!r} conf {f.confidence:.2f} {f.mode} | …{ctx}…\n"
            f"        {f.explanation}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[7])
    ap.add_argument("--words", type=int, default=None, help="stop each seed after N words (default: all)")
    ap.add_argument("--sep", default="\\n\\n", help="paragraph separator (escapes allowed)")
    ap.add_argument("--news", type=Path, default=None, help="also audit these news sentences")
    ap.add_argument("--reported", action="store_true", help="list reported findings too")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args(argv)
    sep = args.sep.encode().decode("unicode_escape")
    cfg = RepairConfig()
    p = EntityPass(cfg)

    def audit(docs, label: str) -> None:
        t0 = time.perf_counter()
        n_docs = n_words = 0
        applied, reported = [], collections.Counter()
        rep_examples = []
        for src, text in docs:
            n_docs += 1
            n_words += len(text.split())
            for f in p.find(Document(text)):
                if f.mode == "auto" and f.confidence >= cfg.min_confidence:
                    applied.append((src, f, text))
                else:
                    reported[f.rule] += 1
                    rep_examples.append((src, f, text))
        print(f"== {label}: {n_docs} documents, {n_words} words, {len(applied)} applied entity edits, "
              f"{sum(reported.values())} reported ({time.perf_counter() - t0:.0f} s)")
        for src, f, text in applied:
            print(f"  APPLIED [{src[:6]}] {show(f, text)}")
        if args.reported:
            for src, f, text in rep_examples:
                print(f"  reported [{src[:6]}] {show(f, text)}")
        sys.stdout.flush()

    if args.news is not None:
        lines = [s.strip() for s in args.news.read_text(encoding="utf-8").splitlines()]
        audit((("news", s) for s in lines if s and not s.startswith("#")), f"news sentences {args.news.name}")
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus} (skipped)")
        return 0
    pools = read_pools(args.corpus)
    for seed in args.seeds:
        audit(articles(pools, seed, sep, args.words), f"clean corpus, seed {seed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
