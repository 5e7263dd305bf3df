"""How the model gate treats the glossary's own examples.

    python bench/model_gate.py [--margin 1.0] [--veto 3.0] [--show 15]

For every glossary entry with an ``example`` (spun) and an ``expect`` (repaired) sentence:
``delta = logprob(expect) - logprob(example)``, which is what
:func:`mtrepair.model.gate.rank_and_gate` compares with ``model_margin`` on a one-sentence
document. Reports, by mode: how many ``check`` entries the model would promote (delta >=
margin), how many ``auto`` entries a ``model_veto_margin`` would veto (delta <= -veto), and
the entries the model disagrees with most (material for glossary authors: a counter-example,
a context constraint, or a known limit of the model). ``--compare-weight W`` also scores the
same entries with the embedded model at in-domain weight ``W`` (e.g. 0 = general model
alone) and lists the ``check`` entries whose promotion differs between the two.
"""

from __future__ import annotations

import argparse
import json

from mtrepair.config import RepairConfig
from mtrepair.glossary import load_glossary
from mtrepair.model import load_model


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--margin", type=float, default=RepairConfig().model_margin)
    ap.add_argument("--veto", type=float, default=3.0)
    ap.add_argument("--show", type=int, default=15)
    ap.add_argument("--compare-weight", type=float, default=None,
                    help="also score with the embedded model at this in-domain weight")
    args = ap.parse_args()
    model = load_model()
    entries = [e for e in load_glossary(RepairConfig()).entries
               if e.example and e.expect and e.example != e.expect and e.category != "boilerplate"]
    spun = model.logprob_many([e.example for e in entries])
    fixed = model.logprob_many([e.expect for e in entries])
    deltas = fixed - spun
    report: dict = {"model": model.id, "entries": len(entries), "by_mode": {}}
    for mode in ("auto", "check", "report"):
        idx = [i for i, e in enumerate(entries) if e.mode == mode]
        if not idx:
            continue
        d = deltas[idx]
        report["by_mode"][mode] = {
            "entries": len(idx),
            "model_prefers_fix": round(float((d > 0).mean()), 3),
            f"delta>=margin({args.margin:g})": round(float((d >= args.margin).mean()), 3),
            f"vetoed_at(-{args.veto:g})": round(float((d <= -args.veto).mean()), 3),
        }
    worst = sorted(range(len(entries)), key=lambda i: deltas[i])[: args.show]
    report["most_disputed"] = [
        {"id": entries[i].id, "mode": entries[i].mode, "delta": round(float(deltas[i]), 2),
         "example": entries[i].example, "expect": entries[i].expect}
        for i in worst
    ]
    if args.compare_weight is not None:
        from mtrepair.model import default_model_path
        from mtrepair.model.ngram import NgramModel

        other = NgramModel(default_model_path(), domain_weight=args.compare_weight)
        d2 = other.logprob_many([e.expect for e in entries]) - other.logprob_many([e.example for e in entries])
        check = [i for i, e in enumerate(entries) if e.mode == "check"]

        def row(i: int) -> dict:
            return {"id": entries[i].id, "delta": round(float(deltas[i]), 2),
                    "delta_other": round(float(d2[i]), 2), "example": entries[i].example,
                    "expect": entries[i].expect}

        report["compare"] = {
            "other_model": other.id,
            "check_promoted": int(sum(deltas[i] >= args.margin for i in check)),
            "check_promoted_other": int(sum(d2[i] >= args.margin for i in check)),
            "promoted_only_now": [row(i) for i in check if deltas[i] >= args.margin > d2[i]],
            "promoted_only_other": [row(i) for i in check if d2[i] >= args.margin > deltas[i]],
        }
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
