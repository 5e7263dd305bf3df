"""Hostile inputs and outputs through the CLI: clear message, right exit code, nothing lost.

Every test asserts (1) the message a user sees (it names the file, and the byte offset for a
decoding error), (2) the exit code, and (3) that no data was lost: other inputs still come out,
the input file is untouched, an output file is either the old one or the complete new one, and no
temporary file is left behind. Complements tests/test_cli_backbone.py (the lead's basic cases).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import mtrepair.io as mio
from mtrepair.cli.main import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, main

NO_MODEL = ["--model", "none"]  # bad-input handling does not depend on the model; keep tests fast

#: Clean French (must come out byte-identical) and text with a sure typography fix (the
#: document spaces its marks, one is glued), so "was it repaired?" is observable.
CLEAN = "Le conseil municipal a voté le budget mardi soir. Les travaux commenceront en mars.\n"
FIXABLE = "Et maintenant ? Le maire a répondu : oui ! Mais quand?\n"
FIXED = "Et maintenant ? Le maire a répondu : oui ! Mais quand ?\n"


def run_cli(args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


# --- inputs ------------------------------------------------------------------------------------


def test_fixable_sample_is_really_fixed(tmp_path, capsys):
    """Guard for the tests below: FIXABLE is repaired to FIXED with the shipped defaults."""
    f = tmp_path / "a.txt"
    f.write_text(FIXABLE, encoding="utf-8")
    code, out, _ = run_cli(["repair", f, "-q", *NO_MODEL], capsys)
    assert (code, out) == (EXIT_OK, FIXED)


def test_every_bad_input_is_reported_and_the_good_ones_still_come_out(tmp_path, capsys):
    """Several inputs: every one gives exactly one output record, in order; bad ones carry an error."""
    bad = {
        "empty.txt": (b"", "empty input"),
        "blank.txt": (b"  \n\n\t\n", "empty input"),
        "image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "looks like a binary file (NUL byte at offset 8)"),
        "latin1.txt": ("Un été très chaud.".encode("latin-1"), "invalid UTF-8 at byte offset 3"),
    }
    for name, (data, _) in bad.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "emptydir").mkdir()
    good1, good2 = tmp_path / "good1.txt", tmp_path / "good2.txt"
    good1.write_text(FIXABLE, encoding="utf-8")
    good2.write_text(CLEAN, encoding="utf-8")
    paths = [tmp_path / "empty.txt", good1, tmp_path / "image.png", tmp_path / "missing.txt",
             tmp_path / "latin1.txt", tmp_path / "emptydir", tmp_path / "blank.txt", good2]
    out_file = tmp_path / "out.jsonl"
    code, out, err = run_cli(["repair", *paths, "--format", "jsonl", "-o", out_file, *NO_MODEL], capsys)
    assert code == EXIT_FAILED
    expected_errors = {str(tmp_path / name): message for name, (_, message) in bad.items()}
    expected_errors[str(tmp_path / "missing.txt")] = "no such file"
    expected_errors[str(tmp_path / "emptydir")] = "folder holds no file"
    for name, message in expected_errors.items():
        assert f"{name}: {message}" in err
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert [r["input"] for r in records] == [str(p) for p in paths]  # one record per input, in order
    for r in records:
        if r["input"] in expected_errors:
            assert f"{r['input']}: {expected_errors[r['input']]}" in r["error"]
    assert [r["text"] for r in records if "text" in r] == [FIXED, CLEAN]


@pytest.mark.parametrize(
    "data, offset",
    [
        ("Première ligne.\nDeuxième ".encode() + b"\xff" + " ligne.".encode(), len("Première ligne.\nDeuxième ".encode())),
        (b"Texte tronqu\xc3", 12),  # a multi-byte sequence cut at end of file
        (b"Surrogate \xed\xa0\x80 encod\xc3\xa9", 10),  # CESU/surrogate bytes are not UTF-8
        (b"Overlong \xc0\xaf slash", 9),
    ],
)
def test_invalid_utf8_names_file_and_exact_byte_offset(tmp_path, capsys, data, offset):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    code, out, err = run_cli(["repair", f, *NO_MODEL], capsys)
    assert code == EXIT_FAILED and out == ""
    assert f"{f}: invalid UTF-8 at byte offset {offset}" in err
    assert "--encoding-errors replace" in err
    assert f.read_bytes() == data


def test_encoding_errors_replace_keeps_everything_else(tmp_path, capsys):
    data = "Le café ".encode() + b"\xe9" + " était prêt ! Vraiment?\n".encode()
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    code, out, err = run_cli(["repair", f, "--encoding-errors", "replace", "-q", *NO_MODEL], capsys)
    assert code == EXIT_OK
    assert out == "Le café \ufffd était prêt ! Vraiment ?\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_files_with_a_byte_order_mark_are_decoded(tmp_path, capsys, encoding):
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    f = tmp_path / "bom.txt"
    f.write_bytes((bom + FIXABLE + CLEAN).encode(encoding))
    code, out, err = run_cli(["repair", f, "-q", *NO_MODEL], capsys)
    assert code == EXIT_OK
    assert out == FIXED + CLEAN


def test_utf16_without_bom_is_reported_as_binary_not_garbled(tmp_path, capsys):
    f = tmp_path / "nobom.txt"
    f.write_bytes(CLEAN.encode("utf-16-le"))
    code, out, err = run_cli(["repair", f, *NO_MODEL], capsys)
    assert code == EXIT_FAILED and out == ""
    assert f"{f}: looks like a binary file" in err


def test_mixed_line_endings_are_kept_byte_for_byte(tmp_path, capsys):
    text = ("Le maire a présenté le budget.\r\nLes travaux commenceront en mars.\r"
            "Le conseil a voté à l'unanimité.\nLa séance a été levée à 22 heures.\r\n")
    f = tmp_path / "crlf.txt"
    f.write_bytes(text.encode("utf-8"))
    out_file = tmp_path / "out.txt"
    code, out, err = run_cli(["repair", f, "-o", out_file, "-q", *NO_MODEL], capsys)
    assert code == EXIT_OK
    assert out_file.read_bytes() == text.encode("utf-8")


def test_crlf_file_with_a_fix_keeps_its_crlf(tmp_path, capsys):
    text = FIXABLE.replace("\n", "\r\n") + CLEAN.replace("\n", "\r\n")
    f = tmp_path / "crlf.txt"
    f.write_bytes(text.encode("utf-8"))
    code, out, err = run_cli(["repair", f, "--format", "json", *NO_MODEL], capsys)
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["text"] == (FIXED + CLEAN).replace("\n", "\r\n")
    assert data["text"].count("\r\n") == 2 and data["text"].count("\n") == 2


def test_nul_byte_after_the_binary_sniff_window_does_not_crash(tmp_path, capsys):
    text = CLEAN * (mio.BINARY_SNIFF_BYTES // len(CLEAN) + 2) + "Fin\x00 du fichier.\n"
    f = tmp_path / "late-nul.txt"
    f.write_bytes(text.encode("utf-8"))
    code, out, err = run_cli(["repair", f, "-q", *NO_MODEL], capsys)
    assert code == EXIT_OK
    assert out == text


def test_binary_on_standard_input_is_named(capsys, monkeypatch):
    class FakeStdin:
        buffer = __import__("io").BytesIO(b"GIF89a\x00\x01\x02")

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    code, out, err = run_cli(["repair", "-", *NO_MODEL], capsys)
    assert code == EXIT_FAILED and out == ""
    assert "<stdin>: looks like a binary file" in err


# --- outputs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["dot", "symlink", "hardlink"])
def test_output_never_overwrites_its_input_under_another_name(tmp_path, capsys, monkeypatch, spelling):
    f = tmp_path / "a.txt"
    f.write_text(FIXABLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    if spelling == "dot":
        target = "./sub/../a.txt"
        (tmp_path / "sub").mkdir()
    elif spelling == "symlink":
        (tmp_path / "link.txt").symlink_to(f)
        target = "link.txt"
    else:
        os.link(f, tmp_path / "hard.txt")
        target = "hard.txt"
    code, out, err = run_cli(["repair", "a.txt", "-o", target, *NO_MODEL], capsys)
    assert code == EXIT_FAILED
    assert "would overwrite its own input" in err
    assert f.read_text(encoding="utf-8") == FIXABLE


def test_output_whose_folder_is_a_file_is_a_clean_error(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(FIXABLE, encoding="utf-8")
    code, out, err = run_cli(["repair", f, "-o", f / "out.txt", *NO_MODEL], capsys)
    assert code == EXIT_FAILED
    assert f"{f / 'out.txt'}: cannot write" in err
    assert f.read_text(encoding="utf-8") == FIXABLE
    assert no_temp_files(tmp_path)


def test_output_replaces_an_existing_file_atomically_and_keeps_its_mode(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(FIXABLE, encoding="utf-8")
    out_file = tmp_path / "out.txt"
    out_file.write_text("ancien contenu\n", encoding="utf-8")
    out_file.chmod(0o640)
    code, _, _ = run_cli(["repair", f, "-o", out_file, "-q", *NO_MODEL], capsys)
    assert code == EXIT_OK
    assert out_file.read_text(encoding="utf-8") == FIXED
    assert out_file.stat().st_mode & 0o777 == 0o640
    assert no_temp_files(tmp_path)


@pytest.mark.parametrize(
    "failure, code, message",
    [
        (KeyboardInterrupt(), EXIT_INTERRUPTED, "interrupted"),
        (OSError(28, "No space left on device"), EXIT_FAILED, "cannot write: No space left on device"),
    ],
)
def test_failure_at_the_last_moment_leaves_the_old_output_and_no_temp_file(
        tmp_path, capsys, monkeypatch, failure, code, message):
    f = tmp_path / "a.txt"
    f.write_text(FIXABLE, encoding="utf-8")
    out_file = tmp_path / "out.txt"
    out_file.write_text("ancien contenu\n", encoding="utf-8")

    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr(mio.os, "replace", fail)
    got, _, err = run_cli(["repair", f, "-o", out_file, "-q", *NO_MODEL], capsys)
    assert got == code and message in err
    assert out_file.read_text(encoding="utf-8") == "ancien contenu\n"
    assert f.read_text(encoding="utf-8") == FIXABLE
    assert no_temp_files(tmp_path)


def _wait_until_writing(folder: Path, inputs: set[str], proc: subprocess.Popen, timeout: float = 120.0) -> None:
    """Block until the run has written something (its output or a temporary file beside it), so
    that a signal sent next lands mid-run however fast or loaded the machine is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name not in inputs and p.is_file() and p.stat().st_size > 0 and p.read_bytes().count(b"\n") >= 2
               for p in folder.iterdir()):
            return
        time.sleep(0.02)


def _big_input(path: Path, megabytes: int) -> None:
    line = FIXABLE + CLEAN
    path.write_text(line * (megabytes * 1024 * 1024 // len(line.encode())), encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum, code, said", [("SIGINT", EXIT_INTERRUPTED, "interrupted"),
                                                ("SIGTERM", EXIT_TERMINATED, "terminated")])
def test_a_signal_during_a_real_run_leaves_no_half_written_file(tmp_path, signum, code, said):
    """Ctrl-C, or a job scheduler's SIGTERM: no temporary file left, the existing output file as
    it was (the repaired text was not complete), a one-line message and the signal's exit status."""
    src = tmp_path / "big.txt"
    _big_input(src, 4)
    out_file = tmp_path / "out.txt"
    out_file.write_text("ancien contenu\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mtrepair", "repair", str(src), "-o", str(out_file), "-q", *NO_MODEL],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    _wait_until_writing(tmp_path, {"big.txt", "out.txt"}, proc)  # imported and working on the input
    proc.send_signal(getattr(signal, signum))
    out, err = proc.communicate(timeout=300)
    err_text = err.decode("utf-8", "replace")
    print(f"exit code after {signum}:", proc.returncode)
    assert "Traceback" not in err_text
    if proc.returncode == code:
        assert said in err_text
        assert out_file.read_text(encoding="utf-8") == "ancien contenu\n"
    else:  # the run finished before the signal arrived: the output must then be complete
        assert proc.returncode == EXIT_OK, err_text
        assert out_file.read_bytes().count(b"\n") == src.read_bytes().count(b"\n")
    assert no_temp_files(tmp_path)


# --- --in-place --------------------------------------------------------------------------------


def test_in_place_rewrites_and_keeps_a_backup(tmp_path, capsys):
    f, clean = tmp_path / "a.txt", tmp_path / "clean.txt"
    f.write_text(FIXABLE, encoding="utf-8")
    clean.write_text(CLEAN, encoding="utf-8")
    code, out, err = run_cli(["repair", "--in-place", f, clean, *NO_MODEL], capsys)
    assert code == EXIT_OK and out == ""
    assert f.read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "a.txt.bak").read_text(encoding="utf-8") == FIXABLE
    # Unchanged files are not rewritten and get no backup.
    assert clean.read_text(encoding="utf-8") == CLEAN and not (tmp_path / "clean.txt.bak").exists()
    assert no_temp_files(tmp_path)


def test_in_place_no_backup_and_custom_suffix(tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(FIXABLE, encoding="utf-8")
    b.write_text(FIXABLE, encoding="utf-8")
    assert run_cli(["repair", "-i", "--no-backup", a, "-q", *NO_MODEL], capsys)[0] == EXIT_OK
    assert run_cli(["repair", "-i", "--backup-suffix", ".orig", b, "-q", *NO_MODEL], capsys)[0] == EXIT_OK
    assert a.read_text(encoding="utf-8") == FIXED and b.read_text(encoding="utf-8") == FIXED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "b.txt.orig"]


def test_in_place_keeps_the_file_encoding_and_follows_symlinks(tmp_path, capsys):
    f = tmp_path / "utf16.txt"
    f.write_bytes(FIXABLE.encode("utf-16"))
    link = tmp_path / "link.txt"
    link.symlink_to(f)
    code, _, _ = run_cli(["repair", "-i", link, "-q", *NO_MODEL], capsys)
    assert code == EXIT_OK
    assert link.is_symlink()
    assert f.read_bytes() == FIXED.encode("utf-16")
    assert (tmp_path / "utf16.txt.bak").read_bytes() == FIXABLE.encode("utf-16")


def test_in_place_goes_on_after_a_bad_file(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(FIXABLE, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9")
    code, _, err = run_cli(["repair", "-i", bad, good, "-q", *NO_MODEL], capsys)
    assert code == EXIT_FAILED
    assert f"{bad}: invalid UTF-8 at byte offset 3" in err
    assert bad.read_bytes() == b"caf\xe9" and good.read_text(encoding="utf-8") == FIXED


def test_in_place_interrupted_before_the_final_rename_keeps_the_original(tmp_path, capsys, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_text(FIXABLE, encoding="utf-8")
    real_replace, calls = mio.os.replace, []

    def replace_then_interrupt(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # first rename = the backup, second = the file itself
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(mio.os, "replace", replace_then_interrupt)
    code, _, err = run_cli(["repair", "-i", f, "-q", *NO_MODEL], capsys)
    assert code == EXIT_INTERRUPTED and "interrupted" in err
    assert f.read_text(encoding="utf-8") == FIXABLE
    assert (tmp_path / "a.txt.bak").read_text(encoding="utf-8") == FIXABLE
    assert no_temp_files(tmp_path)


@pytest.mark.parametrize(
    "extra, message",
    [
        (["-o", "out.txt"], "--in-place and -o are exclusive"),
        (["--format", "json"], "cannot be combined with --format json"),
        (["-"], "standard input cannot be rewritten"),
        (["--no-backup", "--encoding-errors", "replace"], "would destroy the undecodable bytes"),
    ],
)
def test_in_place_refuses_unsafe_combinations(tmp_path, capsys, monkeypatch, extra, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(FIXABLE, encoding="utf-8")
    code, out, err = run_cli(["repair", "-i", "a.txt", *extra, *NO_MODEL], capsys)
    assert code == EXIT_FAILED and message in err
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == FIXABLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_no_backup_without_in_place_is_an_error(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(FIXABLE, encoding="utf-8")
    code, out, err = run_cli(["repair", f, "--no-backup", *NO_MODEL], capsys)
    assert code == EXIT_FAILED and "--no-backup only makes sense with --in-place" in err


# --- glossary files ----------------------------------------------------------------------------


def _shipped_entry_that_repairs():
    """A shipped glossary entry whose example the default pipeline repairs to its ``expect``."""
    import mtrepair
    from mtrepair.glossary import load_glossary

    config = mtrepair.RepairConfig(model="none")
    for entry in load_glossary(config).entries:
        if entry.mode == "auto" and entry.expect and entry.confidence >= config.min_confidence:
            if mtrepair.repair(entry.example, config).text == entry.expect:
                return entry
    pytest.skip("no shipped glossary entry repairs its own example with model=none")


BAD_GLOSSARY = """\
family: user-defined
prefix: USR
entries:
  - id: USR-0001
    pattern: "rapport de la cabine"
    replace: ["rapport du cabinet"]
    confidence: 0.95
    example: "Selon le rapport de la cabine, tout va bien."
    expect: "Selon le rapport du cabinet, tout va bien."
  - id: USR-0001
    pattern: "rapport de la cuisine"
    replace: ["rapport du cabinet"]
    confidence: 0.95
    example: "Selon le rapport de la cuisine, tout va bien."
    expect: "Selon le rapport du cabinet, tout va bien."
  - id: USR-0002
    pattern: "((a+)+)$ [[ ??"
    replace: ["x"]
    confidence: 0.9
    example: "aaaa"
    expect: "x"
  - id: USR-0003
    pattern: "{huge}"
    replace: ["x"]
    confidence: 0.9
    example: "a b c"
    expect: "x"
  - id: USR-0004
    pattern: "foo"
    replace: ["baz"]
    confidence: 7
    example: "foo"
    expect: "baz"
  - id: USR-0005
    pattern: "bar"
    replace: [!!python/object/apply:os.system ["touch {marker}"]]
    confidence: 0.5
    example: "bar"
    expect: "x"
"""


def test_bad_user_glossary_entries_are_reported_with_file_and_line(tmp_path, capsys):
    entry = _shipped_entry_that_repairs()
    marker = tmp_path / "PWNED"
    huge = " ".join(f"mot{i}?" for i in range(5000))  # 5,000 optional tokens: must be refused, fast
    g = tmp_path / "mine.yaml"
    g.write_text(BAD_GLOSSARY.replace("{huge}", huge).replace("{marker}", str(marker)), encoding="utf-8")
    f = tmp_path / "a.txt"
    f.write_text(entry.example + "\nSelon le rapport de la cabine, tout va bien.\n", encoding="utf-8")
    started = time.perf_counter()
    code, out, err = run_cli(["repair", f, "--glossary", g, "-q", *NO_MODEL], capsys)
    assert time.perf_counter() - started < 30
    assert code == EXIT_FAILED
    lines = [line for line in err.splitlines() if line.startswith("mtrepair: error: glossary: ")]
    assert all(line.split("glossary: ", 1)[1].startswith(f"{g}:") for line in lines), err
    assert f"{g}:10: " in err and "duplicate id USR-0001" in err
    assert f"{g}:17: " in err or f"{g}:18: " in err  # the bad pattern
    assert "more than" in err  # the huge pattern, refused by size
    assert "'confidence' must be a number in [0, 1]" in err
    assert "could not determine a constructor" in err  # safe YAML: python tags are refused
    assert not marker.exists()
    # The shipped glossary and the good user entry both still work.
    assert out == entry.expect + "\nSelon le rapport du cabinet, tout va bien.\n"
    assert f.read_text(encoding="utf-8").startswith(entry.example)


@pytest.mark.parametrize(
    "content, line, reason",
    [
        ("family: user-defined\nprefix: U\nentries:\n  - id: U-1\n    pattern: [unclosed\n", 6, "invalid YAML"),
        ("family: user-defined\nprefix: U\nentries: 12\n", None, ""),
        ("\x00\x01\x02binary", None, ""),
        ("- just\n- a list\n", None, ""),
        ("", None, ""),
    ],
    ids=["syntax-error", "entries-not-a-list", "binary", "top-level-list", "empty"],
)
def test_broken_user_glossary_never_disables_the_shipped_one(tmp_path, capsys, content, line, reason):
    entry = _shipped_entry_that_repairs()
    g = tmp_path / "broken.yaml"
    g.write_text(content, encoding="utf-8")
    f = tmp_path / "a.txt"
    f.write_text(entry.example, encoding="utf-8")
    code, out, err = run_cli(["repair", f, "--glossary", g, "-q", *NO_MODEL], capsys)
    assert out == entry.expect
    if content.strip():
        assert code == EXIT_FAILED
        assert f"mtrepair: error: glossary: {g}" in err
        if line:
            assert f"{g}:{line}: {reason}" in err


def test_missing_user_glossary_is_reported_not_silently_ignored(tmp_path, capsys):
    entry = _shipped_entry_that_repairs()
    f = tmp_path / "a.txt"
    f.write_text(entry.example, encoding="utf-8")
    code, out, err = run_cli(["repair", f, "--glossary", tmp_path / "nope.yaml", "-q", *NO_MODEL], capsys)
    assert code == EXIT_FAILED and out == entry.expect
    assert f"{tmp_path / 'nope.yaml'}: no such glossary file" in err
    code, out, err = run_cli(["detect", f, "--glossary", tmp_path / "nope.yaml", *NO_MODEL], capsys)
    assert code == EXIT_FAILED and "no such glossary file" in err


# --- JSONL records -----------------------------------------------------------------------------

JSONL_LINES = [
    (b'{"id": "a1", "text": "Et maintenant ? Le maire a r\xc3\xa9pondu : oui ! Mais quand?", "url": "u1"}', None),
    (b'{"id": "a2", "text": "Texte propre.", "extra": {"nested": [1, 2]}}', None),
    (b'{"id": "a3", "text": 42}', "field 'text' is int, not a string"),
    (b'{"id": "a4"}', "record has no 'text' field"),
    (b'{"id": "a5", "text": null}', "field 'text' is null, not a string"),
    (b"this is not json", "invalid JSON"),
    (b'{"id": "a6", "text": "tronqu', "invalid JSON"),
    (b"[1, 2, 3]", "expected a JSON object, got list"),
    (b'"juste une cha\xc3\xaene"', "expected a JSON object, got str"),
    (b'{"id": "a1", "text": "Doublon de a1?"}', None),
    (b'{"id": 7, "text": "Un identifiant num\xc3\xa9rique."}', None),
    (b'{"id": "a8", "text": "caf\xe9"}', "invalid UTF-8"),
    (b'{"id": "a9", "text": "NUL \\u0000, emoji \xf0\x9f\x98\x80, RTL \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d."}', None),
]


def test_jsonl_every_record_comes_out_once_in_order_with_errors_recorded(tmp_path, capsys):
    src = tmp_path / "records.jsonl"
    src.write_bytes(b"\n".join(line for line, _ in JSONL_LINES) + b"\n")
    out_file = tmp_path / "out.jsonl"
    code, _, err = run_cli(["repair", src, "-o", out_file, *NO_MODEL], capsys)
    assert code == EXIT_FAILED
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(JSONL_LINES)
    for number, ((raw, error), rec) in enumerate(zip(JSONL_LINES, records), 1):
        if error is None:
            assert "error" not in rec, rec
            original = json.loads(raw)
            assert {k: rec[k] for k in original} == original  # every input field kept as it was
            assert isinstance(rec["repaired_text"], str)
        else:
            assert error in rec["error"], (number, rec)
            assert f"{src}:{number}: " in err  # reported as file:line on standard error
            if "invalid" in error or "expected" in error:  # unparsable: the raw line is kept
                assert rec["line"] == number and rec["raw"].startswith(raw[:10].decode("utf-8", "replace"))
    assert records[0]["repaired_text"].endswith("Mais quand ?")
    assert [r.get("id") for r in records].count("a1") == 2  # duplicate ids: both records come out


def test_jsonl_resume_with_duplicate_ids_loses_no_record(tmp_path, capsys):
    """A run interrupted after the first record, resumed: the second record with the same id is
    not mistaken for one already done (fixed in batch/writers.py: resume keys are counted)."""
    src = tmp_path / "dup.jsonl"
    src.write_text('{"id": "d1", "text": "Premier texte."}\n{"id": "d2", "text": "Deuxième texte."}\n'
                   '{"id": "d1", "text": "Autre texte, même id."}\n', encoding="utf-8")
    full = tmp_path / "full.jsonl"
    assert run_cli(["repair", src, "-o", full, "-q", *NO_MODEL], capsys)[0] == EXIT_OK
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    partial = tmp_path / "partial.jsonl"
    partial.write_text(lines[0] + lines[1][:25], encoding="utf-8")  # killed while writing record 2
    code, _, err = run_cli(["repair", src, "-o", partial, "--resume", "-q", *NO_MODEL], capsys)
    assert code == EXIT_OK
    assert [json.loads(x)["text"] for x in partial.read_text(encoding="utf-8").splitlines()] == \
        ["Premier texte.", "Deuxième texte.", "Autre texte, même id."]


def test_jsonl_with_a_wrong_text_field_name_fails_every_record_but_keeps_them(tmp_path, capsys):
    src = tmp_path / "r.jsonl"
    src.write_text('{"id": 1, "body": "Un."}\n{"id": 2, "body": "Deux."}\n', encoding="utf-8")
    out_file = tmp_path / "out.jsonl"
    code, _, err = run_cli(["repair", src, "-o", out_file, "--text-field", "contenu", *NO_MODEL], capsys)
    assert code == EXIT_FAILED
    records = [json.loads(x) for x in out_file.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["body"]) for r in records] == [(1, "Un."), (2, "Deux.")]
    assert all("no 'contenu' field" in r["error"] for r in records)


# --- bad settings and unexpected errors ------------------------------------------------------------


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00", "not a UTF-8 TOML file (invalid byte at offset 0)"),
        (b"min_confidence = \n", "invalid TOML"),
        (b'min_confidence = "high"\n', "min_confidence must be a number, got 'high'"),
        (b'join_broken_lines = "no"\n', "join_broken_lines must be true or false, got 'no'"),
        (b"min_confidence = 3\n", "min_confidence must be in [0, 1]"),
        (b"glossary_paths = 5\n", "glossary_paths must be a list of strings"),
        (b"nope = 1\n", "unknown config keys: nope"),
        (b'categories = ["calque", "bogus"]\n', "unknown categories ['bogus']"),
    ],
)
def test_bad_config_file_is_a_clean_error(tmp_path, capsys, content, message):
    cfg = tmp_path / "mtrepair.toml"
    cfg.write_bytes(content)
    f = tmp_path / "a.txt"
    f.write_text(FIXABLE, encoding="utf-8")
    code, out, err = run_cli(["repair", f, "--config", cfg], capsys)
    assert code == EXIT_FAILED and out == ""
    assert message in err and str(cfg) in err


@pytest.mark.parametrize("model", ["garbage", "hf:/nonexistent/model/folder"])
def test_unknown_model_is_a_clean_error(tmp_path, capsys, model):
    f = tmp_path / "a.txt"
    f.write_text(FIXABLE, encoding="utf-8")
    code, out, err = run_cli(["repair", f, "--model", model], capsys)
    assert code == EXIT_FAILED and out == ""
    assert err.startswith("mtrepair: error: ") and len(err.strip().splitlines()) == 1


def test_a_bug_is_one_clear_line_not_a_traceback(tmp_path, capsys, monkeypatch):
    from mtrepair.cli.main import EXIT_INTERNAL
    from mtrepair.repairer import Repairer

    def boom(self, text):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(Repairer, "repair", boom)
    f = tmp_path / "a.txt"
    f.write_text(FIXABLE, encoding="utf-8")
    code, out, err = run_cli(["repair", f, *NO_MODEL], capsys)
    assert code == EXIT_INTERNAL
    assert "mtrepair: internal error: RuntimeError: simulated bug" in err and "MTREPAIR_DEBUG=1" in err
    assert f.read_text(encoding="utf-8") == FIXABLE
    monkeypatch.setenv("MTREPAIR_DEBUG", "1")
    with pytest.raises(RuntimeError, match="simulated bug"):
        main(["repair", str(f), *NO_MODEL])


def test_batch_outputs_never_overwrite_their_inputs(tmp_path, capsys):
    records = tmp_path / "r.jsonl"
    records.write_text('{"id": 1, "text": "Quoi?"}\n', encoding="utf-8")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(FIXABLE, encoding="utf-8")
    code, _, err = run_cli(["repair", records, "-o", records, *NO_MODEL], capsys)
    assert code == EXIT_FAILED and "would overwrite its own input" in err
    code, _, err = run_cli(["repair", folder, "--output-dir", folder, *NO_MODEL], capsys)
    assert code == EXIT_FAILED and "would overwrite its own input" in err
    assert records.read_text(encoding="utf-8") == '{"id": 1, "text": "Quoi?"}\n'
    assert (folder / "a.txt").read_text(encoding="utf-8") == FIXABLE
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_on_a_jsonl_stream_then_resume_loses_nothing(tmp_path):
    """Streamed output is written record by record: after Ctrl-C it holds only complete lines, and
    --resume completes it to exactly one record per input line, in order."""
    from robustness_support import load_clean_paragraphs

    paragraphs = [p["text"] for p in load_clean_paragraphs()]
    RECORDS = 12000
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for n in range(RECORDS):
            if n % 997 == 5:
                fh.write('{"id": "broken", "text": "tronqu\n')
            else:
                fh.write(json.dumps({"id": f"r{n}", "text": paragraphs[n % len(paragraphs)] + " Et alors?"},
                                    ensure_ascii=False) + "\n")
    cmd = [sys.executable, "-m", "mtrepair", "repair", str(src), "-o", str(out), "--no-progress", "-q", *NO_MODEL]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_until_writing(tmp_path, {"in.jsonl"}, proc)  # a few records out, most still to come
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    print("exit code after SIGINT:", proc.returncode, "records written:", out.read_bytes().count(b"\n"))
    assert "Traceback" not in err.decode("utf-8", "replace")
    assert proc.returncode in (EXIT_INTERRUPTED, EXIT_FAILED)  # FAILED: finished first (broken lines)
    data = out.read_bytes()
    assert data.endswith(b"\n") or not data
    for line in data.splitlines():
        json.loads(line)  # every written line is a whole record
    resumed = subprocess.run(cmd + ["--resume"], capture_output=True, timeout=600)
    assert b"Traceback" not in resumed.stderr
    records = [json.loads(line) for line in out.read_bytes().splitlines()]
    assert len(records) == RECORDS
    assert [r.get("id") for r in records if "error" not in r] == \
        [f"r{n}" for n in range(RECORDS) if n % 997 != 5]


def test_jsonl_record_with_a_lone_surrogate_comes_out_exactly(tmp_path):
    """JSON allows "\\ud800" escapes that UTF-8 cannot carry: the record is still repaired and
    written (escaped), reading back to the same string, and the run goes on."""
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text('{"id": "a", "text": "Le zorgl\\ud800ub a dit que la r\\u00e9union aura lieu."}\n'
                   '{"id": "b", "text": "Le maire a gard\\u00e9 \\u00e0 l\'esprit que les travaux commenceraient."}\n',
                   encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mtrepair", "repair", str(src), "-o", str(out), "-q", *NO_MODEL],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == EXIT_OK, proc.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert records[0]["text"] == "Le zorgl\ud800ub a dit que la réunion aura lieu."
    assert records[0]["repaired_text"] == records[0]["text"]
    assert "gardé à l'esprit" not in records[1]["repaired_text"]  # the next record was repaired as usual


def test_lone_surrogates_reach_the_model_without_an_error():
    """The embedded model's spelling back-off (sentencepiece) takes UTF-8 only: a lone surrogate in
    an unknown word is scored as U+FFFD instead of raising, and repair() goes on around it."""
    from mtrepair import repair
    from mtrepair.model import load_model

    model = load_model()
    assert model.logprob("zorgl\ud800ub") == model.logprob("zorgl\ufffdub")
    result = repair("Le maire a gardé à l'esprit que zorgl\ud800ub les travaux commenceraient.")
    assert "zorgl\ud800ub" in result.text and "gardé à l'esprit" not in result.text


def test_new_output_files_get_the_usual_permissions_not_the_temporary_file_s(tmp_path, capsys):
    """An atomic write goes through a private (0600) temporary file; a new output file must still
    get the mode a plain write would give (0666 less the umask), for -o, --output-dir, backups."""
    old = os.umask(0o022)
    try:
        src = tmp_path / "a.txt"
        src.write_text("Il n'était pas clair si la pluie viendrait demain matin.\n", encoding="utf-8")
        (tmp_path / "in.jsonl").write_text('{"id": 1, "text": "Et maintenant? Rien."}\n', encoding="utf-8")
        mio.write_text_atomic(str(tmp_path / "direct.txt"), "x")
        assert main(["repair", str(src), "-o", str(tmp_path / "o.txt"), "--model", "none", "-q"]) == EXIT_OK
        assert main(["repair", str(src), "--block-chars", "5", "-o", str(tmp_path / "s.txt"), "--model", "none",
                     "-q"]) == EXIT_OK
        assert main(["repair", str(src), "--output-dir", str(tmp_path / "out"), "--model", "none", "-q"]) == EXIT_OK
        assert main(["repair", str(tmp_path / "in.jsonl"), "--format", "jsonl", "--jobs", "1", "-o",
                     str(tmp_path / "o.jsonl"), "--model", "none", "-q"]) == EXIT_OK
        assert main(["repair", str(src), "-i", "--model", "none", "-q"]) == EXIT_OK
        for name in ("direct.txt", "o.txt", "s.txt", "out/a.txt", "o.jsonl", "a.txt.bak"):
            assert (tmp_path / name).stat().st_mode & 0o777 == 0o644, name
    finally:
        os.umask(old)


@pytest.mark.parametrize("block_chars", ["0", "50"])
def test_invalid_utf8_after_a_bom_names_the_right_byte_offset(tmp_path, capsys, block_chars):
    """The offset counts from the start of the file, BOM included, whether the file is read whole
    or streamed in blocks (it was 3 bytes short, and named the wrong byte)."""
    good = "Il était une fois une ville.\n" * 400  # longer than the 8 kB first read when streamed
    data = b"\xef\xbb\xbf" + good.encode("utf-8") + b"\xff" + good.encode("utf-8")
    offset = 3 + len(good.encode("utf-8"))
    f = tmp_path / "bom.txt"
    f.write_bytes(data)
    assert main(["repair", str(f), "--block-chars", block_chars, "--model", "none", "-q"]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert f"invalid UTF-8 at byte offset {offset} (byte 0xff)" in err, err
    with pytest.raises(mio.InputError, match=f"byte offset 5 \\(byte 0xff\\)"):
        mio.decode_bytes(b"\xef\xbb\xbfab\xff", "x")


@pytest.mark.parametrize("name, content, extra", [
    ("a.jsonl", '{"id": 1, "text": "Et maintenant? Rien."}\n{"id": 2, "text": "Abonnez-vous à notre newsletter !"}\n', []),
    ("a.csv", 'id,text\n1,"Et maintenant? Rien."\n', []),
    ("page.html", "<html><body><article><p>Et maintenant? Rien.</p></article></body></html>\n", []),
    ("a.txt", '{"id": 1, "text": "Et maintenant? Rien."}\n', ["--input-format", "jsonl"]),
])
def test_in_place_refuses_record_and_html_inputs(tmp_path, capsys, monkeypatch, name, content, extra):
    """--in-place repaired a JSONL/CSV/HTML file as plain French text: the boilerplate pass
    removed whole records and broke the JSON (with --no-backup, records were lost)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(content, encoding="utf-8")
    code, out, err = run_cli(["repair", "-i", "--no-backup", name, *extra, *NO_MODEL], capsys)
    assert code == EXIT_FAILED and "--in-place rewrites plain text files" in err, err
    assert (tmp_path / name).read_text(encoding="utf-8") == content
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize("inputs, extra", [(["missing.txt"], []), (["missing.txt"], ["--block-chars", "5"]),
                                           (["bad.txt"], ["--block-chars", "5"]),
                                           (["missing.txt", "blank.txt"], ["--format", "json"])])
def test_a_run_that_read_no_input_leaves_an_existing_output_file_alone(tmp_path, capsys, monkeypatch, inputs, extra):
    """A mistyped input name replaced the previous -o file with an empty one."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out.txt").write_text("the previous run's output\n", encoding="utf-8")
    (tmp_path / "blank.txt").write_text("\n\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"Et maintenant ? Rien.\n\xff\n" * 5)  # streamed: longer than a block
    code, out, err = run_cli(["repair", *inputs, "-o", "out.txt", *extra, *NO_MODEL], capsys)
    assert code == EXIT_FAILED and f"mtrepair: error: {inputs[0]}: " in err
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "the previous run's output\n"
    assert no_temp_files(tmp_path)


@pytest.mark.parametrize("extra", [[], ["--jobs", "2"]])
def test_jsonl_on_standard_input_is_not_repaired_as_plain_text(extra):
    """Standard input is plain text by default; JSON records there would be broken by a plain-text
    repair (a record removed as boilerplate, its JSON cut), so the run refuses them and says how."""
    records = "".join(json.dumps({"id": i, "text": FIXABLE.strip()}, ensure_ascii=False) + "\n" for i in range(3))
    cmd = [sys.executable, "-m", "mtrepair", "repair", "-", *NO_MODEL, *extra]
    refused = subprocess.run(cmd, input=records, capture_output=True, text=True, timeout=120)
    assert refused.returncode == EXIT_FAILED and refused.stdout == ""
    assert "standard input looks like JSONL" in refused.stderr and "--input-format jsonl" in refused.stderr
    assert "Traceback" not in refused.stderr
    as_records = subprocess.run(cmd + ["--input-format", "jsonl"], input=records, capture_output=True, text=True,
                                timeout=120)
    assert as_records.returncode == EXIT_OK, as_records.stderr
    assert [json.loads(line)["id"] for line in as_records.stdout.splitlines()] == [0, 1, 2]
    prose = subprocess.run(cmd, input=FIXABLE, capture_output=True, text=True, timeout=120)
    assert prose.returncode == EXIT_OK and prose.stdout == FIXED  # plain text on stdin as before
