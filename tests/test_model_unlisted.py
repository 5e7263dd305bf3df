"""Unlisted suspicious phrases (mtrepair.model.unlisted): report-only, cheap, and quiet on
names, numbers, English brands and clean news text."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.model import load_model
from mtrepair.model.unlisted import UnlistedPhrasePass

CLEAN = [
    "Le gouvernement a présenté mercredi un projet de loi sur le logement étudiant. "
    "Le texte sera examiné par les députés avant la fin du mois.",
    "Les ventes du constructeur ont reculé de 4 % au premier trimestre, selon les chiffres "
    "publiés jeudi. La direction prévoit toutefois une reprise au second semestre.",
    "La maire de Lille a inauguré samedi une nouvelle ligne de tramway. Les travaux ont duré "
    "deux ans et ont coûté près de 300 millions d'euros.",
    "Le syndicat a appelé à la grève dans les hôpitaux de la région. Les négociations avec "
    "la direction doivent reprendre la semaine prochaine.",
]

NAMES = ("Microsoft a confirmé lundi que Sam Altman et Greg Brockman rejoindraient OpenAI, "
         "selon The Information et TechCrunch. Nvidia a gagné 3,5 % à Wall Street.")


@dataclass(frozen=True)
class FakeEntry:
    pattern: str
    replace: tuple
    category: str = "calque"


class FakeGlossary:
    """Only ``entries`` (no ``match``): the pass must work with any glossary-like object."""

    entries = (FakeEntry("a stressé que", ("a souligné que",)),
               FakeEntry("le chef exécutif", ("le directeur général",)),
               FakeEntry("intelligence fabriqué|créé par =l'homme", ("intelligence artificielle",)))


# variants the entries above do not match literally (pluperfect; another determiner)
VARIANT = "Le ministre avait stressé que la réforme serait votée avant l'été."
TWO_WORDS = "Selon la presse, un chef exécutif de l'entreprise a présenté sa démission lundi."


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_clean_news_is_not_flagged(model):
    p = UnlistedPhrasePass(model, None, RepairConfig())
    for text in CLEAN:
        assert p.find(Document(text)) == [], text


def test_names_numbers_and_brands_never_flagged_even_at_maximum_sensitivity(model):
    cfg = RepairConfig(unlisted_min_surprise=0.0, unlisted_margin=-100.0)
    p = UnlistedPhrasePass(model, None, cfg)
    doc = Document(NAMES)
    findings = p.find(doc)
    protected = ["Microsoft", "Sam Altman", "Greg Brockman", "OpenAI", "The Information",
                 "TechCrunch", "Nvidia", "3,5", "Wall Street"]
    for name in protected:
        a = NAMES.index(name)
        b = a + len(name)
        assert not [f for f in findings if f.start < b and a < f.end], name


def test_variant_of_a_listed_calque_is_reported_with_evidence(model):
    p = UnlistedPhrasePass(model, FakeGlossary(), RepairConfig())
    [f] = p.find(Document(VARIANT))
    assert f.span == "stressé"
    assert f.suggestions[0] == "souligné"
    assert f.mode == "report" and f.category == "calque" and f.rule == "model.unlisted"
    assert f.confidence < RepairConfig().min_confidence
    assert f.evidence["delta"] >= RepairConfig().unlisted_margin
    assert f.evidence["candidate_source"] == "glossary"
    assert f.evidence["model"] == model.id and f.evidence["surprise"] > 0


def test_multi_word_span_from_glossary_vocabulary(model):
    p = UnlistedPhrasePass(model, FakeGlossary(), RepairConfig())
    [f] = p.find(Document(TWO_WORDS))
    assert f.span == "chef exécutif" and f.suggestions[0] == "directeur général"


def test_glossary_pairs_reduce_entries_to_their_differing_part():
    from mtrepair.model.unlisted import _glossary_pairs

    pairs = _glossary_pairs(FakeGlossary())
    assert (("stressé",), "souligné") in pairs["stressé"]
    assert (("chef", "exécutif"), "directeur général") in pairs["chef"]
    assert (("fabriqué", "par", "l'", "homme"), "artificielle") not in pairs.get("fabriqué", [])  # 4 tokens: too long


def test_margins_control_reporting(model):
    strict = UnlistedPhrasePass(model, FakeGlossary(), RepairConfig(unlisted_margin=500.0))
    assert strict.find(Document(VARIANT)) == []
    deaf = UnlistedPhrasePass(model, FakeGlossary(), RepairConfig(unlisted_min_surprise=500.0))
    assert deaf.find(Document(VARIANT)) == []


USER_GLOSSARY = """\
family: user-defined
prefix: USR
entries:
  - id: USR-0001
    pattern: "=a stressé que"   # exact "a": the pluperfect is not listed
    replace: ["a souligné que"]
    category: calque
    confidence: 0.9
    mode: auto
    example: "Elle a stressé que la demande restait forte."
    expect: "Elle a souligné que la demande restait forte."
"""


def test_detect_reports_and_repair_never_applies(tmp_path):
    """Through the real wiring: the glossary fixes what it lists, the model only reports the
    unlisted variant (pluperfect), and the variant is left as it is."""
    from mtrepair import detect, repair

    path = tmp_path / "user.yaml"
    path.write_text(USER_GLOSSARY, encoding="utf-8")
    config = RepairConfig(builtin_glossary=False, glossary_paths=(str(path),), find_unlisted=True)
    text = VARIANT + " Le maire a stressé que les travaux commenceraient en septembre.\n"
    found = [f for f in detect(text, config) if f.rule == "model.unlisted"]
    assert [(f.span, f.suggestions[0], f.mode) for f in found] == [("stressé", "souligné", "report")]
    result = repair(text, config)
    assert "Le maire a souligné que" in result.text  # listed: the glossary repairs it
    assert result.text.startswith(VARIANT)  # unlisted: reported, not applied
    assert any(f.rule == "model.unlisted" for f in result.findings)
    clean = "Le ministre a souligné que la réforme serait votée avant l'été.\n"
    assert repair(clean, config).text == clean
    assert not [f for f in detect(clean, config) if f.rule == "model.unlisted"]


def test_unlisted_pass_is_wired_into_the_repairer_when_asked():
    """Off by default (it costs most of a repair's CPU and rarely fires), on with find_unlisted."""
    from mtrepair import Repairer

    assert "unlisted" in [getattr(p, "name", "") for p in Repairer(RepairConfig(find_unlisted=True)).passes]
    assert "unlisted" not in [getattr(p, "name", "") for p in Repairer(RepairConfig()).passes]


def test_cli_unlisted_flag_switches_the_pass_on_and_off(tmp_path):
    import argparse

    from mtrepair.cli.common import add_config_options, config_from_args

    parser = argparse.ArgumentParser()
    add_config_options(parser)
    assert config_from_args(parser.parse_args([])).find_unlisted is False
    assert config_from_args(parser.parse_args(["--unlisted"])).find_unlisted is True
    toml = tmp_path / "on.toml"
    toml.write_text("find_unlisted = true\n", encoding="utf-8")
    assert config_from_args(parser.parse_args(["--config", str(toml)])).find_unlisted is True
    assert config_from_args(parser.parse_args(["--config", str(toml), "--no-unlisted"])).find_unlisted is False
