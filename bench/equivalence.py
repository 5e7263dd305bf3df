"""Exactness guard for speed work (not a test): repair a fixed corpus and compare every
``RepairResult.to_dict()`` with a baseline saved from earlier code.

    python bench/equivalence.py save /tmp/baseline.jsonl     # at the code to compare against
    python bench/equivalence.py check /tmp/baseline.jsonl    # after a change: 0 differences
    python bench/equivalence.py check /tmp/baseline.jsonl --ignore-signature --ignore-rule-lines
                                                             # after a glossary or config edit

The baseline keeps each document's input, and ``check`` repairs those same inputs (the corpus is
rebuilt only for a baseline saved without them: it depends on the glossary's example sentences).

The corpus: the 1 MB benchmark input of bench/throughput.py (seed 1), the clean negative set
(tests/data/clean/paragraphs.jsonl), examples/*.txt and, when ../shared is present, ``--shared-kb``
KB of varied French from ../shared/corpus/fr (debates, Wikisource, theatre: cold vocabulary the
benchmark input lacks), cut into pseudo-articles of 3–12 lines, one in three broken across lines
and one in two with a glossary example spliced in. Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import re
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


def results(documents: list[tuple[str, str]]) -> list[str]:
    """One JSON line per document: its id, its input and ``RepairResult.to_dict()``."""
    from mtrepair import Repairer

    repairer = Repairer()
    lines = []
    for key, text in documents:
        d = repairer.repair(text).to_dict()
        lines.append(json.dumps({"id": key, "input": text, "result": d}, ensure_ascii=False, sort_keys=True))
    return lines


def saved_documents(base: list[str]) -> list[tuple[str, str]] | None:
    """The documents a baseline was saved from, when it holds them (baselines saved before the
    ``input`` field was added do not: the corpus is then rebuilt, and it changes with the
    glossary, whose example sentences are spliced into it)."""
    docs = []
    for line in base:
        record = json.loads(line)
        if "input" not in record:
            return None
        docs.append((record["id"], record["input"]))
    return docs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["save", "check"])
    ap.add_argument("baseline", type=Path)
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shared-kb", type=int, default=600,
                    help="KB of varied French from ../shared/corpus/fr to add (default 600; 0 = none)")
    ap.add_argument("--ignore-signature", action="store_true",
                    help="compare without the results' signatures (a new config field or glossary edit changes "
                         "every signature's hash while texts, edits and findings stay the same)")
    ap.add_argument("--ignore-rule-lines", action="store_true",
                    help="compare rule sources without their line numbers (an entry added or reworded in a "
                         "glossary file moves the lines of the entries after it)")
    ap.add_argument("--explain", action="store_true",
                    help="under each differing id, the edits and findings lost (-) and gained (+)")
    ap.add_argument("--show", type=int, default=5, metavar="N", help="print the first N differing ids (default 5)")
    args = ap.parse_args()
    t0 = time.process_time()
    if args.mode == "save":
        lines = results(corpus(args.mb, args.seed, args.shared_kb))
        args.baseline.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"saved {len(lines)} results to {args.baseline} ({time.process_time() - t0:.1f} s CPU)")
        return 0
    base = args.baseline.read_text(encoding="utf-8").splitlines()
    lines = results(saved_documents(base) or corpus(args.mb, args.seed, args.shared_kb))
    cpu = time.process_time() - t0
    base, lines = _results_only(base), _results_only(lines)
    if args.ignore_signature:
        base, lines = _without_signatures(base), _without_signatures(lines)
    if args.ignore_rule_lines:
        base, lines = _without_rule_lines(base), _without_rule_lines(lines)
    diffs = [i for i, (a, b) in enumerate(zip(base, lines)) if a != b]
    if len(base) != len(lines):
        print(f"record count differs: baseline {len(base)}, now {len(lines)}")
    for i in diffs[: args.show]:
        print(f"DIFF {json.loads(lines[i])['id']}")
        if args.explain:
            for change in _explain(json.loads(base[i])["result"], json.loads(lines[i])["result"]):
                print(f"    {change}")
    print(f"{len(lines)} results, {len(diffs)} differences ({cpu:.1f} s CPU)")
    return 1 if diffs or len(base) != len(lines) else 0


def _explain(old: dict, new: dict) -> list[str]:
    """Edits and findings of ``old`` missing from ``new`` (-) and the other way round (+), and
    whether anything else (scores, signature) differs."""
    def edits(r):
        return {(e["start"], e["end"], e["original"], e["replacement"], e["rule"]) for e in r.get("edits", [])}

    def findings(r):
        return {(f["start"], f["end"], f.get("span", ""), f["rule"], f.get("mode"), f.get("confidence"))
                for f in r.get("findings", [])}

    out = [f"- edit {e}" for e in sorted(edits(old) - edits(new))]
    out += [f"+ edit {e}" for e in sorted(edits(new) - edits(old))]
    out += [f"- finding {f}" for f in sorted(findings(old) - findings(new), key=str)]
    out += [f"+ finding {f}" for f in sorted(findings(new) - findings(old), key=str)]
    if not out:
        out = ["same edits and findings (explanations, scores or signature differ)"]
    return out


def _results_only(lines: list[str]) -> list[str]:
    """Each line's id and result (the compared part; the input is what was repaired)."""
    out = []
    for line in lines:
        record = json.loads(line)
        out.append(json.dumps({"id": record["id"], "result": record["result"]}, ensure_ascii=False, sort_keys=True))
    return out


_SOURCE_LINE = re.compile(r"^((?:glossary|gazetteer):.*?):\d+$")


def _without_rule_lines(lines: list[str]) -> list[str]:
    """The result lines with the line number dropped from every ``source`` (« glossary:file:648 »)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: (_SOURCE_LINE.sub(r"\1", v) if k == "source" and isinstance(v, str) else strip(v))
                    for k, v in value.items()}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return [json.dumps(strip(json.loads(line)), ensure_ascii=False, sort_keys=True) for line in lines]


def _without_signatures(lines: list[str]) -> list[str]:
    """The result lines with every ``signature`` key removed (at any depth)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "signature"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return [json.dumps(strip(json.loads(line)), ensure_ascii=False, sort_keys=True) for line in lines]


if __name__ == "__main__":
    raise SystemExit(main())
