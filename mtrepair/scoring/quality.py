"""Reference-free quality report of a French document, and the 0–100 quality index.

Four components, each measured and turned into a 0..1 sub-score
(settings in :class:`~mtrepair.scoring.settings.ScoringConfig`):

* **purity** – share of sentences (with at least ``purity_min_words`` words)
  that langdetect, seeded with ``RepairConfig.langdetect_seed``, identifies as
  French with probability ≥ ``purity_min_probability``; the others are listed
  as foreign spans. Sub-score = the share.
* **artifacts** – findings of :meth:`Repairer.detect` (confidence ≥
  ``finding_min_confidence``) other than line breaks and typography, per 100
  words. Sub-score = ``0.5 ** (density / artifacts_half_density)``.
* **fluency** – per-sentence perplexities under the reference model (sentences
  of at least ``fluency_min_words`` words); their arithmetic mean is reported,
  the sub-score uses their geometric mean G (one garbled heading can push the
  arithmetic mean up a million-fold): 1 at ``fluency_ppl_good`` or below, 0 at
  ``fluency_ppl_bad`` or above, linear in log G in between. Absent (with a
  note) when no model is available.
* **mechanics** – broken-line and typography findings per 100 words.
  Sub-score = ``0.5 ** (density / mechanics_half_density)``.

``index = 100 × Σ weight_c × sub_c / Σ weight_c`` over the components that
could be measured; verdict ``keep`` when index ≥ ``keep_threshold``,
``review`` when ≥ ``review_threshold``, else ``drop``.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Sequence

from ..config import RepairConfig
from ..document import Document
from ..types import Edit, Finding
from .settings import COMPONENTS, MECHANICS_CATEGORIES, ScoringConfig

_LANGDETECT_LOCK = threading.Lock()


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class ForeignSpan:
    start: int
    end: int
    text: str
    lang: str  # langdetect's best language
    probability: float

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "lang": self.lang,
                "probability": round(self.probability, 4)}


@dataclass(frozen=True)
class Purity:
    share_french: float | None  # None when no sentence was long enough to check
    sentences_checked: int
    sentences_french: int
    foreign_spans: tuple[ForeignSpan, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"share_french": self.share_french, "sentences_checked": self.sentences_checked,
                "sentences_french": self.sentences_french,
                "foreign_spans": [s.to_dict() for s in self.foreign_spans]}


@dataclass(frozen=True)
class Artifacts:
    count: int
    per_100_words: float
    by_category: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "per_100_words": round(self.per_100_words, 4),
                "by_category": dict(self.by_category)}


@dataclass(frozen=True)
class Mechanics:
    broken_lines: int
    typography: int
    per_100_words: float

    def to_dict(self) -> dict[str, Any]:
        return {"broken_lines": self.broken_lines, "typography": self.typography,
                "per_100_words": round(self.per_100_words, 4)}


@dataclass(frozen=True)
class Fluency:
    mean_perplexity: float | None  # arithmetic mean of per-sentence perplexities (outlier-prone)
    geometric_mean_perplexity: float | None  # exp(mean log perplexity): what the sub-score uses
    document_perplexity: float | None  # token-weighted over the scored sentences
    sentences: int  # sentences scored (at least fluency_min_words words)
    model: str  # model id, or "none"
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        r = (lambda v: None if v is None else round(v, 3))
        return {"mean_perplexity": r(self.mean_perplexity),
                "geometric_mean_perplexity": r(self.geometric_mean_perplexity),
                "document_perplexity": r(self.document_perplexity),
                "sentences": self.sentences, "model": self.model, "note": self.note}


@dataclass(frozen=True)
class QualityReport:
    """Reference-free quality of one text (and of its original, and reference metrics, when given)."""

    words: int
    sentences: int
    purity: Purity
    artifacts: Artifacts
    fluency: Fluency
    mechanics: Mechanics
    components: tuple[tuple[str, float | None], ...]  # 0..1 sub-scores, None = not measured
    index: float  # 0–100
    verdict: str  # keep / review / drop
    signature: str = ""
    notes: tuple[str, ...] = ()
    before: "QualityReport | None" = None  # the same report for the unrepaired original
    reference: Any = None  # mtrepair.scoring.reference.ReferenceScores

    def component(self, name: str) -> float | None:
        return dict(self.components)[name]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "index": self.index,  # unrounded: each renderer rounds once
            "verdict": self.verdict,
            "components": {k: (None if v is None else round(v, 4)) for k, v in self.components},
            "words": self.words,
            "sentences": self.sentences,
            "purity": self.purity.to_dict(),
            "artifacts": self.artifacts.to_dict(),
            "fluency": self.fluency.to_dict(),
            "mechanics": self.mechanics.to_dict(),
            "notes": list(self.notes),
            "signature": self.signature,
        }
        if self.before is not None:
            b = self.before.to_dict()
            b.pop("signature", None)
            out["before"] = b
            out["index_delta"] = round(self.index - self.before.index, 2)
        if self.reference is not None:
            out["reference"] = self.reference.to_dict()
        return out


# ---------------------------------------------------------------- components


@lru_cache(maxsize=1)
def _language_factory() -> Any:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()  # private: the global langdetect state is left alone
    factory.load_profile(PROFILES_DIRECTORY)
    return factory


#: Sentences whose language is remembered (scoring before/after repair shares most sentences).
LANGUAGE_CACHE_SIZE = 8192


@lru_cache(maxsize=LANGUAGE_CACHE_SIZE)
def _languages(text: str, seed: int) -> tuple[tuple[str, float], ...]:
    """langdetect's (language, probability) list for one sentence, best first; () if undecidable."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = _language_factory()
    with _LANGDETECT_LOCK:
        factory.set_seed(seed)
        detector = factory.create()
        detector.append(text)
        try:
            return tuple((l.lang, float(l.prob)) for l in detector.get_probabilities())
        except LangDetectException:
            return ()


def language_purity(doc: Document, cfg: ScoringConfig, seed: int) -> Purity:
    """Share of (long enough) sentences identified as French, and the foreign ones."""
    checked = french = 0
    foreign: list[ForeignSpan] = []
    for sent in doc.sentences:
        if sum(1 for t in sent.tokens if t.is_word and t.text.isalpha()) < cfg.purity_min_words:
            continue
        text = doc.text[sent.start : sent.end]
        langs = _languages(text, seed)
        if not langs:
            continue
        checked += 1
        p_fr = next((p for lang, p in langs if lang == "fr"), 0.0)
        if p_fr >= cfg.purity_min_probability:
            french += 1
        else:
            foreign.append(ForeignSpan(sent.start, sent.end, text, langs[0][0], langs[0][1]))
    share = french / checked if checked else None
    return Purity(share, checked, french, tuple(foreign))


def _per_100(count: float, words: int) -> float:
    return 100.0 * count / words if words else 0.0


def count_findings(
    findings: Iterable[Finding | Edit], words: int, cfg: ScoringConfig
) -> tuple[Artifacts, Mechanics]:
    """Artifact and mechanics densities from findings (or edits) at least ``finding_min_confidence``."""
    by_cat: dict[str, int] = {}
    for f in findings:
        if f.confidence >= cfg.finding_min_confidence:
            by_cat[str(f.category)] = by_cat.get(str(f.category), 0) + 1
    artifact_cats = {k: v for k, v in by_cat.items() if k not in MECHANICS_CATEGORIES}
    n_art = sum(artifact_cats.values())
    broken, typo = by_cat.get("linebreak", 0), by_cat.get("typography", 0)
    return (
        Artifacts(n_art, _per_100(n_art, words), tuple(sorted(artifact_cats.items()))),
        Mechanics(broken, typo, _per_100(broken + typo, words)),
    )


def _model_id(model: Any) -> str:
    return "none" if model is None else str(getattr(model, "id", type(model).__name__))


def fluency(doc: Document, model: Any, note: str = "", min_words: int = 1) -> Fluency:
    """Per-sentence perplexities under ``model`` of the sentences with at least ``min_words``
    words (None: not measured, with ``note``)."""
    if model is None:
        return Fluency(None, None, None, 0, "none", note or "no reference model: fluency not measured")
    from ..model.fluency import sentence_perplexities

    words = {s.start: sum(1 for t in s.tokens if t.is_word) for s in doc.sentences}
    sents = [s for s in sentence_perplexities(doc.text, model) if words.get(s.start, 0) >= min_words]
    if not sents:
        return Fluency(None, None, None, 0, _model_id(model), f"no sentence of {min_words}+ words to score")
    ppls = [s.perplexity for s in sents]
    n_tok = sum(s.tokens for s in sents)
    return Fluency(
        mean_perplexity=sum(ppls) / len(ppls),
        geometric_mean_perplexity=math.exp(sum(math.log(p) for p in ppls) / len(ppls)),
        document_perplexity=math.exp(-sum(s.logprob for s in sents) / n_tok),
        sentences=len(sents),
        model=_model_id(model),
        note=note,
    )


# ---------------------------------------------------------------- the index


def sub_scores(
    purity: Purity, artifacts: Artifacts, flu: Fluency, mechanics: Mechanics, cfg: ScoringConfig
) -> dict[str, float | None]:
    """The 0..1 sub-score of each component (None = not measured)."""
    flu_score = None
    if flu.geometric_mean_perplexity is not None:
        lo, hi = math.log(cfg.fluency_ppl_good), math.log(cfg.fluency_ppl_bad)
        x = (math.log(max(flu.geometric_mean_perplexity, 1e-9)) - lo) / (hi - lo)
        flu_score = min(1.0, max(0.0, 1.0 - x))
    return {
        "purity": purity.share_french,
        "artifacts": 0.5 ** (artifacts.per_100_words / cfg.artifacts_half_density),
        "fluency": flu_score,
        "mechanics": 0.5 ** (mechanics.per_100_words / cfg.mechanics_half_density),
    }


def combine(subs: dict[str, float | None], cfg: ScoringConfig) -> float:
    """``100 × Σ w·s / Σ w`` over the measured components."""
    weights = cfg.weights()
    num = sum(weights[c] * s for c, s in subs.items() if s is not None)
    den = sum(weights[c] for c, s in subs.items() if s is not None)
    return 100.0 * num / den if den > 0 else 0.0


# ---------------------------------------------------------------- entry points


def _repairer(config: RepairConfig) -> Any:
    from .. import _repairer as cached

    return cached(config)


def _load_model(repairer: Any) -> tuple[Any, str]:
    """The repairer's model, or (None, why) when it cannot be loaded."""
    if repairer.config.model == "none":
        return None, "model disabled (model = 'none'): fluency not measured"
    try:
        return repairer.model, ""
    except Exception as exc:  # noqa: BLE001 - any load failure degrades to "not measured"
        return None, f"reference model unavailable ({type(exc).__name__}: {exc}): fluency not measured"


def quality_report(
    text: str,
    config: RepairConfig | None = None,
    *,
    repairer: Any = None,
    findings: Sequence[Finding] | None = None,
    with_fluency: bool = True,
) -> QualityReport:
    """The reference-free report of ``text`` (no ``before``, no reference metrics).

    ``findings`` (offsets into ``text``) saves a detection pass when the caller
    already has them.
    """
    config = config or RepairConfig()
    cfg = config.scoring
    repairer = repairer or _repairer(config)
    doc = Document(text)
    words = doc.word_count
    if findings is None:
        findings = repairer.detect(text)
    artifacts, mechanics = count_findings(findings, words, cfg)
    purity = language_purity(doc, cfg, config.langdetect_seed)
    if with_fluency:
        model, why = _load_model(repairer)
        flu = fluency(doc, model, why, cfg.fluency_min_words)
    else:
        flu = Fluency(None, None, None, 0, "none", "fluency not requested")
    subs = sub_scores(purity, artifacts, flu, mechanics, cfg)
    index = combine(subs, cfg)
    notes = []
    if purity.share_french is None:
        notes.append(f"no sentence of {cfg.purity_min_words}+ words: language purity not measured")
    if flu.geometric_mean_perplexity is None and flu.note:
        notes.append(flu.note)
    if words == 0:
        notes.append("no words")
    from .signature import score_signature

    return QualityReport(
        words=words,
        sentences=len(doc.sentences),
        purity=purity,
        artifacts=artifacts,
        fluency=flu,
        mechanics=mechanics,
        components=tuple((c, subs[c]) for c in COMPONENTS),
        index=index,
        verdict=cfg.verdict(index),
        signature=score_signature(config, repairer.glossary, flu.model),
        notes=tuple(notes),
    )


def score(
    text: str,
    reference: str | None = None,
    original: str | None = None,
    config: RepairConfig | None = None,
    *,
    unit: str = "line",
    name: str = "<text>",
) -> QualityReport:
    """Quality report of ``text``; with ``original`` its report too (``before``);
    with ``reference`` the sacrebleu metrics (``reference``; segments = non-blank
    lines, or the whole text with ``unit="document"``)."""
    config = config or RepairConfig()
    repairer = _repairer(config)
    report = quality_report(text, config, repairer=repairer)
    before = quality_report(original, config, repairer=repairer) if original is not None else None
    ref_scores = None
    if reference is not None:
        from .align import align_segments
        from .reference import reference_scores

        aligned = align_segments(text, reference, original, doc=name, unit=unit)
        ref_scores = reference_scores(aligned, config.scoring, unit=unit)
    if before is None and ref_scores is None:
        return report
    from dataclasses import replace

    return replace(report, before=before, reference=ref_scores)


def light_summary(edits: Sequence[Edit], left: Sequence[Finding], words: int, config: RepairConfig) -> dict[str, Any]:
    """Cheap before/after densities from the findings a repair already has (no new detection).

    *before* counts every finding of the original (applied edits + findings
    left); *after* counts the findings left unapplied.
    """
    cfg = config.scoring
    art_b, mech_b = count_findings([*edits, *left], words, cfg)
    art_a, mech_a = count_findings(left, words, cfg)
    return {
        "artifacts_per_100_words": {"before": round(art_b.per_100_words, 4), "after": round(art_a.per_100_words, 4)},
        "mechanics_per_100_words": {"before": round(mech_b.per_100_words, 4), "after": round(mech_a.per_100_words, 4)},
    }


def repair_quality(
    repairer: Any, original: str, repaired: str, edits: Sequence[Edit], left: Sequence[Finding], words: int
) -> dict[str, Any]:
    """``RepairResult.scores["quality"]``: :func:`light_summary`, or with ``config.score_results``
    the full report of the repaired text with the original's as ``before`` (as ``to_dict()``)."""
    config = repairer.config
    if not config.score_results:
        return light_summary(edits, left, words, config)
    from dataclasses import replace

    after = quality_report(repaired, config, repairer=repairer)
    before = quality_report(original, config, repairer=repairer, findings=[*edits, *left])
    return replace(after, before=before).to_dict()
