"""Repair a JSONL file of scraped articles with the batch engine, from Python.

    python examples/batch_jsonl.py IN.jsonl OUT.jsonl [--jobs 2]

The same as ``mtrepair repair IN.jsonl -o OUT.jsonl --jobs 2``: every record keeps its
fields and gains ``repaired_text``, ``edits``, ``findings``, ``scores`` and ``changed``
(or ``error``). Without arguments it repairs a few records made up here and prints them.
"""

from __future__ import annotations

import argparse
import sys

from mtrepair import RepairConfig
from mtrepair.batch import BatchOptions, Progress, repair_paths, repair_records


def demo() -> None:
    records = [
        {"id": "a1", "url": "https://exemple.fr/a1",
         "text": "Le groupe a gardé à l'esprit que ses individus restent mobilisés. Et maintenant ? Rien."},
        {"id": "a2", "url": "https://exemple.fr/a2",
         "text": "Le conseil municipal s’est réuni jeudi soir pour voter le budget."},
        {"id": "a3", "url": "https://exemple.fr/a3"},  # no text: comes back with an "error" field
    ]
    for out in repair_records(records, RepairConfig()):
        if "error" in out:
            print(f"{out['id']}: error: {out['error']}")
            continue
        print(f"{out['id']}: {len(out['edits'])} edit(s) -> {out['repaired_text']}")
        for e in out["edits"]:
            print(f"    «{e['original']}» → «{e['replacement']}»  [{e['rule']}] {e['explanation']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", nargs="?")
    ap.add_argument("output", nargs="?")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--text-field", default="text")
    args = ap.parse_args()
    if not args.input:
        demo()
        return 0
    options = BatchOptions(text_field=args.text_field, jobs=args.jobs, output_format="jsonl")
    summary = repair_paths([args.input], RepairConfig(), options, output=args.output, progress=Progress())
    print(summary.line(), file=sys.stderr)
    return 1 if summary.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
