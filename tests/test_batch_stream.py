"""Streams: `mtrepair repair -` inside a live pipeline gives each record soon after it arrives.

The pipes below are kept open while the output is awaited: a record held back until a chunk of 16
fills or standard input closes never comes, and the test fails at its deadline (deadlines are
generous and polled, never a fixed sleep). Start-up (imports, glossary, worker processes) is paid
by the first record; the latency bound is asserted on a later one.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mtrepair import RepairConfig
from mtrepair.batch import BatchOptions, WorkItem, repair_records
from mtrepair.batch.feed import Feed

ROOT = Path(__file__).resolve().parents[1]
FAST = ["--model", "none", "--no-progress", "-q"]
#: Start-up of a run on a loaded machine (imports, glossary, worker processes): generous.
START_DEADLINE = 90.0
#: A record of a stream once the run is going: --max-latency (0.2 s) plus its repair (milliseconds).
LATENCY_DEADLINE = 5.0

SPUN = "Il a gardé à l'esprit que la société va bien."
CLEAN = [
    "Le conseil municipal a voté le budget mardi soir, après trois heures de débat.",
    "La maire a déclaré que les travaux commenceront en mars.",
    "Les habitants du quartier attendent la réouverture de la piscine depuis deux ans.",
    "« Nous tiendrons nos engagements », a assuré l'adjoint chargé des finances.",
]


def record(i: int, text: str) -> bytes:
    return (json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n").encode("utf-8")


class Run:
    """``mtrepair repair -`` with its standard input kept open; output lines are read by a thread
    into a queue, so that waiting for one has a deadline."""

    def __init__(self, *args: str, command: tuple[str, ...] = ("-m", "mtrepair")):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output flushed by mtrepair
        self.proc = subprocess.Popen([sys.executable, *command, "repair", "-", *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     cwd=ROOT, env=env)
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        self.errors: list[bytes] = []
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines), daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()

    @staticmethod
    def _pump(stream, lines: "queue.Queue[bytes | None]") -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    def _drain(self) -> None:
        self.errors.extend(self.proc.stderr)

    def send(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def next_line(self, deadline: float) -> bytes:
        """The next output line, waiting at most ``deadline`` seconds (the input stays open)."""
        try:
            line = self.lines.get(timeout=deadline)
        except queue.Empty:
            self.kill()
            raise AssertionError(f"no output within {deadline:g} s while the input was open "
                                 f"(the record was held back); stderr: {b''.join(self.errors)!r}") from None
        assert line is not None, f"the run ended early: {b''.join(self.errors)!r}"
        return line

    def finish(self, timeout: float = START_DEADLINE) -> tuple[int, list[bytes]]:
        """Close the input; the remaining lines and the exit code."""
        self.proc.stdin.close()
        rest: list[bytes] = []
        end = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.1, end - time.monotonic()))
            if line is None:
                break
            rest.append(line)
        return self.proc.wait(timeout=timeout), rest

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.mark.parametrize("mode", [["--jobs", "1"], ["--jobs", "2"], ["--record-timeout", "0"]],
                         ids=["jobs1-worker", "jobs2", "in-process"])
def test_each_record_of_a_slow_stream_comes_out_while_the_input_is_open(mode):
    """A record arriving on an open pipe is written (and flushed) without waiting for a chunk of 16
    or the end of the input; records keep the input order and none is lost."""
    run = Run("--input-format", "jsonl", *FAST, *mode)
    try:
        run.send(record(1, SPUN))
        first = json.loads(run.next_line(START_DEADLINE))
        assert first["id"] == 1 and first["changed"] is True
        assert "gardé à l'esprit" not in first["repaired_text"]
        for i, text in enumerate(CLEAN[:2], 2):
            sent = time.monotonic()
            run.send(record(i, text))
            out = json.loads(run.next_line(LATENCY_DEADLINE))
            assert out["id"] == i, "records keep the input order"
            assert out["changed"] is False and out["repaired_text"] == text, "clean text is left as it is"
            assert time.monotonic() - sent < LATENCY_DEADLINE
        run.send(record(4, CLEAN[2]) + record(5, SPUN) + record(6, CLEAN[3]))
        code, rest = run.finish()
    finally:
        run.kill()
    assert code == 0, b"".join(run.errors)
    assert [json.loads(line)["id"] for line in rest] == [4, 5, 6]


def test_a_csv_stream_comes_out_row_by_row():
    run = Run("--input-format", "csv", *FAST, "--jobs", "2")
    try:
        run.send("id,text\n".encode() + f'1,"{SPUN}"\n'.encode())
        first = json.loads(run.next_line(START_DEADLINE))
        assert first["id"] == "1" and first["changed"] is True
        run.send(f'2,"{CLEAN[0]}"\n'.encode())
        second = json.loads(run.next_line(LATENCY_DEADLINE))
        assert second["id"] == "2" and second["repaired_text"] == CLEAN[0]
        code, rest = run.finish()
    finally:
        run.kill()
    assert code == 0 and rest == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_slow_stream_gives_the_same_jsonl_as_the_same_input_at_once(jobs):
    """Chunks cut by the arrival of the input (partial chunks, several per burst) change nothing
    in the output: the same bytes, in the same order, as the input given in one go."""
    texts = [SPUN if i % 3 == 0 else CLEAN[i % len(CLEAN)] for i in range(40)]
    lines = [record(i, t) for i, t in enumerate(texts)]
    at_once = subprocess.run([sys.executable, "-m", "mtrepair", "repair", "-", "--input-format", "jsonl",
                              *FAST, "--jobs", jobs], input=b"".join(lines), capture_output=True, cwd=ROOT,
                             timeout=START_DEADLINE * 2)
    assert at_once.returncode == 0, at_once.stderr
    run = Run("--input-format", "jsonl", *FAST, "--jobs", jobs, "--max-latency", "0.05")
    try:
        out: list[bytes] = []
        for start in range(0, len(lines), 7):  # bursts of 7 records (not a chunk's 16), then a pause
            run.send(b"".join(lines[start:start + 7]))
            time.sleep(0.15)  # paces the input only; nothing is asserted after it
        code, rest = run.finish()
        out.extend(rest)
    finally:
        run.kill()
    assert code == 0, b"".join(run.errors)
    assert b"".join(out) == at_once.stdout
    assert len(out) == 40


def test_sigterm_and_ctrl_c_stop_a_run_whose_input_is_still_open():
    """The reader thread waits for input that never comes: SIGTERM (143) and Ctrl-C (130) still
    stop the run at once, with what was written kept and no fatal error at exit."""
    for sig, expected in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
        run = Run("--input-format", "jsonl", *FAST, "--jobs", "2")
        try:
            run.send(record(1, SPUN))
            assert json.loads(run.next_line(START_DEADLINE))["id"] == 1
            run.proc.send_signal(sig)
            code = run.proc.wait(timeout=30)
        finally:
            run.kill()
        errors = b"".join(run.errors).decode()
        assert code == expected, errors
        assert "Fatal Python error" not in errors and "Traceback" not in errors


STUCK_SCRIPT = r"""
import sys, time
from mtrepair.batch import process
from mtrepair.cli.main import main

real = process.process_item

def stuck(item, repairer, options):  # a record stuck in a worker (C code, an endless loop)
    if b"BLOQUE" in item.payload:
        time.sleep(3600)
    return real(item, repairer, options)

process.process_item = stuck
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="injects the stuck record into forked workers")
def test_a_worker_replaced_while_the_input_waits_starts_and_the_stream_goes_on():
    """A stuck record's worker is killed and a new one forked while the reader thread waits on the
    open standard input: the new worker starts (it does not wait for a lock the reader holds),
    the stuck record becomes an error record and the next ones are repaired."""
    run = Run("--input-format", "jsonl", *FAST, "--record-timeout", "1", command=("-c", STUCK_SCRIPT))
    try:
        run.send(record(1, "BLOQUE " + CLEAN[0]))
        stuck = json.loads(run.next_line(START_DEADLINE))
        assert stuck["id"] == 1 and "timed out" in stuck["error"] and stuck["text"] == "BLOQUE " + CLEAN[0]
        run.send(record(2, SPUN))
        after = json.loads(run.next_line(START_DEADLINE))  # the new worker had to start
        assert after["id"] == 2 and after["changed"] is True
        code, rest = run.finish()
    finally:
        run.kill()
    assert code == 1 and rest == []  # a failed record: exit 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_repair_records_yields_a_record_before_a_slow_generator_gives_the_next(jobs):
    """The Python API streams too: the first record comes out while the generator is still waiting
    (here, for the first record to come out: a buffering API would wait until the timeout)."""
    first_out = threading.Event()
    waited: list[bool] = []

    def slow():
        yield {"id": 1, "text": SPUN}
        waited.append(first_out.wait(timeout=30))
        yield {"id": 2, "text": CLEAN[0]}

    outputs = repair_records(slow(), RepairConfig(model="none"), jobs=jobs)
    first = next(outputs)
    first_out.set()
    rest = list(outputs)
    assert waited == [True], "the first record came out only after the generator gave the next one"
    assert first["id"] == 1 and first["changed"] is True
    assert [r["id"] for r in rest] == [2] and rest[0]["repaired_text"] == CLEAN[0]


def _row(i: int) -> WorkItem:
    return WorkItem(i, "<test>", "test", "jsonl", "row", i + 1, {"id": i, "text": CLEAN[i % len(CLEAN)]})


def _until(condition, deadline: float = 30.0) -> None:
    end = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < end, "the reader thread did not get there"
        time.sleep(0.01)


@pytest.mark.parametrize("latency", [0.0, 30.0])
def test_the_feed_sends_a_partial_chunk_only_to_an_idle_worker_after_the_latency(latency):
    """Three records, then the input goes silent (chunks of 4). Busy workers (``partial=False``)
    let the chunk fill; an idle worker gets it once its oldest record has waited ``max_latency``;
    the last record goes when the input ends, without waiting."""
    silent = threading.Event()

    def items():
        yield from (_row(i) for i in range(3))
        silent.wait(30)
        yield _row(3)

    feed = Feed(items(), max_records=4, max_chars=10**9, max_latency=latency)
    try:
        _until(lambda: feed.buffered == 3)
        assert feed.take(partial=False) is None, "a partial chunk left while the workers were busy"
        chunk = feed.take(partial=True)
        if latency:
            assert chunk is None, "a partial chunk left before its records waited max_latency"
            assert feed.due() is not None and feed.due() > time.monotonic() + 10
        else:
            assert [item.index for item in chunk] == [0, 1, 2]
        silent.set()
        taken: list = []
        _until(lambda: taken.append(feed.take(partial=False)) or taken[-1] is not None)
        last = taken[-1]
        assert [item.index for item in last] == ([3] if latency == 0 else [0, 1, 2, 3])  # full, or the end
        _until(lambda: feed.finished)
        assert feed.take(partial=True) is None
    finally:
        feed.close()


def test_the_feed_cuts_chunks_as_they_fill_and_keeps_at_most_one_buffered():
    pulled: list[int] = []

    def items():
        for i in range(10):
            pulled.append(i)
            yield _row(i)

    feed = Feed(items(), max_records=4, max_chars=10**9, max_latency=0.0)
    try:
        _until(lambda: feed.buffered == 4)
        time.sleep(0.05)  # gives the reader time to overrun the bound (it must not)
        assert len(pulled) == 4, "the reader read ahead of one chunk"
        chunks = []
        while not feed.finished:
            chunk = feed.take(partial=False)
            if chunk:
                chunks.append([item.index for item in chunk])
            time.sleep(0.005)
        assert chunks == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    finally:
        feed.close()


def test_a_reader_error_is_raised_by_the_pool_side():
    def items():
        yield _row(0)
        raise OSError("disque débranché")

    feed = Feed(items(), max_records=4, max_chars=10**9, max_latency=0.0)
    try:
        with pytest.raises(OSError, match="disque"):
            _until(lambda: feed.take(partial=True) and False)  # returns when take() raises, or fails
    finally:
        feed.close()


def test_max_latency_none_reads_the_iterable_in_the_calling_thread():
    """``max_latency=None``: an iterable bound to its thread (a database cursor) is never consumed
    from another one; chunks then wait until they are full, and the output is the same."""
    threads: set[str] = set()

    def rows():
        for i in range(20):
            threads.add(threading.current_thread().name)
            yield {"id": i, "text": CLEAN[i % len(CLEAN)]}

    opts = BatchOptions(jobs=2, max_latency=None, chunk_records=4)
    out = list(repair_records(rows(), RepairConfig(model="none"), options=opts))
    assert threads == {threading.current_thread().name}
    assert [r["id"] for r in out] == list(range(20))
    assert all(r["repaired_text"] == CLEAN[r["id"] % len(CLEAN)] for r in out)


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf")])
def test_a_bad_max_latency_is_refused(value, capsys):
    with pytest.raises(ValueError, match="max latency"):
        BatchOptions(max_latency=value)
    from mtrepair.cli.main import main

    assert main(["repair", "-", "--input-format", "jsonl", "--max-latency", str(value), *FAST]) == 1
    assert "--max-latency must be 0 or a number of seconds" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_workers_killed_while_idle_on_a_silent_stream_lose_no_record():
    """The out-of-memory killer takes the idle workers of a run waiting on its open input: the next
    records used to hit the dead worker's pipe, and the BrokenPipeError ended the run with exit 0
    and nothing written (taken for a closed stdout); now the workers are replaced and every record
    comes out."""
    from process_support import alive, children

    run = Run("--input-format", "jsonl", *FAST, "--jobs", "2")
    try:
        run.send(record(1, SPUN))
        assert json.loads(run.next_line(START_DEADLINE))["id"] == 1
        workers = children(run.proc.pid)
        assert len(workers) == 2, workers
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        _until(lambda: not any(map(alive, workers)))
        run.send(record(2, CLEAN[0]) + record(3, SPUN))
        second = json.loads(run.next_line(START_DEADLINE))
        assert second["id"] == 2 and second["repaired_text"] == CLEAN[0]
        code, rest = run.finish()
    finally:
        run.kill()
    assert code == 0, b"".join(run.errors)
    assert [json.loads(line)["id"] for line in rest] == [3]
    assert json.loads(rest[0])["changed"] is True


def test_repair_records_goes_on_when_its_idle_workers_are_killed():
    import multiprocessing

    out_first = threading.Event()

    def records():
        yield {"id": 0, "text": SPUN}
        assert out_first.wait(30)
        for worker in multiprocessing.active_children():
            worker.kill()
            worker.join(10)
        yield from ({"id": i, "text": CLEAN[i % len(CLEAN)]} for i in range(1, 4))

    outputs = repair_records(records(), RepairConfig(model="none"), jobs=2)
    got = [next(outputs)]
    out_first.set()
    got.extend(outputs)
    assert [r["id"] for r in got] == [0, 1, 2, 3]
    assert got[0]["changed"] is True and all("error" not in r for r in got)
    assert [r["repaired_text"] for r in got[1:]] == [CLEAN[i % len(CLEAN)] for i in range(1, 4)]


@pytest.mark.parametrize("seconds", ["1e7", "1e12"])
def test_a_max_latency_of_months_or_years_waits_for_full_chunks_or_the_end(seconds):
    """A huge --max-latency ('never send a partial chunk') used to end the run with 'internal
    error: OverflowError' as soon as a partial chunk waited for an idle worker: the record read was
    lost and nothing written. Now the partial chunk waits for the end of the input, as asked."""
    run = Run("--input-format", "jsonl", *FAST, "--jobs", "2", "--max-latency", seconds)
    try:
        run.send(record(1, SPUN))
        time.sleep(1.0)  # the partial chunk waits for an idle worker: the pool sleeps on its deadline
        assert run.proc.poll() is None, b"".join(run.errors)
        run.send(record(2, CLEAN[0]))
        code, rest = run.finish()
    finally:
        run.kill()
    assert code == 0, b"".join(run.errors)
    assert [json.loads(line)["id"] for line in rest] == [1, 2]


@pytest.mark.parametrize("args", [["--input-format", "jsonl", "--jobs", "2"], ["--input-format", "csv"],
                                  ["--input-format", "text", "--jobs", "2"], []],
                         ids=["jsonl-jobs2", "csv", "text-jobs2", "plain"])
def test_a_closed_standard_input_is_a_clear_error(args):
    """A run started with standard input closed (a daemon, cron, `<&-`): Python has no sys.stdin,
    and the run ended with 'internal error: AttributeError: NoneType has no attribute buffer' (a
    bug to report, exit 70); now it says that standard input is closed, exit 1."""
    proc = subprocess.run([sys.executable, "-m", "mtrepair", "repair", "-", *args, *FAST[:-1]],
                          preexec_fn=lambda: os.close(0), capture_output=True, cwd=ROOT, timeout=START_DEADLINE)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "<stdin>: cannot read: standard input is closed" in err
    assert "internal error" not in err and "Traceback" not in err
    if args and args[1] in ("jsonl", "csv"):  # an error record on the record stream says it too
        assert "standard input is closed" in json.loads(proc.stdout)["error"]
