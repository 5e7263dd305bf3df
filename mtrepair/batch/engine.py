"""The batch engine: feed work items to worker processes and collect outcomes in order.

- ``jobs == 1`` repairs in this process (no inter-process cost).
- ``jobs > 1`` uses a process pool whose initializer loads the Repairer once per
  worker. Items travel in chunks; at most ``jobs × pending_per_job`` chunks are in
  flight, so memory stays flat whatever the input size, and results are taken
  in submission order, so the output order is the input order.
- If a worker process dies (crash, out of memory), the chunks it may have held
  are retried one at a time on a fresh pool; a chunk that kills a worker again
  gives error records. Nothing is lost either way.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..config import RepairConfig
from ..repairer import Repairer
from .options import BatchOptions
from .process import Outcome, failed, init_worker, ping, prepare_parent, process_chunk, process_item
from .readers import WorkItem

#: Failure messages printed as they happen; later ones are only counted in the summary.
MAX_ERRORS_SHOWN = 20
WORKER_DIED = "the worker process died while repairing this record (crash or out of memory); not repaired"


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

    def add(self, outcome: Outcome) -> None:
        self.records += 1
        self.bytes += outcome.nbytes
        if outcome.status == "failed":
            self.failed += 1
            if outcome.error and len(self.errors) < MAX_ERRORS_SHOWN:
                self.errors.append(outcome.error)
        else:
            self.ok += 1
            if outcome.status == "repaired":
                self.repaired += 1

    def line(self) -> str:
        rate = ""
        if self.seconds > 0 and self.records:
            rate = (f" in {self.seconds:.1f} s ({self.bytes / 1e6 / self.seconds:.2f} MB/s, "
                    f"{self.records / self.seconds:.0f} records/s)")
        skipped = f", {self.skipped} skipped (already in the output)" if self.skipped else ""
        return (f"{self.records} record(s): {self.ok} ok ({self.repaired} repaired), "
                f"{self.failed} failed{skipped}{rate}")


def chunked(items: Iterable[WorkItem], max_records: int, max_chars: int) -> Iterator[list[WorkItem]]:
    chunk: list[WorkItem] = []
    size = 0
    for item in items:
        chunk.append(item)
        payload = item.payload
        size += len(payload) if isinstance(payload, (bytes, str)) else 1000
        if len(chunk) >= max_records or size >= max_chars:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def iter_outcomes(
    items: Iterable[WorkItem],
    config: RepairConfig,
    options: BatchOptions,
    repairer: Repairer | None = None,
) -> Iterator[Outcome]:
    """Repair every item; yields exactly one outcome per item, in input order.

    ``repairer`` (built from ``config``) is used as is with one job; with several
    jobs, building it before the workers start lets them inherit its caches.
    """
    chunks = chunked(items, options.chunk_records, options.chunk_chars)
    repairer = repairer or Repairer(config)  # config errors surface here, clearly
    if options.jobs <= 1:
        for chunk in chunks:
            for item in chunk:
                yield process_item(item, repairer, options)
        return
    prepare_parent(repairer)
    yield from _parallel(chunks, config, options)


def _context():
    # fork starts workers fastest (modules already imported); spawn where fork does not exist.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _new_pool(config: RepairConfig, options: BatchOptions) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=options.jobs, mp_context=_context(),
                               initializer=init_worker, initargs=(config, options))
    try:
        for f in [pool.submit(ping) for _ in range(options.jobs)]:
            f.result()
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        # The initializer failed in the workers (bad config, unreadable glossary...):
        # run it here to raise the real, clearly phrased error.
        init_worker(config, options)
        raise RuntimeError("worker processes failed to start") from None
    return pool


def _parallel(chunks: Iterator[list[WorkItem]], config: RepairConfig, options: BatchOptions) -> Iterator[Outcome]:
    pool = _new_pool(config, options)
    limit = max(1, options.jobs * options.pending_per_job)
    pending: deque[tuple[list[WorkItem], Future]] = deque()
    try:
        for chunk in chunks:
            pending.append((chunk, pool.submit(process_chunk, chunk)))
            while len(pending) >= limit:
                outcomes, pool = _take(pending, pool, config, options)
                yield from outcomes
        while pending:
            outcomes, pool = _take(pending, pool, config, options)
            yield from outcomes
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _take(pending, pool, config, options) -> tuple[list[Outcome], ProcessPoolExecutor]:
    chunk, future = pending.popleft()
    try:
        return future.result(), pool
    except BrokenProcessPool:
        pass
    # A worker died. Chunks in flight without a result are lost with the pool: retry each alone
    # (chunks that had finished keep their result).
    pool.shutdown(wait=False, cancel_futures=True)
    queue = [(chunk, None)] + [(c, f if _succeeded(f) else None) for c, f in pending]
    pending.clear()
    pool = _new_pool(config, options)
    first: list[Outcome] | None = None
    for c, kept in queue:
        if kept is not None:
            result = kept.result()
        else:
            try:
                result = pool.submit(process_chunk, c).result()
            except BrokenProcessPool:
                result = [failed(item, WORKER_DIED, options) for item in c]
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _new_pool(config, options)
        if first is None:
            first = result
        else:
            done: Future = Future()
            done.set_result(result)
            pending.append((c, done))
    return first or [], pool


def _succeeded(future: Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


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
        if self.bar is None:
            return
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
