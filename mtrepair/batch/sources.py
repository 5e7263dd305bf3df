"""Input discovery: files, folders (recursive, glob filter) and ``-`` for standard input.

Discovery is eager over *names* only (cheap even for many files); contents are
read later, one input at a time, by :mod:`mtrepair.batch.readers`.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Sequence

from ..compression import read_head, split_suffix
from .options import BatchOptions, RECORD_FORMATS

#: Extensions that decide the input format when it is ``auto``.
SUFFIX_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
#: Files taken from folders when no --glob is given (others, e.g. images, are ignored). Every
#: pattern, given or default, also takes the compressed files of its names (see :func:`_matches`).
DEFAULT_FOLDER_GLOBS = ("*.txt", "*.text", "*.md", "*.jsonl", "*.ndjson", "*.csv", "*.parquet", "*.html", "*.htm", "*.xhtml")
#: Bytes read from the start of a plain file to recognise HTML.
HTML_SNIFF_BYTES = 1024
STDIN = "-"


@dataclass(frozen=True)
class InputSpec:
    """One input: a file, or standard input.

    ``rel`` is the name its output gets under ``--output-dir`` (the path relative
    to the folder it was found in, or the file's own name). ``fmt`` is one of
    text, html, jsonl, csv, parquet; ``error`` is set when the input cannot be
    used at all (it then produces one error record).
    """

    path: str
    name: str
    rel: str
    fmt: str
    error: str | None = None

    @property
    def is_records(self) -> bool:
        return self.fmt in RECORD_FORMATS


def looks_like_html(head: str) -> bool:
    """True when a text starts like an HTML page (doctype or <html>, after blanks and a BOM)."""
    h = head[:HTML_SNIFF_BYTES].lstrip("\ufeff \t\r\n").lower()
    if h.startswith("<?xml"):
        h = h[h.find("?>") + 2 :].lstrip() if "?>" in h else h
    return h.startswith("<!doctype html") or h.startswith("<html")


def sniff_html_file(path: str) -> bool:
    """Does the file (decompressed, when its magic bytes say it is compressed) start like a page?"""
    head = read_head(path, HTML_SNIFF_BYTES)
    return looks_like_html(head.decode("utf-8", errors="replace"))


def format_of(path: str, options: BatchOptions) -> str:
    """The input format of one file (or of standard input): by its extension, a compression suffix
    left out (``a.jsonl.gz`` is JSONL; whether it is compressed is read from its first bytes)."""
    if options.input_format != "auto":
        return options.input_format
    if path != STDIN:
        fmt = SUFFIX_FORMATS.get(Path(split_suffix(path)[0]).suffix.lower())
        if fmt is not None:
            return fmt
    return "html" if options.html else "text"


def _matches(rel: str, globs: Sequence[str]) -> bool:
    """Does a pattern match the file's name (its path, for a pattern with ``/``), or that name
    without a compression suffix (``*.jsonl`` takes ``a.jsonl.gz``, ``a.jsonl.bz2``...)?"""
    plain = split_suffix(rel)[0]
    for candidate in dict.fromkeys((rel, plain)):
        base = PurePosixPath(candidate).name
        for g in globs:
            target = candidate if "/" in g else base
            if fnmatch.fnmatch(target, g):
                return True
    return False


def _walk(folder: Path, exclude: Path | None) -> Iterable[Path]:
    """Files under ``folder`` in a stable (sorted) order, skipping hidden entries."""
    for root, dirs, files in os.walk(folder):
        root_path = Path(root)
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and not (exclude is not None and _same(root_path / d, exclude))
        )
        for f in sorted(files):
            if not f.startswith("."):
                yield root_path / f


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def discover(
    inputs: Sequence[str],
    options: BatchOptions,
    globs: Sequence[str] = (),
    exclude: str | None = None,
) -> list[InputSpec]:
    """Expand ``inputs`` (files, folders, ``-``) into input specs, in a stable order.

    Folders are searched recursively for files matching ``globs`` (default:
    :data:`DEFAULT_FOLDER_GLOBS`); hidden files and folders are skipped, and so is
    ``exclude`` (the output folder, when it lies inside an input folder). A
    missing or unreadable input becomes a spec with ``error`` set, so that it is
    reported as a failed record instead of being silently dropped.
    """
    specs: list[InputSpec] = []
    folder_globs = tuple(globs) or DEFAULT_FOLDER_GLOBS
    exclude_path = Path(exclude) if exclude else None
    for given in inputs or [STDIN]:
        if given == STDIN:
            specs.append(InputSpec(STDIN, "<stdin>", "stdin", format_of(STDIN, options)))
            continue
        p = Path(given)
        if p.is_dir():
            found = 0
            rels = sorted(f.relative_to(p).as_posix() for f in _walk(p, exclude_path))
            for rel in rels:  # sorted by relative path: the order does not depend on the file system
                if _matches(rel, folder_globs):
                    f = p / rel
                    specs.append(InputSpec(str(f), str(f), rel, format_of(str(f), options)))
                    found += 1
            if not found:
                specs.append(InputSpec(given, given, p.name or "input", "text",
                                       error=f"{given}: folder holds no file matching {', '.join(folder_globs)}"))
        elif p.exists():
            specs.append(InputSpec(given, given, p.name, format_of(given, options)))
        else:
            specs.append(InputSpec(given, given, p.name or "input", "text", error=f"{given}: no such file"))
    return specs


def output_name(spec: InputSpec, output_format: str) -> str:
    """The file name (relative to ``--output-dir``) that mirrors ``spec``.

    Records keep their name with a ``.jsonl`` suffix; documents keep their name in
    ``text`` format (an HTML page gives ``page.txt``), and get ``.json``, ``.jsonl``
    or ``.diff`` appended in the other formats. A compression suffix of the input name is kept
    last, and the output is written compressed the same way (``a.csv.gz`` -> ``a.jsonl.gz``,
    ``page.html.xz`` -> ``page.txt.xz``, ``a.txt.gz`` in json format -> ``a.txt.json.gz``).
    """
    plain, compressed = split_suffix(spec.rel)
    rel = PurePosixPath(plain)
    if spec.is_records:
        name = str(rel.with_suffix(".jsonl"))
    elif output_format == "text":
        name = str(rel.with_suffix(".txt")) if spec.fmt == "html" else str(rel)
    else:
        name = f"{rel}.{output_format}"
    return name + compressed


def check_output_collisions(specs: Sequence[InputSpec], output_format: str) -> str | None:
    """A message if two inputs would write the same file under ``--output-dir``."""
    seen: dict[str, str] = {}
    for s in specs:
        if s.error:
            continue
        out = output_name(s, output_format)
        if out in seen:
            return f"{seen[out]} and {s.name} would both be written to {out} in the output folder"
        seen[out] = s.name
    return None
