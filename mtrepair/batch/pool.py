"""Worker processes that the parent watches one by one: a deadline per task, a replacement per loss.

Why not :class:`concurrent.futures.ProcessPoolExecutor`: it cannot tell when a queued task
really starts, nor stop one stuck worker without breaking the whole pool. Here each worker has
its own pipe and runs one task (a chunk of work items) at a time, so the parent knows which
chunk each worker holds and since when.

- A task that overruns its budget (``BatchOptions.record_timeout`` seconds, more for long
  records, see :func:`task_budget`) has its worker killed and replaced. A chunk of several
  records is then retried record by record (the others are not punished for one slow record); a
  record that overruns alone becomes an error record "timed out after N s".
- A worker that dies (crash, out-of-memory kill) is handled the same way, with a "worker died"
  error for the record that kills a worker on its own.
- Results are yielded in input order; at most ``jobs × pending_per_job`` chunks are read ahead
  of the writer, so memory stays flat whatever the input size.

A worker process is used even with ``jobs == 1`` when a timeout is set: a stuck record may be
stuck in C code (a regular expression, a library call) that no signal can interrupt, and
interrupting Python code half-way could leave a cache of the shared Repairer half-updated. Killing
the process is the only stop that is always clean; the replacement starts from the parent's
Repairer (fork) or rebuilds it (spawn).
"""

from __future__ import annotations

import ctypes
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from multiprocessing.reduction import ForkingPickler
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..config import RepairConfig
from .options import BatchOptions, WorkerStartError
from .process import Outcome, failed, init_worker, process_chunk
from .readers import WorkItem

if TYPE_CHECKING:
    from .feed import Feed, SyncFeed

WORKER_DIED = "the worker process died while repairing this record (crash or out of memory); not repaired"
#: A record gets ``record_timeout`` seconds per started unit of this many bytes (so a 1 MB
#: document gets 5 × the timeout); the same size as the default repair block (RepairConfig.block_chars).
TIMEOUT_UNIT_BYTES = 200_000
#: Seconds a new worker may take to load glossary and model before the run is declared broken.
START_TIMEOUT = 600.0
#: The longest single sleep of the pool: a limit of weeks or years (``--record-timeout 1e9``,
#: ``--max-latency 1e9``) is waited for in steps, as the system calls cannot sleep that long at once.
MAX_WAIT_SECONDS = 3600.0


def timed_out_message(seconds: float, setting: str = "--record-timeout") -> str:
    return (f"timed out after {seconds:g} s ({setting}); the worker was stopped and replaced; "
            "not repaired")


def time_budget(size: int, timeout: float | None) -> float | None:
    """Seconds a task of ``size`` characters (or bytes) may run: ``timeout`` per started
    :data:`TIMEOUT_UNIT_BYTES` (None: no limit)."""
    if not timeout:
        return None
    return timeout * max(1, math.ceil(size / TIMEOUT_UNIT_BYTES))


def item_size(item: WorkItem) -> int:
    payload = item.payload
    if isinstance(getattr(payload, "text", None), str):  # a block of a long text file
        return len(payload.text)
    if isinstance(payload, (bytes, bytearray, str)):
        return len(payload)
    if isinstance(payload, dict):
        return sum(len(v) for v in payload.values() if isinstance(v, (str, bytes)))
    return 0


def task_budget(items: list[WorkItem], timeout: float | None) -> float | None:
    """Seconds a task may run: the timeout per started :data:`TIMEOUT_UNIT_BYTES` of its text.

    A chunk of short records shares one timeout (their total is far below a unit), so a hung
    record is spotted after at most twice the timeout: once for its chunk, once alone.
    """
    return time_budget(sum(item_size(i) for i in items), timeout)


@dataclass
class _Task:
    seq: int  # chunk number: the output order
    part: int | None  # None: the whole chunk; i: item i of a chunk retried alone
    items: list[WorkItem]


@dataclass
class WorkerProcess:
    process: Any
    conn: Any
    ready: bool = False
    task: Any = None  # the _Task it holds (the Scrapy pool's: its job)
    started: float = field(default_factory=time.monotonic)

    def deadline(self, timeout: float | None) -> float | None:
        if not self.ready:
            return self.started + START_TIMEOUT
        if self.task is None:
            return None
        budget = task_budget(self.task.items, timeout)
        return None if budget is None else self.started + budget

    def send(self, task: _Task, data: bytes | None = None) -> None:
        """Send ``task`` (``data``: its items already pickled by :func:`pickled`)."""
        self.task = task
        self.started = time.monotonic()
        if data is None:
            self.conn.send(task.items)
        else:
            self.conn.send_bytes(data)

    def stop(self) -> None:
        """Kill the process (it may be stuck anywhere) and reap it."""
        try:
            self.process.kill()
        except (OSError, ValueError):
            pass
        self.process.join(timeout=10)
        self.conn.close()


#: How often a worker checks that its parent is still there (where the kernel cannot be asked to
#: kill it when the parent dies).
PARENT_POLL_SECONDS = 0.5


def die_with_parent(parent: int, kernel: bool = True) -> None:
    """End this worker when process ``parent`` goes, even while it is stuck in a record (in C
    code too): on Linux the kernel kills it (``PR_SET_PDEATHSIG``); elsewhere a thread polls
    the parent's pid. A parent killed outright (SIGKILL, the out-of-memory killer) runs no
    clean-up, and a stuck worker never reads the pipe whose end-of-file would tell it.

    ``kernel``: the worker was started from the parent's main thread. The kernel's signal comes
    when the *thread* that forked the worker ends, not the process: a worker started from another
    thread (a thread pool's, which may end while the parent goes on) relies on the poll alone."""
    if kernel and sys.platform.startswith("linux"):
        try:  # PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # gone already, before prctl
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="mtrepair-parent-watch").start()


def pickled(obj: Any) -> bytes:
    """``obj`` as :meth:`Connection.send` pickles it (the worker's ``recv()`` reads it back), so
    that a value that cannot be pickled is told apart from a pipe that broke."""
    return ForkingPickler.dumps(obj)


def unsendable_message(problem: str) -> str:
    return (f"this record cannot be sent to a worker process and back ({problem}): a field holds a value "
            "that cannot be pickled; not repaired (give plain values, or repair with one job and no timeout)")


def worker_main(conn, config: RepairConfig, options: Any, inherited: tuple = (),
                init: Callable[[RepairConfig, Any], None] = init_worker,
                handle: Callable[[Any], Any] = process_chunk, parent: int | None = None,
                kernel_guard: bool = True) -> None:
    """A worker: build the Repairer once (``init``), then answer tasks (``handle``: the batch's
    chunks of records by default) until the pipe closes or sends None.

    ``inherited``: the parent's ends of the pipes (this worker's and the others'), which a forked
    child holds copies of; closing them lets the pipe report end-of-file when the parent dies.
    ``parent``: the parent's pid; the worker dies with it (:func:`die_with_parent`, ``kernel_guard``:
    started from the parent's main thread), so that no worker outlives it, busy or idle.
    """
    if parent is not None:
        die_with_parent(parent, kernel_guard)
    for end in inherited:
        end.close()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's handler: a worker just stops
    try:
        try:
            init(config, options)
        except Exception as exc:  # reported by the parent, which re-raises it clearly
            conn.send(("init-error", f"{type(exc).__name__}: {exc}"))
            return
        conn.send(("ready", None))
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                raise
            except Exception as exc:  # read whole, but a value cannot be rebuilt here: the worker goes on
                conn.send(("unsendable", f"{type(exc).__name__}: {exc}"))
                continue
            if task is None:
                return
            result = handle(task)
            try:
                answer = pickled(("done", result))
            except Exception as exc:  # a value of a record that cannot be pickled here
                conn.send(("unsendable", f"{type(exc).__name__}: {exc}"))
                continue
            conn.send_bytes(answer)
    except (KeyboardInterrupt, EOFError, BrokenPipeError):
        return  # Ctrl-C reaches the whole process group; the parent reports it


def context():
    # fork starts workers fastest (modules imported, the parent's Repairer inherited);
    # spawn where fork does not exist.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def start_worker(ctx: Any, config: RepairConfig, options: Any, others: list[WorkerProcess],
                 init: Callable[[RepairConfig, Any], None] = init_worker,
                 handle: Callable[[Any], Any] = process_chunk) -> WorkerProcess:
    """Start one :func:`worker_main` process (``others``: the workers already running, whose pipe
    ends a forked child must close). It reports ready (or init-error) on its pipe first."""
    # A forked child would flush a copy of the parent's buffered output when it exits.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    parent_end, child_end = ctx.Pipe()
    inherited = (parent_end, *(w.conn for w in others if not w.conn.closed))
    from_main = threading.current_thread() is threading.main_thread()
    process = ctx.Process(target=worker_main, args=(child_end, config, options, inherited, init, handle, os.getpid(),
                                                    from_main),
                          daemon=True, name="mtrepair-worker")
    process.start()
    child_end.close()
    return WorkerProcess(process, parent_end)


def close_workers(workers: list[WorkerProcess]) -> None:
    """Ask the idle workers to exit, give them 2 s, then kill whatever is left (busy ones at once)."""
    for w in workers:
        if w.task is None and w.ready:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
    for w in workers:
        if w.process.is_alive() and w.task is None and w.ready:
            w.process.join(timeout=2)
        w.stop()


class WorkerPool:
    """``jobs`` watched worker processes; see the module docstring."""

    def __init__(self, config: RepairConfig, options: BatchOptions):
        self.config, self.options = config, options
        self.ctx = context()
        self.timeout = options.record_timeout
        self.workers: list[WorkerProcess] = []
        try:
            for _ in range(options.jobs):
                self.workers.append(self._start())
            while not all(w.ready for w in self.workers):
                self._wait_events(startup=True)
        except BaseException:
            self.close()
            raise

    # -- workers -----------------------------------------------------------------

    def _start(self) -> WorkerProcess:
        return start_worker(self.ctx, self.config, self.options, self.workers)

    def _failed_to_start(self, message: str) -> None:
        self.close()
        # Run the initializer here to raise the real, clearly phrased error (bad config, glossary...).
        init_worker(self.config, self.options)
        raise WorkerStartError(f"worker processes failed to start: {message}")

    def close(self) -> None:
        close_workers(self.workers)
        self.workers = []

    # -- the run -----------------------------------------------------------------

    def run(self, feed: "Feed | SyncFeed") -> Iterator[Outcome]:
        """One outcome per item of every chunk ``feed`` gives, in input order; each chunk is sent
        as soon as the feed gives it, and outcomes are yielded as soon as they are in order."""
        limit = max(1, self.options.jobs * self.options.pending_per_job)
        self._queue: deque[_Task] = deque()
        self._done: dict[int, list[Outcome]] = {}
        self._parts: dict[int, list[Outcome | None]] = {}
        next_seq = read_seq = 0
        # The input's own error (a generator that raises, a file that cannot be read on): raised
        # once every item read before it has its outcome, so that none of them is lost.
        failure: Exception | None = None
        try:
            while True:
                while failure is None and read_seq - next_seq < limit:
                    try:
                        chunk = feed.take(partial=self._idle())
                    except Exception as exc:
                        failure = exc
                        break
                    if chunk is None:
                        break
                    self._queue.append(_Task(read_seq, None, chunk))
                    read_seq += 1
                    self._dispatch()  # a worker starts on it while the next chunk is read
                while next_seq in self._done:
                    yield from self._done.pop(next_seq)
                    next_seq += 1
                if (failure is not None or feed.finished) and next_seq == read_seq:
                    if failure is not None:
                        raise failure
                    return
                self._dispatch()
                reading = failure is None and read_seq - next_seq < limit
                self._wait_events(feed=feed if reading else None)
        finally:
            self.close()

    def _idle(self) -> bool:
        """A worker is idle and no task waits for it: a partial chunk may go (see
        :mod:`mtrepair.batch.feed`); while the workers are busy, chunks fill."""
        return not self._queue and any(w.ready and w.task is None for w in self.workers)

    def _dispatch(self) -> None:
        for i, w in enumerate(self.workers):
            while w.ready and w.task is None and self._queue:
                task = self._queue.popleft()
                try:
                    data = pickled(task.items)
                except Exception as exc:  # a record holding a lock, a callback... (Python API)
                    self._unsendable(task, f"{type(exc).__name__}: {exc}")
                    continue
                try:
                    w.send(task, data)
                except (OSError, ValueError):
                    # It died while idle (the out-of-memory killer...): nobody watched its pipe, and
                    # the task never reached it. The task stays first in line for the replacement
                    # or another worker; it is not the task's fault.
                    w.task = None
                    self._queue.appendleft(task)
                    self._lost(i, WORKER_DIED, startup=False)
                    break

    def _unsendable(self, task: _Task, problem: str) -> None:
        """A task that cannot be pickled here or unpickled in the worker (``problem``): its records
        are sent one by one, and the one that cannot go gets its error record (its fields kept,
        made here)."""
        if len(task.items) > 1:
            self._split(task)
        else:
            self._finished(task, [failed(task.items[0], unsendable_message(problem), self.options)])

    def _split(self, task: _Task) -> None:
        """Retry each record of ``task`` alone, first in the queue (it holds the output back)."""
        self._parts[task.seq] = [None] * len(task.items)
        self._queue.extendleft(reversed([_Task(task.seq, i, [item]) for i, item in enumerate(task.items)]))

    def _wait_events(self, startup: bool = False, feed: "Feed | SyncFeed | None" = None) -> None:
        """Wait for a result, a death, the nearest deadline or (``feed``) input, and handle what
        happened (the caller takes the input)."""
        now = time.monotonic()
        deadlines = [d for d in (w.deadline(self.timeout) for w in self.workers) if d is not None]
        watched = [o for w in self.workers if w.task is not None or not w.ready
                   for o in (w.conn, w.process.sentinel)]
        if feed is not None:
            fd = feed.fileno()
            if fd is not None:
                watched.append(fd)
            due = feed.due() if self._idle() else None
            if due is not None:
                deadlines.append(due)
        wait_for = min(MAX_WAIT_SECONDS, max(0.0, min(deadlines) - now)) if deadlines else None
        ready = set(wait(watched, timeout=wait_for)) if watched else set()
        for i, w in enumerate(list(self.workers)):
            if w.conn in ready:
                try:
                    kind, payload = w.conn.recv()
                except (EOFError, OSError):
                    self._lost(i, WORKER_DIED, startup)
                    continue
                except Exception as exc:  # an answer that cannot be unpickled here
                    self._lost(i, unsendable_message(f"{type(exc).__name__}: {exc}"), startup)
                    continue
                if kind == "ready":
                    w.ready = True
                elif kind == "init-error":
                    self._failed_to_start(payload)
                elif kind == "unsendable":
                    task, w.task = w.task, None
                    self._unsendable(task, payload)
                else:
                    self._finished(w.task, payload)
                    w.task = None
            elif w.process.sentinel in ready:
                self._lost(i, WORKER_DIED, startup)
            else:
                deadline = w.deadline(self.timeout)
                if deadline is not None and time.monotonic() >= deadline:
                    if not w.ready:
                        self._failed_to_start(f"no worker ready after {START_TIMEOUT:g} s")
                    budget = task_budget(w.task.items, self.timeout) if w.task else 0
                    self._lost(i, timed_out_message(budget or 0, self.options.timeout_setting), startup)

    def _lost(self, index: int, message: str, startup: bool) -> None:
        """Worker ``index`` died or overran: replace it; retry or fail the task it held."""
        w = self.workers[index]
        if startup or not w.ready:
            self._failed_to_start("a worker process died while starting")
        task = w.task
        w.stop()
        self.workers[index] = self._start()
        if task is None:
            return
        if len(task.items) > 1:
            self._split(task)
        else:
            self._finished(task, [failed(task.items[0], message, self.options)])

    def _finished(self, task: _Task, outcomes: list[Outcome]) -> None:
        if task.part is None:
            self._done[task.seq] = outcomes
            return
        parts = self._parts[task.seq]
        parts[task.part] = outcomes[0]
        if all(p is not None for p in parts):
            self._done[task.seq] = list(parts)  # type: ignore[arg-type]
            del self._parts[task.seq]
