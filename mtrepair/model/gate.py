"""Model ranking and gating of findings.

For each finding whose category names words (calque, entity, mistranslation, grammar,
foreign), the model scores the *sentence window* around the span (the sentences the span
overlaps, taken from ``doc.sentences``) with the original span and with each suggestion
pasted in, all in one batch::

    score(x) = logprob(text[window_start:start] + x + text[end:window_end])
    delta    = score(best suggestion) - score(original span)        (nats)

* findings with two or more suggestions get them reordered, best first (stable on ties);
* ``mode="check"`` findings become ``mode="auto"`` only when ``delta >= config.model_margin``,
  otherwise they stay ``"check"`` (reported, not applied);
* ``mode="auto"`` findings are vetoed (turned into ``"check"``) only when
  ``config.model_veto_margin`` is set and ``delta <= -config.model_veto_margin``;
* every scored finding gets ``evidence["model"]`` (model id), ``evidence["delta"]`` and
  ``evidence["scores"]`` (candidate -> log-probability, original included) and a sentence
  appended to its explanation.

Findings of other categories (boilerplate, line breaks, typography) pass through untouched.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from ..document import Document
from ..types import Finding

#: Categories whose suggestions are words the language model can judge.
MODEL_CATEGORIES = frozenset({"calque", "entity", "mistranslation", "grammar", "foreign"})


def _window(doc: Document, start: int, end: int) -> tuple[int, int]:
    lo, hi = start, end
    for s in doc.sentences:
        if s.end > start and s.start < max(end, start + 1):
            lo, hi = min(lo, s.start), max(hi, s.end)
    if (lo, hi) == (start, end):  # no sentence around the span: use its line
        text = doc.text
        lo = text.rfind("\n", 0, start) + 1
        nl = text.find("\n", end)
        hi = len(text) if nl < 0 else nl
    return lo, hi


def score_texts(model: Any, texts: Sequence[str]) -> list[float]:
    """Log-probabilities of ``texts`` with the model's batch path when it has one."""
    many = getattr(model, "logprob_many", None)
    if many is not None:
        return [float(x) for x in many(list(texts))]
    return [float(model.logprob(t)) for t in texts]


def _needs_model(f: Finding, veto: bool) -> bool:
    if str(f.category) not in MODEL_CATEGORIES or not f.suggestions:
        return False
    return f.mode == "check" or len(f.suggestions) >= 2 or (veto and f.mode == "auto")


def rank_and_gate(findings: list[Finding], doc: Document, model: Any, config: Any) -> list[Finding]:
    """Reorder suggestions by the model and gate ``check``/``auto`` findings (module doc)."""
    if model is None or not findings:
        return list(findings)
    veto_margin = getattr(config, "model_veto_margin", None)
    margin = float(getattr(config, "model_margin", 1.0))
    model_id = getattr(model, "id", type(model).__name__)

    jobs: list[tuple[int, list[str]]] = []
    texts: list[str] = []
    for i, f in enumerate(findings):
        if not _needs_model(f, veto_margin is not None):
            continue
        lo, hi = _window(doc, f.start, f.end)
        left, right = doc.text[lo : f.start], doc.text[f.end : hi]
        cands = [f.span] + [s for s in dict.fromkeys(f.suggestions)]
        jobs.append((i, cands))
        texts.extend(left + c + right for c in cands)
    if not jobs:
        return list(findings)
    scores = score_texts(model, texts)

    out = list(findings)
    k = 0
    for i, cands in jobs:
        f = findings[i]
        sc = scores[k : k + len(cands)]
        k += len(cands)
        original = sc[0]
        sugg = cands[1:]
        order = sorted(range(len(sugg)), key=lambda j: (-sc[j + 1], j))
        ranked = tuple(sugg[j] for j in order)
        delta = sc[order[0] + 1] - original
        evidence = dict(f.evidence)
        evidence["model"] = model_id
        evidence["delta"] = round(delta, 3)
        evidence["scores"] = {c: round(s, 3) for c, s in zip(cands, sc)}
        mode = f.mode
        best = ranked[0]
        if f.mode == "check":
            if delta >= margin:
                mode = "auto"
                threshold = float(getattr(config, "min_confidence", 0.0))
                verdict = ("applied" if f.confidence >= threshold else
                           f"but the rule's confidence {f.confidence:.2f} is below min_confidence "
                           f"{threshold:g}: left for review")
                note = (f"Model {model_id} prefers «{best}» over «{f.span}» by {delta:.2f} nats "
                        f"(margin {margin:g}): {verdict}.")
            else:
                note = (f"Model {model_id} prefers «{best}» by only {delta:.2f} nats "
                        f"(margin {margin:g}): left for review.")
        elif f.mode == "auto" and veto_margin is not None and delta <= -float(veto_margin):
            mode = "check"
            note = (f"Vetoed by model {model_id}: the original is more likely by {-delta:.2f} nats "
                    f"(veto margin {float(veto_margin):g}).")
        else:
            note = f"Model {model_id}: best «{best}», {delta:+.2f} nats against the original."
        if len(sugg) >= 2 and ranked != tuple(sugg):
            note += " Suggestions reordered by the model."
        explanation = f"{f.explanation.rstrip()} {note}".strip()
        out[i] = replace(f, suggestions=ranked, mode=mode, evidence=evidence, explanation=explanation)
    return out
