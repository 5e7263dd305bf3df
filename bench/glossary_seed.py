"""How much of the seed article's annotated calques the glossary alone restores.

For every annotated artifact of category calque/mistranslation in
../shared/seed/spun-article.gold.json, reports whether a glossary match
(auto or check mode) overlaps it, and whether applying the glossary's first
suggestions turns the annotated span into the editor's fix exactly. Matches
that do not overlap any annotation are listed too (possible false fixes).
A person still judges "equally good alternatives" (a souligné / a noté).

    python bench/glossary_seed.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = ROOT.parent / "shared" / "seed" / "spun-article.gold.json"
CATEGORIES = ("calque", "mistranslation")


def main() -> int:
    if not SEED.is_file():
        print(f"skipped: {SEED} is absent")
        return 0
    from mtrepair.config import RepairConfig
    from mtrepair.glossary import load_glossary

    gold = json.loads(SEED.read_text(encoding="utf-8"))
    text = gold["text"]
    g = load_glossary(RepairConfig())
    matches = [m for m in g.match(text) if m.mode in ("auto", "check") and m.entry.category != "boilerplate"]
    arts = [a for a in gold["artifacts"] if a["category"] in CATEGORIES]
    exact = overlap = 0
    used = set()
    for a in arts:
        ms = [m for m in matches if m.start < a["end"] and a["start"] < m.end]
        used.update(id(m) for m in ms)
        if not ms:
            print(f"MISSED   {a['span']!r} -> {a['fix']!r} ({a['note']})")
            continue
        lo, hi = min([a["start"]] + [m.start for m in ms]), max([a["end"]] + [m.end for m in ms])
        region = text[lo:hi]
        for m in sorted(ms, key=lambda m: -m.start):
            region = region[: m.start - lo] + m.suggestions[0] + region[m.end - lo:]
        want = text[lo:a["start"]] + a["fix"] + text[a["end"]:hi]
        same = " ".join(region.split()) == " ".join(want.split())
        exact += same
        overlap += 1
        tag = "EXACT   " if same else "PARTIAL "
        print(f"{tag} {a['span']!r} -> glossary {region!r} / editor {want!r} "
              f"[{', '.join(m.entry.id + ':' + m.mode for m in ms)}]")
    for m in matches:
        if id(m) not in used:
            print(f"OUTSIDE  {m.span!r} -> {m.suggestions[0]!r} [{m.entry.id}:{m.mode}]")
    n = len(arts)
    print(f"{n} annotated calques/mistranslations: {overlap} touched ({overlap / n:.0%}), "
          f"{exact} exactly as the editor ({exact / n:.0%}); judge PARTIAL lines by hand")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
