"""Scoring: how good is this French, before and after repair.

Public API::

    from mtrepair.scoring import score, QualityReport
    report = score(text, reference=None, original=None, config=None)
    report.index, report.verdict            # 0–100 quality index, keep / review / drop
    report.to_dict()                        # stable JSON field names

    from mtrepair.scoring import reference_scores   # sacrebleu BLEU, chrF2, chrF2++, TER
    from mtrepair.scoring import render_html        # repair result -> self-contained HTML page

Modules: :mod:`.settings` (ScoringConfig: weights and thresholds), :mod:`.quality`
(reference-free report), :mod:`.reference` (sacrebleu metrics, paired bootstrap),
:mod:`.align` (segments and alignment checks), :mod:`.signature` (mtrepair's own
settings signature for scores), :mod:`.html` (HTML report).

The names are resolved lazily: ``mtrepair.config`` imports :mod:`.settings`, and
the heavy modules (sacrebleu, langdetect) load only when scoring is used.
"""

from __future__ import annotations

import importlib
from typing import Any

from .settings import COMPONENTS, ScoringConfig, ScoringConfigError

_LAZY = {
    "score": ".quality",
    "quality_report": ".quality",
    "QualityReport": ".quality",
    "Purity": ".quality",
    "ForeignSpan": ".quality",
    "Artifacts": ".quality",
    "Fluency": ".quality",
    "Mechanics": ".quality",
    "light_summary": ".quality",
    "reference_scores": ".reference",
    "ReferenceScores": ".reference",
    "MetricScore": ".reference",
    "METRIC_NAMES": ".reference",
    "AlignmentError": ".align",
    "segments": ".align",
    "align_segments": ".align",
    "score_signature": ".signature",
    "render_html": ".html",
}

__all__ = ["COMPONENTS", "ScoringConfig", "ScoringConfigError", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
