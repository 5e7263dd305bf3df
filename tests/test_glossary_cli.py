"""`mtrepair glossary check|list|learn`, and the shipped glossary passing its own check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtrepair.cli.main import main
from mtrepair.glossary.check import check_glossary
from mtrepair.glossary.glossary import build_glossary, shipped_files
from mtrepair.glossary.loader import read_file

DATA = Path(__file__).parent / "data" / "glossary"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def test_shipped_glossary_passes_check():
    """LanguageTool style: every example fires with its expected output, every counter stays silent."""
    files = shipped_files()
    if not files:
        pytest.skip("no shipped glossary file yet")
    report = check_glossary(build_glossary(files, [], []))
    assert report.entries > 0
    assert report.ok, "\n".join(str(p) for p in report.problems[:50])


def test_check_command_ok_and_errors(tmp_path, capsys):
    assert main(["glossary", "check", str(DATA / "engine.yaml")]) == 0
    err = capsys.readouterr().err
    assert "entries (user-defined:" in err and "0 problem(s)" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "family: glue\nprefix: G\nentries:\n"
        "  - id: G-1\n    pattern: \"pendant\"\n    replace: [\"alors que\"]\n    confidence: 0.5\n"
        "    example: \"Il a dormi pendant la nuit.\"\n    expect: \"Il a dormi alors que la nuit.\"\n"
        "    counter: [\"Il a travaillé pendant trois ans.\"]\n",
        encoding="utf-8",
    )
    assert main(["glossary", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:4: G-1: counter-example fires" in out


def test_check_reports_missing_path(tmp_path, capsys):
    assert main(["glossary", "check", str(tmp_path / "missing.yaml")]) == 1
    assert "no such glossary file" in capsys.readouterr().out


def test_list_json_has_one_object_per_entry(capsys):
    assert main(["glossary", "list", str(DATA / "engine.yaml"), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    entries, _ = read_file(DATA / "engine.yaml")
    assert len(rows) == len(entries)
    row = next(r for r in rows if r["id"] == "TST-0001")
    assert row["replacements"] == ["souligner que", "noter que"]
    for key in ("id", "family", "pattern", "replacements", "category", "confidence", "mode", "note", "path", "line"):
        assert key in row
    assert main(["glossary", "list", str(DATA / "engine.yaml"), "--family", "glue", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_list_text(capsys):
    assert main(["glossary", "list", str(DATA / "engine.yaml")]) == 0
    out = capsys.readouterr().out
    assert "TST-0002" in out and "communauté tech" in out


def _pairs(tmp_path: Path) -> tuple[Path, Path]:
    spun, clean = tmp_path / "spun", tmp_path / "clean"
    spun.mkdir()
    clean.mkdir()
    docs = [
        ("La ministre a gardé à l'esprit que le déficit se creuse. Les individus de la banque protestent.",
         "La ministre a souligné que le déficit se creuse. Les employés de la banque protestent."),
        ("Le patron garde à l'esprit que les ventes baissent.",
         "Le patron souligne que les ventes baissent."),
        ("Ses individus ont quitté le groupe hier soir.",
         "Ses employés ont quitté le groupe hier soir."),
    ]
    for n, (s, c) in enumerate(docs):
        (spun / f"d{n}.txt").write_text(s, encoding="utf-8")
        (clean / f"d{n}.txt").write_text(c, encoding="utf-8")
    return spun, clean


def test_learn_from_folders_aggregates_support(tmp_path, capsys):
    spun, clean = _pairs(tmp_path)
    out = tmp_path / "cand.yaml"
    assert main(["glossary", "learn", "--spun", str(spun), "--clean", str(clean), "-o", str(out)]) == 0
    entries, errors = read_file(out)
    assert not errors, [str(e) for e in errors]
    by_pattern = {e.pattern: e for e in entries}
    assert by_pattern["individu"].replace == ("employé",)
    assert "2 document(s)" in by_pattern["individu"].note
    garder = next(e for e in entries if e.pattern.startswith("gardé") or e.pattern.startswith("garde"))
    assert all(e.mode == "report" for e in entries)
    # the candidate file passes check: examples fire with the engine's own output
    assert main(["glossary", "check", str(out)]) == 0
    assert garder.expect and "soulign" in garder.expect
    assert by_pattern["individu"].confidence > garder.confidence or garder.confidence >= 0.4


def test_learn_from_jsonl_and_errors(tmp_path, capsys):
    f = tmp_path / "pairs.jsonl"
    f.write_text(
        json.dumps({"s": "Il a été élevé au poste de directeur.", "c": "Il a été promu au poste de directeur."}) + "\n",
        encoding="utf-8",
    )
    assert main(["glossary", "learn", "--spun", str(f), "--spun-field", "s", "--clean-field", "c"]) == 0
    assert "pattern: élevé" in capsys.readouterr().out
    assert main(["glossary", "learn", "--spun", str(f)]) == 1
    assert "needs string fields 'spun' and 'clean'" in capsys.readouterr().err
    assert main(["glossary", "learn", "--spun", str(tmp_path / "x"), "--clean", str(f)]) == 1
    assert "no such file" in capsys.readouterr().err


def test_learn_on_seed_article_finds_reporting_calque(tmp_path, capsys):
    seed = SHARED / "seed" / "spun-article.gold.json"
    if not seed.is_file():
        pytest.skip("../shared/seed is absent (fresh clone)")
    gold = json.loads(seed.read_text(encoding="utf-8"))
    spun, clean = tmp_path / "spun.txt", tmp_path / "clean.txt"
    spun.write_text(gold["text"], encoding="utf-8")
    clean.write_text(gold["gold"], encoding="utf-8")
    assert main(["glossary", "learn", "--spun", str(spun), "--clean", str(clean)]) == 0
    out = capsys.readouterr().out
    assert "esprit" in out and "soulign" in out  # "gardé à l'esprit" -> "souligné"
