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
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mtrepair.cli.main import EXIT_FAILED, EXIT_OK, main

FAST = ["--model", "none"]

#: A short French article: the line broken mid-sentence is joined when the file is repaired whole,
#: not across a block boundary (which shows which path read it), and « maintenant? » gets its space (the
#: document spaces its « ! »: the glued « ? » is an outlier, not Québec usage).
ARTICLE = ("Le ministre de l’Économie a annoncé que la réforme des retraites sera présentée\n"
           "en conseil des ministres mercredi prochain.\n"
           "\n"
           "Et maintenant? Le maire de Lyon a répondu : « Nous verrons ! »\n")

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
    {"id": "a1", "text": "Et maintenant? Le maire de Lyon a répondu : « Nous verrons ! »\n"},
    {"id": "a2", "text": "Le conseil municipal a voté le budget mardi soir. Les travaux commenceront en mars.\n"},
]


def write_records(path: Path, records: list[dict]) -> None:

    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def read_records(path: Path) -> list[dict]:

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


# --- 3. --resume --retry-failed: error records are redone, every other line kept byte for byte -----

#: Scraped records: a spun article, clean paragraphs (which must come out unchanged) and a record
#: whose own ``error`` field (the scraper's) must not be taken for a failure of mtrepair's.
ARTICLES = [
    {"id": "fr-001", "text": "Et maintenant? Le maire de Lyon a répondu : « Nous verrons ! »\n"},
    {"id": "fr-002", "text": "Le conseil municipal a voté le budget mardi soir. Les travaux commenceront en mars.\n"},
    {"id": "fr-003", "text": "La préfecture a levé l’alerte orange en fin de journée, après la décrue de la Saône.\n"},
    {"id": "fr-004", "text": "Selon la SNCF, le trafic reprendra normalement jeudi sur la ligne Paris-Lyon.\n"},
    {"id": "fr-005", "text": "Le festival a accueilli 40 000 spectateurs sur trois jours, un record.\n",
     "error": "HTTP 404 au premier essai (page archivée)"},
    {"source": "sans-id", "text": "Les négociations reprendront lundi au ministère du Travail.\n"},
]


def _hang_on(marker: bytes, monkeypatch) -> None:
    """The JSONL line holding ``marker`` blocks its worker, as a pathological record would (the
    cause the user later fixes); every other record is repaired as usual."""
    import multiprocessing

    from mtrepair.batch import process as process_mod

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs the fork start method to inject the hang into the workers")
    real = process_mod.process_item

    def hanging(item, repairer, options):
        if isinstance(item.payload, bytes) and marker in item.payload:
            import time

            time.sleep(120)  # the worker is killed long before
        return real(item, repairer, options)

    monkeypatch.setattr(process_mod, "process_item", hanging)


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_retry_failed_redoes_timed_out_and_failed_records_and_keeps_every_other_line(
        tmp_path, capsys, monkeypatch):
    """A record that timed out, a record without its text field and one without id (error records
    carry its input and line) are retried once the causes are fixed; every other output line stays
    byte-identical and in order, the retried records are appended, each input record is in the
    output exactly once. Plain --resume, before, keeps the error records (as documented)."""
    src = tmp_path / "articles.jsonl"
    broken = [dict(r) for r in ARTICLES]
    broken[3] = {"id": "fr-004", "texte": ARTICLES[3]["text"]}  # misnamed field
    broken[5] = {"source": "sans-id", "text": None}  # no id, no text
    write_records(src, broken)
    real_out = tmp_path / "resultats.jsonl"
    out = tmp_path / "lien.jsonl"  # -o through a symbolic link: the link stays a link
    out.symlink_to(real_out.name)
    options = ["--record-timeout", "1", "--no-progress", *FAST]

    with monkeypatch.context() as m:
        _hang_on(b'"fr-003"', m)
        code, _, err = run_cli(["repair", src, "-o", out, *options], capsys)
    assert code == EXIT_FAILED
    assert f"{src}:3: timed out after 1 s" in err and counts(err).endswith("3 ok (1 repaired), 3 failed")
    first = _lines(real_out)
    records = [r for r in read_records(real_out)]
    assert [r.get("id") for r in records] == ["fr-001", "fr-002", "fr-003", "fr-004", "fr-005", None]
    failed = [i for i, r in enumerate(records) if "changed" not in r]
    assert failed == [2, 3, 5]
    assert records[5]["input"] == str(src) and records[5]["line"] == 6  # found by input and line

    code, _, err = run_cli(["repair", src, "-o", out, "--resume", *options], capsys)  # nothing retried
    assert code == EXIT_OK and _lines(real_out) == first and "6 skipped" in err

    write_records(src, ARTICLES)  # the causes are fixed; the hang is gone
    code, _, err = run_cli(["repair", src, "-o", out, "--resume", "--retry-failed", *options], capsys)
    assert code == EXIT_OK, err
    assert counts(err) == ("mtrepair: 3 record(s): 3 ok (0 repaired), 0 failed, 3 skipped (already in the output), "
                           "3 earlier failure(s) retried")
    after = _lines(real_out)
    kept = [first[i] for i in range(len(first)) if i not in failed]
    assert after[:len(kept)] == kept  # byte for byte, in order
    retried = [json.loads(line) for line in after[len(kept):]]
    assert [r.get("id") for r in retried] == ["fr-003", "fr-004", None]
    assert retried[2]["source"] == "sans-id"
    for r in retried:
        assert "error" not in r and r["repaired_text"] == r["text"]  # clean French, unchanged
    assert sorted(r.get("id") or r["source"] for r in read_records(real_out)) == sorted(
        r.get("id") or r["source"] for r in ARTICLES)
    assert out.is_symlink() and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    # Nothing failed any more: a second retry changes nothing, the file is not even rewritten. (The
    # record without id is left out here: a repaired record without id is redone by every --resume.)
    write_records(src, ARTICLES[:5])
    stat = real_out.stat()
    code, _, err = run_cli(["repair", src, "-o", out, "--resume", "--retry-failed", *options], capsys)
    assert code == EXIT_OK and "5 skipped" in err and "retried" not in err
    assert _lines(real_out) == after and real_out.stat().st_ino == stat.st_ino


def test_retry_failed_with_an_output_key_prefix_in_an_output_dir(tmp_path, capsys):
    """The error key is the run's own (--output-key-prefix): a failed record carries mtrepair_error
    and is retried, while a repaired record whose input has its own « error » field is kept as it
    is; JSON documents that recorded an error are written again, the others kept."""
    src = tmp_path / "entrees"
    src.mkdir()
    with_ids = ARTICLES[:5]  # a repaired record without id is redone by every --resume (see the test above)
    broken = [dict(r) for r in with_ids]
    broken[1] = {"id": "fr-002", "text": 2024}
    write_records(src / "lot.jsonl", broken)
    (src / "depeche.txt").write_bytes(b"\n \n")  # blank: fails now, written later
    (src / "breve.txt").write_text(ARTICLES[3]["text"], encoding="utf-8")
    outdir = tmp_path / "sorties"
    prefix = ["--output-key-prefix", "mtrepair_", *FAST]

    code, _, err = run_cli(["repair", src / "lot.jsonl", "--output-dir", outdir, *prefix], capsys)
    assert code == EXIT_FAILED
    lot = outdir / "lot.jsonl"
    first = _lines(lot)
    records = read_records(lot)
    assert records[1]["mtrepair_error"] == "field 'text' is int, not a string"
    assert records[4]["error"] == ARTICLES[4]["error"] and records[4]["mtrepair_changed"] is False
    docs = ["--format", "json", "--output-dir", outdir / "docs", *FAST]
    code, _, _ = run_cli(["repair", src / "depeche.txt", src / "breve.txt", *docs], capsys)
    assert code == EXIT_FAILED
    breve = (outdir / "docs" / "breve.txt.json").read_bytes()
    assert "empty input" in json.loads((outdir / "docs" / "depeche.txt.json").read_text(encoding="utf-8"))["error"]

    write_records(src / "lot.jsonl", with_ids)
    (src / "depeche.txt").write_text(ARTICLES[0]["text"], encoding="utf-8")
    code, _, err = run_cli(["repair", src / "lot.jsonl", "--output-dir", outdir, "--resume", "--retry-failed",
                            *prefix], capsys)
    assert code == EXIT_OK, err
    assert "1 record(s): 1 ok (0 repaired), 0 failed, 4 skipped" in err and "1 earlier failure(s) retried" in err
    after = _lines(lot)
    assert len(after) == 5 and after[:4] == first[:1] + first[2:]  # the scraper's own « error » field did not count as a failure
    assert json.loads(after[4])["id"] == "fr-002" and "mtrepair_error" not in json.loads(after[4])

    code, _, err = run_cli(["repair", src / "depeche.txt", src / "breve.txt", *docs, "--resume", "--retry-failed"],
                           capsys)
    assert code == EXIT_OK, err
    assert "1 record(s): 1 ok (1 repaired), 0 failed, 1 skipped" in err and "1 earlier failure(s) retried" in err
    depeche = json.loads((outdir / "docs" / "depeche.txt.json").read_text(encoding="utf-8"))
    assert "error" not in depeche and depeche["text"].startswith("Et maintenant ? Le maire")
    assert (outdir / "docs" / "breve.txt.json").read_bytes() == breve


class _Interrupted(Exception):
    pass


@pytest.mark.parametrize("stop", ["ctrl-c", "disk-full"])
def test_an_interrupted_rewrite_leaves_the_output_as_it_was(tmp_path, capsys, monkeypatch, stop):
    """Ctrl-C (or a full disk) while the output is rewritten without its error records: the old
    output is kept whole, no temporary file is left, and a later retry still works."""
    import errno

    from mtrepair.batch import writers

    src = tmp_path / "articles.jsonl"
    broken = [dict(r) for r in ARTICLES[:5]]
    broken[0] = {"id": "fr-001", "text": None}
    write_records(src, broken)
    out = tmp_path / "resultats.jsonl"
    code, _, _ = run_cli(["repair", src, "-o", out, *FAST], capsys)
    assert code == EXIT_FAILED
    before = out.read_bytes()
    write_records(src, ARTICLES[:5])

    class Failing(writers.AtomicOutput):
        calls = 0

        def write(self, data: bytes) -> None:
            Failing.calls += 1
            if Failing.calls == 3:  # half-way through the kept lines
                self._fail(KeyboardInterrupt() if stop == "ctrl-c" else OSError(errno.ENOSPC, "No space left on device"))
            super().write(data)

    with monkeypatch.context() as m:
        m.setattr(writers, "AtomicOutput", Failing)
        code, _, err = run_cli(["repair", src, "-o", out, "--resume", "--retry-failed", *FAST], capsys)
    if stop == "ctrl-c":
        assert code == 130 and "interrupted" in err
    else:
        assert code == EXIT_FAILED and f"{out}: cannot write: No space left on device" in err
    assert out.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    code, _, err = run_cli(["repair", src, "-o", out, "--resume", "--retry-failed", *FAST], capsys)
    assert code == EXIT_OK and "1 earlier failure(s) retried" in err
    assert [r["id"] for r in read_records(out)] == ["fr-002", "fr-003", "fr-004", "fr-005", "fr-001"]


@pytest.mark.parametrize("route", [["article.txt"], ["articles.jsonl", "-o", "sortie.jsonl"],
                                   ["articles.jsonl", "--output-dir", "sorties"]])
def test_retry_failed_without_resume_is_a_clear_error(tmp_path, capsys, monkeypatch, route):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "article.txt").write_text(ARTICLES[0]["text"], encoding="utf-8")
    write_records(tmp_path / "articles.jsonl", ARTICLES)
    code, out, err = run_cli(["repair", *route, "--retry-failed", *FAST], capsys)
    assert code == EXIT_FAILED and out == ""
    assert err == ("mtrepair: error: --retry-failed only makes sense with --resume (it repairs again the records "
                   "that failed in the output a previous run left: -o FILE or --output-dir)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt", "articles.jsonl"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_real_ctrl_c_during_the_rewrite_keeps_the_output(tmp_path):
    """A real SIGINT, sent as soon as the rewrite's temporary file appears: exit 130, no temporary
    file, and the output is either the old one byte for byte or (if the rename won the race) the
    old one without its error records, followed by whole retried records only."""
    src, out = tmp_path / "articles.jsonl", tmp_path / "resultats.jsonl"
    text = ARTICLES[1]["text"]
    old_lines, kept = [], []
    with src.open("w", encoding="utf-8") as fin:
        for i in range(60_000):
            fin.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
            if i % 4 == 0:  # the first line is an error record: the temporary file appears at once
                line = json.dumps({"id": i, "text": text, "error": "timed out after 1 s"}, ensure_ascii=False)
            else:
                line = json.dumps({"id": i, "text": text, "repaired_text": text, "edits": [], "findings": [],
                                   "scores": {"words": 14}, "changed": False}, ensure_ascii=False)
                kept.append((line + "\n").encode())
            old_lines.append((line + "\n").encode())
    out.write_bytes(b"".join(old_lines))
    proc = subprocess.Popen([sys.executable, "-m", "mtrepair", "repair", str(src), "-o", str(out), "--resume",
                             "--retry-failed", "--no-progress", *FAST], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    err_text = err.decode("utf-8", "replace")
    assert "Traceback" not in err_text
    assert proc.returncode == 130 and "interrupted" in err_text, err_text
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    after = out.read_bytes()
    if after != b"".join(old_lines):  # the rewrite was complete: then only whole retried records follow
        print("the rename came before the signal")
        head = b"".join(kept)
        assert after.startswith(head) and after.endswith(b"\n")
        retried = [json.loads(x) for x in after[len(head):].splitlines()]
        assert all(r["id"] % 4 == 0 and "error" not in r for r in retried)
