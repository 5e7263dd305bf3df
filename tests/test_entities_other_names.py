"""Entity restoration must not turn a real name into another real name.

Found by repairing the 14 M words of clean French in ../shared/corpus/fr (bench/entity_clean_audit.py):
« The Evening Post » → « Evening Standard », « Der Zeitgeist » → « Der Standard », « Proceedings of
Israel Academy » → « Times of Israel », « the Bodley Head London » → « Frieze London », « Le Salon de
l'automobile » → « Le Monde ». Each class of evidence is tested both ways: the clean name is left
alone (reported at most), the garbled name next to it is still restored.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mtrepair import Repairer
from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.entities import EntityPass

NEWS = Path(__file__).resolve().parent / "data" / "entities_news_clean.txt"
THRESHOLD = RepairConfig().min_confidence


@pytest.fixture(scope="module")
def entity_pass() -> EntityPass:
    return EntityPass(RepairConfig())


def applied(p: EntityPass, text: str):
    return [f for f in p.find(Document(text)) if f.mode == "auto" and f.confidence >= THRESHOLD]


def reported(p: EntityPass, text: str):
    return [f for f in p.find(Document(text)) if f.mode == "report"]


def news_sentences() -> list[str]:
    lines = NEWS.read_text(encoding="utf-8").splitlines()
    return [s for s in (line.strip() for line in lines) if s and not s.startswith("#")]


def test_the_news_set_is_realistic_and_tempting(entity_pass):
    sentences = news_sentences()
    assert len(sentences) >= 80
    # Ten of them at least get a finding (reported): the set is near enough to gazetteer names to tempt.
    tempted = sum(1 for s in sentences if entity_pass.find(Document(s)))
    assert tempted >= 10, tempted


@pytest.mark.parametrize("sentence", news_sentences())
def test_clean_news_names_are_not_restored(entity_pass, sentence):
    assert applied(entity_pass, sentence) == [], sentence


def test_repairer_leaves_the_names_of_a_clean_article(entity_pass):
    article = ("Selon The Evening Post, le conseil municipal de Wellington a voté la hausse des tarifs. "
               "D'après The Sunday Post, le club écossais aurait trouvé un nouvel entraîneur.\n\n"
               "Le Salon de l'automobile de Genève n'aura pas lieu cette année, rapporte Le Monde. "
               "Selon Der Zeitgeist, le gouvernement allemand prépare un plan d'économies.")
    result = Repairer().repair(article)
    assert [e for e in result.edits if str(e.category) == "entity"] == []
    for name in ("The Evening Post", "The Sunday Post", "Le Salon", "Der Zeitgeist"):
        assert name in result.text


# -- a span glued to more words of a longer name --------------------------------------------

def test_glued_words_make_it_another_name(entity_pass):
    text = "Selon The Sunday Post, le club écossais a trouvé un nouvel entraîneur."
    [f] = reported(entity_pass, text)
    assert (f.span, f.best) == ("The Sunday", "The Sun")
    assert f.confidence <= 0.5
    assert "« Post »" in f.explanation and "reported only" in f.explanation
    assert f.evidence["doubts"]
    # Without the word after it, « The Sunday » is the garbled « The Sun ».
    assert [f.best for f in applied(entity_pass, "Selon The Sunday, le club écossais a trouvé un entraîneur.")] \
        == ["The Sun"]


def test_glued_words_outweigh_the_document(entity_pass):
    # « Times of Israel » written elsewhere does not make « Proceedings of Israel Academy » one.
    text = ("Selon le Times of Israel, le gouvernement hésite. Les Proceedings of Israel Academy of "
            "Sciences publient l'étude.")
    assert applied(entity_pass, text) == []
    assert [f.span for f in reported(entity_pass, text)] == ["Proceedings of Israel"]


def test_a_name_that_kept_most_of_its_words_is_restored_inside_a_longer_phrase(entity_pass):
    # Two of three words kept: the Wall Street Journal's European edition, garbled.
    out = applied(entity_pass, "Selon le Wall Road Journal Europe, la banque a perdu des clients.")
    assert [f.best for f in out] == ["Wall Street Journal"]


def test_a_person_glued_to_a_garbled_name_makes_it_a_report(entity_pass):
    # The price of the glued-word doubt (README, Limits): with no comma, the journalist's name reads
    # as the rest of a longer name; with the comma, the garbled outlet is restored.
    text = "Selon le journaliste de The Details Amir Efrati, la société prépare une levée de fonds."
    assert applied(entity_pass, text) == [] and [f.best for f in reported(entity_pass, text)] == ["The Information"]
    text = "Selon le journaliste de The Details, Amir Efrati, la société prépare une levée de fonds."
    assert [f.best for f in applied(entity_pass, text)] == ["The Information"]


def test_a_spelling_repair_inside_a_longer_name_stays(entity_pass):
    # « Colombia University Press »: the misspelt word is the same word, the longer name is right.
    text = "Le livre est paru à New York, Colombia University Press, en 1924."
    assert [f.best for f in applied(entity_pass, text)] == ["Columbia University"]


# -- a changed word that heads newspaper titles ----------------------------------------------

def test_a_masthead_word_makes_it_another_paper(entity_pass):
    text = "D'après l'Evening Post de Wellington, le port a fermé."
    [f] = reported(entity_pass, text)
    assert f.best == "Evening Standard" and "« Post » heads newspaper titles" in f.explanation
    # Another word in place of « Standard » is still the garbled London paper.
    out = applied(entity_pass, "D'après l'Evening Criterion, le maire de Londres prépare un nouveau péage.")
    assert [f.best for f in out] == ["Evening Standard"]


def test_the_document_vouches_for_a_paper_with_a_masthead_word(entity_pass):
    text = "L'Evening Standard a publié le sondage. Selon l'Evening Post, le maire de Londres hésite."
    [f] = applied(entity_pass, text)
    assert f.best == "Evening Standard" and f.evidence["consistent"]
    assert "but the document vouches for the name" in f.explanation


# -- only the article of a German name left ----------------------------------------------------

def test_only_a_foreign_article_left_is_another_name(entity_pass):
    text = "Selon Der Zeitgeist, le gouvernement allemand prépare un plan d'économies."
    assert applied(entity_pass, text) == []
    [f] = reported(entity_pass, text)
    assert "« Der »" in f.explanation
    # Uncued (a bibliography line of the audit), it is not even reported.
    assert EntityPass(RepairConfig()).find(Document("deux novembre., Der Zeitgeist (Berlin).")) == []
    # The article spun and the noun kept: still « Die Welt ».
    assert [f.best for f in applied(entity_pass, "Selon Stick Welt, le chancelier prépare un remaniement.")] \
        == ["Die Welt"]


# -- the span, article aside, is itself a known name of the type ---------------------------------

def test_an_article_and_a_known_name_is_that_name(entity_pass):
    # « Salon » (the American site) is an outlet: « Le Salon » is not « Le Monde » garbled, even
    # where « Le Monde » is written in the same document.
    text = "Le Salon de l'automobile de Genève n'aura pas lieu cette année, rapporte Le Monde."
    assert applied(entity_pass, text) == []
    [f] = reported(entity_pass, text)
    assert "« Salon » is itself a known outlet name" in f.explanation


def test_seed_shapes_are_still_restored(entity_pass):
    out = applied(entity_pass, "Selon un rapport de The Details, la société prépare une levée de fonds.")
    assert [f.best for f in out] == ["The Information"]
    out = applied(entity_pass, "Le AI Effect Trip de VentureBeat passera par Paris.")
    assert [f.best for f in out] == ["L'AI Impact Tour"]
