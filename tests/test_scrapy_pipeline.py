"""RepairPipeline on messy scraped items, in process (no crawl): every item type itemadapter knows,
fields that are missing, null, blank, not strings, huge or hold lone surrogates, repairs that raise,
crawl stats, and invalid settings that must stop the crawl at start-up.

The real crawl over HTTP is tests/test_scrapy.py.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("scrapy", reason="the Scrapy pipeline needs the 'scrapy' extra")
pytest.importorskip("itemadapter", reason="the Scrapy pipeline needs the 'scrapy' extra")

import scrapy  # noqa: E402
from scrapy.exceptions import DropItem  # noqa: E402
from scrapy.pipelines import ItemPipelineManager  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from mtrepair import RepairConfig, Repairer  # noqa: E402
from mtrepair.blocks import repair_long  # noqa: E402
from mtrepair.config import ConfigError  # noqa: E402
from mtrepair.integrations.scrapy import RepairPipeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONFIG = {"model": "none"}
SPUN = ("Son directeur général, Mark Feldman, a gardé à l’esprit que les suppressions toucheront surtout "
        "les fonctions de support. Des dizaines de membres du personnel ont démissionné la semaine suivante.")
CLEAN = ("Le conseil municipal s’est réuni jeudi soir pour voter le budget. Les élus ont adopté le texte "
         "à une large majorité, après trois heures de débat.")


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig(**CONFIG))


def pipeline(repairer: Repairer, **settings: Any) -> tuple[RepairPipeline, Any]:
    crawler = get_crawler(settings_dict={"MTREPAIR_CONFIG": CONFIG, **settings})
    pipe = RepairPipeline.from_crawler(crawler)
    pipe._repairer = repairer  # share one Repairer across the tests (same config)
    return pipe, crawler.stats


def stat(stats: Any, key: str) -> int:
    return stats.get_value(f"mtrepair/{key}", 0)


class NewsItem(scrapy.Item):
    url = scrapy.Field()
    text = scrapy.Field()
    summary = scrapy.Field()
    mtrepair = scrapy.Field()


@dataclasses.dataclass
class NewsData:
    url: str = ""
    text: Any = None
    summary: Any = None
    mtrepair: Any = None


def make_attrs():
    attrs = pytest.importorskip("attrs")

    @attrs.define
    class NewsAttrs:
        url: str = ""
        text: Any = None
        summary: Any = None
        mtrepair: Any = None

    return NewsAttrs


KINDS = ["dict", "scrapy.Item", "dataclass", "attrs"]


def make(kind: str, **fields: Any) -> Any:
    if kind == "dict":
        return dict(fields)
    if kind == "scrapy.Item":
        return NewsItem(**fields)
    if kind == "dataclass":
        return NewsData(**fields)
    return make_attrs()(**fields)


def get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, (dict, scrapy.Item)) else getattr(item, name)


@pytest.mark.parametrize("kind", KINDS)
def test_every_item_type_is_repaired_and_messy_fields_are_reported_not_dropped(repairer, kind):
    pipe, stats = pipeline(repairer, MTREPAIR_FIELDS=["text", "summary"])
    expected = repairer.repair(SPUN)
    assert expected.changed
    # A spun text is repaired; a missing summary is reported as skipped.
    item = pipe.process_item(make(kind, url="https://exemple.fr/a", text=SPUN))
    assert get(item, "text") == expected.text
    report = get(item, "mtrepair")
    assert report["text"]["edits"] == [e.to_dict() for e in expected.edits]
    assert "skipped" in report["summary"]
    # Clean French is left exactly as it was.
    item = pipe.process_item(make(kind, text=CLEAN, summary="   "))
    assert get(item, "text") == CLEAN and get(item, "summary") == "   "
    assert get(item, "mtrepair")["text"]["changed"] is False
    assert get(item, "mtrepair")["summary"] == {"skipped": "field 'summary' is blank"}
    # Null and non-string fields: the item goes on untouched, with the reason (the paragraphs a
    # `.getall()` returns are a list: not repaired piecewise, said so).
    paragraphs = [SPUN, CLEAN]
    item = pipe.process_item(make(kind, text=paragraphs, summary=None))
    assert get(item, "text") == paragraphs
    report = get(item, "mtrepair")
    assert report["text"] == {"error": "field 'text' is list, not a string (join the paragraphs into one string)"}
    assert report["summary"] == {"skipped": "field 'summary' is null"}
    item = pipe.process_item(make(kind, text=42))
    assert get(item, "text") == 42 and "int, not a string" in get(item, "mtrepair")["text"]["error"]
    assert stat(stats, "items") == 4 and stat(stats, "items_repaired") == 1
    assert stat(stats, "items_failed") == 2 and stat(stats, "errors") == 2
    assert stat(stats, "fields_skipped") == 4 and stat(stats, "fields_repaired") == 1


def test_a_repair_that_raises_keeps_the_item_with_an_error(repairer, monkeypatch):
    pipe, stats = pipeline(repairer, MTREPAIR_FIELDS=["text", "summary"])

    class Exploding:
        def repair(self, text):
            if "démissionné" in text:
                raise RuntimeError("boom")
            return repairer.repair(text)

    pipe._repairer = Exploding()
    item = pipe.process_item({"url": "https://exemple.fr/b", "text": SPUN, "summary": CLEAN})
    assert item["text"] == SPUN, "the failed field keeps its scraped text"
    assert item["mtrepair"]["text"] == {"error": "RuntimeError: boom"}
    assert item["summary"] == CLEAN and item["mtrepair"]["summary"]["changed"] is False
    assert stat(stats, "items_failed") == 1 and stat(stats, "errors") == 1


def test_a_quality_score_that_raises_keeps_the_repair(repairer, monkeypatch):
    pipe, stats = pipeline(repairer, MTREPAIR_DROP_BELOW=10)
    monkeypatch.setattr(pipe, "quality", lambda text: 1 / 0)
    item = pipe.process_item({"text": SPUN})
    assert item["text"] == repairer.repair(SPUN).text, "the repair stands"
    assert item["mtrepair"]["text"]["quality_error"].startswith("ZeroDivisionError")
    assert stat(stats, "items_failed") == 1 and stat(stats, "dropped") == 0


def test_huge_text_is_repaired_block_by_block_and_lone_surrogates_survive(repairer):
    pipe, _ = pipeline(repairer, MTREPAIR_BLOCK_CHARS=200_000)
    article = (ROOT / "examples/spun-article-2.txt").read_text(encoding="utf-8")
    huge = "\n\n".join([article] * (3_000_000 // len(article)))  # a 3 MB scraped page
    seen: list[int] = []

    class Spy:
        def __getattr__(self, name):
            return getattr(repairer, name)

        def repair(self, text):
            seen.append(len(text))
            return repairer.repair(text)

    pipe._repairer = Spy()
    tail = "\n\nSelon le Wall Road Journal, plusieurs cadres \ud800 ont quitté le groupe."
    item = pipe.process_item({"text": huge + tail})
    assert len(seen) > 10 and max(seen) <= 200_000, "a several-MB text is never repaired in one piece"
    out = item["text"]
    assert out.endswith("\n\nSelon le Wall Street Journal, plusieurs cadres \ud800 ont quitté le groupe."), out[-80:]
    assert "gardé à l’esprit" not in out and "Wall Road" not in out, "every block is repaired"
    assert out == repair_long(repairer, huge + tail, 200_000).text
    assert item["mtrepair"]["text"]["changed"] is True


def test_drop_below_drops_only_low_quality_items(repairer):
    pipe, stats = pipeline(repairer, MTREPAIR_DROP_BELOW="90")  # a string, as from `scrapy crawl -s`
    assert pipe.process_item({"text": CLEAN})["mtrepair"]["text"]["quality"] >= 90
    english = ("The company said on Tuesday that it would cut about 2,000 jobs worldwide after a bad quarter. "
               "Analysts had expected weaker demand in Europe and Asia, and the shares fell sharply.")
    with pytest.raises(DropItem, match="below MTREPAIR_DROP_BELOW=90"):
        pipe.process_item({"text": english})
    assert pipe.process_item({"text": None})["mtrepair"]["text"] == {"skipped": "field 'text' is null"}
    assert stat(stats, "dropped") == 1


def test_item_class_without_the_report_field_warns_once(repairer, caplog):
    @dataclasses.dataclass
    class Bare:
        body: str = ""

    pipe, _ = pipeline(repairer)
    with caplog.at_level(logging.WARNING, logger="mtrepair.integrations.scrapy"):
        for _ in range(3):
            item = pipe.process_item(Bare(body=SPUN))
            assert item.body == SPUN
    warnings = [r.getMessage() for r in caplog.records]
    assert len([w for w in warnings if "never repaired" in w]) == 1, warnings
    assert len([w for w in warnings if "not attached" in w]) == 1, warnings


BAD_SETTINGS = [
    ({"MTREPAIR_CONFIG": "/nonexistent/mtrepair.toml"}, "MTREPAIR_CONFIG: .*cannot read config"),
    ({"MTREPAIR_CONFIG": {"min_confidance": 0.8}}, "MTREPAIR_CONFIG: unknown config keys: min_confidance"),
    ({"MTREPAIR_CONFIG": '{"min_confidence": 0,8}'}, "MTREPAIR_CONFIG: invalid JSON"),
    ({"MTREPAIR_DROP_BELOW": "quarante"}, "MTREPAIR_DROP_BELOW must be a quality index from 0 to 100"),
    ({"MTREPAIR_DROP_BELOW": 140}, "MTREPAIR_DROP_BELOW"),
    ({"MTREPAIR_BLOCK_CHARS": -5}, "MTREPAIR_BLOCK_CHARS"),
    ({"MTREPAIR_FIELDS": ["text", ["summary"]]}, "MTREPAIR_FIELDS must be a list of item field names"),
    ({"MTREPAIR_FIELDS": ["text", "mtrepair"]}, "MTREPAIR_RESULT_FIELD 'mtrepair' is also in MTREPAIR_FIELDS"),
]


@pytest.mark.parametrize("settings,message", BAD_SETTINGS, ids=[m.split()[0] for _, m in BAD_SETTINGS])
def test_invalid_settings_stop_the_crawl_at_start_up(tmp_path, settings, message):
    """Scrapy turns NotConfigured into a silently disabled pipeline (the crawl then writes unrepaired
    items): an invalid setting must raise instead, with the setting's name."""
    crawler = get_crawler(settings_dict={"ITEM_PIPELINES": {RepairPipeline: 300}, **settings})
    with pytest.raises(ConfigError, match=message):
        ItemPipelineManager.from_crawler(crawler)


def test_invalid_toml_file_is_named(tmp_path):
    bad = tmp_path / "mtrepair.toml"
    bad.write_text("min_confidence = \n", encoding="utf-8")
    crawler = get_crawler(settings_dict={"MTREPAIR_CONFIG": str(bad)})
    with pytest.raises(ConfigError, match=f"MTREPAIR_CONFIG: {bad}: invalid TOML"):
        RepairPipeline.from_crawler(crawler)


def test_config_given_as_json_text_on_the_command_line(repairer):
    """`scrapy crawl -s MTREPAIR_CONFIG='{...}'` gives JSON text (Scrapy's getdict() convention)."""
    crawler = get_crawler(settings_dict={"MTREPAIR_CONFIG": '{"model": "none", "min_confidence": 0.95}'})
    pipe = RepairPipeline.from_crawler(crawler)
    assert pipe.config == RepairConfig(model="none", min_confidence=0.95)


def test_missing_or_broken_user_glossary_or_model_stops_the_crawl_when_it_opens(tmp_path):
    """The Repairer skips a user glossary it cannot load (the CLI reports it and exits non-zero);
    a crawl has no exit code to carry that, so the pipeline refuses to open instead of repairing
    every item without the glossary the settings asked for. A model that cannot be found (it loads
    lazily) is the same: one error at start-up, not one per item."""
    broken = tmp_path / "maison.yaml"
    broken.write_text("- id: MAISON-0001\n  pattern: [garder à l'esprit\n", encoding="utf-8")
    for path, message in ((tmp_path / "absent.yaml", "absent.yaml: no such glossary file or folder"),
                          (broken, "maison.yaml:3: invalid YAML")):
        config = {"model": "none", "glossary_paths": [str(path)]}
        pipe = RepairPipeline.from_crawler(get_crawler(settings_dict={"MTREPAIR_CONFIG": config}))
        with pytest.raises(ConfigError, match=f"MTREPAIR_CONFIG: glossary: .*{message}"):
            pipe.open_spider()
    config = {"model": f"hf:{tmp_path / 'pas-de-modele'}"}
    pipe = RepairPipeline.from_crawler(get_crawler(settings_dict={"MTREPAIR_CONFIG": config}))
    with pytest.raises(ConfigError, match="MTREPAIR_CONFIG: the Repairer cannot repair a test text: .*pas-de-modele"):
        pipe.open_spider()


def test_a_field_name_no_item_has_is_reported_when_the_crawl_closes(repairer, caplog):
    """dict items accept any field, so a misspelt MTREPAIR_FIELDS cannot be refused at start-up:
    every item is then reported as skipped, and the end of the crawl says which name was never met."""
    pipe, stats = pipeline(repairer, MTREPAIR_FIELDS=["texte", "text"])
    with caplog.at_level(logging.INFO, logger="mtrepair.integrations.scrapy"):
        for text in (SPUN, CLEAN):
            assert pipe.process_item({"text": text})["mtrepair"]["texte"] == {"skipped": "no 'texte' field"}
        pipe.close_spider()
    messages = [r.getMessage() for r in caplog.records]
    assert any("field(s) 'texte' named in MTREPAIR_FIELDS" in m for m in messages), messages
    assert not any("'text' named" in m or "'texte', 'text'" in m for m in messages), messages
    assert "mtrepair: 2 items, 1 repaired, 0 failed, 0 dropped" in messages
    assert stat(stats, "fields_skipped") == 2


@pytest.mark.parametrize("kind", ["dict", "scrapy.Item"])
def test_an_existing_report_field_is_never_overwritten(repairer, kind):
    """Scraped data under the report's name (or the report of an earlier pass) is kept: the item
    counts as failed, as the batch CLI refuses records holding the keys it would add."""
    pipe, stats = pipeline(repairer)
    scraped = {"rubrique": "économie", "auteur": "Claire Dumont"}
    item = pipe.process_item(make(kind, text=SPUN, mtrepair=scraped))
    assert get(item, "mtrepair") == scraped
    assert get(item, "text") == repairer.repair(SPUN).text, "the text is still repaired"
    assert stat(stats, "items_failed") == 1 and stat(stats, "items_repaired") == 1


def test_a_field_named_twice_is_repaired_once(repairer):
    pipe, stats = pipeline(repairer, MTREPAIR_FIELDS="text, text,summary")  # as `scrapy crawl -s` gives it
    assert pipe.fields == ("text", "summary")
    item = pipe.process_item({"text": SPUN, "summary": CLEAN})
    assert item["text"] == repairer.repair(SPUN).text
    assert stat(stats, "fields_repaired") == 1 and stat(stats, "edits") == len(repairer.repair(SPUN).edits)
