"""Scoring results for people (aligned text tables) and machines (JSON with stable field names).

Pure functions: data in, string or dict out.
"""

from __future__ import annotations

from typing import Any, Sequence

from .quality import QualityReport
from .reference import LOWER_IS_BETTER, ReferenceScores


def score_payload(
    docs: Sequence[tuple[str, QualityReport | None]],
    ref: ReferenceScores | None,
    signature: str,
) -> dict[str, Any]:
    """The JSON document of ``mtrepair score --format json``.

    ``metrics`` maps sacrebleu's metric names (BLEU, chrF2, chrF2++, TER) to
    ``{"score", "signature", "detail"}`` at corpus level (empty without a
    reference); ``per_segment`` lists sentence-level scores; ``documents`` the
    reference-free quality report of each input.
    """
    out: dict[str, Any] = {"signature": signature, "metrics": {}}
    if ref is not None:
        out.update(ref.to_dict())
    else:
        out["note"] = "no reference given: reference metrics not computed"
    out["documents"] = [
        {"input": name, "quality": q.to_dict() if q is not None else None} for name, q in docs
    ]
    return out


def _f(v: float | None, fmt: str = "7.2f") -> str:
    return format(v, fmt) if v is not None else " " * (int(fmt.split(".")[0]) - 1) + "–"


def _short(name: str, width: int) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1):]


def metrics_table(ref: ReferenceScores) -> str:
    lines = [f"Reference metrics (sacrebleu, corpus level, {ref.segments} segment(s), one per "
             f"{'non-blank line' if ref.unit == 'line' else 'document'})"]
    with_orig = ref.original_metrics is not None
    head = f"{'metric':<9}{'score':>9}"
    if with_orig:
        head += f"{'original':>10}{'delta':>9}"
    lines.append(head + "  signature")
    before = {m.name: m.score for m in ref.original_metrics or ()}
    for m in ref.metrics:
        row = f"{m.name:<9}{m.score:9.2f}"
        if with_orig:
            d = m.score - before[m.name]
            row += f"{before[m.name]:10.2f}{d:+9.2f}"
        lines.append(row + f"  {m.signature}")
    if with_orig:
        lines.append("(delta = repaired − original; higher is better except for "
                     + ", ".join(sorted(LOWER_IS_BETTER)) + ")")
        if ref.bootstrap is not None:
            lines.append(f"Paired bootstrap test: {ref.bootstrap_note}")
            lines.append(f"{'metric':<9}{'p-value':>9}{'repaired mean ± 95% CI':>26}{'original mean ± 95% CI':>26}  signature")
            for r in ref.bootstrap:
                orig = (f"{r.original_mean:.2f} ± {r.original_ci:.2f}"
                        if r.original_mean is not None and r.original_ci is not None else "–")
                lines.append(f"{r.name:<9}{r.p_value:9.4f}{f'{r.repaired_mean:.2f} ± {r.repaired_ci:.2f}':>26}"
                             f"{orig:>26}  {r.signature}")
        else:
            lines.append(ref.bootstrap_note)
    return "\n".join(lines)


def segments_table(ref: ReferenceScores, width: int = 24) -> str:
    names = [n for n, _ in ref.per_segment[0].scores] if ref.per_segment else []
    lines = ["Per segment (sentence level; " + "; ".join(f"{n}: {s}" for n, s in ref.segment_signatures) + ")"]
    lines.append(f"{'input':<{width}}{'line':>6}" + "".join(f"{n:>9}" for n in names))
    for s in ref.per_segment:
        scores = dict(s.scores)
        lines.append(f"{_short(s.doc, width):<{width}}{s.line:>6}" + "".join(f"{scores[n]:9.2f}" for n in names))
    return "\n".join(lines)


def quality_table(docs: Sequence[tuple[str, QualityReport | None]], width: int = 24) -> str:
    lines = ["Quality (reference-free; index 0–100, sub-scores 0–1; \"before\" = --original)"]
    lines.append(
        f"{'input':<{width}}{'index':>7}{'before':>8}  {'verdict':<8}{'purity':>7}{'artif/100w':>11}"
        f"{'before':>8}{'ppl(geo)':>9}{'before':>9}{'mech/100w':>10}{'before':>8}"
    )
    for name, q in docs:
        if q is None:
            continue
        b = q.before
        lines.append(
            f"{_short(name, width):<{width}}{q.index:7.1f}{_f(b.index if b else None, '8.1f')}  {q.verdict:<8}"
            f"{_f(q.purity.share_french, '7.2f')}{q.artifacts.per_100_words:11.2f}"
            f"{_f(b.artifacts.per_100_words if b else None, '8.2f')}"
            f"{_f(q.fluency.geometric_mean_perplexity, '9.1f')}{_f(b.fluency.geometric_mean_perplexity if b else None, '9.1f')}"
            f"{q.mechanics.per_100_words:10.2f}{_f(b.mechanics.per_100_words if b else None, '8.2f')}"
        )
        for span in q.purity.foreign_spans[:3]:
            text = span.text.replace("\n", " ")
            lines.append(f"{'':<{width}}  foreign ({span.lang} {span.probability:.2f}): «{text[:70]}»")
        for note in q.notes:
            lines.append(f"{'':<{width}}  note: {note}")
    return "\n".join(lines)


def score_text(
    docs: Sequence[tuple[str, QualityReport | None]],
    ref: ReferenceScores | None,
    signature: str,
    per_segment: bool = True,
) -> str:
    parts = []
    if ref is not None:
        parts.append(metrics_table(ref))
        if per_segment:
            parts.append(segments_table(ref))
    if any(q is not None for _, q in docs):
        parts.append(quality_table(docs))
    parts.append(f"signature: {signature}")
    return "\n\n".join(parts) + "\n"
