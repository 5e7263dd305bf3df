"""mtrepair: repair French news text damaged by spinning and machine translation.

>>> import mtrepair
>>> result = mtrepair.repair("Et maintenant? Il pleut.")
>>> result.text
'Et maintenant ? Il pleut.'
>>> [(e.rule, e.explanation) for e in result.edits]  # doctest: +ELLIPSIS
[('TYPO-SPACE-HIGH-PUNCT', 'French typography puts a ... before « ? »')]
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .config import ConfigError, GlossaryWarning, RepairConfig
from .repairer import Repairer
from .resolve import apply_edits
from .types import Category, Edit, Finding, RepairResult, Source

if TYPE_CHECKING:  # pragma: no cover
    from .scoring import QualityReport

__version__ = "0.1.0"

__all__ = [
    "Category",
    "ConfigError",
    "GlossaryWarning",
    "Edit",
    "Finding",
    "RepairConfig",
    "RepairResult",
    "Repairer",
    "Source",
    "apply_edits",
    "detect",
    "fix_and_explain",
    "repair",
    "score",
    "__version__",
]


@lru_cache(maxsize=8)
def _repairer(config: RepairConfig) -> Repairer:
    return Repairer(config)


def repair(text: str, config: RepairConfig | None = None) -> RepairResult:
    """Repair ``text`` and explain every edit (see :class:`RepairResult`)."""
    return _repairer(config or RepairConfig()).repair(text)


def detect(text: str, config: RepairConfig | None = None) -> list[Finding]:
    """List every finding in ``text`` without changing it."""
    return _repairer(config or RepairConfig()).detect(text)


def score(
    text: str,
    reference: str | None = None,
    original: str | None = None,
    config: RepairConfig | None = None,
) -> "QualityReport":
    """Score the quality of French ``text`` (against ``reference`` when given).

    ``original`` is the unrepaired text, scored too so that the report shows
    the difference repair made.
    """
    from .scoring import score as _score

    return _score(text, reference=reference, original=original, config=config)


def fix_and_explain(text: str, config: RepairConfig | None = None) -> tuple[str, list[Edit]]:
    """ftfy-style shortcut: the repaired text and the list of edits that explain it."""
    result = repair(text, config)
    return result.text, list(result.edits)
