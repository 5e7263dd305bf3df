"""Loading glossary files: file:line errors, precedence, disabled ids, caching."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mtrepair.config import RepairConfig
from mtrepair.glossary import GlossaryError, load_glossary, load_paths
from mtrepair.glossary.check import check_glossary
from mtrepair.glossary.loader import parse_text
from mtrepair.glossary.pattern import PatternError, expand

GOOD = """\
family: user-defined
prefix: USR
entries:
  - id: USR-1
    pattern: "garder à l'esprit que"
    replace: ["insister sur le fait que"]
    confidence: 0.95
    example: "Le PDG a gardé à l'esprit que les comptes sont sains."
    expect: "Le PDG a insisté sur le fait que les comptes sont sains."
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def errors_of(text: str) -> list[str]:
    _, errors = parse_text(textwrap.dedent(text), "f.yaml")
    return [str(e) for e in errors]


def test_schema_errors_carry_file_and_line():
    errs = errors_of(
        """\
        family: user-defined
        prefix: X
        entries:
          - id: X-1
            pattern: "bon"
            replace: ["meilleur"]
            confidence: 2
            mode: sometimes
            example: "Un bon choix."
            expect: "Un meilleur choix."
          - id: Y-2
            pattern: "très? ?"
            replace: ["a"]
            confidence: 0.5
            example: "x"
            expect: "x"
            colour: red
        """
    )
    assert "f.yaml:4: entry X-1: 'confidence' must be a number in [0, 1]" not in errs  # reported at its own line
    assert any(e.startswith("f.yaml:7: ") and "confidence" in e for e in errs)
    assert any(e.startswith("f.yaml:8: ") and "unknown mode 'sometimes'" in e for e in errs)
    assert any(e.startswith("f.yaml:11: ") and "must start with 'X-'" in e for e in errs)
    assert any(e.startswith("f.yaml:12: ") and "bad pattern" in e for e in errs)
    assert any(e.startswith("f.yaml:17: ") and "unknown key 'colour'" in e for e in errs)


def test_invalid_yaml_and_missing_header():
    assert errors_of("family: glue\nprefix: G\nentries: [\n")[0].startswith("f.yaml:")
    assert "missing 'prefix'" in errors_of("family: glue\nentries: []\n")[0]
    assert "unknown family" in errors_of("family: poetry\nprefix: P\nentries: []\n")[0]
    assert "missing 'expect'" in errors_of(
        """\
        family: glue
        prefix: G
        entries:
          - {id: G-1, pattern: "pendant", replace: ["alors que"], confidence: 0.5, example: "a"}
        """
    )[0]


def test_pattern_expansion_is_bounded():
    assert len(expand("a|b|c d|e")) == 6
    with pytest.raises(PatternError):
        expand(" ".join(["a|b"] * 7))  # 128 variants
    with pytest.raises(PatternError):
        expand(" ".join(f"mot{i}" for i in range(13)))
    with pytest.raises(PatternError):
        expand("vraiment?")


def test_user_file_overrides_shipped_id_and_bad_user_file_is_reported(tmp_path):
    good = write(tmp_path, "good.yaml", GOOD)
    bad = write(tmp_path, "bad.yaml", "family: glue\nprefix: G\nentries: [oops\n")
    g = load_paths([good, bad], include_shipped=True)
    assert any(str(p).startswith(str(bad)) for p in g.problems)
    assert "USR-1" in g.by_id
    shipped = load_paths([], include_shipped=True)
    # the bad file does not disable the shipped glossary
    assert len(g.entries) == len(shipped.entries) + 1


def test_same_id_in_user_file_replaces_the_shipped_entry(tmp_path):
    shipped = load_paths([], include_shipped=True)
    if not shipped.entries:
        pytest.skip("no shipped glossary entries yet")
    target = shipped.entries[0]
    override = GOOD.replace("prefix: USR", f"prefix: {target.prefix}").replace("USR-1", target.id)
    g = load_paths([write(tmp_path, "o.yaml", override)], include_shipped=True)
    assert g.by_id[target.id].pattern == "garder à l'esprit que"
    assert len(g.entries) == len(shipped.entries)


def test_duplicate_ids_and_conflicting_patterns_are_reported(tmp_path):
    text = GOOD + (
        "  - id: USR-1\n"
        '    pattern: "pendant"\n'
        '    replace: ["alors que"]\n'
        "    confidence: 0.5\n"
        "    mode: report\n"
        '    example: "Il pleut pendant"\n'
        "  - id: USR-2\n"
        "    pattern: \"garder à l'esprit que\"\n"
        '    replace: ["noter que"]\n'
        "    confidence: 0.5\n"
        "    mode: report\n"
        "    example: \"Il garde à l'esprit que tout va bien.\"\n"
    )
    g = load_paths([write(tmp_path, "d.yaml", text)])
    report = check_glossary(g)
    msgs = [str(p) for p in report.problems]
    assert any(":10: duplicate id USR-1" in m for m in msgs)
    assert any(":16: USR-2: pattern variant" in m and "USR-1" in m for m in msgs)


def test_disabled_rules_by_id_and_prefix(tmp_path):
    good = write(tmp_path, "good.yaml", GOOD)
    cfg = RepairConfig(builtin_glossary=False, glossary_paths=(str(good),))
    assert "USR-1" in load_glossary(cfg).by_id
    assert "USR-1" not in load_glossary(cfg.replace(disabled_rules=("USR-*",))).by_id
    assert "USR-1" not in load_glossary(cfg.replace(disabled_rules=("USR-1",))).by_id


def test_load_glossary_is_cached_and_reloads_edited_files(tmp_path):
    good = write(tmp_path, "good.yaml", GOOD)
    cfg = RepairConfig(builtin_glossary=False, glossary_paths=(str(good),))
    g1 = load_glossary(cfg)
    assert load_glossary(cfg) is g1
    good.write_text(GOOD.replace("insister sur le fait que", "rappeler que") + " ", encoding="utf-8")
    g2 = load_glossary(cfg)
    assert g2 is not g1 and g2.by_id["USR-1"].replace == ("rappeler que",)


def test_missing_user_path_is_a_problem_not_a_crash(tmp_path):
    cfg = RepairConfig(glossary_paths=(str(tmp_path / "nope.yaml"),))
    g = load_glossary(cfg)
    assert any("no such glossary file" in str(p) for p in g.problems)


def test_glossary_error_format():
    err = GlossaryError("a.yaml", 3, "bad")
    assert str(err) == "a.yaml:3: bad" and isinstance(err, ValueError)


def test_parsed_files_are_cached_on_disk(tmp_path, monkeypatch):
    from mtrepair.glossary.loader import read_file

    good = write(tmp_path, "good.yaml", GOOD)
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", str(tmp_path / "cache"))
    first, errors = read_file(good)
    assert not errors and list((tmp_path / "cache" / "glossary").glob("*.json"))
    again, _ = read_file(good)
    assert again == first
    # a changed file is parsed again (the key is its content)
    good.write_text(GOOD.replace("0.95", "0.5"), encoding="utf-8")
    assert read_file(good)[0][0].confidence == 0.5
    # files with problems are never cached; "off" disables the cache
    monkeypatch.setenv("MTREPAIR_CACHE_DIR", "off")
    assert read_file(good)[0][0].confidence == 0.5


def test_a_repairer_with_a_bad_user_glossary_warns_and_keeps_the_shipped_one(tmp_path):
    import warnings as _warnings

    from mtrepair import GlossaryWarning, RepairConfig, Repairer

    broken = tmp_path / "perso.yaml"
    broken.write_text("- id: PERSO-1\n  pattern: \"gardé à l'esprit que\n", encoding="utf-8")  # unclosed quote
    missing = tmp_path / "absent.yaml"
    config = RepairConfig(glossary_paths=(str(broken), str(missing)), model="none")
    with pytest.warns(GlossaryWarning) as caught:
        repairer = Repairer(config)
    message = str(caught[0].message)
    assert "perso.yaml" in message and "absent.yaml" in message and "2 glossary problem(s)" in message
    assert len(repairer.glossary.problems) == 2
    # The shipped glossary still repairs.
    text = "Le maire a gardé à l’esprit que la ville rénovera ses écoles."
    assert repairer.repair(text).text == "Le maire a souligné que la ville rénovera ses écoles."
    # A strict user turns the warning into an error.
    with _warnings.catch_warnings():
        _warnings.simplefilter("error", GlossaryWarning)
        with pytest.raises(GlossaryWarning):
            Repairer(config)


def test_a_clean_glossary_gives_no_warning():
    import warnings as _warnings

    from mtrepair import GlossaryWarning, RepairConfig, Repairer

    with _warnings.catch_warnings():
        _warnings.simplefilter("error", GlossaryWarning)
        Repairer(RepairConfig(model="none"))


def test_the_cli_reports_glossary_problems_once_and_no_python_warning(tmp_path):
    """In a process of its own, as users run it (pytest would capture a Python warning itself)."""
    import subprocess
    import sys

    article = tmp_path / "article.txt"
    article.write_text("Le maire a gardé à l’esprit que la ville rénovera ses écoles.\n", encoding="utf-8")
    missing = tmp_path / "absent.yaml"
    proc = subprocess.run([sys.executable, "-m", "mtrepair", "repair", str(article), "--glossary", str(missing),
                           "--model", "none"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.count("absent.yaml") == 1 and "no such glossary file" in proc.stderr
    assert "Warning" not in proc.stderr
    assert proc.stdout.startswith("Le maire a souligné que")


def test_score_reports_glossary_problems_too(tmp_path, capsys):
    """``score`` builds a Repairer for its quality report: a missing --glossary file was silently
    ignored (the CLI hides the Python warning, and score did not report the problems): exit 0."""
    from mtrepair.cli.main import main

    text = tmp_path / "article.txt"
    text.write_text("Le maire a gardé à l’esprit que la ville rénovera ses écoles.\n", encoding="utf-8")
    missing = tmp_path / "absent.yaml"
    assert main(["score", str(text), "--glossary", str(missing), "--model", "none"]) == 1
    err = capsys.readouterr().err
    assert err.count("absent.yaml") == 1 and "no such glossary file" in err


def test_the_cli_called_from_python_leaves_the_warning_filters_alone(tmp_path):
    """main() added an 'ignore GlossaryWarning' filter for the rest of the process: a Repairer built
    afterwards by the same program no longer warned about its missing glossary."""
    import warnings as _warnings

    from mtrepair.cli.main import main

    text = tmp_path / "article.txt"
    text.write_text("Bonjour.\n", encoding="utf-8")
    before = list(_warnings.filters)
    assert main(["repair", str(text), "--glossary", str(tmp_path / "absent.yaml"), "--model", "none", "-q"]) == 1
    assert _warnings.filters == before
