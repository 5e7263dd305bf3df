"""Shared test fixtures: paths to the project and to ../shared (optional)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MTREPAIR_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed"
CORPUS = SHARED / "corpus" / "fr"


@pytest.fixture(scope="session")
def seed_article():
    path = SEED / "spun-article.gold.json"
    if not path.exists():
        pytest.skip(f"../shared is absent ({path} not found): seed article tests need it")
    import json

    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_dir():
    if not CORPUS.is_dir():
        pytest.skip(f"../shared is absent ({CORPUS} not found): corpus tests need it")
    return CORPUS
