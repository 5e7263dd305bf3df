"""Pass 1: Unicode NFC and mojibake repair (ftfy, encoding fixes only).

Unlike the other passes this one produces edits that change the text the
later passes read: the repairer runs it first, then runs the other passes on
the normalised text and composes both sets of edits (see ``resolve.compose``).
Apostrophes and spaces are *not* changed here: matching works on a
normalised token view (``mtrepair.tokens``) while the output keeps the
article's own typography.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

try:  # ftfy's own mojibake detector: fix_text leaves a line it finds clean unchanged
    from ftfy.badness import BADNESS_RE as _BADNESS_RE
    from ftfy.badness import is_bad as _ftfy_is_bad
except ImportError:  # pragma: no cover - other ftfy layouts: always run fix_text
    _BADNESS_RE = _ftfy_is_bad = None

from ..types import Category, Edit, Source

_SOURCE_ENCODING = Source("heuristic", "ftfy-encoding")
_SOURCE_NFC = Source("heuristic", "unicode-nfc")

# Only encoding repairs: everything that changes style (quotes, ligatures,
# widths, HTML entities, line breaks) stays off, so clean text is untouched.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


#: Most characters a character class may expand to when used in the pre-check.
_MAX_CLASS_CHARS = 5000


def _alternative_requirements(pattern: "re.Pattern[str]") -> list[list[frozenset[str]]] | None:
    """For each top-level alternative of ``pattern``, the character sets of its top-level
    single-character elements (a literal or a non-negated class of literals and ranges)
    that contain no ASCII character: any match of the alternative contains a character of
    each of them. Elements that are anything else (anchors, ``\\s``, repeats, groups,
    classes with ASCII characters) are simply not required. None when the pattern is not
    a plain case-sensitive alternation of such elements (then no pre-check)."""
    layout = _alternative_layout(pattern)
    return None if layout is None else [[chars for _, chars in required] for required, _ in layout]


def _alternative_layout(pattern: "re.Pattern[str]") -> list[tuple[list[tuple[int, frozenset[str]]], bool]] | None:
    """:func:`_alternative_requirements` with, for each required set, the index of its element
    in the alternative, and whether every element of the alternative is one character wide
    (a literal, a class or any character: no anchor, look-around, repeat or group)."""
    try:
        import re._parser as sre_parse  # Python >= 3.11
        from re._constants import ANY, BRANCH, IN, LITERAL, NOT_LITERAL, RANGE
    except ImportError:  # pragma: no cover
        import sre_parse  # type: ignore[no-redef]
        from sre_constants import ANY, BRANCH, IN, LITERAL, NOT_LITERAL, RANGE  # type: ignore[no-redef]
    if pattern.flags & re.IGNORECASE:
        return None
    items = list(sre_parse.parse(pattern.pattern, pattern.flags))
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is BRANCH else [items]
    out: list[tuple[list[tuple[int, frozenset[str]]], bool]] = []
    for branch in branches:
        required: list[tuple[int, frozenset[str]]] = []
        one_wide = True
        for index, (op, av) in enumerate(branch):
            one_wide = one_wide and op in (LITERAL, NOT_LITERAL, IN, ANY)
            chars: set[str] = set()
            if op is LITERAL:
                chars.add(chr(av))
            elif op is IN and all(o in (LITERAL, RANGE) for o, _ in av):
                for o, v in av:
                    if o is LITERAL:
                        chars.add(chr(v))
                    elif v[1] - v[0] < _MAX_CLASS_CHARS:
                        chars.update(chr(c) for c in range(v[0], v[1] + 1))
                    else:
                        chars = set()
                        break
            if chars and all(ord(c) > 127 for c in chars):
                required.append((index, frozenset(chars)))
        if not required:
            return None  # an alternative a line without special characters could match
        out.append((required, one_wide))
    return out


def _precheck_tables() -> tuple[dict[str, int], list[int]] | None:
    """(character -> bit mask of the required elements it satisfies, mask per alternative)."""
    if _BADNESS_RE is None:
        return None
    try:
        alternatives = _alternative_requirements(_BADNESS_RE)
    except Exception:  # pragma: no cover - an unexpected regex layout: no pre-check
        return None
    if not alternatives:
        return None
    char_bits: dict[str, int] = {}
    masks: list[int] = []
    bit = 0
    for required in alternatives:
        mask = 0
        for chars in required:
            for c in chars:
                char_bits[c] = char_bits.get(c, 0) | (1 << bit)
            mask |= 1 << bit
            bit += 1
        masks.append(mask)
    return char_bits, masks


_PRECHECK = _precheck_tables()
#: The characters the pre-check looks at (a set, so that intersecting a line's characters with
#: it runs over the line's few distinct characters, in C).
_PRECHECK_CHARS = frozenset(_PRECHECK[0]) if _PRECHECK is not None else frozenset()
#: The alternatives whose required sets are all present, per bit mask of the sets present
#: (few combinations occur).
_POSSIBLE: dict[int, tuple[int, ...]] = {}


def _possible_alternatives(present: "frozenset[str]") -> tuple[int, ...]:
    """Indexes of the alternatives of BADNESS_RE that a line whose pre-check characters are
    ``present`` can match: those with a character of each of their required sets."""
    char_bits, masks = _PRECHECK  # type: ignore[misc]
    have = 0
    for c in present:
        have |= char_bits[c]
    possible = _POSSIBLE.get(have)
    if possible is None:
        possible = tuple(k for k, m in enumerate(masks) if have & m == m)
        if len(_POSSIBLE) < 100_000:
            _POSSIBLE[have] = possible
    return possible


def _detector_cannot_match(line: str) -> bool:
    """True when no alternative of ftfy's BADNESS_RE can match ``line``: every alternative
    needs a character of each of its required sets, and some set has none in the line."""
    if _PRECHECK is None:
        return False
    return not _possible_alternatives(_PRECHECK_CHARS.intersection(line))


def _detector_cannot_match_reference(line: str) -> bool:
    """The plain definition of :func:`_detector_cannot_match`, for tests."""
    if _PRECHECK is None:
        return False
    char_bits, masks = _PRECHECK
    have = 0
    for c in set(line):
        if c > "\x7f":
            have |= char_bits.get(c, 0)
    return all(have & m != m for m in masks)


def _match_layout() -> list[list[tuple[int, frozenset[str]]] | None] | None:
    """Per alternative of BADNESS_RE, (element index, required set) of its required elements,
    or None for an alternative that is not a row of one-character-wide elements."""
    if _PRECHECK is None:
        return None
    try:
        layout = _alternative_layout(_BADNESS_RE)  # type: ignore[arg-type]
    except Exception:  # pragma: no cover - an unexpected regex layout
        return None
    if layout is None:
        return None
    return [required if one_wide else None for required, one_wide in layout]


_LAYOUT = _match_layout()


def _ftfy_finds_mojibake(line: str) -> bool:
    """``ftfy.badness.is_bad(line)``: does BADNESS_RE match somewhere in ``line``?

    Most alternatives of BADNESS_RE are rows of one-character elements (checked at import; when
    another one could match, the whole line is searched as ``is_bad`` does), so where one
    matches, at some ``q``, the line has a character of each of its required sets at ``q`` plus
    that element's index; and an alternative whose sets are not all present cannot match. So BADNESS_RE matches somewhere exactly when it matches at one of the positions
    ``p - index`` where ``p`` holds a character of one required set (the rarest in the line) of
    an alternative that can match: the pattern is tried there (``match`` at a position; no
    anchor or look-around makes that differ from a search reaching it) instead of at every
    position of the line. Tested against ``is_bad``."""
    if _LAYOUT is None:
        return _ftfy_is_bad(line)  # type: ignore[misc]
    present = _PRECHECK_CHARS.intersection(line)
    possible = _possible_alternatives(present)
    if any(_LAYOUT[k] is None for k in possible):  # ("^Ã ", "a\\s?Ã "): search the whole line
        return _BADNESS_RE.search(line) is not None  # type: ignore[union-attr]
    tried: set[int] = set()
    match = _BADNESS_RE.match  # type: ignore[union-attr]
    for k in possible:
        count, index, chars = min((sum(map(line.count, present.intersection(s))), i, s)
                                  for i, s in _LAYOUT[k])  # type: ignore[union-attr]
        for c in present.intersection(chars):
            p = line.find(c)
            while p >= 0:
                q = p - index
                if q >= 0 and q not in tried:
                    tried.add(q)
                    if match(line, q):
                        return True
                p = line.find(c, p + 1)
    return False


def _may_be_mojibake(line: str) -> bool:
    """False only when ``ftfy.fix_text(line, _FTFY_CONFIG)`` provably returns ``line``.

    With this configuration every fixer but the encoding one is off, and ftfy's encoding
    step returns its input unchanged when ``ftfy.badness.is_bad`` finds nothing (its
    first test), so for a single line (no ``\n``, not longer than ``max_decode_length``,
    i.e. one ftfy segment) the clean-line answer is known without the rest of fix_text.
    """
    if _ftfy_is_bad is None or len(line) > _FTFY_CONFIG.max_decode_length:
        return True
    return _ftfy_finds_mojibake(line)


def _narrow(old: str, new: str) -> tuple[int, int, int]:
    """Common prefix length and the differing ends (old_end, new_end)."""
    p = 0
    limit = min(len(old), len(new))
    while p < limit and old[p] == new[p]:
        p += 1
    s = 0
    while s < limit - p and old[-1 - s] == new[-1 - s]:
        s += 1
    return p, len(old) - s, len(new) - s


def normalize_edits(text: str, fix_encoding: bool = True, unchanged: set[str] | None = None) -> list[Edit]:
    """Edits (offsets into ``text``) that fix mojibake and apply NFC, line by line.

    Each line's fix is a pure function of the line (and ``fix_encoding``), so a caller that
    normalises related texts (the repairer's rounds) may pass ``unchanged``: lines already seen
    to need no fix are skipped, and the lines seen here to need none are added to it.
    """
    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        if unchanged is not None and line in unchanged:
            pos += len(line) + 1
            continue
        fixed = line
        rule, source, why = "", _SOURCE_NFC, ""
        if fix_encoding and not line.isascii() and _may_be_mojibake(line):
            candidate = ftfy.fix_text(line, _FTFY_CONFIG)
            if candidate != line:
                fixed = candidate
                rule, source = "NORM-ENCODING", _SOURCE_ENCODING
                why = "mojibake: UTF-8 text that was decoded with the wrong encoding (fixed by ftfy)"
        if not fixed.isascii() and not unicodedata.is_normalized("NFC", fixed):
            fixed = unicodedata.normalize("NFC", fixed)
            if not rule:
                rule, why = "NORM-NFC", "Unicode normalisation to NFC (composed accents)"
        if fixed != line:
            p, old_end, new_end = _narrow(line, fixed)
            edits.append(
                Edit(
                    start=pos + p,
                    end=pos + old_end,
                    original=line[p:old_end],
                    replacement=fixed[p:new_end],
                    category=Category.TYPOGRAPHY.value,
                    rule=rule,
                    source=source,
                    confidence=1.0,
                    explanation=why,
                )
            )
        elif unchanged is not None:
            unchanged.add(line)
        pos += len(line) + 1
    return edits
