"""Hostile inputs for ``repair --resume`` / ``--retry-failed``: messy data must never make a
resumed run skip a record it has not written (data loss), nor write one twice.

Each test here failed before the fix it names.
"""

from __future__ import annotations

import json
from pathlib import Path

from mtrepair.cli.main import main

FAST = ["--model", "none", "--no-progress", "-q"]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_record_field_named_input_does_not_hide_a_document(tmp_path, monkeypatch):
    """A record whose own ``input`` field names a document of the run is not that document's
    output: resuming used to skip the document (``input:NAME`` was read from any record)."""
    monkeypatch.chdir(tmp_path)
    Path("article.txt").write_text("Le conseil municipal s’est réuni jeudi soir pour voter le budget.\n",
                                   encoding="utf-8")
    _write_jsonl(Path("dump.jsonl"), [{"text": "La ville rénove ses écoles.", "input": "article.txt"}])
    assert main(["repair", "dump.jsonl", "-o", "out.jsonl", *FAST]) == 0
    # interrupted before article.txt: resume with both inputs
    assert main(["repair", "dump.jsonl", "article.txt", "-o", "out.jsonl", "--resume", *FAST]) == 0
    out = _lines(Path("out.jsonl"))
    assert len(out) == 2
    assert out[1]["input"] == "article.txt" and "budget" in out[1]["text"]


def test_record_field_named_line_does_not_hide_another_record(tmp_path, monkeypatch):
    """A failing record without id that has its own ``line`` field keeps it in its error record;
    resuming used to take that for the error record of the record at that line (skipped: lost)
    and wrote the failing record a second time."""
    monkeypatch.chdir(tmp_path)
    rows = [{"text": None, "line": 3},
            {"text": "Les travaux de la ligne de tramway commenceront en mars."},
            {"text": "La ville rénove ses écoles primaires avant la rentrée."}]
    _write_jsonl(Path("dump.jsonl"), rows)
    assert main(["repair", "dump.jsonl", "-o", "out.jsonl", *FAST]) == 1
    full = Path("out.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    Path("out.jsonl").write_text(full[0], encoding="utf-8")  # killed after the first record
    main(["repair", "dump.jsonl", "-o", "out.jsonl", "--resume", *FAST])
    out = _lines(Path("out.jsonl"))
    assert [r.get("text") for r in out] == [r["text"] for r in rows]


def test_malformed_line_error_record_recognised_only_at_its_line(tmp_path, monkeypatch):
    """The error record of an unparsable line names its input and line; a record elsewhere whose
    fields happen to say the same (``input``/``line``/``error`` of an earlier run's output fed back)
    is not taken for it, and the unparsable line is not reported twice."""
    monkeypatch.chdir(tmp_path)
    Path("dump.jsonl").write_text(
        '{"text": "Le budget est voté.", "input": "dump.jsonl", "line": 2, "error": "ancienne erreur"}\n'
        '{"text": "coupé\n'
        '{"text": "La ville rénove ses écoles."}\n', encoding="utf-8")
    assert main(["repair", "dump.jsonl", "-o", "out.jsonl", *FAST]) == 1
    done = Path("out.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(done) == 3
    Path("out.jsonl").write_text(done[0], encoding="utf-8")  # killed after the first record
    main(["repair", "dump.jsonl", "-o", "out.jsonl", "--resume", *FAST])
    out = _lines(Path("out.jsonl"))
    assert len(out) == 3
    assert out[1].get("raw") == '{"text": "coupé' and out[1]["line"] == 2
    assert out[2]["text"] == "La ville rénove ses écoles."
    # everything done: a second resume writes nothing
    main(["repair", "dump.jsonl", "-o", "out.jsonl", "--resume", *FAST])
    assert len(_lines(Path("out.jsonl"))) == 3


def test_concatenated_files_with_byte_order_marks(tmp_path, monkeypatch):
    """``cat a.jsonl b.jsonl``, each saved with a UTF-8 BOM: the second file's first line starts
    with a BOM too. It is a record like the others (it was an 'invalid JSON' error record)."""
    monkeypatch.chdir(tmp_path)
    part = '\ufeff{"text": "Le conseil municipal s’est réuni jeudi soir."}\r\n'
    Path("cat.jsonl").write_bytes((part + part.replace("jeudi", "vendredi")).encode("utf-8"))
    assert main(["repair", "cat.jsonl", "-o", "out.jsonl", *FAST]) == 0
    out = _lines(Path("out.jsonl"))
    assert [r["text"] for r in out] == ["Le conseil municipal s’est réuni jeudi soir.",
                                        "Le conseil municipal s’est réuni vendredi soir."]
    assert main(["repair", "cat.jsonl", "-o", "out.jsonl", "--resume", *FAST]) == 0
    assert len(_lines(Path("out.jsonl"))) == 2


def test_resume_with_encoding_errors_replace_writes_nothing_twice(tmp_path, monkeypatch):
    """With ``--encoding-errors replace`` a line with invalid UTF-8 is repaired (U+FFFD in it);
    resuming read that line strictly, found no key for it and wrote it again."""
    monkeypatch.chdir(tmp_path)
    Path("dump.jsonl").write_bytes('{"text": "Le caf\xe9 ferme."}\n'.encode("latin-1")
                                   + '{"text": "La ville rénove ses écoles."}\n'.encode("utf-8"))
    args = ["repair", "dump.jsonl", "-o", "out.jsonl", "--encoding-errors", "replace", *FAST]
    assert main(args) == 0
    assert main([*args, "--resume"]) == 0
    out = _lines(Path("out.jsonl"))
    assert [r["text"] for r in out] == ["Le caf\ufffd ferme.", "La ville rénove ses écoles."]
