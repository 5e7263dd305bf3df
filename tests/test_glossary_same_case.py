"""``context.same-case``: a doubled word is a stutter only when its case repeats.

« les les dirigeants », « Les les dirigeants » (sentence start) are spinner/MT glitches; « de passer
une Une halte… » (a heading « Une halte » glued on after a lost line break) or « sur SUR, prép. »
(a dictionary entry) are two words across a lost boundary: the doubled-word entries GLU-0133..0145
carry ``same-case: true`` and leave them alone.
"""

from __future__ import annotations

import textwrap

import pytest

from mtrepair import Repairer
from mtrepair.config import RepairConfig
from mtrepair.glossary import load_glossary
from mtrepair.glossary.loader import parse_text


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig())


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(RepairConfig())


def test_every_doubled_word_entry_is_same_case(glossary):
    doubled = [e for e in glossary.entries
               if len(e.pattern.split()) == 2 and e.pattern.split()[0] == e.pattern.split()[1]]
    assert len(doubled) >= 13
    assert all(e.context.same_case for e in doubled), [e.id for e in doubled if not e.context.same_case]


@pytest.mark.parametrize("text", [
    "Au programme, le guide propose de passer une Une halte au bord du lac permet de souffler.",
    "Le dictionnaire range le mot sur SUR, prép. Marque la position d'une chose.",
    "Le journal a interrogé les LES plus anciens abonnés.",
    "Le ministre s'est exprimé dans Dans la presse, une chronique hebdomadaire.",
])
def test_a_capital_after_a_lower_case_word_is_no_stutter(repairer, text):
    assert repairer.repair(text).text == text


def test_the_glossary_itself_skips_a_heading_after_a_lost_line_break(glossary):
    # the glossary only (the line-break pass may join the lines first)
    assert not [m for m in glossary.match("Le guide propose de passer une\nUne halte au bord du lac.")
                if m.entry.id == "GLU-0137"]
    assert [m.entry.id for m in glossary.match("Le guide propose de passer une une halte au bord du lac.")
            if m.entry.id == "GLU-0137"] == ["GLU-0137"]


@pytest.mark.parametrize("text, expected", [
    ("Il a rencontré les les dirigeants du groupe.", "Il a rencontré les dirigeants du groupe."),
    ("Les les dirigeants du groupe ont démissionné.", "Les dirigeants du groupe ont démissionné."),
    ("La société a connu une une année difficile.", "La société a connu une année difficile."),
    ("L'annonce a été publiée sur sur son compte officiel.", "L'annonce a été publiée sur son compte officiel."),
    ("L'ANNONCE A ÉTÉ PUBLIÉE SUR SUR SON COMPTE.", "L'ANNONCE A ÉTÉ PUBLIÉE SUR SON COMPTE."),
])
def test_a_stutter_in_one_case_is_still_repaired(repairer, text, expected):
    assert repairer.repair(text).text == expected


ENTRY = """\
family: user-defined
prefix: USR
entries:
  - id: USR-1
    pattern: "{pattern}"
    replace: ["pour"]
    confidence: 0.9
    context: {{same-case: {value}}}
    example: "Le groupe a payé cher pour pour ce rachat."
    expect: "Le groupe a payé cher pour ce rachat."
"""


def errors_of(pattern: str, value: str) -> list[str]:
    _, errors = parse_text(textwrap.dedent(ENTRY.format(pattern=pattern, value=value)), "f.yaml")
    return [str(e) for e in errors]


def test_the_loader_validates_same_case():
    assert errors_of("=pour =pour", "true") == []
    assert any("same-case must be true or false" in e and e.startswith("f.yaml:8:") for e in errors_of("=pour =pour", "sometimes"))
    assert any("needs a pattern of two words" in e for e in errors_of("=pour", "true"))
    entries, errors = parse_text(ENTRY.format(pattern="=pour =pour", value="true"), "f.yaml")
    assert not errors and entries[0].context.same_case
