"""``position: after-quote``: the inverted reporting clause, not a name in guillemets.

« « Nous accélérons », a pointé la ministre » is a spun reporting verb (noted → pointed out) after a
quotation that opens its sentence; « Le rapport « Santé 2030 », a pointé le manque de moyens » is
French: the guillemets hold a name inside the sentence, and « a pointé » is the sentence's verb.
"""

from __future__ import annotations

import pytest

from mtrepair import Repairer
from mtrepair.config import RepairConfig
from mtrepair.glossary.engine import _position_ok
from mtrepair.glossary.engine import TextTokens


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig())


@pytest.mark.parametrize("text", [
    "Le dispositif, baptisé « Jeunes actifs », a inclus l’assurance habitation dans son offre.",
    "Le rapport « Santé 2030 », a pointé le manque de moyens des hôpitaux publics.",
    "Le comité « Transparence », a transmis le dossier au parquet vendredi.",
])
def test_a_name_in_guillemets_followed_by_its_verb_is_left_alone(repairer, text):
    assert repairer.repair(text).text == text


@pytest.mark.parametrize("text, expected", [
    ("« Nous allons accélérer », a transmis la ministre dans un communiqué.",
     "« Nous allons accélérer », a indiqué la ministre dans un communiqué."),
    ("Les ventes ont doublé. « Nous allons accélérer », a pointé le porte-parole.",
     "Les ventes ont doublé. « Nous allons accélérer », a souligné le porte-parole."),
    ("Le message est clair : « Nous allons accélérer », a pointé le porte-parole.",
     "Le message est clair : « Nous allons accélérer », a souligné le porte-parole."),
])
def test_the_inverted_reporting_clause_is_still_repaired(repairer, text, expected):
    assert repairer.repair(text).text == expected


def test_the_position_reads_where_the_quotation_opens():
    def ok(text: str) -> bool:
        toks = TextTokens.from_text(text).spans
        i = next(k for k, t in enumerate(toks) if t[2] == "»")
        return _position_ok("after-quote", toks, i, i + 3, text)

    assert ok("« Oui », a dit Paul.")
    assert ok("Fin. « Oui », a dit Paul.")
    assert ok("Il tranche : « Oui », a dit Paul.")
    assert ok("Ligne un\n« Oui », a dit Paul.")
    assert not ok("Le plan « Oui », a dit Paul.")
    assert not ok("Oui », a dit Paul.")  # no opening quote on the line
