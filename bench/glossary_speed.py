"""Glossary matching speed: the whole shipped glossary over ~10 MB of French text.

Reports MB/s of ``Glossary.match`` (one automaton) on one core, and, in the
same run, the speed of a naive scan with one regular expression per entry
(every surface form of every variant in an alternation) on a slice of the
same text, with the ratio between the two. Also reports load and compile times.

    python bench/glossary_speed.py [--mb 10] [--naive-mb 0.5] [--doc-kb 5]

Needs ../shared/corpus/fr (read-only corpus); exits 0 with a message if absent.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "fr"
FILES = ("debats-assemblee-nationale.txt.gz", "gutenberg.txt.gz", "wikisource.txt.gz")


def read_docs(mb: float, doc_kb: float) -> list[str]:
    """Documents of about doc_kb KB, taken in turn from several corpus files."""
    budget = int(mb * 1_000_000)
    docs: list[str] = []
    per_file = budget // len(FILES) + 1
    for name in FILES:
        got = 0
        cur: list[str] = []
        size = 0
        with gzip.open(CORPUS / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                cur.append(line.rstrip("\n"))
                size += len(line.encode("utf-8"))
                if size >= doc_kb * 1000:
                    docs.append(" ".join(cur))
                    got += size
                    cur, size = [], 0
                    if got >= per_file:
                        break
    return docs


def surface_forms(word: str, exact: bool) -> set[str]:
    from mtrepair.glossary.lexicon import NOMINAL_SUFFIXES, feminine_candidates, is_known, lemma, paradigms, verb_ending

    if exact:
        return {word}
    base = lemma(word)
    out = {word, base}
    e = verb_ending(base)
    cands = {base + s for s in NOMINAL_SUFFIXES}
    if e and e in paradigms():
        cands.update(base[: -len(e)] + s for s in paradigms()[e])
    for f in feminine_candidates(base):
        cands.update((f, f + "s"))
    out.update(c for c in cands if is_known(c))
    return out


def naive_regexes(glossary) -> list[re.Pattern]:
    from mtrepair.glossary.pattern import expand

    regs = []
    for e in glossary.entries:
        alts = []
        for seq in expand(e.pattern):
            parts = []
            for t in seq:
                forms = sorted(surface_forms(t.norm, t.exact), key=len, reverse=True)
                parts.append("(?:" + "|".join(re.escape(f).replace("'", "['’]") for f in forms) + ")")
            alts.append(r"\s*".join(parts))
        regs.append(re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE))
    return regs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0, help="text to match, in MB (default 10)")
    ap.add_argument("--naive-mb", type=float, default=0.5, help="text for the naive baseline, in MB (default 0.5)")
    ap.add_argument("--doc-kb", type=float, default=5.0, help="document size in KB (default 5, an article)")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0

    clock = time.process_time  # CPU time: the machine is shared, wall time measures the neighbours
    t0 = clock()
    from mtrepair.config import RepairConfig
    from mtrepair.document import Document
    from mtrepair.glossary import load_glossary

    t_import = clock() - t0
    import os

    from mtrepair.glossary.glossary import build_glossary, shipped_files

    saved = os.environ.get("MTREPAIR_CACHE_DIR")
    os.environ["MTREPAIR_CACHE_DIR"] = "off"
    t0 = clock()
    build_glossary(shipped_files(), [], [])
    t_cold = clock() - t0
    if saved is None:
        del os.environ["MTREPAIR_CACHE_DIR"]
    else:
        os.environ["MTREPAIR_CACHE_DIR"] = saved
    build_glossary(shipped_files(), [], [])  # fills the on-disk cache if it was empty
    t0 = clock()
    g = load_glossary(RepairConfig())
    t_load = clock() - t0
    t0 = clock()
    g.compile()
    t_compile = clock() - t0
    print(f"glossary: {len(g.entries)} entries, {len(g.matcher.compiled)} variants; CPU: "
          f"import {t_import:.2f} s, load {t_cold:.2f} s parsing YAML / {t_load:.3f} s from the on-disk cache, "
          f"compile (lemmas+automaton) {t_compile:.2f} s")

    docs = read_docs(args.mb, args.doc_kb)
    total = sum(len(d.encode("utf-8")) for d in docs)
    g.match(docs[0])  # warm the form cache a little, as a long-running process would be
    t0, c0 = time.perf_counter(), time.process_time()
    hits = 0
    for d in docs:
        hits += len(g.match(Document(d)))
    wall, dt = time.perf_counter() - t0, time.process_time() - c0
    speed = total / 1e6 / dt
    print(f"automaton: {total / 1e6:.1f} MB in {len(docs)} documents, {dt:.2f} s CPU ({wall:.2f} s wall on a "
          f"shared machine) -> {speed:.2f} MB/s per core ({hits} matches)")

    regs = naive_regexes(g)
    sub, size = [], 0
    for d in docs:
        if size >= args.naive_mb * 1e6:
            break
        sub.append(d)
        size += len(d.encode("utf-8"))
    c0 = time.process_time()
    nhits = 0
    for d in sub:
        for r in regs:
            for _ in r.finditer(d):
                nhits += 1
    ndt = time.process_time() - c0
    nspeed = size / 1e6 / ndt
    print(f"naive per-entry regex scan: {size / 1e6:.2f} MB, {ndt:.2f} s CPU -> {nspeed:.3f} MB/s ({nhits} raw hits, "
          f"no context/agreement)")
    print(f"ratio automaton / naive: {speed / nspeed:.0f}x; target >= 2 MB/s: {'met' if speed >= 2 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
