"""Boilerplate labels that are also ordinary headings (promise 1 without losing real removals).

« Newsletter », « Mentions légales », « Partenariat », « Qui sommes-nous ? », « Commentaire » and
« Places limitées » are site furniture as a line of their own, and also the intertitle of an
article about a newsletter, about legal notices… Their rules list ``context.topic`` words; the
line is kept (reported at 0.5) only when the sentence under it talks about its subject, or when it
sits inside a listing of practical information; furniture blocks, promotions and the rules' own
examples still go.
"""

from __future__ import annotations

import pytest

from mtrepair import Repairer
from mtrepair.config import RepairConfig
from mtrepair.glossary.loader import _entry_from_json, _entry_to_json, parse_text
from mtrepair.passes.boilerplate import KEPT_AS_CONTENT_CONFIDENCE


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig())


def _reported(result, rule: str):
    [finding] = [f for f in result.findings if f.rule == rule]
    assert finding.mode == "report" and finding.confidence == KEPT_AS_CONTENT_CONFIDENCE
    assert "(reported only)" in finding.explanation
    return finding


INTERTITLES = [
    ("BPL-0196", "« lettre d'information »",
     "Newsletter\nLa lettre d'information de la communauté de communes paraît désormais chaque mois, "
     "en version papier et en ligne."),
    ("BPL-0097", "« directeur de la publication »",
     "Le conseil municipal s'est réuni lundi soir.\nMentions légales\nDepuis janvier, le site de la "
     "commune affiche le nom de son directeur de la publication, comme l'exige la loi."),
    ("BPL-0195", "« convention »",
     "Partenariat\nLe club de rugby et le collège ont signé une convention pour ouvrir une section "
     "sportive à la rentrée."),
    ("BPL-0197", "« poème »",
     "Les sujets du brevet\nRédaction\nRacontez un souvenir d'enfance.\nCommentaire\n"
     "Un poème de Victor Hugo, « Demain, dès l'aube »."),
    ("BPL-0103", "« cette question »",
     "Qui sommes-nous ?\nCette question, le philosophe la pose à chaque génération d'étudiants "
     "depuis quarante ans."),
]


@pytest.mark.parametrize("rule, word, text", INTERTITLES, ids=[r for r, _, _ in INTERTITLES])
def test_a_label_over_a_sentence_about_its_subject_is_an_intertitle(repairer, rule, word, text):
    result = repairer.repair(text)
    assert result.text == text and not result.edits
    finding = _reported(result, rule)
    assert "heads a sentence about its own subject" in finding.explanation and word in finding.explanation


def test_a_label_inside_a_listing_of_practical_information_is_content(repairer):
    text = ("Marché de Noël des artisans\nSamedi 14 décembre, de 10 h à 18 h\nPlaces limitées\n"
            "Inscription des exposants au 02 99 00 00 00")
    result = repairer.repair(text)
    assert result.text == text and not result.edits
    assert "listing of practical information" in _reported(result, "BPL-0088").explanation


def test_the_listing_length_is_an_option():
    text = ("Stage de poterie pour adultes\nDu 8 au 12 juillet, de 9 h à 12 h\nPlaces limitées\n"
            "Renseignements au 04 75 00 00 00")
    assert Repairer(RepairConfig()).repair(text).text == text
    # A listing line has at most boilerplate_listing_max_words words: « Du 8 au 12 juillet, de
    # 9 h à 12 h » has 11, so with 10 the label is no longer inside a listing and goes.
    strict = Repairer(RepairConfig(boilerplate_listing_max_words=10))
    assert strict.repair(text).text == ("Stage de poterie pour adultes\nDu 8 au 12 juillet, de 9 h à 12 h\n"
                                        "Renseignements au 04 75 00 00 00")


# ---- the same labels as site furniture still go ----

@pytest.mark.parametrize("label", ["Newsletter", "Mentions légales", "Partenariat", "Qui sommes-nous ?",
                                   "Commentaire", "Places limitées"])
def test_a_label_between_paragraphs_on_another_subject_still_goes(repairer, label):
    text = f"Le groupe a publié ses résultats mardi.\n{label}\nLes ventes progressent de 4 % sur un an."
    assert repairer.repair(text).text == "Le groupe a publié ses résultats mardi.\nLes ventes progressent de 4 % sur un an."


def test_a_site_footer_still_goes_whole(repairer):
    text = ("Le conseil municipal a voté le budget mardi soir, après trois heures de débat.\n"
            "Newsletter\nMentions légales\nQui sommes-nous ?\n© 2024 Le Courrier du Sud")
    assert repairer.repair(text).text == "Le conseil municipal a voté le budget mardi soir, après trois heures de débat."


def test_a_label_in_a_column_of_share_links_still_goes(repairer):
    """The sentence under « Newsletter » is about a newsletter, but the label closes a column of
    links (« Partager », « Facebook »): furniture, not an intertitle."""
    text = "Partager\nFacebook\nNewsletter\nLa lettre d'information de la ville paraît chaque mois."
    assert repairer.repair(text).text == "La lettre d'information de la ville paraît chaque mois."


@pytest.mark.parametrize("rule, text, left", [
    # the sentence under it addresses the reader: a promotion
    ("BPL-0196", "Le conseil municipal a voté le budget mardi soir.\nNewsletter\n"
                 "Recevez chaque matin notre lettre d'information.",
     "Le conseil municipal a voté le budget mardi soir.\nRecevez chaque matin notre lettre d'information."),
    # the publisher speaks of its own page: a sponsored label over its disclosure
    ("BPL-0195", "Partenariat\nCet article a été réalisé en partenariat avec la marque Lumo.",
     "Cet article a été réalisé en partenariat avec la marque Lumo."),
    # the line under it is boilerplate itself
    ("BPL-0196", "Newsletter\nInscrivez-vous à notre lettre d'information.\n"
                 "Le maire a présenté le budget.", "Le maire a présenté le budget."),
], ids=["addresses-the-reader", "publisher-speaks-of-its-page", "boilerplate-under-it"])
def test_a_label_over_a_promotion_of_its_subject_still_goes(repairer, rule, text, left):
    result = repairer.repair(text)
    assert result.text == left
    assert rule in [e.rule for e in result.edits]


def test_a_label_in_an_event_advert_still_goes(repairer):
    """Dates and a topic word, but a call to action in the same run of lines: an event plug."""
    text = ("Les résultats seront publiés jeudi.\nStage de poterie au Salon des métiers d'art\n"
            "Du 8 au 12 juillet à Lyon\nPlaces limitées\nRéservez votre place dès maintenant\n"
            "Le conseil d’administration se réunira ensuite.")
    result = repairer.repair(text)
    assert "Places limitées" not in result.text
    assert "BPL-0088" in [e.rule for e in result.edits]


# ---- the glossary field ----

def _entries(context: str, category: str = "boilerplate"):
    scope = "    scope: line\n" if category == "boilerplate" else ""
    text = f"""family: user-defined
prefix: USR
entries:
  - id: USR-0001
    pattern: "=newsletter"
    replace: [""]
    category: {category}
    confidence: 0.9
{scope}    context: {context}
    example: "Le groupe a publié ses résultats.\\nNewsletter\\nLes ventes progressent."
    expect: "Le groupe a publié ses résultats.\\nLes ventes progressent."
"""
    return parse_text(text, "user.yaml")


def test_context_topic_is_read_and_survives_the_cache():
    entries, errors = _entries('{"position": "line", "topic": ["lettre d\'information", "=bulletin"]}')
    assert not errors
    [entry] = entries
    assert entry.context.topic == ("lettre d'information", "=bulletin")
    assert _entry_from_json(_entry_to_json(entry)) == entry


def test_context_topic_is_only_for_boilerplate_entries():
    _, errors = _entries('{"topic": ["lettre"]}', category="calque")
    assert any("'context.topic' is only for boilerplate entries" in str(e) for e in errors)
