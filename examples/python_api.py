"""A short tour of mtrepair's Python API on the bundled example articles.

Run it from the repository root:  python examples/python_api.py
"""

from pathlib import Path

import mtrepair
from mtrepair import RepairConfig, Repairer

HERE = Path(__file__).resolve().parent
text = (HERE / "spun-article-1.txt").read_text(encoding="utf-8")

# 1. One call: repair a text, then read what was changed and why.
result = mtrepair.repair(text)
print(f"{len(result.edits)} edits applied, {len(result.findings)} findings left for a human\n")
for edit in result.edits:
    print(f"[{edit.category}] {edit.original!r} -> {edit.replacement!r}")
    print(f"    rule {edit.rule} ({edit.source}), confidence {edit.confidence:.2f}")
    print(f"    why: {edit.explanation}")

# Applying the edits to the input always reproduces the output exactly.
assert mtrepair.apply_edits(text, result.edits) == result.text

# 2. Findings that were not applied (below the threshold, report-only, vetoed by the model).
for finding in result.findings[:5]:
    print(f"unapplied: {finding.span!r} ({finding.rule}, {finding.confidence:.2f}): {finding.explanation}")

# 3. A reusable Repairer loads glossaries and models once; a stricter, quieter configuration:
#    only apply very confident edits, keep the boilerplate, and no model.
strict = Repairer(RepairConfig(min_confidence=0.9, remove_boilerplate=False, model="none"))
for name in ("spun-article-2.txt", "spun-article-3.txt"):
    article = (HERE / name).read_text(encoding="utf-8")
    print(f"\n{name}: {len(strict.repair(article).edits)} edits with the strict configuration")

# 4. detect() lists findings without changing anything.
findings = mtrepair.detect(text)
print(f"\ndetect(): {len(findings)} findings; categories: {sorted({str(f.category) for f in findings})}")

# 5. score() rates the French before and after repair.
report = mtrepair.score(result.text, original=text)
before = report.before
print(f"\nscore(): quality index {before.index:.0f} -> {report.index:.0f} / 100 "
      f"(verdict: {before.verdict} -> {report.verdict}); artifacts per 100 words "
      f"{before.artifacts.per_100_words:.1f} -> {report.artifacts.per_100_words:.1f}")
