"""Choose the in-domain mixing weight on the DEV pairs; report the TEST pairs once.

    python bench/model_domain.py [--grid 0,0.05,...] [--model DIR]

For each weight ``w`` of the grid, the embedded model is loaded with
``NgramModel(path, domain_weight=w)`` (``w = 0``: the general model alone) and scored on
tests/data/model_pairs_dev.tsv (DEV): pair accuracy (clean sentence more probable than the
spun one), mean log-probability margin, and the perplexity of the clean DEV sentences.
The chosen weight maximises DEV accuracy, ties broken by the larger mean margin. The TEST
pairs (tests/data/model_pairs.tsv) are scored only for ``w = 0`` (before) and the chosen
weight (after), never used for the choice. Also prints the weight stored in ``meta.json``
(what ``load_model()`` uses) and its TEST accuracy, so a stale build is visible.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np

from mtrepair.model import default_model_path
from mtrepair.model.ngram import NgramModel
from mtrepair.model.text import lm_tokens

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "model_pairs_dev.tsv"
TEST = ROOT / "tests" / "data" / "model_pairs.tsv"
GRID = "0,0.05,0.1,0.15,0.2,0.25,0.3,0.35,0.4,0.5,0.6,0.7"


def read_pairs(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            clean, spun = line.split("\t")
            rows.append((clean, spun))
    return rows


def evaluate(model: NgramModel, rows: list[tuple[str, str]]) -> dict:
    clean = model.logprob_many([c for c, _ in rows])
    spun = model.logprob_many([s for _, s in rows])
    uniq = sorted({c for c, _ in rows})
    lp = float(model.logprob_many(uniq).sum())
    n = sum(len(lm_tokens(t)) + 1 for t in uniq)
    wins = clean > spun
    return {
        "accuracy": round(float(wins.mean()), 4),
        "wins": int(wins.sum()),
        "pairs": len(rows),
        "mean_margin": round(float(np.mean(clean - spun)), 3),
        "clean_perplexity": round(math.exp(-lp / n), 1),
        "failures": [rows[i] for i in np.nonzero(~wins)[0]],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=str(default_model_path()))
    ap.add_argument("--grid", default=GRID, help="comma-separated weights in [0, 1)")
    ap.add_argument("--show-failures", action="store_true", help="list TEST failures after")
    args = ap.parse_args()
    path = Path(args.model)
    dev, test = read_pairs(DEV), read_pairs(TEST)
    grid = [float(x) for x in args.grid.split(",")]
    table = []
    for w in grid:
        r = evaluate(NgramModel(path, domain_weight=w), dev)
        r.pop("failures")
        table.append({"weight": w, **r})
    best = max(table, key=lambda r: (r["accuracy"], r["mean_margin"]))
    before = evaluate(NgramModel(path, domain_weight=0.0), test)
    after = evaluate(NgramModel(path, domain_weight=best["weight"]), test)
    stored = NgramModel(path)
    report = {
        "dev_grid": table,
        "chosen_weight": best["weight"],
        "test_before": {k: v for k, v in before.items() if k != "failures"},
        "test_after": {k: v for k, v in after.items() if k != "failures"},
        "stored_weight": stored.meta.get("domain", {}).get("weight"),
        "stored_model": stored.id,
    }
    if args.show_failures:
        report["test_failures_after"] = after["failures"]
        report["test_fixed"] = [p for p in before["failures"] if p not in after["failures"]]
        report["test_broken"] = [p for p in after["failures"] if p not in before["failures"]]
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
