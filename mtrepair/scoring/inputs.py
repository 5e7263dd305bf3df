"""Reading scoring inputs: two files, two folders of same-named files, or JSONL with fields.

Every problem is an :class:`~mtrepair.io.InputError` phrased for the user
(file, line, what is wrong); nothing here prints.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..io import InputError, read_text
from .align import AlignmentError, check_same_names


@dataclass(frozen=True)
class ScoreDoc:
    name: str
    hyp: str
    ref: str | None = None
    orig: str | None = None


def _files_in(folder: Path) -> dict[str, Path]:
    return {
        str(p.relative_to(folder)): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


def _read(path: str | Path, encoding_errors: str) -> str:
    return read_text(str(path), encoding_errors=encoding_errors).text


def read_folders(hyp: str, ref: str | None, orig: str | None, encoding_errors: str = "strict") -> list[ScoreDoc]:
    """Folders of same-named files (searched recursively; hidden files skipped)."""
    hyp_files = _files_in(Path(hyp))
    if not hyp_files:
        raise InputError(f"{hyp}: folder holds no file to score")
    others: dict[str, dict[str, Path]] = {}
    for kind, folder in (("reference", ref), ("original", orig)):
        if folder is None:
            continue
        if not Path(folder).is_dir():
            raise InputError(f"{folder}: the hypothesis {hyp} is a folder, so the {kind} must be a folder too")
        others[kind] = _files_in(Path(folder))
        try:
            check_same_names(kind, list(hyp_files), list(others[kind]))
        except AlignmentError as exc:
            raise InputError(f"{hyp} vs {folder}: {exc}") from None
    docs = []
    for name, path in hyp_files.items():
        docs.append(
            ScoreDoc(
                name=name,
                hyp=_read(path, encoding_errors),
                ref=_read(others["reference"][name], encoding_errors) if "reference" in others else None,
                orig=_read(others["original"][name], encoding_errors) if "original" in others else None,
            )
        )
    return docs


def read_jsonl(
    path: str, hyp_field: str, ref_field: str, orig_field: str, encoding_errors: str = "strict"
) -> list[ScoreDoc]:
    """One document per JSON line; the reference and original, when used, in fields of the same record."""
    text = _read(path, encoding_errors)
    docs: list[ScoreDoc] = []
    has: dict[str, int] = {}  # field -> first line where it was present / absent
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from None
        if not isinstance(rec, dict):
            raise InputError(f"{path}:{lineno}: expected a JSON object, got {type(rec).__name__}")
        values = {}
        for kind, fld in (("hypothesis", hyp_field), ("reference", ref_field), ("original", orig_field)):
            v = rec.get(fld)
            if v is not None and not isinstance(v, str):
                raise InputError(f"{path}:{lineno}: field {fld!r} ({kind}) must be a string")
            values[kind] = v
        if values["hypothesis"] is None:
            raise InputError(f"{path}:{lineno}: no field {hyp_field!r} (the text to score; see --hyp-field)")
        for kind, fld in (("reference", ref_field), ("original", orig_field)):
            present = values[kind] is not None
            first = has.setdefault(kind, present)
            if first != present:
                raise InputError(
                    f"{path}:{lineno}: field {fld!r} ({kind}) is {'present' if present else 'missing'} here "
                    f"but {'missing' if present else 'present'} in earlier records; give it in every record or none"
                )
        name = str(rec.get("id", f"{path}:{lineno}"))
        docs.append(ScoreDoc(name, values["hypothesis"], values["reference"], values["original"]))
    if not docs:
        raise InputError(f"{path}: no JSON record to score")
    return docs


def read_inputs(
    hyp: str,
    ref: str | None = None,
    orig: str | None = None,
    *,
    jsonl: bool | None = None,
    hyp_field: str = "text",
    ref_field: str = "reference",
    orig_field: str = "original",
    encoding_errors: str = "strict",
) -> list[ScoreDoc]:
    """Documents to score from files, folders or JSONL (``jsonl=None``: by the .jsonl suffix)."""
    if hyp != "-" and not Path(hyp).exists():
        raise InputError(f"{hyp}: no such file or folder")
    if jsonl is None:
        jsonl = hyp.endswith(".jsonl")
    if jsonl:
        if ref is not None or orig is not None:
            raise InputError(
                f"{hyp}: JSONL input carries the reference and original in fields of each record "
                "(--ref-field, --orig-field); --reference/--original take files or folders"
            )
        return read_jsonl(hyp, hyp_field, ref_field, orig_field, encoding_errors)
    if hyp != "-" and Path(hyp).is_dir():
        return read_folders(hyp, ref, orig, encoding_errors)
    for kind, other in (("reference", ref), ("original", orig)):
        if other is not None and Path(other).is_dir():
            raise InputError(f"{other}: the hypothesis {hyp} is a file, so the {kind} must be a file too")
    return [
        ScoreDoc(
            name="<stdin>" if hyp == "-" else hyp,
            hyp=_read(hyp, encoding_errors),
            ref=_read(ref, encoding_errors) if ref is not None else None,
            orig=_read(orig, encoding_errors) if orig is not None else None,
        )
    ]
