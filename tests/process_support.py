"""Processes seen through /proc (Linux): the workers a process started, and whether one still runs."""

from __future__ import annotations

from pathlib import Path

def _stat_fields(pid_dir: Path) -> list[str]:
    # The command name (in parentheses) may hold spaces: the fields after it are split safely.
    return (pid_dir / "stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> set[int]:
    """The pids whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = _stat_fields(entry)
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Is ``pid`` running (not gone, not a zombie)?"""
    try:
        return _stat_fields(Path(f"/proc/{pid}"))[0] != "Z"
    except OSError:
        return False


def survivors(pids: set[int], seconds: float) -> list[int]:
    """The ``pids`` still running after waiting up to ``seconds`` for them all to go."""
    import time

    deadline = time.monotonic() + seconds
    while any(map(alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


def orphans_after_sigkill(proc, workers: set[int], seconds: float = 5) -> list[int]:
    """Kill ``proc`` outright (no clean-up runs) and return its ``workers`` still running after
    ``seconds``: none, when they die with their parent."""
    import os
    import signal

    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    return survivors(workers, seconds)
