"""BIZ-0282 « sonde » -> enquête (probe, the investigation, translated as the instrument).

Its ``require`` words (régulateur, parquet, justice…) count only inside the match's sentence
(f154d9c): a medical or space probe in the sentence after one about the courts stays. Inside one
sentence, a probe fitted to a patient stays too (``forbid``: patient, posée, hôpital, orbite…).
"""

from __future__ import annotations

import pytest

from mtrepair import Repairer
from mtrepair.config import RepairConfig


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig())


@pytest.mark.parametrize("text", [
    "Les enquêteurs sont arrivés sur place. La sonde a été retirée du patient dans la nuit.",
    "Le dossier est entre les mains de la justice. Une sonde a été posée au blessé.",
    "L'autorité de sûreté a donné son accord. La sonde a rejoint son orbite mardi.",
    "Selon le parquet, une sonde a été posée au patient avant son transfert.",
])
def test_an_instrument_is_left_alone(repairer, text):
    assert repairer.repair(text).text == text


@pytest.mark.parametrize("text, expected", [
    ("La sonde de la FTC vise les accords de Microsoft.", "L'enquête de la FTC vise les accords de Microsoft."),
    ("Le régulateur a ouvert une sonde sur les accords de Microsoft.",
     "Le régulateur a ouvert une enquête sur les accords de Microsoft."),
])
def test_the_investigation_is_still_repaired(repairer, text, expected):
    assert repairer.repair(text).text == expected
