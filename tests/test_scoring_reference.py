"""Reference metrics: mtrepair's numbers are sacrebleu's numbers for the same inputs.

The expected values are computed here with sacrebleu's own metric objects, so
these tests check the plumbing (segmentation, alignment, which metric object,
which signature), not a copy of mtrepair's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

import mtrepair
from mtrepair.scoring.align import AlignmentError, align_segments
from mtrepair.scoring.reference import reference_scores
from mtrepair.scoring.settings import ScoringConfig

CLEAN = Path(__file__).resolve().parent / "data" / "clean" / "paragraphs.jsonl"

REFERENCE = """La start-up parisienne a levé 120 millions de dollars auprès d'un fonds américain.
Sa directrice générale a souligné que cet argent servira à doubler les effectifs.
Plusieurs employés d'un concurrent ont rejoint l'entreprise ces dernières semaines.

Le tour de table valorise la société à 900 millions de dollars.
Alors qu'elle recrute des ingénieurs à Paris, ses concurrents licencient.
"""

REPAIRED = """La start-up parisienne a levé 120 millions de dollars auprès d'un fonds américain.
Sa directrice générale a souligné que cet argent servira à doubler les effectifs.
Plusieurs individus d'un concurrent ont rejoint l'entreprise ces dernières semaines.

Le tour de table valorise la société à 900 millions de dollars.
Alors qu'elle recrute des ingénieurs à Paris, ses concurrents licencient.
"""

ORIGINAL = """La jeune pousse parisienne a levé 120 millions de dollars auprès d'un fonds américain.
Sa directrice générale a gardé à l'esprit que cet argent servira à doubler les effectifs.
Plusieurs individus d'un concurrent ont rejoint l'entreprise ces dernières semaines.

Le tour de table valorise la société à 900 millions de dollars.
Pendant elle recrute des ingénieurs à Paris, ses concurrents licencient.
"""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _metrics():
    return [BLEU(), CHRF(), CHRF(word_order=2), TER()]


def _many_segments(n: int) -> tuple[list[str], list[str], list[str]]:
    """n reference sentences from the clean paragraphs; the 'original' drops every 4th word of
    every other sentence, the 'repaired' drops it in every sixth sentence only."""
    refs: list[str] = []
    for line in CLEAN.read_text(encoding="utf-8").splitlines():
        for sent in json.loads(line)["text"].replace("\n", " ").split(". "):
            if len(sent.split()) >= 8:
                refs.append(sent.strip())
        if len(refs) >= n:
            break
    refs = refs[:n]

    def damage(s: str) -> str:
        return " ".join(w for i, w in enumerate(s.split()) if i % 4 != 3)

    original = [damage(r) if i % 2 == 0 else r for i, r in enumerate(refs)]
    repaired = [damage(r) if i % 6 == 0 else r for i, r in enumerate(refs)]
    return repaired, original, refs


def test_corpus_scores_and_signatures_equal_sacrebleus():
    result = reference_scores(align_segments(REPAIRED, REFERENCE))
    hyps, refs = _lines(REPAIRED), _lines(REFERENCE)
    assert result.segments == len(refs) == 5
    for metric in _metrics():
        expected = metric.corpus_score(hyps, [refs])
        got = result.metric(expected.name)
        assert got.score == expected.score
        assert got.signature == str(metric.get_signature())
    # The repaired text is not identical to the reference: scores are informative, not trivial.
    assert 0 < result.metric("BLEU").score < 100
    assert result.metric("TER").score > 0


def test_metric_names_are_sacrebleus_own():
    result = reference_scores(align_segments(REPAIRED, REFERENCE))
    names = [m.name for m in result.metrics]
    assert names == [m.corpus_score(["a b"], [["a b"]]).name for m in _metrics()]
    assert names == ["BLEU", "chrF2", "chrF2++", "TER"]


def test_per_segment_scores_equal_sacrebleus_sentence_scores():
    result = reference_scores(align_segments(REPAIRED, REFERENCE, ORIGINAL))
    hyps, refs, origs = _lines(REPAIRED), _lines(REFERENCE), _lines(ORIGINAL)
    seg_metrics = [BLEU(effective_order=True), CHRF(), CHRF(word_order=2), TER()]
    for i, seg in enumerate(result.per_segment):
        got = dict(seg.scores)
        got_orig = dict(seg.original)
        for m in seg_metrics:
            exp = m.sentence_score(hyps[i], [refs[i]])
            assert got[exp.name] == exp.score
            assert got_orig[exp.name] == m.sentence_score(origs[i], [refs[i]]).score
    assert dict(result.segment_signatures)["BLEU"] == str(seg_metrics[0].get_signature())
    assert "eff:yes" in dict(result.segment_signatures)["BLEU"]
    # Line numbers are the hypothesis' own (the blank line is skipped, not renumbered).
    assert [s.line for s in result.per_segment] == [1, 2, 3, 5, 6]


def test_original_scores_and_delta():
    result = reference_scores(align_segments(REPAIRED, REFERENCE, ORIGINAL))
    origs, refs = _lines(ORIGINAL), _lines(REFERENCE)
    before = {m.name: m.score for m in result.original_metrics}
    for metric in _metrics():
        exp = metric.corpus_score(origs, [refs])
        assert before[exp.name] == exp.score
    delta = result.delta()
    assert delta["chrF2"] == result.metric("chrF2").score - before["chrF2"]
    # Repair moved the text towards the reference on every metric.
    assert delta["BLEU"] > 0 and delta["chrF2"] > 0 and delta["chrF2++"] > 0 and delta["TER"] < 0


def test_bootstrap_absent_with_too_few_segments_and_says_why():
    result = reference_scores(align_segments(REPAIRED, REFERENCE, ORIGINAL))
    assert result.bootstrap is None
    assert "not run" in result.bootstrap_note
    assert "5 segment(s)" in result.bootstrap_note and str(ScoringConfig().bootstrap_min_segments) in result.bootstrap_note
    assert result.to_dict()["bootstrap"] is None


def test_bootstrap_present_with_enough_segments():
    repaired, original, refs = _many_segments(40)
    cfg = ScoringConfig(bootstrap_samples=200)
    aligned = align_segments("\n".join(repaired), "\n".join(refs), "\n".join(original))
    result = reference_scores(aligned, cfg)
    assert result.bootstrap is not None
    by_name = {r.name: r for r in result.bootstrap}
    assert set(by_name) == {"BLEU", "chrF2", "chrF2++", "TER"}
    for name, r in by_name.items():
        assert r.repaired == result.metric(name).score
        assert 0 < r.p_value <= 1
        assert "bs:200" in r.signature and "seed:" in r.signature
    # Half the original's sentences lost a quarter of their words; the repair restored two thirds
    # of them: a real difference the test must find significant.
    assert by_name["BLEU"].p_value < 0.05 and by_name["chrF2"].p_value < 0.05
    assert "200 resamples over 40 segments" in result.bootstrap_note


def test_bootstrap_threshold_is_a_setting():
    repaired, original, refs = _many_segments(12)
    aligned = align_segments("\n".join(repaired), "\n".join(refs), "\n".join(original))
    assert reference_scores(aligned, ScoringConfig()).bootstrap is None
    assert reference_scores(aligned, ScoringConfig(bootstrap_min_segments=10, bootstrap_samples=50)).bootstrap


def test_alignment_errors_name_the_counts():
    with pytest.raises(AlignmentError) as err:
        align_segments(REPAIRED + "Une phrase de trop.\n", REFERENCE, doc="article.txt")
    msg = str(err.value)
    assert "article.txt" in msg and "6 non-blank line(s)" in msg and "reference 5" in msg
    assert "--segment document" in msg
    with pytest.raises(AlignmentError, match="the original has 4"):
        align_segments(REPAIRED, REFERENCE, "\n".join(_lines(ORIGINAL)[:4]))


def test_document_unit_needs_no_line_alignment():
    joined_hyp = " ".join(_lines(REPAIRED))
    aligned = align_segments(joined_hyp, REFERENCE, unit="document")
    assert len(aligned) == 1
    result = reference_scores(aligned, unit="document")
    exp = CHRF().corpus_score([joined_hyp], [[" ".join(_lines(REFERENCE))]])
    assert result.metric("chrF2").score == exp.score


def test_public_score_api_with_reference_and_original():
    config = mtrepair.RepairConfig(model="none")
    report = mtrepair.score(REPAIRED, reference=REFERENCE, original=ORIGINAL, config=config)
    exp = CHRF(word_order=2).corpus_score(_lines(REPAIRED), [_lines(REFERENCE)])
    assert report.reference.metric("chrF2++").score == exp.score
    assert report.before is not None
    data = report.to_dict()
    assert data["reference"]["metrics"]["chrF2++"]["score"] == exp.score
    assert "index_delta" in data
