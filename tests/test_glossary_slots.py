"""Bounded slots in glossary patterns (``{1-4}``) and slot references in replacements (``{1}``)."""

from __future__ import annotations

import pytest

from mtrepair.glossary import load_glossary
from mtrepair.glossary.glossary import Glossary
from mtrepair.glossary.loader import parse_text
from mtrepair.glossary.pattern import PatternError, expand
from glossary_support import fix, one


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load_glossary()


@pytest.mark.parametrize(
    "spun, clean",
    [
        ("« La croissance ralentit », a gardé Nadella à l'esprit.",
         "« La croissance ralentit », a souligné Nadella."),
        ("« Nous recrutons », a gardé la directrice commerciale à l’esprit lors de la conférence.",
         "« Nous recrutons », a souligné la directrice commerciale lors de la conférence."),
        ("« Rien n'est décidé », avait gardé Satya Nadella à l'esprit en mars.",
         "« Rien n'est décidé », avait souligné Satya Nadella en mars."),
        ("« Les prix montent », garde le rapport de la banque à l'esprit.",
         "« Les prix montent », souligne le rapport de la banque."),
    ],
)
def test_inverted_reporting_clause_is_rewritten_whole(shipped, spun, clean):
    out = fix(shipped, spun)
    assert out == clean
    assert "esprit" not in out


@pytest.mark.parametrize(
    "text",
    [
        # legitimate "garder X à l'esprit" (no quotation before it)
        "Il a gardé ce conseil à l'esprit toute sa vie.",
        "Elle a toujours gardé ses enfants à l'esprit pendant les négociations.",
        # a quotation, but the clause is not a reporting clause spread around a subject
        "« Non », a gardé le silence le témoin pendant de longues minutes.",
        # the slot never crosses sentence punctuation
        "« Restez calmes », a-t-il dit. Il a gardé ce conseil à l'esprit.",
        "« Oui », a gardé Paul. Marie avait tout cela à l'esprit.",
        # a subject longer than the slot's bound stays untouched (never half a fix)
        "« Oui », a gardé le patron de la banque centrale européenne à l'esprit.",
        # nor a line break
        "« Oui », a gardé Paul\nà l'esprit.",
    ],
)
def test_slot_entries_stay_silent_on_clean_or_unbounded_text(shipped, text):
    assert fix(shipped, text) == text


def test_no_half_fix_leaves_a_fragment(shipped):
    # Before slots, two entries fixed the verb and the fragment separately; a subject
    # too long for the slot must now leave the whole clause alone.
    text = "« Oui », a gardé le patron de la banque centrale européenne à l'esprit."
    assert "souligné" not in fix(shipped, text)


def test_slot_shortest_fill_and_reuse_in_user_entry():
    g = one('''  - id: T-1
    pattern: "=a =mis {1-3} en =exergue"
    replace: ["a souligné {1}"]
    confidence: 0.9
    example: "Le rapport a mis la hausse en exergue."
    expect: "Le rapport a souligné la hausse."
''')
    assert fix(g, "Le rapport a mis les risques en exergue hier.") == "Le rapport a souligné les risques hier."
    assert fix(g, "Le rapport a mis les nouveaux risques climatiques en exergue.") == \
        "Le rapport a mis les nouveaux risques climatiques en exergue."  # 4 tokens > 3
    assert fix(g, "Il a mis, dit-on, en exergue ce point.") == "Il a mis, dit-on, en exergue ce point."


def test_two_slots_are_reused_in_order():
    g = one('''  - id: T-2
    pattern: "=entre {1-3} =et {1-3} =ensemble"
    replace: ["entre {1} et {2}"]
    confidence: 0.9
    example: "un accord entre Paris et Berlin ensemble"
    expect: "un accord entre Paris et Berlin"
''')
    assert fix(g, "la fusion entre la banque et son rival ensemble a échoué") == \
        "la fusion entre la banque et son rival a échoué"


@pytest.mark.parametrize(
    "pattern, why",
    [
        ("{1-3} à l'esprit", "word before"),
        ("a gardé {1-3}", "followed"),
        ("a {1-2} {1-2} esprit", "followed"),
        ("a {1-9} esprit", "bounds"),
        ("a {1-3}? esprit", "alone"),
        ("a {3-1} esprit", "bounds"),
    ],
)
def test_bad_slots_are_rejected(pattern, why):
    with pytest.raises(PatternError, match=why):
        expand(pattern)


def test_replacement_referring_to_a_missing_slot_is_an_error():
    text = '''family: user-defined
prefix: T
entries:
  - id: T-3
    pattern: "=a =gardé {1-3} =à =l' =esprit"
    replace: ["a souligné {2}"]
    confidence: 0.9
    example: "« Oui », a gardé Paul à l'esprit."
    expect: "« Oui », a souligné Paul."
'''
    _, errors = parse_text(text, "t.yaml")
    assert any("{2}" in str(e) and "t.yaml:" in str(e) for e in errors)


# ---- boilerplate phrases: `glossary check` computes the example through the repair path ----

_BPL = '''family: user-defined
prefix: T
entries:
  - id: T-9
    pattern: "=publicité =sponsorisée"
    replace: [""]
    category: boilerplate
    scope: span
    confidence: 0.9
    example: "Publicité sponsorisée Le groupe a annoncé hier un plan social."
    expect: "Le groupe a annoncé hier un plan social."
'''


def test_boilerplate_phrase_deletion_leaves_no_stray_space(tmp_path):
    import mtrepair
    from mtrepair import RepairConfig

    path = tmp_path / "bpl.yaml"
    path.write_text(_BPL, encoding="utf-8")
    config = RepairConfig(glossary_paths=(str(path),))
    cases = [
        ("Publicité sponsorisée Le groupe a annoncé un plan.\nLa suite.", "Le groupe a annoncé un plan.\nLa suite."),
        ("Le groupe, publicité sponsorisée oblige, a annoncé un plan.", "Le groupe, oblige, a annoncé un plan."),
        ("Le groupe a annoncé un plan. Publicité sponsorisée\nLa suite.", "Le groupe a annoncé un plan.\nLa suite."),
    ]
    for spun, clean in cases:
        assert mtrepair.repair(spun, config).text == clean


def test_check_uses_the_repair_path_for_boilerplate():
    from mtrepair.glossary.check import check_glossary

    entries, errors = parse_text(_BPL, "t.yaml")
    assert not errors
    assert check_glossary(Glossary(entries)).ok
    wrong = _BPL.replace('expect: "Le groupe', 'expect: " Le groupe')  # the old check's leading space
    entries, _ = parse_text(wrong, "t.yaml")
    report = check_glossary(Glossary(entries))
    assert any("expected ' Le groupe" in str(p) for p in report.problems)


# ---- a call to action glued by the scraper to the next sentence (BPL-0194, position: block-start) ----

@pytest.mark.parametrize(
    "spun, clean",
    [
        # after a blank line
        ("Le groupe publie ses comptes.\n\nEn savoir plus pendant\nil n'est pas clair si l'accord sera signé.",
         "Le groupe publie ses comptes.\n\npendant\nil n'est pas clair si l'accord sera signé."),
        # after a line that is itself removed boilerplate (a newsletter plug)
        ("Abonnez-vous à notre newsletter pour ne rien manquer !\nEn savoir plus alors\nque rien n'est signé.",
         "Abonnez-vous à notre newsletter pour ne rien manquer !\nalors\nque rien n'est signé."),
    ],
)
def test_glued_call_to_action_is_removed(shipped, spun, clean):
    got = [m for m in shipped.match(spun) if m.entry.id == "BPL-0194"]
    assert len(got) == 1
    assert spun[:got[0].start] + spun[got[0].end:] == clean


@pytest.mark.parametrize(
    "text",
    [
        "En savoir plus sur ce sujet est difficile.",
        "Le rapport est publié.\n\nEn savoir plus sur\nce dossier demande du temps.",
        "Le rapport est publié.\nEn savoir plus pendant\nla crise était impossible.",  # line above is text
        "Le rapport est publié.\n\nEn savoir plus pendant la crise était impossible.",
        "Le rapport est publié.\n\nEn savoir plus pendant\nLa suite au prochain numéro.",
        "Il voulait en savoir plus pendant\nla réunion.",
    ],
)
def test_call_to_action_entry_stays_silent_on_french(shipped, text):
    assert not [m for m in shipped.match(text) if m.entry.id == "BPL-0194"]
