"""A boilerplate rule deletes no more than its evidence covers (promise 1).

Found by repairing the 13 M words of clean French of ../shared/corpus/fr glued into
pseudo-articles: « Voir aussi : » (line scope) deleted a whole paragraph of prose around it,
« Copyright » (then line scope) deleted every sentence sharing its line, and « Tous droits
réservés. » (sentence scope) took « Les personnalités attirent la haine. » glued to it without a
space (« haine.Le Vingtième Siècle Tous droits réservés. », one word for the tokeniser). The real
footers of those books and of news sites still go.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from mtrepair import Repairer
from mtrepair.config import RepairConfig


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig())


def _bpl_reports(result, rule):
    return [f for f in result.findings if f.rule == rule and f.mode == "report"]


# -- line scope: the line goes only when it is the furniture -------------------------------------

def test_voir_aussi_in_a_paragraph_of_prose_stays(repairer):
    text = ("Le rapporteur a rappelé les chiffres de la commission. Voir aussi : le rapport de la Cour "
            "des comptes sur les finances locales. Les élus de l'opposition ont demandé un nouveau vote.\n\n"
            "La séance a été levée à minuit.")
    result = repairer.repair(text)
    assert result.text == text and not result.edits
    [finding] = _bpl_reports(result, "BPL-0033")
    assert finding.span.startswith("Voir aussi")
    assert "not the furniture itself" in finding.explanation and "reported only" in finding.explanation


def test_voir_aussi_between_two_sentences_in_one_newline_paragraphs_stays(repairer):
    # The corpus case: paragraphs separated by one line break, so the paragraph is the line.
    text = ("De Monsieur de Brienne ? Oui. De nouveau, Jessie tousse.\n"
            "Louise rapporte la scène à son père. Voir aussi : Grabar (O.). Nous récuserons, au nom "
            "de la patrie, ceux qui n'ont rien dit pour elle.")
    result = repairer.repair(text)
    assert result.text == text and not result.edits


def test_a_line_of_dialogue_after_a_cross_reference_keeps_the_paragraph(repairer):
    # « Je vous suis. » speaks to someone (« vous »), but it is no call to the reader.
    text = ("Je croirais assez que, dans ces calculs, il ne s'agit que du cheval.\n\n"
            "Voir aussi : Grabar (O.). Je vous suis.\n\n"
            "Marguerite, voyant qu'il fallait se soumettre, sortit lentement.")
    result = repairer.repair(text)
    assert result.text == text and not result.edits
    assert _bpl_reports(result, "BPL-0033")


def test_a_short_sentence_of_content_on_the_line_keeps_it(repairer):
    # Few words, but « Le maire a démissionné. » is content, not a call to the reader.
    text = "Le maire a démissionné. Voir aussi : notre dossier\nLe conseil se réunira jeudi."
    result = repairer.repair(text)
    assert result.text == text
    assert _bpl_reports(result, "BPL-0033")


def test_a_link_line_still_goes(repairer):
    text = ("Le groupe a publié ses résultats mardi.\n"
            "Voir aussi : Le gouvernement annonce un plan de deux milliards pour les hôpitaux\n"
            "Les ventes progressent de 4 % sur un an.")
    result = repairer.repair(text)
    assert result.text == "Le groupe a publié ses résultats mardi.\nLes ventes progressent de 4 % sur un an."
    assert [e.rule for e in result.edits] == ["BPL-0033"]


def test_a_call_to_the_reader_on_the_line_is_furniture_too(repairer):
    text = "Le groupe a publié ses résultats mardi.\nDéjà abonné ? Connectez-vous.\nLes ventes progressent."
    assert repairer.repair(text).text == "Le groupe a publié ses résultats mardi.\nLes ventes progressent."


def test_a_long_link_line_is_reported_and_the_limit_is_an_option(repairer):
    line = ("Voir aussi : les chapitres consacrés à la Révolution, où l'auteur montre que le peuple "
            "de Paris ne fut jamais ce que les historiens de la Restauration en ont dit")
    text = f"Le livre est paru en 1889.\n{line}\nIl fut aussitôt traduit."
    result = repairer.repair(text)
    assert result.text == text
    [finding] = _bpl_reports(result, "BPL-0033")
    assert "more than 15" in finding.explanation
    wide = Repairer(replace(RepairConfig(), boilerplate_line_max_words=40))
    assert wide.repair(text).text == "Le livre est paru en 1889.\nIl fut aussitôt traduit."


# -- « Copyright »: a sentence of furniture, not the line it sits on ------------------------------

def test_a_news_site_footer_still_goes(repairer):
    text = ("Le conseil municipal a voté le budget mardi soir.\n"
            "Copyright © 2024 Le Courrier du Sud. Tous droits réservés.")
    result = repairer.repair(text)
    assert result.text == "Le conseil municipal a voté le budget mardi soir."
    # BPL-0198 « Copyright © »: BPL-0094's forbid words read « voté » in the sentence before.
    assert {r for e in result.edits for r in e.rule.split(" + ")} == {"BPL-0198", "BPL-0091"}


def test_a_footer_under_an_article_about_something_else_goes(repairer):
    text = ("Les ventes de la coopérative progressent de 4 % sur un an.\n"
            "Copyright 2024 Le Courrier du Sud. Tous droits réservés.")
    result = repairer.repair(text)
    assert result.text == "Les ventes de la coopérative progressent de 4 % sur un an."
    assert {r for e in result.edits for r in e.rule.split(" + ")} == {"BPL-0094", "BPL-0091"}


def test_a_copyright_line_without_final_stop_still_goes(repairer):
    text = "Le groupe a publié ses résultats mardi.\nCopyright 2024 Médias du Sud\nLes ventes progressent."
    assert repairer.repair(text).text == "Le groupe a publié ses résultats mardi.\nLes ventes progressent."


def test_a_copyright_sentence_goes_without_the_sentences_around_it(repairer):
    text = ("Le bossu se plaça devant son chat. Copyright by Albin Michel, mille neuf cent dix-sept. "
            "Les ponts et chaussées avaient d'immenses travaux à faire.")
    result = repairer.repair(text)
    assert result.text == ("Le bossu se plaça devant son chat. "
                           "Les ponts et chaussées avaient d'immenses travaux à faire.")
    assert [e.rule for e in result.edits] == ["BPL-0094"]


def test_copyright_glued_to_a_long_sentence_is_reported(repairer):
    # « LebertL'introduction »: no sentence end to cut at, so nothing is deleted.
    text = ("Dis, Marguerite ; et toi, Sophie, laisse-la donc parler. Copyright © deux mille huit Marie "
            "LebertL'introduction du gouvernement représentatif forme l'une des époques les plus "
            "remarquables de notre histoire. Et cela dura pendant au moins un quart d'heure.")
    result = repairer.repair(text)
    assert result.text == text
    [finding] = _bpl_reports(result, "BPL-0198")
    assert "sentence of more than 8 other words" in finding.explanation


# -- sentence scope: a sentence ends at a full stop glued to the next one -------------------------

def test_a_sentence_glued_before_a_footer_is_kept(repairer):
    text = ("Les personnalités attirent la haine.Le Vingtième Siècle Tous droits réservés.\n"
            "À Mayence, ils bravent audacieusement le gouvernement français.")
    result = repairer.repair(text)
    assert result.text == ("Les personnalités attirent la haine.\n"
                           "À Mayence, ils bravent audacieusement le gouvernement français.")
    assert [e.original for e in result.edits] == ["Le Vingtième Siècle Tous droits réservés."]


def test_an_initial_glued_to_a_name_is_no_sentence_end(repairer):
    # « M.Dupont »: one capital before the full stop, an initial; the short sentence goes whole.
    text = "Le conseil a voté le budget.\nM.Dupont Tous droits réservés.\nLa séance est levée."
    assert repairer.repair(text).text == "Le conseil a voté le budget.\nLa séance est levée."


def test_a_quoted_footer_in_a_long_sentence_stays(repairer):
    text = ("La mention « Tous droits réservés » figurait sous chaque photographie du catalogue, "
            "a constaté le tribunal de commerce.")
    result = repairer.repair(text)
    assert result.text == text and not result.edits


# -- paragraph scope (user glossaries) ------------------------------------------------------------

_PARAGRAPH_RULE = """family: user-defined
prefix: USR
entries:
  - id: USR-0001
    pattern: "=réclame"
    replace: [""]
    category: boilerplate
    scope: paragraph
    confidence: 0.9
    mode: auto
    example: "Premier paragraphe.\\n\\nRéclame\\nOffre spéciale\\n\\nSuite de l'article."
    expect: "Premier paragraphe.\\n\\nSuite de l'article."
"""


@pytest.fixture(scope="module")
def paragraph_repairer(tmp_path_factory) -> Repairer:
    path = tmp_path_factory.mktemp("glossary") / "pub.yaml"
    path.write_text(_PARAGRAPH_RULE, encoding="utf-8")
    return Repairer(replace(RepairConfig(), glossary_paths=(str(path),)))


def test_a_paragraph_of_advert_labels_goes(paragraph_repairer):
    assert not paragraph_repairer.glossary_problems
    text = "Premier paragraphe.\n\nRéclame\nOffre spéciale\n\nSuite de l'article."
    result = paragraph_repairer.repair(text)
    assert "Réclame" not in result.text and "Offre spéciale" not in result.text
    assert [e.rule for e in result.edits] == ["USR-0001"]


def test_a_paragraph_of_prose_mentioning_the_word_stays(paragraph_repairer):
    text = ("Premier paragraphe.\n\nLa réclame envahit les murs de Paris. Les afficheurs "
            "se disputent les palissades.\n\nSuite de l'article.")
    result = paragraph_repairer.repair(text)
    assert result.text == text
    [finding] = _bpl_reports(result, "USR-0001")
    assert "in a paragraph that also holds the sentence « Les afficheurs" in finding.explanation
