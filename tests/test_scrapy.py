"""A real Scrapy crawl through RepairPipeline, of pages served by a local HTTP server on 127.0.0.1.

The server runs in this process (a thread, port chosen by the OS); the crawl runs in a
subprocess (Twisted's reactor cannot be restarted inside pytest), bounded by
CLOSESPIDER_TIMEOUT, DOWNLOAD_TIMEOUT and a subprocess timeout.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pytest

from http_support import serve_folder

pytest.importorskip("scrapy", reason="the Scrapy pipeline needs the 'scrapy' extra")
pytest.importorskip("itemadapter", reason="the Scrapy pipeline needs the 'scrapy' extra")

from mtrepair import RepairConfig, Repairer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONFIG = {"model": "none"}

ENGLISH = [
    "The company said on Tuesday that it would cut about 2,000 jobs worldwide after a disappointing quarter.",
    "Analysts had expected weaker demand in Europe and Asia, and the shares fell sharply in early trading.",
]


def paragraphs_of(path: Path) -> list[str]:
    return [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def clean_paragraphs(n: int) -> list[str]:
    with (ROOT / "tests/data/clean/paragraphs.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line, _ in zip(fh, range(n))]


def page(title: str, paras: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras)
    return (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><nav><a href='/index.html'>Accueil</a></nav><article><h1>{html.escape(title)}</h1>\n{body}"
            f"</article></body></html>")


ARTICLES = {
    "spun.html": ("Lumora lève 120 millions", paragraphs_of(ROOT / "examples/spun-article-1.txt")),
    "clean.html": ("Apple et ses puces", clean_paragraphs(3)),
    "english.html": ("Chipmaker cuts jobs", ENGLISH),
}

SPIDER = '''
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

base, out, stats_path, drop = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]

class News(scrapy.Spider):
    name = "news"
    start_urls = [base + "/index.html"]
    def parse(self, response):
        for href in response.css("a.article::attr(href)").getall():
            yield response.follow(href, self.parse_article)
    def parse_article(self, response):
        yield {"url": response.url, "title": response.css("h1::text").get(),
               "text": "\\n\\n".join(response.css("article p::text").getall())}

settings = {
    "ITEM_PIPELINES": {"mtrepair.integrations.scrapy.RepairPipeline": 300},
    "MTREPAIR_FIELDS": ["text"],
    "MTREPAIR_CONFIG": {"model": "none"},
    "FEEDS": {out: {"format": "jsonlines", "encoding": "utf8"}},
    "CLOSESPIDER_TIMEOUT": 60, "DOWNLOAD_TIMEOUT": 10, "RETRY_ENABLED": False,
    "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "WARNING",
}
if drop != "-":
    settings["MTREPAIR_DROP_BELOW"] = float(drop)
process = CrawlerProcess(settings)
crawler = process.create_crawler(News)
process.crawl(crawler)
process.start()
stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
open(stats_path, "w").write(json.dumps(stats))
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    links = "".join(f"<li><a class='article' href='/{name}'>{t}</a></li>" for name, (t, _) in ARTICLES.items())
    (root / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>", encoding="utf-8")
    # The front page examples/scrapy_pipeline.py expects (headline links).
    heads = "".join(f"<h2><a href='/{name}'>{html.escape(t)}</a></h2>" for name, (t, _) in ARTICLES.items())
    (root / "front.html").write_text(f"<html><body>{heads}</body></html>", encoding="utf-8")
    for name, (title, paras) in ARTICLES.items():
        (root / name).write_text(page(title, paras), encoding="utf-8")

    with serve_folder(root) as url:
        yield url


def crawl(site: str, tmp_path: Path, drop: float | None) -> tuple[dict[str, dict], dict]:
    script = tmp_path / "crawl.py"
    script.write_text(SPIDER, encoding="utf-8")
    out, stats = tmp_path / "items.jsonl", tmp_path / "stats.json"
    proc = subprocess.run([sys.executable, str(script), site, str(out), str(stats), "-" if drop is None else str(drop)],
                          capture_output=True, text=True, timeout=150, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {Path(i["url"]).name: i for i in items}, json.loads(stats.read_text())


def test_crawl_repairs_items_and_keeps_clean_ones_unchanged(site, tmp_path):
    items, stats = crawl(site, tmp_path, None)
    assert set(items) == set(ARTICLES)
    repairer = Repairer(RepairConfig(**CONFIG))
    for name, (title, paras) in ARTICLES.items():
        item = items[name]
        scraped = "\n\n".join(paras)
        expected = repairer.repair(scraped)
        assert item["title"] == title
        assert item["text"] == expected.text
        report = item["mtrepair"]["text"]
        assert report["changed"] == expected.changed
        assert report["edits"] == [e.to_dict() for e in expected.edits]
    assert items["spun.html"]["mtrepair"]["text"]["changed"], "the spun article is repaired"
    assert items["clean.html"]["text"] == "\n\n".join(ARTICLES["clean.html"][1]), "clean French is untouched"
    assert stats["mtrepair/items"] == 3 and stats.get("mtrepair/errors", 0) == 0
    assert stats["mtrepair/fields_repaired"] >= 1


def test_drop_below_drops_the_low_quality_page(site, tmp_path):
    pytest.importorskip("mtrepair.scoring.quality", reason="quality index comes from mtrepair.scoring")
    from mtrepair.integrations.scrapy import RepairPipeline

    pipe = RepairPipeline(config=CONFIG)
    q = {name: pipe.quality(pipe.repairer.repair("\n\n".join(p)).text) for name, (_, p) in ARTICLES.items()}
    french = min(q["spun.html"], q["clean.html"])
    assert q["english.html"] < french - 5, f"English should score clearly below French news: {q}"
    threshold = (q["english.html"] + french) / 2
    items, stats = crawl(site, tmp_path, threshold)
    assert set(items) == {"spun.html", "clean.html"}
    assert stats["mtrepair/dropped"] == 1 and stats["item_dropped_count"] == 1
    for name in items:
        assert items[name]["mtrepair"]["text"]["quality"] >= threshold


def test_example_spider_runs_as_documented(site, tmp_path):
    """examples/scrapy_pipeline.py START_URL OUT.jsonl, offline against the local site (the
    embedded model, its own settings: min_confidence 0.7, MTREPAIR_DROP_BELOW 40)."""
    out = tmp_path / "items.jsonl"
    proc = subprocess.run([sys.executable, str(ROOT / "examples/scrapy_pipeline.py"), site + "/front.html", str(out)],
                          capture_output=True, text=True, timeout=150, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "mtrepair: 3 items" in proc.stderr, proc.stderr[-3000:]
    items = {Path(i["url"]).name: i for i in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    repairer = Repairer(RepairConfig(min_confidence=0.7))
    for name in ("spun.html", "clean.html"):
        scraped = "\n\n".join(p.strip() for p in ARTICLES[name][1] if p.strip())  # as the example joins them
        expected = repairer.repair(scraped)
        assert items[name]["text"] == expected.text
        assert items[name]["mtrepair"]["text"]["quality"] >= 40
    assert items["spun.html"]["mtrepair"]["text"]["changed"] is True
    assert items["clean.html"]["mtrepair"]["text"]["changed"] is False
    usage = subprocess.run([sys.executable, str(ROOT / "examples/scrapy_pipeline.py")], capture_output=True,
                           text=True, timeout=60)
    assert usage.returncode == 2 and "scrapy_pipeline.py https://" in usage.stdout
