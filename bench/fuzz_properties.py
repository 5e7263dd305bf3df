"""Long fuzzing run of the property tests (tests/test_properties.py): 100,000 examples per property.

CI runs each property with 2,000 examples; this script runs the same properties with many more
(default 100,000 each, ``--examples N`` to change) and prints, per property, the number of
examples hypothesis ran, the time taken and the outcome. Exit status is pytest's.

    nice -n 10 python bench/fuzz_properties.py                 # 100,000 per property
    python bench/fuzz_properties.py --examples 20000 -k idempotent

The 10 MB single-line input and the cross-process stability test are not repeated (they do not
depend on the example budget).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROPERTIES = "tests/test_properties.py"
#: Tests of test_properties.py that are not hypothesis properties (run once in CI, not here).
NOT_PROPERTIES = "not ten_megabytes and not hash_seeds and not generator_makes_rules_fire"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=100_000, help="examples per property (default 100000)")
    ap.add_argument("-k", default="", help="extra pytest -k expression to select properties")
    args = ap.parse_args(argv)
    selector = NOT_PROPERTIES + (f" and ({args.k})" if args.k else "")
    env = dict(os.environ, MTREPAIR_PROPERTY_EXAMPLES=str(args.examples))
    cmd = [sys.executable, "-m", "pytest", PROPERTIES, "-k", selector, "-p", "no:cacheprovider",
           "-q", "--hypothesis-show-statistics", "-rfE"]
    print(f"running {args.examples} examples per property: {' '.join(cmd)}", flush=True)
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    print(proc.stdout[-20000:])
    if proc.stderr.strip():
        print(proc.stderr[-5000:], file=sys.stderr)
    # One line per property: "test_name: N passing examples, M failing, K invalid".
    current = None
    for line in proc.stdout.splitlines():
        m = re.match(r"tests/test_properties\.py::(\w+):", line.strip())
        if m:
            current = m.group(1)
        m = re.search(r"(\d+) passing, (\d+) failing,? (?:and )?(\d+) invalid", line)
        if m and current:
            print(f"SUMMARY {current}: {m.group(1)} passing, {m.group(2)} failing, {m.group(3)} invalid")
    print(f"SUMMARY total wall time {elapsed:.0f} s, pytest exit code {proc.returncode}")
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main())
