"""The batch engine: feed work items to worker processes and collect outcomes in order.

- ``jobs == 1`` without a record timeout repairs in this process (no inter-process cost).
- ``jobs > 1``, or a ``record_timeout``, uses :class:`~mtrepair.batch.pool.WorkerPool`:
  worker processes that load the Repairer once each. Items travel in chunks; at most
  ``jobs × pending_per_job`` chunks are in flight, so memory stays flat whatever the input
  size, and results are yielded in input order.
- If a worker process dies (crash, out of memory) or overruns the record timeout, it is
  replaced and its chunk retried record by record; a record that kills or blocks a worker on
  its own gets an error record. Nothing is lost either way.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..config import RepairConfig
from ..repairer import Repairer
from .feed import Feed, SyncFeed
from .options import BatchOptions
from .process import Outcome, prepare_parent, process_item
from .readers import WorkItem

#: Failure messages printed as they happen; later ones are only counted in the summary.
MAX_ERRORS_SHOWN = 20


#: Statuses from the worst: a document is as bad as its worst block.
_STATUS_RANK = ("failed", "repaired", "ok")


@dataclass
class BatchSummary:
    """Counts of a run. ``ok`` includes ``repaired`` (records that changed)."""

    records: int = 0
    ok: int = 0
    repaired: int = 0
    failed: int = 0
    skipped: int = 0
    bytes: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    #: Record inputs that held no record (0 bytes, blank lines only...): not failures, their output
    #: is empty (an empty mirrored ``.jsonl`` under ``--output-dir``).
    empty_inputs: list[str] = field(default_factory=list)
    #: Error records of an earlier run removed from the output to be repaired again (--retry-failed).
    retried: int = 0
    #: Status so far of a long document whose blocks are arriving (its last block counts it).
    _document: str | None = None

    def add(self, outcome: Outcome) -> None:
        self.bytes += outcome.nbytes
        if outcome.status == "failed" and outcome.error and len(self.errors) < MAX_ERRORS_SHOWN:
            self.errors.append(outcome.error)
        status = outcome.status
        if outcome.part is not None:  # one block of a long document
            if outcome.part > 0 and self._document is not None:
                status = min(self._document, status, key=_STATUS_RANK.index)
            self._document = None if outcome.last else status
            if not outcome.last:
                return
        else:
            self._document = None  # a document cut short by a read error counts as that error
        self.records += 1
        if status == "failed":
            self.failed += 1
        else:
            self.ok += 1
            if status == "repaired":
                self.repaired += 1

    def line(self) -> str:
        rate = ""
        if self.seconds > 0 and self.records:
            rate = (f" in {self.seconds:.1f} s ({self.bytes / 1e6 / self.seconds:.2f} MB/s, "
                    f"{self.records / self.seconds:.0f} records/s)")
        skipped = f", {self.skipped} skipped (already in the output)" if self.skipped else ""
        empty = f", {len(self.empty_inputs)} input(s) without records" if self.empty_inputs else ""
        retried = f", {self.retried} earlier failure(s) retried" if self.retried else ""
        return (f"{self.records} record(s): {self.ok} ok ({self.repaired} repaired), "
                f"{self.failed} failed{skipped}{retried}{empty}{rate}")


def iter_outcomes(
    items: Iterable[WorkItem],
    config: RepairConfig,
    options: BatchOptions,
    repairer: Repairer | None = None,
) -> Iterator[Outcome]:
    """Repair every item; yields exactly one outcome per item, in input order, each as soon as
    it is ready (an item of a slow stream is not held back waiting for others).

    ``repairer`` (built from ``config``) is used as is in process; with worker
    processes, building it before they start lets them inherit its caches (fork).
    In process, each item is repaired as soon as it is read. Worker processes get chunks of
    items, cut as described in :mod:`mtrepair.batch.feed` (``options.max_latency``).
    """
    repairer = repairer or Repairer(config)  # config errors surface here, clearly
    if options.jobs <= 1 and not options.record_timeout:
        for item in items:
            yield process_item(item, repairer, options)
        return
    prepare_parent(repairer)
    from .pool import WorkerPool  # multiprocessing: only for jobs > 1 or a record timeout

    pool = WorkerPool(config, options)  # the workers start before the reader thread does
    if options.max_latency is None:
        feed: Feed | SyncFeed = SyncFeed(items, options.chunk_records, options.chunk_chars)
    else:
        feed = Feed(items, options.chunk_records, options.chunk_chars, options.max_latency)
    try:
        yield from pool.run(feed)
    finally:
        feed.close()




class Progress:
    """A tqdm bar on standard error when it is a terminal (documents/s and failures); silent otherwise."""

    def __init__(self, enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.bar = None
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:  # pragma: no cover - tqdm is a core dependency
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(file=self.stream, unit=" doc", dynamic_ncols=True, mininterval=0.25,
                                desc="mtrepair", postfix={"failed": 0})
        self._failed = 0

    def update(self, outcome: Outcome) -> None:
        if self.bar is None or (outcome.part is not None and not outcome.last):
            return  # a long document counts once, at its last block
        self.bar.update(1)
        if outcome.status == "failed":
            self._failed += 1
            self.bar.set_postfix(failed=self._failed, refresh=False)

    def message(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_batch(
    items: Iterable[WorkItem],
    config: RepairConfig,
    options: BatchOptions,
    write: Callable[[Outcome], None],
    progress: Progress | None = None,
    report_errors: bool = True,
    repairer: Repairer | None = None,
) -> BatchSummary:
    """Repair all items, hand each outcome (in order) to ``write``, and count."""
    summary = BatchSummary()
    start = time.perf_counter()
    try:
        for outcome in iter_outcomes(items, config, options, repairer):
            write(outcome)
            summary.add(outcome)
            if progress is not None:
                progress.update(outcome)
                if report_errors and outcome.status == "failed" and summary.failed <= MAX_ERRORS_SHOWN:
                    progress.message(f"mtrepair: error: {outcome.error}")
    finally:
        summary.seconds = time.perf_counter() - start
        if progress is not None:
            progress.close()
    return summary
