"""Reference metrics through sacrebleu's metric objects: BLEU, chrF2, chrF2++ and TER.

* Corpus level: one call of ``metric.corpus_score(hyps, [refs])`` over all
  aligned segments, with sacrebleu's own signature string.
* Per segment: ``metric.sentence_score(hyp, [ref])``. Sentence-level BLEU uses
  ``BLEU(effective_order=True)`` as sacrebleu recommends (its signature says
  ``eff:yes``); chrF and TER use the same settings as at corpus level.
* With the unrepaired original: the same scores for it, the difference
  (repaired − original; for TER lower is better), and sacrebleu's paired
  bootstrap test (``sacrebleu.significance.PairedTest``, ``test_type="bs"``)
  of repaired against original when there are at least
  ``ScoringConfig.bootstrap_min_segments`` segments; otherwise a note says why
  it was not run.

Metric names are sacrebleu's own (``score.name``): ``BLEU``, ``chrF2``,
``chrF2++``, ``TER``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from .align import Segment
from .settings import ScoringConfig

#: sacrebleu's names for the metrics mtrepair reports, in display order.
METRIC_NAMES: tuple[str, ...] = ("BLEU", "chrF2", "chrF2++", "TER")
#: Metrics where a lower score is better.
LOWER_IS_BETTER = frozenset({"TER"})


def _metric_objects(sentence_level: bool = False) -> list[Any]:
    from sacrebleu.metrics import BLEU, CHRF, TER

    return [BLEU(effective_order=sentence_level), CHRF(), CHRF(word_order=2), TER()]


@dataclass(frozen=True)
class MetricScore:
    name: str  # sacrebleu's metric name
    score: float
    signature: str  # sacrebleu's signature string
    detail: str = ""  # sacrebleu's formatted score (BLEU precisions, brevity penalty ...)

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "signature": self.signature, "detail": self.detail}


@dataclass(frozen=True)
class SegmentScores:
    doc: str
    line: int
    scores: tuple[tuple[str, float], ...]
    original: tuple[tuple[str, float], ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"input": self.doc, "line": self.line, **dict(self.scores)}
        if self.original is not None:
            out["original"] = dict(self.original)
        return out


@dataclass(frozen=True)
class PairedResult:
    """sacrebleu's paired bootstrap result for one metric: repaired (system) vs original (baseline)."""

    name: str
    original: float
    repaired: float
    p_value: float
    repaired_mean: float
    repaired_ci: float
    original_mean: float | None
    original_ci: float | None
    signature: str

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "name"}


@dataclass(frozen=True)
class ReferenceScores:
    unit: str  # "line" or "document"
    segments: int
    metrics: tuple[MetricScore, ...]
    segment_signatures: tuple[tuple[str, str], ...]
    per_segment: tuple[SegmentScores, ...]
    original_metrics: tuple[MetricScore, ...] | None = None
    bootstrap: tuple[PairedResult, ...] | None = None
    bootstrap_note: str = ""

    def metric(self, name: str) -> MetricScore:
        for m in self.metrics:
            if m.name == name:
                return m
        raise KeyError(name)

    def delta(self) -> dict[str, float] | None:
        """Repaired − original, per metric (positive is better except for TER)."""
        if self.original_metrics is None:
            return None
        before = {m.name: m.score for m in self.original_metrics}
        return {m.name: m.score - before[m.name] for m in self.metrics}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "unit": self.unit,
            "segments": self.segments,
            "metrics": {m.name: m.to_dict() for m in self.metrics},
            "segment_signatures": dict(self.segment_signatures),
            "per_segment": [s.to_dict() for s in self.per_segment],
        }
        if self.original_metrics is not None:
            out["original_metrics"] = {m.name: m.to_dict() for m in self.original_metrics}
            out["delta"] = self.delta()
            out["bootstrap"] = (
                {r.name: r.to_dict() for r in self.bootstrap} if self.bootstrap is not None else None
            )
            out["bootstrap_note"] = self.bootstrap_note
        return out


def _corpus(hyps: Sequence[str], refs: Sequence[str]) -> tuple[MetricScore, ...]:
    out = []
    for metric in _metric_objects():
        s = metric.corpus_score(list(hyps), [list(refs)])
        out.append(MetricScore(s.name, float(s.score), str(metric.get_signature()), str(s)))
    return tuple(out)


def _per_segment(metrics: list[Any], hyps: Sequence[str], refs: Sequence[str]) -> list[tuple[tuple[str, float], ...]]:
    rows = []
    for h, r in zip(hyps, refs):
        rows.append(tuple((s.name, float(s.score)) for s in (m.sentence_score(h, [r]) for m in metrics)))
    return rows


def _bootstrap(
    hyps: Sequence[str], origs: Sequence[str], refs: Sequence[str], cfg: ScoringConfig
) -> tuple[PairedResult, ...]:
    from sacrebleu.significance import PairedTest

    metrics = {m.__class__.__name__ + str(i): m for i, m in enumerate(_metric_objects())}
    test = PairedTest(
        [("original", list(origs)), ("repaired", list(hyps))],
        metrics,
        references=[list(refs)],
        test_type="bs",
        n_samples=cfg.bootstrap_samples,
    )
    signatures, scores = test()
    out = []
    for name, (base, system) in ((k, v) for k, v in scores.items() if k != "System"):
        out.append(
            PairedResult(
                name=name,
                original=float(base.score),
                repaired=float(system.score),
                p_value=float(system.p_value),
                repaired_mean=float(system.mean),
                repaired_ci=float(system.ci),
                original_mean=None if base.mean is None else float(base.mean),
                original_ci=None if base.ci is None else float(base.ci),
                signature=str(signatures[name]),
            )
        )
    return tuple(out)


def reference_scores(
    aligned: Sequence[Segment],
    config: ScoringConfig | None = None,
    unit: str = "line",
) -> ReferenceScores:
    """BLEU, chrF2, chrF2++ and TER of aligned segments (see module doc)."""
    cfg = config or ScoringConfig()
    if not aligned:
        raise ValueError("no segments to score: the inputs hold no non-blank line")
    hyps = [s.hyp for s in aligned]
    refs = [s.ref for s in aligned]
    has_orig = all(s.orig is not None for s in aligned)
    origs = [s.orig or "" for s in aligned] if has_orig else None

    seg_metrics = _metric_objects(sentence_level=True)
    rows = _per_segment(seg_metrics, hyps, refs)
    orig_rows = _per_segment(seg_metrics, origs, refs) if origs is not None else None
    per_segment = tuple(
        SegmentScores(s.doc, s.line, rows[i], orig_rows[i] if orig_rows is not None else None)
        for i, s in enumerate(aligned)
    )
    seg_sigs = tuple(
        (name, str(m.get_signature())) for name, m in zip((n for n, _ in rows[0]), seg_metrics)
    )
    original_metrics = bootstrap = None
    note = ""
    if origs is not None:
        original_metrics = _corpus(origs, refs)
        if len(aligned) >= cfg.bootstrap_min_segments:
            bootstrap = _bootstrap(hyps, origs, refs, cfg)
            note = (
                f"paired bootstrap resampling (sacrebleu), {cfg.bootstrap_samples} resamples over "
                f"{len(aligned)} segments: repaired vs original"
            )
        else:
            note = (
                f"paired bootstrap not run: {len(aligned)} segment(s), it needs at least "
                f"{cfg.bootstrap_min_segments} (scoring.bootstrap_min_segments)"
            )
    return ReferenceScores(
        unit=unit,
        segments=len(aligned),
        metrics=_corpus(hyps, refs),
        segment_signatures=seg_sigs,
        per_segment=per_segment,
        original_metrics=original_metrics,
        bootstrap=bootstrap,
        bootstrap_note=note,
    )
