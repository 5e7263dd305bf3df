"""The reference-free quality report: each component on realistic French text, the index, the verdicts."""

from __future__ import annotations

import math

import pytest

import mtrepair
from mtrepair.config import ConfigError, RepairConfig
from mtrepair.scoring.quality import quality_report
from mtrepair.scoring.settings import ScoringConfig
from mtrepair.scoring.signature import score_signature

from scoring_damage import build_triples

NO_MODEL = RepairConfig(model="none")

CLEAN = (
    "La ville de Lyon a présenté mardi son nouveau plan de circulation. Les voitures ne pourront plus "
    "traverser la presqu'île à partir du mois de septembre, a indiqué le maire lors d'une conférence de presse. "
    "Les commerçants du centre redoutent une baisse de la fréquentation, tandis que les associations "
    "de cyclistes saluent une décision attendue depuis longtemps."
)

ENGLISH = "The mayor said the new traffic plan would take effect in September after a long consultation."


def test_clean_french_text_is_pure_and_kept():
    report = quality_report(CLEAN, NO_MODEL)
    assert report.purity.share_french == 1.0
    assert report.purity.foreign_spans == ()
    assert report.purity.sentences_checked == 3
    assert report.artifacts.count == 0 and report.mechanics.per_100_words == 0
    assert report.verdict == "keep"


def test_foreign_sentence_is_found_with_its_span():
    text = CLEAN + " " + ENGLISH
    report = quality_report(text, NO_MODEL)
    assert report.purity.sentences_checked == 4 and report.purity.sentences_french == 3
    assert report.purity.share_french == pytest.approx(0.75)
    (span,) = report.purity.foreign_spans
    assert span.lang == "en" and span.probability > 0.9
    assert text[span.start : span.end] == span.text == ENGLISH
    assert report.index < quality_report(CLEAN, NO_MODEL).index


def test_language_identification_is_deterministic():
    text = CLEAN + " " + ENGLISH + " Der Bürgermeister sprach von einem historischen Tag für die Stadt."
    first = quality_report(text, NO_MODEL).purity
    for seed in (0, 0, 7):
        again = quality_report(text, NO_MODEL.replace(langdetect_seed=seed)).purity
        assert [(s.start, s.lang) for s in again.foreign_spans] == [(s.start, s.lang) for s in first.foreign_spans]
    assert quality_report(text, NO_MODEL).purity == first


def test_short_sentences_are_not_language_checked():
    report = quality_report("Oui. Non. Peut-être.", NO_MODEL)
    assert report.purity.share_french is None and report.purity.sentences_checked == 0
    assert report.component("purity") is None
    assert any("purity not measured" in n for n in report.notes)


def test_calques_raise_artifact_density_by_category():
    triple = build_triples(limit=1)[0]
    clean, heavy = quality_report(triple.clean, NO_MODEL), quality_report(triple.heavy, NO_MODEL)
    assert clean.artifacts.count == 0
    assert heavy.artifacts.count >= 2
    assert heavy.artifacts.per_100_words == pytest.approx(100 * heavy.artifacts.count / heavy.words)
    assert sum(dict(heavy.artifacts.by_category).values()) == heavy.artifacts.count
    assert set(dict(heavy.artifacts.by_category)) <= {"calque", "mistranslation", "entity", "grammar"}


def test_broken_lines_count_as_mechanics():
    broken = (
        "Les commerçants du centre redoutent une baisse de la\n"
        "fréquentation, tandis que les associations de cyclistes saluent une décision attendue.\n"
    )
    report = quality_report(broken, NO_MODEL)
    assert report.mechanics.broken_lines == 1
    assert report.mechanics.per_100_words > 0
    assert report.component("mechanics") < 1.0
    repaired = mtrepair.repair(broken, NO_MODEL).text
    assert quality_report(repaired, NO_MODEL).mechanics.broken_lines == 0


def test_index_follows_the_documented_formula():
    cfg = NO_MODEL.scoring
    report = quality_report(CLEAN + " " + ENGLISH, NO_MODEL)
    subs = dict(report.components)
    # artifacts and mechanics: 0.5 ** (density / half density)
    assert subs["artifacts"] == pytest.approx(0.5 ** (report.artifacts.per_100_words / cfg.artifacts_half_density))
    assert subs["mechanics"] == pytest.approx(0.5 ** (report.mechanics.per_100_words / cfg.mechanics_half_density))
    assert subs["purity"] == report.purity.share_french
    weights = cfg.weights()
    measured = {k: v for k, v in subs.items() if v is not None}
    assert "fluency" not in measured  # no model: the weights are renormalised over the other three
    expected = 100 * sum(weights[k] * v for k, v in measured.items()) / sum(weights[k] for k in measured)
    assert report.index == pytest.approx(expected)


def test_fluency_subscore_is_log_linear_between_the_thresholds():
    from mtrepair.scoring.quality import Artifacts, Fluency, Mechanics, Purity, sub_scores

    cfg = ScoringConfig(fluency_ppl_good=100.0, fluency_ppl_bad=10000.0)
    args = (Purity(1.0, 1, 1), Artifacts(0, 0.0), None, Mechanics(0, 0, 0.0), cfg)

    def flu(ppl):
        return sub_scores(args[0], args[1], Fluency(ppl, ppl, ppl, 1, "m"), args[3], cfg)["fluency"]

    assert flu(50.0) == 1.0 and flu(20000.0) == 0.0
    assert flu(1000.0) == pytest.approx(0.5)  # halfway in log space
    assert flu(300.0) > flu(600.0)


def test_verdict_thresholds_are_settings():
    report = quality_report(CLEAN + " " + ENGLISH, NO_MODEL)
    assert 55 <= report.index < 100
    strict = NO_MODEL.replace(scoring=ScoringConfig(keep_threshold=99.0, review_threshold=98.0))
    assert quality_report(CLEAN + " " + ENGLISH, strict).verdict == "drop"
    lenient = NO_MODEL.replace(scoring={"keep_threshold": 10.0, "review_threshold": 5.0})
    assert quality_report(CLEAN + " " + ENGLISH, lenient).verdict == "keep"


def test_bad_scoring_settings_are_config_errors():
    with pytest.raises(ConfigError, match="review_threshold <= keep_threshold"):
        RepairConfig(scoring={"keep_threshold": 40.0, "review_threshold": 60.0})
    with pytest.raises(ConfigError, match="unknown scoring keys: bogus"):
        RepairConfig.from_mapping({"scoring": {"bogus": 1}})
    with pytest.raises(ConfigError, match="weights must not all be 0"):
        RepairConfig(scoring={"weight_purity": 0, "weight_artifacts": 0, "weight_fluency": 0, "weight_mechanics": 0})
    with pytest.raises(ConfigError, match="scoring.keep_threshold must be a number, got 'high'"):
        RepairConfig.from_mapping({"scoring": {"keep_threshold": "high"}})
    with pytest.raises(ConfigError, match="scoring.bootstrap_min_segments must be an integer"):
        RepairConfig(scoring={"bootstrap_min_segments": 12.5})
    cfg = RepairConfig.from_mapping({"mtrepair": {"scoring": {"weight_fluency": 0.5}}})
    assert cfg.scoring.weight_fluency == 0.5 and hash(cfg)


def test_without_a_model_fluency_degrades_with_a_note():
    report = quality_report(CLEAN, NO_MODEL)
    assert report.fluency.geometric_mean_perplexity is None and report.component("fluency") is None
    assert "fluency not measured" in report.fluency.note
    assert report.to_dict()["fluency"]["model"] == "none"


def test_unloadable_model_degrades_with_a_note():
    from mtrepair.model.errors import ModelNotFoundError
    from mtrepair.scoring.quality import _load_model

    class Unloadable:  # a repairer whose model cannot be loaded (missing data files)
        config = RepairConfig()

        @property
        def model(self):
            raise ModelNotFoundError("/somewhere: not a built mtrepair model")

    model, note = _load_model(Unloadable())
    assert model is None
    assert "reference model unavailable" in note and "not a built mtrepair model" in note
    assert "fluency not measured" in note


def _model_or_skip():
    try:
        from mtrepair.model import load_model

        model = load_model()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"reference model not available: {exc}")
    if model is None:
        pytest.skip("reference model disabled")
    return model


def test_fluency_with_the_reference_model_prefers_clean_text():
    model = _model_or_skip()
    config = RepairConfig()
    triples = build_triples(limit=20)
    worse = 0
    for t in triples:
        clean = quality_report(t.clean, config)
        heavy = quality_report(t.heavy, config)
        assert clean.fluency.model == str(model.id)
        assert clean.fluency.geometric_mean_perplexity > 1 and math.isfinite(clean.fluency.mean_perplexity)
        worse += heavy.fluency.geometric_mean_perplexity > clean.fluency.geometric_mean_perplexity
    # The embedded n-gram model sees calques only weakly (many are common words in an odd order):
    # it must still find the heavily damaged version less fluent in most paragraphs.
    assert worse > len(triples) / 2, f"heavy damage more perplexing in only {worse}/{len(triples)}"


def test_before_and_after_in_repair_result_scores():
    triple = build_triples(limit=1)[0]
    result = mtrepair.repair(triple.heavy, NO_MODEL)
    light = result.scores["quality"]
    assert light["artifacts_per_100_words"]["before"] > light["artifacts_per_100_words"]["after"]
    full = mtrepair.repair(triple.heavy, NO_MODEL.replace(score_results=True)).scores["quality"]
    assert full["before"]["index"] < full["index"]
    assert full["index_delta"] == pytest.approx(full["index"] - full["before"]["index"], abs=0.01)
    assert full["artifacts"]["per_100_words"] < full["before"]["artifacts"]["per_100_words"]


def test_signature_names_everything_that_decides_a_score():
    report = quality_report(CLEAN, NO_MODEL)
    sig = report.signature
    assert sig.startswith(f"mtrepair:{mtrepair.__version__}|glossary:")
    for part in ("|model:none|", "|min-conf:0.70|", "|cfg:", "|lid:langdetect-", "seed0",
                 "|w:p0.2,a0.45,f0.2,m0.15|", "|verdict:80/55"):
        assert part in sig, part
    other = quality_report(CLEAN, NO_MODEL.replace(scoring=ScoringConfig(keep_threshold=85.0))).signature
    assert other != sig and "|verdict:85/55" in other
    # A repair setting that the short fields do not show still changes the signature (cfg hash).
    assert score_signature(NO_MODEL.replace(hard_wrap_ratio=0.9)) != score_signature(NO_MODEL)
    assert score_signature(NO_MODEL, None, "kn4@abc") .count("|model:kn4@abc|") == 1
