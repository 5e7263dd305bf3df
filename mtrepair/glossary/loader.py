"""Read glossary YAML files into :class:`Entry` objects with file:line errors.

Files are parsed with PyYAML's SafeLoader (the C version when libyaml is
present) through the compose API, so every entry and every field keeps its
line number. Problems never raise from here: they are returned as
:class:`GlossaryError` objects so that one bad entry (or one bad user file)
does not hide the others.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import yaml

from . import cache
from . import pattern as pat
from .model import (
    CATEGORIES,
    DEFAULT_WINDOW,
    FAMILIES,
    MODES,
    POSITIONS,
    SCOPES,
    Context,
    Entry,
    GlossaryError,
)
from ..tokens import normalise, tokenize_phrase

_TAG = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
        yaml.MappingNode: "tag:yaml.org,2002:map"}

try:  # libyaml's parser/composer (much faster); line marks are kept either way
    from yaml.cyaml import CParser as _CParser

    class _Loader(_CParser, yaml.constructor.SafeConstructor, yaml.resolver.BaseResolver):  # type: ignore[misc]
        """Safe loading with libyaml, without PyYAML's per-scalar implicit tag
        resolution (the slowest part): plain scalars are typed by :func:`_plain`."""

        def __init__(self, stream) -> None:
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)

        def resolve(self, kind, value, implicit):  # noqa: D102
            return _TAG[kind]
    _PLAIN_TYPED = True
except (ImportError, AttributeError):  # pragma: no cover - no libyaml: the pure-Python safe loader
    _Loader = yaml.SafeLoader
    _PLAIN_TYPED = False

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _plain(text: str):
    """YAML's implicit types for a plain (unquoted) scalar: null, booleans, numbers, else str."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    low = text.lower()
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    if _NUMBER.fullmatch(text):
        return float(text) if any(c in text for c in ".eE") else int(text)
    return text

ENTRY_KEYS = frozenset(
    "id pattern replace category confidence mode gender number context scope example expect counter note".split()
)
CONTEXT_KEYS = frozenset("window require forbid position topic same-case preceded-by".split())
FILE_KEYS = frozenset("family prefix entries".split())
MAX_WINDOW = 50
_STR = "tag:yaml.org,2002:str"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping(node: yaml.Node, path: str, errors: list[GlossaryError], what: str) -> dict[str, tuple[Any, yaml.Node]] | None:
    if not isinstance(node, yaml.MappingNode):
        errors.append(GlossaryError(path, _line(node), f"{what} must be a mapping"))
        return None
    out: dict[str, tuple[Any, yaml.Node]] = {}
    for knode, vnode in node.value:
        key = knode.value if isinstance(knode, yaml.ScalarNode) else None
        if not isinstance(key, str):
            errors.append(GlossaryError(path, _line(knode), f"{what}: keys must be strings"))
            continue
        if key in out:
            errors.append(GlossaryError(path, _line(knode), f"{what}: duplicate key {key!r}"))
        out[key] = (None, vnode)
    return out


class _Builder:
    """Turns YAML nodes into Python values (safe constructor) with line info."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._ctor = yaml.constructor.SafeConstructor()

    def value(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return _plain(node.value) if (_PLAIN_TYPED and not node.style) else node.value
            return self._ctor.construct_object(node, deep=True)
        if isinstance(node, yaml.SequenceNode) and node.tag == _TAG[yaml.SequenceNode]:
            return [self.value(n) for n in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == _TAG[yaml.MappingNode]:
            return {self.value(k): self.value(v) for k, v in node.value}
        # Any explicit tag goes to the safe constructor, which refuses python/* tags.
        return self._ctor.construct_object(node, deep=True)


def read_file(path: str | Path, display: str | None = None, family_default: str | None = None,
              rank: int = 0) -> tuple[list[Entry], list[GlossaryError]]:
    """Parse one glossary file. Returns (valid entries, problems).

    A file that parses without problems is kept in the on-disk cache (see
    :mod:`.cache`), keyed by its bytes and the loader's code, so the next
    process loads it without parsing YAML.
    """
    shown = display or str(path)
    try:
        data = Path(path).read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [GlossaryError(shown, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return [], [GlossaryError(shown, None, f"cannot read: {exc.strerror or exc}")]
    key = cache.key(data, shown, str(family_default), str(rank))
    got = cache.get(key)
    if got is not None:
        try:
            return [_entry_from_json(d) for d in got], []
        except (TypeError, KeyError, ValueError):
            pass  # an unexpected cache content: parse instead
    entries, errors = parse_text(text, shown, family_default=family_default, rank=rank)
    if not errors:
        cache.put(key, [_entry_to_json(e) for e in entries])
    return entries, errors


def _entry_to_json(e: Entry) -> dict:
    d = dataclasses.asdict(e)
    d["context"] = dataclasses.asdict(e.context)
    return d


def _entry_from_json(d: dict) -> Entry:
    ctx = d["context"]
    fields = dict(d)
    fields["context"] = Context(window=int(ctx["window"]), require=tuple(ctx["require"]),
                                forbid=tuple(ctx["forbid"]), position=ctx["position"],
                                topic=tuple(ctx.get("topic", ())), same_case=bool(ctx.get("same_case", False)),
                                preceded_by=tuple(ctx.get("preceded_by", ())))
    fields["replace"] = tuple(d["replace"])
    fields["counter"] = tuple(d["counter"])
    return Entry(**fields)


def parse_text(text: str, path: str, family_default: str | None = None,
               rank: int = 0) -> tuple[list[Entry], list[GlossaryError]]:
    errors: list[GlossaryError] = []
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return [], [GlossaryError(path, line, f"invalid YAML: {exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return [], [GlossaryError(path, None, f"invalid YAML: {exc}")]
    if root is None:
        return [], [GlossaryError(path, 1, "empty glossary file")]
    top = _mapping(root, path, errors, "file")
    if top is None:
        return [], errors
    b = _Builder(path)
    for key, (_, node) in top.items():
        if key not in FILE_KEYS:
            errors.append(GlossaryError(path, _line(node), f"unknown top-level key {key!r} (expected family, prefix, entries)"))
    family = b.value(top["family"][1]) if "family" in top else family_default
    if family is None:
        errors.append(GlossaryError(path, 1, "missing 'family'"))
        return [], errors
    if family not in FAMILIES:
        errors.append(GlossaryError(path, _line(top["family"][1]), f"unknown family {family!r}; choose among {', '.join(FAMILIES)}"))
        return [], errors
    if "prefix" not in top:
        errors.append(GlossaryError(path, 1, "missing 'prefix'"))
        return [], errors
    prefix = b.value(top["prefix"][1])
    if not isinstance(prefix, str) or not prefix or "-" in prefix:
        errors.append(GlossaryError(path, _line(top["prefix"][1]), "'prefix' must be a word without '-'"))
        return [], errors
    if "entries" not in top:
        errors.append(GlossaryError(path, 1, "missing 'entries'"))
        return [], errors
    seq = top["entries"][1]
    if not isinstance(seq, yaml.SequenceNode):
        errors.append(GlossaryError(path, _line(seq), "'entries' must be a list"))
        return [], errors
    entries = []
    for node in seq.value:
        entry = _entry(node, b, path, family, prefix, rank, errors)
        if entry is not None:
            entries.append(entry)
    return entries, errors


def _strings(value: Any, field: str, allow_empty_item: bool = False) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{field}' must be a string or a list of strings")
    if not allow_empty_item and any(not v.strip() for v in value):
        raise ValueError(f"'{field}' has an empty item")
    return tuple(value)


def _entry(node: yaml.Node, b: _Builder, path: str, family: str, prefix: str, rank: int,
           errors: list[GlossaryError]) -> Entry | None:
    fields = _mapping(node, path, errors, "entry")
    if fields is None:
        return None
    line = _line(node)
    bad = len(errors)

    def err(key: str | None, msg: str) -> None:
        where = _line(fields[key][1]) if key and key in fields else line
        errors.append(GlossaryError(path, where, msg))

    def get(key: str, default: Any = None) -> Any:
        if key not in fields:
            return default
        try:
            return b.value(fields[key][1])
        except yaml.YAMLError as exc:  # pragma: no cover - safe constructor on valid nodes
            err(key, f"bad value for {key!r}: {exc}")
            return default

    for key in fields:
        if key not in ENTRY_KEYS:
            err(key, f"unknown key {key!r}")
    eid = get("id")
    label = f"entry {eid}" if isinstance(eid, str) else "entry"
    if not isinstance(eid, str) or not eid:
        err("id", "missing or empty 'id'")
        eid = "?"
    elif not eid.startswith(prefix + "-") or len(eid) <= len(prefix) + 1:
        err("id", f"id {eid!r} must start with '{prefix}-'")
    pattern = get("pattern")
    if not isinstance(pattern, str) or not pattern.strip():
        err("pattern", f"{label}: missing or empty 'pattern'")
        pattern = ""
    else:
        try:
            pat.expand(pattern)
        except pat.PatternError as exc:
            err("pattern", f"{label}: bad pattern {pattern!r}: {exc}")
    replace: tuple[str, ...] = ()
    if "replace" not in fields:
        err(None, f"{label}: missing 'replace'")
    else:
        try:
            replace = _strings(get("replace"), "replace", allow_empty_item=True)
            if not replace:
                err("replace", f"{label}: 'replace' is empty")
            nslots = pat.slot_count(pattern) if pattern else 0
            for r in replace:
                refs = [m.group() for m in pat.SLOT_REF_RE.finditer(r) if not 1 <= int(m.group(1)) <= nslots]
                if refs:
                    err("replace", f"{label}: replacement {r!r} refers to {refs[0]} but the pattern has "
                                   f"{nslots} slot(s)")
        except ValueError as exc:
            err("replace", f"{label}: {exc}")
    category = get("category", "boilerplate" if family == "boilerplate" else "calque")
    if category not in CATEGORIES:
        err("category", f"{label}: unknown category {category!r}; choose among {', '.join(CATEGORIES)}")
    confidence = get("confidence")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        err("confidence" if "confidence" in fields else None, f"{label}: 'confidence' must be a number in [0, 1]")
        confidence = 0.0
    mode = get("mode", "auto")
    if mode not in MODES:
        err("mode", f"{label}: unknown mode {mode!r}; choose among {', '.join(MODES)}")
    gender = get("gender")
    if gender not in (None, "m", "f"):
        err("gender", f"{label}: 'gender' must be m or f")
    number = get("number")
    if number not in (None, "s", "p"):
        err("number", f"{label}: 'number' must be s or p")
    context = Context()
    if "context" in fields:
        context = _context(fields["context"][1], b, path, label, errors) or context
    scope = get("scope", "span")
    if scope not in SCOPES:
        err("scope", f"{label}: unknown scope {scope!r}; choose among {', '.join(SCOPES)}")
    elif scope != "span" and category != "boilerplate":
        err("scope", f"{label}: 'scope: {scope}' is only for boilerplate entries")
    if context.topic and category != "boilerplate":
        err("context", f"{label}: 'context.topic' is only for boilerplate entries")
    if context.same_case and isinstance(pattern, str) and len(pattern.split()) < 2:
        err("context", f"{label}: 'context.same-case' needs a pattern of two words or more")
    example = get("example")
    if not isinstance(example, str) or not example.strip():
        err("example" if "example" in fields else None, f"{label}: missing 'example' (a sentence where the entry must fire)")
        example = ""
    expect = get("expect")
    if expect is not None and not isinstance(expect, str):
        err("expect", f"{label}: 'expect' must be a string")
    if expect is None and mode != "report":
        err(None, f"{label}: missing 'expect' (the example after repair; required unless mode is report)")
    counter: tuple[str, ...] = ()
    if "counter" in fields:
        try:
            counter = _strings(get("counter"), "counter")
        except ValueError as exc:
            err("counter", f"{label}: {exc}")
    note = get("note", "")
    if not isinstance(note, str):
        err("note", f"{label}: 'note' must be a string")
        note = str(note)
    if len(errors) > bad:
        return None
    return Entry(
        id=eid, family=family, pattern=pattern, replace=replace, category=category,
        confidence=float(confidence), mode=mode, gender=gender, number=number, context=context,
        scope=scope, example=example, expect=expect, counter=counter, note=note.strip(),
        path=path, line=line, rank=rank,
    )


def _context(node: yaml.Node, b: _Builder, path: str, label: str, errors: list[GlossaryError]) -> Context | None:
    fields = _mapping(node, path, errors, f"{label}: context")
    if fields is None:
        return None
    bad = len(errors)
    for key, (_, vnode) in fields.items():
        if key not in CONTEXT_KEYS:
            errors.append(GlossaryError(path, _line(vnode), f"{label}: unknown context key {key!r}"))
    values = {k: b.value(v) for k, (_, v) in fields.items() if k in CONTEXT_KEYS}
    window = values.get("window", DEFAULT_WINDOW)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= MAX_WINDOW:
        errors.append(GlossaryError(path, _line(fields["window"][1]), f"{label}: context window must be an integer in 1..{MAX_WINDOW}"))
    words = {}
    for key in ("require", "forbid", "topic"):
        try:
            words[key] = _strings(values.get(key, []), f"context.{key}")
        except ValueError as exc:
            errors.append(GlossaryError(path, _line(fields[key][1]), f"{label}: {exc}"))
            continue
        for w in words[key]:
            if len(tokenize_phrase(w.lstrip("="))) > pat.MAX_TOKENS:
                errors.append(GlossaryError(path, _line(fields[key][1]), f"{label}: context.{key} item {w!r} is too long"))
    position = values.get("position", "any")
    if position not in POSITIONS:
        errors.append(GlossaryError(path, _line(fields["position"][1]), f"{label}: unknown position {position!r}; choose among {', '.join(POSITIONS)}"))
    same_case = values.get("same-case", False)
    if not isinstance(same_case, bool):
        errors.append(GlossaryError(path, _line(fields["same-case"][1]), f"{label}: context same-case must be true or false"))
    preceded_by: tuple[str, ...] = ()
    try:
        preceded_by = _strings(values.get("preceded-by", []), "context.preceded-by")
    except ValueError as exc:
        errors.append(GlossaryError(path, _line(fields["preceded-by"][1]), f"{label}: {exc}"))
    for w in preceded_by:
        if len(tokenize_phrase(w)) != 1:
            errors.append(GlossaryError(path, _line(fields["preceded-by"][1]),
                                        f"{label}: context.preceded-by item {w!r} must be one word"))
    if len(errors) > bad:
        return None
    return Context(window=window, require=words.get("require", ()), forbid=words.get("forbid", ()), position=position,
                   topic=words.get("topic", ()), same_case=same_case,
                   preceded_by=tuple(normalise(w) for w in preceded_by))
