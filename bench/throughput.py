"""Throughput benchmark of the batch path (not a test): MB/s, documents/s, --jobs scaling,
peak memory, start-up time, and the ratio against Grammalecte when it is installed.

    python bench/throughput.py                 # ~10 MB input, jobs 1 and 2, Grammalecte if present
    python bench/throughput.py --mb 2 --no-grammalecte
    python bench/throughput.py --profile       # pyinstrument profile of the one-core path

The input is rebuilt reproducibly (``--seed``) from the clean negative set
(tests/data/clean/paragraphs.jsonl): news-like articles of 3–6 paragraphs, about half
of them with 1–3 spun sentences injected (the glossary entries' own ``example``
sentences, i.e. calques the glossary is meant to repair), the rest clean. Every figure is
measured in this run, on this machine: the targets are ratios to baselines measured here.

Targets (issue "Pipelines and scale"): ≥ 1 MB/s per core, ≥ 40× Grammalecte, ≥ 1.7× with
2 jobs, ≤ 400 MB resident per process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "tests" / "data" / "clean" / "paragraphs.jsonl"
TARGET_MB_S = 1.0
TARGET_GRAMMALECTE = 40.0
TARGET_SCALING = 1.7
TARGET_RSS_MB = 400.0


def spun_sentences() -> list[str]:
    """Example sentences of the glossary entries (spun French the glossary should repair)."""
    try:
        from mtrepair.config import RepairConfig
        from mtrepair.glossary import load_glossary
    except ImportError:
        return []
    glossary = load_glossary(RepairConfig())
    return sorted({e.example.strip() for e in glossary.entries
                   if e.example and e.category != "boilerplate" and e.mode == "auto"})


def build_input(path: Path, megabytes: float, seed: int) -> tuple[int, int, int]:
    """Write the benchmark JSONL; returns (documents, text bytes, documents with injected calques)."""
    rng = random.Random(seed)
    paragraphs = [json.loads(line)["text"] for line in CLEAN.open(encoding="utf-8") if line.strip()]
    spun = spun_sentences()
    target = int(megabytes * 1_000_000)
    total = docs = dirty = 0
    with path.open("w", encoding="utf-8") as fh:
        while total < target:
            paras = rng.sample(paragraphs, rng.randint(3, 6))
            if spun and rng.random() < 0.5:
                dirty += 1
                for _ in range(rng.randint(1, 3)):
                    i = rng.randrange(len(paras))
                    paras[i] = paras[i] + " " + rng.choice(spun)
            text = "\n\n".join(paras)
            fh.write(json.dumps({"id": f"doc-{docs:06d}", "text": text}, ensure_ascii=False) + "\n")
            total += len(text.encode("utf-8"))
            docs += 1
    return docs, total, dirty


def run(cmd: list[str], **kw) -> tuple[float, float, int, subprocess.CompletedProcess]:
    """Wall seconds, CPU seconds (children), peak RSS (MB, largest child process) of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024, proc


def peak_rss_of(cmd: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run ``cmd`` alone in a helper process so that RUSAGE_CHILDREN measures only it."""
    helper = (
        "import resource, subprocess, sys, json, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc': p.returncode, 'wall': wall, 'cpu': r.ru_utime + r.ru_stime,"
        " 'rss_mb': r.ru_maxrss / 1024, 'err': p.stderr[-2000:]}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", helper, *cmd], capture_output=True, text=True)
    data = json.loads(proc.stdout)
    return data, proc


def ensure_bytecode() -> str:
    """Compile mtrepair's modules to bytecode when this environment does not write it
    (``PYTHONDONTWRITEBYTECODE``): an installed package has its ``.pyc`` files (pip writes them),
    so timing runs that compile every module from source again would bill ~0.1 s of start-up
    that users never pay. Returns what was done, for the report."""
    if not (sys.flags.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE")):
        return "bytecode: written by Python as usual"
    import compileall
    import mtrepair

    package = Path(mtrepair.__file__).parent
    ok = compileall.compile_dir(str(package), quiet=1)
    return f"bytecode: PYTHONDONTWRITEBYTECODE is set, compiled {package} ahead ({'ok' if ok else 'with errors'})"


def mtrepair_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "mtrepair", *args]


def startup(workdir: Path) -> dict:
    one = workdir / "one.txt"
    one.write_text("Le conseil municipal s’est réuni jeudi soir.\n", encoding="utf-8")
    imp = run([sys.executable, "-c", "import mtrepair"])[0]
    api = run([sys.executable, "-c", "from mtrepair import Repairer; Repairer().repair('Il pleut.')"])[0]
    cli = run(mtrepair_cmd("repair", str(one), "-q"))[0]
    return {"import_s": imp, "api_first_repair_s": api, "cli_one_file_s": cli}


def bench_jobs(src: Path, workdir: Path, jobs: int, text_bytes: int, docs: int, config: Path | None = None) -> dict:
    out = workdir / f"out-j{jobs}{'-' + config.stem if config else ''}.jsonl"
    extra = ["--config", str(config)] if config else []
    data, _ = peak_rss_of(mtrepair_cmd("repair", str(src), "-o", str(out), "--jobs", str(jobs), "--no-progress",
                                       *extra))
    if data["rc"] not in (0, 1):
        raise SystemExit(f"mtrepair failed (jobs={jobs}): {data['err']}")
    lines = sum(1 for _ in out.open(encoding="utf-8"))
    assert lines == docs, f"lost records: {lines} out of {docs}"
    wall = data["wall"]
    return {
        "jobs": jobs,
        "wall_s": round(wall, 2),
        "cpu_s": round(data["cpu"], 2),
        "mb_per_s": round(text_bytes / 1e6 / wall, 3),
        "mb_per_cpu_s": round(text_bytes / 1e6 / data["cpu"], 3),
        "docs_per_s": round(docs / wall, 1),
        "peak_rss_mb_largest_process": round(data["rss_mb"], 1),
        "failed_summary": data["err"].strip().splitlines()[-1] if data["err"].strip() else "",
    }


def grammalecte(src: Path, workdir: Path, kb: int) -> dict | None:
    exe = shutil.which("grammalecte-cli")
    if exe is None:
        return None
    # The same documents, as a text file (Grammalecte reads paragraphs separated by blank lines).
    texts, size = [], 0
    with src.open(encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)["text"]
            texts.append(t)
            size += len(t.encode("utf-8"))
            if size >= kb * 1000:
                break
    sub_txt = workdir / "grammalecte-subset.txt"
    sub_txt.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    sub_jsonl = workdir / "mtrepair-subset.jsonl"
    sub_jsonl.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                                 for i, t in enumerate(texts)), encoding="utf-8")
    g_wall, g_cpu, _, proc = run([exe, "-f", str(sub_txt), "-j", "-owe"])
    if proc.returncode != 0:
        return {"error": proc.stderr[-500:]}
    m_wall, m_cpu, _, _ = run(mtrepair_cmd("repair", str(sub_jsonl), "-o", str(workdir / "subset-out.jsonl"),
                                           "--no-progress", "-q"))
    # Start-up of each on one short paragraph, to compare steady-state throughput too.
    one_txt, one_jsonl = workdir / "one-paragraph.txt", workdir / "one-paragraph.jsonl"
    one_txt.write_text(texts[0].split("\n\n")[0] + "\n", encoding="utf-8")
    one_jsonl.write_text(json.dumps({"id": 0, "text": texts[0].split("\n\n")[0]}, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    g_start = min(run([exe, "-f", str(one_txt), "-j", "-owe"])[1] for _ in range(3))
    m_start = min(run(mtrepair_cmd("repair", str(one_jsonl), "-o", str(workdir / "one-out.jsonl"),
                                   "--no-progress", "-q"))[1] for _ in range(3))
    return {
        "grammalecte_startup_cpu_s": round(g_start, 2),
        "mtrepair_startup_cpu_s": round(m_start, 2),
        "grammalecte_steady_mb_per_cpu_s": round(size / 1e6 / max(g_cpu - g_start, 1e-9), 4),
        "subset_bytes": size,
        "grammalecte_wall_s": round(g_wall, 2),
        "grammalecte_cpu_s": round(g_cpu, 2),
        "grammalecte_mb_per_s": round(size / 1e6 / g_wall, 4),
        "grammalecte_mb_per_cpu_s": round(size / 1e6 / g_cpu, 4),
        "mtrepair_wall_s_same_subset": round(m_wall, 2),
        "ratio_wall": round(g_wall / m_wall, 1),
        "ratio_cpu": round(g_cpu / max(m_cpu, 1e-9), 1),
    }


def _spin(n: int) -> float:
    t = time.process_time()
    acc, table = 0, {}
    for i in range(n):
        acc += i * i % 7
        table[i % 1000] = acc
    return time.process_time() - t


def machine_efficiency(n: int = 3_000_000) -> float:
    """Parallel efficiency of a pure-Python CPU loop on this machine (CPU of one unit alone /
    mean CPU of one unit when two run at once): the ceiling any 2-process run can reach here."""
    import multiprocessing

    alone = _spin(n)
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(2) as pool:
        both = pool.map(_spin, [n, n])
    return alone / (sum(both) / 2)


def profile(src: Path, limit_docs: int) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit("--profile needs pyinstrument (pip install pyinstrument)")
    from mtrepair import Repairer

    texts = [json.loads(line)["text"] for line, _ in zip(src.open(encoding="utf-8"), range(limit_docs))]
    repairer = Repairer()
    repairer.repair(texts[0])
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for t in texts:
        repairer.repair(t)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


#: The parts a compiled rewrite would take first (the largest, most loop-bound ones), by the name
#: of the function that does each.
CEILING_PARTS = {"tokenize_with_codes": "tokenisation", "hits": "glossary automaton scan",
                 "rank_and_gate": "model gate", "retokenize": "re-tokenisation of later rounds"}


def ceiling(src: Path, limit_docs: int) -> float:
    """Share of repair()'s time spent in :data:`CEILING_PARTS` (pyinstrument, over ``limit_docs``
    documents after 200 of warm-up): how much faster repair() could get if those parts cost
    nothing at all — an upper bound on what compiling them would give."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit("--ceiling needs pyinstrument (pip install pyinstrument)")
    from mtrepair import Repairer

    lines = src.open(encoding="utf-8")
    warmup = [json.loads(line)["text"] for line, _ in zip(lines, range(200))]
    texts = [json.loads(line)["text"] for line, _ in zip(lines, range(limit_docs))]
    repairer = Repairer()
    _warm(repairer, warmup)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for text in texts:
        repairer.repair(text)
    profiler.stop()
    root = profiler.last_session.root_frame()
    spent = dict.fromkeys(CEILING_PARTS, 0.0)

    def walk(frame, inside: bool = False) -> None:
        if frame.function in CEILING_PARTS and not inside:
            spent[frame.function] += frame.time
            inside = True
        for child in frame.children:
            walk(child, inside)

    walk(root)
    total = root.time
    print(f"\nceiling: repair() over {len(texts)} documents, {total:.2f} s sampled")
    for name, sec in spent.items():
        print(f"  {CEILING_PARTS[name]:<34} {sec:6.2f} s  {100 * sec / total:5.1f} %")
    share = sum(spent.values()) / total
    print(f"  together {100 * share:.1f} %: if they cost nothing, repair() would be ×{1 / (1 - share):.2f} faster")
    return share


def _warm(repairer, texts: list[str]) -> None:
    """Load everything lazily loaded (model, its OOV table, entity data) outside the timings."""
    model = repairer.model
    if model is not None:
        model.logprob("Le zorglubien xqwzt a souligné que la réunion aura lieu jeudi.")
    for text in texts:
        repairer.repair(text)


def breakdown(src: Path, limit_docs: int) -> dict[str, float]:
    """CPU seconds per stage of Repairer.repair over ``limit_docs`` documents (process time, so
    other load on the machine does not inflate it), and MB per CPU-second of each; then the whole
    repair() over the next ``limit_docs`` documents (other records, not a second pass)."""
    from mtrepair import Repairer
    from mtrepair.document import Document
    from mtrepair.resolve import select_edits

    lines = src.open(encoding="utf-8")
    warmup = [json.loads(line)["text"] for line, _ in zip(lines, range(20))]
    texts = [json.loads(line)["text"] for line, _ in zip(lines, range(limit_docs))]
    others = [json.loads(line)["text"] for line, _ in zip(lines, range(limit_docs))]
    size = sum(len(t.encode("utf-8")) for t in texts)
    repairer = Repairer()
    _warm(repairer, warmup)
    gate_mod = __import__("mtrepair.model.gate", fromlist=["rank_and_gate"])
    cost: dict[str, float] = {}

    def add(name: str, t0: float) -> float:
        t1 = time.process_time()
        cost[name] = cost.get(name, 0.0) + t1 - t0
        return t1

    for text in texts:
        t = time.process_time()
        _, normalised = repairer._normalise(text)
        t = add("normalize (ftfy, NFC)", t)
        doc = Document(normalised)
        _ = doc.tokens, doc.sentences
        t = add("tokenize + sentences", t)
        findings = []
        for p in repairer.passes:
            findings.extend(p.find(doc))
            t = add(f"pass {p.name}", t)
        if repairer.model is not None and findings:
            findings = gate_mod.rank_and_gate(findings, doc, repairer.model, repairer.config)
        t = add("model gate", t)
        select_edits(findings, repairer.config)
        add("resolve", t)
    staged = sum(cost.values())
    other_size = sum(len(t.encode("utf-8")) for t in others)
    t = time.process_time()
    for text in others:
        repairer.repair(text)
    total = time.process_time() - t
    print(f"\nCPU per stage of one repair round over {len(texts)} documents ({size / 1e6:.2f} MB): {staged:.2f} s "
          f"= {size / 1e6 / staged:.3f} MB per CPU-second")
    for name, sec in sorted(cost.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<28} {sec:6.2f} s  {100 * sec / staged:5.1f} %   alone {size / 1e6 / max(sec, 1e-9):8.2f} MB/s")
    print(f"whole repair() (all rounds, scores) over the next {len(others)} documents ({other_size / 1e6:.2f} MB): "
          f"{total:.2f} s = {other_size / 1e6 / total:.3f} MB per CPU-second")
    return {"whole_repair_cpu_s": total, "whole_repair_mb_per_cpu_s": other_size / 1e6 / total, **cost}


def varied(kb: int, seed: int) -> dict | None:
    """repair() on varied French from ../shared (cold vocabulary: the bench input reuses 340
    paragraphs, so its word caches are warm after the first articles). None without ../shared."""
    sys.path.insert(0, str(ROOT / "bench"))
    from equivalence import shared_documents  # noqa: E402

    from mtrepair import Repairer

    docs = [text for _, text in shared_documents(kb, seed)]
    if not docs:
        return None
    repairer = Repairer()
    _warm(repairer, ["Le conseil municipal s'est réuni jeudi soir."])
    size = sum(len(t.encode("utf-8")) for t in docs)
    t = time.process_time()
    for text in docs:
        repairer.repair(text)
    cpu = time.process_time() - t
    return {"documents": len(docs), "mb": round(size / 1e6, 3), "cpu_s": round(cpu, 2),
            "mb_per_cpu_s": round(size / 1e6 / cpu, 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=10.0, help="input size in MB of text (default 10)")
    ap.add_argument("--seed", type=int, default=1, help="random seed of the input (default 1)")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to measure (default 1,2)")
    ap.add_argument("--workdir", default="/tmp/mtrepair-bench", help="where input and outputs go")
    ap.add_argument("--grammalecte-kb", type=int, default=150,
                    help="Grammalecte is slow: time it on the first KB of the same input (default 150)")
    ap.add_argument("--no-grammalecte", action="store_true")
    ap.add_argument("--compare-unlisted", action="store_true",
                    help="also time one core with find_unlisted = true (the report-only model pass, off by default)")
    ap.add_argument("--profile", action="store_true", help="print a pyinstrument profile of the one-core path and stop")
    ap.add_argument("--breakdown", type=int, metavar="DOCS", default=300,
                    help="CPU time per repair stage over the first DOCS documents (default 300; 0 = skip)")
    ap.add_argument("--varied-kb", type=int, default=300,
                    help="also time repair() on this many KB of varied French from ../shared (cold vocabulary; "
                         "default 300, 0 = skip; skipped without ../shared)")
    ap.add_argument("--ceiling", type=int, metavar="DOCS", default=0,
                    help="also profile repair() over DOCS documents and print the share of the parts a compiled "
                         "rewrite would take first, with the Grammalecte ratio if they cost nothing (0 = skip)")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = ap.parse_args()

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / f"input-{args.mb:g}mb-seed{args.seed}.jsonl"
    docs, text_bytes, dirty = build_input(src, args.mb, args.seed)
    print(f"input: {src} — {docs} documents, {text_bytes / 1e6:.2f} MB of text, {dirty} with injected calques "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print(ensure_bytecode())
    if args.profile:
        profile(src, limit_docs=400)
        return 0

    report: dict = {"documents": docs, "text_mb": round(text_bytes / 1e6, 3), "with_calques": dirty,
                    "load_average": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}
    if args.breakdown:
        report["breakdown_cpu_s"] = {k: round(v, 3) for k, v in breakdown(src, args.breakdown).items()}
    if args.varied_kb:
        v = varied(args.varied_kb, args.seed)
        report["varied_vocabulary"] = v
        if v:
            print(f"repair() on {v['mb']:.2f} MB of varied French from ../shared ({v['documents']} pseudo-articles, "
                  f"cold vocabulary): {v['cpu_s']:.2f} s = {v['mb_per_cpu_s']:.3f} MB per CPU-second")
    report["startup"] = {k: round(v, 2) for k, v in startup(workdir).items()}
    print("start-up: " + ", ".join(f"{k} {v:.2f} s" for k, v in report["startup"].items()))
    runs = []
    for jobs in [int(j) for j in args.jobs.split(",") if j.strip()]:
        r = bench_jobs(src, workdir, jobs, text_bytes, docs)
        runs.append(r)
        print(f"--jobs {jobs}: {r['wall_s']:.1f} s wall, {r['mb_per_s']:.2f} MB/s, {r['docs_per_s']:.0f} docs/s, "
              f"{r['mb_per_cpu_s']:.2f} MB per CPU-second, peak RSS {r['peak_rss_mb_largest_process']:.0f} MB "
              f"(largest process) — {r['failed_summary']}")
    report["runs"] = runs
    if args.compare_unlisted:
        toml = workdir / "unlisted.toml"
        toml.write_text("find_unlisted = true\n", encoding="utf-8")
        r = bench_jobs(src, workdir, 1, text_bytes, docs, config=toml)
        report["one_core_with_unlisted"] = r
        print(f"--jobs 1, find_unlisted = true (same edits, plus report-only model findings): {r['wall_s']:.1f} s wall, "
              f"{r['mb_per_s']:.2f} MB/s, {r['mb_per_cpu_s']:.2f} MB per CPU-second")
    one = next((r for r in runs if r["jobs"] == 1), None)
    two = next((r for r in runs if r["jobs"] == 2), None)
    verdicts = []
    if one:
        verdicts.append(("MB/s on one core", one["mb_per_s"], TARGET_MB_S, one["mb_per_s"] >= TARGET_MB_S))
        rss = max(r["peak_rss_mb_largest_process"] for r in runs)
        verdicts.append(("peak RSS MB (largest process)", rss, TARGET_RSS_MB, rss <= TARGET_RSS_MB))
    if one and two:
        scaling = round(one["wall_s"] / two["wall_s"], 2)
        report["scaling_2_jobs"] = scaling
        verdicts.append(("speed-up with 2 jobs (wall)", scaling, TARGET_SCALING, scaling >= TARGET_SCALING))
        # On a machine shared with other work, wall time cannot show scaling; the CPU cost of the
        # parallel run against the serial one can: 2 × efficiency is the speed-up on 2 idle cores.
        projected = round(2 * one["cpu_s"] / two["cpu_s"], 2)
        report["projected_scaling_2_idle_cores"] = projected
        control = machine_efficiency()
        report["machine_efficiency_pure_python"] = round(control, 2)
        print(f"parallel efficiency {one['cpu_s'] / two['cpu_s']:.2f} (CPU of --jobs 1 / CPU of --jobs 2): "
              f"projected speed-up on 2 idle cores ×{projected}; a pure-Python loop gets {control:.2f} here")
        verdicts.append(("projected speed-up with 2 jobs (CPU)", projected, TARGET_SCALING,
                         projected >= TARGET_SCALING))
    if not args.no_grammalecte:
        g = grammalecte(src, workdir, args.grammalecte_kb)
        report["grammalecte"] = g
        if g is None:
            print("grammalecte-cli not installed (apt-get install grammalecte-cli python3-grammalecte): no ratio")
        elif "error" in g:
            print(f"grammalecte-cli failed: {g['error']}")
        else:
            print(f"Grammalecte on the first {g['subset_bytes'] / 1e3:.0f} KB: {g['grammalecte_wall_s']:.1f} s "
                  f"({g['grammalecte_mb_per_s']:.3f} MB/s); mtrepair on the same: {g['mtrepair_wall_s_same_subset']:.1f} s "
                  f"(start-up included) → ×{g['ratio_wall']} wall, ×{g['ratio_cpu']} CPU")
            verdicts.append(("× faster than Grammalecte (same slice, wall, start-up included)", g["ratio_wall"],
                             TARGET_GRAMMALECTE, g["ratio_wall"] >= TARGET_GRAMMALECTE))
            if one:
                steady = round(one["mb_per_cpu_s"] / g["grammalecte_mb_per_cpu_s"], 1)
                g["ratio_throughput_cpu"] = steady
                print(f"whole runs, MB per CPU-second: mtrepair {one['mb_per_cpu_s']:.3f} ({text_bytes / 1e6:.0f} MB run) vs "
                      f"Grammalecte {g['grammalecte_mb_per_cpu_s']:.3f} → ×{steady}")
                verdicts.append(("× Grammalecte throughput (MB per CPU-second, start-up included both sides)", steady,
                                 TARGET_GRAMMALECTE, steady >= TARGET_GRAMMALECTE))
                m_steady = text_bytes / 1e6 / max(one["cpu_s"] - g["mtrepair_startup_cpu_s"], 1e-9)
                net = round(m_steady / g["grammalecte_steady_mb_per_cpu_s"], 1)
                g["mtrepair_steady_mb_per_cpu_s"] = round(m_steady, 3)
                g["ratio_steady_cpu"] = net
                print(f"start-up subtracted on both sides (mtrepair {g['mtrepair_startup_cpu_s']:.2f} s, Grammalecte "
                      f"{g['grammalecte_startup_cpu_s']:.2f} s of CPU on one paragraph): mtrepair {m_steady:.3f} vs "
                      f"Grammalecte {g['grammalecte_steady_mb_per_cpu_s']:.3f} MB per CPU-second → ×{net}")
                verdicts.append(("× Grammalecte throughput (MB per CPU-second, start-up subtracted both sides)", net,
                                 TARGET_GRAMMALECTE, net >= TARGET_GRAMMALECTE))
                if args.ceiling and "breakdown_cpu_s" in report:
                    share = ceiling(src, args.ceiling)
                    repair_cpu = text_bytes / 1e6 / report["breakdown_cpu_s"]["whole_repair_mb_per_cpu_s"]
                    bound = text_bytes / 1e6 / max(one["cpu_s"] - share * min(repair_cpu, one["cpu_s"]), 1e-9)
                    g["ceiling_share"] = round(share, 3)
                    g["ceiling_ratio"] = round(bound / g["grammalecte_mb_per_cpu_s"], 1)
                    print(f"  the {text_bytes / 1e6:.0f} MB run with those parts free: about {bound:.2f} MB per "
                          f"CPU-second → ×{g['ceiling_ratio']} Grammalecte (an upper bound for compiling them)")
    print("\ntarget check:")
    for name, value, target, ok in verdicts:
        print(f"  {'OK  ' if ok else 'MISS'} {name}: {value} (target {'≤' if 'RSS' in name else '≥'} {target})")
    report["targets"] = [{"name": n, "value": v, "target": t, "met": ok} for n, v, t, ok in verdicts]
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
