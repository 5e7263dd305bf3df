"""``mtrepair repair`` over folders, JSONL/CSV records, HTML pages, with --jobs, --output-dir, --resume.

The batch engine must give, for every record, exactly what ``Repairer(config).repair(text)``
gives for that text (same edits, same repaired text), keep every other field, lose no record
(malformed lines and failures become error records), keep the input order, and exit 1 when
anything failed. These tests run with ``--model none``: they check the batch mechanics, not
the model (whose own tests cover it), and stay fast.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from mtrepair import RepairConfig, Repairer
from mtrepair.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "tests" / "data" / "clean" / "paragraphs.jsonl"
EXAMPLES = ROOT / "examples"
FAST = ["--model", "none"]


def clean_records(n: int) -> list[dict]:
    out = []
    with CLEAN.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line))
            if len(out) == n:
                break
    return out


def spun_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("spun-article-*.txt"))]


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig(model="none"))


def write_jsonl(path: Path, records: list, extra_lines: dict[int, str] | None = None) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for pos, raw in sorted((extra_lines or {}).items()):
        lines.insert(pos, raw)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_jsonl(path_or_text) -> list[dict]:
    text = path_or_text.read_text(encoding="utf-8") if isinstance(path_or_text, Path) else path_or_text
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def mixed_records() -> list[dict]:
    """Spun articles and clean paragraphs, with extra fields that must survive."""
    recs = []
    for i, text in enumerate(spun_texts()):
        recs.append({"id": f"spun-{i}", "url": f"https://exemple.fr/{i}", "text": text, "lang": "fr"})
    for r in clean_records(12):
        recs.append({"id": r["id"], "topic": r["topic"], "text": r["text"], "nested": {"a": [1, 2]}})
    return recs


# --- JSONL in, JSONL out ------------------------------------------------------------------


def test_jsonl_records_keep_fields_match_the_library_and_malformed_lines_become_error_records(
        tmp_path, capsys, repairer):
    recs = mixed_records()
    src = tmp_path / "articles.jsonl"
    # A truncated line (position 2) and a JSON list (position 6) among the records, and a blank line.
    write_jsonl(src, recs, {2: '{"id": "cut", "text": "Le gouvernement a', 6: "[1, 2, 3]", 9: ""})
    code = main(["repair", str(src), *FAST])
    out = capsys.readouterr()
    rows = read_jsonl(out.out)
    assert code == 1, "a malformed line must make the exit code non-zero"
    assert len(rows) == len(recs) + 2, "one output record per non-blank input line"
    errors = [r for r in rows if "error" in r]
    assert [(e["line"], e["input"]) for e in errors] == [(3, str(src)), (7, str(src))]
    assert errors[0]["raw"] == '{"id": "cut", "text": "Le gouvernement a'
    assert "invalid JSON" in errors[0]["error"] and "JSON object" in errors[1]["error"]
    good = [r for r in rows if "error" not in r]
    assert [r["id"] for r in good] == [r["id"] for r in recs], "input order is kept"
    for before, after in zip(recs, good):
        for key, value in before.items():
            assert after[key] == value, f"field {key} changed"
        expected = repairer.repair(before["text"])
        assert after["repaired_text"] == expected.text
        assert after["edits"] == [e.to_dict() for e in expected.edits]
        assert after["changed"] == (expected.text != before["text"])
        assert after["scores"]["edits"] == len(expected.edits)
    assert any(r["changed"] for r in good if r["id"].startswith("spun")), "the spun articles get repaired"
    assert all(r["repaired_text"] == r["text"] for r in good if not r["id"].startswith("spun")), \
        "clean paragraphs come out unchanged"
    summary = out.err.strip().splitlines()[-1]
    assert f"{len(recs) + 2} record(s)" in summary and "2 failed" in summary and "repaired" in summary
    assert "articles.jsonl:3:" in out.err and "\r" not in out.err, "errors named; no progress bar when piped"


def test_jobs_two_gives_the_same_output_in_the_same_order(tmp_path):
    recs = mixed_records() + [{"id": f"c-{r['id']}", "text": r["text"]} for r in clean_records(40)]
    src = tmp_path / "many.jsonl"
    write_jsonl(src, recs, {5: "not json"})
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["repair", str(src), "-o", str(one), "-q", *FAST]) == 1
    assert main(["repair", str(src), "-o", str(two), "-q", "--jobs", "2", *FAST]) == 1
    assert one.read_bytes() == two.read_bytes()
    assert len(read_jsonl(two)) == len(recs) + 1


def test_custom_fields_prefix_and_omitted_keys(tmp_path, capsys, repairer):
    text = spun_texts()[0]
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"uid": 7, "body": text, "edits": "user data that must not be overwritten"}])
    code = main(["repair", str(src), "--text-field", "body", "--id-field", "uid",
                 "--output-key-prefix", "mtr_", "--findings-field", "", *FAST])
    (row,) = read_jsonl(capsys.readouterr().out)
    assert code == 0
    assert row["edits"] == "user data that must not be overwritten" and row["body"] == text
    assert row["mtr_repaired_text"] == repairer.repair(text).text
    assert isinstance(row["mtr_edits"], list) and "mtr_scores" in row and "mtr_changed" in row
    assert not any("findings" in key for key in row), "--findings-field '' leaves the findings out"
    # Replacing the text in place is allowed when asked for explicitly.
    code = main(["repair", str(src), "--text-field", "body", "--text-out-field", "body",
                 "--edits-field", "mtr_edits", *FAST])
    (row,) = read_jsonl(capsys.readouterr().out)
    assert code == 0 and row["body"] == repairer.repair(text).text


def test_records_that_cannot_be_repaired_get_an_error_field_and_the_run_goes_on(tmp_path, capsys):
    recs = [
        {"id": "a", "text": "La séance a été levée à midi."},
        {"id": "b", "titre": "pas de champ texte"},
        {"id": "c", "text": None},
        {"id": "d", "text": "Le maire a inauguré la médiathèque.", "edits": ["déjà là"]},
        {"id": "e", "text": "Le conseil municipal s’est réuni jeudi soir."},
    ]
    src = tmp_path / "in.jsonl"
    write_jsonl(src, recs)
    code = main(["repair", str(src), *FAST])
    out = capsys.readouterr()
    rows = read_jsonl(out.out)
    assert code == 1
    assert [r["id"] for r in rows] == ["a", "b", "c", "d", "e"]
    status = {r["id"]: r.get("error") for r in rows}
    assert status["a"] is None and status["e"] is None
    assert "no 'text' field" in status["b"] and "null" in status["c"] and "overwrite" in status["d"]
    assert rows[3]["edits"] == ["déjà là"], "an input field is never overwritten"
    assert "5 record(s): 2 ok" in out.err and "3 failed" in out.err


def test_stdin_jsonl_when_a_text_field_is_given(monkeypatch, capsys):
    recs = clean_records(3)
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code = main(["repair", "-", "--text-field", "text", *FAST])
    rows = read_jsonl(capsys.readouterr().out)
    assert code == 0 and [r["id"] for r in rows] == [r["id"] for r in recs]
    assert all(r["repaired_text"] == r["text"] for r in rows)


def test_csv_rows_are_records(tmp_path, capsys, repairer):
    spun = spun_texts()[1]
    src = tmp_path / "in.csv"
    import csv

    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "source", "text"])
        w.writerow(["1", "agence", spun])
        w.writerow(["2", "agence", clean_records(1)[0]["text"]])
    code = main(["repair", str(src), *FAST])
    rows = read_jsonl(capsys.readouterr().out)
    assert code == 0 and [r["id"] for r in rows] == ["1", "2"]
    assert rows[0]["source"] == "agence" and rows[0]["repaired_text"] == repairer.repair(spun).text
    assert rows[1]["changed"] is False


# --- folders, documents, --output-dir -------------------------------------------------------


def make_tree(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "2024" / "mars").mkdir(parents=True)
    (root / ".cache").mkdir()
    texts = spun_texts()
    (root / "a.txt").write_text(texts[0], encoding="utf-8")
    (root / "2024" / "mars" / "b.txt").write_text(texts[1], encoding="utf-8")
    (root / "2024" / "c.txt").write_text(clean_records(1)[0]["text"], encoding="utf-8")
    (root / "2024" / "notes.md").write_text(texts[2], encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / ".cache" / "x.txt").write_text("caché", encoding="utf-8")
    return root


def test_folder_recursive_with_glob_mirrors_names_in_output_dir(tmp_path, capsys, repairer):
    root = make_tree(tmp_path)
    out = tmp_path / "out"
    code = main(["repair", str(root), "--glob", "*.txt", "--output-dir", str(out), *FAST])
    err = capsys.readouterr().err
    assert code == 0, err
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["2024/c.txt", "2024/mars/b.txt", "a.txt"], "hidden folders, other globs skipped"
    for rel in written:
        original = (root / rel).read_text(encoding="utf-8")
        assert (out / rel).read_text(encoding="utf-8") == repairer.repair(original).text
    assert (out / "2024/c.txt").read_text(encoding="utf-8") == (root / "2024/c.txt").read_text(encoding="utf-8")
    assert "3 record(s): 3 ok" in err


def test_folder_to_one_jsonl_stream_uses_the_json_contract_per_document(tmp_path, capsys, repairer):
    root = make_tree(tmp_path)
    code = main(["repair", str(root), *FAST])
    out = capsys.readouterr()
    rows = read_jsonl(out.out)
    assert code == 0
    names = [Path(r["input"]).relative_to(root).as_posix() for r in rows]
    assert names == ["2024/c.txt", "2024/mars/b.txt", "2024/notes.md", "a.txt"]  # sorted walk, no .png
    for r in rows:
        original = Path(r["input"]).read_text(encoding="utf-8")
        expected = repairer.repair(original).to_dict()
        assert {k: r[k] for k in ("text", "edits", "findings", "scores")} == \
               {k: expected[k] for k in ("text", "edits", "findings", "scores")}


def test_single_file_json_contract_is_unchanged(tmp_path, capsys, repairer):
    path = tmp_path / "article.txt"
    path.write_text(spun_texts()[0], encoding="utf-8")
    assert main(["repair", str(path), "--format", "json", *FAST]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert isinstance(obj, dict) and {"text", "edits", "findings", "scores"} <= set(obj)
    assert obj["text"] == repairer.repair(path.read_text(encoding="utf-8")).text


def test_a_bad_file_in_a_folder_is_an_error_record_not_a_stop(tmp_path, capsys):
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(clean_records(1)[0]["text"], encoding="utf-8")
    (root / "b.txt").write_bytes("Le président a été réélu à Marseille.".encode("latin-1"))
    (root / "c.txt").write_text("", encoding="utf-8")
    (root / "d.txt").write_text(clean_records(2)[1]["text"], encoding="utf-8")
    code = main(["repair", str(root), "--format", "jsonl", *FAST])
    out = capsys.readouterr()
    rows = read_jsonl(out.out)
    assert code == 1
    assert [Path(r["input"]).name for r in rows] == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert "byte offset" in rows[1]["error"] and "empty" in rows[2]["error"]
    assert "text" in rows[3] and "error" not in rows[3]


# --- resume -------------------------------------------------------------------------------


def test_resume_after_an_interrupted_run_writes_every_record_exactly_once(tmp_path, capsys):
    recs = mixed_records()
    src = tmp_path / "in.jsonl"
    write_jsonl(src, recs, {9: "{oops"})
    full = tmp_path / "full.jsonl"
    assert main(["repair", str(src), "-o", str(full), "-q", *FAST]) == 1
    # An interrupted run: the first 6 lines written and half of the 7th.
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    part = tmp_path / "part.jsonl"
    part.write_text("".join(lines[:6]) + lines[6][: len(lines[6]) // 2], encoding="utf-8")
    code = main(["repair", str(src), "-o", str(part), "--resume", *FAST])
    err = capsys.readouterr().err
    assert code == 1, "the malformed line (not written before the interruption) is a failure"
    assert part.read_text(encoding="utf-8") == full.read_text(encoding="utf-8")
    assert "6 skipped" in err
    # Nothing left to do: a second resume writes nothing and changes nothing (it only counts
    # the records of this run, and the malformed line's error record is already there).
    before = part.read_bytes()
    assert main(["repair", str(src), "-o", str(part), "--resume", "-q", *FAST]) == 0
    assert part.read_bytes() == before


def test_resume_in_an_output_dir_skips_documents_already_written(tmp_path, capsys):
    root = make_tree(tmp_path)
    out = tmp_path / "out"
    assert main(["repair", str(root), "--output-dir", str(out), "-q", *FAST]) == 0
    (out / "a.txt").unlink()
    marker = "MARKER, must survive"
    (out / "2024" / "c.txt").write_text(marker, encoding="utf-8")
    assert main(["repair", str(root), "--output-dir", str(out), "--resume", *FAST]) == 0
    err = capsys.readouterr().err
    assert (out / "a.txt").exists() and (out / "2024" / "c.txt").read_text(encoding="utf-8") == marker
    assert "1 record(s)" in err and "3 skipped" in err


# --- clear refusals -----------------------------------------------------------------------


@pytest.mark.parametrize("extra, message", [
    (["--resume"], "--resume needs -o"),
    (["--format", "text"], "gives JSONL records"),
    (["--output-dir", "OUT", "-o", "x.jsonl"], "either -o or --output-dir"),
    (["--jobs", "-1"], "--jobs"),
])
def test_bad_option_combinations_are_refused_clearly(tmp_path, capsys, extra, message):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, clean_records(2))
    extra = [str(tmp_path / "out") if e == "OUT" else e for e in extra]
    assert main(["repair", str(src), *extra, *FAST]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_output_never_overwrites_its_input(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, clean_records(2))
    before = src.read_bytes()
    assert main(["repair", str(src), "-o", str(src), *FAST]) == 1
    assert "overwrite its own input" in capsys.readouterr().err
    assert main(["repair", str(tmp_path), "--output-dir", str(tmp_path), *FAST]) == 1
    assert "overwrite its own input" in capsys.readouterr().err
    assert src.read_bytes() == before


def test_parquet_rows_are_records(tmp_path, capsys, repairer):
    pa = pytest.importorskip("pyarrow", reason="Parquet input needs the 'parquet' extra (pyarrow)")
    import pyarrow.parquet as pq

    texts = [spun_texts()[2], clean_records(1)[0]["text"], None]
    table = pa.table({"id": [10, 11, 12], "text": texts, "score": [0.5, 1.5, 2.5]})
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    code = main(["repair", str(src), *FAST])
    rows = read_jsonl(capsys.readouterr().out)
    assert code == 1, "the null text is a failed record"
    assert [r["id"] for r in rows] == [10, 11, 12] and [r["score"] for r in rows] == [0.5, 1.5, 2.5]
    assert rows[0]["repaired_text"] == repairer.repair(texts[0]).text
    assert rows[1]["changed"] is False and "null" in rows[2]["error"]


def test_text_output_to_a_file_is_atomic_and_complete(tmp_path, capsys, repairer):
    root = make_tree(tmp_path)
    out = tmp_path / "all.json"
    out.write_text("previous content", encoding="utf-8")
    assert main(["repair", str(root), "--glob", "*.txt", "--format", "json", "-o", str(out), "--jobs", "2",
                 *FAST]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [Path(d["input"]).name for d in data] == ["c.txt", "b.txt", "a.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".all.json")], "no temporary file left"
