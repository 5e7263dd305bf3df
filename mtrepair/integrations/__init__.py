"""Integrations with data-processing frameworks (each an optional extra).

- :mod:`mtrepair.integrations.scrapy`: ``RepairPipeline``, a Scrapy item pipeline (extra ``scrapy``).
- :mod:`mtrepair.integrations.spark`: ``repair_column``, repair a DataFrame column (extra ``spark``).

Shared here: :func:`resolve_config` (a config from what a setting holds), :func:`build_repairer`
and :func:`check_repairer` (a Repairer ready before the first record, or one clear ConfigError).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Mapping

from ..config import ConfigError, GlossaryWarning, RepairConfig


def resolve_config(value: Any) -> RepairConfig:
    """A RepairConfig from None (defaults), a RepairConfig, a mapping of its fields, or a TOML path."""
    if value is None or value == "":
        return RepairConfig()
    if isinstance(value, RepairConfig):
        return value
    if isinstance(value, Mapping):
        try:
            return RepairConfig.from_mapping(dict(value))
        except TypeError as exc:
            raise ConfigError(str(exc)) from None
    if isinstance(value, (str, Path)):
        return RepairConfig.from_file(value)
    raise ConfigError(f"a config must be a dict, a TOML path or a RepairConfig, not {type(value).__name__}")


def build_repairer(config: RepairConfig) -> Any:
    """A Repairer for ``config``, without the GlossaryWarning: :func:`check_repairer` turns the
    glossary's problems into a ConfigError instead."""
    from ..repairer import Repairer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GlossaryWarning)
        return Repairer(config)


def check_repairer(repairer: Any, where: str) -> None:
    """Make ``repairer`` ready for its first record, or raise a ConfigError naming ``where``.

    Refuses every glossary problem, then runs one repair of a fixed text, so that what loads
    lazily (a ``hf:`` model, the word tables) loads now: a model that cannot be found is one
    clear error at start-up, not an error on every record.
    """
    problems = repairer.glossary_problems  # a missing or broken glossary_paths file, skipped: refused here
    if problems:
        raise ConfigError(f"{where}: glossary: {'; '.join(problems)}")
    from ..batch.process import WARM_UP_TEXT

    try:
        repairer.repair(WARM_UP_TEXT)
    except Exception as exc:
        raise ConfigError(f"{where}: the Repairer cannot repair a test text: {type(exc).__name__}: {exc}") from exc
