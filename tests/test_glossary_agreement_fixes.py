"""Agreement and meaning fixes of glossary replacements (quantifiers, adjectives, plurals, meaning flips)."""

from __future__ import annotations

import pytest

from mtrepair.glossary import load_glossary
from mtrepair.glossary.check import apply_matches, check_glossary
from mtrepair.glossary.glossary import Glossary
from mtrepair.glossary.loader import parse_text


def one(yaml_entries: str) -> Glossary:
    text = "family: user-defined\nprefix: T\nentries:\n" + yaml_entries
    entries, errors = parse_text(text, "t.yaml")
    assert not errors, [str(e) for e in errors]
    return Glossary(entries)


def fix(g: Glossary, text: str, modes=("auto", "check")) -> str:
    return apply_matches(text, [m for m in g.match(text) if m.mode in modes])


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load_glossary()


USER = one('''  - id: T-1
    pattern: "=chaque =jour =de =la =semaine"
    replace: ["tous les jours"]
    confidence: 0.9
    example: "Il publie chaque jour de la semaine des vidéos."
    expect: "Il publie tous les jours des vidéos."
  - id: T-2
    pattern: "=le =premier =moment =jamais"
    replace: ["la toute première fois"]
    gender: f
    confidence: 0.9
    example: "C'était le premier moment jamais vu."
    expect: "C'était la toute première fois vu."
  - id: T-3
    pattern: "individu"
    replace: ["personne"]
    gender: f
    confidence: 0.9
    example: "Un individu attend."
    expect: "Une personne attend."
  - id: T-4
    pattern: "sécuritaire"
    replace: ["sûr"]
    confidence: 0.9
    example: "Un réseau sécuritaire protège les données."
    expect: "Un réseau sûr protège les données."
''')


def test_user_fixture_passes_check():
    assert check_glossary(USER).ok, [str(p) for p in check_glossary(USER).problems]


@pytest.mark.parametrize(
    "spun, clean",
    [
        # a quantifier written in the replacement is never re-inflected
        ("Il publie chaque jour de la semaine des vidéos.", "Il publie tous les jours des vidéos."),
        ("C'était le premier moment jamais enregistré.", "C'était la toute première fois enregistré."),
        # adjectives and quantifiers before a noun whose gender changes agree with it
        ("De nombreux individus attendent devant l'usine.", "De nombreuses personnes attendent devant l'usine."),
        ("Les nouveaux individus arrivent lundi.", "Les nouvelles personnes arrivent lundi."),
        ("Divers individus ont témoigné.", "Diverses personnes ont témoigné."),
        ("Certains individus partent.", "Certaines personnes partent."),
        ("Plusieurs individus partent.", "Plusieurs personnes partent."),
        # an adjective replacement agrees with the noun it follows
        ("Des réseaux sécuritaire protègent.", "Des réseaux sécuritaire protègent."),  # gender cannot be told: not auto-applied
        ("Une messagerie sécuritaire protège les données.", "Une messagerie sûre protège les données."),
        ("La messagerie sécuritaire protège les données.", "La messagerie sûre protège les données."),
        ("Un réseau sécuritaire protège les données.", "Un réseau sûr protège les données."),
    ],
)
def test_agreement_with_user_entries(spun, clean):
    assert fix(USER, spun) == clean


@pytest.mark.parametrize(
    "spun, clean",
    [
        ("Des logiciels malicieux ont infecté les serveurs de la banque.",
         "Des logiciels malveillants ont infecté les serveurs de la banque."),
        ("Un logiciel malicieux a infecté les serveurs de la banque.",
         "Un logiciel malveillant a infecté les serveurs de la banque."),
        ("Les promoteurs d'applications devront payer une commission à Apple.",
         "Les développeurs d'applications devront payer une commission à Apple."),
    ],
)
def test_shipped_entries_agree(shipped, spun, clean):
    assert fix(shipped, spun) == clean


@pytest.mark.parametrize(
    "text, noun",
    [
        ("Le groupe annonce une baisse dramatique de ses ventes.", "baisse"),
        ("L'action a connu une chute dramatique après l'annonce.", "chute"),
        ("Le secteur enregistre un recul dramatique de ses commandes.", "recul"),
        ("Les ménages subissent une augmentation dramatique de leurs factures.", "augmentation"),
    ],
)
def test_a_replacement_never_flips_the_meaning(shipped, text, noun):
    for m in shipped.match(text):
        for s in m.suggestions:
            assert "hausse" not in s
            assert noun in s or "dramatique" not in m.span


@pytest.mark.parametrize(
    "text",
    [
        "Il a quitté son poste chez Facebook en 2020.",
        "Elle occupe un poste chez Instagram depuis deux ans.",
        "Elle a annoncé son départ de son poste sur LinkedIn.",
        "Le nuage hybride de Microsoft séduit les entreprises.",
    ],
)
def test_no_meaning_changing_auto_fix(shipped, text):
    changed = [m for m in shipped.match(text) if m.mode != "report" and m.entry.id in ("BIZ-0150", "TEC-0068")]
    assert not changed
    for m in shipped.match(text):
        if "nuage hybride" in m.span:
            assert "hybride" in m.suggestions[0]


def test_post_on_a_network_is_still_fixed(shipped):
    text = "Dans un poste sur X, le ministre a démenti toute hausse d'impôt."
    out = fix(shipped, text)
    assert "message sur X" in out or "publication sur X" in out


def test_no_meaning_flip_warnings_left(shipped):
    # the known flips (baisse -> hausse, hybride -> public, mois -> semaine, ...) are split per alternative
    report = check_glossary(shipped)
    flagged = " ".join(str(w) for w in report.warnings)
    for eid in ("GLU-0071", "GLU-0155", "GLU-0156", "TEC-0067", "TEC-0068", "TEC-0138", "TEC-0132", "GLU-0030"):
        assert f"{eid}:" not in flagged
