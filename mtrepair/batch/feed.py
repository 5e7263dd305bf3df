"""Chunks for the worker pool, cut from the input as it arrives (``--max-latency``).

A chunk of records amortises the cost of sending work to a worker process, but a record read
from a slow stream (``kafkacat ... | mtrepair repair -``) must not wait for fifteen others that
may come minutes later, nor for standard input to close. :class:`Feed` reads the work items in a
background thread into a buffer of at most one chunk. The pool takes a chunk from it when the
chunk is full or the input has ended, and a partial chunk only when a worker is idle with nothing
queued for it, once the oldest record in it has waited ``max_latency`` seconds (``0``: at once,
with the records read by then). While the workers are busy a partial chunk stays in the buffer,
where it can still fill: a bulk input (which keeps the workers busy) is sent in full chunks, as
when it was read synchronously, and a slow stream (which leaves them idle) record by record.
The pool sleeps on the feed's :meth:`Feed.fileno` together with its workers' pipes, so results
keep being written while the input is silent.

Memory stays bounded: the reader stops when the buffer holds a chunk (``max_records`` items or
``max_chars`` characters), the pool holds at most ``jobs × pending_per_job`` chunks.

:class:`SyncFeed` (``max_latency=None``, Python API only) reads in the calling thread: a chunk
waits until it is full or the input ends, and an iterable that must stay in its own thread (a
database cursor) is never touched from another one.

The reader thread is a daemon: an interrupted run does not wait for a read that may never return.
It never holds a lock the worker processes need (standard input is read through a private file
object, see :func:`mtrepair.batch.readers.stdin_binary`), so forking a replacement worker while
it waits for input is safe.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from typing import Iterable, Iterator

from .readers import WorkItem


def item_chars(item: WorkItem) -> int:
    """The size a chunk is measured by: characters of a block, bytes of a line or a document,
    1000 for a parsed row."""
    payload = item.payload
    if item.kind == "block":
        return len(payload.text)
    return len(payload) if isinstance(payload, (bytes, str)) else 1000


def chunked(items: Iterable[WorkItem], max_records: int, max_chars: int) -> Iterator[list[WorkItem]]:
    """Chunks of ``items`` in the calling thread: each is closed at ``max_records`` items or
    ``max_chars`` characters, or at the end of the input."""
    chunk: list[WorkItem] = []
    size = 0
    try:
        for item in items:
            chunk.append(item)
            size += item_chars(item)
            if len(chunk) >= max_records or size >= max_chars:
                yield chunk
                chunk, size = [], 0
    except Exception:
        if chunk:  # the items read before the input failed are repaired first; then it raises
            yield chunk
        raise
    if chunk:
        yield chunk


class SyncFeed:
    """Chunks read in the calling thread when the pool asks for one (blocking until it is full)."""

    def __init__(self, items: Iterable[WorkItem], max_records: int, max_chars: int):
        self._chunks = chunked(items, max_records, max_chars)
        self.finished = False

    def take(self, partial: bool = False) -> list[WorkItem] | None:  # noqa: ARG002 - chunks are always full
        if self.finished:
            return None
        chunk = next(self._chunks, None)
        self.finished = chunk is None
        return chunk

    def fileno(self) -> int | None:
        return None

    def due(self) -> float | None:
        return None

    def close(self) -> None:
        self.finished = True


class Feed:
    """Work items read in a background thread; chunks taken by the pool without blocking."""

    def __init__(self, items: Iterable[WorkItem], max_records: int, max_chars: int, max_latency: float):
        self.max_records, self.max_chars = max(1, max_records), max_chars
        self.max_latency = max_latency
        self._cond = threading.Condition()
        self._buffer: deque[tuple[WorkItem, float]] = deque()  # (item, monotonic time it was read)
        self._chars = 0
        self._ended = False  # the input is exhausted (everything read is in the buffer)
        self._error: BaseException | None = None
        self._closed = False
        # A byte in this pipe wakes the pool's wait(): the first record of a chunk, a full chunk,
        # the end of the input or an error.
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._thread = threading.Thread(target=self._read, args=(iter(items),), daemon=True,
                                        name="mtrepair-reader")
        self._thread.start()

    # -- the reader thread ---------------------------------------------------------

    def _full(self) -> bool:
        return len(self._buffer) >= self.max_records or self._chars >= self.max_chars

    def _signal(self) -> None:
        """Wake the pool (called with the lock held, so the pipe is not closed under us)."""
        if self._closed:
            return
        try:
            os.write(self._wake_w, b"!")
        except BlockingIOError:
            pass  # the pipe is full of wake-ups already: the pool will wake

    def _read(self, items: Iterator[WorkItem]) -> None:
        try:
            while True:
                with self._cond:
                    while self._full() and not self._closed:
                        self._cond.wait()
                    if self._closed:
                        return
                item = next(items, None)
                with self._cond:
                    if item is None:
                        self._ended = True
                        self._signal()
                        return
                    self._buffer.append((item, time.monotonic()))
                    self._chars += item_chars(item)
                    if len(self._buffer) == 1 or self._full():
                        self._signal()
        except BaseException as exc:  # handed to the pool, which raises it in the main thread
            with self._cond:
                self._error = exc
                self._signal()
        finally:
            close = getattr(items, "close", None)
            if close is not None:  # a run stopped early: the readers close their files
                try:
                    close()
                except Exception:
                    pass

    # -- the pool's side -----------------------------------------------------------

    def fileno(self) -> int | None:
        """A file descriptor that is readable when :meth:`take` may have something new."""
        return None if self.finished else self._wake_r

    @property
    def buffered(self) -> int:
        """Items read and not taken yet."""
        with self._cond:
            return len(self._buffer)

    @property
    def finished(self) -> bool:
        """Everything was read and taken."""
        with self._cond:
            return self._ended and not self._buffer

    def due(self) -> float | None:
        """When the partial chunk in the buffer may go to an idle worker (monotonic time), or None."""
        with self._cond:
            if not self._buffer:
                return None
            return self._buffer[0][1] + self.max_latency

    def take(self, partial: bool = False) -> list[WorkItem] | None:
        """The next chunk if it is full or the last one, or (``partial``: a worker is idle) if its
        oldest record has waited ``max_latency``; else None. Raises what the reader raised, once
        the items read before it have all been taken."""
        try:
            while os.read(self._wake_r, 4096):
                pass
        except (BlockingIOError, OSError):
            pass
        with self._cond:
            if not self._buffer:
                if self._error is not None:  # raised once everything read before it was taken
                    raise self._error
                return None
            due = partial and time.monotonic() >= self._buffer[0][1] + self.max_latency
            if not (self._ended or self._error is not None or self._full() or due):
                return None
            chunk: list[WorkItem] = []
            size = 0
            while self._buffer and len(chunk) < self.max_records and size < self.max_chars:
                item, _ = self._buffer.popleft()
                chars = item_chars(item)
                chunk.append(item)
                size += chars
                self._chars -= chars
            self._cond.notify_all()
            return chunk

    def close(self) -> None:
        """Stop the reader at its next item (it may be waiting for input: it is not joined) and
        close the wake-up pipe."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
            for fd in (self._wake_r, self._wake_w):
                try:
                    os.close(fd)
                except OSError:
                    pass
        if self._ended or self._error is not None:
            self._thread.join(timeout=1)  # its last moments: closing the input
