"""False alarms of the glossary on clean French: fires per 100k words.

Runs the shipped glossary over all of ../shared/corpus/fr (14 M words of
clean general French: debates, books, theatre, Tatoeba's French side) and
counts the matches of entries that would be applied automatically
(``mode: auto``, not downgraded to report), per 100k words. Entries in
``check`` mode (applied only when the model prefers them) are counted
separately. The top firing entries are listed with sample contexts so the
glossary writers can add context constraints or demote them.

    python bench/glossary_false_alarms.py [--max-mb N] [--top 30] [--json OUT]

Target (issue 3): <= 1 auto fire per 100k words. Exits 0 with a message if
the corpus is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "fr"
#: Corpus lines are grouped into documents of this many lines.
LINES_PER_DOC = 200
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def documents(max_mb: float | None):
    budget = None if max_mb is None else max_mb * 1e6
    used = 0
    for path in sorted(CORPUS.glob("*.gz")):
        tsv = path.name.endswith(".tsv.gz")
        buf: list[str] = []
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                line = line.rstrip("\n")
                if tsv:
                    line = line.split("\t", 1)[1] if "\t" in line else ""
                buf.append(line)
                used += len(line) + 1
                if len(buf) >= LINES_PER_DOC:
                    yield path.name, "\n".join(buf)
                    buf = []
                if budget is not None and used >= budget:
                    break
        if buf:
            yield path.name, "\n".join(buf)
        if budget is not None and used >= budget:
            return


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-mb", type=float, default=None, help="stop after this many MB (default: all)")
    ap.add_argument("--top", type=int, default=30, help="list the N entries that fire most (default 30)")
    ap.add_argument("--json", help="also write per-entry counts and samples to this JSON file")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    from mtrepair.config import RepairConfig
    from mtrepair.document import Document
    from mtrepair.glossary import load_glossary

    g = load_glossary(RepairConfig())
    g.compile()
    words = 0
    fires: Counter[str] = Counter()
    samples: dict[str, list[str]] = defaultdict(list)
    neighbours: dict[str, Counter[str]] = defaultdict(Counter)
    modes: Counter[str] = Counter()
    per_file: Counter[str] = Counter()
    t0 = time.process_time()
    for name, text in documents(args.max_mb):
        words += len(_WORD.findall(text))
        for m in g.match(Document(text)):
            mode = m.mode
            modes[mode] += 1
            if mode != "auto":
                continue
            fires[m.entry.id] += 1
            per_file[name] += 1
            left = _WORD.findall(text[max(0, m.start - 60):m.start].lower())[-3:]
            right = _WORD.findall(text[m.end:m.end + 60].lower())[:3]
            neighbours[m.entry.id].update(set(left + right))
            if len(samples[m.entry.id]) < 3:
                ls = text.rfind("\n", 0, m.start) + 1
                le = text.find("\n", m.end)
                line = text[ls: le if le >= 0 else len(text)]
                samples[m.entry.id].append(f"{line[:m.start - ls]}[[{m.span}]]{line[m.end - ls:]}"[:240])
    dt = time.process_time() - t0
    total = sum(fires.values())
    rate = total / words * 1e5 if words else 0.0
    check_rate = modes["check"] / words * 1e5 if words else 0.0
    print(f"{len(g.entries)} entries ({sum(1 for e in g.entries if e.mode == 'auto')} auto); "
          f"{words:,} words in {dt:.0f} s CPU")
    print(f"auto fires: {total} = {rate:.2f} per 100k words (target <= 1); "
          f"check-mode matches: {modes['check']} = {check_rate:.2f} per 100k words (gated by the model); "
          f"report-only: {modes['report']}")
    print("auto fires per corpus file: " + ", ".join(f"{k}: {v}" for k, v in sorted(per_file.items())))
    print(f"top {args.top} auto entries:")
    for eid, n in fires.most_common(args.top):
        e = g.by_id[eid]
        print(f"  {eid:<10} {n:>5}  {e.pattern!r} -> {e.replace[0]!r}  ({e.where})")
        for s in samples[eid]:
            print(f"             {s}")
        if n >= 3:
            common = [w for w, c in neighbours[eid].most_common(8) if c >= 2][:5]
            if common:
                print(f"             frequent neighbours (candidates for context.forbid): {', '.join(common)}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "words": words, "auto_fires": total, "per_100k": rate, "check_per_100k": check_rate,
            "entries": {k: {"fires": v, "samples": samples[k], "where": g.by_id[k].where}
                        for k, v in fires.most_common()},
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
