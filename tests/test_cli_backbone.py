"""The CLI as a user meets it: outputs, the JSON contract, and clean errors on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mtrepair.cli.main import main
from mtrepair.resolve import apply_edits

SPUN = (
    "Et maintenant? Les départs devraient choquer l’entreprise\n"
    "mais pas son\n"
    "cours plus large. Le conseil « a confirmé » la nouvelle.\n"
)
CLEAN = "La réunion a eu lieu mardi à Lyon. Le maire a présenté le budget pour 2025.\n"


def run_cli(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_repair_text_joins_lines_and_fixes_spacing(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN, encoding="utf-8")
    code, out, err = run_cli(["repair", str(f), "--model", "none", "-q"], capsys)
    assert code == 0
    assert "Et maintenant ? Les départs" in out
    assert "choquer l’entreprise mais pas son cours plus large." in out


def test_json_contract_offsets_reproduce_output(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN, encoding="utf-8")
    code, out, _ = run_cli(["repair", str(f), "--format", "json", "--model", "none"], capsys)
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"text", "edits", "findings", "scores"}
    for e in data["edits"]:
        assert set(e) >= {"start", "end", "original", "replacement", "category", "rule", "source",
                          "confidence", "explanation"}
        assert SPUN[e["start"]:e["end"]] == e["original"]
    # Rebuild the output from the edits alone.
    pieces, pos = [], 0
    for e in sorted(data["edits"], key=lambda e: e["start"]):
        pieces += [SPUN[pos:e["start"]], e["replacement"]]
        pos = e["end"]
    assert "".join(pieces) + SPUN[pos:] == data["text"]


def test_clean_text_is_byte_identical(tmp_path, capsys):
    f = tmp_path / "clean.txt"
    f.write_text(CLEAN, encoding="utf-8")
    code, out, _ = run_cli(["repair", str(f), "--model", "none", "-q"], capsys)
    assert code == 0 and out == CLEAN


def test_diff_format_marks_edits_plainly_when_piped(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN, encoding="utf-8")
    code, out, _ = run_cli(["repair", str(f), "--format", "diff", "--model", "none", "-q"], capsys)
    assert code == 0
    assert "[-⏎\n-]{+ +}" in out and "\x1b[" not in out


def test_detect_lists_findings_without_changing(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN, encoding="utf-8")
    code, out, _ = run_cli(["detect", str(f), "--format", "json", "--model", "none"], capsys)
    assert code == 0
    rules = {x["rule"] for x in json.loads(out)}
    assert {"LINE-JOIN", "TYPO-SPACE-HIGH-PUNCT"} <= rules
    assert f.read_text(encoding="utf-8") == SPUN


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda d: str(d / "missing.txt"), "no such file"),
        (lambda d: str(d), "folder holds no file"),
        (lambda d: _write(d / "empty.txt", b""), "empty input"),
        (lambda d: _write(d / "bin.dat", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary file"),
        (lambda d: _write(d / "latin1.txt", "Le café est prêt.".encode("latin-1")), "byte offset 6"),
    ],
)
def test_bad_input_gives_clear_error_and_nonzero_exit(tmp_path, capsys, setup, message):
    path = setup(tmp_path)
    code, out, err = run_cli(["repair", path, "--model", "none"], capsys)
    assert code != 0
    assert message in err and path in err
    assert "Traceback" not in err


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_encoding_errors_replace_goes_on(tmp_path, capsys):
    path = _write(tmp_path / "latin1.txt", "Le café est prêt.".encode("latin-1"))
    code, out, err = run_cli(["repair", path, "--encoding-errors", "replace", "--model", "none", "-q"], capsys)
    assert code == 0 and out == "Le caf\ufffd est pr\ufffdt."


def test_one_bad_input_does_not_lose_the_others(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(SPUN, encoding="utf-8")
    code, out, err = run_cli(["repair", str(tmp_path / "nope.txt"), str(good), "--format", "jsonl",
                              "--model", "none"], capsys)
    assert code == 1
    assert "nope.txt" in err
    assert json.loads(out.splitlines()[0])["input"] == str(good)


def test_output_never_overwrites_input(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN, encoding="utf-8")
    code, _, err = run_cli(["repair", str(f), "-o", str(f), "--model", "none"], capsys)
    assert code != 0 and "own input" in err
    assert f.read_text(encoding="utf-8") == SPUN


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere; permission test is meaningless")
def test_unwritable_output_is_a_clean_error(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, _, err = run_cli(["repair", str(f), "-o", str(locked / "out.txt"), "--model", "none"], capsys)
    assert code != 0 and "cannot write" in err


def test_output_into_missing_folder_is_a_clean_error(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN, encoding="utf-8")
    code, _, err = run_cli(["repair", str(f), "-o", str(tmp_path / "no" / "out.txt"), "--model", "none"], capsys)
    assert code != 0 and "cannot write" in err and "Traceback" not in err


def test_console_script_runs_from_stdin():
    proc = subprocess.run(
        [sys.executable, "-m", "mtrepair", "repair", "-", "--model", "none", "-q"],
        input="Quoi? Déjà !".encode("utf-8"), capture_output=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode("utf-8") == "Quoi ? Déjà !"


def test_edits_api_roundtrip():
    import mtrepair

    cfg = mtrepair.RepairConfig(model="none")
    result = mtrepair.repair(SPUN, cfg)
    assert apply_edits(result.original, result.edits) == result.text
    assert result.text != SPUN
    again = mtrepair.repair(result.text, cfg)
    assert again.text == result.text  # idempotent


def test_output_that_is_a_folder_is_a_clean_error_even_as_root(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(SPUN, encoding="utf-8")
    target = tmp_path / "out"
    target.mkdir()
    code, _, err = run_cli(["repair", str(f), "-o", str(target), "--model", "none"], capsys)
    assert code != 0 and "cannot write" in err and "Traceback" not in err
    assert target.is_dir() and list(target.iterdir()) == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temp file left behind
