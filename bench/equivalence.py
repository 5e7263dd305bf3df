"""Exactness guard for speed work (not a test): repair a fixed corpus and compare every
``RepairResult.to_dict()`` with a baseline saved from earlier code.

    python bench/equivalence.py save /tmp/baseline.jsonl     # at the code to compare against
    python bench/equivalence.py check /tmp/baseline.jsonl    # after a change: 0 differences

The corpus: the 1 MB benchmark input of bench/throughput.py (seed 1), the clean negative set
(tests/data/clean/paragraphs.jsonl), examples/*.txt and, when ../shared is present, ``--shared-kb``
KB of varied French from ../shared/corpus/fr (debates, Wikisource, theatre: cold vocabulary the
benchmark input lacks), cut into pseudo-articles of 3–12 lines, one in three broken across lines
and one in two with a glossary example spliced in. Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def corpus(mb: float, seed: int, shared_kb: int = 0) -> list[tuple[str, str]]:
    from throughput import build_input  # noqa: E402

    out: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.jsonl"
        build_input(src, mb, seed)
        for n, line in enumerate(src.open(encoding="utf-8")):
            if line.strip():
                out.append((f"bench:{n}", json.loads(line)["text"]))
    clean = ROOT / "tests" / "data" / "clean" / "paragraphs.jsonl"
    for n, line in enumerate(clean.open(encoding="utf-8")):
        if line.strip():
            out.append((f"clean:{n}", json.loads(line)["text"]))
    for p in sorted((ROOT / "examples").glob("*.txt")):
        out.append((f"example:{p.name}", p.read_text(encoding="utf-8")))
    out.extend(shared_documents(shared_kb, seed))
    return out


def shared_documents(kb: int, seed: int) -> list[tuple[str, str]]:
    """Pseudo-articles of varied French from ../shared/corpus/fr (none when it is absent)."""
    import gzip
    import random

    from throughput import spun_sentences  # noqa: E402

    corpus_dir = ROOT.parent / "shared" / "corpus" / "fr"
    names = ["debats-assemblee-nationale.txt.gz", "wikisource.txt.gz", "libretheatre.txt.gz"]
    if kb <= 0 or not all((corpus_dir / n).is_file() for n in names):
        return []
    rng = random.Random(seed)
    spun = spun_sentences()
    out: list[tuple[str, str]] = []
    per_file = kb * 1000 // len(names)
    for name in names:
        size, lines = 0, []
        with gzip.open(corpus_dir / name, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if n % 7:  # a sample spread over the file, not its first pages only
                    continue
                lines.append(line.strip())
                size += len(line.encode("utf-8"))
                if size >= per_file:
                    break
        i = 0
        while i < len(lines):
            k = rng.randint(3, 12)
            chunk = [x for x in lines[i:i + k] if x]
            i += k
            if spun and rng.random() < 0.5:
                chunk.insert(rng.randrange(len(chunk) + 1), rng.choice(spun))
            sep = "\n" if rng.random() < 0.33 else " "
            text = sep.join(chunk)
            out.append((f"shared:{name}:{len(out)}", text))
    return out


def results(mb: float, seed: int, shared_kb: int = 0) -> list[str]:
    from mtrepair import Repairer

    repairer = Repairer()
    lines = []
    for key, text in corpus(mb, seed, shared_kb):
        d = repairer.repair(text).to_dict()
        lines.append(json.dumps({"id": key, "result": d}, ensure_ascii=False, sort_keys=True))
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["save", "check"])
    ap.add_argument("baseline", type=Path)
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shared-kb", type=int, default=600,
                    help="KB of varied French from ../shared/corpus/fr to add (default 600; 0 = none)")
    args = ap.parse_args()
    t0 = time.process_time()
    lines = results(args.mb, args.seed, args.shared_kb)
    cpu = time.process_time() - t0
    if args.mode == "save":
        args.baseline.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"saved {len(lines)} results to {args.baseline} ({cpu:.1f} s CPU)")
        return 0
    base = args.baseline.read_text(encoding="utf-8").splitlines()
    diffs = [i for i, (a, b) in enumerate(zip(base, lines)) if a != b]
    if len(base) != len(lines):
        print(f"record count differs: baseline {len(base)}, now {len(lines)}")
    for i in diffs[:5]:
        print(f"DIFF {json.loads(lines[i])['id']}")
    print(f"{len(lines)} results, {len(diffs)} differences ({cpu:.1f} s CPU)")
    return 1 if diffs or len(base) != len(lines) else 0


if __name__ == "__main__":
    raise SystemExit(main())
