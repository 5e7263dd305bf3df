"""mtrepair's on-disk cache: where it lives, and checked, atomic files in it.

Several start-up costs are paid once per machine instead of once per process by keeping a
derived copy on disk: parsed glossary files (JSON), simplemma's decoded French dictionary, the
wordfreq frequencies the n-gram model and the entity pass's language test ask for, the
gazetteer's embedding matrix. Each copy is
plain data (never pickle), keyed by a hash of everything it is derived from, so a new version of
a library or of mtrepair never reads a stale copy, and any failure (cache off, read-only home,
a file cut short or corrupt) silently falls back to computing the value again.

Location: ``$MTREPAIR_CACHE_DIR`` if set (``off``, ``0``, ``no``, ``false`` or empty switch the
cache off), else ``$XDG_CACHE_HOME/mtrepair``, else ``~/.cache/mtrepair``; each user of the
cache has its own sub-folder.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from pathlib import Path

#: Environment variable naming the cache folder ("off" or "" disables the cache).
ENV = "MTREPAIR_CACHE_DIR"
_OFF = ("", "off", "0", "no", "false")


def folder(sub: str) -> Path | None:
    """The cache sub-folder ``sub`` (not created here), or ``None`` when the cache is off."""
    raw = os.environ.get(ENV)
    if raw is not None:
        return None if raw.strip().lower() in _OFF else Path(raw) / sub
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mtrepair" / sub


def read_checked(path: Path, tag: bytes) -> bytes | None:
    """The body of a file written by :func:`write_checked` with the same ``tag``, or ``None``
    when it is missing, of another format, cut short or altered (its sha256 is checked)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    header, sep, body = raw.partition(b"\n")
    if not sep:
        return None
    head, _, rest = header.rpartition(b" ")
    tag_read, _, size = head.rpartition(b" ")
    if tag_read != tag or not size.isdigit() or int(size) != len(body):
        return None
    if hashlib.sha256(body).hexdigest().encode() != rest:
        return None
    return body


def write_atomic(path: Path, data: bytes) -> bool:
    """Store ``data`` at ``path`` through a temporary file in the same folder and a rename, so a
    reader never sees a partial file. Never raises: ``False`` (and no temporary file left) when it
    could not (read-only folder, disk full)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return True
    except Exception:  # noqa: BLE001 - a cache must never break the work it speeds up
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


def write_checked(path: Path, tag: bytes, body: bytes, *, stale: str | None = None) -> bool:
    """Store ``body`` at ``path`` atomically (:func:`write_atomic`) behind a header with
    ``tag``, its size and its sha256; with ``stale``, remove the other files of the folder that
    match that glob (copies for other versions). Never raises: ``False`` when it could not."""
    if b"\n" in tag:
        return False
    header = b"%s %d %s\n" % (tag, len(body), hashlib.sha256(body).hexdigest().encode())
    if not write_atomic(path, header + body):
        return False
    if stale:
        for old in path.parent.glob(stale):
            if old != path:
                try:
                    old.unlink()
                except OSError:
                    pass
    return True


def package_files_digest(package: str, names: tuple[str, ...], *parts: bytes) -> str | None:
    """sha256 (hex) of ``parts`` and of the files ``names`` of the installed ``package`` (a file
    that is missing counts as such): the key of a copy derived from that package's code and data,
    cheaper than asking its version (which imports ``importlib.metadata``) and stricter. ``None``
    when the package is not installed."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(list(spec.submodule_search_locations)[0])
    h = hashlib.sha256(parts[0] if parts else b"")
    for part in parts[1:]:
        h.update(b"\0" + part)
    for name in names:
        try:
            h.update(b"\0" + name.encode() + b"\0" + (root / name).read_bytes())
        except OSError:
            h.update(b"\0" + name.encode() + b"\0missing")
    return h.hexdigest()
