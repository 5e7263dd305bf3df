"""Entity restoration on the seed article (../shared; skipped when absent)."""

from __future__ import annotations

import pytest

from mtrepair import Repairer, RepairConfig


def _entity_artifacts(seed):
    return [a for a in seed["artifacts"] if a["category"] == "entity"]


@pytest.mark.parametrize("remove_boilerplate", [False, True])
def test_seed_entities_restored(seed_article, remove_boilerplate):
    cfg = RepairConfig(model="none", remove_boilerplate=remove_boilerplate, find_unlisted=False)
    result = Repairer(cfg).repair(seed_article["text"])
    entity_edits = [e for e in result.edits if e.category == "entity"]
    artifacts = _entity_artifacts(seed_article)
    assert len(artifacts) == 2
    for art in artifacts:
        overlapping = [e for e in entity_edits if e.start < art["end"] and art["start"] < e.end]
        removed = [e for e in result.edits if e.category != "entity" and e.start <= art["start"]
                   and art["end"] <= e.end and art["span"] not in e.replacement]
        if remove_boilerplate and removed:
            continue  # the advert block that holds it is gone: nothing left to restore
        assert overlapping, f"no entity edit on {art['span']!r}"
        assert art["fix"] in overlapping[0].replacement
        assert "→" in overlapping[0].explanation
    # No entity edit outside the annotated entity spans.
    for e in entity_edits:
        assert any(e.start < a["end"] and a["start"] < e.end for a in artifacts), e
