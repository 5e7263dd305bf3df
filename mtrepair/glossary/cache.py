"""On-disk cache of parsed glossary files (so loading skips YAML parsing).

Entries are stored as JSON (plain data, never executable), one file per
version of each glossary file.

Location: ``$MTREPAIR_CACHE_DIR`` if set (``off`` or empty disables the
cache), else ``$XDG_CACHE_HOME/mtrepair`` or ``~/.cache/mtrepair``. Keys hash
the file's bytes, how it is loaded, and the source code of the loader, so a
changed file or a new mtrepair version never reads a stale entry. Every
failure (read-only home, corrupt file) silently falls back to parsing.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import cache as shared_cache

#: Environment variable naming the cache folder ("off" or "" disables it).
ENV = shared_cache.ENV
#: Cached files kept (oldest removed first); one per version of each glossary file.
MAX_FILES = 64
_CODE_FILES = ("loader.py", "model.py", "pattern.py", "cache.py")


@lru_cache(maxsize=1)
def _code_hash() -> str:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()


def folder() -> Path | None:
    """The glossary's folder of mtrepair's cache (:mod:`mtrepair.cache`), ``None`` when off."""
    return shared_cache.folder("glossary")


def key(data: bytes, *parts: str) -> str:
    h = hashlib.sha256(data)
    for p in (_code_hash(),) + parts:
        h.update(b"\0" + p.encode("utf-8"))
    return h.hexdigest()[:40]


def get(k: str) -> Any:
    d = folder()
    if d is None:
        return None
    try:
        with open(d / f"{k}.json", "r", encoding="utf-8") as fh:
            return json.load(fh)
    except Exception:  # noqa: BLE001 - missing or corrupt: parse instead
        return None


def put(k: str, value: Any) -> None:
    d = folder()
    if d is None:
        return
    try:
        data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError):  # a cache must never break loading
        return
    if shared_cache.write_atomic(d / f"{k}.json", data):
        _prune(d)


def _prune(d: Path) -> None:
    files = sorted(d.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in files[: max(0, len(files) - MAX_FILES)]:
        try:
            old.unlink()
        except OSError:
            pass
