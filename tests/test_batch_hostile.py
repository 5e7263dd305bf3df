"""Hostile inputs for ``repair --resume`` / ``--retry-failed``: messy data must never make a
resumed run skip a record it has not written (data loss), nor write one twice.

Each test here failed before the fix it names.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from mtrepair.cli.main import main

FAST = ["--model", "none", "--no-progress", "-q"]


def _lines(path: Path) -> list[dict]:
    lines = (line.strip("\ufeff \r") for line in path.read_text(encoding="utf-8").splitlines())
    return [json.loads(line) for line in lines if line]


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


def test_resume_refuses_an_output_that_is_not_jsonl(tmp_path, monkeypatch, capsys):
    """``-o`` pointed at the wrong file: ``--resume`` used to cut its 'unfinished last line' and
    append records to a binary file, a CSV or an indented JSON document. It is refused, untouched."""
    monkeypatch.chdir(tmp_path)
    _write_jsonl(Path("dump.jsonl"), [{"text": "La ville rénove ses écoles."}])
    wrong = {
        "photo.jpg": bytes(range(256)) * 4 + b"\xff\xd8 no newline at the end",
        "table.csv": "text,rank\nBonjour,1\nBonsoir,2".encode("utf-8"),
        "doc.json": json.dumps({"input": "a.txt", "text": "Bonjour."}, indent=2).encode("utf-8"),
    }
    for name, data in wrong.items():
        Path(name).write_bytes(data)
        for extra in ([], ["--retry-failed"]):
            assert main(["repair", "dump.jsonl", "-o", name, "--resume", *extra, *FAST]) == 1, name
            assert "not a JSONL output" in capsys.readouterr().err
            assert Path(name).read_bytes() == data
    # the same file under --output-dir
    Path("out").mkdir()
    Path("out/dump.jsonl").write_bytes(wrong["table.csv"])
    assert main(["repair", "dump.jsonl", "--output-dir", "out", "--resume", *FAST]) == 1
    assert Path("out/dump.jsonl").read_bytes() == wrong["table.csv"]


def test_resume_accepts_outputs_a_crash_or_an_editor_leaves(tmp_path, monkeypatch):
    """What a real interrupted output can look like is still resumed: empty, a BOM and CRLF line ends
    (saved by an editor), blank lines, a record cut mid-UTF-8 as the only content."""
    monkeypatch.chdir(tmp_path)
    rows = [{"text": "La ville rénove ses écoles."}, {"text": "Le budget est voté."}]
    _write_jsonl(Path("dump.jsonl"), rows)
    assert main(["repair", "dump.jsonl", "-o", "full.jsonl", *FAST]) == 0
    first = Path("full.jsonl").read_bytes().splitlines(keepends=True)[0]
    cut = first[:first.index("é".encode()) + 1]  # ends inside the two bytes of « é »
    for name, data in {"empty.jsonl": b"", "crlf.jsonl": b"\xef\xbb\xbf\r\n" + first.replace(b"\n", b"\r\n"),
                       "cut.jsonl": cut}.items():
        Path(name).write_bytes(data)
        assert main(["repair", "dump.jsonl", "-o", name, "--resume", *FAST]) == 0, name
        texts = [r["text"] for r in _lines(Path(name))]
        assert texts == [r["text"] for r in rows], name


def test_csv_duplicate_header_names_keep_every_cell(tmp_path, monkeypatch):
    """A CSV export with two columns of the same name (``titre,titre``): the first one's cells were
    silently dropped (a dict keeps one value per name). The later ones are named as pandas names
    them (``titre.1``, ``titre.2``, skipping names the header already has), and resume finds them."""
    monkeypatch.chdir(tmp_path)
    Path("export.csv").write_text(
        "text,titre,titre,titre.1,titre\n"
        "La ville rénove ses écoles.,Écoles,Éducation,déjà là,Lyon\n"
        "Le budget est voté.,Budget,Finances,déjà là,Paris\n", encoding="utf-8")
    assert main(["repair", "export.csv", "-o", "out.jsonl", *FAST]) == 0
    out = _lines(Path("out.jsonl"))
    assert [(r["titre"], r["titre.2"], r["titre.1"], r["titre.3"]) for r in out] == [
        ("Écoles", "Éducation", "déjà là", "Lyon"), ("Budget", "Finances", "déjà là", "Paris")]
    assert main(["repair", "export.csv", "-o", "out.jsonl", "--resume", *FAST]) == 0
    assert len(_lines(Path("out.jsonl"))) == 2


def test_resume_refuses_an_output_written_with_other_key_names(tmp_path, monkeypatch, capsys):
    """An output written with ``--output-key-prefix mt_`` resumed without it (or a JSONL file of
    another schema given as ``-o``): no record could be recognised, so every record was written a
    second time, with other key names. Refused, untouched; with the same prefix it resumes."""
    monkeypatch.chdir(tmp_path)
    _write_jsonl(Path("dump.jsonl"), [{"text": "La ville rénove ses écoles."}, {"text": None},
                                      {"text": "Le budget est voté."}])
    assert main(["repair", "dump.jsonl", "-o", "out.jsonl", "--output-key-prefix", "mt_", *FAST]) == 1
    before = Path("out.jsonl").read_bytes()
    for extra in ([], ["--retry-failed"]):
        assert main(["repair", "dump.jsonl", "-o", "out.jsonl", "--resume", *extra, *FAST]) == 1
        err = capsys.readouterr().err
        assert "--output-key-prefix" in err and "'changed'" in err
        assert Path("out.jsonl").read_bytes() == before
    Path("other.jsonl").write_text('{"url": "https://exemple.fr/a", "status": 200}\n', encoding="utf-8")
    assert main(["repair", "dump.jsonl", "-o", "other.jsonl", "--resume", *FAST]) == 1
    assert main(["repair", "dump.jsonl", "-o", "out.jsonl", "--resume", "--retry-failed",
                 "--output-key-prefix", "mt_", *FAST]) == 1  # the null text fails again
    assert [r.get("text") for r in _lines(Path("out.jsonl"))] == [
        "La ville rénove ses écoles.", "Le budget est voté.", None]


def test_retry_failed_on_an_output_it_cannot_append_to_keeps_the_error_records(tmp_path, monkeypatch, capsys):
    """A read-only output in a writable folder: the rewrite without error records (a rename) used
    to succeed, then appending failed, so the failed records had vanished from the output. Now the
    output is checked for writing first and left byte for byte. (``open`` of the writers module is
    made to refuse writing, as for a file without write permission: these tests run as root.)"""
    import builtins

    import mtrepair.batch.writers as writers

    monkeypatch.chdir(tmp_path)
    _write_jsonl(Path("dump.jsonl"), [{"text": "La ville rénove ses écoles."}, {"text": None}])
    assert main(["repair", "dump.jsonl", "-o", "out.jsonl", *FAST]) == 1
    before = Path("out.jsonl").read_bytes()
    target = str(Path("out.jsonl").resolve())

    def read_only(file, mode="r", *args, **kwargs):
        if os.path.realpath(str(file)) == target and any(c in mode for c in "wa+"):
            raise PermissionError(13, "Permission denied", str(file))
        return builtins.open(file, mode, *args, **kwargs)

    monkeypatch.setattr(writers, "open", read_only, raising=False)
    for extra in (["--retry-failed"], []):  # --resume alone was an internal error (exit 70)
        assert main(["repair", "dump.jsonl", "-o", "out.jsonl", "--resume", *extra, *FAST]) == 1
        assert "out.jsonl: cannot write: Permission denied" in capsys.readouterr().err
        assert Path("out.jsonl").read_bytes() == before
    with Path("out.jsonl").open("ab") as fh:
        fh.write(b'{"text": "coup')  # an unfinished last line: cutting it needs writing too
    assert main(["repair", "dump.jsonl", "-o", "out.jsonl", "--resume", *FAST]) == 1
    assert "out.jsonl: cannot write: Permission denied" in capsys.readouterr().err


def test_retry_failed_through_a_symlink_keeps_the_link(tmp_path, monkeypatch):
    """``-o latest.jsonl`` where latest.jsonl links to the real output: the link stays a link and
    the real file gets the retried record."""
    monkeypatch.chdir(tmp_path)
    _write_jsonl(Path("dump.jsonl"), [{"text": "La ville rénove ses écoles."}, {"text": None}])
    Path("runs").mkdir()
    assert main(["repair", "dump.jsonl", "-o", "runs/1.jsonl", *FAST]) == 1
    Path("latest.jsonl").symlink_to("runs/1.jsonl")
    _write_jsonl(Path("dump.jsonl"), [{"text": "La ville rénove ses écoles."}, {"text": "Le budget est voté."}])
    # the second record changed: it is not the failed one any more, so both are in the output
    assert main(["repair", "dump.jsonl", "-o", "latest.jsonl", "--resume", "--retry-failed", *FAST]) == 0
    assert Path("latest.jsonl").is_symlink()
    assert [r["text"] for r in _lines(Path("runs/1.jsonl"))] == ["La ville rénove ses écoles.", "Le budget est voté."]


def test_jsonl_blank_lines_with_a_byte_order_mark_or_no_break_spaces_hold_no_record(tmp_path, monkeypatch, capsys):
    """A JSONL file an editor saved 'empty' with a BOM, or whose blank lines hold a BOM or no-break
    spaces, holds no record (as a 0-byte file, and as a text file of only those is 'empty'): it
    gave an 'invalid JSON' error record for that line, exit 1."""
    monkeypatch.chdir(tmp_path)
    Path("bom.jsonl").write_bytes(b"\xef\xbb\xbf")
    Path("spaces.jsonl").write_bytes("\ufeff\r\n\u00a0\u202f\n \t\n".encode("utf-8"))
    for name in ("bom.jsonl", "spaces.jsonl"):
        assert main(["repair", name, "-o", f"{name}.out", "--model", "none", "--no-progress"]) == 0, name
        assert f"{name}: holds no record" in capsys.readouterr().err
        assert Path(f"{name}.out").read_bytes() == b""
    Path("some.jsonl").write_bytes('\ufeff\n{"text": "Le budget est voté."}\n\u00a0\n'.encode("utf-8"))
    assert main(["repair", "some.jsonl", "-o", "some.out", *FAST]) == 0
    assert [r["text"] for r in _lines(Path("some.out"))] == ["Le budget est voté."]
    assert main(["repair", "some.jsonl", "-o", "some.out", "--resume", *FAST]) == 0
    assert len(_lines(Path("some.out"))) == 1


def test_resume_with_nan_ids_writes_nothing_twice(tmp_path, monkeypatch):
    """An id that is NaN or infinite (a float id column with gaps, as pandas writes it) is written
    as null: resuming looked for 'id:nan', never found it, and wrote the record again each time."""
    monkeypatch.chdir(tmp_path)
    Path("dump.jsonl").write_text('{"id": NaN, "text": "La ville rénove ses écoles."}\n'
                                  '{"id": Infinity, "text": "Le budget est voté."}\n'
                                  '{"id": 3.0, "text": "Les travaux commencent."}\n'
                                  '{"id": NaN, "text": null}\n', encoding="utf-8")
    assert main(["repair", "dump.jsonl", "-o", "out.jsonl", *FAST]) == 1
    for _ in range(2):
        main(["repair", "dump.jsonl", "-o", "out.jsonl", "--resume", *FAST])
    assert [r["id"] for r in _lines(Path("out.jsonl"))] == [None, None, 3.0, None]


def test_parquet_duplicate_column_names_keep_every_cell(tmp_path, monkeypatch):
    """A Parquet file with two columns of the same name (pyarrow writes it): the first one's values
    were silently dropped. Named as for CSV (``t``, ``t.1``), and resume finds the records."""
    pa = __import__("pytest").importorskip("pyarrow")
    import pyarrow.parquet as pq

    monkeypatch.chdir(tmp_path)
    table = pa.Table.from_arrays([pa.array(["La ville rénove ses écoles.", None]), pa.array(["A", "C"]),
                                  pa.array(["B", "D"])], names=["text", "t", "t"])
    pq.write_table(table, "dup.parquet")
    assert main(["repair", "dup.parquet", "-o", "out.jsonl", *FAST]) == 1  # the null text fails
    out = _lines(Path("out.jsonl"))
    assert [(r["t"], r["t.1"]) for r in out] == [("A", "B"), ("C", "D")]
    assert main(["repair", "dup.parquet", "-o", "out.jsonl", "--resume", *FAST]) == 0
    assert len(_lines(Path("out.jsonl"))) == 2


def test_resume_on_records_fed_back_from_an_earlier_output(tmp_path, monkeypatch):
    """A run's output given again as input: its records already hold the keys the run adds, so
    each fails (use --output-key-prefix), and its error record carries the input's ``changed``
    flag. Resuming took it for a repaired record, never matched it, and wrote every record again."""
    monkeypatch.chdir(tmp_path)
    _write_jsonl(Path("src.jsonl"), [{"text": "La ville rénove ses écoles."}, {"text": "Le budget est voté."}])
    assert main(["repair", "src.jsonl", "-o", "first.jsonl", *FAST]) == 0
    assert main(["repair", "first.jsonl", "-o", "second.jsonl", *FAST]) == 1
    for _ in range(2):
        main(["repair", "first.jsonl", "-o", "second.jsonl", "--resume", *FAST])
    out = _lines(Path("second.jsonl"))
    assert len(out) == 2 and all("already has field(s)" in r["error"] for r in out)


def _canonical(path: Path) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in _lines(path))


def test_messy_dump_interrupted_then_resumed_with_jobs_and_output_dir(tmp_path, monkeypatch):
    """Two id-less dumps with everything at once (identical records, a malformed line, a non-object
    line, a null text, records with their own input/line/error fields, floats, nested objects, key
    order, escapes), a run in worker processes killed half-way: resuming (and retrying the failures)
    gives exactly the records of an uninterrupted run, none twice, none missing."""
    monkeypatch.chdir(tmp_path)
    Path("in/sub").mkdir(parents=True)
    lines = [
        '{"text": "La ville rénove ses écoles.", "score": 1.0, "meta": {"b": 2, "a": [1, 2.5]}}',
        '{"meta": {"a": [1, 2.5], "b": 2}, "score": 1.0, "text": "La ville r\\u00e9nove ses \\u00e9coles."}',
        '{"text": "La ville rénove ses écoles.", "score": 1, "meta": {"b": 2, "a": [1, 2.5]}}',
        '{"text": "Il a gardé à l’esprit que le budget est voté.", "input": "in/a.jsonl", "line": 9}',
        '{"text": null, "line": 7, "error": "page absente"}',
        '{"text": "coupé',
        '["text", "pas un objet"]',
        '{"text": "Le budget est voté.", "big": 123456789012345678901234567890, "x": -0.0}',
        '{"text": "Le budget est voté.", "big": 123456789012345678901234567890, "x": -0.0}',
        '{"text": "Les travaux commencent.", "dup": 1, "dup": 2}',
    ]
    Path("in/a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    Path("in/sub/b.jsonl").write_text("\r\n".join(reversed(lines)) + "\r\n", encoding="utf-8")
    args = ["--jobs", "2", "--record-timeout", "60", *FAST]
    assert main(["repair", "in", "--output-dir", "full", *args]) == 1
    for keep in (1, 4, 7):
        shutil.rmtree("part", ignore_errors=True)
        shutil.copytree("full", "part")
        for out in Path("part").rglob("*.jsonl"):
            data = out.read_bytes().splitlines(keepends=True)
            out.write_bytes(b"".join(data[:keep]) + data[keep][:20])  # killed while writing a record
        for extra in ([], ["--retry-failed"]):
            main(["repair", "in", "--output-dir", "part", "--resume", *extra, *args])
            for out in Path("full").rglob("*.jsonl"):
                assert _canonical(Path("part") / out.relative_to("full")) == _canonical(out), (keep, extra, out)


def test_retry_failed_keeps_the_failures_of_inputs_not_given(tmp_path, monkeypatch):
    """``-o`` shared by two inputs, retried with one of them: the other's error records were removed
    too, and nothing redid them (gone from the output). They are kept; the given input's are redone."""
    monkeypatch.chdir(tmp_path)
    _write_jsonl(Path("a.jsonl"), [{"text": "La ville rénove ses écoles."}, {"text": None}])
    _write_jsonl(Path("b.jsonl"), [{"text": "Le budget est voté."}, {"text": None}])
    Path("c.txt").write_text("", encoding="utf-8")  # an empty document: its error record
    assert main(["repair", "a.jsonl", "b.jsonl", "c.txt", "-o", "out.jsonl", "--format", "jsonl", *FAST]) == 1
    assert main(["repair", "a.jsonl", "-o", "out.jsonl", "--resume", "--retry-failed", *FAST]) == 1
    out = _lines(Path("out.jsonl"))
    assert sorted((r.get("input"), r.get("line"), r.get("text")) for r in out if "error" in r) == [
        ("a.jsonl", 2, None), ("b.jsonl", 2, None), ("c.txt", None, None)]
    assert len(out) == 5


def test_ids_reused_by_another_input_sharing_the_output(tmp_path, monkeypatch):
    """Row numbers as ids: b.jsonl was repaired into out.jsonl, then a.jsonl (ids 1, 2 too) is added
    to the resumed run. a's records were skipped (their ids were 'done': lost) and b's written twice.
    A record is skipped when the output holds its id *with its fields*."""
    monkeypatch.chdir(tmp_path)
    _write_jsonl(Path("a.jsonl"), [{"id": 1, "text": "La ville rénove ses écoles."}, {"id": 2, "text": None}])
    _write_jsonl(Path("b.jsonl"), [{"id": 1, "text": "Le budget est voté."}, {"id": 2, "text": None, "page": 3}])
    assert main(["repair", "b.jsonl", "-o", "out.jsonl", *FAST]) == 1
    main(["repair", "a.jsonl", "b.jsonl", "-o", "out.jsonl", "--resume", *FAST])
    out = _lines(Path("out.jsonl"))
    assert sorted((r["id"], r["text"] or "", r.get("page", 0)) for r in out) == [
        (1, "La ville rénove ses écoles.", 0), (1, "Le budget est voté.", 0), (2, "", 0), (2, "", 3)]
    main(["repair", "a.jsonl", "b.jsonl", "-o", "out.jsonl", "--resume", *FAST])
    assert len(_lines(Path("out.jsonl"))) == 4


def test_ids_with_the_text_replaced_in_place_still_resume_by_id(tmp_path, monkeypatch):
    """With the text replaced in place the input fields cannot be compared: the id alone decides."""
    monkeypatch.chdir(tmp_path)
    _write_jsonl(Path("a.jsonl"), [{"id": i, "text": f"Il a gardé à l’esprit que le budget {i} est voté."}
                                   for i in range(3)])
    args = ["--text-out-field", "text", *FAST]
    assert main(["repair", "a.jsonl", "-o", "out.jsonl", *args]) == 0
    Path("out.jsonl").write_text(Path("out.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)[0],
                                 encoding="utf-8")
    assert main(["repair", "a.jsonl", "-o", "out.jsonl", "--resume", *args]) == 0
    assert [r["id"] for r in _lines(Path("out.jsonl"))] == [0, 1, 2]


def test_resume_refuses_an_output_that_is_not_a_regular_file(tmp_path):
    """``-o`` a named pipe with --resume: reading what it 'already holds' blocked for ever. Refused
    (in a subprocess: a regression would hang, the timeout makes it fail)."""
    import subprocess
    import sys

    _write_jsonl(tmp_path / "dump.jsonl", [{"text": "Le budget est voté."}])
    os.mkfifo(tmp_path / "pipe")
    proc = subprocess.run([sys.executable, "-m", "mtrepair", "repair", "dump.jsonl", "-o", "pipe", "--resume", *FAST],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "pipe: --resume: not a regular file" in proc.stderr


def test_document_shape_is_the_one_documents_are_written_with(tmp_path, monkeypatch):
    """--resume finds documents by the exact shape of their JSONL record: it must stay the
    ``--format json`` contract's (else every document would be repaired and written again)."""
    from mtrepair import RepairConfig, Repairer
    from mtrepair.batch.jsonio import DOCUMENT_KEYS

    assert DOCUMENT_KEYS == {"input", *Repairer(RepairConfig(model="none")).repair("Bonjour.").to_dict()}
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("Le budget est voté.\n", encoding="utf-8")
    Path("b.txt").write_text(" \n", encoding="utf-8")  # empty: an error record
    for _ in range(3):
        main(["repair", "a.txt", "b.txt", "-o", "out.jsonl", "--format", "jsonl", "--resume", *FAST])
    assert [r["input"] for r in _lines(Path("out.jsonl"))] == ["a.txt", "b.txt"]


def test_resume_after_leaving_out_a_key_the_first_run_wrote(tmp_path, monkeypatch):
    """The first run wrote findings, the resumed one leaves them out (``--findings-field ''``): the
    outputs' records still hold 'findings', which the resumed run does not add, so their fields never
    equalled the input's and every record (with id or not) was written again."""
    monkeypatch.chdir(tmp_path)
    rows = [{"id": 1, "text": "La ville rénove ses écoles."}, {"text": "Le budget est voté."},
            {"id": 3, "text": "Les travaux commencent."}]
    _write_jsonl(Path("dump.jsonl"), rows)
    assert main(["repair", "dump.jsonl", "-o", "out.jsonl", *FAST]) == 0
    for extra in (["--findings-field", ""], ["--scores-field", "", "--edits-field", ""]):
        assert main(["repair", "dump.jsonl", "-o", "out.jsonl", "--resume", *extra, *FAST]) == 0
    assert len(_lines(Path("out.jsonl"))) == 3


def test_resume_after_a_first_record_longer_than_the_check_reads(tmp_path, monkeypatch):
    """The output check reads a bounded first line: a first record of megabytes (a raw HTML field)
    is still taken for a record, and resuming completes the output."""
    monkeypatch.chdir(tmp_path)
    rows = [{"text": "La ville rénove ses écoles.", "html": "<p>" + "é" * 1_500_000 + "</p>"},
            {"text": "Le budget est voté."}]
    _write_jsonl(Path("dump.jsonl"), rows)
    assert main(["repair", "dump.jsonl", "-o", "out.jsonl", *FAST]) == 0
    first = Path("out.jsonl").read_bytes().splitlines(keepends=True)[0]
    Path("out.jsonl").write_bytes(first)
    assert main(["repair", "dump.jsonl", "-o", "out.jsonl", "--resume", *FAST]) == 0
    assert [r["text"] for r in _lines(Path("out.jsonl"))] == [r["text"] for r in rows]


def test_resume_with_the_text_replaced_in_place_and_no_id(tmp_path, monkeypatch):
    """``--text-out-field text`` (the text replaced in place) on an id-less dump: the input text
    is not in the output, so records could not be recognised and a resumed run wrote every done
    record again. The edits say what was replaced: the input text is rebuilt from them."""
    monkeypatch.chdir(tmp_path)
    rows = [{"text": "Il a gardé à l’esprit que la société embauchera.", "src": "a"},
            {"text": "La ville rénove ses écoles.", "src": "b"},
            {"text": "Les individus de l’entreprise ont abandonné. Et maintenant? Rien.", "src": "c"},
            {"text": "Le budget est voté.", "src": "d"}]
    _write_jsonl(Path("dump.jsonl"), rows)
    args = ["--text-out-field", "text", *FAST]
    assert main(["repair", "dump.jsonl", "-o", "full.jsonl", *args]) == 0
    full = Path("full.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    assert json.loads(full[0])["edits"] and json.loads(full[0])["text"] != rows[0]["text"]
    for keep in (1, 3):
        Path("out.jsonl").write_text("".join(full[:keep]) + full[keep][:30], encoding="utf-8")
        assert main(["repair", "dump.jsonl", "-o", "out.jsonl", "--resume", *args]) == 0
        assert Path("out.jsonl").read_text(encoding="utf-8").splitlines(keepends=True) == full
    # without the edits the input text cannot be rebuilt: those records are redone (documented)
    args = ["--text-out-field", "text", "--edits-field", "", *FAST]
    assert main(["repair", "dump.jsonl", "-o", "noedits.jsonl", *args]) == 0
    assert main(["repair", "dump.jsonl", "-o", "noedits.jsonl", "--resume", *args]) == 0
    assert len(_lines(Path("noedits.jsonl"))) == 2 * len(rows) - 2  # the two unchanged ones are found


def test_unapply_edits_gives_back_the_text_any_edits_were_applied_to():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from mtrepair.batch.jsonio import unapply_edits

    @st.composite
    def text_and_edits(draw):
        text = draw(st.text(alphabet="ab é’\n", max_size=40))
        cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
        edits = []
        for start, end in zip(cuts[::2], cuts[1::2]):
            edits.append({"start": start, "end": end, "original": text[start:end],
                          "replacement": draw(st.text(alphabet="xyé ", max_size=5))})
        return text, edits

    @given(text_and_edits())
    @settings(max_examples=300, deadline=None)
    def check(case):
        text, edits = case
        out, pos = [], 0
        for e in edits:
            out += [text[pos:e["start"]], e["replacement"]]
            pos = e["end"]
        repaired = "".join(out) + text[pos:]
        assert unapply_edits(repaired, edits) == text
        if len({e["start"] for e in edits}) == len(edits):  # in any order (ties keep theirs, as in apply_edits)
            assert unapply_edits(repaired, list(reversed(edits))) == text

    check()
    assert unapply_edits("abc", [{"start": 0, "end": 1, "original": "a", "replacement": "z"}]) is None
    assert unapply_edits("abc", [{"start": 0}]) is None and unapply_edits("abc", "x") is None
