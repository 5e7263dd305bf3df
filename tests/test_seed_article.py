"""The user's seed article (../shared/seed): recall on annotated artifacts, precision outside them.

Skips with a reason when ../shared is absent (a user's fresh clone has none).
The article's fixes are never hard-coded: we only measure overlap between
mtrepair's edits and the editor's annotated spans.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Issue 2's bar: an edit overlapping at least this share of high-confidence annotated artifacts.
MIN_HIGH_CONFIDENCE_RECALL = 0.60


def _overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1] or (a[0] == a[1] and b[0] <= a[0] <= b[1])


def _run_cli_json(text_path):
    proc = subprocess.run(
        [sys.executable, "-m", "mtrepair", "repair", str(text_path), "--format", "json"],
        capture_output=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return json.loads(proc.stdout.decode("utf-8"))


@pytest.fixture(scope="module")
def seed_run(seed_article, tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "spun-article.txt"
    path.write_text(seed_article["text"], encoding="utf-8")
    return seed_article, _run_cli_json(path)


def test_cli_finds_most_high_confidence_artifacts(seed_run):
    gold, out = seed_run
    high = [a for a in gold["artifacts"] if a["confidence"] == "high"]
    spans = [(e["start"], e["end"]) for e in out["edits"]]
    found = [a for a in high if any(_overlaps(s, (a["start"], a["end"])) for s in spans)]
    missed = [a["span"][:50] for a in high if a not in found]
    recall = len(found) / len(high)
    print(f"high-confidence recall: {len(found)}/{len(high)} = {recall:.0%}; missed: {missed}")
    assert recall >= MIN_HIGH_CONFIDENCE_RECALL, missed


def test_no_edit_outside_annotated_spans_except_whitespace(seed_run):
    gold, out = seed_run
    annotated = [(a["start"], a["end"]) for a in gold["artifacts"]]
    stray = [
        e for e in out["edits"]
        if not any(_overlaps((e["start"], e["end"]), a) for a in annotated)
        and not (e["original"].strip() == "" and e["replacement"].strip() == "")
        and e["category"] != "typography"
    ]
    assert stray == [], [(e["original"], e["replacement"], e["rule"]) for e in stray]


def test_offsets_refer_to_the_decoded_file(seed_run):
    gold, out = seed_run
    text = gold["text"]
    for e in out["edits"]:
        assert text[e["start"]:e["end"]] == e["original"]
