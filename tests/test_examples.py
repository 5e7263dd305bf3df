"""The bundled examples do what examples/README.md says: every article shows its artifact families
being repaired, clean text around them is kept, and the Python API tour runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mtrepair
from mtrepair import Repairer

from robustness_support import ROOT, check_result, default_config

EXAMPLES = ROOT / "examples"
ARTICLES = sorted(EXAMPLES.glob("spun-article-*.txt"))


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(default_config())


def test_there_are_three_example_articles():
    assert [p.name for p in ARTICLES] == ["spun-article-1.txt", "spun-article-2.txt", "spun-article-3.txt"]


@pytest.mark.parametrize("path", ARTICLES, ids=[p.name for p in ARTICLES])
def test_example_article_is_repaired_across_artifact_families(repairer, path):
    text = path.read_text(encoding="utf-8")
    result = repairer.repair(text)
    check_result(text, result)
    categories = {str(e.category) for e in result.edits}
    assert {"calque", "boilerplate"} <= categories, categories
    assert len(categories) >= 4, categories
    assert all(e.explanation and e.rule for e in result.edits)
    assert repairer.repair(result.text).text == result.text


def test_quick_start_article_restores_the_garbled_outlet(repairer):
    text = (EXAMPLES / "spun-article-1.txt").read_text(encoding="utf-8")
    result = repairer.repair(text)
    assert "The Details" not in result.text and "The Information" in result.text
    assert "Et maintenant ?" in result.text or "Et maintenant\u202f?" in result.text
    # The sentence the stranded « pendant » broke is on one line again.
    assert "pendant\nelle recrute" not in result.text


def test_python_api_tour_runs():
    proc = subprocess.run([sys.executable, str(EXAMPLES / "python_api.py")], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "edits applied" in proc.stdout and "why:" in proc.stdout and "score():" in proc.stdout
