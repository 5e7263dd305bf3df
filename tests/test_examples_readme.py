"""examples/README.md stays true, as tests/test_readme_truth.py keeps README.md true.

* Every ``mtrepair ...`` line of its ``sh`` blocks runs (through the installed command, in a
  temporary folder holding a copy of examples/), exits 0, and does what its comment says: the
  repaired text (different from the article, no diff marks), an inline diff, JSON whose edits carry
  their rule, source, confidence and explanation, findings with the file left unchanged.
* Every ``examples/...`` path it names exists, and every artifact its table quotes (« ... ») is in
  that article (apostrophes and case aside; « … » stands for any text).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from test_readme_truth import _command_segments, _env, _parse_readme, sh_lines

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
README = (EXAMPLES / "README.md").read_text(encoding="utf-8")
BLOCKS, _PROSE = _parse_readme(README)


COMMANDS = sh_lines(BLOCKS, "examples/README.md", r"^\s*mtrepair ")


def test_commands_found() -> None:
    assert len(COMMANDS) >= 4, COMMANDS
    assert {shlex.split(line)[1] for _, line in COMMANDS} >= {"repair", "detect"}


@pytest.mark.parametrize("where,line", COMMANDS, ids=[w for w, _ in COMMANDS])
def test_command_runs_and_does_what_its_comment_says(where: str, line: str, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    [words] = _command_segments(line)  # one command, its comment dropped
    inputs = [w for w in words[2:] if w.startswith("examples/")]
    assert inputs, f"{where}: names no bundled article"
    before = {w: (tmp_path / w).read_bytes() for w in inputs}
    proc = subprocess.run(words, cwd=tmp_path, env=_env(), timeout=120, capture_output=True, text=True)
    assert proc.returncode == 0, f"{where}: `{line}` exited {proc.returncode}\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr and proc.stdout.strip(), where
    assert all((tmp_path / w).read_bytes() == data for w, data in before.items()), f"{where}: changed its input"
    article = before[inputs[0]].decode("utf-8")
    fmt = words[words.index("--format") + 1] if "--format" in words else "text"
    if words[1] == "detect":  # « findings only, nothing changed »
        assert re.search(r"^\s+\d+:\d+\s+\w+\s+[A-Z]", proc.stdout, re.M), f"{where}: no finding listed"
    elif fmt == "text":  # « the repaired text »
        assert proc.stdout != article and "[-" not in proc.stdout and "{+" not in proc.stdout
        assert len(proc.stdout) > len(article) / 2
    elif fmt == "diff":  # « what changed, inline »
        assert "[-" in proc.stdout and "{+" in proc.stdout
    elif fmt == "json":  # « every edit with its rule, source, confidence, explanation »
        result = json.loads(proc.stdout)
        assert result["edits"], where
        for edit in result["edits"]:
            assert {"rule", "source", "confidence", "explanation"} <= edit.keys() and edit["explanation"]
    else:
        pytest.fail(f"{where}: no check for --format {fmt}")


def test_paths_it_names_exist() -> None:
    named = set(re.findall(r"\bexamples/[\w./-]+\.\w+", README))
    assert len(named) >= 5, named
    missing = [p for p in named if not (ROOT / p).is_file()]
    assert not missing, missing
    for row in re.findall(r"^\| `([^`]+)` \|", README, re.M):
        assert (EXAMPLES / row).is_file(), row


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).casefold()


def _artifacts() -> list[tuple[str, str]]:
    out = []
    for name, cells in re.findall(r"^\| `([^`]+)` \|[^|]*\|([^|]*)\|", README, re.M):
        out += [(name, quoted) for quoted in re.findall(r"«\s*([^»]+?)\s*»", cells)]
    return out


ARTIFACTS = _artifacts()


def test_artifacts_found() -> None:
    assert len(ARTIFACTS) >= 30 and len({name for name, _ in ARTIFACTS}) == 3


@pytest.mark.parametrize("name,quoted", ARTIFACTS, ids=[f"{n}:{q}" for n, q in ARTIFACTS])
def test_quoted_artifact_is_in_the_article(name: str, quoted: str) -> None:
    pattern = ".{0,200}?".join(re.escape(part.strip()) for part in _plain(quoted).split("…"))
    assert re.search(pattern, _plain((EXAMPLES / name).read_text(encoding="utf-8"))), (
        f"examples/README.md quotes « {quoted} » for {name}, which does not hold it")
