"""The README stays true: it is checked against the code, the way LanguageTool runs its rule examples.

* CLI: every long option of every ``mtrepair`` subcommand parser is mentioned in the README, and
  every option the README gives to mtrepair (command lines that run ``mtrepair ...``, its synopsis,
  and the options named in the CLI reference and Pipelines sections) exists in the parser of that
  subcommand.
* Config tables: the ``RepairConfig`` table lists exactly the dataclass's fields with their real
  defaults; the scoring table's weights and formulas use ``ScoringConfig``'s numbers; the Scrapy
  settings block lists exactly the settings the pipeline reads; the Spark section names the real
  arguments and output columns of ``repair_column``.
* Defaults the README states for options (``--block-chars``, ``--glob``, ``--jobs`` ...) are the
  code's; the « Data types » table and the categories are the dataclasses'; the key lists of
  ``--format json``, the JSONL records and ``glossary list --format json`` are what the CLI writes.
* The Python API, scoring and reference-model snippets run (the model's quoted ranking, scores and
  id are checked), and the entity example's quoted output is what ``detect`` gives.
* The ``mtrepair ...`` lines of the ``sh`` blocks run (in a temporary folder, with bundled inputs
  under the README's file names) and exit 0; the ones that cannot run here are skipped with the
  reason.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import mtrepair
from mtrepair.cli.main import build_parser
from mtrepair.config import RepairConfig
from mtrepair.scoring.settings import ScoringConfig
from mtrepair.types import ALL_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
EXAMPLES = ROOT / "examples"

#: A short French sentence with a calque (« a gardé à l'esprit que » = *noted*).
CALQUE_TEXT = "Il a gardé à l’esprit que la société embauchera ses individus.\n"


# --------------------------------------------------------------------------- reading the README


@dataclass(frozen=True)
class Block:
    lang: str
    body: str
    line: int  # line number of the first line of the body
    section: tuple[str, ...]  # heading titles, outermost first


@dataclass(frozen=True)
class ProseLine:
    line: int
    text: str
    section: tuple[str, ...]


def _parse_readme(text: str) -> tuple[list[Block], list[ProseLine]]:
    blocks: list[Block] = []
    prose: list[ProseLine] = []
    headings: list[tuple[int, str]] = []
    fence: tuple[str, int, list[str]] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        section = tuple(title for _, title in headings)
        if line.startswith("```"):
            if fence is None:
                fence = (line[3:].strip(), number + 1, [])
            else:
                blocks.append(Block(fence[0], "\n".join(fence[2]), fence[1], section))
                fence = None
            continue
        if fence is not None:
            fence[2].append(line)
            continue
        heading = re.match(r"(#{1,6}) (.+)", line)
        if heading:
            level = len(heading.group(1))
            headings = [h for h in headings if h[0] < level] + [(level, heading.group(2).strip())]
            continue
        prose.append(ProseLine(number, line, section))
    assert fence is None, "README: a code block is never closed"
    return blocks, prose


BLOCKS, PROSE = _parse_readme(README)


def _in_section(section: tuple[str, ...], title: str) -> bool:
    return title in section


def _section_prose(title: str) -> list[ProseLine]:
    lines = [p for p in PROSE if _in_section(p.section, title)]
    assert lines, f"README has no section {title!r} (renamed? update this test)"
    return lines


def _section_blocks(title: str, lang: str | None = None) -> list[Block]:
    return [b for b in BLOCKS if _in_section(b.section, title) and (lang is None or b.lang == lang)]


def _code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


# --------------------------------------------------------------------------- the CLI's parsers


def _parsers() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    found: dict[tuple[str, ...], argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        found[path] = parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, path + (name,))

    walk(build_parser(), ())
    return found


PARSERS = _parsers()


def _options(path: tuple[str, ...]) -> set[str]:
    return {s for a in PARSERS[path]._actions for s in a.option_strings}


#: An option word: ``-o``, ``--format``, ``--text-out-field`` (not ``-``, ``PREFIX-*``, ``e-mail``).
OPTION = re.compile(r"(?:(?<=^)|(?<=[\s\[|(,=]))(--?[A-Za-z](?:[\w-]*\w)?)(?![\w-])")
#: Other programs whose options the README shows next to mtrepair's (decided by the command word
#: that starts a line or a code span).
OTHER_COMMANDS = {"python", "pip", "pytest", "nice", "cat", "printf", "spark-submit", "venv-pack",
                  "grammalecte-cli", "scrapy", "git", "mtrepair.model.build"}
#: Options the README names in the Pipelines section's prose that belong to a bench script, not
#: to mtrepair: bench/throughput.py's per-stage CPU breakdown (« 300 articles, `--breakdown` »).
BENCH_OPTIONS_IN_PROSE = {"--breakdown"}


def _subcommand(words: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """('repair',) and the rest of the words for ``mtrepair repair ...``; ('glossary', 'list') for
    ``mtrepair glossary list ...``; () for ``mtrepair --version``. Alternatives written ``a|b`` are
    kept as one word (see :func:`_paths_of`)."""
    assert words and words[0] == "mtrepair", words
    if len(words) < 2 or words[1].startswith("-"):
        return (), words[1:]
    path = (words[1],)
    rest = words[2:]
    if words[1] == "glossary" and rest and not rest[0].startswith("-"):
        path = path + (rest[0],)
        rest = rest[1:]
    return path, rest


def _paths_of(path: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Alternatives written ``a|b`` in the synopsis: ``('repair|detect|score',)`` -> three paths,
    ``('glossary', 'check|list|learn')`` -> three paths."""
    if path and "|" in path[-1]:
        return [path[:-1] + (alt,) for alt in path[-1].split("|")]
    return [path]


@dataclass(frozen=True)
class Use:
    """Options the README gives to one mtrepair subcommand, and where."""

    where: str
    path: tuple[str, ...]
    options: tuple[str, ...]


def _command_segments(line: str) -> list[list[str]]:
    """The commands of a shell line (split at pipes, ``&&``, ``;``), comments and redirections dropped."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.commenters = "#"
    lexer.whitespace_split = True
    segments: list[list[str]] = [[]]
    skip_next = False
    for token in lexer:
        if skip_next:
            skip_next = False
            continue
        if token in ("|", "&&", "||", ";"):
            segments.append([])
        elif token in (">", ">>", "<", "2>"):
            skip_next = True
        else:
            segments[-1].append(token)
    return [s for s in segments if s]


def _synopsis_lines(block: Block) -> list[tuple[int, str]]:
    """Lines of a block, with indented continuation lines joined to the line they continue."""
    joined: list[tuple[int, str]] = []
    for offset, line in enumerate(block.body.splitlines()):
        if line[:1].isspace() and joined and line.strip():
            joined[-1] = (joined[-1][0], joined[-1][1] + " " + line.strip())
        else:
            joined.append((block.line + offset, line))
    return joined


def _uses() -> list[Use]:
    uses: list[Use] = []
    # 1. Code blocks: shell lines running mtrepair, and the synopsis of the CLI reference.
    for block in BLOCKS:
        if block.lang in ("python", "yaml"):
            continue
        for number, line in _synopsis_lines(block):
            stripped = line.strip()
            if stripped.startswith("$ "):
                stripped = stripped[2:]
            if "[" in stripped and stripped.startswith("mtrepair "):  # synopsis: [--opt X] [a|b]
                words = stripped.split()
                path, _ = _subcommand(words)
                uses.append(Use(f"README.md:{number}", path, tuple(OPTION.findall(stripped))))
                continue
            try:
                segments = _command_segments(stripped)
            except ValueError:
                continue  # not shell (a signature line, JSON ...)
            for words in segments:
                if words[:2] == ["nice", "-n"]:  # « nice -n 10 mtrepair ... »
                    words = words[3:]
                if words and words[0] == "mtrepair":
                    path, rest = _subcommand(words)
                    options = tuple(w.split("=", 1)[0] for w in rest if OPTION.fullmatch(w.split("=", 1)[0]))
                    uses.append(Use(f"README.md:{number}", path, options))
    # 2. Inline code that runs mtrepair, anywhere: `mtrepair glossary list [PATH ...] [--family X]`.
    for prose in PROSE:
        for span in _code_spans(prose.text):
            if re.match(r"mtrepair (repair|detect|score|glossary)\b", span):
                path, _ = _subcommand(span.split())
                uses.append(Use(f"README.md:{prose.line}", path, tuple(OPTION.findall(span))))
    # 3. Options named in the prose of the CLI reference and Pipelines sections are `repair`'s
    #    (both describe `mtrepair repair`; detect/score/glossary options appear with their command).
    for title in ("CLI reference", "Pipelines and scale"):
        for prose in _section_prose(title):
            for span in _code_spans(prose.text):
                first = span.split()[0] if span.split() else ""
                if first in OTHER_COMMANDS or first == "mtrepair" or first.endswith(".py"):
                    continue
                options = tuple(o for o in OPTION.findall(span) if o not in BENCH_OPTIONS_IN_PROSE)
                if re.match(r"(repair|detect)\s", span):  # « `repair --format text` »
                    uses.append(Use(f"README.md:{prose.line}", (span.split()[0],), options))
                elif options:
                    uses.append(Use(f"README.md:{prose.line}", ("repair",), options))
    return uses


USES = _uses()


def test_readme_parsing_finds_the_commands() -> None:
    """Guard: the README reader sees the synopsis, shell lines and prose options (else the checks
    below would pass on nothing)."""
    paths = {u.path for u in USES}
    assert {("repair",), ("detect",), ("score",), ("glossary", "list")} <= paths
    options = {o for u in USES for o in u.options}
    assert {"--format", "--resume", "--retry-failed", "--jobs", "--with-shipped", "--spun"} <= options
    assert len(USES) > 40


def test_option_reader_ignores_other_tools() -> None:
    """Guard: the reader keeps pip's, spark-submit's and bench scripts' options out of mtrepair's."""
    segments = _command_segments("python -m pip install . && mtrepair repair x.txt --format diff  # --nope")
    assert segments == [["python", "-m", "pip", "install", "."], ["mtrepair", "repair", "x.txt", "--format", "diff"]]
    assert OPTION.findall("`[-old-]{+new+}` markers, `PREFIX-*`, e-mail") == []
    assert OPTION.findall("[-o|--output OUT] [--unlisted|--no-unlisted]") == ["-o", "--output", "--unlisted", "--no-unlisted"]
    options = {o for u in USES for o in u.options}
    assert not options & {"--archives", "--conf", "--mb", "--profile", "--megabytes", "--breakdown"}


@pytest.mark.parametrize(
    "path,option",
    sorted(
        (path, option)
        for path in PARSERS
        for option in _options(path)
        if option.startswith("--") and option != "--help"
    ),
    ids=lambda v: "mtrepair " + " ".join(v) if isinstance(v, tuple) else v,
)
def test_every_long_option_is_in_the_readme(path: tuple[str, ...], option: str) -> None:
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", README), (
        f"`{' '.join(('mtrepair',) + path + (option,))}` exists but the README never mentions it: "
        "document it (CLI reference, or the section of its subcommand)"
    )


@pytest.mark.parametrize("use", USES, ids=lambda u: f"{u.where} {' '.join(u.path)}")
def test_readme_options_exist(use: Use) -> None:
    assert use.path or use.options, f"{use.where}: `mtrepair` without a subcommand"  # `mtrepair --version` is fine
    for path in _paths_of(use.path):
        assert path in PARSERS, f"{use.where}: `mtrepair {' '.join(path)}` is not a subcommand"
        unknown = [o for o in use.options if o not in _options(path)]
        assert not unknown, (
            f"{use.where}: the README gives `mtrepair {' '.join(path)}` the option(s) {unknown}, "
            f"which its parser does not have"
        )


def _synopsis_choices() -> list[tuple[str, tuple[str, ...], str, list[str]]]:
    """(where, path, option, values) for each ``[--format text|json]`` of the CLI reference synopsis."""
    found = []
    for block in _section_blocks("CLI reference", "text"):
        for number, line in _synopsis_lines(block):
            if not line.startswith("mtrepair "):
                continue
            path, _ = _subcommand(line.split())
            for m in re.finditer(r"\[(?:-\w\|)?(--[\w-]+) ([^\]\s]+\|[^\]\s]+)\]", line):
                found.append((f"README.md:{number}", path, m.group(1), m.group(2).split("|")))
    return found


def test_synopsis_choices_are_the_parsers() -> None:
    """``[--format text|json|jsonl|diff|html]``: exactly the values the parser accepts."""
    checked = 0
    for where, path, option, values in _synopsis_choices():
        for sub in _paths_of(path):
            action = next(a for a in PARSERS[sub]._actions if option in a.option_strings)
            if action.choices is None:
                continue  # free values (--model default|none|hf:NAME)
            checked += 1
            assert sorted(values) == sorted(action.choices), (
                f"{where}: README shows `mtrepair {' '.join(sub)} {option}` {values}, the parser accepts {sorted(action.choices)}"
            )
    assert checked >= 5, "the synopsis reader found too few choice lists"


def _default(path: tuple[str, ...], option: str) -> object:
    return next(a.default for a in PARSERS[path]._actions if option in a.option_strings)


def test_option_defaults_the_readme_states() -> None:
    """Defaults written in the CLI reference and the Pipelines option table are the parser's."""
    from mtrepair.batch.options import DEFAULT_RECORD_TIMEOUT, INPUT_FORMATS
    from mtrepair.batch.sources import DEFAULT_FOLDER_GLOBS

    cli = " ".join(p.text for p in _section_prose("CLI reference"))
    shown = re.search(r"`--block-chars N` \(default ([\d,]+)\)", cli).group(1)
    assert int(shown.replace(",", "")) == _default(("repair",), "--block-chars")
    table = _table_after("| option | meaning |", "option")
    rows = {key.split("`")[0].split()[0]: meaning for key, meaning in table.items()}
    globs = re.search(r"default `([^`]+)`", rows["--glob"]).group(1).split()
    assert tuple(globs) == DEFAULT_FOLDER_GLOBS
    forced = re.search(r"force ((?:`\w+`,? ?)+)", rows["--input-format"]).group(1)
    assert ("auto", *re.findall(r"`(\w+)`", forced)) == INPUT_FORMATS
    assert rows["--input-format"].startswith("`auto` (default") and _default(("repair",), "--input-format") == "auto"
    assert f"(default {_default(('repair',), '--jobs')};" in rows["-j"]
    assert f"Default {DEFAULT_RECORD_TIMEOUT:g} " in rows["--record-timeout"]
    assert _default(("repair",), "--backup-suffix") == ".bak" and "`FILE.bak`" in README


# --------------------------------------------------------------------------- config tables


def _table_after(marker: str, header: str) -> dict[str, str]:
    """The first markdown table after the prose line containing ``marker`` whose header row
    starts with ``header``: first column (backticks stripped) -> second column."""
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line)
    i = start
    while not lines[i].startswith(f"| {header} "):
        i += 1
        assert i < start + 5, f"no table with header {header!r} right after {marker!r}"
    rows: dict[str, str] = {}
    for line in lines[i + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        key = cells[0].strip("`")
        assert key not in rows, f"README lists {key!r} twice in the {marker!r} table"
        rows[key] = cells[1]
    return rows


def _shows_default(shown: str, value: object) -> bool:
    """Does the README's rendering of a default (``0.7``, ``true``, ``all``, ``()``, ``"document"``,
    ``U+202F``, ``ScoringConfig()``) say the same as the real value?"""
    shown = shown.strip().strip("`").strip()
    if isinstance(value, bool):
        return shown == ("true" if value else "false")
    if value is None:
        return shown == "None"
    if isinstance(value, (int, float)):
        try:
            return float(shown.replace(",", "")) == float(value)
        except ValueError:
            return False
    if isinstance(value, str):
        if len(value) == 1 and shown.upper().startswith("U+"):
            return int(shown[2:], 16) == ord(value)
        return shown == json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        if value == ALL_CATEGORIES:
            return shown == "all"
        return shown == "()" and value == ()
    if dataclasses.is_dataclass(value):
        return shown == f"{type(value).__name__}()" and value == type(value)()
    raise AssertionError(f"no README rendering rule for {value!r}")


def _defaults(cls: type) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in dataclasses.fields(cls):
        out[f.name] = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
    return out


def test_repair_config_table_matches_the_dataclass() -> None:
    table = _table_after("`RepairConfig` (frozen", "field")
    defaults = _defaults(RepairConfig)
    assert not set(table) - set(defaults), f"README lists fields RepairConfig lacks: {sorted(set(table) - set(defaults))}"
    assert not set(defaults) - set(table), f"RepairConfig fields missing from the README table: {sorted(set(defaults) - set(table))}"
    wrong = {name: (table[name], defaults[name]) for name in defaults if not _shows_default(table[name], defaults[name])}
    assert not wrong, f"README default vs real default: {wrong}"


def test_default_renderer_can_fail() -> None:
    """Guard for the comparison above: a wrong rendering is caught."""
    assert _shows_default("0.7", 0.7) and not _shows_default("0.8", 0.7)
    assert _shows_default("true", True) and not _shows_default("false", True)
    assert _shows_default("all", ALL_CATEGORIES) and not _shows_default("()", ALL_CATEGORIES)
    assert _shows_default('`"document"`', "document") and not _shows_default('"french"', "document")
    assert _shows_default("U+202F", "\u202f") and not _shows_default("U+00A0", "\u202f")
    assert _shows_default("200,000", 200_000)


def test_scoring_config_table_matches_the_dataclass() -> None:
    table = _table_after("`ScoringConfig` settings", "setting")
    defaults = _defaults(ScoringConfig)
    assert set(table) == set(defaults), (
        f"README lists {sorted(set(table) - set(defaults))} that ScoringConfig lacks, "
        f"and lacks {sorted(set(defaults) - set(table))}"
    )
    wrong = {name: (table[name], defaults[name]) for name in defaults if not _shows_default(table[name], defaults[name])}
    assert not wrong, f"README default vs real default: {wrong}"


def test_scoring_table_uses_scoring_config_numbers() -> None:
    """The component table (weights, sub-score formulas, thresholds) shows ScoringConfig's defaults."""
    cfg = ScoringConfig()
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| component | measurement |"))
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0]] = cells
    assert set(rows) == set(cfg.weights()), f"components: README {sorted(rows)} vs {sorted(cfg.weights())}"
    for name, weight in cfg.weights().items():
        assert float(rows[name][3]) == weight, f"README weight of {name}: {rows[name][3]}, ScoringConfig: {weight}"
    assert f"`0.5 ** (density / {cfg.artifacts_half_density:g})`" in rows["artifacts"][2]
    assert f"`0.5 ** (density / {cfg.mechanics_half_density:g})`" in rows["mechanics"][2]
    assert f"confidence ≥ {cfg.finding_min_confidence:g}" in rows["artifacts"][1]
    assert f"1 if G ≤ {cfg.fluency_ppl_good:g}, 0 if G ≥ {cfg.fluency_ppl_bad:g}" in rows["fluency"][2]
    assert f"(sentences ≥ {cfg.fluency_min_words} words)" in rows["fluency"][1]
    assert f"(≥ {cfg.purity_min_words} words)" in rows["purity"][1]
    assert f"P(fr) ≥ {cfg.purity_min_probability:g}" in rows["purity"][1]
    assert f"`keep` when index ≥ {cfg.keep_threshold:g}, `review` when ≥ {cfg.review_threshold:g}" in README
    assert f"at least {cfg.bootstrap_min_segments} segments" in README
    assert f"{cfg.bootstrap_samples} resamples" in README


def test_scoring_settings_named_in_the_readme_exist() -> None:
    names = set(_defaults(ScoringConfig))
    named = set()
    for match in re.finditer(r"scoring\.(\w+)(?:/(\w+))?", README):
        named.add(match.group(1))
        if match.group(2):  # `scoring.fluency_ppl_good/bad`
            named.add(match.group(1).rsplit("_", 1)[0] + "_" + match.group(2))
    named -= {"settings", "quality"}  # module names: mtrepair.scoring.settings / .quality
    assert named, "README names no scoring.* setting (reader broken?)"
    assert named <= names, f"README names scoring settings that do not exist: {sorted(named - names)}"


def _scrapy_settings_block() -> Block:
    blocks = [b for b in _section_blocks("Scrapy", "python") if "MTREPAIR_" in b.body]
    assert len(blocks) == 1, "expected one settings block in the Scrapy section"
    return blocks[0]


def test_scrapy_settings_block_lists_what_the_pipeline_reads() -> None:
    source = (ROOT / "mtrepair" / "integrations" / "scrapy.py").read_text(encoding="utf-8")
    read = set(re.findall(r"""\.get\(\s*["'](MTREPAIR_\w+)["']""", source))
    assert read, "no settings read in mtrepair/integrations/scrapy.py (reader broken?)"
    shown = set(re.findall(r"^(MTREPAIR_\w+)\s*=", _scrapy_settings_block().body, re.M))
    assert shown == read, f"README Scrapy settings {sorted(shown)} vs settings read {sorted(read)}"
    prose = "\n".join(p.text for p in _section_prose("Scrapy"))
    mentioned = set(re.findall(r"MTREPAIR_[A-Z_]+", prose))
    assert mentioned <= read, f"README Scrapy prose names settings that do not exist: {sorted(mentioned - read)}"


def test_scrapy_settings_defaults() -> None:
    pytest.importorskip("scrapy")
    from mtrepair.blocks import DEFAULT_BLOCK_CHARS
    from mtrepair.integrations import scrapy as pipeline

    settings = {}
    for line in _scrapy_settings_block().body.splitlines():
        m = re.match(r"(MTREPAIR_\w+)\s*=\s*(.*?)\s*(?:#\s*(.*))?$", line)
        if m:
            settings[m.group(1)] = (m.group(2), m.group(3) or "")
    value, comment = settings["MTREPAIR_FIELDS"]
    assert f"(default {json.dumps(list(pipeline.DEFAULT_FIELDS))})" in comment
    assert json.loads(settings["MTREPAIR_RESULT_FIELD"][0]) == pipeline.DEFAULT_RESULT_FIELD
    assert int(settings["MTREPAIR_BLOCK_CHARS"][0]) == DEFAULT_BLOCK_CHARS


def test_spark_section_names_real_arguments_and_columns() -> None:
    import inspect

    from mtrepair.integrations import spark

    column_sig = inspect.signature(spark.repair_column)
    udf_sig = inspect.signature(spark.repair_udf)
    prose = "\n".join(p.text for p in _section_prose("Spark"))
    code = "\n".join(b.body for b in _section_blocks("Spark"))
    default_columns = {p.default for p in column_sig.parameters.values() if p.name.endswith("_column") and p.default}
    named_columns = set(re.findall(r"\bmtrepair_\w+", prose + code))
    assert named_columns == default_columns, f"README columns {sorted(named_columns)} vs defaults {sorted(default_columns)}"
    assert column_sig.parameters["output_column"].default is None and "text_repaired" in code  # <column>_repaired
    for call in re.findall(r"repair_column\(([^)]*)\)", prose + code):
        for keyword in re.findall(r"(\w+)=", call):
            assert keyword in column_sig.parameters, f"repair_column has no argument {keyword!r}"
    for keyword in re.findall(r"`(\w+)=", prose):
        assert keyword in column_sig.parameters, f"repair_column has no argument {keyword!r}"
    assert "`block_chars` (default 200,000)" in prose
    assert column_sig.parameters["block_chars"].default == udf_sig.parameters["block_chars"].default == 200_000
    assert "`repair_udf(config)`" in prose and list(udf_sig.parameters)[0] == "config"


# --------------------------------------------------------------------------- Python snippets


def _python_blocks(title: str) -> list[Block]:
    blocks = _section_blocks(title, "python")
    assert blocks, f"no python block in section {title!r}"
    return blocks


def test_python_api_snippet_runs(capsys: pytest.CaptureFixture[str]) -> None:
    (block,) = [b for b in _python_blocks("Python API") if b.section[-1] == "Python API"]
    namespace: dict[str, object] = {"text": CALQUE_TEXT, "texts": [CALQUE_TEXT, "Le marché reste fragile.\n"]}
    exec(compile(block.body, f"README.md:{block.line}", "exec"), namespace)  # noqa: S102 - our own README
    result = namespace["result"]
    assert isinstance(result, mtrepair.RepairResult)
    assert "gardé à l’esprit" not in result.text  # the calque the snippet's text carries was repaired
    assert any(e.rule.startswith("REP-") for e in result.edits)
    assert "→" in capsys.readouterr().out  # the loop printed the edit
    assert namespace["fixed"] == result.text
    assert [r.text for r in namespace["results"]][1] == "Le marché reste fragile.\n"  # clean text unchanged


def test_scoring_snippet_runs() -> None:
    (block,) = _python_blocks("Scoring")
    namespace: dict[str, object] = {"mtrepair": mtrepair, "repaired": "Il a souligné que la société embauchera.\n",
                                    "scraped": CALQUE_TEXT}
    exec(compile(block.body, f"README.md:{block.line}", "exec"), namespace)  # noqa: S102
    report = namespace["report"]
    assert 0 <= report.index <= 100 and report.verdict in ("keep", "review", "drop")
    assert report.before is not None and isinstance(report.to_dict(), dict)


def test_data_types_table_and_categories() -> None:
    """« Data types »: each type's fields are the dataclass's, in order; the categories are the code's."""
    from mtrepair import types

    table = _table_after("Data types (all frozen dataclasses", "type")
    assert set(table) == {"Finding", "Edit", "RepairResult", "Source"}
    for name, cell in table.items():
        cell = re.sub(r"\([^)]*\)", "", cell)  # « `mode` (`auto` / `check` / `report`) »: not fields
        shown = [m.group(1) for m in re.finditer(r"(?:^|,\s*)`(\w+)`", cell)]
        actual = [f.name for f in dataclasses.fields(getattr(types, name))]
        assert shown == actual, f"README fields of {name}: {shown}, dataclass: {actual}"
    line = " ".join(p.text for p in _section_prose("Python API") if p.text.startswith("Categories:") or p.text.startswith("`typography`"))
    assert tuple(re.findall(r"`(\w+)`", line)) == ALL_CATEGORIES


def _run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "mtrepair", *args], cwd=cwd, env=_env(), timeout=60,
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"mtrepair {' '.join(args)} exited {proc.returncode}: {proc.stderr[-2000:]}"
    return proc


def _keys(text: str) -> list[str]:
    """``{"text", "edits": [...], "findings"}`` or ``{start, end, ...}`` -> the top-level key names."""
    depth, keys, token = 0, [], ""
    for char in text.strip()[1:-1] + ",":
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        if depth == 0 and char == ",":
            keys.append(token.split(":")[0].strip().strip('"'))
            token = ""
        elif depth == 0:
            token += char
    return keys


def test_json_output_contracts(tmp_path: Path) -> None:
    """The key lists the README gives for ``--format json``, the JSONL records and ``glossary list``
    are what the CLI writes (``--model none``: the keys do not depend on the model)."""
    shutil.copy(EXAMPLES / "spun-article-1.txt", tmp_path / "a.txt")
    cli = " ".join(p.text for p in _section_prose("CLI reference"))
    contract = re.search(r"`--format json` prints, for one input file,\s*`(\{.*?\})`", cli).group(1)
    edit_keys = _keys(re.search(r'"edits": \[(\{[^}]*\})\]', contract).group(1))
    out = json.loads(_run_cli(["repair", "a.txt", "--format", "json", "--model", "none"], tmp_path).stdout)
    assert list(out) == _keys(contract)
    assert out["edits"] and list(out["edits"][0]) == edit_keys

    pipelines = " ".join(p.text for p in _section_prose("Pipelines and scale"))
    added = re.search(r"these keys added:\s*(.*?)\. mtrepair never overwrites", pipelines).group(1)
    added_keys = re.findall(r"(?:^|, |and )`(\w+)`", added)
    record_edit_keys = _keys(re.search(r"list of `(\{[^}]*\})`", added).group(1))
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": 7, "text": CALQUE_TEXT}, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    record = json.loads(_run_cli(["repair", "in.jsonl", "--model", "none"], tmp_path).stdout)
    assert list(record) == ["id", "text", *added_keys], f"README: {added_keys}, CLI: {list(record)}"
    assert list(record["edits"][0]) == record_edit_keys

    glossary = " ".join(p.text for p in _section_prose("Tools"))
    listed = re.search(r"`json` is an array of\s+objects with `([^`]+)`", glossary).group(1)
    listed = re.split(r",\s*", listed)
    entries = json.loads(_run_cli(["glossary", "list", "--format", "json"], tmp_path).stdout)
    assert list(entries[0]) == listed


def test_reference_model_snippet_runs_and_shows_its_output() -> None:
    """The « Reference model » snippet runs, and the results it quotes in comments (the ranking
    with its log-probabilities, the model id) are what the embedded model gives."""
    (block,) = _python_blocks("Reference model")
    namespace: dict[str, object] = {"texts": ["Il a souligné que la demande reste forte.", CALQUE_TEXT]}
    exec(compile(block.body, f"README.md:{block.line}", "exec"), namespace)  # noqa: S102
    m = namespace["m"]
    rank_call = re.search(r"^(m\.rank\(.*\))", block.body, re.M).group(1)
    ranked = eval(rank_call, namespace)  # noqa: S307 - the README's own line
    quoted = re.search(r"# -> (\[.*\])", block.body).group(1)
    shown = eval(quoted)  # noqa: S307 - a literal list of (str, float) in our README
    assert [s for s, _ in shown] == [s for s, _ in ranked], f"README ranking {shown}, model {ranked}"
    assert [round(v, 1) for _, v in ranked] == [v for _, v in shown], f"README scores {shown}, model {ranked}"
    shown_id = re.search(r'^m\.id\s+# "([^"]+)"', block.body, re.M).group(1)
    assert shown_id == m.id


def test_entity_example_output_is_what_detect_prints() -> None:
    """The quoted finding under « Entity restoration » (rule, source, suggestion, confidence and the
    explanation word for word) is what ``mtrepair detect`` gives for the command shown."""
    (block,) = [b for b in _section_blocks("Entity restoration") if b.lang == "console"]
    command = block.body.strip().removeprefix("$ ")
    text = re.search(r"printf '([^']*)\\n'", command).group(1) + "\n"
    findings = [f for f in mtrepair.detect(text) if f.category == "entity"]
    assert len(findings) == 1, findings
    finding = findings[0]
    prose = " ".join(p.text for p in _section_prose("Entity restoration"))
    assert f"rule `{finding.rule}`" in prose
    assert f"source `{finding.source.kind}:{finding.source.name}:{finding.source.line}`" in prose
    assert f"« {finding.suggestions[0]} », confidence {finding.confidence:.2f}" in prose
    quoted = re.search(r"explained word by word:\s*`([^`]+)`", prose).group(1)
    assert " ".join(quoted.split()) == " ".join(finding.explanation.split())


# --------------------------------------------------------------------------- shell commands


def _bundled_inputs(folder: Path) -> None:
    """The README's placeholder file names, made from bundled files (examples/) and small texts."""
    articles = sorted(EXAMPLES.glob("spun-article-*.txt"))
    shutil.copy(articles[0], folder / "article.txt")
    (folder / "scraped").mkdir()
    for path in articles:
        shutil.copy(path, folder / "scraped" / path.name)
    with open(folder / "articles.jsonl", "w", encoding="utf-8") as out:
        for i, path in enumerate(articles):
            out.write(json.dumps({"id": f"a{i}", "text": path.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n")
    (folder / "articles.jsonl.gz").write_bytes(gzip.compress((folder / "articles.jsonl").read_bytes()))
    with open(folder / "dump.jsonl", "w", encoding="utf-8") as out:
        for i, path in enumerate(articles):
            out.write(json.dumps({"uid": i, "body": path.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n")
    (folder / "pages").mkdir()
    for i, path in enumerate(articles):
        paragraphs = "".join(f"<p>{p}</p>\n" for p in path.read_text(encoding="utf-8").split("\n\n"))
        (folder / "pages" / f"page{i}.html").write_text(
            f"<!DOCTYPE html><html lang='fr'><head><title>Article {i}</title></head><body><nav>Accueil</nav>"
            f"<article>{paragraphs}</article><footer>Tous droits réservés</footer></body></html>", encoding="utf-8")
    scraped = ["Il a gardé à l’esprit que la société embauchera ses individus.",
               "Selon un rapport de The Details, la levée de fonds est bouclée."]
    repaired = ["Il a souligné que la société embauchera ses individus.",
                "Selon un rapport de The Information, la levée de fonds est bouclée."]
    human = ["Il a souligné que la société embauchera ses employés.",
             "Selon un rapport de The Information, la levée de fonds est bouclée."]
    for name, lines in (("scraped", scraped), ("repaired", repaired), ("human", human)):
        (folder / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, lines in (("repaired", repaired), ("human", human)):
        (folder / name).mkdir(exist_ok=True)
        (folder / name / "a.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(folder / "batch.jsonl", "w", encoding="utf-8") as out:
        for s, r, h in zip(scraped, repaired, human):
            out.write(json.dumps({"text": r, "reference": h, "original": s}, ensure_ascii=False) + "\n")


#: Commands that cannot run here, with the reason (matched on the command text).
SKIPPED_COMMANDS = {
    "--model hf:": "needs a Hugging Face model folder (/models/camembert-base) and torch: not bundled",
    "../shared": "needs ../shared, which the package and its tests must not require",
}


def sh_lines(blocks, name: str, pattern: str) -> list[tuple[str, str]]:
    """``(NAME:LINE, line)`` of the lines of ``sh`` blocks that ``pattern`` finds (shared with
    tests/test_examples_readme.py)."""
    out = []
    for block in blocks:
        if block.lang != "sh":
            continue
        for offset, line in enumerate(block.body.splitlines()):
            if re.search(pattern, line):
                out.append((f"{name}:{block.line + offset}", line))
    return out


SH_COMMANDS = sh_lines(BLOCKS, "README.md", r"(^|[|&;]\s*)mtrepair ")


def test_sh_commands_found() -> None:
    assert len(SH_COMMANDS) >= 10, SH_COMMANDS


@pytest.mark.parametrize("where,line", SH_COMMANDS, ids=[w for w, _ in SH_COMMANDS])
def test_sh_command_runs(where: str, line: str, tmp_path: Path) -> None:
    for needle, reason in SKIPPED_COMMANDS.items():
        if needle in line:
            pytest.skip(f"{where}: {reason}")
    if ".html" in line and "--format html" not in line:
        pytest.importorskip("trafilatura", reason="HTML input needs the html extra (trafilatura)")
    # Run only the mtrepair part of a line like « python -m pip install . && mtrepair repair ... »:
    # installing is not what this test checks.
    command = re.sub(r"\s+#\s.*$", "", line).strip()
    if "&&" in command:
        command = " && ".join(part.strip() for part in command.split("&&") if part.strip().startswith("mtrepair"))
    _bundled_inputs(tmp_path)
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    resumed = None
    if "--resume" in command:  # the README runs --resume after an interrupted run: make one
        first = re.sub(r"\s--resume\b.*", "", command)
        assert subprocess.run(["bash", "-c", first], cwd=tmp_path, env=_env(), timeout=60,
                              capture_output=True).returncode == 0
        resumed = tmp_path / shlex.split(command)[shlex.split(command).index("-o") + 1]
        resumed.write_text(resumed.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file()}
    proc = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=_env(), timeout=60,
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"{where}: `{command}` exited {proc.returncode}\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr
    if resumed is not None:  # completed to one record per input line
        inputs = (tmp_path / shlex.split(command)[2]).read_text(encoding="utf-8").splitlines()
        assert len(resumed.read_text(encoding="utf-8").splitlines()) == len(inputs)
    # It did something: printed a result, or wrote (or completed) a non-empty output file.
    written = [p for p in tmp_path.rglob("*") if p.is_file() and before.get(p) != p.stat().st_mtime_ns]
    assert proc.stdout.strip() or any(p.stat().st_size for p in written), f"{where}: `{command}` produced nothing"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("MTREPAIR_DEBUG", None)
    return env
