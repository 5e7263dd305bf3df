"""Edge cases of ``mtrepair repair`` over files, folders and JSONL, through the real CLI entry point.

1. A file with nothing to repair (empty, whitespace only, a byte order mark and line ends, no-break
   spaces) is refused the same way whether it is read whole or streamed block by block
   (``--block-chars``): ``empty input``, counted as a failure, exit 1.
2. An empty JSONL input (0 bytes, or blank lines only) is mirrored by an empty ``.jsonl`` under
   ``--output-dir``, gives an empty ``-o`` file, and counts 0 records (exit 0).
3. ``--resume --retry-failed`` redoes the records whose output carries the error key, and keeps
   every other output line byte for byte, in order.

These tests run with ``--model none``: they check the batch mechanics, not the model.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from mtrepair.cli.main import EXIT_FAILED, EXIT_OK, main

FAST = ["--model", "none"]

#: A short French article: the line broken mid-sentence is joined when the file is repaired whole,
#: not across a block boundary (which shows which path read it), and « maintenant? » gets its space.
ARTICLE = ("Le ministre de l’Économie a annoncé que la réforme des retraites sera présentée\n"
           "en conseil des ministres mercredi prochain.\n"
           "\n"
           "Et maintenant? Le maire de Lyon a répondu : « Nous verrons. »\n")

#: Files holding nothing to repair, each in a way a scraper produces.
BLANK_FILES = {
    "vide.txt": b"",
    "espaces.txt": b"  \n\t\n\n",
    "bom-et-lignes.txt": codecs.BOM_UTF8 + b"\n\n\r\n",
    "bom-seul.txt": codecs.BOM_UTF8,
    "insecables.txt": "\u00a0\u202f\n\n".encode("utf-8"),
    "utf16-lignes.txt": "\ufeff\n \n".encode("utf-16-le"),
}

WHOLE = ["--block-chars", "0"]  # never split
STREAMED = ["--block-chars", "8"]  # every file longer than 8 bytes is read and repaired block by block


def run_cli(args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def counts(err: str) -> str:
    """The summary line of a batch run without its timing."""
    line = [x for x in err.splitlines() if re.match(r"mtrepair: \d+ record\(s\)", x)]
    assert len(line) == 1, err
    return re.sub(r" in [\d.]+ s \(.*\)$", "", line[0])


# --- 1. blank files: the same answer read whole or block by block ---------------------------------


def test_the_article_really_takes_two_different_paths(tmp_path, capsys):
    """Guard for the tests below: with --block-chars 8 the file is repaired block by block (the broken
    line is not joined across the block boundary), with 0 it is repaired whole (it is)."""
    f = tmp_path / "article.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    code, whole, _ = run_cli(["repair", f, "-q", *WHOLE, *FAST], capsys)
    assert code == EXIT_OK and "présentée en conseil des ministres" in whole and "maintenant ?" in whole
    code, streamed, _ = run_cli(["repair", f, "-q", *STREAMED, *FAST], capsys)
    assert code == EXIT_OK and "présentée\n" in streamed and "maintenant ?" in streamed


@pytest.mark.parametrize("name", sorted(BLANK_FILES))
def test_a_blank_file_is_empty_input_read_whole_or_streamed(tmp_path, capsys, name):
    """Whole, a file holding a BOM and line ends was repaired (exit 0, its line ends printed), while
    streamed it was « empty input » (exit 1). Both now refuse every blank file alike, as the whole
    path always did for an empty or a whitespace-only file, and leave the file as it was."""
    f = tmp_path / name
    f.write_bytes(BLANK_FILES[name])
    results = []
    for path_args in (WHOLE, STREAMED):
        code, out, err = run_cli(["repair", f, *path_args, *FAST], capsys)
        results.append((code, out, err))
        assert code == EXIT_FAILED and out == ""
        assert err == f"mtrepair: error: {f}: empty input, nothing to repair\n"
    assert results[0] == results[1]
    assert f.read_bytes() == BLANK_FILES[name]


def test_blank_files_among_articles_whole_and_streamed_plain_and_batch(tmp_path, capsys):
    """Several files at once, on the plain path (text on standard output) and through the batch
    engine (--output-dir): the blank files are reported and counted as failures the same way,
    whole or block by block, and the article still comes out; a blank file alone leaves an existing
    -o file as it was."""
    names = sorted(BLANK_FILES)
    for name in names:
        (tmp_path / name).write_bytes(BLANK_FILES[name])
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    files = [tmp_path / n for n in names[:3]] + [article] + [tmp_path / n for n in names[3:]]
    errors = [f"mtrepair: error: {tmp_path / n}: empty input, nothing to repair" for n in names]

    for path_args in (WHOLE, STREAMED):
        code, out, err = run_cli(["repair", *files, "-q", *path_args, *FAST], capsys)
        assert code == EXIT_FAILED
        assert [x for x in err.splitlines() if "empty input" in x] == errors[:3] + errors[3:]
        assert "maintenant ?" in out  # the article alone, repaired

        outdir = tmp_path / ("whole" if path_args is WHOLE else "streamed")
        code, out, err = run_cli(["repair", *files, "--output-dir", outdir, *path_args, *FAST], capsys)
        assert code == EXIT_FAILED and out == ""
        assert counts(err) == f"mtrepair: {len(files)} record(s): 1 ok (1 repaired), {len(names)} failed"
        assert [x for x in err.splitlines() if "empty input" in x] == errors
        assert sorted(p.name for p in outdir.iterdir()) == ["article.txt"]  # a failed document has no file

    # Only blank inputs: nothing could be read, so an existing -o file is kept as it was.
    out_file = tmp_path / "sortie.txt"
    out_file.write_text("sortie précédente\n", encoding="utf-8")
    for name in names:
        for path_args in (WHOLE, STREAMED):
            code, out, err = run_cli(["repair", tmp_path / name, "-o", out_file, *path_args, *FAST], capsys)
            assert code == EXIT_FAILED and err.count("empty input") == 1
            assert out_file.read_text(encoding="utf-8") == "sortie précédente\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


# --- 2. JSONL inputs without records: mirrored, empty, not a failure -------------------------------

RECORDS = [
    {"id": "a1", "text": "Et maintenant? Le maire de Lyon a répondu : « Nous verrons. »\n"},
    {"id": "a2", "text": "Le conseil municipal a voté le budget mardi soir. Les travaux commenceront en mars.\n"},
]


def write_records(path: Path, records: list[dict]) -> None:
    import json

    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def read_records(path: Path) -> list[dict]:
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_inputs_without_records_are_mirrored_by_empty_files(tmp_path, capsys, jobs):
    """--output-dir wrote no file for a JSONL input of 0 bytes or of blank lines only (nor for a CSV
    holding its header alone), so a downstream step missed an input. Each now gets its empty mirror,
    a stale output of an earlier run is emptied, the run counts them apart (not failures), exit 0."""
    src = tmp_path / "entrees"
    (src / "lundi").mkdir(parents=True)
    (src / "lundi" / "vide.jsonl").write_bytes(b"")
    (src / "blancs.jsonl").write_bytes(b"\n\n  \r\n")
    (src / "entete.csv").write_text("id,text\n", encoding="utf-8")
    write_records(src / "articles.jsonl", RECORDS)
    outdir = tmp_path / "sorties"
    (outdir / "lundi").mkdir(parents=True)
    (outdir / "lundi" / "vide.jsonl").write_text('{"id": "ancien", "text": "Sortie périmée."}\n', encoding="utf-8")

    code, out, err = run_cli(["repair", src, "--output-dir", outdir, "--jobs", jobs, *FAST], capsys)
    assert code == EXIT_OK and out == ""
    assert counts(err) == "mtrepair: 2 record(s): 2 ok (1 repaired), 0 failed, 3 input(s) without records"
    for name in ("blancs.jsonl", "entete.csv", "lundi/vide.jsonl"):
        assert f"mtrepair: note: {src / name}: holds no record, nothing to repair; its mirrored output file is empty" in err
    mirrored = sorted(p.relative_to(outdir).as_posix() for p in outdir.rglob("*") if p.is_file())
    assert mirrored == ["articles.jsonl", "blancs.jsonl", "entete.jsonl", "lundi/vide.jsonl"]
    for name in ("blancs.jsonl", "entete.jsonl", "lundi/vide.jsonl"):
        assert (outdir / name).read_bytes() == b""
    repaired = read_records(outdir / "articles.jsonl")
    assert [r["id"] for r in repaired] == ["a1", "a2"]
    assert repaired[0]["repaired_text"].startswith("Et maintenant ? Le maire")
    assert repaired[1]["repaired_text"] == RECORDS[1]["text"]  # clean French comes out unchanged
    assert not [p for p in outdir.rglob("*.tmp")]

    # --resume keeps every existing output, empty mirrors included, and redoes nothing.
    (outdir / "blancs.jsonl").unlink()
    before = (outdir / "articles.jsonl").read_bytes()
    code, out, err = run_cli(["repair", src, "--output-dir", outdir, "--resume", *FAST], capsys)
    assert code == EXIT_OK
    assert counts(err) == ("mtrepair: 0 record(s): 0 ok (0 repaired), 0 failed, 2 skipped (already in the output), "
                           "3 input(s) without records")
    assert (outdir / "blancs.jsonl").read_bytes() == b"" and (outdir / "articles.jsonl").read_bytes() == before


@pytest.mark.parametrize("data", [b"", b"\n\n \n"], ids=["zero-bytes", "blank-lines"])
def test_a_jsonl_input_without_records_on_o_and_standard_output(tmp_path, capsys, data):
    """-o gets the empty output of an input without records (an earlier output is replaced: -o is
    this input's output), standard output gets nothing; the note and the summary say why; exit 0."""
    src = tmp_path / "vide.jsonl"
    src.write_bytes(data)
    out_file = tmp_path / "sortie.jsonl"
    write_records(out_file, RECORDS)
    code, out, err = run_cli(["repair", src, "-o", out_file, *FAST], capsys)
    assert code == EXIT_OK and out == "" and out_file.read_bytes() == b""
    assert f"mtrepair: note: {src}: holds no record, nothing to repair\n" in err
    assert counts(err) == "mtrepair: 0 record(s): 0 ok (0 repaired), 0 failed, 1 input(s) without records"

    code, out, err = run_cli(["repair", src, *FAST], capsys)
    assert code == EXIT_OK and out == ""
    assert counts(err) == "mtrepair: 0 record(s): 0 ok (0 repaired), 0 failed, 1 input(s) without records"

    # Next to an input with records, the stream holds exactly that input's records.
    other = tmp_path / "articles.jsonl"
    write_records(other, RECORDS)
    code, out, err = run_cli(["repair", src, other, "-o", out_file, "-q", *FAST], capsys)
    assert code == EXIT_OK and [r["id"] for r in read_records(out_file)] == ["a1", "a2"]
