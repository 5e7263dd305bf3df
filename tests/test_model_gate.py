"""Model ranking and gating of findings (mtrepair.model.gate), alone and inside repair()."""

from __future__ import annotations

import pytest

from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.model import load_model
from mtrepair.model.gate import rank_and_gate
from mtrepair.types import Finding, Source


@pytest.fixture(scope="module")
def model():
    return load_model()


def finding(text: str, span: str, suggestions, mode="check", category="calque", confidence=0.8):
    start = text.index(span)
    return Finding(start=start, end=start + len(span), span=span, category=category,
                   rule="TEST-1", source=Source("glossary", "test.yaml", 1),
                   suggestions=tuple(suggestions), confidence=confidence,
                   explanation="Test entry.", mode=mode)


def test_check_finding_applied_when_model_prefers_replacement(model):
    text = "Le ministre a gardé à l'esprit que la réforme serait votée avant l'été."
    f = finding(text, "a gardé à l'esprit que", ["a souligné que"])
    [out] = rank_and_gate([f], Document(text), model, RepairConfig())
    assert out.mode == "auto"
    assert out.evidence["model"] == model.id
    assert out.evidence["delta"] >= RepairConfig().model_margin
    assert set(out.evidence["scores"]) == {"a gardé à l'esprit que", "a souligné que"}
    assert "nats" in out.explanation and out.explanation.startswith("Test entry.")


def test_check_finding_left_alone_when_replacement_is_worse(model):
    text = "Le projet de rénovation a été présenté aux élus locaux."
    f = finding(text, "présenté", ["incendié"])
    [out] = rank_and_gate([f], Document(text), model, RepairConfig())
    assert out.mode == "check"
    assert out.evidence["delta"] < 0
    assert "left for review" in out.explanation


def test_margin_is_configurable(model):
    text = "Le ministre a gardé à l'esprit que la réforme serait votée avant l'été."
    f = finding(text, "a gardé à l'esprit que", ["a souligné que"])
    [out] = rank_and_gate([f], Document(text), model, RepairConfig(model_margin=1000.0))
    assert out.mode == "check"


def test_suggestions_reordered_by_context(model):
    text = "Le groupe a annoncé mardi le licenciement de 300 de ses individus."
    f = finding(text, "ses individus", ["ses tables", "ses employés"], mode="auto")
    [out] = rank_and_gate([f], Document(text), model, RepairConfig())
    assert out.suggestions == ("ses employés", "ses tables")
    assert out.mode == "auto"
    assert "reordered" in out.explanation


def test_veto_only_when_configured(model):
    text = "Les députés ont adopté le texte en première lecture."
    f = finding(text, "adopté", ["incendié"], mode="auto")
    [kept] = rank_and_gate([f], Document(text), model, RepairConfig())
    assert kept.mode == "auto" and kept.suggestions == ("incendié",)  # no veto by default
    [vetoed] = rank_and_gate([f], Document(text), model, RepairConfig(model_veto_margin=2.0))
    assert vetoed.mode == "check"
    assert "Vetoed" in vetoed.explanation


def test_other_categories_and_no_model_pass_through(model):
    text = "Abonnez-vous à notre newsletter !\nLe ministre a parlé."
    f = finding(text, "Abonnez-vous à notre newsletter !", [""], mode="auto", category="boilerplate")
    assert rank_and_gate([f], Document(text), model, RepairConfig()) == [f]
    g = finding(text, "parlé", ["incendié"])
    assert rank_and_gate([g], Document(text), None, RepairConfig()) == [g]


GLOSSARY = """\
family: user-defined
prefix: USR
entries:
  - id: USR-0001
    pattern: "a gardé à l'esprit que"
    replace: ["a souligné que"]
    category: calque
    confidence: 0.9
    mode: check
    example: "Elle a gardé à l'esprit que la demande restait forte."
    expect: "Elle a souligné que la demande restait forte."
  - id: USR-0002
    pattern: "a souligné que"
    replace: ["a gardé à l'esprit que"]
    category: calque
    confidence: 0.9
    mode: check
    example: "Elle a souligné que la demande restait forte."
    expect: "Elle a gardé à l'esprit que la demande restait forte."
"""


@pytest.fixture()
def repair_config(tmp_path):
    path = tmp_path / "user.yaml"
    path.write_text(GLOSSARY, encoding="utf-8")
    config = RepairConfig(builtin_glossary=False, glossary_paths=(str(path),), find_unlisted=False)
    from mtrepair.glossary import load_glossary

    assert len(load_glossary(config).entries) == 2, load_glossary(config).problems
    return config


def test_repair_applies_check_entry_the_model_confirms(repair_config):
    from mtrepair import repair

    text = "La directrice financière a gardé à l'esprit que les résultats étaient conformes aux prévisions.\n"
    result = repair(text, repair_config)
    assert "a souligné que les résultats" in result.text
    [edit] = [e for e in result.edits if e.rule == "USR-0001"]
    assert "nats" in edit.explanation


def test_repair_keeps_clean_text_when_model_disagrees(repair_config):
    from mtrepair import repair

    text = "Le ministre a souligné que la réforme serait votée avant l'été.\n"
    result = repair(text, repair_config)
    assert result.text == text
    left = [f for f in result.findings if f.rule == "USR-0002"]
    assert left and left[0].mode == "check" and left[0].evidence["delta"] < 1.0
