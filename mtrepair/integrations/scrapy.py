"""A Scrapy item pipeline that repairs text fields as items are scraped.

Enable it in the project settings::

    ITEM_PIPELINES = {"mtrepair.integrations.scrapy.RepairPipeline": 300}
    MTREPAIR_FIELDS = ["text"]            # item fields to repair (default ["text"])
    MTREPAIR_CONFIG = {"min_confidence": 0.8}   # RepairConfig fields, or a TOML file path
    MTREPAIR_DROP_BELOW = 40              # optional: drop items whose repaired quality index (0-100) is lower
    MTREPAIR_RESULT_FIELD = "mtrepair"    # where the edits and scores go ("" = nowhere)

Each field is replaced by its repaired text; the edits, scores (and the quality
index when ``MTREPAIR_DROP_BELOW`` is set) go under ``MTREPAIR_RESULT_FIELD``,
keyed by field name, when the item accepts that field (dicts do; a
``scrapy.Item`` must declare it). A field that fails to repair is left as it was
and the failure is recorded there and in the crawl stats; the item is never
lost because of mtrepair. Needs the ``scrapy`` extra (Scrapy and itemadapter).
"""

from __future__ import annotations

import logging
from typing import Any, Iterable

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from ..config import ConfigError
from ..repairer import Repairer
from . import resolve_config

logger = logging.getLogger(__name__)

DEFAULT_FIELDS = ("text",)
DEFAULT_RESULT_FIELD = "mtrepair"


class RepairPipeline:
    def __init__(
        self,
        fields: Iterable[str] = DEFAULT_FIELDS,
        config: Any = None,
        drop_below: float | None = None,
        result_field: str = DEFAULT_RESULT_FIELD,
        stats: Any = None,
    ):
        self.fields = tuple(fields)
        try:
            self.config = resolve_config(config)
        except ConfigError as exc:
            raise NotConfigured(f"MTREPAIR_CONFIG: {exc}") from None
        if drop_below is not None and not 0 <= drop_below <= 100:
            raise NotConfigured(f"MTREPAIR_DROP_BELOW must be a quality index in [0, 100], got {drop_below}")
        self.drop_below = drop_below
        self.result_field = result_field
        self.stats = stats
        self._repairer: Repairer | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "RepairPipeline":
        s = crawler.settings
        fields = s.getlist("MTREPAIR_FIELDS") or list(DEFAULT_FIELDS)
        config = s.get("MTREPAIR_CONFIG")
        if hasattr(config, "copy_to_dict"):  # a Scrapy BaseSettings given for a dict setting
            config = config.copy_to_dict()
        drop = s.get("MTREPAIR_DROP_BELOW")
        drop_below = float(drop) if drop not in (None, "") else None
        result_field = s.get("MTREPAIR_RESULT_FIELD", DEFAULT_RESULT_FIELD)
        return cls(fields, config, drop_below, result_field or "", getattr(crawler, "stats", None))

    @property
    def repairer(self) -> Repairer:
        if self._repairer is None:
            self._repairer = Repairer(self.config)  # once per crawl: glossary and model load here
        return self._repairer

    def open_spider(self, spider: Any = None) -> None:
        _ = self.repairer

    def _inc(self, key: str, n: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"mtrepair/{key}", n)

    def quality(self, text: str) -> float:
        """The 0–100 quality index of ``text`` (mtrepair.scoring)."""
        from ..scoring.quality import quality_report

        return float(quality_report(text, self.config, repairer=self.repairer).index)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        report: dict[str, Any] = {}
        lowest: tuple[float, str] | None = None
        self._inc("items")
        for name in self.fields:
            value = adapter.get(name)
            if not isinstance(value, str) or not value.strip():
                continue
            try:
                result = self.repairer.repair(value)
                entry: dict[str, Any] = {
                    "changed": result.changed,
                    "edits": [e.to_dict() for e in result.edits],
                    "scores": dict(result.scores),
                }
                if self.drop_below is not None:
                    q = self.quality(result.text)
                    entry["quality"] = round(q, 2)
                    if lowest is None or q < lowest[0]:
                        lowest = (q, name)
            except Exception as exc:  # the item is kept as scraped; the failure is recorded
                logger.error("mtrepair could not repair field %r of %s: %s", name, adapter.get("url", "an item"), exc)
                self._inc("errors")
                report[name] = {"error": f"{type(exc).__name__}: {exc}"}
                continue
            adapter[name] = result.text
            report[name] = entry
            self._inc("edits", len(result.edits))
            if result.changed:
                self._inc("fields_repaired")
        if self.result_field and report:
            try:
                adapter[self.result_field] = report
            except KeyError:  # a scrapy.Item that does not declare the field
                logger.debug("item has no %r field; mtrepair's report is not attached", self.result_field)
        if self.drop_below is not None and lowest is not None and lowest[0] < self.drop_below:
            self._inc("dropped")
            raise DropItem(
                f"mtrepair: quality index {lowest[0]:.1f} of field {lowest[1]!r} is below "
                f"MTREPAIR_DROP_BELOW={self.drop_below:g}"
            )
        return item
