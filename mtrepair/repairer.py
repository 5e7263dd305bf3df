"""The Repairer: runs the passes in order and resolves their findings into edits.

Order: normalize (encoding, NFC) → boilerplate → broken lines → glossary →
entities → unlisted phrases (model) → typography; then the reference model
ranks competing suggestions and gates "check" findings; then
:func:`mtrepair.resolve.select_edits` decides what is applied. Every pass
reads the same normalised text, so all offsets refer to one string; the
normalisation edits are composed in at the end so that offsets in the
result refer to the caller's original string.
"""

from __future__ import annotations

import warnings
from functools import cached_property
from typing import Any

from .config import GlossaryWarning, RepairConfig
from .document import Document
from .passes import Pass
from .passes.boilerplate import BoilerplatePass
from .passes.linebreaks import LineBreakPass
from .passes.normalize import normalize_edits
from .passes.typography import TypographyPass
from .resolve import apply_edits, compose, could_apply, map_findings, select_edits
from .signature import repair_signature
from .types import Edit, Finding, RepairResult

#: At most this many repair rounds: a later round reads the text the earlier edits produced (a
#: phrase cut across lines only matches once the lines are joined), so that repairing the output
#: again changes nothing (idempotence). Clean text takes one round; text with edits one more, to
#: confirm nothing is left.
MAX_REPAIR_ROUNDS = 3
#: Glossary problems quoted in the warning a Repairer gives (the others are counted).
MAX_PROBLEMS_WARNED = 5
_ROUND_NOTE = " (found once the previous repair round had been applied; merged with its edits)"


class Repairer:
    """Load glossaries and models once, then repair or inspect many documents.

    >>> from mtrepair import Repairer
    >>> r = Repairer()
    >>> r.repair("Et maintenant ? Rien.").text
    'Et maintenant ? Rien.'
    """

    def __init__(self, config: RepairConfig | None = None):
        # Capabilities are imported here, not at module level, so `import mtrepair` stays light.
        from .glossary import load_glossary

        self.config = config or RepairConfig()
        self.glossary = load_glossary(self.config)
        problems = self.glossary_problems
        if problems:
            shown = "; ".join(problems[:MAX_PROBLEMS_WARNED])
            more = f"; and {len(problems) - MAX_PROBLEMS_WARNED} more" if len(problems) > MAX_PROBLEMS_WARNED else ""
            warnings.warn(GlossaryWarning(f"{len(problems)} glossary problem(s), the files or entries concerned are "
                                          f"skipped (all in Repairer.glossary.problems): {shown}{more}"),
                          stacklevel=2)
        self.passes: list[Pass] = self._build_passes()

    @property
    def glossary_problems(self) -> list[str]:
        """The problems met loading the glossaries (``file:line: reason``; the files or entries
        concerned were skipped): the CLI prints them, the integrations refuse to start on them."""
        return [str(p) for p in getattr(self.glossary, "problems", ())]

    @cached_property
    def model(self) -> Any:
        """The reference model (loaded on first use; None when ``model = "none"``)."""
        from .model import load_model

        return None if self.config.model == "none" else load_model(self.config.model)

    def _build_passes(self) -> list[Pass]:
        from .entities import EntityPass
        from .glossary import GlossaryPass

        cfg = self.config
        passes: list[Pass] = [BoilerplatePass(self.glossary, cfg), LineBreakPass(cfg)]
        if self.glossary is not None:
            passes.append(GlossaryPass(self.glossary))
        if cfg.restore_entities:
            passes.append(EntityPass(cfg))
        #: Rules of the passes that only report: later repair rounds skip those passes.
        self._report_only_rules: frozenset[str] = frozenset()
        if cfg.find_unlisted and cfg.model != "none":
            from .model import unlisted  # numpy and the pass's tables: only when it runs

            passes.append(_LazyUnlisted(self, unlisted))
            self._report_only_rules = frozenset({unlisted.RULE})
        passes.append(TypographyPass(cfg))
        return passes

    @cached_property
    def signature(self) -> str:
        return repair_signature(self.config, self.glossary, self.model)

    # -- core ---------------------------------------------------------------

    def _normalise(self, text: str, unchanged: set[str] | None = None) -> tuple[list[Edit], str]:
        first = normalize_edits(text, fix_encoding=self.config.fix_encoding, unchanged=unchanged)
        return first, apply_edits(text, first) if first else text

    def _findings(self, doc: Document, report_passes: bool = True) -> list[Finding]:
        return self._gate(self._pass_findings(doc, report_passes), doc)

    def _pass_findings(self, doc: Document, report_passes: bool = True) -> list[Finding]:
        findings: list[Finding] = []
        for p in self.passes:
            if report_passes or not getattr(p, "report_only", False):
                findings.extend(p.find(doc))
        return findings

    def _gate(self, findings: list[Finding], doc: Document) -> list[Finding]:
        if self.model is not None and findings:
            from .model.gate import rank_and_gate

            findings = rank_and_gate(findings, doc, self.model, self.config)
        return findings

    def detect(self, text: str) -> list[Finding]:
        """All findings, applied or not, with offsets into ``text``."""
        first, normalised = self._normalise(text)
        findings = self._findings(Document(normalised))
        if first:
            findings = map_findings(text, first, findings)
        return sorted(findings, key=lambda f: (f.start, f.end, f.rule))

    def repair(self, text: str) -> RepairResult:
        """Repair ``text``; ``apply_edits(text, result.edits) == result.text``.

        Rounds are repeated on the repaired text until nothing changes (at most
        ``MAX_REPAIR_ROUNDS``); the edits of all rounds are composed into edits on ``text``.
        """
        # Lines the normalisation leaves as they are: later rounds do not check them again.
        unchanged: set[str] = set()
        result, first_doc = self._first_round(text, unchanged)
        # Passes that only report (the model's unlisted phrases) cannot change the text, so
        # later rounds skip them and keep the first round's reports that no edit touched.
        reports = [f for f in result.findings if f.rule in self._report_only_rules]
        rounds = 1
        while rounds < MAX_REPAIR_ROUNDS and result.edits and (
                _may_expose_more(result.edits) or self._normalisation_exposed(result.text, unchanged)):
            # The second round's text is the first round's document with its edits applied.
            previous = (first_doc, result.edits) if rounds == 1 and first_doc is not None else None
            again = self._later_round(result.text, unchanged, previous)
            rounds += 1
            if again is None:
                break
            again_edits, again_left = again
            edits = compose(text, list(result.edits), again_edits, note=_ROUND_NOTE, keep_first=True)
            left = map_findings(text, list(result.edits), again_left)
            left += [f for f in reports if not any(e.start < f.end and f.start < e.end for e in edits)]
            left.sort(key=lambda f: (f.start, f.end, f.rule))
            repaired = apply_edits(text, edits)
            words = int(result.scores.get("words", 0))
            result = RepairResult(
                original=text,
                text=repaired,
                edits=tuple(edits),
                findings=tuple(left),
                scores=self._scores(text, repaired, edits, left, words),
                signature=self.signature,
            )
        return result

    def _normalisation_exposed(self, text: str, unchanged: set[str] | None = None) -> bool:
        """Would the next round's normalisation change ``text``? Even an in-line spacing edit can
        complete a mojibake sequence (a space inserted after « Â » reads as a broken no-break
        space), so inert edits still get another round then. Costs one ftfy pass over the
        non-ASCII lines not in ``unchanged`` (lines already known to need no fix)."""
        return bool(normalize_edits(text, fix_encoding=self.config.fix_encoding, unchanged=unchanged))

    def _later_round(self, text: str, unchanged: set[str],
                     previous: tuple[Document, Any] | None = None) -> tuple[list[Edit], list[Finding]] | None:
        """A round on repaired ``text``: its edits and the findings left (offsets into ``text``),
        or None when it makes no edit. ``previous``: a document and the edits that turn its text
        into ``text``; when ``text`` needs no normalisation, its document is built from that one
        (:meth:`Document.after_changes`: the same views, tokens re-split around the edits only).

        Almost every later round only confirms that nothing is left, and then its findings are
        dropped, so it stops as soon as that is certain: with no normalisation edit and no
        finding that could be applied, even once the model gate promoted it (``could_apply``),
        ``select_edits`` selects nothing whatever the gate says, and the gate is not run.
        """
        first, normalised = self._normalise(text, unchanged)
        if previous is not None and not first:
            old_doc, old_edits = previous
            changes = [(e.start, e.end, e.replacement) for e in sorted(old_edits, key=lambda e: (e.start, e.end))]
            doc = Document.after_changes(old_doc, changes, normalised)
        else:
            doc = Document(normalised)
        findings = self._pass_findings(doc, report_passes=False)
        if not first and not any(could_apply(f, self.config) for f in findings):
            return None
        edits, left = select_edits(self._gate(findings, doc), self.config)
        if first:
            left = map_findings(text, first, left)
            edits = compose(text, first, edits)
        return (edits, left) if edits else None

    def _repair_once(self, text: str, report_passes: bool = True, unchanged: set[str] | None = None) -> RepairResult:
        """One round: every pass on ``text``, overlaps resolved, edits applied."""
        return self._first_round(text, unchanged, report_passes)[0]

    def _first_round(self, text: str, unchanged: set[str] | None = None,
                     report_passes: bool = True) -> tuple[RepairResult, Document | None]:
        """:meth:`_repair_once`, and the document the passes read when its text is ``text``
        (no normalisation edit), so that the result's edits apply to it."""
        first, normalised = self._normalise(text, unchanged)
        doc = Document(normalised)
        edits, left = select_edits(self._findings(doc, report_passes), self.config)
        if first:
            left = map_findings(text, first, left)
            edits = compose(text, first, edits)
        repaired = apply_edits(text, edits)
        result = RepairResult(
            original=text,
            text=repaired,
            edits=tuple(edits),
            findings=tuple(left),
            scores=self._scores(text, repaired, edits, left, doc.word_count),
            signature=self.signature,
        )
        return result, (None if first else doc)

    def _scores(self, text: str, repaired: str, edits: list[Edit], left: list[Finding], words: int) -> dict[str, Any]:
        """Edit counts plus a quality summary: light (free) by default, full with config.score_results."""
        from .scoring.quality import repair_quality

        return {**_edit_counts(edits, left, words), "quality": repair_quality(self, text, repaired, edits, left, words)}


class _LazyUnlisted:
    """Builds the unlisted-phrase pass on first use, so the model loads only when needed."""

    name = "unlisted"
    #: Its findings are never applied (mode "report"): later repair rounds can skip it.
    report_only = True

    def __init__(self, repairer: Repairer, module: Any):
        self._repairer, self._module, self._pass = repairer, module, None

    def find(self, doc: Document) -> list[Finding]:
        if self._repairer.model is None:
            return []
        if self._pass is None:
            r = self._repairer
            self._pass = self._module.UnlistedPhrasePass(r.model, r.glossary, r.config)
        return self._pass.find(doc)


def _is_inert(edit: Edit) -> bool:
    """An edit that cannot expose a match for another pass: a spacing change inside a line
    (tokens and sentences stay the same) or a restored name (correct names are locked)."""
    if str(edit.category) == "entity":
        return True
    return (edit.original.strip() == edit.replacement.strip() == ""
            and "\n" not in edit.original + edit.replacement)


def _may_expose_more(edits: Any) -> bool:
    """Could another round find something these edits exposed?"""
    return not all(_is_inert(e) for e in edits)


def _edit_counts(edits: list[Edit], left: list[Finding], words: int) -> dict[str, Any]:
    by_category: dict[str, int] = {}
    for e in edits:
        by_category[str(e.category)] = by_category.get(str(e.category), 0) + 1
    return {
        "words": words,
        "edits": len(edits),
        "edits_by_category": dict(sorted(by_category.items())),
        "findings_left": len(left),
    }
