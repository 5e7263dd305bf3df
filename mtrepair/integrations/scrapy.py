"""A Scrapy item pipeline that repairs text fields as items are scraped.

Enable it in the project settings::

    ITEM_PIPELINES = {"mtrepair.integrations.scrapy.RepairPipeline": 300}
    MTREPAIR_FIELDS = ["text"]            # item fields to repair (default ["text"])
    MTREPAIR_CONFIG = {"min_confidence": 0.8}   # RepairConfig fields (a dict or JSON text), or a TOML file path
    MTREPAIR_DROP_BELOW = 40              # optional: drop items whose repaired quality index (0-100) is lower
    MTREPAIR_RESULT_FIELD = "mtrepair"    # where the edits and scores go ("" = nowhere)
    MTREPAIR_BLOCK_CHARS = 200000         # longer texts are repaired block by block (0 = whole)
    MTREPAIR_WORKERS = 2                  # repair in 2 worker processes, the crawl going on (default 0)
    MTREPAIR_ITEM_TIMEOUT = 60            # with workers: seconds per field (per started 200 kB; 0 = none)

Each field is replaced by its repaired text; the edits, scores (and the quality
index when ``MTREPAIR_DROP_BELOW`` is set) go under ``MTREPAIR_RESULT_FIELD``,
keyed by field name, when the item accepts that field (dicts do; a
``scrapy.Item``, dataclass or attrs item must declare it). A field that is
missing, null or blank is skipped (``{"skipped": why}``); one that is not a
string, or fails to repair, is left as it was and ``{"error": why}`` records the
failure, as the batch CLI's error records do; both are counted in the crawl
stats. The item is never lost because of mtrepair (only ``MTREPAIR_DROP_BELOW``
drops items). An invalid setting stops the crawl at start-up with a
:class:`~mtrepair.config.ConfigError` naming it (``NotConfigured`` would let the
crawl run with the pipeline silently disabled). Needs the ``scrapy`` extra
(Scrapy and itemadapter).

With ``MTREPAIR_WORKERS = 0`` (the default) fields are repaired in ``process_item``, on the
reactor's thread, which waits meanwhile. With N >= 1, the spider's opening starts N worker
processes (:mod:`mtrepair.integrations.scrapy_workers`) and ``process_item`` returns a coroutine:
the crawl goes on while the fields are repaired, each in one worker, and a field that overruns
``MTREPAIR_ITEM_TIMEOUT`` keeps its scraped value with ``{"error": "timed out after N s ..."}``
(its worker is killed and replaced). Both paths give the same results. Without ``open_spider``
(items fed to the pipeline by hand) the repair runs in process.
"""

from __future__ import annotations

import importlib
import json
import logging
import math
from typing import Any, Iterable

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from ..batch.options import DEFAULT_RECORD_TIMEOUT
from ..blocks import DEFAULT_BLOCK_CHARS
from ..config import ConfigError
from ..repairer import Repairer
from . import build_repairer, check_repairer, resolve_config
from .scrapy_workers import FieldOutcome, FieldPool, FieldSettings, quality_of, repair_field

logger = logging.getLogger(__name__)

DEFAULT_FIELDS = ("text",)
DEFAULT_RESULT_FIELD = "mtrepair"


def _number(value: Any) -> float:
    """A numeric setting's value as a float; NaN when it is not a number (a bool, text)."""
    if isinstance(value, bool):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return math.nan


def _drop_below(value: Any) -> float | None:
    """MTREPAIR_DROP_BELOW as a number in [0, 100] (None/"" = no threshold), or a ConfigError."""
    if value is None or value == "":
        return None
    number = _number(value)
    if not 0 <= number <= 100:  # NaN fails too
        raise ConfigError(f"MTREPAIR_DROP_BELOW must be a quality index from 0 to 100, got {value!r}")
    return number


def _whole_number(value: Any, default: int) -> int:
    """A setting that must be a whole number, 0 or more: its value (``default`` for None or ""),
    or -1 when it is not one (a bool, a fraction, text, infinity)."""
    if value is None or value == "":
        return default
    try:
        if isinstance(value, bool) or float(value) != int(value):
            raise ValueError
        return max(int(value), -1)
    except (TypeError, ValueError, OverflowError):
        return -1


def _block_chars(value: Any) -> int:
    number = _whole_number(value, DEFAULT_BLOCK_CHARS)
    if number < 0:
        raise ConfigError(f"MTREPAIR_BLOCK_CHARS must be a whole number of characters, 0 or more, got {value!r}")
    return number


def _workers(value: Any) -> int:
    """MTREPAIR_WORKERS: a whole number, 0 or more (None/"" = 0)."""
    number = _whole_number(value, 0)
    if number < 0:
        raise ConfigError(f"MTREPAIR_WORKERS must be a whole number of worker processes, 0 (repair in the crawl's "
                          f"process) or more, got {value!r}")
    return number


def _item_timeout(value: Any, workers: int) -> float | None:
    """MTREPAIR_ITEM_TIMEOUT in seconds (None = no limit); the CLI's --record-timeout default with workers."""
    if value is None or value == "":
        return DEFAULT_RECORD_TIMEOUT if workers else None
    number = _number(value)
    if not 0 <= number < math.inf:  # NaN fails too
        raise ConfigError(f"MTREPAIR_ITEM_TIMEOUT must be a number of seconds, 0 (no limit) or more, got {value!r}")
    if number and not workers:
        raise ConfigError("MTREPAIR_ITEM_TIMEOUT needs MTREPAIR_WORKERS >= 1: a repair on Scrapy's reactor thread "
                          "cannot be stopped; set MTREPAIR_WORKERS, or MTREPAIR_ITEM_TIMEOUT = 0")
    return number or None


class RepairPipeline:
    def __init__(
        self,
        fields: Iterable[str] = DEFAULT_FIELDS,
        config: Any = None,
        drop_below: Any = None,
        result_field: str = DEFAULT_RESULT_FIELD,
        stats: Any = None,
        block_chars: Any = DEFAULT_BLOCK_CHARS,
        workers: Any = 0,
        item_timeout: Any = None,
    ):
        if isinstance(fields, str):
            fields = fields.split(",")
        try:
            fields = list(fields)
        except TypeError:
            raise ConfigError(f"MTREPAIR_FIELDS must be a list of item field names, got {fields!r}") from None
        names = [f.strip() if isinstance(f, str) else f for f in fields]
        if not names or any(not isinstance(f, str) or not f for f in names):
            raise ConfigError(f"MTREPAIR_FIELDS must be a list of item field names, got {fields!r}")
        # Each field once, in order: a name given twice would be repaired (and counted) twice.
        self.fields = tuple(dict.fromkeys(names))
        if not isinstance(result_field, str):
            raise ConfigError(f"MTREPAIR_RESULT_FIELD must be a field name or \"\", got {result_field!r}")
        if result_field and result_field in self.fields:
            raise ConfigError(f"MTREPAIR_RESULT_FIELD {result_field!r} is also in MTREPAIR_FIELDS: the report "
                              "would overwrite the repaired text; choose another name")
        try:
            self.config = resolve_config(config)
        except ConfigError as exc:
            raise ConfigError(f"MTREPAIR_CONFIG: {exc}") from None
        self.drop_below = _drop_below(drop_below)
        if self.drop_below is not None:
            importlib.import_module("mtrepair.scoring.quality")  # fail at start-up, not on every item
        self.block_chars = _block_chars(block_chars)
        self.workers = _workers(workers)
        self.item_timeout = _item_timeout(item_timeout, self.workers)
        self._pool: FieldPool | None = None
        self.result_field = result_field
        self.stats = stats
        self._repairer: Repairer | None = None
        self._warned: set[tuple[type, str]] = set()
        #: Fields of MTREPAIR_FIELDS met in at least one item (a name in none is likely misspelt).
        self._found: set[str] = set()
        self._items = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> "RepairPipeline":
        s = crawler.settings
        fields = s.get("MTREPAIR_FIELDS")
        if fields is None or fields == "" or fields == []:
            fields = list(DEFAULT_FIELDS)
        config = s.get("MTREPAIR_CONFIG")
        if hasattr(config, "copy_to_dict"):  # a Scrapy BaseSettings given for a dict setting
            config = config.copy_to_dict()
        elif isinstance(config, str) and config.lstrip().startswith("{"):
            # `scrapy crawl -s MTREPAIR_CONFIG='{"min_confidence": 0.8}'`: JSON, as Scrapy's getdict() reads
            try:
                config = json.loads(config)
            except ValueError as exc:
                raise ConfigError(f"MTREPAIR_CONFIG: invalid JSON: {exc}") from None
        result_field = s.get("MTREPAIR_RESULT_FIELD", DEFAULT_RESULT_FIELD)
        return cls(fields, config, s.get("MTREPAIR_DROP_BELOW"), "" if result_field is None else result_field,
                   getattr(crawler, "stats", None), s.get("MTREPAIR_BLOCK_CHARS"), s.get("MTREPAIR_WORKERS"),
                   s.get("MTREPAIR_ITEM_TIMEOUT"))

    @property
    def repairer(self) -> Repairer:
        if self._repairer is None:
            self._repairer = build_repairer(self.config)  # once per crawl: glossary and model load here
        return self._repairer

    def open_spider(self, spider: Any = None) -> None:
        """Build the Repairer before the first item; a user glossary or model that cannot load stops the crawl.
        With MTREPAIR_WORKERS, start the workers (forked ones inherit this warm Repairer)."""
        check_repairer(self.repairer, "MTREPAIR_CONFIG")
        if self.workers and self._pool is None:
            from ..batch.process import prepare_parent

            prepare_parent(self.repairer)
            settings = FieldSettings(self.block_chars, self.drop_below is not None)
            self._pool = FieldPool(self.config, settings, self.workers, self.item_timeout)

    def close_spider(self, spider: Any = None) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        never = [name for name in self.fields if name not in self._found]
        if self._items and never:
            logger.warning("mtrepair: no item of this crawl had the field(s) %s named in MTREPAIR_FIELDS: nothing "
                           "was repaired there (misspelt?)", ", ".join(map(repr, never)))
        if self.stats is not None:
            get = self.stats.get_value
            logger.info("mtrepair: %s items, %s repaired, %s failed, %s dropped", get("mtrepair/items", 0),
                        get("mtrepair/items_repaired", 0), get("mtrepair/items_failed", 0),
                        get("mtrepair/dropped", 0))

    def _inc(self, key: str, n: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"mtrepair/{key}", n)

    def _warn_once(self, item: Any, key: str, message: str, *args: Any) -> None:
        if (type(item), key) not in self._warned:
            self._warned.add((type(item), key))
            logger.warning(message, *args)

    def quality(self, text: str) -> float:
        """The 0–100 quality index of ``text`` (mtrepair.scoring)."""
        return quality_of(self.repairer)(text)

    def _skip_reason(self, adapter: ItemAdapter, item: Any, name: str) -> tuple[str | None, str | None]:
        """(skipped, error): why field ``name`` is not repaired, or (None, None) when it is a text."""
        if name not in adapter:
            if not isinstance(item, dict) and name not in adapter.field_names():
                self._warn_once(item, "field:" + name, "mtrepair: MTREPAIR_FIELDS names %r, which %s items do "
                                "not have: that field is never repaired", name, type(item).__name__)
            return f"no {name!r} field", None
        value = adapter[name]
        self._found.add(name)
        if value is None:
            return f"field {name!r} is null", None
        if not isinstance(value, str):
            hint = " (join the paragraphs into one string)" if isinstance(value, (list, tuple)) else ""
            return None, f"field {name!r} is {type(value).__name__}, not a string{hint}"
        if not value.strip():
            return f"field {name!r} is blank", None
        return None, None

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """The item, repaired (or a coroutine giving it, with MTREPAIR_WORKERS); DropItem below
        MTREPAIR_DROP_BELOW."""
        adapter = ItemAdapter(item)
        self._items += 1
        self._inc("items")
        checks = [(name, *self._skip_reason(adapter, item, name)) for name in self.fields]
        texts = {name: adapter[name] for name, skipped, error in checks if not skipped and error is None}
        if self._pool is None or not texts:
            quality = self.quality if self.drop_below is not None else None
            outcomes = {name: repair_field(self.repairer, text, self.block_chars, quality)
                        for name, text in texts.items()}
            return self._finish(item, adapter, checks, outcomes)
        return self._finish_in_workers(item, adapter, checks, texts)

    async def _finish_in_workers(self, item: Any, adapter: ItemAdapter, checks: list, texts: dict[str, str]) -> Any:
        from scrapy.utils.defer import maybe_deferred_to_future

        assert self._pool is not None
        pending = {name: self._pool.submit(text) for name, text in texts.items()}  # in parallel
        outcomes = {name: await maybe_deferred_to_future(d) for name, d in pending.items()}
        return self._finish(item, adapter, checks, outcomes)

    def _finish(self, item: Any, adapter: ItemAdapter, checks: list[tuple[str, str | None, str | None]],
                outcomes: dict[str, FieldOutcome]) -> Any:
        """Put the repaired fields and the report in the item, count, log, and drop it if it is too poor."""
        report: dict[str, Any] = {}
        lowest: tuple[float, str] | None = None
        repaired = failed = False
        for name, skipped, error in checks:
            if skipped:
                report[name] = {"skipped": skipped}
                self._inc("fields_skipped")
                continue
            outcome = outcomes.get(name)
            if error is None and outcome is not None:
                error = outcome.error
            if error is not None or outcome is None or outcome.text is None:
                logger.error("mtrepair could not repair field %r of %s: %s", name, adapter.get("url", "an item"),
                             error)
                self._inc("errors")
                failed = True
                report[name] = {"error": error}
                continue
            adapter[name] = outcome.text
            report[name] = outcome.entry
            self._inc("edits", outcome.edits)
            if outcome.changed:
                repaired = True
                self._inc("fields_repaired")
            if outcome.quality_error is not None:
                logger.error("mtrepair could not score field %r of %s: %s", name,
                             adapter.get("url", "an item"), outcome.quality_error)
                self._inc("errors")
                failed = True
            elif outcome.quality is not None and (lowest is None or outcome.quality < lowest[0]):
                lowest = (outcome.quality, name)
        if self.result_field and report:
            if adapter.get(self.result_field) is not None:
                # Scraped data (or a report already attached): never overwritten, as the batch CLI
                # refuses records that already hold the keys it would add.
                logger.error("mtrepair: %s already has a %r field; it is kept and the repair report is not "
                             "attached (choose another MTREPAIR_RESULT_FIELD)", adapter.get("url", "an item"),
                             self.result_field)
                self._inc("errors")
                failed = True
            else:
                try:
                    adapter[self.result_field] = report
                except KeyError:  # a scrapy.Item, dataclass or attrs item that does not declare the field
                    self._warn_once(item, "result", "mtrepair: %s items have no %r field: the edits and errors "
                                    "are not attached to them (declare the field, or set MTREPAIR_RESULT_FIELD)",
                                    type(item).__name__, self.result_field)
        if repaired:
            self._inc("items_repaired")
        if failed:
            self._inc("items_failed")
        if self.drop_below is not None and lowest is not None and lowest[0] < self.drop_below:
            self._inc("dropped")
            raise DropItem(
                f"mtrepair: quality index {lowest[0]:.1f} of field {lowest[1]!r} is below "
                f"MTREPAIR_DROP_BELOW={self.drop_below:g}"
            )
        return item
