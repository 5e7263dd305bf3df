"""``context.preceded-by``: the word right before the match decides its reading.

BIZ-0237 « coupe des coûts » (cost cutting -> cut of costs) is the calque when « coupe » is the noun
(« le plan de coupe des coûts », « la coupe des coûts », « une nouvelle coupe de coûts »); after its
subject it is the present-tense verb (« Le gouvernement coupe des coûts »), legitimate French.
"""

from __future__ import annotations

import textwrap

import pytest

from mtrepair import Repairer
from mtrepair.config import RepairConfig
from mtrepair.glossary.loader import parse_text


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig())


@pytest.mark.parametrize("text", [
    "Le gouvernement coupe des coûts dans tous les ministères.",
    "Chaque année, le groupe coupe des coûts sans toucher aux salaires.",
    "Il coupe des coûts là où il le peut, sans le dire.",
])
def test_the_verb_coupe_after_its_subject_is_left_alone(repairer, text):
    assert repairer.repair(text).text == text


@pytest.mark.parametrize("text, expected", [
    ("Le plan de coupe des coûts prévoit 1 000 suppressions de postes.",
     "Le plan de réduction des coûts prévoit 1 000 suppressions de postes."),
    ("La coupe des coûts a permis de sauver le groupe.", "La réduction des coûts a permis de sauver le groupe."),
    ("Une nouvelle coupe des coûts est prévue.", "Une nouvelle réduction des coûts est prévue."),
    ("Les coupes de coûts ont été annoncées hier.", "Les réductions des coûts ont été annoncées hier."),
    ("Le groupe mise sur la coupe des coûts.", "Le groupe mise sur la réduction des coûts."),
])
def test_the_noun_coupe_is_still_repaired(repairer, text, expected):
    assert repairer.repair(text).text == expected


ENTRY = """\
family: user-defined
prefix: USR
entries:
  - id: USR-1
    pattern: "coupe de|des coût"
    replace: ["réduction des coûts"]
    confidence: 0.9
    context: {{preceded-by: {value}}}
    example: "Le plan de coupe des coûts est prêt."
    expect: "Le plan de réduction des coûts est prêt."
"""


def parse(value: str):
    return parse_text(textwrap.dedent(ENTRY.format(value=value)), "f.yaml")


def test_the_loader_validates_preceded_by():
    entries, errors = parse("[De, la]")
    assert not errors and entries[0].context.preceded_by == ("de", "la")
    _, errors = parse("[le plan]")
    assert any(str(e).startswith("f.yaml:8:") and "must be one word" in str(e) for e in errors)
    _, errors = parse("3")
    assert errors
