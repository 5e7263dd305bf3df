"""Boilerplate removal never takes content with it (promise 1).

Two ways it did: a heading right under a removed advert was taken for part of the advert block,
and a sentence-scope rule deleted a whole sentence of content because it quoted the rule's phrase.
"""

from __future__ import annotations

import pytest

from mtrepair import Repairer
from mtrepair.config import RepairConfig


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig())


def test_a_heading_under_a_removed_advert_is_kept(repairer):
    text = ("Inscrivez-vous à notre newsletter\n"
            "La réforme des retraites\n"
            "Le gouvernement a présenté son projet mardi, après six mois de concertation.")
    result = repairer.repair(text)
    assert result.text == ("La réforme des retraites\n"
                           "Le gouvernement a présenté son projet mardi, après six mois de concertation.")
    assert [e.rule for e in result.edits] == ["BPL-0036"]


def test_a_section_label_above_content_is_kept(repairer):
    text = "Découvrez nos Briefings\nÉconomie\nLa croissance ralentit au troisième trimestre."
    assert repairer.repair(text).text == "Économie\nLa croissance ralentit au troisième trimestre."


def test_a_short_line_inside_an_advert_block_still_goes_with_it(repairer):
    text = ("Les résultats seront publiés jeudi.\n"
            "Événement VB\n"
            "Le Sommet des données\n"
            "Connectez-vous avec la communauté des décideurs lors de notre tournée !\n"
            "Le conseil d’administration se réunira ensuite.")
    result = repairer.repair(text)
    assert result.text == "Les résultats seront publiés jeudi.\nLe conseil d’administration se réunira ensuite."
    assert "BPL-BLOCK" in [e.rule for e in result.edits]


def test_a_short_line_between_an_advert_and_a_blank_line_goes_with_it(repairer):
    text = ("Inscrivez-vous à notre newsletter\nLe Sommet des données\n\n"
            "Le conseil d’administration se réunira jeudi.")
    result = repairer.repair(text)
    assert "Sommet" not in result.text and "Le conseil d’administration se réunira jeudi." in result.text


def test_a_long_sentence_quoting_a_footer_phrase_is_content(repairer):
    text = ("Tous droits réservés à l’auteur, a rappelé le tribunal dans sa décision rendue mardi. "
            "L’éditeur a fait appel.")
    result = repairer.repair(text)
    assert result.text == text and not result.edits
    [finding] = [f for f in result.findings if f.rule == "BPL-0091"]
    assert finding.mode == "report" and finding.span == "Tous droits réservés"
    assert "reported only" in finding.explanation


def test_a_short_footer_sentence_is_still_removed(repairer):
    text = "Le groupe a publié ses résultats mardi. © 2023 Tech Matin, tous droits réservés. Les ventes progressent."
    assert repairer.repair(text).text == "Le groupe a publié ses résultats mardi. Les ventes progressent."


def test_the_sentence_length_is_an_option():
    text = "Tous droits réservés à l’auteur, a rappelé le tribunal dans sa décision rendue mardi. L’éditeur a fait appel."
    loose = Repairer(RepairConfig(boilerplate_sentence_max_words=20))
    assert loose.repair(text).text == "L’éditeur a fait appel."


def test_rules_with_required_context_words_are_not_limited(repairer):
    # The WordPress comment-form line is long, but its context words make it certain.
    text = ("Le groupe a publié ses résultats mardi. Enregistrer mon nom, mon e-mail et mon site dans le "
            "navigateur pour mon prochain commentaire. Les ventes progressent.")
    assert repairer.repair(text).text == "Le groupe a publié ses résultats mardi. Les ventes progressent."


def test_an_item_of_a_list_introduced_by_a_colon_is_kept(repairer):
    text = "Les secteurs qui recrutent le plus de jeunes diplômés :\nCommerce\nPublicité\nBâtiment\nInformatique"
    result = repairer.repair(text)
    assert result.text == text and not result.edits
    [finding] = [f for f in result.findings if f.category == "boilerplate"]
    assert finding.mode == "report" and finding.confidence < 0.7 and "list introduced by" in finding.explanation


def test_a_share_block_is_still_removed_whole(repairer):
    """« Partager : » is the rule's line; the short lines under it form a run: all go, the last
    one too, although content follows it (it ends the run, it is no heading)."""
    text = ("Le maire a présenté son budget.\nPartager :\nFacebook\nTwitter\nE-mail\n"
            "La séance du conseil a duré trois heures.")
    assert repairer.repair(text).text == "Le maire a présenté son budget.\nLa séance du conseil a duré trois heures."


def test_a_share_block_ending_the_document_is_removed_whole(repairer):
    """The run's last line is the document's: the line break above it went with the line above,
    which once made its own deletion overlap and kept « Twitter »."""
    text = "Le maire a présenté son budget.\nPartager :\nFacebook\nTwitter"
    result = repairer.repair(text)
    assert result.text == "Le maire a présenté son budget.\n"
    assert [e.rule for e in result.edits].count("BPL-BLOCK") == 2


def test_a_lone_short_last_line_under_a_removed_line_stays(repairer):
    """Not a run of short lines: a sentence without its full stop, kept as before."""
    text = "Le maire a présenté son budget.\nPublicité\nLe conseil se réunira jeudi"
    assert repairer.repair(text).text == "Le maire a présenté son budget.\nLe conseil se réunira jeudi"


def test_the_taken_deletions_answer_like_the_plain_scan():
    """_Taken.overlaps (a bisection) is ``any(s < end and start < e ...)`` over the deletions
    kept so far, empty ones included, on random inputs."""
    import random

    from mtrepair.passes.boilerplate import _Taken

    rng = random.Random(5)
    for _ in range(2000):
        taken, plain = _Taken(), []
        for _ in range(rng.randint(0, 25)):
            start = rng.randint(0, 50)
            end = start + rng.randint(0, 6)
            expected = any(s < end and start < e for s, e in plain)
            assert taken.overlaps(start, end) == expected
            if not expected:
                taken.add(start, end)
                plain.append((start, end))
                assert taken.ends_at(end)


def test_a_long_block_of_boilerplate_lines_is_removed_in_linear_time(repairer):
    """20,000 advert lines between sentences: every one goes (the overlap test was a scan of all
    earlier deletions, 12 s for this block; now a bisection)."""
    text = "\n".join(["Publicité", "Le maire a parlé."] * 10_000)
    result = repairer.repair(text)
    assert result.text == "\n".join(["Le maire a parlé."] * 10_000)
