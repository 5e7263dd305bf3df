"""Text laid out in lines on purpose is not a sentence cut across lines (promise 1).

The broken-lines pass joins a line that does not end with final punctuation to a next line that
starts in lower case (or after a stranded function word), and capitalises a paragraph that starts
in lower case after a finished sentence. Scraped articles also hold lines that start in lower case
by design: list items, addresses, columns of fields, menus, brands written in lower case. These
must come out byte-identical, while real cuts keep being joined.
"""

from __future__ import annotations

import pytest

from mtrepair import Repairer
from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.passes.layout import starts_with_address
from mtrepair.passes.linebreaks import find_broken_lines, find_lowercase_line_starts, laid_out_on_purpose

from repair_support import assert_joined, assert_unchanged

#: Written for this test: clean French with a layout that must not change.
LAID_OUT = {
    "lettered list": (
        "Le plan du gouvernement repose sur trois mesures :\n"
        "a) une baisse de la TVA sur l’énergie ;\n"
        "b) un chèque pour les ménages modestes ;\n"
        "c) un gel des loyers jusqu’en juin."
    ),
    "lettered list without punctuation": (
        "Ordre du jour du conseil municipal\n"
        "a) approbation du budget\n"
        "b) travaux de la place du marché\n"
        "c) questions diverses"
    ),
    "roman list": "Le rapport distingue deux phases\ni) la collecte des données\nii) leur anonymisation",
    "address lines": (
        "Renseignements à la mairie\n"
        "www.mairie-villeneuve.fr\n"
        "accueil@mairie-villeneuve.fr\n"
        "Tél. 04 78 00 00 00"
    ),
    "url after a label": "Le rapport complet est en ligne\nhttps://www.insee.fr/fr/statistiques",
    "field column": "Prix public : 1 299 €\ndisponibilité : mars 2024\ngarantie : deux ans",
    "menu of single words": "Rubriques\nactualité\néconomie\nculture\nsport",
    "brand in lower case": "dbt Labs lève 100 millions de dollars pour étendre sa plateforme.",
    "code name in lower case": "mtrepair est un outil libre de réparation de textes.",
    "url paragraph": "https://www.example.fr/article est l’adresse de la version complète.",
    "hashtag paragraph": "#Paris2024 s’est imposé comme le mot-clé le plus partagé de la semaine.",
    "ingredients": (
        "Pour quatre personnes\n500 g de pommes de terre\n2 oignons\nun bouquet de persil\n"
        "sel et poivre\nÉpluchez les pommes de terre et coupez-les en rondelles."
    ),
    "verse": "Sous le pont Mirabeau coule la Seine\net nos amours\nfaut-il qu’il m’en souvienne\nla joie venait toujours",
    "short verse ending its paragraph": (
        "Le poème affiché dans le métro :\nun matin de brume\nle fleuve porte la ville\nvers la mer grise"
    ),
    "programme": "Au programme du week-end\nvisite du vieux port\ndégustation au marché\nbal populaire sur la place",
    "command after a sentence": (
        "L’installation tient en une ligne.\npip3 install --user outil_carto\nLe reste se fait dans le navigateur."
    ),
    "python function": (
        "def total(prix):\n    return sum(prix)\nCette fonction plante sur une liste vide : c’est le bogue signalé."
    ),
}

#: Sentences really cut across lines (as scrapers and translators leave them): still joined.
CUT = {
    "lower-case continuation": (
        "La ministre a précisé que la réforme entrerait en vigueur\nau début de l’année prochaine.",
        "La ministre a précisé que la réforme entrerait en vigueur au début de l’année prochaine.",
    ),
    "three pieces": (
        "Les départs devraient ébranler la société\nmais pas son\nactivité principale.",
        "Les départs devraient ébranler la société mais pas son activité principale.",
    ),
    "stranded function word": (
        "Le maire s’est rendu vers\nMarseille pour la signature.",
        "Le maire s’est rendu vers Marseille pour la signature.",
    ),
    "single word after a cut": (
        "Le comité a voté\nhier.",
        "Le comité a voté hier.",
    ),
    "three pieces in a longer paragraph": (
        "Les départs devraient ébranler la société\nmais pas son\nactivité principale.\nLe fondateur reste confiant.",
        "Les départs devraient ébranler la société mais pas son activité principale.\nLe fondateur reste confiant.",
    ),
}


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig())


@pytest.mark.parametrize("name", sorted(LAID_OUT))
def test_text_laid_out_in_lines_comes_out_unchanged(repairer, name):
    text = LAID_OUT[name]
    assert_unchanged(repairer, text)


@pytest.mark.parametrize("name", sorted(CUT))
def test_sentences_cut_across_lines_are_still_joined(repairer, name):
    text, expected = CUT[name]
    assert_joined(repairer, text, expected)


def test_each_layout_says_why_it_is_not_joined():
    assert laid_out_on_purpose("Ordre du jour", "b) travaux de la place") == "a list item"
    assert laid_out_on_purpose("Renseignements à la mairie", "www.mairie.fr") == "an address"
    assert laid_out_on_purpose("Prix public : 1 299 €", "disponibilité : mars") == "fields (label: value)"
    assert laid_out_on_purpose("Rubriques", "actualité") == "single words"
    # A cut sentence is none of these.
    assert laid_out_on_purpose("La réforme entrerait en vigueur", "au début de l’année.") is None
    # One line of fields is not a column; a stranded word on its own still cuts a sentence.
    assert laid_out_on_purpose("Il a tranché : la réforme entrerait", "au début de l’année") is None
    assert laid_out_on_purpose("vers", "Marseille") is None
    # A single word that ends the sentence is its end, not a menu entry.
    assert laid_out_on_purpose("voté", "hier.") is None


def test_address_starts():
    for line in ("www.site.fr", "accueil@mairie.fr est l’adresse", "https://insee.fr", "page#section",
                 "ftp://x.org", "a/b testing"):
        assert starts_with_address(line), line
    for line in ("et puis il est parti", "attention : la suite", "rien.", "«", "12 rue de la Paix"):
        assert not starts_with_address(line), line


def test_the_list_marker_is_not_capitalised_but_a_lower_case_paragraph_still_is():
    doc = Document("Le plan tient en deux points :\na) premier point ;\nb) second point.\n\net la suite vient ensuite.")
    findings = find_lowercase_line_starts(doc)
    assert [(f.span, f.suggestions) for f in findings] == [("e", ("E",))]


def test_only_frequent_french_words_are_capitalised():
    spans = [f.span for f in find_lowercase_line_starts(Document("dbt Labs a levé des fonds. Son patron jubile.\n\nil a réagi."))]
    assert spans == ["i"]


def test_layout_is_not_counted_as_a_cut_by_the_hard_wrap_test():
    # A long list is not mistaken for a hard-wrapped document either: no candidate at all.
    text = "Au programme\n" + "\n".join(f"{chr(97 + k)}) point numéro {k}" for k in range(8))
    assert find_broken_lines(Document(text), RepairConfig()) == []


@pytest.mark.parametrize("text", [
    "Il a acheté des pommes, des poires, etc.\net il est reparti sans payer.",
    "La réunion est prévue avec M.\nle maire et ses adjoints.",
    "Le chantier date du IIe siècle av. J.-C.\net il a été restauré en 2019.",
    "Le mot de la fin…\net les applaudissements ont suivi.",
])
def test_a_line_after_an_abbreviation_or_an_ellipsis_is_not_capitalised(repairer, text):
    """The sentence may go on after « etc. », « M. », « J.-C. » or « … »: no capital forced on it."""
    assert repairer.repair(text).text == text


def test_a_lower_case_sentence_start_is_still_capitalised(repairer):
    assert repairer.repair("Il est né à Lyon.\nil a étudié à Paris.").text == "Il est né à Lyon.\nIl a étudié à Paris."
    # After a blank line the paragraph above is over, even when it ends with « etc. ».
    assert repairer.repair("Il a tout vendu, etc.\n\nil a étudié à Paris.").text == (
        "Il a tout vendu, etc.\n\nIl a étudié à Paris.")


def test_a_run_of_unpunctuated_lines_is_laid_out_and_its_breaks_only_reported():
    from mtrepair.passes.linebreaks import laid_out_lines

    texts = ["Au menu :", "soupe de potiron", "gratin de chou-fleur", "compote", "", "Il a dit", "que non."]
    # Three unpunctuated lines ending their paragraph: laid out; two pieces then a final one: a cut.
    assert laid_out_lines(texts, 4) == {1, 2, 3}
    assert laid_out_lines(texts, 5) == set()
    text = "Au programme\nvisites guidées\nateliers pour enfants\nconcert de clôture"
    findings = find_broken_lines(Document(text), RepairConfig())
    assert len(findings) == 3 and all(f.mode == "report" for f in findings)
    assert all("laid out on purpose" in f.explanation for f in findings)
    joined = Repairer(RepairConfig(laid_out_min_lines=10)).repair(text).text
    assert joined == "Au programme visites guidées ateliers pour enfants concert de clôture"
