"""Long documents in blocks (mtrepair.blocks): where blocks end, exact offsets, the same repair
as the whole text when no edit straddles a boundary, huge lines, and the CLI paths that use it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtrepair import RepairConfig, Repairer, apply_edits
from mtrepair.blocks import (block_spans, check_file, iter_decoded, iter_text_blocks, next_cut, repair_file_streaming,
                             repair_long)
from mtrepair.cli.main import main
from mtrepair.io import InputError, decode_bytes

ROOT = Path(__file__).resolve().parents[1]
CONFIG = RepairConfig(model="none")


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(CONFIG)


def articles_text() -> str:
    """Three spun articles and twenty clean paragraphs, as paragraphs of one document."""
    arts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("spun-article-*.txt"))]
    with (ROOT / "tests" / "data" / "clean" / "paragraphs.jsonl").open(encoding="utf-8") as fh:
        clean = [json.loads(line)["text"] for line, _ in zip(fh, range(20))]
    return "\n\n".join(arts + clean)


def mixed_text() -> str:
    """Twenty clean paragraphs around a spun article (nothing in one block depends on another)."""
    with (ROOT / "tests" / "data" / "clean" / "paragraphs.jsonl").open(encoding="utf-8") as fh:
        clean = [json.loads(line)["text"] for line, _ in zip(fh, range(30))]
    article = (ROOT / "examples" / "spun-article-2.txt").read_text(encoding="utf-8")
    return "\n\n".join(clean[:10] + [article] + clean[10:])


def test_what_blocks_do_not_share(repairer):
    """The trade-off, documented in mtrepair.blocks: document-level evidence stays in its block.
    Here the correct name « The Information » appears in another article (another block), so the
    restored name is the same but its confidence and explanation lack that evidence."""
    text = articles_text()
    whole, parts = repairer.repair(text), repair_long(repairer, text, 3_000)
    assert parts.text == whole.text
    key = lambda e: (e.start, e.end, e.original, e.replacement, e.rule)  # noqa: E731
    assert [key(e) for e in parts.edits] == [key(e) for e in whole.edits]
    differ = [(a, b) for a, b in zip(whole.edits, parts.edits) if a != b]
    assert differ and all(a.category == "entity" and "elsewhere in the document" in a.explanation for a, _ in differ)


# -- where blocks end -----------------------------------------------------------------------

lines = st.text(alphabet=st.sampled_from("ab é\r\t"), max_size=30)
texts = st.lists(lines, max_size=40).map("\n".join)


@given(texts, st.integers(1, 60))
@settings(max_examples=300, deadline=None)
def test_blocks_cover_the_text_and_end_at_line_ends(text, max_chars):
    spans = block_spans(text, max_chars)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    for start, end in spans[:-1]:
        block = text[start:end]
        assert block.endswith("\n"), "never cut inside a line"
        if len(block) > max_chars:
            assert block.count("\n") == 1, "only a single line may be longer than a block"
        window = text[start:start + max_chars]
        body = window[:window.rfind("\n") + 1] if "\n" in window else ""
        inner_lines = body.split("\n")[1:-1]  # lines after the block's first one, ended in the window
        if any(not line.strip() for line in inner_lines):
            assert not block[:-1].split("\n")[-1].strip() and len(block) > 1, "cut after a blank line"


@given(texts, st.integers(1, 60), st.integers(1, 50))
@settings(max_examples=300, deadline=None)
def test_streaming_gives_the_same_blocks(text, max_chars, piece):
    pieces = (text[i:i + piece] for i in range(0, len(text), piece))
    assert list(iter_text_blocks(pieces, max_chars)) == [text[a:b] for a, b in block_spans(text, max_chars) if b > a]


#: Lines of sentences: capitals, final punctuation (also alone on a line), NBSP, CRLF, guillemets, so
#: that the sentence-boundary rule is exercised (the alphabet above has neither).
sentence_lines = st.text(alphabet=st.sampled_from("aB. é\r\t!?«»\u00a0É1…:;\"-"), max_size=30)
sentence_texts = st.lists(sentence_lines, max_size=40).map("\n".join)


def _boundary_in_window(text: str, line_end: int, limit: int) -> bool:
    """The rule, restated: the line ending at ``line_end`` (a newline) ends with final punctuation
    and the next line's first visible character, read before ``limit``, is not lower case."""
    line = text[text.rfind("\n", 0, line_end) + 1:line_end]
    nxt = text[line_end + 1:limit].lstrip(" \t\r\u00a0\x0b\x0c")
    return (line.rstrip().endswith(tuple(".!?…:;»\")]*")) and bool(nxt) and nxt[0] != "\n"
            and not nxt[0].islower())


@given(sentence_texts, st.integers(1, 60), st.integers(1, 50))
@settings(max_examples=400, deadline=None)
def test_sentence_cuts_streamed_or_whole_agree_and_end_sentences(text, max_chars, piece):
    spans = block_spans(text, max_chars)
    pieces = (text[i:i + piece] for i in range(0, len(text), piece))
    assert list(iter_text_blocks(pieces, max_chars)) == [text[a:b] for a, b in spans if b > a]
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for start, end in spans[:-1]:
        assert end > start and text[end - 1] == "\n"
        limit = start + max_chars
        window_ends = [i for i in range(start, min(limit, len(text))) if text[i] == "\n"]
        blank = [i for i in window_ends if i > start and not text[text.rfind("\n", 0, i) + 1:i].strip()
                 and text.rfind("\n", start, i) >= 0]
        if blank or not window_ends:
            continue  # a paragraph cut, or a line longer than the block
        if any(_boundary_in_window(text, i, limit) for i in window_ends):
            assert _boundary_in_window(text, end - 1, limit), "a sentence end was available"
        else:
            assert end - 1 == window_ends[-1], "no sentence end: the last line end"


def test_a_block_ends_after_the_last_blank_line_that_fits():
    text = "un\n\ndeux\ntrois\n\nquatre cinq six\nsept\n"
    assert next_cut(text, 0, 12, final=True) == len("un\n\n")
    assert next_cut(text, 0, 17, final=True) == len("un\n\ndeux\ntrois\n\n")
    # no blank line in the window: the last line end
    assert next_cut("aa\nbb\ncc\ndd\n", 0, 7, final=True) == 6
    # short enough: the whole rest (or "read more" when the stream is not finished)
    assert next_cut("aa\nbb", 0, 10, final=True) == 5 and next_cut("aa\nbb", 0, 10, final=False) is None


def test_without_blank_lines_a_block_ends_at_a_sentence_boundary():
    """One paragraph per line, some sentences cut across lines: the cut goes after a line that
    ends a sentence and before one that starts with a capital, not inside a sentence."""
    text = ("Le conseil municipal s’est réuni jeudi.\n"
            "La maire a présenté le budget de la\n"
            "ville, qui augmente de deux pour cent.\n"
            "Les travaux commenceront\n"
            "en mars.\n")
    cut = next_cut(text, 0, len(text) - 5, final=True)
    assert text[:cut].endswith("deux pour cent.\n")
    # A line that ends with final punctuation but is followed by a lower-case line is no boundary.
    cut = next_cut(text, 0, text.index("en mars"), final=True)
    assert text[:cut].endswith("deux pour cent.\n")
    # No sentence boundary in the window: the last line end, as before.
    assert next_cut("aa\nbb\ncc\ndd\n", 0, 7, final=True) == 6
    # Streamed or whole, the same cuts (the next line's first character is read within the window).
    pieces = [text[i:i + 7] for i in range(0, len(text), 7)]
    for max_chars in range(20, len(text)):
        assert list(iter_text_blocks(iter(pieces), max_chars)) == [text[a:b] for a, b in block_spans(text, max_chars)
                                                                    if b > a]


def test_blocks_of_a_file_without_blank_lines_add_no_capital_mid_sentence(repairer):
    """A scraped dump with one paragraph per line and sentences cut across lines: repaired in
    blocks, no block start inside a sentence gets capitalised (the whole text gets no capital)."""
    with (ROOT / "tests" / "data" / "clean" / "paragraphs.jsonl").open(encoding="utf-8") as fh:
        clean = [json.loads(line)["text"] for line, _ in zip(fh, range(40))]
    lines_out = []
    for i, para in enumerate(clean):
        words = para.split(" ")
        if i % 3 == 0 and len(words) > 12:  # cut mid-sentence before a lower-case word
            k = next(j for j in range(6, len(words)) if words[j][:1].islower())
            lines_out += [" ".join(words[:k]), " ".join(words[k:])]
        else:
            lines_out.append(para)
    text = "\n".join(lines_out) + "\n"
    whole = repairer.repair(text)
    assert not [e for e in whole.edits if e.rule == "LINE-CAPITALISE"]
    for max_chars in (1_500, 2_500, 4_000):
        parts = repair_long(repairer, text, max_chars)
        assert len(block_spans(text, max_chars)) >= 3
        assert not [e for e in parts.edits if e.rule == "LINE-CAPITALISE"], max_chars
        assert apply_edits(text, parts.edits) == parts.text


def test_huge_single_lines_are_never_cut():
    line = "mot " * 5_000  # 20,000 characters, no line end
    assert block_spans(line, 1_000) == [(0, len(line))]
    text = "Début.\n\n" + line + "\nFin.\n"
    spans = block_spans(text, 1_000)
    assert [text[a:b] for a, b in spans] == ["Début.\n\n", line + "\n", "Fin.\n"]
    assert list(iter_text_blocks([text[:300], text[300:12_000], text[12_000:]], 1_000)) == [text[a:b] for a, b in spans]


# -- repairing in blocks ----------------------------------------------------------------------


def test_blockwise_repair_equals_whole_repair_when_no_edit_straddles(repairer):
    """A spun article among clean paragraphs: blocks cut between paragraphs give the very same
    result (edits, explanations, findings, scores) as the whole document."""
    text = mixed_text()
    whole = repairer.repair(text)
    blocks = block_spans(text, 3_000)
    assert len(blocks) >= 3
    edges = [end for _, end in blocks[:-1]]
    assert not any(e.start < edge < e.end for e in whole.edits for edge in edges)
    parts = repair_long(repairer, text, 3_000)
    assert parts.text == whole.text and parts.original == text
    assert parts.edits == whole.edits and parts.findings == whole.findings
    assert {k: v for k, v in parts.scores.items() if k != "blocks"} == dict(whole.scores)
    assert parts.scores["blocks"] == len(blocks) and parts.signature == whole.signature


def test_offsets_refer_to_the_whole_document(repairer):
    text = articles_text()
    result = repair_long(repairer, text, 2_000)
    assert result.edits and result.findings
    assert apply_edits(text, result.edits) == result.text
    for e in result.edits:
        assert text[e.start:e.end] == e.original
    for f in result.findings:
        assert text[f.start:f.end] == f.span


def test_a_text_that_fits_in_one_block_is_repaired_exactly_as_before(repairer):
    text = articles_text()
    assert repair_long(repairer, text, len(text)) == repairer.repair(text)
    assert repair_long(repairer, text, 0) == repairer.repair(text)


def test_streaming_a_file_writes_the_blockwise_repair(repairer, tmp_path):
    text = articles_text()
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    merged = repair_file_streaming(repairer, str(path), "long.txt", out.write, 2_000)
    expected = repair_long(repairer, text, 2_000)
    assert out.getvalue() == expected.text
    assert merged.edit_count == len(expected.edits) and merged.finding_count == len(expected.findings)
    assert merged.changed and merged.blocks == expected.scores["blocks"]


@pytest.mark.parametrize("data", [
    "é" * 5000 + "\n" + "x" * 10,  # fine
    "é" * 5000 + "\n",
])
def test_incremental_decoding_matches_whole_decoding(data):
    raw = data.encode("utf-8")
    assert "".join(iter_decoded(io.BytesIO(raw), "f", read_bytes=7)) == decode_bytes(raw, "f").text
    for bom in ("utf-8-sig", "utf-16", "utf-32"):
        raw = data.encode(bom)
        assert "".join(iter_decoded(io.BytesIO(raw), "f", read_bytes=5)) == decode_bytes(raw, "f").text


def test_incremental_decoding_names_the_same_byte_offset():
    raw = ("é" * 6000).encode("utf-8") + b"\xff" + b"suite"
    with pytest.raises(InputError) as whole:
        decode_bytes(raw, "f")
    with pytest.raises(InputError) as pieces:
        list(iter_decoded(io.BytesIO(raw), "f", read_bytes=4097))
    assert str(pieces.value) == str(whole.value)
    assert "byte offset 12000" in str(whole.value)
    with pytest.raises(InputError, match="binary"):
        list(iter_decoded(io.BytesIO(b"abc\x00def"), "f"))


# -- the CLI --------------------------------------------------------------------------------


def test_cli_streams_a_long_file_and_matches_the_blockwise_repair(tmp_path, capsys, repairer):
    text = articles_text()
    src = tmp_path / "long.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["repair", str(src), "-o", str(out), "--block-chars", "2000", "--model", "none"]) == 0
    expected = repair_long(repairer, text, 2_000)
    assert out.read_text(encoding="utf-8") == expected.text
    err = capsys.readouterr().err
    assert f"{src}: {len(expected.edits)} edit(s)" in err
    # json output: the whole document's edits with offsets into the file's text
    assert main(["repair", str(src), "--format", "json", "--block-chars", "2000", "--model", "none"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["text"] == expected.text and len(obj["edits"]) == len(expected.edits)
    assert obj["scores"]["blocks"] == expected.scores["blocks"]
    # the batch engine (a folder) gives the same text
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "long.txt").write_text(text, encoding="utf-8")
    outdir = tmp_path / "outdir"
    assert main(["repair", str(folder), "--output-dir", str(outdir), "--block-chars", "2000", "--model", "none",
                 "--no-progress"]) == 0
    assert (outdir / "long.txt").read_text(encoding="utf-8") == expected.text


def test_cli_long_file_with_invalid_utf8_writes_nothing(tmp_path, capsys):
    src = tmp_path / "bad.txt"
    src.write_bytes(("Une phrase correcte.\n\n" * 500).encode("utf-8") + b"\xff\n")
    out = tmp_path / "out.txt"
    assert main(["repair", str(src), "-o", str(out), "--block-chars", "1000", "--model", "none"]) == 1
    err = capsys.readouterr().err
    assert f"invalid UTF-8 at byte offset {500 * 22}" in err
    assert not out.exists() or out.read_text(encoding="utf-8") == ""
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no temporary file left"
    assert check_file(str(src), "bad.txt", "replace")[0] == 500 * 22 + 2


def test_streamed_report_line_is_the_usual_one(repairer, tmp_path):
    from mtrepair.render import summary

    text = mixed_text()
    path = tmp_path / "mixed.txt"
    path.write_text(text, encoding="utf-8")
    merged = repair_file_streaming(repairer, str(path), "mixed.txt", io.StringIO().write, 3_000)
    assert merged.summary("mixed.txt") == summary("mixed.txt", repair_long(repairer, text, 3_000))


def test_cli_long_and_short_files_together_and_in_place(tmp_path, capsys, repairer):
    text = articles_text()
    long_file, short_file = tmp_path / "long.txt", tmp_path / "short.txt"
    long_file.write_text(text, encoding="utf-8")
    short_file.write_text("Et maintenant ? Rien.\n", encoding="utf-8")
    args = ["--block-chars", "2000", "--model", "none"]
    code = main(["repair", str(short_file), str(long_file), str(tmp_path / "missing.txt"), "--format", "diff", *args])
    out, err = capsys.readouterr()
    assert code == 1 and "missing.txt: no such file" in err
    from mtrepair.render import inline_diff

    expected = repair_long(repairer, text, 2_000)
    diff = "".join(inline_diff(text[a:b], repairer.repair(text[a:b]).edits) for a, b in block_spans(text, 2_000))
    assert out == "Et maintenant ? Rien.\n" + diff
    assert main(["repair", "--in-place", str(long_file), *args]) == 0
    assert long_file.read_text(encoding="utf-8") == expected.text
    assert (tmp_path / "long.txt.bak").read_text(encoding="utf-8") == text


@given(st.lists(st.sampled_from([
    "Il a gardé à l'esprit que les ventes progressent.", "Et maintenant? Rien.", "ses individus",
    "The Details a publié un rapport", "Publicité", "pendant\nil n'est pas clair", "« ok »", "\n", "\n\n", " ",
]), min_size=1, max_size=30), st.integers(10, 200))
@settings(max_examples=60, deadline=None)
def test_blockwise_offsets_always_hold(pieces, max_chars):
    text = " ".join(pieces)
    repairer = _shared_repairer()
    result = repair_long(repairer, text, max_chars)
    assert apply_edits(text, result.edits) == result.text
    assert all(text[e.start:e.end] == e.original for e in result.edits)
    assert all(text[f.start:f.end] == f.span for f in result.findings)


_REPAIRER: list[Repairer] = []


def _shared_repairer() -> Repairer:
    if not _REPAIRER:
        _REPAIRER.append(Repairer(CONFIG))
    return _REPAIRER[0]
