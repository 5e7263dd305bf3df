"""ScoringConfig: the weights, scales and thresholds of mtrepair's quality index.

Every number that decides a score lives here, with its default and what it
means; ``RepairConfig.scoring`` holds one (TOML: a ``[mtrepair.scoring]``
table, or ``scoring = {...}``). The formula is documented in the README
("Scoring") and in :mod:`mtrepair.scoring.quality`.

This module imports nothing heavy: ``mtrepair.config`` imports it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Mapping

#: The four components of the quality index, in display order.
COMPONENTS: tuple[str, ...] = ("purity", "artifacts", "fluency", "mechanics")

#: Finding categories counted as *mechanics* (everything else is an *artifact*).
MECHANICS_CATEGORIES: tuple[str, ...] = ("linebreak", "typography")


class ScoringConfigError(ValueError):
    """A scoring setting is invalid."""


@dataclass(frozen=True)
class ScoringConfig:
    # -- weights of the components in the index (renormalised over the components available) --
    #: Weight of language purity (share of sentences identified as French).
    weight_purity: float = 0.20
    #: Weight of artifact density (calques, garbled entities, boilerplate, mistranslations ...).
    weight_artifacts: float = 0.45
    #: Weight of fluency (mean per-sentence perplexity under the reference model).
    weight_fluency: float = 0.20
    #: Weight of mechanics (broken lines and typography problems).
    weight_mechanics: float = 0.15

    # -- how raw measurements become 0..1 sub-scores --
    #: Artifact findings per 100 words at which the artifact sub-score falls to 0.5
    #: (sub-score = 0.5 ** (density / half)).
    artifacts_half_density: float = 1.5
    #: Mechanics problems per 100 words at which the mechanics sub-score falls to 0.5.
    mechanics_half_density: float = 3.0
    #: Only findings at least this confident count as artifacts or mechanics problems.
    finding_min_confidence: float = 0.5
    #: Geometric-mean per-sentence perplexity at or below which fluency scores 1 (calibrated on the
    #: clean news paragraphs of the test set under the embedded model: their median is about 290).
    fluency_ppl_good: float = 200.0
    #: Geometric-mean per-sentence perplexity at or above which fluency scores 0 (log-linear between).
    fluency_ppl_bad: float = 3000.0
    #: Sentences with fewer words are not scored for fluency (headings, "En savoir plus" lines).
    fluency_min_words: int = 4

    # -- language purity --
    #: Sentences with fewer words than this are not language-checked (langdetect is unreliable on them).
    purity_min_words: int = 5
    #: A sentence is French when langdetect's probability for "fr" is at least this.
    purity_min_probability: float = 0.5

    # -- verdicts a pipeline can act on --
    #: Index at or above which the verdict is "keep".
    keep_threshold: float = 80.0
    #: Index at or above which the verdict is "review" (below: "drop").
    review_threshold: float = 55.0

    # -- reference metrics --
    #: Fewest aligned segments for which the paired bootstrap test is run.
    bootstrap_min_segments: int = 30
    #: Bootstrap resamples of the paired test (sacrebleu's default is 1000).
    bootstrap_samples: int = 1000

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            want_int = f.type in (int, "int")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (want_int and not isinstance(value, int)):
                raise ScoringConfigError(
                    f"scoring.{f.name} must be {'an integer' if want_int else 'a number'}, got {value!r}"
                )
            if not want_int:
                object.__setattr__(self, f.name, float(value))
        for name in ("weight_purity", "weight_artifacts", "weight_fluency", "weight_mechanics"):
            if getattr(self, name) < 0:
                raise ScoringConfigError(f"scoring.{name} must be >= 0, got {getattr(self, name)}")
        if sum(self.weights().values()) <= 0:
            raise ScoringConfigError("scoring weights must not all be 0")
        for name in ("artifacts_half_density", "mechanics_half_density"):
            if getattr(self, name) <= 0:
                raise ScoringConfigError(f"scoring.{name} must be > 0, got {getattr(self, name)}")
        if not 0 < self.fluency_ppl_good < self.fluency_ppl_bad:
            raise ScoringConfigError(
                f"scoring needs 0 < fluency_ppl_good < fluency_ppl_bad, got "
                f"{self.fluency_ppl_good} and {self.fluency_ppl_bad}"
            )
        for name in ("finding_min_confidence", "purity_min_probability"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ScoringConfigError(f"scoring.{name} must be in [0, 1], got {getattr(self, name)}")
        if not 0 <= self.review_threshold <= self.keep_threshold <= 100:
            raise ScoringConfigError(
                "scoring needs 0 <= review_threshold <= keep_threshold <= 100, got "
                f"{self.review_threshold} and {self.keep_threshold}"
            )
        if self.bootstrap_min_segments < 2 or self.bootstrap_samples < 1:
            raise ScoringConfigError("scoring needs bootstrap_min_segments >= 2 and bootstrap_samples >= 1")
        if self.purity_min_words < 1 or self.fluency_min_words < 1:
            raise ScoringConfigError("scoring.purity_min_words and fluency_min_words must be >= 1")

    def weights(self) -> dict[str, float]:
        return {c: float(getattr(self, f"weight_{c}")) for c in COMPONENTS}

    def verdict(self, index: float) -> str:
        """keep / review / drop for a 0–100 index."""
        if index >= self.keep_threshold:
            return "keep"
        if index >= self.review_threshold:
            return "review"
        return "drop"

    def signature(self) -> str:
        """Compact settings string for mtrepair's signature."""
        w = self.weights()
        return (
            "w:" + ",".join(f"{c[0]}{w[c]:g}" for c in COMPONENTS)
            + f"|half:a{self.artifacts_half_density:g},m{self.mechanics_half_density:g}"
            + f"|ppl:{self.fluency_ppl_good:g}-{self.fluency_ppl_bad:g},{self.fluency_min_words}w"
            + f"|fmin:{self.finding_min_confidence:g}|lid-min:{self.purity_min_words}w,p{self.purity_min_probability:g}"
            + f"|verdict:{self.keep_threshold:g}/{self.review_threshold:g}"
        )

    def replace(self, **changes: Any) -> "ScoringConfig":
        return dataclasses.replace(self, **changes)

    @classmethod
    def coerce(cls, value: Any) -> "ScoringConfig":
        """A ScoringConfig from itself, None, or a mapping of field names (TOML table)."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            names = {f.name for f in dataclasses.fields(cls)}
            unknown = sorted(set(value) - names)
            if unknown:
                raise ScoringConfigError(f"unknown scoring keys: {', '.join(unknown)}")
            return cls(**dict(value))
        raise ScoringConfigError(f"scoring must be a table of settings, got {type(value).__name__}")
