"""Behaviour of the glossary engine on realistic French sentences (fixtures in tests/data/glossary)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtrepair.document import Document
from mtrepair.glossary import GlossaryPass, load_paths
from mtrepair.glossary.check import check_glossary
from mtrepair.glossary.glossary import Glossary
from mtrepair.types import Finding
from glossary_support import fix, one

DATA = Path(__file__).parent / "data" / "glossary"


@pytest.fixture(scope="module")
def fixtures() -> Glossary:
    g = load_paths([DATA / "engine.yaml"])
    assert not g.problems, [str(p) for p in g.problems]
    return g


def test_fixture_file_passes_its_own_check(fixtures):
    report = check_glossary(fixtures)
    assert report.ok, [str(p) for p in report.problems]


@pytest.mark.parametrize(
    "spun, clean",
    [
        ("Le ministre garde à l'esprit que la dette augmente.", "Le ministre souligne que la dette augmente."),
        ("La ministre gardait à l'esprit que la dette augmentait.", "La ministre soulignait que la dette augmentait."),
        ("Les analystes gardent à l’esprit que la demande ralentit.", "Les analystes soulignent que la demande ralentit."),
        ("Elle gardera à l'esprit qu'il reste du travail.", "Elle soulignera qu'il reste du travail."),
    ],
)
def test_verb_is_conjugated_like_the_matched_verb(fixtures, spun, clean):
    assert fix(fixtures, spun) == clean


def test_typographic_apostrophes_are_kept(fixtures):
    out = fix(fixtures, "Des dizaines de membres du personnel l’ont quitté.")
    assert out == "Des dizaines d’employés l’ont quitté."


@pytest.mark.parametrize(
    "spun, clean",
    [
        ("Le quartier technologique s'inquiète.", "La communauté tech s'inquiète."),
        ("Elle parle au quartier technologique depuis Paris.", "Elle parle à la communauté tech depuis Paris."),
        ("Les investisseurs du quartier technologique hésitent.", "Les investisseurs de la communauté tech hésitent."),
        ("Ce quartier technologique est inquiet.", "Cette communauté tech est inquiet."),
        ("Les quartiers technologiques de Londres recrutent.", "Les communautés tech de Londres recrutent."),
        ("Un nouveau groupe d'étude sera créé.", "Une nouvelle équipe sera créé."),
        ("Il rejoint le tout nouveau groupe d'étude de Microsoft.", "Il rejoint la toute nouvelle équipe de Microsoft."),
    ],
)
def test_determiners_and_adjectives_agree_with_the_new_noun(fixtures, spun, clean):
    # Only what precedes the noun agrees; words after the span are left alone.
    assert fix(fixtures, spun) == clean


def test_elision_before_replacement_and_capitals(fixtures):
    assert fix(fixtures, "LE QUARTIER TECHNOLOGIQUE réagit.") == "LA COMMUNAUTÉ TECH réagit."
    assert fix(fixtures, "Il cite l'ancien groupe d'étude.") == "Il cite l'ancienne équipe."
    assert fix(fixtures, "Vingt membres du personnel sont partis.") == "Vingt employés sont partis."


def test_number_follows_the_matched_noun(fixtures):
    assert fix(fixtures, "La société félicite ses individus.") == "La société félicite ses employés."
    assert fix(fixtures, "Le groupe a perdu un individu clé.") == "Le groupe a perdu un employé clé."


def test_context_constraints(fixtures):
    # forbid: "falloir" within the window keeps the legitimate use silent
    assert [m for m in fixtures.match("Il faudra garder à l'esprit que les taux montent.") if m.mode != "report"] == []
    # require: "individu" alone in a general sentence is legitimate French
    assert fixtures.match("Chaque individu peut voter librement.") == []
    # position: "pendant" only at a sentence end (stranded word of a broken line)
    assert [m.entry.id for m in fixtures.match("Les ventes montent pendant\nla nuit tombe.")] == ["TST-0005"]
    assert fixtures.match("Les ventes montent pendant la nuit.") == []


def test_clean_news_paragraph_is_untouched(fixtures):
    clean = (
        "Le gouvernement a présenté mardi son projet de budget pour 2025. Selon le ministre de "
        "l'Économie, le déficit devrait reculer à 5 % du PIB. Les syndicats ont dénoncé des coupes "
        "dans les services publics, tandis que le patronat salue un effort de maîtrise des dépenses. "
        "Pendant ce temps, la Banque centrale européenne garde un œil sur l'inflation."
    )
    assert [m for m in fixtures.match(clean) if m.mode == "auto"] == []


def test_participle_of_another_group_after_an_auxiliary(fixtures):
    assert fix(fixtures, "Elle a été élevée au poste de directrice générale.") == (
        "Elle a été promue au poste de directrice générale.")
    assert fix(fixtures, "Ils ont été élevés au rang de directeurs.") == "Ils ont été promus au rang de directeurs."


def test_report_when_the_verb_cannot_be_conjugated(fixtures):
    # no auxiliary: "élevée" could be any form; promouvoir is of another group -> report, never a guess
    [m] = fixtures.match("Élevée au poste de directrice, elle réorganise le groupe.")
    assert m.mode == "report"
    assert m.notes and "promouvoir" in m.notes[0]
    assert fix(fixtures, "Élevée au poste de directrice, elle réorganise le groupe.") == (
        "Élevée au poste de directrice, elle réorganise le groupe.")


def test_verb_in_another_group_and_tense(fixtures):
    assert fix(fixtures, "Le conseil a restauré le directeur dans son poste.") == (
        "Le conseil a rétabli le directeur dans son poste.")
    assert fix(fixtures, "Le conseil restaurera le directeur dans ses fonctions.") == (
        "Le conseil rétablira le directeur dans ses fonctions.")


def test_boilerplate_scope_line_covers_the_whole_line(fixtures):
    text = "Le marché progresse.\nEn savoir plus\nLa suite demain."
    [m] = fixtures.match(text)
    assert text[m.start:m.end] == "En savoir plus\n"
    assert m.pattern_start == text.index("En")
    # the pass leaves boilerplate to the boilerplate pass
    assert GlossaryPass(fixtures).find(Document(text)) == []


def test_longest_match_wins_and_user_rank_breaks_ties():
    g = one(
        """  - id: T-1
    pattern: "garder"
    replace: ["tenir"]
    confidence: 0.9
    example: "Il garde."
    expect: "Il tient."
  - id: T-2
    pattern: "garder à l'esprit"
    replace: ["retenir"]
    confidence: 0.5
    example: "Il garde à l'esprit."
    expect: "Il retient."
"""
    )
    assert [m.entry.id for m in g.match("Elle garde à l'esprit la date.")] == ["T-2"]
    assert len(g.match("Elle garde à l'esprit la date.", all_matches=True)) == 2


def test_glossary_pass_findings_explain_the_edit(fixtures):
    doc = Document("La directrice a gardé à l'esprit que les ventes montent.")
    [f] = GlossaryPass(fixtures).find(doc)
    assert isinstance(f, Finding)
    assert doc.text[f.start:f.end] == f.span == "gardé à l'esprit que"
    assert f.suggestions[0] == "souligné que" and "noté que" in f.suggestions
    assert f.rule == "TST-0001" and f.category == "calque" and f.mode == "auto"
    assert f.source.kind == "glossary" and f.source.name.endswith("engine.yaml") and f.source.line == 5
    assert "kept in mind" in f.explanation and '"souligné que"' in f.explanation
    assert f.evidence["family"] == "user-defined" and "esprit" in f.evidence["pattern"]


def test_exact_form_and_alternatives_and_optional():
    g = one(
        """  - id: T-1
    pattern: "=concernant une ville|région"
    replace: ["dans une ville"]
    confidence: 0.6
    example: "Une tournée concernant une ville proche."
    expect: "Une tournée dans une ville proche."
  - id: T-2
    pattern: "très? crucial"
    replace: ["essentiel"]
    confidence: 0.6
    example: "Un point très crucial."
    expect: "Un point essentiel."
"""
    )
    assert fix(g, "Une visite concernant une région voisine.") == "Une visite dans une ville voisine."
    assert g.match("Une visite concernent une ville.") == []  # =form is exact
    assert fix(g, "Un point crucial.") == "Un point essentiel."
    assert fix(g, "Des points très cruciaux.") == "Des points essentiels."


def test_context_words_forms_lemmas_and_elisions():
    g = one(
        """  - id: T-1
    pattern: "=informé que"
    replace: ["indiqué que"]
    confidence: 0.6
    context:
      window: 2
      forbid: ["ne", "être", "l'", "d'abord"]
    example: "La société a informé que les prix montent."
    expect: "La société a indiqué que les prix montent."
    counter:
      - "Il n'a informé que son avocat."
      - "Il a été informé que l'usine fermait."
      - "Elle l'a informé que tout allait bien."
      - "Elle a d'abord informé que rien ne changeait."
"""
    )
    report = check_glossary(g)
    assert report.ok, [str(p) for p in report.problems]
    # "les" is not "l'": function words compare by form, not by simplemma's lemma
    assert fix(g, "La banque a informé que les taux baissent.") == "La banque a indiqué que les taux baissent."


def test_unknown_verb_forms_and_reflexive_replacements():
    g = one(
        """  - id: T-1
    pattern: "=impacté|=impacte|=impactera"
    replace: ["toucher"]
    confidence: 0.6
    example: "La crise a impacté les ménages."
    expect: "La crise a touché les ménages."
  - id: T-2
    pattern: "réaliser =que"
    replace: ["se rendre compte que"]
    confidence: 0.6
    mode: check
    example: "Il faut réaliser que la croissance ralentit."
    expect: "Il faut se rendre compte que la croissance ralentit."
"""
    )
    # simplemma does not know "impacter": its infinitive is guessed from the learnt -er endings
    assert fix(g, "La hausse des taux impactera les ménages.") == "La hausse des taux touchera les ménages."
    # "ont réalisé que" -> "se sont rendu compte que" would need another auxiliary: report, never paste
    [m] = g.match("Les investisseurs ont réalisé que la croissance ralentissait.")
    assert m.mode == "report" and "reflexive" in m.notes[0]
    assert fix(g, "Il faut réaliser que la croissance ralentit.") == "Il faut se rendre compte que la croissance ralentit."


def test_contractions_and_participle_after_the_span():
    g = one(
        """  - id: T-1
    pattern: "=la =grande =information"
    replace: ["les mégadonnées"]
    confidence: 0.6
    example: "Elle vit de l'analyse de la grande information."
    expect: "Elle vit de l'analyse des mégadonnées."
  - id: T-2
    pattern: "ferme =de =données"
    replace: ["centre de données"]
    gender: m
    confidence: 0.6
    example: "Microsoft a ouvert une ferme de données en Irlande."
    expect: "Microsoft a ouvert un centre de données en Irlande."
"""
    )
    assert fix(g, "Il parle à la grande information.") == "Il parle aux mégadonnées."
    assert fix(g, "La ferme de données située à Dublin consomme trop.") == (
        "Le centre de données situé à Dublin consomme trop.")
    assert fix(g, "Cette ferme de données ouvrira en mai.") == "Ce centre de données ouvrira en mai."
    # a present-tense verb after the span is not a participle: left alone
    assert fix(g, "La ferme de données trie les paquets.") == "Le centre de données trie les paquets."


def test_tout_and_irregular_plurals():
    g = one(
        """  - id: T-1
    pattern: "les individus"
    replace: ["les gens"]
    confidence: 0.6
    example: "Les individus ont voté."
    expect: "Les gens ont voté."
  - id: T-2
    pattern: "besogne"
    replace: ["travail"]
    gender: m
    confidence: 0.6
    example: "Il aime sa besogne."
    expect: "Il aime son travail."
"""
    )
    # "Tous" before the span is a determiner: it stays "Tous", not "Tout"
    assert fix(g, "Tous les individus ont voté.") == "Tous les gens ont voté."
    assert fix(g, "Ils finissent leurs besognes.") == "Ils finissent leurs travaux."


def test_boilerplate_scopes_sentence_and_paragraph():
    g = one(
        """  - id: T-1
    pattern: "inscrivez-vous à notre newsletter"
    replace: [""]
    category: boilerplate
    scope: sentence
    confidence: 0.9
    example: "Le titre monte. Inscrivez-vous à notre newsletter pour ne rien rater ! La suite demain."
    expect: "Le titre monte. La suite demain."
  - id: T-2
    pattern: "=publicité"
    replace: [""]
    category: boilerplate
    scope: paragraph
    context: {position: line}
    confidence: 0.9
    example: "Premier paragraphe.\\n\\nPublicité\\nOffre spéciale\\n\\nSuite de l'article."
    expect: "Premier paragraphe.\\n\\nSuite de l'article."
    counter: ["La publicité en ligne recule cette année."]
"""
    )
    report = check_glossary(g)
    assert report.ok, [str(p) for p in report.problems]


def test_adjective_right_after_the_span_agrees(fixtures):
    assert fix(fixtures, "Le quartier technologique chinois s'inquiète.") == "La communauté tech chinoise s'inquiète."
    # a name or an invariable word after the span is left alone
    assert fix(fixtures, "Le quartier technologique Renault recrute.") == "La communauté tech Renault recrute."
    assert fix(fixtures, "Le quartier technologique lundi a voté.") == "La communauté tech lundi a voté."
