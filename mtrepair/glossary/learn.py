"""``glossary learn``: turn editors' corrections into candidate glossary entries.

Each (spun, clean) pair is aligned at word level (difflib's SequenceMatcher
on normalised tokens); every short substitution (or deletion) becomes a
phrase pair; pairs are aggregated across documents with support counts and
written as YAML entries in the glossary format, ``mode: report``, for a
person to review. Confidence grows with the number of documents that show
the substitution.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml

from ..tokens import split_sentences, tokenize
from .lexicon import is_infinitive, lemma
from .model import Entry

#: Longest phrase (in tokens, each side) kept as a substitution.
MAX_TOKENS = 6
#: Confidence of an entry seen in one document, and the gain per extra document.
BASE_CONFIDENCE = 0.4
CONFIDENCE_STEP = 0.1
MAX_CONFIDENCE = 0.9


class LearnError(ValueError):
    pass


@dataclass
class Candidate:
    pattern: str
    replace: str
    docs: set[str] = field(default_factory=set)
    count: int = 0
    example: str = ""

    @property
    def support(self) -> int:
        return len(self.docs)


def read_pairs(spun: str, clean: str | None, spun_field: str = "spun",
               clean_field: str = "clean") -> list[tuple[str, str, str]]:
    """(doc id, spun text, clean text) from two files, two folders, or one JSONL file."""
    sp = Path(spun)
    if clean is None:
        if not sp.is_file():
            raise LearnError(f"{spun}: no such JSONL file (give --clean for text files or folders)")
        return _jsonl(sp, spun_field, clean_field)
    cp = Path(clean)
    for p in (sp, cp):
        if not p.exists():
            raise LearnError(f"{p}: no such file or folder")
    if sp.is_dir() != cp.is_dir():
        raise LearnError("--spun and --clean must both be files or both be folders")
    if sp.is_file():
        return [(sp.name, _read(sp), _read(cp))]
    pairs = []
    for f in sorted(q for q in sp.iterdir() if q.is_file()):
        other = cp / f.name
        if other.is_file():
            pairs.append((f.name, _read(f), _read(other)))
    if not pairs:
        raise LearnError(f"no same-named files in {sp} and {cp}")
    return pairs


def _read(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LearnError(f"{p}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise LearnError(f"{p}: cannot read: {exc.strerror or exc}") from None


def _jsonl(p: Path, sf: str, cf: str) -> list[tuple[str, str, str]]:
    pairs = []
    for n, line in enumerate(_read(p).splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LearnError(f"{p}:{n}: invalid JSON: {exc.msg}") from None
        if not isinstance(rec, dict) or not isinstance(rec.get(sf), str) or not isinstance(rec.get(cf), str):
            raise LearnError(f"{p}:{n}: needs string fields {sf!r} and {cf!r}")
        pairs.append((str(rec.get("id", f"{p.name}:{n}")), rec[sf], rec[cf]))
    if not pairs:
        raise LearnError(f"{p}: no record")
    return pairs


def _join(tokens) -> str:
    out = ""
    for t in tokens:
        if out and not out.endswith("'"):
            out += " "
        out += t
    return out


def _lemma_pair(spun_toks, clean_toks) -> tuple[list[str], list[str]]:
    """A single noun/adjective swap is learnt on lemmas (so it matches every number)."""
    if len(spun_toks) == 1 and len(clean_toks) == 1:
        a, b = spun_toks[0], clean_toks[0]
        if a.isalpha() and b.isalpha() and not is_infinitive(lemma(a)) and not is_infinitive(lemma(b)):
            return [lemma(a)], [lemma(b)]
    return list(spun_toks), list(clean_toks)


def _sentence_start(text: str, toks, k: int) -> bool:
    if k == 0:
        return True
    prev = toks[k - 1]
    return prev.text in ".!?…" or "\n" in text[prev.end:toks[k].start]


def extract(pairs, max_tokens: int = MAX_TOKENS) -> list[Candidate]:
    found: dict[tuple[str, str], Candidate] = {}
    for doc_id, spun, clean in pairs:
        a = tokenize(spun)
        b = tokenize(clean)
        sm = SequenceMatcher(None, [t.norm for t in a], [t.norm for t in b], autojunk=False)
        sentences = split_sentences(spun, a)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op not in ("replace", "delete"):
                continue
            if i2 - i1 > max_tokens or j2 - j1 > max_tokens:
                continue
            sa = [t.norm for t in a[i1:i2]]
            sb = [t.norm for t in b[j1:j2]]
            if not any(t.is_word for t in a[i1:i2]):
                continue
            if [lemma(x) for x in sa] == [lemma(x) for x in sb]:
                continue  # inflection/agreement only: not a vocabulary substitution
            pa, pb = _lemma_pair(sa, sb)
            if pb == sb and sb:
                # keep the editor's capitals (names), except a capital due to the sentence start
                cased = [t.text.replace("’", "'") for t in b[j1:j2]]
                if cased[0][:1].isupper() and _sentence_start(clean, b, j1):
                    cased[0] = cased[0][:1].lower() + cased[0][1:]
                pb = cased
            pattern, repl = _join(pa), _join(pb)
            key = (" ".join(lemma(x) for x in pa), repl)
            cand = found.get(key)
            if cand is None:
                sent = next((s for s in sentences if s.start <= a[i1].start < s.end), None)
                example = spun[sent.start:sent.end] if sent else spun[a[i1].start:a[i2 - 1].end]
                cand = found[key] = Candidate(pattern, repl, example=" ".join(example.split()))
            cand.docs.add(doc_id)
            cand.count += 1
    return sorted(found.values(), key=lambda c: (-c.support, -c.count, c.pattern))


def to_entries(cands: list[Candidate], prefix: str = "LRN", min_support: int = 1) -> list[dict]:
    from .glossary import Glossary  # local: avoid an import cycle
    from .check import apply_matches

    out = []
    n = 0
    for c in cands:
        if c.support < min_support:
            continue
        n += 1
        conf = round(min(MAX_CONFIDENCE, BASE_CONFIDENCE + CONFIDENCE_STEP * (c.support - 1)), 2)
        eid = f"{prefix}-{n:04d}"
        entry = Entry(id=eid, family="user-defined", pattern=c.pattern, replace=(c.replace,),
                      confidence=conf, mode="report", example=c.example, path="<learn>", line=n)
        try:
            ms = Glossary([entry]).match(c.example)
        except Exception:  # noqa: BLE001 - a candidate the engine cannot compile is skipped
            ms = []
        rec = {
            "id": eid,
            "pattern": c.pattern,
            "replace": [c.replace],
            "category": "calque",
            "confidence": conf,
            "mode": "report",
            "example": c.example,
        }
        if ms:
            rec["expect"] = apply_matches(c.example, ms)
        rec["note"] = (f"learnt from {c.support} document(s), {c.count} occurrence(s); "
                       f"review, add the English source, a counter-example and context before use")
        out.append(rec)
    return out


def to_yaml(entries: list[dict], prefix: str = "LRN") -> str:
    head = ("# Candidate glossary entries learnt by `mtrepair glossary learn`.\n"
            "# Review every entry: check the replacement, add counter-examples and context,\n"
            "# then move it to a glossary file (and set mode: auto/check when sure).\n")
    body = yaml.safe_dump({"family": "user-defined", "prefix": prefix, "entries": entries},
                          allow_unicode=True, sort_keys=False, width=1000)
    return head + body
