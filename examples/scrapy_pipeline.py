"""A minimal Scrapy spider whose items go through mtrepair's RepairPipeline.

    pip install 'mtrepair[scrapy]'
    python examples/scrapy_pipeline.py https://exemple.fr/actualites/ items.jsonl

It follows the article links of the start page, yields ``{url, title, text}`` items, and
the pipeline repairs ``text`` in place, adds the edits and scores under ``mtrepair``, and
drops items whose repaired quality index (0–100, mtrepair.scoring) is below 40. The repair runs
in two worker processes, so the crawl keeps downloading meanwhile.
In a Scrapy project, put the ``ITEM_PIPELINES`` and ``MTREPAIR_*`` lines in settings.py.
"""

from __future__ import annotations

import sys

import scrapy
from scrapy.crawler import CrawlerProcess


class ArticleSpider(scrapy.Spider):
    name = "articles"

    def __init__(self, start: str, **kw):
        super().__init__(**kw)
        self.start_urls = [start]

    def parse(self, response):
        for href in response.css("article a::attr(href), h2 a::attr(href)").getall():
            yield response.follow(href, self.parse_article)

    def parse_article(self, response):
        yield {
            "url": response.url,
            "title": response.css("h1::text").get(),
            "text": "\n\n".join(p.strip() for p in response.css("article p::text").getall() if p.strip()),
        }


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    start, out = sys.argv[1], sys.argv[2]
    process = CrawlerProcess({
        "ITEM_PIPELINES": {"mtrepair.integrations.scrapy.RepairPipeline": 300},
        "MTREPAIR_FIELDS": ["text"],
        "MTREPAIR_CONFIG": {"min_confidence": 0.7},  # RepairConfig fields, or a TOML file path
        "MTREPAIR_DROP_BELOW": 40,
        "MTREPAIR_WORKERS": 2,  # repair in 2 processes while the crawl goes on (0: in process_item)
        "FEEDS": {out: {"format": "jsonlines", "encoding": "utf8"}},
        "CLOSESPIDER_PAGECOUNT": 50,
        "LOG_LEVEL": "INFO",
    })
    process.crawl(ArticleSpider, start=start)
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
