"""Item fields repaired in worker processes while Scrapy's reactor goes on (``MTREPAIR_WORKERS``).

:func:`repair_field` is what happens to one field's text, in the crawl's process
(``MTREPAIR_WORKERS = 0``) or in a worker: both paths run the same code, so their results are the
same, byte for byte.

:class:`FieldPool` runs N workers of the batch engine's kind (:mod:`mtrepair.batch.pool`:
:func:`~mtrepair.batch.pool.worker_main`, one warm Repairer per process, inherited from the
crawl's process when forked, a process killed and replaced when its field overruns the time
budget or when it dies). The batch's :class:`~mtrepair.batch.pool.WorkerPool` waits for its
workers in a blocking loop; here the reactor does the waiting instead: each worker's pipe is a
reader of the reactor, each deadline a ``callLater``, so nothing blocks the crawl except the short
pipe transfers. Fields complete in any order (one Deferred each).

A worker ignores SIGINT (Scrapy's first Ctrl-C finishes the items in flight, which need their
workers) and dies with the crawl's process, as every worker of :func:`~mtrepair.batch.pool.worker_main`
does (:func:`~mtrepair.batch.pool.die_with_parent`).
"""

from __future__ import annotations

import logging
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, Callable

from ..batch.pool import (START_TIMEOUT, WORKER_DIED, WorkerProcess, close_workers, context, start_worker,
                          time_budget, timed_out_message)
from ..batch.process import worker_repairer
from ..blocks import repair_long
from ..config import ConfigError, RepairConfig

logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class FieldSettings:
    """What a worker needs besides the RepairConfig."""

    block_chars: int
    #: Compute the quality index of the repaired text (MTREPAIR_DROP_BELOW is set).
    quality: bool


@dataclass(frozen=True)
class FieldOutcome:
    """One field's repair: its report entry, or the error that left it as scraped."""

    #: The repaired text (None when the repair failed).
    text: str | None = None
    #: ``changed``, ``edits``, ``scores`` (+ ``quality`` or ``quality_error``), as attached to the item.
    entry: dict[str, Any] = field(default_factory=dict)
    edits: int = 0
    changed: bool = False
    #: The quality index, unrounded (the entry holds it rounded to 2 decimals).
    quality: float | None = None
    error: str | None = None
    quality_error: str | None = None


def repair_field(repairer: Any, text: str, block_chars: int,
                 quality: Callable[[str], float] | None = None) -> FieldOutcome:
    """Repair one field's text; ``quality`` (given when items are judged) scores the result."""
    try:
        result = repair_long(repairer, text, block_chars)
    except Exception as exc:  # the item is kept as scraped; the failure is recorded
        return FieldOutcome(error=f"{type(exc).__name__}: {exc}")
    entry: dict[str, Any] = {
        "changed": result.changed,
        "edits": [e.to_dict() for e in result.edits],
        "scores": dict(result.scores),
    }
    q = problem = None
    if quality is not None:
        try:
            q = float(quality(result.text))
        except Exception as exc:  # the repair stands; the item is not judged on this field
            problem = entry["quality_error"] = f"{type(exc).__name__}: {exc}"
        else:
            entry["quality"] = round(q, 2)
    return FieldOutcome(result.text, entry, len(result.edits), result.changed, q, None, problem)


def quality_of(repairer: Any) -> Callable[[str], float]:
    """The 0–100 quality index (mtrepair.scoring) with ``repairer``'s config and tables."""
    from ..scoring.quality import quality_report

    return lambda text: float(quality_report(text, repairer.config, repairer=repairer).index)


# -- the worker side -------------------------------------------------------------

_STATE: dict[str, Any] = {}


def init_field_worker(config: RepairConfig, settings: FieldSettings) -> None:
    """worker_main's ``init`` for Scrapy fields: the signals of a worker, then the Repairer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the crawl decides when its workers stop
    try:
        signal.set_wakeup_fd(-1)  # a forked child shares the reactor's wake-up pipe: let go of it
    except (ValueError, OSError):
        pass
    repairer = worker_repairer(config)
    _STATE["repairer"] = repairer
    _STATE["block_chars"] = settings.block_chars
    _STATE["quality"] = quality_of(repairer) if settings.quality else None


def repair_in_worker(text: str) -> FieldOutcome:
    """worker_main's ``handle``: one field's text."""
    return repair_field(_STATE["repairer"], text, _STATE["block_chars"], _STATE["quality"])


# -- the crawl's side ------------------------------------------------------------


@dataclass
class _Job:
    text: str
    deferred: Any
    timer: Any = None


class _Reader:
    """A worker's pipe as a reader of the reactor (twisted.internet.interfaces.IReadDescriptor)."""

    def __init__(self, pool: "FieldPool", worker: WorkerProcess):
        self.pool, self.worker = pool, worker
        self.fd = worker.conn.fileno()

    def fileno(self) -> int:
        return self.fd

    def doRead(self) -> None:
        self.pool._readable(self.worker)

    def connectionLost(self, reason: Any) -> None:
        pass

    def logPrefix(self) -> str:
        return "mtrepair-worker"


class FieldPool:
    """``workers`` watched processes repairing one field each at a time; see the module docstring.

    Built when the spider opens (blocking until every worker is ready, as building the Repairer
    does in the crawl's process); :meth:`submit` gives a Deferred that fires with a
    :class:`FieldOutcome` (never fails); :meth:`close` stops the workers.
    """

    def __init__(self, config: RepairConfig, settings: FieldSettings, workers: int, timeout: float | None,
                 reactor: Any = None):
        if reactor is None:
            from twisted.internet import reactor  # the installed one
        self.reactor = reactor
        self.config, self.settings, self.timeout = config, settings, timeout
        self.ctx = context()
        self.workers: list[WorkerProcess] = []
        self.readers: dict[int, _Reader] = {}
        self.queue: deque[_Job] = deque()
        self.start_checks: list[Any] = []  # replacements' start deadlines (DelayedCalls)
        try:
            for _ in range(workers):
                self.workers.append(self._start())
            self._wait_ready()
        except BaseException:
            self.close()
            raise
        for w in self.workers:
            self._watch(w)

    def _start(self) -> WorkerProcess:
        return start_worker(self.ctx, self.config, self.settings, self.workers, init_field_worker,
                            repair_in_worker)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not all(w.ready for w in self.workers):
            waiting = [w for w in self.workers if not w.ready]
            left = deadline - time.monotonic()
            ready = set(wait([o for w in waiting for o in (w.conn, w.process.sentinel)], timeout=max(0, left)))
            if not ready:
                raise ConfigError(f"MTREPAIR_WORKERS: no worker process ready after {START_TIMEOUT:g} s")
            for w in waiting:
                if w.conn in ready:
                    try:
                        kind, payload = w.conn.recv()
                    except (EOFError, OSError):
                        kind, payload = "init-error", "it died while starting"
                    if kind != "ready":
                        raise ConfigError(f"MTREPAIR_WORKERS: a worker process could not start: {payload}")
                    w.ready = True
                elif w.process.sentinel in ready:
                    raise ConfigError("MTREPAIR_WORKERS: a worker process died while starting")

    def _watch(self, worker: WorkerProcess) -> None:
        reader = self.readers[id(worker)] = _Reader(self, worker)
        self.reactor.addReader(reader)

    def _unwatch(self, worker: WorkerProcess) -> None:
        reader = self.readers.pop(id(worker), None)
        if reader is not None:
            self.reactor.removeReader(reader)

    # -- work ----------------------------------------------------------------------

    def submit(self, text: str) -> Any:
        from twisted.internet.defer import Deferred

        # The plain text: a str of the spider's own class may not be picklable (and the repair
        # gives the same result on its characters).
        job = _Job(str.__str__(text), Deferred())
        if not self.workers:
            job.deferred.callback(FieldOutcome(error="no mtrepair worker process is running"))
        else:
            self.queue.append(job)
            self._dispatch()
        return job.deferred

    def _dispatch(self) -> None:
        for w in self.workers:
            while self.queue and w.ready and w.task is None:
                job = w.task = self.queue.popleft()
                w.started = time.monotonic()
                budget = time_budget(len(job.text), self.timeout)
                if budget is not None:
                    job.timer = self.reactor.callLater(budget, self._timed_out, w, budget)
                try:
                    w.conn.send(job.text)
                except (OSError, ValueError):  # it died while idle: the field goes to another worker
                    w.task = None
                    self._settle_timer(job)
                    self.queue.appendleft(job)
                    self._lost(w, WORKER_DIED)
                    return
                except Exception as exc:  # never left on a worker that did not get it
                    w.task = None
                    self._settle(job, FieldOutcome(error=f"cannot send this field to a worker process: "
                                                         f"{type(exc).__name__}: {exc}"))

    def _readable(self, worker: WorkerProcess) -> None:
        try:
            kind, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._lost(worker, WORKER_DIED)
            return
        except Exception as exc:  # an answer that cannot be unpickled: the worker is not trusted further
            self._lost(worker, f"unreadable answer from the worker process: {type(exc).__name__}: {exc}")
            return
        if kind == "ready":
            worker.ready = True
        elif kind == "init-error":  # a replacement that cannot start (the first ones did): not retried
            self._retire(worker, f"a worker process could not start: {payload}")
        elif kind != "done":  # "unsendable": the text could not be read there (it always can: a str)
            job, worker.task = worker.task, None
            if job is not None:
                self._settle(job, FieldOutcome(error=f"the worker process could not take this field: {payload}"))
        else:
            job, worker.task = worker.task, None
            if job is not None:
                self._settle(job, payload)
        self._dispatch()

    def _timed_out(self, worker: WorkerProcess, budget: float) -> None:
        if worker in self.workers and worker.task is not None:
            worker.task.timer = None
            self._lost(worker, timed_out_message(budget, "MTREPAIR_ITEM_TIMEOUT"))

    def _lost(self, worker: WorkerProcess, message: str) -> None:
        """``worker`` died or overran: kill it, start another, fail the field it held."""
        job = worker.task
        was_ready = worker.ready
        self._unwatch(worker)
        worker.stop()
        index = self.workers.index(worker)
        if was_ready:
            self.workers[index] = replacement = self._start()
            self._watch(replacement)
            self.start_checks = [c for c in self.start_checks if c.active()]
            self.start_checks.append(self.reactor.callLater(START_TIMEOUT, self._check_started, replacement))
        else:  # died before it was ready: a replacement would likely do the same
            self._retire(worker, "a worker process died while starting")
        if job is not None:
            self._settle(job, FieldOutcome(error=message))
        self._dispatch()

    def _check_started(self, worker: WorkerProcess) -> None:
        if worker in self.workers and not worker.ready:
            self._retire(worker, f"a worker process was not ready after {START_TIMEOUT:g} s")

    def _retire(self, worker: WorkerProcess, message: str) -> None:
        self._unwatch(worker)
        worker.stop()
        if worker in self.workers:
            self.workers.remove(worker)
        logger.error("mtrepair: %s; %d worker process(es) left", message, len(self.workers))
        if not self.workers:  # nothing left to repair with: the queued fields fail, the items go on
            while self.queue:
                self._settle(self.queue.popleft(), FieldOutcome(error=f"{message}; not repaired"))

    @staticmethod
    def _settle_timer(job: _Job) -> None:
        if job.timer is not None and job.timer.active():
            job.timer.cancel()
        job.timer = None

    def _settle(self, job: _Job, outcome: FieldOutcome) -> None:
        self._settle_timer(job)
        job.deferred.callback(outcome)

    def close(self) -> None:
        """Stop every worker (idle ones are asked to exit, busy ones killed); queued fields fail."""
        for check in self.start_checks:
            if check.active():
                check.cancel()
        self.start_checks = []
        for w in self.workers:
            self._unwatch(w)
            if w.task is not None:
                job, w.task = w.task, None
                self._settle(job, FieldOutcome(error="the crawl closed while this field was being repaired"))
                w.ready = False  # killed, not asked
        close_workers(self.workers)
        self.workers = []
        while self.queue:
            self._settle(self.queue.popleft(), FieldOutcome(error="the crawl closed before this field was repaired"))
