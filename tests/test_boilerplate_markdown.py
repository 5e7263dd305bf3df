"""Markdown section headings that share a boilerplate label's words (« ## Publicité » over a
paragraph about advertising) are the article's own structure and are kept (reported); the same
labels as site furniture converted to markdown still go."""

from __future__ import annotations

import pytest

from mtrepair import Repairer
from mtrepair.config import RepairConfig


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig())


KEPT = [
    "## Presse\nLes ventes en kiosque ont encore baissé de 6 % sur un an.\n## Publicité\n"
    "Le marché publicitaire a reculé de 3 % en 2024, sa première baisse depuis 2020.\n## Radio\n"
    "L'audience cumulée reste stable, à 38 millions d'auditeurs par jour.",
    "# Bilan annuel\n\n## Newsletter\n\nNotre lettre quotidienne compte désormais 40 000 abonnés, deux fois "
    "plus qu'en 2022.",
]


@pytest.mark.parametrize("text", KEPT)
def test_a_markdown_heading_over_content_is_kept_and_reported(repairer, text):
    result = repairer.repair(text)
    assert result.text == text, [(e.rule, e.original) for e in result.edits]
    reported = [f for f in result.findings if f.category == "boilerplate"]
    assert reported and all(f.mode == "report" and f.confidence <= 0.5 for f in reported)
    assert any("markdown section heading" in f.explanation for f in reported)


@pytest.mark.parametrize("text, gone", [
    # A heading over a call to the reader: furniture.
    ("## Newsletter\nInscrivez-vous à notre lettre quotidienne.\n\nLe conseil municipal a voté le budget.",
     "## Newsletter"),
    ("## Newsletter\nRecevez chaque matin l'essentiel de l'actualité dans votre boîte.\n\n"
     "Le conseil municipal a voté le budget.", "## Newsletter"),
    # Stacked labels: a block of furniture, the second one too.
    ("## Publicité\n## Newsletter\nLe conseil municipal a voté le budget jeudi soir.", "## Newsletter"),
    # The same label without the markdown marker keeps its old behaviour.
    ("Publicité\nLe conseil municipal a voté le budget jeudi soir.", "Publicité"),
])
def test_furniture_in_markdown_still_goes(repairer, text, gone):
    assert gone not in repairer.repair(text).text
