"""Does the quality index order documents sensibly? clean > light > heavy, on the whole damage set.

    python bench/score_ordering.py [--model none] [--limit N]

Builds the seeded set of tests/scoring_damage.py (clean news paragraphs with three inserted
glossary ``expect`` sentences; light = one replaced by its calque ``example``, heavy = all three),
scores each version with the default configuration, and prints the share of triples ordered
clean > light > heavy, the index distribution of each version and the failures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from scoring_damage import build_triples, glossary_pairs  # noqa: E402

from mtrepair.config import RepairConfig  # noqa: E402
from mtrepair.scoring.quality import quality_report  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="reference model (default: embedded; 'none' for no fluency)")
    ap.add_argument("--limit", type=int, default=None, help="score only a seeded sample of N paragraphs")
    args = ap.parse_args()
    config = RepairConfig(model=args.model)
    pairs = glossary_pairs()
    triples = build_triples(limit=args.limit)
    t0 = time.perf_counter()
    rows = []
    for t in triples:
        rows.append((t, *(quality_report(x, config) for x in (t.clean, t.light, t.heavy))))
    elapsed = time.perf_counter() - t0
    ok = [r for r in rows if r[1].index > r[2].index > r[3].index]
    print(f"damage pairs: {len(pairs)} glossary auto entries; triples: {len(triples)}; model: {rows[0][1].fluency.model}")
    print(f"clean > light > heavy: {len(ok)}/{len(rows)} = {len(ok) / len(rows):.1%}")
    for name, k in (("clean", 1), ("light", 2), ("heavy", 3)):
        idx = [r[k].index for r in rows]
        q = statistics.quantiles(idx, n=10)
        verdicts = {v: sum(r[k].verdict == v for r in rows) for v in ("keep", "review", "drop")}
        print(f"{name:<6} index median {statistics.median(idx):5.1f}  p10 {q[0]:5.1f}  p90 {q[-1]:5.1f}  verdicts {verdicts}")
    for r in rows:
        if r not in ok:
            t = r[0]
            print(f"  not ordered: {t.id} {t.entries}: {r[1].index:.1f} / {r[2].index:.1f} / {r[3].index:.1f}")
    print(f"{3 * len(rows)} reports in {elapsed:.1f} s ({elapsed / (3 * len(rows)) * 1000:.1f} ms each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
