"""Huge inputs in bounded memory: a JSONL stream of up to 1 GB, or one huge plain-text file,
through ``mtrepair repair``.

Writes a JSONL file of news-like records (clean paragraphs from the negative set mixed with spun
fragments and some malformed lines), streamed to disk so the generator itself stays small, then
runs ``mtrepair repair BIG.jsonl -o OUT.jsonl`` in a subprocess and reports wall time, MB/s, and the
child's peak resident memory. The same run first does a small baseline (``--baseline-mb``); the
memory ratio big/baseline shows whether memory stays flat (≈ 1) as the input grows. Finally it
checks that no record was lost: one output line per input line, in order, ids intact.

    nice -n 10 python bench/big_input.py --megabytes 1024           # the 1 GB run (hours at ~0.2 MB/s)
    python bench/big_input.py --megabytes 40 --baseline-mb 5 --model none

``--plain`` writes one plain-text file instead (paragraphs separated by blank lines, a fifth of
them spun), repaired block by block (``--block-chars``) by ``mtrepair repair BIG.txt -o OUT.txt``;
``--batch`` sends it through the batch engine instead (``--output-dir``). The check: as many
paragraphs out as in.

    nice -n 10 python bench/big_input.py --plain --megabytes 50 --baseline-mb 5 --model none
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from robustness_support import SPUN_FRAGMENTS, load_clean_paragraphs  # noqa: E402

#: One malformed line every this many records, to check that errors do not stop the stream.
MALFORMED_EVERY = 997


def write_jsonl(path: Path, megabytes: float, seed: int = 0) -> int:
    """Stream records to ``path`` until it holds ``megabytes``; returns the number of lines."""
    rng = random.Random(seed)
    clean = [p["text"] for p in load_clean_paragraphs()]
    target = int(megabytes * 1024 * 1024)
    size = lines = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < target:
            lines += 1
            if lines % MALFORMED_EVERY == 0:
                line = f'{{"id": "r{lines}", "text": "tronqué\n'
            else:
                parts = [rng.choice(clean)]
                if rng.random() < 0.5:
                    parts.insert(rng.randrange(2), rng.choice(SPUN_FRAGMENTS))
                line = json.dumps({"id": f"r{lines}", "text": " ".join(parts), "n": lines}, ensure_ascii=False) + "\n"
            fh.write(line)
            size += len(line.encode("utf-8"))
    return lines


#: Runs a command and prints its own children's peak RSS (KiB) as the last line of stderr, so each
#: measurement covers one mtrepair run only.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:], stderr=subprocess.PIPE, text=True)\n"
    "sys.stderr.write(r.stderr[-3000:])\n"
    "sys.stderr.write('\\nPEAK %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(r.returncode)\n"
)


#: Spun fragments that damage a paragraph without making it boilerplate (which a repair may remove).
PLAIN_FRAGMENTS = ("a gardé à l'esprit que", "ses individus", "des dizaines de membres du personnel",
                   "le quartier technologique", "chercheur en recherche", "The Details", "Et maintenant?")


def write_plain(path: Path, megabytes: float, seed: int = 0) -> int:
    """Stream paragraphs (blank-line separated) to ``path`` until it holds ``megabytes``; returns
    the number of paragraphs."""
    rng = random.Random(seed)
    clean = [p["text"] for p in load_clean_paragraphs()]
    target = int(megabytes * 1024 * 1024)
    size = paragraphs = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < target:
            paragraphs += 1
            text = rng.choice(clean)
            if rng.random() < 0.2:
                text = rng.choice(PLAIN_FRAGMENTS) + " " + text
            chunk = ("\n\n" if paragraphs > 1 else "") + text
            fh.write(chunk)
            size += len(chunk.encode("utf-8"))
        fh.write("\n")
    return paragraphs


def count_paragraphs(path: Path) -> int:
    """Blank-line separated paragraphs, read a line at a time."""
    count, inside = 0, False
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                count += not inside
                inside = True
            else:
                inside = False
    return count


def run_repair(src: Path, out: Path, model: str | None, extra: list[str] | None = None) -> tuple[float, int, int]:
    """(seconds, peak RSS of the mtrepair process in KiB, exit code)."""
    cmd = [sys.executable, "-m", "mtrepair", "repair", str(src), "--no-progress", "-q", *(extra or ["-o", str(out)])]
    if model:
        cmd += ["--model", model]
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    lines = proc.stderr.strip().splitlines()
    peak = int(lines[-1].split()[1]) if lines and lines[-1].startswith("PEAK ") else -1
    if proc.returncode not in (0, 1):
        print(proc.stderr[-3000:], file=sys.stderr)
    return elapsed, peak, proc.returncode


def check_nothing_lost(src: Path, out: Path) -> tuple[int, int, int]:
    """(input lines, output records, failed records); asserts one output record per line, in order."""
    n_in = n_out = failed = 0
    with src.open("rb") as fin, out.open("rb") as fout:
        for raw_in, raw_out in zip(fin, fout):
            n_in += 1
            n_out += 1
            rec = json.loads(raw_out)
            if "error" in rec:
                failed += 1
            else:
                assert rec["id"] == json.loads(raw_in)["id"], f"record {n_in} out of order"
        n_in += sum(1 for _ in fin)
        n_out += sum(1 for _ in fout)
    assert n_in == n_out, f"{n_in} input lines but {n_out} output records"
    return n_in, n_out, failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--megabytes", type=float, default=1024, help="size of the big input (default 1024)")
    ap.add_argument("--baseline-mb", type=float, default=2, help="size of the baseline input (default 2)")
    ap.add_argument("--model", default=None, help="model option passed to mtrepair (default: embedded)")
    ap.add_argument("--workdir", default=None, help="where to write the inputs (default: a temp folder)")
    ap.add_argument("--plain", action="store_true", help="one plain-text file instead of a JSONL stream")
    ap.add_argument("--batch", action="store_true", help="with --plain: through the batch engine (--output-dir)")
    ap.add_argument("--block-chars", type=int, default=None, help="passed to mtrepair (default: its own)")
    args = ap.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="mtrepair-big-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.plain:
        return plain_main(args, work)
    results = []
    for label, mb in (("baseline", args.baseline_mb), ("big", args.megabytes)):
        src, out = work / f"{label}.jsonl", work / f"{label}.out.jsonl"
        lines = write_jsonl(src, mb)
        elapsed, peak_kib, code = run_repair(src, out, args.model)
        n_in, n_out, failed = check_nothing_lost(src, out)
        mbps = src.stat().st_size / 1024 / 1024 / elapsed
        results.append((label, mb, peak_kib))
        print(f"{label}: {mb:g} MB, {lines} lines -> {n_out} records ({failed} failed, expected "
              f"{lines // MALFORMED_EVERY}), exit {code}, {elapsed:.1f} s, {mbps:.2f} MB/s, "
              f"peak RSS {peak_kib / 1024:.0f} MB", flush=True)
        for p in (src, out):
            p.unlink()
    (_, mb0, rss0), (_, mb1, rss1) = results
    print(f"input grew {mb1 / mb0:.1f}x, peak memory grew {rss1 / rss0:.2f}x (flat memory: close to 1)")
    return 0


def plain_main(args, work: Path) -> int:
    results = []
    for label, mb in (("baseline", args.baseline_mb), ("big", args.megabytes)):
        src = work / f"{label}.txt"
        paragraphs = write_plain(src, mb)
        extra = ["--block-chars", str(args.block_chars)] if args.block_chars is not None else []
        if args.batch:
            outdir = work / f"{label}.out"
            out = outdir / src.name
            extra += ["--output-dir", str(outdir)]
        else:
            out = work / f"{label}.out.txt"
            extra += ["-o", str(out)]
        elapsed, peak_kib, code = run_repair(src, out, args.model, extra)
        n_out = count_paragraphs(out) if out.exists() else 0
        mbps = src.stat().st_size / 1024 / 1024 / elapsed
        results.append((label, mb, peak_kib))
        print(f"{label}: {mb:g} MB plain text, {paragraphs} paragraphs -> {n_out} paragraphs out, exit {code}, "
              f"{elapsed:.1f} s, {mbps:.2f} MB/s, peak RSS {peak_kib / 1024:.0f} MB", flush=True)
        assert n_out == paragraphs, "paragraphs lost"
        for p in (src, out):
            if p.exists():
                p.unlink()
    (_, mb0, rss0), (_, mb1, rss1) = results
    print(f"input grew {mb1 / mb0:.1f}x, peak memory grew {rss1 / rss0:.2f}x (flat memory: close to 1)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
