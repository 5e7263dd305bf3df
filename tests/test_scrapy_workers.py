"""RepairPipeline with MTREPAIR_WORKERS: real Scrapy crawls of pages served on 127.0.0.1.

As in tests/test_scrapy.py the crawl runs in a subprocess (bounded by CLOSESPIDER_TIMEOUT,
DOWNLOAD_TIMEOUT and a subprocess timeout). Slow and hung repairs are injected into the crawl's
process before the workers fork from it (like tests/test_batch_engine.py's ``_hang_on``): a text
holding LENTEMENT takes SLOW seconds more, one holding BLOQUÉ never ends (120 s).
"""

from __future__ import annotations

import html
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from http_support import serve_folder
from process_support import alive, children, orphans_after_sigkill

pytest.importorskip("scrapy", reason="the Scrapy pipeline needs the 'scrapy' extra")
pytest.importorskip("itemadapter", reason="the Scrapy pipeline needs the 'scrapy' extra")
if "fork" not in __import__("multiprocessing").get_all_start_methods():
    pytest.skip("needs the fork start method to inject slowness into the workers", allow_module_level=True)

from scrapy.utils.test import get_crawler  # noqa: E402

from mtrepair import RepairConfig, Repairer  # noqa: E402
from mtrepair.blocks import repair_long  # noqa: E402
from mtrepair.config import ConfigError  # noqa: E402
from mtrepair.integrations.scrapy import RepairPipeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SLOW = 3.0


def paragraphs_of(path: Path) -> list[str]:
    return [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def clean_paragraphs(start: int, n: int) -> list[str]:
    with (ROOT / "tests/data/clean/paragraphs.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in list(fh)[start:start + n]]


ENGLISH = ["The company said on Tuesday that it would cut about 2,000 jobs worldwide after a disappointing quarter.",
           "Analysts had expected weaker demand in Europe and Asia, and the shares fell sharply in early trading."]
SPUN = paragraphs_of(ROOT / "examples/spun-article-1.txt")
CLEAN_TEXT = "\n\n".join(clean_paragraphs(0, 2))
#: page name -> (paragraphs of its text, its summary: a string, a list (an error) or None (missing))
PAGES: dict[str, tuple[list[str], Any]] = {
    "spun1": (SPUN, "Sa cofondatrice et PDG a gardé à l’esprit que cet argent servira à doubler les effectifs."),
    "spun2": (paragraphs_of(ROOT / "examples/spun-article-2.txt"), None),
    "spun3": (paragraphs_of(ROOT / "examples/spun-article-3.txt"), ["un", "résumé", "en liste"]),
    "clean": (clean_paragraphs(0, 3), "   "),
    "clean2": (clean_paragraphs(3, 4), None),
    "english": (ENGLISH, None),
    "slow": (["LENTEMENT " + p for p in SPUN[:2]], None),
    "hung": (["BLOQUÉ " + p for p in clean_paragraphs(7, 2)], None),
    "dies": (["MEURT " + p for p in clean_paragraphs(9, 2)], None),
}

SPIDER = '''
import json, os, sys, time
import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess

base, pages, out, stats_path, extra = sys.argv[1], sys.argv[2].split(","), sys.argv[3], sys.argv[4], sys.argv[5]

# Slowness injected into the repair of one field, in process and in the workers (forked after this).
import mtrepair.integrations.scrapy as pipeline_mod
import mtrepair.integrations.scrapy_workers as workers_mod
real = workers_mod.repair_field
def repair_field(repairer, text, *args):
    if ("LENTEMENT" in text or "BLOQUÉ" in text) and os.environ.get("MARKER"):
        open(os.environ["MARKER"], "w").write(str(os.getpid()))  # which process repairs it, and when
    if "LENTEMENT" in text:
        time.sleep(%(slow)r)
    if "BLOQUÉ" in text:
        time.sleep(120)
    if "MEURT" in text and "mtrepair-worker" in __import__("multiprocessing").current_process().name:
        os.kill(os.getpid(), 9)  # as the out-of-memory killer would
    return real(repairer, text, *args)
workers_mod.repair_field = pipeline_mod.repair_field = repair_field

class News(scrapy.Spider):
    name = "news"
    start_urls = [base + "/" + p + ".html" for p in pages]
    def parse(self, response):
        item = {"url": response.url, "text": "\\n\\n".join(response.css("article p::text").getall())}
        summary = response.css("#summary::text").getall()
        if summary:
            item["summary"] = summary[0] if len(summary) == 1 else summary
        yield item

ticks, loops = [], []
def tick_on(spider):
    from twisted.internet import task  # after CrawlerProcess installed its reactor
    loops.append(task.LoopingCall(lambda: ticks.append(time.monotonic())))
    loops[0].start(0.05)
settings = {
    "ITEM_PIPELINES": {"mtrepair.integrations.scrapy.RepairPipeline": 300},
    "MTREPAIR_FIELDS": ["text", "summary"],
    "MTREPAIR_CONFIG": {"model": "none"},
    "FEEDS": {out: {"format": "jsonlines", "encoding": "utf8"}},
    "CLOSESPIDER_TIMEOUT": 60, "DOWNLOAD_TIMEOUT": 10, "RETRY_ENABLED": False,
    "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "WARNING",
}
settings.update(json.loads(extra))
process = CrawlerProcess(settings)
crawler = process.create_crawler(News)
crawler.signals.connect(tick_on, signal=signals.spider_opened)
crawler.signals.connect(lambda spider: loops[0].stop(), signal=signals.spider_closed)
process.crawl(crawler)
process.start()
import multiprocessing
stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
stats["max_tick_gap"] = max((b - a for a, b in zip(ticks, ticks[1:])), default=None)
stats["children_left"] = len(multiprocessing.active_children())
with open(stats_path, "w") as fh:
    fh.write(json.dumps(stats))
''' % {"slow": SLOW}


def page(name: str, paras: list[str], summary: Any) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras)
    if summary is None:
        head = ""
    else:
        head = "".join(f"<div id='summary'>{html.escape(s)}</div>"
                       for s in ([summary] if isinstance(summary, str) else summary))
    return (f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{name}</title></head>"
            f"<body>{head}<article>\n{body}</article></body></html>")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    for name, (paras, summary) in PAGES.items():
        (root / f"{name}.html").write_text(page(name, paras, summary), encoding="utf-8")

    with serve_folder(root) as url:
        yield url


def start_crawl(site: str, tmp_path: Path, pages: list[str], env: dict | None = None, session: bool = False,
                **settings: Any) -> tuple[subprocess.Popen, Path, Path]:
    script = tmp_path / "crawl.py"
    script.write_text(SPIDER, encoding="utf-8")
    out, stats = tmp_path / "items.jsonl", tmp_path / "stats.json"
    proc = subprocess.Popen([sys.executable, str(script), site, ",".join(pages), str(out), str(stats),
                             json.dumps(settings)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path, env={**os.environ, **(env or {})}, start_new_session=session)
    return proc, out, stats


def crawl(site: str, tmp_path: Path, pages: list[str], **settings: Any) -> tuple[list[dict], dict, str]:
    """The items in the order they left the pipeline, the crawl stats, the crawl's log."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    proc, out, stats = start_crawl(site, tmp_path, pages, **settings)
    try:
        _, err = proc.communicate(timeout=90)
    finally:
        proc.kill()
    assert proc.returncode == 0 and stats.exists() and "Traceback" not in err, err[-3000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items, json.loads(stats.read_text()), err


def by_page(items: list[dict]) -> dict[str, dict]:
    return {Path(i["url"]).stem: i for i in items}


def mtrepair_stats(stats: dict) -> dict:
    return {k: v for k, v in stats.items() if k.startswith("mtrepair/") or k == "item_dropped_count"}


def test_items_from_workers_equal_those_repaired_in_process(site, tmp_path):
    """Same texts, same reports (edits, scores, quality, errors, skips), same drops and stats:
    the exported lines are byte-identical, whatever order the workers finish in."""
    pytest.importorskip("mtrepair.scoring.quality", reason="MTREPAIR_DROP_BELOW needs mtrepair.scoring")
    pages = ["spun1", "spun2", "spun3", "clean", "clean2", "english"]
    settings = {"MTREPAIR_DROP_BELOW": 80, "MTREPAIR_BLOCK_CHARS": 600}  # small blocks: block_chars reaches workers
    here, here_stats, _ = crawl(site, tmp_path / "0", pages, MTREPAIR_WORKERS=0, **settings)
    there, there_stats, _ = crawl(site, tmp_path / "2", pages, MTREPAIR_WORKERS=2, **settings)
    here_by, there_by = by_page(here), by_page(there)
    assert sorted(here_by) == sorted(there_by) and len(here) == len(there), (sorted(here_by), sorted(there_by))
    for name, item in here_by.items():  # as exported, key order included
        assert json.dumps(item) == json.dumps(there_by[name]), f"{name}: {item} != {there_by[name]}"
    assert mtrepair_stats(here_stats) == mtrepair_stats(there_stats)
    assert there_stats["children_left"] == 0, "close_spider stops the workers"
    # The results are the repairs, not just equal to each other.
    items = by_page(there)
    judge = RepairPipeline(config={"model": "none"}, block_chars=600)
    low = {name for name in pages
           if judge.quality(repair_long(judge.repairer, "\n\n".join(PAGES[name][0]), 600).text) < 80}
    assert low and len(low) < len(pages) - 2, "the threshold should drop some pages, not most"
    assert set(items) == set(pages) - low and there_stats["mtrepair/dropped"] == len(low)
    repairer = Repairer(RepairConfig(model="none"))
    spun = items["spun1"]
    assert spun["mtrepair"]["text"]["changed"] and spun["text"] != "\n\n".join(PAGES["spun1"][0])
    assert spun["mtrepair"]["summary"]["edits"] == [e.to_dict() for e in repairer.repair(PAGES["spun1"][1]).edits]
    assert items["clean"]["text"] == "\n\n".join(PAGES["clean"][0]), "clean French is untouched"
    assert items["clean"]["mtrepair"]["summary"] == {"skipped": "field 'summary' is blank"}
    assert items["clean2"]["mtrepair"]["summary"] == {"skipped": "no 'summary' field"}
    assert items["spun3"]["summary"] == ["un", "résumé", "en liste"]
    assert "list, not a string" in items["spun3"]["mtrepair"]["summary"]["error"]
    assert there_stats["mtrepair/items_failed"] == 1 and there_stats["mtrepair/errors"] == 1


def test_the_crawl_goes_on_while_a_field_is_repaired(site, tmp_path):
    """A repair that takes SLOW seconds holds the reactor without workers (the control, so that this
    test can fail), and not with them: a LoopingCall keeps ticking, the other pages are fetched,
    repaired and exported before the slow one."""
    pages = ["slow", "spun1", "clean", "spun2"]
    items, stats, _ = crawl(site, tmp_path / "2", pages, MTREPAIR_WORKERS=2)
    assert stats["max_tick_gap"] < 1.0, f"the reactor stopped for {stats['max_tick_gap']:.2f} s"
    assert [Path(i["url"]).stem for i in items][-1] == "slow", "the others did not wait for the slow one"
    assert len(items) == 4 and stats.get("mtrepair/errors", 0) == 0
    assert items[-1]["mtrepair"]["text"]["changed"], "the slow page is repaired all the same"
    _, control, _ = crawl(site, tmp_path / "0", ["slow", "clean"], MTREPAIR_WORKERS=0)
    assert control["max_tick_gap"] >= SLOW * 0.9, control["max_tick_gap"]


def test_a_hung_field_times_out_and_the_others_are_repaired(site, tmp_path):
    """One worker: the pages after the hung one (and after one whose worker is killed, as by the
    out-of-memory killer) are repaired by the workers that replaced it."""
    pages = ["hung", "spun1", "dies", "clean", "spun2"]
    started = time.monotonic()
    items, stats, log = crawl(site, tmp_path, pages, MTREPAIR_WORKERS=1, MTREPAIR_ITEM_TIMEOUT=2,
                              CONCURRENT_REQUESTS=1)
    assert time.monotonic() - started < 40
    items_ = by_page(items)
    assert set(items_) == set(pages), "nothing is lost"
    hung = items_["hung"]
    assert hung["text"] == "\n\n".join(PAGES["hung"][0]), "the field keeps its scraped value"
    error = hung["mtrepair"]["text"]["error"]
    assert error.startswith("timed out after 2 s (MTREPAIR_ITEM_TIMEOUT)"), error
    assert "timed out after 2 s" in log and "hung.html" in log
    dies = items_["dies"]
    assert dies["text"] == "\n\n".join(PAGES["dies"][0])
    assert dies["mtrepair"]["text"]["error"].startswith("the worker process died"), dies["mtrepair"]
    assert stats["mtrepair/items_failed"] == 2 and stats["mtrepair/errors"] == 2
    repairer = Repairer(RepairConfig(model="none"))
    for name in ("spun1", "clean", "spun2"):
        assert items_[name]["text"] == repairer.repair("\n\n".join(PAGES[name][0])).text
    assert items_["spun1"]["mtrepair"]["text"]["changed"]
    assert stats["children_left"] == 0






@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_no_worker_outlives_a_killed_crawl(site, tmp_path):
    """SIGKILL on the crawl (no close_spider) while one worker is stuck in a repair with no
    timeout and the other is idle: both go within seconds."""
    marker = tmp_path / "hanging"
    proc, _, _ = start_crawl(site, tmp_path, ["hung", "clean"], env={"MARKER": str(marker)},
                             MTREPAIR_WORKERS=2, MTREPAIR_ITEM_TIMEOUT=0)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert marker.exists(), "the hung page never reached a worker"
        workers = children(proc.pid)
        stuck = int(marker.read_text() or 0)
        assert len(workers) == 2 and stuck in workers, (workers, stuck)
        orphans = orphans_after_sigkill(proc, workers)
        assert not orphans, f"orphan workers: {orphans}"
    finally:
        proc.kill()
        proc.communicate()


def test_ctrl_c_lets_the_fields_being_repaired_finish(site, tmp_path):
    """Ctrl-C in a terminal reaches the crawl and its workers (one process group): Scrapy's first
    Ctrl-C finishes the items in flight, so the workers must not stop on it."""
    marker = tmp_path / "slowing"
    proc, out, stats = start_crawl(site, tmp_path, ["slow"], env={"MARKER": str(marker)}, session=True,
                                   MTREPAIR_WORKERS=2)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert marker.exists(), "the slow page never reached a worker"
        assert int(marker.read_text() or 0) in children(proc.pid) if Path("/proc").exists() else True
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err[-3000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(items) == 1 and "error" not in items[0]["mtrepair"]["text"], items
    assert items[0]["mtrepair"]["text"]["changed"]
    assert json.loads(stats.read_text())["children_left"] == 0


# -- settings (no crawl) -----------------------------------------------------------


@pytest.mark.parametrize("settings, message", [
    ({"MTREPAIR_WORKERS": -1}, "MTREPAIR_WORKERS must be a whole number"),
    ({"MTREPAIR_WORKERS": "deux"}, "MTREPAIR_WORKERS must be a whole number"),
    ({"MTREPAIR_WORKERS": 1.5}, "MTREPAIR_WORKERS must be a whole number"),
    ({"MTREPAIR_WORKERS": True}, "MTREPAIR_WORKERS must be a whole number"),
    ({"MTREPAIR_WORKERS": 2, "MTREPAIR_ITEM_TIMEOUT": -1}, "MTREPAIR_ITEM_TIMEOUT must be a number of seconds"),
    ({"MTREPAIR_WORKERS": 2, "MTREPAIR_ITEM_TIMEOUT": "une minute"}, "MTREPAIR_ITEM_TIMEOUT must be a number"),
    ({"MTREPAIR_WORKERS": 2, "MTREPAIR_ITEM_TIMEOUT": "nan"}, "MTREPAIR_ITEM_TIMEOUT must be a number"),
    ({"MTREPAIR_WORKERS": 2, "MTREPAIR_ITEM_TIMEOUT": float("inf")}, "MTREPAIR_ITEM_TIMEOUT must be a number"),
    ({"MTREPAIR_ITEM_TIMEOUT": 30}, "MTREPAIR_ITEM_TIMEOUT needs MTREPAIR_WORKERS >= 1"),
    ({"MTREPAIR_WORKERS": "0", "MTREPAIR_ITEM_TIMEOUT": "30"}, "MTREPAIR_ITEM_TIMEOUT needs MTREPAIR_WORKERS"),
])
def test_bad_worker_settings_stop_the_crawl_at_start_up(settings, message):
    with pytest.raises(ConfigError, match=message):
        RepairPipeline.from_crawler(get_crawler(settings_dict={"MTREPAIR_CONFIG": {"model": "none"}, **settings}))


def test_worker_settings_as_given_on_the_command_line():
    def made(**settings: Any) -> RepairPipeline:
        return RepairPipeline.from_crawler(get_crawler(settings_dict={"MTREPAIR_CONFIG": {"model": "none"},
                                                                      **settings}))

    pipe = made()
    assert (pipe.workers, pipe.item_timeout) == (0, None)
    pipe = made(MTREPAIR_WORKERS="2")  # scrapy crawl -s MTREPAIR_WORKERS=2
    assert (pipe.workers, pipe.item_timeout) == (2, 60.0), "the CLI's --record-timeout default"
    pipe = made(MTREPAIR_WORKERS="2", MTREPAIR_ITEM_TIMEOUT="2.5")
    assert pipe.item_timeout == 2.5
    pipe = made(MTREPAIR_WORKERS=2, MTREPAIR_ITEM_TIMEOUT=0)
    assert pipe.item_timeout is None
    pipe = made(MTREPAIR_WORKERS=0, MTREPAIR_ITEM_TIMEOUT="0")
    assert (pipe.workers, pipe.item_timeout) == (0, None)


def test_a_glossary_that_cannot_load_stops_the_crawl_before_any_worker_starts(tmp_path):
    missing = tmp_path / "absent.yaml"
    crawler = get_crawler(settings_dict={"MTREPAIR_CONFIG": {"model": "none", "glossary_paths": [str(missing)]},
                                         "MTREPAIR_WORKERS": 2})
    pipe = RepairPipeline.from_crawler(crawler)
    with pytest.raises(ConfigError, match="glossary"):
        pipe.open_spider()
    assert pipe._pool is None
    import multiprocessing

    assert not [p for p in multiprocessing.active_children() if p.name == "mtrepair-worker"]


def test_readme_shows_the_worker_settings_defaults():
    import re

    from mtrepair.batch.options import DEFAULT_RECORD_TIMEOUT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = dict(re.findall(r"^(MTREPAIR_WORKERS|MTREPAIR_ITEM_TIMEOUT) = (\S+)", text, re.M))
    assert int(shown["MTREPAIR_WORKERS"]) == 0
    assert float(shown["MTREPAIR_ITEM_TIMEOUT"]) == DEFAULT_RECORD_TIMEOUT


# -- the pool alone, on a stand-in reactor (no crawl) ------------------------------


class PumpedReactor:
    """The three reactor calls FieldPool makes, driven by :meth:`pump` in the test's thread."""

    def __init__(self):
        from twisted.internet.task import Clock

        self.clock, self.readers = Clock(), set()
        self.callLater = self.clock.callLater

    def addReader(self, reader):
        self.readers.add(reader)

    def removeReader(self, reader):
        self.readers.discard(reader)

    def pump(self, done, timeout: float = 30) -> None:
        from multiprocessing.connection import wait

        end = last = time.monotonic()
        end += timeout
        while not done() and time.monotonic() < end:
            ready = set(wait([r.fd for r in self.readers], timeout=0.05)) if self.readers else time.sleep(0.05)
            for reader in list(self.readers):
                if reader.fd in (ready or ()) and reader in self.readers:
                    reader.doRead()
            now = time.monotonic()
            self.clock.advance(now - last)
            last = now
        assert done(), f"not done after {timeout} s"


def outcome_of(reactor: PumpedReactor, deferred) -> Any:
    got: list = []
    deferred.addCallback(got.append)
    reactor.pump(lambda: got)
    return got[0]


def test_pool_gives_the_in_process_outcome_times_out_and_replaces(monkeypatch):
    from mtrepair.integrations import scrapy_workers as sw

    real = sw.repair_field

    def hanging(repairer, text, *args):
        if "BLOQUÉ" in text:
            time.sleep(60)  # killed long before
        return real(repairer, text, *args)

    monkeypatch.setattr(sw, "repair_field", hanging)  # before the workers fork
    config = RepairConfig(model="none")
    repairer = Repairer(config)
    reactor = PumpedReactor()
    # 2 s: a repair of this text takes milliseconds, but the full suite may run on a loaded machine
    pool = sw.FieldPool(config, sw.FieldSettings(block_chars=600, quality=False), 1, 2, reactor=reactor)
    try:
        text = "\n\n".join(SPUN)
        first = pool.workers[0].process.pid
        assert outcome_of(reactor, pool.submit(text)) == real(repairer, text, 600)
        started = time.monotonic()
        hung = outcome_of(reactor, pool.submit("BLOQUÉ " + text))
        assert hung.text is None and hung.error.startswith("timed out after 2 s (MTREPAIR_ITEM_TIMEOUT)")
        assert time.monotonic() - started < 8
        assert pool.workers[0].process.pid != first and not alive(first)
        assert outcome_of(reactor, pool.submit(text)) == real(repairer, text, 600), "the replacement repairs"
    finally:
        pool.close()
    assert not reactor.readers and not pool.workers


def test_pool_with_no_worker_left_fails_fields_instead_of_waiting(monkeypatch, caplog):
    from mtrepair.integrations import scrapy_workers as sw

    reactor = PumpedReactor()
    pool = sw.FieldPool(RepairConfig(model="none"), sw.FieldSettings(block_chars=0, quality=False), 1, None,
                        reactor=reactor)
    try:
        def cannot_start(config, settings):
            raise RuntimeError("plus de mémoire")

        monkeypatch.setattr(sw, "init_field_worker", cannot_start)  # for the replacement
        worker = pool.workers[0]
        os.kill(worker.process.pid, signal.SIGKILL)  # dies while idle
        worker.process.join(5)
        failed = outcome_of(reactor, pool.submit(CLEAN_TEXT))
        assert not pool.workers
        assert failed.text is None and "could not start: RuntimeError: plus de mémoire" in failed.error
        assert "0 worker process(es) left" in caplog.text
        later = outcome_of(reactor, pool.submit(CLEAN_TEXT))
        assert later.error == "no mtrepair worker process is running"
    finally:
        pool.close()


def test_pool_repairs_a_str_subclass_that_cannot_be_pickled():
    """A field whose value is a str of the spider's own class (defined where pickle cannot find it)
    made submit() raise: the item failed in Scrapy, and the worker, marked busy with a field it
    never got, took no other field (with no timeout the crawl waited for ever). The pool sends the
    plain text: same outcome as in process, and the worker goes on."""
    from mtrepair.integrations import scrapy_workers as sw

    class Paragraphe(str):  # local: pickle cannot name it
        pass

    config = RepairConfig(model="none")
    repairer = Repairer(config)
    reactor = PumpedReactor()
    pool = sw.FieldPool(config, sw.FieldSettings(block_chars=0, quality=False), 1, None, reactor=reactor)
    try:
        text = "\n\n".join(SPUN)
        assert outcome_of(reactor, pool.submit(Paragraphe(text))) == sw.repair_field(repairer, text, 0)
        assert outcome_of(reactor, pool.submit(CLEAN_TEXT)) == sw.repair_field(repairer, CLEAN_TEXT, 0)
    finally:
        pool.close()
