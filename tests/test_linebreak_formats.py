"""Subtitles, laid-out notices and lower-case chat text are not broken prose (promise 1).

Three formats of scraped French the broken-lines pass used to "repair" (formats negative set:
format-0016, 0018, 0021, 0022, 0025, 0272 subtitles; 0058, 0061 obituaries; 0254 a classified;
0174, 0177, 0182, 0258, 0259, 0294 SMS):
- the text of an SRT/VTT subtitle cue is cut where the subtitler chose: its breaks are reported,
  not joined;
- a notice laid out in lines — an obituary around a name whose surname is in capitals, a print
  classified opening on « Part. » with a price — keeps its lines;
- a document that never writes a sentence start with a capital (SMS, chat) gets no capital, and
  lower case at a line start is no evidence of a sentence going on there.
Around them, sentences really cut by a scraper must still be joined, and a lower-case line after a
finished sentence in ordinary prose still capitalised. The texts are written for this test.
"""

from __future__ import annotations

import pytest

from mtrepair import Repairer
from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.passes.linebreaks import (
    find_broken_lines,
    find_lowercase_line_starts,
    is_name_line,
    laid_out_notices,
    subtitle_cue_lines,
    writes_lower_case_sentence_starts,
)

from repair_support import assert_unchanged

#: Clean French whose line breaks and case are the author's: repair() must return it byte-identical.
UNCHANGED = {
    "srt cue cut before a subordinate clause": (
        "31\n00:03:12,400 --> 00:03:15,900\nOn m'a dit que tu partais\npour Montréal en septembre.\n\n"
        "32\n00:03:16,200 --> 00:03:18,000\nC'est encore loin, septembre."
    ),
    "srt cue cut after a stranded preposition": (
        "7\n00:00:42,000 --> 00:00:45,500\nLe ferry ne part plus vers\nBelle-Île avant dimanche."
    ),
    "vtt cues with settings and a voice tag": (
        "WEBVTT\n\n00:01:02.000 --> 00:01:05.500 line:85%\n<v Guide>Ce château a été construit\n"
        "au XVe siècle par un marchand.\n\n00:01:05.800 --> 00:01:08.000\n<v Guide>Suivez-moi."
    ),
    "vtt cue without hours": (
        "WEBVTT\n\n00:04.000 --> 00:07.200\nIl faudra attendre\nla fin de la marée."
    ),
    "srt cue in three lines": (
        "118\n01:02:03,000 --> 01:02:07,000\nSi tu rentres avant minuit,\nn'oublie pas\nde fermer le portail.\n\n"
        "119\n01:02:07,400 --> 01:02:09,000\nPromis."
    ),
    "death notice around a name in capitals": (
        "Voilà cinq ans, le 12 octobre,\nnous quittait\nMarie-Thérèse KERGOAT.\n"
        "Une pensée est demandée à tous ceux qui l'ont connue."
    ),
    "death notice with a civility title": (
        "Les membres de l'amicale des anciens pompiers de Quimperlé\nont la douleur de vous faire part de la disparition de\n"
        "M. Yves LE GALL,\nleur président d'honneur."
    ),
    "classified opening on Part.": (
        "Part. vend\nmaison de bourg 90 m²\njardin clos, garage,\n168 000 €."
    ),
    "classified opening on Vds with a phone number": (
        "Vds canapé d'angle\ntissu gris, très bon état,\nà enlever sur place.\nTél. 06 45 12 78 90."
    ),
    "sms on one line": "ok je te rappelle ce soir alors",
    "sms with a full stop": "dsl pas dispo demain. on se fait ça la semaine pro?",
    "chat on two lines": "t'inquiète c'est réglé\non en reparle lundi",
    "forum reply in lower case": "pareil chez moi depuis la mise à jour 😕 rien à faire",
}

#: Damaged text next to those formats: still repaired (input, expected output).
REPAIRED = {
    "prose under a subtitle excerpt is still joined": (
        "La réplique qui a fait polémique :\n\n12\n00:02:14,000 --> 00:02:17,300\nJe ne sais pas si\nje viendrai.\n\n"
        "La chaîne a reconnu une erreur de traduction\ndans la version diffusée jeudi.",
        "La réplique qui a fait polémique :\n\n12\n00:02:14,000 --> 00:02:17,300\nJe ne sais pas si\nje viendrai.\n\n"
        "La chaîne a reconnu une erreur de traduction dans la version diffusée jeudi.",
    ),
    "a name written as news writes it is no notice": (
        "Le maire a rendu hommage à\nRobert Le Bihan, son ancien adjoint, disparu mardi.",
        "Le maire a rendu hommage à Robert Le Bihan, son ancien adjoint, disparu mardi.",
    ),
    "a company name in capitals closing a cut sentence": (
        "La compagnie a signé un accord de partage de codes avec\nAir France KLM.",
        "La compagnie a signé un accord de partage de codes avec Air France KLM.",
    ),
    "a cut after a finished notice is still joined": (
        "Robert LE BIHAN.\nLe conseil municipal lui rendra hommage\nlors de sa séance de mardi.",
        "Robert LE BIHAN.\nLe conseil municipal lui rendra hommage lors de sa séance de mardi.",
    ),
    "a sale in prose is no classified": (
        "La commune vend\nl'ancien presbytère pour 240 000 €.",
        "La commune vend l'ancien presbytère pour 240 000 €.",
    ),
    "scraper's cut in three pieces": (
        "Et maintenant ? La coopérative devrait étendre son réseau de vente\nen Bretagne\navant de viser la Normandie.",
        "Et maintenant ? La coopérative devrait étendre son réseau de vente en Bretagne avant de viser la Normandie.",
    ),
    "lower-case line after a finished sentence in prose": (
        "Le conseil a voté le budget.\nil entrera en vigueur le 1er janvier.",
        "Le conseil a voté le budget.\nIl entrera en vigueur le 1er janvier.",
    ),
    "chat message with a capital elsewhere is ordinary prose": (
        "Merci pour l'info.\non se voit demain",
        "Merci pour l'info.\nOn se voit demain",
    ),
    "lower-case chat: a line ending with a function word is still joined": (
        "je suis dans le bus avec\nles autres on arrive",
        "je suis dans le bus avec les autres on arrive",
    ),
}


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig(model="none"))


@pytest.mark.parametrize("name", sorted(UNCHANGED))
def test_formats_laid_out_on_purpose_come_out_unchanged(repairer, name):
    text = UNCHANGED[name]
    assert_unchanged(repairer, text)


@pytest.mark.parametrize("name", sorted(REPAIRED))
def test_nearby_damage_is_still_repaired(repairer, name):
    text, expected = REPAIRED[name]
    assert repairer.repair(text).text == expected


def test_subtitle_breaks_are_reported_with_the_reason():
    text = UNCHANGED["srt cue cut before a subordinate clause"]
    [finding] = find_broken_lines(Document(text), RepairConfig())
    assert finding.mode == "report" and finding.span == "\n"
    assert text[finding.start - 7:finding.end + 4] == "partais\npour"
    assert "subtitle cue" in finding.explanation and finding.evidence["laid_out_lines"] is True


def test_notice_breaks_are_reported_with_the_reason():
    text = UNCHANGED["death notice with a civility title"]
    findings = find_broken_lines(Document(text), RepairConfig())
    assert len(findings) == 3 and all(f.mode == "report" for f in findings)
    assert all("surname is in capitals" in f.explanation for f in findings)
    ad = find_broken_lines(Document(UNCHANGED["classified opening on Part."]), RepairConfig())
    assert ad and all(f.mode == "report" and "classified" in f.explanation for f in ad)


def test_lower_case_chat_break_is_reported_not_joined():
    [finding] = find_broken_lines(Document(UNCHANGED["chat on two lines"]), RepairConfig())
    assert finding.mode == "report" and finding.evidence["lower_case_register"] is True
    assert "never writes a sentence start with a capital" in finding.explanation


def test_subtitle_cue_lines():
    texts = ["12", "00:02:14,000 --> 00:02:17,300", "Je ne sais pas", "si je viens,", "moi.", "",
             "13", "00:02:17,600 --> 00:02:19,900 align:start", "Dis-le-moi.", "Fin", "d'un paragraphe"]
    # Breaks inside cue texts only; not the one from the timing line, not across a blank line.
    assert subtitle_cue_lines(texts) == {2, 3, 8, 9}
    assert subtitle_cue_lines(["Le film dure 01:45,00 -- 02:10,00 selon", "les versions."]) == set()


@pytest.mark.parametrize("line", [
    "Robert LE BIHAN.", "M. Gérard AUBRY,", "Mme Jeanne DELORME, née CARON,", "Jean-Pierre D'ARGENTON",
    "Yves LE GALL (1938-2025)",
])
def test_name_lines(line):
    assert is_name_line(line)


@pytest.mark.parametrize("line", [
    "Selon FO.", "Le PSG.", "Robert Le Bihan.", "ROBERT LE BIHAN", "M. le maire,",
    "Gérard AUBRY a été élu maire en 1989.",
])
def test_not_name_lines(line):
    assert not is_name_line(line)


def test_laid_out_notices_cover_the_run_and_its_closing_line_only():
    texts = ["Il y a un an,", "nous quittait", "Robert LE BIHAN.", "La messe sera dite", "dimanche à 11 h."]
    assert set(laid_out_notices(texts)) == {0, 1}
    # A name in capitals with neither a civility title nor a word of notices: not a notice.
    assert laid_out_notices(["Le groupe a signé avec", "Air France KLM."]) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("ok à demain alors 👍", True),
    ("dsl je peux pas ce soir, je bosse tard. on remet à jeudi?", True),
    ("« ok » c'est noté", True),
    ("ok. Marie arrive demain.", False),
    ("Re: chaudière\n\npareil chez moi", False),
    ("Il est né à Lyon.\nil a étudié à Paris.", False),
    ("12 mars 2024\n\n14 h 30", False),  # no letter at a sentence start: no evidence either way
    ("«\nQui peut être contre ? », demandait-il.", False),  # « alone on the first line; « », d… » goes on
    ("mdr. OK à demain", True),  # an acronym (or shouting) says nothing about the register
    ("ok. J'arrive", False),
])
def test_writes_lower_case_sentence_starts(text, expected):
    assert writes_lower_case_sentence_starts(text) is expected


def test_lower_case_document_gets_no_capital_but_prose_still_does():
    assert find_lowercase_line_starts(Document("mdr t'es sérieux 😂 j'arrive dans 10 min")) == []
    assert find_lowercase_line_starts(Document("tkt c'est rien.\nje passe demain.")) == []
    [finding] = find_lowercase_line_starts(Document("Rien de grave.\nje passe demain."))
    assert finding.suggestions == ("J",)


def test_the_register_test_takes_linear_time_on_hostile_text():
    import time

    for text in (". " + " " * 200_000, "\n" * 200_000, "?» " * 60_000 + "x", "Part. vend\n" + "1 1 m\n" * 30_000):
        began = time.perf_counter()
        writes_lower_case_sentence_starts(text)
        laid_out_notices(text.split("\n"))
        assert time.perf_counter() - began < 5, repr(text[:20])
