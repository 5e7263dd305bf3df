"""The Glossary: entries from shipped and user files, compiled once, matched fast."""

from __future__ import annotations

import fnmatch
import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..config import RepairConfig
from ..document import Document
from .engine import Matcher, apostrophe_style, block_start_above, position_ok, realise_hit, slots_ok
from .loader import read_file
from .model import Entry, GlossaryError, GlossaryMatch

SHIPPED_PACKAGE = "mtrepair.glossary_files"
SHIPPED_DIR = "fr"
#: Display prefix of shipped files in sources and messages.
SHIPPED_DISPLAY = "glossary/fr"


def shipped_files() -> list[tuple[Path, str]]:
    """(path, display name) of the shipped glossary files, sorted."""
    try:
        root = resources.files(SHIPPED_PACKAGE).joinpath(SHIPPED_DIR)
    except ModuleNotFoundError:  # pragma: no cover - broken install
        return []
    out = []
    for item in sorted(root.iterdir(), key=lambda p: p.name):
        if item.name.endswith((".yaml", ".yml")) and item.is_file():
            out.append((Path(str(item)), f"{SHIPPED_DISPLAY}/{item.name}"))
    return out


def user_files(paths) -> tuple[list[tuple[Path, str]], list[GlossaryError]]:
    out, problems = [], []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file())
            if not found:
                problems.append(GlossaryError(str(p), None, "folder holds no .yaml glossary file"))
            out.extend((q, str(q)) for q in found)
        elif p.is_file():
            out.append((p, str(p)))
        else:
            problems.append(GlossaryError(str(p), None, "no such glossary file or folder"))
    return out, problems


def is_disabled(entry_id: str, disabled: tuple[str, ...]) -> bool:
    return any(entry_id == d or (("*" in d or "?" in d) and fnmatch.fnmatchcase(entry_id, d)) for d in disabled)


@dataclass(frozen=True)
class LoadReport:
    files: tuple[str, ...]
    problems: tuple[GlossaryError, ...]


class Glossary:
    """Entries plus their compiled automaton (built on first use)."""

    def __init__(self, entries: list[Entry], problems: list[GlossaryError] | None = None,
                 files: tuple[str, ...] = ()) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        #: Problems met while loading (bad user files, invalid entries): each ``file:line: reason``.
        self.problems: tuple[GlossaryError, ...] = tuple(problems or ())
        self.files = files
        self.by_id = {e.id: e for e in self.entries}
        self._matcher: Matcher | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_lock"] = None
        state["_matcher"] = None  # rebuilt on first use in the other process
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            with self._lock:
                if self._matcher is None:
                    self._matcher = Matcher(list(self.entries))
        return self._matcher

    def compile(self) -> "Glossary":
        self.matcher  # noqa: B018 - build now
        return self

    def match(self, doc: Document | str, *, all_matches: bool = False,
              only: set[str] | frozenset[str] | None = None) -> list[GlossaryMatch]:
        """Matches in ``doc``, sorted by start.

        Overlaps are resolved by precedence (longer match in tokens, then user
        file over shipped file, then higher confidence, then earlier start)
        unless ``all_matches``. ``only`` restricts to some entry ids.
        """
        if isinstance(doc, str):
            doc = Document(doc)
        cacheable = not all_matches and only is None and isinstance(getattr(doc, "_cache", None), dict)
        key = ("mtrepair.glossary", id(self))
        if cacheable:
            got = doc._cache.get(key)
            if got is not None and got[0] == doc.text:
                return list(got[1])
        result = self._match(doc, all_matches, only)
        if cacheable:
            doc._cache[key] = (doc.text, tuple(result))
        return result

    def _match(self, doc: Document, all_matches: bool, only) -> list[GlossaryMatch]:
        text = doc.text
        tokens = self.matcher.tokens_of(text, doc)
        words = tokens.words
        hits = self.matcher.hits(words)
        cands = []
        context_ok = self.matcher.context_ok
        for c, i, j in hits:
            if only is not None and c.entry.id not in only:
                continue
            if context_ok(c.entry, words, i, j):
                cands.append((c, i, j))
        if not cands:
            return []
        toks = tokens.spans
        cands = [h for h in cands if position_ok(h[0].entry, toks, h[1], h[2], text)
                 and slots_ok(h[0], toks, h[1], h[2], text)]
        if not cands:
            return []
        cands.sort(key=lambda h: (-(h[2] - h[1]), -h[0].entry.rank, -h[0].entry.confidence, h[1], h[0].entry.id))
        apostrophe = apostrophe_style(text)
        # Boilerplate matches (used by the boilerplate pass) and the others (the
        # glossary pass) are two layers: overlaps are resolved within a layer only.
        kept: list[GlossaryMatch] = []
        # Per layer, the token ranges and character spans already kept (disjoint within a layer):
        # overlap queries by bisection, so many hits on a long document stay O(n log n).
        used_tokens = {False: _Disjoint(), True: _Disjoint()}
        used_chars = {False: _Disjoint(), True: _Disjoint()}
        seen = set()
        for c, i, j in cands:
            layer = c.entry.category == "boilerplate"
            if not all_matches and used_tokens[layer].overlaps(i, j):
                continue
            if (c.entry.id, i, j) in seen:
                continue
            m = realise_hit(c, i, j, toks, doc, apostrophe)
            if not all_matches and used_chars[layer].overlaps(m.start, m.end):
                continue
            seen.add((c.entry.id, i, j))
            kept.append(m)
            used_tokens[layer].add(i, j)
            used_chars[layer].add(m.start, m.end)
        if any(m.entry.context.position == "block-start" for m in kept):
            # the line above a block-start match must be blank or removed boilerplate
            bpl = [(m.start, m.end) for m in kept if m.entry.category == "boilerplate"
                   and m.entry.context.position != "block-start"]
            kept = [m for m in kept if m.entry.context.position != "block-start"
                    or block_start_above(m.start, bpl, text)]
        kept.sort(key=lambda m: (m.start, m.end, m.entry.id))
        return kept


def _stat(path: Path):
    try:
        st = path.stat()
        return (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return (str(path), None, None)


def load_glossary(config: RepairConfig | None = None) -> Glossary:
    """The glossary for ``config`` (shipped files, then user files), cached.

    The cache key holds the config's glossary settings and each file's
    modification time and size, so an edited user file is reloaded. Problems
    are collected in ``Glossary.problems``; a bad user file never disables the
    shipped glossary.
    """
    config = config or RepairConfig()
    files = shipped_files() if config.builtin_glossary else []
    ufiles, uproblems = user_files(config.glossary_paths)
    key = (
        tuple(_stat(p) for p, _ in files),
        tuple(_stat(p) for p, _ in ufiles),
        tuple(str(e) for e in uproblems),
        config.disabled_rules,
    )
    return _load_cached(key, tuple(files), tuple(ufiles), tuple(uproblems), config.disabled_rules)


@lru_cache(maxsize=16)
def _load_cached(_key, files, ufiles, uproblems, disabled) -> Glossary:
    return build_glossary(list(files), list(ufiles), list(uproblems), disabled)


def build_glossary(files, ufiles, problems, disabled=()) -> Glossary:
    problems = list(problems)
    chosen: dict[str, Entry] = {}
    names = []
    for rank, group in ((0, files), (1, ufiles)):
        layer: dict[str, Entry] = {}
        for path, display in group:
            names.append(display)
            entries, errs = read_file(path, display, family_default="user-defined" if rank else None, rank=rank)
            problems.extend(errs)
            for e in entries:
                if e.id in layer:
                    first = layer[e.id]
                    problems.append(GlossaryError(e.path, e.line, f"duplicate id {e.id} (first defined at {first.where})"))
                    continue
                layer[e.id] = e
        chosen.update(layer)  # user entries replace shipped ones with the same id
    entries = [e for e in chosen.values() if not is_disabled(e.id, tuple(disabled))]
    return Glossary(entries, problems, tuple(names))


def load_paths(paths, *, include_shipped: bool = False, disabled=()) -> Glossary:
    """Load specific files/folders (for tools and tests), uncached."""
    ufiles, problems = user_files(paths)
    files = shipped_files() if include_shipped else []
    return build_glossary(files, ufiles, problems, disabled)


class _Disjoint:
    """Disjoint half-open ranges; ``overlaps(a, b)`` is ``any(a < end and start < b)`` over them.

    Non-empty ranges are kept sorted (their ends are then sorted too, being disjoint), so a query
    looks at one neighbour; empty ranges (rare) are checked one by one.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.empty: list[int] = []

    def overlaps(self, a: int, b: int) -> bool:
        if any(a < x < b for x in self.empty):
            return True
        if a >= b:
            return any(a < e and s < b for s, e in zip(self.starts, self.ends))
        p = bisect_left(self.starts, b)
        return p > 0 and self.ends[p - 1] > a

    def add(self, a: int, b: int) -> None:
        if a >= b:
            self.empty.append(a)
            return
        p = bisect_right(self.starts, a)
        self.starts.insert(p, a)
        self.ends.insert(p, b)
