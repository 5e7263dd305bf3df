"""RepairConfig: every setting a user can tune, with its default.

The config is frozen; derive variants with :meth:`RepairConfig.replace`.
It can be read from a TOML file (``mtrepair --config FILE``) whose keys are
the field names below, optionally under a ``[mtrepair]`` table.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .scoring.settings import ScoringConfig, ScoringConfigError
from .types import ALL_CATEGORIES


class ConfigError(ValueError):
    """A configuration value is invalid."""


class GlossaryWarning(UserWarning):
    """Glossary files or entries were skipped because of problems (each one ``file:line: reason``).

    A bad user glossary never disables the shipped one, so :class:`~mtrepair.Repairer` goes on
    without the entries concerned and warns; the problems are also in ``Repairer.glossary.problems``.
    Make it an error with ``warnings.simplefilter("error", mtrepair.GlossaryWarning)``.
    """


@dataclass(frozen=True)
class RepairConfig:
    #: Findings whose confidence is at least this are applied automatically.
    min_confidence: float = 0.7
    #: Categories that may produce edits (others are still reported by detect()).
    categories: tuple[str, ...] = ALL_CATEGORIES
    #: Remove scraped adverts, calls to action and site footers.
    remove_boilerplate: bool = True
    #: Join sentences cut across several lines.
    join_broken_lines: bool = True
    #: Fix French typography (spaces before ? ! ; : and inside « »).
    typography: bool = True
    #: "document": follow the spacing convention most of the document already uses (unspaced
    #: documents are only reported); "french": always enforce French spacing.
    typography_style: str = "document"
    #: Space inserted when the document shows no convention of its own (U+202F narrow no-break).
    typography_space: str = "\u202f"
    #: A document that spaces its colons and glues at least this many « ? ! ; », spacing none of
    #: them, follows a convention (Québec usage spaces « : » only): they are reported, not fixed.
    #: 0: no such convention (they follow the document-wide majority like the other marks).
    typography_convention_min_marks: int = 1
    #: A quotation in a language other than French, English or Spanish (« Wir schaffen das! »)
    #: keeps its own typography when it has at least this many words, none of them French...
    typography_foreign_min_words: int = 3
    #: ...and langdetect names its language with at least this probability.
    typography_foreign_min_probability: float = 0.9
    #: A document where more than this share of line ends fall mid-sentence is hard-wrapped on
    #: purpose (e-mail style): its line breaks are reported, not joined.
    hard_wrap_ratio: float = 0.5
    #: A run of at least this many consecutive lines without final punctuation (one fewer when it
    #: ends its paragraph) is laid out in lines on purpose (a list, verse, a programme): its line
    #: breaks are never joined. A sentence cut across lines makes two or three pieces.
    laid_out_min_lines: int = 4
    #: A quotation laid out in lines by its author — opened by « at the start of a line right under
    #: a line ending with « : », closed by » at the end of a later line — whose lines are all at
    #: most this many characters is verse, lyrics or a slogan: its line breaks are reported, not
    #: joined (a sentence cut inside such a quotation is only reported too). 0 turns this off.
    quoted_verse_max_chars: int = 80
    #: Short unpunctuated lines (at most this many words) next to removed boilerplate are part of
    #: the same advert block ("Événement VB", a lone event title) and are removed with it.
    boilerplate_absorb_max_words: int = 6
    #: A boilerplate rule of sentence scope with no required context words deletes its sentence
    #: only when the sentence has at most this many words besides the rule's own; a longer one is
    #: content quoting the phrase (« Tous droits réservés à l'auteur, a rappelé le tribunal… »):
    #: reported, not deleted.
    boilerplate_sentence_max_words: int = 8
    #: A boilerplate rule of line or paragraph scope deletes its line (paragraph) only when that is
    #: the furniture itself: at most this many words besides the boilerplate phrases in it, and no
    #: sentence without a boilerplate phrase but an imperative call to the reader or a short
    #: unpunctuated label (``boilerplate_absorb_max_words``). Otherwise (« Voir aussi : » in a
    #: paragraph of prose) the match is reported, not deleted.
    boilerplate_line_max_words: int = 15
    #: A boilerplate label that is also an ordinary heading (its rule lists ``context.topic``
    #: words, « Places limitées ») is kept, reported, when it sits between two lines of a listing
    #: of practical information (a date, an hour, a phone number, a topic word, no other
    #: boilerplate); a listing line has at most this many words and no final full stop.
    boilerplate_listing_max_words: int = 12
    #: Fix encoding damage (mojibake) with ftfy and normalise to NFC.
    fix_encoding: bool = True
    #: Load the glossary files shipped with mtrepair.
    builtin_glossary: bool = True
    #: Extra glossary files or folders, applied with higher precedence than the shipped ones.
    glossary_paths: tuple[str, ...] = ()
    #: Glossary entry ids (or id prefixes ending with ``*``) to switch off.
    disabled_rules: tuple[str, ...] = ()
    #: Reference model: None = embedded default, "none" = no model, "hf:NAME_OR_PATH" = transformers.
    model: str | None = None
    #: Log-probability margin (nats) by which the model must prefer a "check" entry's replacement.
    model_margin: float = 1.0
    #: Report unlisted suspicious phrases found by the model (never applied automatically).
    #: Off by default: at the default margins it reported nothing on 2,862 varied documents
    #: (bench/equivalence.py corpus) while costing about 70 % of repair()'s CPU time. Turn it on
    #: (``--unlisted``) to explore a corpus for calques no glossary entry lists yet.
    find_unlisted: bool = False
    #: Model veto of "auto" findings: when set, an auto finding is not applied if the model
    #: prefers the original text by at least this many nats (None = the model never vetoes).
    model_veto_margin: float | None = None
    #: Unlisted phrases: a word is a suspect when its log-probability is this many nats below
    #: the median token log-probability of its sentence (see mtrepair.model.unlisted).
    unlisted_min_surprise: float = 6.0
    #: Unlisted phrases: report only when a candidate from the glossary's replacement
    #: vocabulary raises the sentence log-probability by at least this many nats.
    unlisted_margin: float = 4.0
    #: Unlisted phrases: the same for candidates from the model's distributional thesaurus
    #: (stricter: neighbours include co-hyponyms that change the meaning).
    unlisted_thesaurus_margin: float = 8.0
    #: Restore garbled named entities from the gazetteer.
    restore_entities: bool = True
    #: Seed for langdetect so that language identification is deterministic.
    langdetect_seed: int = 0
    #: Extra gazetteer files or folders (TSV: name, type, aliases, region, source) for entity restoration.
    entity_gazetteer_paths: tuple[str, ...] = ()
    #: Add sentence-embedding evidence (all-MiniLM-L6-v2) to entity restoration; needs the
    #: ``entities-embed`` extra (torch). Off: the thesaurus path alone, no torch import.
    entity_embeddings: bool = False
    #: Quality-index weights, scales and keep/review/drop thresholds (see mtrepair.scoring.settings;
    #: TOML: a [mtrepair.scoring] table).
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    #: Put a full quality report (language purity, fluency, artifacts re-detected after repair) into
    #: RepairResult.scores; slower. Off: a light before/after artifact summary from the findings at hand.
    score_results: bool = False
    #: Extra settings for plug-ins, by name (kept as an immutable tuple of pairs).
    extra: tuple[tuple[str, Any], ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(f"min_confidence must be in [0, 1], got {self.min_confidence}")
        if self.typography_style not in ("document", "french"):
            raise ConfigError(f"typography_style must be 'document' or 'french', got {self.typography_style!r}")
        if self.typography_foreign_min_words < 1:
            raise ConfigError(f"typography_foreign_min_words must be at least 1, got {self.typography_foreign_min_words}")
        if not 0.0 <= self.typography_foreign_min_probability <= 1.0:
            raise ConfigError("typography_foreign_min_probability must be in [0, 1], "
                              f"got {self.typography_foreign_min_probability}")
        if self.typography_convention_min_marks < 0:
            raise ConfigError("typography_convention_min_marks must be at least 0, "
                              f"got {self.typography_convention_min_marks}")
        unknown = set(self.categories) - set(ALL_CATEGORIES)
        if unknown:
            raise ConfigError(
                f"unknown categories {sorted(unknown)}; choose among {', '.join(ALL_CATEGORIES)}"
            )
        # Accept lists from TOML/JSON but store tuples so the config stays hashable.
        for name in ("categories", "glossary_paths", "disabled_rules", "entity_gazetteer_paths"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(str(v) for v in value))
        if isinstance(self.extra, Mapping):
            object.__setattr__(self, "extra", tuple(sorted(self.extra.items())))
        try:
            object.__setattr__(self, "scoring", ScoringConfig.coerce(self.scoring))
        except (ScoringConfigError, TypeError) as exc:
            raise ConfigError(str(exc)) from None

    def replace(self, **changes: Any) -> "RepairConfig":
        return dataclasses.replace(self, **changes)

    def get_extra(self, key: str, default: Any = None) -> Any:
        return dict(self.extra).get(key, default)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["categories"] = list(self.categories)
        data["glossary_paths"] = list(self.glossary_paths)
        data["disabled_rules"] = list(self.disabled_rules)
        data["entity_gazetteer_paths"] = list(self.entity_gazetteer_paths)
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "RepairConfig":
        if "mtrepair" in data and isinstance(data["mtrepair"], Mapping):
            data = data["mtrepair"]
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ConfigError(f"unknown config keys: {', '.join(unknown)}")
        _check_types(cls, data)
        return cls(**dict(data))

    @classmethod
    def from_file(cls, path: str | Path) -> "RepairConfig":
        path = Path(path)
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not a UTF-8 TOML file (invalid byte at offset {exc.start})") from None
        try:
            return cls.from_mapping(data)
        except (ConfigError, TypeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None


def _check_types(cls: type, data: Mapping[str, Any]) -> None:
    """Refuse values of the wrong type from a config file (``"no"`` is not false, ``"high"`` not a number)."""
    for f in dataclasses.fields(cls):
        if f.name not in data or f.default is dataclasses.MISSING:
            continue  # fields with a factory (tables, extras) validate themselves
        value, default = data[f.name], f.default
        if isinstance(default, bool):
            ok, want = isinstance(value, bool), "true or false"
        elif isinstance(default, (int, float)):
            ok, want = isinstance(value, (int, float)) and not isinstance(value, bool), "a number"
        elif isinstance(default, tuple):
            ok, want = isinstance(value, (list, tuple, str)), "a list of strings"
        elif isinstance(default, str) or default is None:
            ok, want = value is None or isinstance(value, str), "a string"
        else:
            continue
        if not ok:
            raise ConfigError(f"{f.name} must be {want}, got {value!r}")
