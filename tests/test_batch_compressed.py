"""Compressed inputs and outputs of the batch CLI and library (issue #6: scraped dumps come compressed).

gzip, bz2 and xz (and zstd with its extra) are recognised by their magic bytes, read as a stream
(line numbers count decompressed lines), and written when an output name ends in .gz/.bz2/.xz/.zst.
The output of a compressed input, once decompressed, must be byte-identical to the output of the
same input uncompressed; ``--resume`` appends a new stream that standard tools read as one file;
damaged data gives error records naming the file and where reading stopped, never a traceback.
These tests run with ``--model none`` (batch mechanics, not the model) and stay fast.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import shutil
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest

from mtrepair import RepairConfig
from mtrepair.batch import BatchOptions, discover, iter_items, repair_paths
from mtrepair.cli.main import main
from mtrepair.compression import codec_of_bytes, compress_bytes

FAST = ["--model", "none"]
ROOT = Path(__file__).resolve().parents[1]

#: Clean French news prose: must come out byte for byte.
CLEAN = ("Le conseil municipal de Nantes a voté lundi soir le budget 2025, en hausse de 3 % par rapport à "
         "l’an dernier. La maire a rappelé que la rénovation des écoles restait la priorité du mandat.")
#: A spun calque (« a gardé à l’esprit que » = *noted*): must be repaired.
SPUN = "Il a gardé à l’esprit que la société embauchera ses individus."
SPUN_FIXED = "a souligné que"

OPENERS = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}
SUFFIX = {"gzip": ".gz", "bz2": ".bz2", "xz": ".xz", "zstd": ".zst"}


def records(n: int = 6) -> list[dict]:
    out = []
    for i in range(1, n + 1):
        text = SPUN if i == 2 else CLEAN.replace("lundi", f"le {i} mars")
        out.append({"id": i, "source": "ouest-info", "text": text})
    return out


def jsonl_bytes(recs: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs).encode("utf-8")


def decompress(path: Path) -> bytes:
    data = path.read_bytes()
    codec = codec_of_bytes(data[:10])
    if codec == "zstd":
        import zstandard

        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True)
        return reader.read()  # every frame, one after the other
    return OPENERS[codec](io.BytesIO(data)).read() if codec else data


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["repair", *args, *FAST])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "internal error" not in out.err, out.err
    return code, out.out, out.err


def rows(data: bytes | str) -> list[dict]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def plain_output(tmp_path_factory) -> bytes:
    """The output of the uncompressed records: what every compressed run must reproduce."""
    folder = tmp_path_factory.mktemp("plain")
    (folder / "recs.jsonl").write_bytes(jsonl_bytes(records()))
    assert main(["repair", str(folder / "recs.jsonl"), "-o", str(folder / "out.jsonl"), "-q", *FAST]) == 0
    return (folder / "out.jsonl").read_bytes()


def test_the_records_say_what_must_change(plain_output):
    out = rows(plain_output)
    assert out[0]["repaired_text"] == out[0]["text"] and out[0]["changed"] is False, "clean text unchanged"
    assert SPUN_FIXED in out[1]["repaired_text"] and out[1]["changed"] is True, "the calque is repaired"


@pytest.mark.parametrize("codec", ["gzip", "bz2", "xz", "zstd"])
def test_compressed_jsonl_gives_the_same_bytes_as_plain(tmp_path, capsys, plain_output, codec):
    if codec == "zstd":
        pytest.importorskip("zstandard")
    src = tmp_path / f"recs.jsonl{SUFFIX[codec]}"
    src.write_bytes(compress_bytes(jsonl_bytes(records()), codec))
    code, out, err = run([str(src)], capsys)
    assert code == 0 and out.encode() == plain_output
    # and written compressed, in the same codec: decompressed, byte-identical
    target = tmp_path / f"out.jsonl{SUFFIX[codec]}"
    code, _, _ = run([str(src), "-o", str(target), "-q"], capsys)
    assert code == 0 and codec_of_bytes(target.read_bytes()[:10]) == codec
    assert decompress(target) == plain_output


def test_magic_bytes_decide_not_the_name(tmp_path, capsys, plain_output):
    hidden = tmp_path / "recs.jsonl"  # gzip data under a plain name
    hidden.write_bytes(gzip.compress(jsonl_bytes(records())))
    code, out, _ = run([str(hidden)], capsys)
    assert code == 0 and out.encode() == plain_output
    lying = tmp_path / "dump.jsonl.gz"  # plain text under a .gz name
    lying.write_bytes(jsonl_bytes(records()))
    code, out, _ = run([str(lying)], capsys)
    assert code == 0 and out.encode() == plain_output


def test_standard_tools_read_the_output(tmp_path, capsys, plain_output):
    src = tmp_path / "recs.jsonl"
    src.write_bytes(jsonl_bytes(records()))
    target = tmp_path / "out.jsonl.gz"
    assert run([str(src), "-o", str(target), "-q"], capsys)[0] == 0
    if shutil.which("gzip"):
        assert subprocess.run(["gzip", "-dc", str(target)], capture_output=True, check=True).stdout == plain_output
    assert gzip.decompress(target.read_bytes()) == plain_output


def test_empty_gzip_is_an_empty_jsonl(tmp_path, capsys):
    src = tmp_path / "vide.jsonl.gz"
    src.write_bytes(gzip.compress(b""))
    target = tmp_path / "out.jsonl"
    code, _, err = run([str(src), "-o", str(target)], capsys)
    assert code == 0 and target.read_bytes() == b""
    assert "vide.jsonl.gz: holds no record" in err


def _big_records(n: int) -> list[dict]:
    """Records long enough that a cut in the middle of the compressed file leaves whole lines."""
    recs = records(n)
    for i, r in enumerate(recs):
        r["note"] = f"dépêche {i} " + "x" * (i * 37 % 500)
    return recs


@pytest.mark.parametrize("codec", ["gzip", "bz2", "xz"])
def test_truncated_input_keeps_the_records_before_and_says_where_it_stopped(tmp_path, capsys, codec):
    recs = _big_records(120)
    data = compress_bytes(jsonl_bytes(recs), codec)
    src = tmp_path / f"dump.jsonl{SUFFIX[codec]}"
    src.write_bytes(data[: len(data) * 2 // 3])
    code, out, err = run([str(src)], capsys)
    got = rows(out)
    assert code == 1
    good, last = got[:-1], got[-1]
    assert [r["id"] for r in good] == [r["id"] for r in recs[: len(good)]], "the records before, in order"
    if codec != "bz2":  # bz2 gives nothing of a block cut in the middle (900 kB blocks)
        assert len(good) > 20
    assert "error" not in good[-1] if good else True
    assert last["input"] == str(src) and last["line"] == len(good) + 1
    assert f"{codec} data is truncated" in last["error"] and f"after {len(good)} decompressed line(s)" in last["error"]
    assert str(src) in err and "1 failed" in err


def test_corrupt_input_is_one_error_record_and_nothing_of_it_is_used(tmp_path, capsys):
    data = bytearray(gzip.compress(jsonl_bytes(_big_records(60))))
    for k in range(len(data) // 2, len(data) // 2 + 8):
        data[k] ^= 0x5A
    src = tmp_path / "dump.jsonl.gz"
    src.write_bytes(bytes(data))
    code, out, err = run([str(src)], capsys)
    got = rows(out)
    # Deflate decodes garbage before its CRC fails (wrong records that look right): nothing is used.
    assert code == 1 and len(got) == 1 and got[0]["input"] == str(src)
    assert "gzip data is corrupt" in got[0]["error"] and "nothing was read from it" in got[0]["error"]


def test_damaged_document_is_one_error_and_a_good_one_goes_on(tmp_path, capsys):
    text = (CLEAN + "\n\n") * 50
    (tmp_path / "bon.txt.gz").write_bytes(gzip.compress(text.encode()))
    (tmp_path / "casse.txt.gz").write_bytes(gzip.compress(text.encode())[:200])
    out_dir = tmp_path / "out"
    code, _, err = run([str(tmp_path / "bon.txt.gz"), str(tmp_path / "casse.txt.gz"), "--output-dir", str(out_dir)],
                       capsys)
    assert code == 1 and "casse.txt.gz: cannot read: gzip data is truncated" in err
    assert gzip.decompress((out_dir / "bon.txt.gz").read_bytes()).decode() == text
    assert not (out_dir / "casse.txt.gz").exists()


def test_text_csv_and_html_inputs(tmp_path, capsys):
    article = (ROOT / "examples" / "spun-article-1.txt").read_text(encoding="utf-8")
    plain = tmp_path / "article.txt"
    plain.write_text(article, encoding="utf-8")
    (tmp_path / "article.txt.xz").write_bytes(lzma.compress(article.encode()))
    code, expected, _ = run([str(plain), "-q"], capsys)
    code2, got, _ = run([str(tmp_path / "article.txt.xz"), "-q"], capsys)
    assert code == code2 == 0 and got == expected and got != article

    csv_text = "id,titre,text\n1,Budget,\"" + CLEAN + "\"\n2,Emploi,\"" + SPUN + "\"\n"
    (tmp_path / "t.csv").write_text(csv_text, encoding="utf-8")
    (tmp_path / "t.csv.bz2").write_bytes(bz2.compress(csv_text.encode()))
    _, expected, _ = run([str(tmp_path / "t.csv")], capsys)
    _, got, _ = run([str(tmp_path / "t.csv.bz2")], capsys)
    assert got == expected and SPUN_FIXED in rows(got)[1]["repaired_text"]

    pytest.importorskip("trafilatura")
    page = ("<!DOCTYPE html><html><head><title>Budget voté</title></head><body><article><p>" + CLEAN
            + "</p><p>" + SPUN + "</p></article></body></html>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    (tmp_path / "page.gz").write_bytes(gzip.compress(page.encode()))  # no .html: recognised by content
    _, expected, _ = run([str(tmp_path / "page.html"), "--format", "jsonl"], capsys)
    _, got, _ = run([str(tmp_path / "page.gz"), "--format", "jsonl"], capsys)
    a, b = rows(expected)[0], rows(got)[0]
    assert a.pop("input") != b.pop("input") and a == b and SPUN_FIXED in b["text"]


def test_folder_default_glob_and_mirrored_names(tmp_path, capsys, plain_output):
    src = tmp_path / "dumps"
    (src / "sub").mkdir(parents=True)
    (src / "a.jsonl.gz").write_bytes(gzip.compress(jsonl_bytes(records())))
    (src / "sub" / "b.jsonl.xz").write_bytes(lzma.compress(jsonl_bytes(records())))
    (src / "c.txt.bz2").write_bytes(bz2.compress((CLEAN + "\n").encode()))
    (src / "d.csv.gz").write_bytes(gzip.compress(("id,text\n7,\"" + SPUN + "\"\n").encode()))
    (src / "photo.png.gz").write_bytes(gzip.compress(b"\x89PNG"))  # not taken by the default globs
    out = tmp_path / "out"
    code, _, err = run([str(src), "--output-dir", str(out)], capsys)
    assert code == 0, err
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    # records give JSONL, so the document is a JSONL record too (c.txt -> c.txt.jsonl), compressed the same way
    assert written == ["a.jsonl.gz", "c.txt.jsonl.bz2", "d.jsonl.gz", "sub/b.jsonl.xz"]
    assert decompress(out / "a.jsonl.gz") == plain_output and decompress(out / "sub/b.jsonl.xz") == plain_output
    assert codec_of_bytes((out / "c.txt.jsonl.bz2").read_bytes()[:10]) == "bz2"
    assert rows(decompress(out / "c.txt.jsonl.bz2"))[0]["text"] == CLEAN + "\n"
    assert SPUN_FIXED in rows(decompress(out / "d.jsonl.gz"))[0]["repaired_text"]
    # --resume over the mirrored compressed outputs: everything is there, nothing is written twice
    code, _, err = run([str(src), "--output-dir", str(out), "--resume"], capsys)
    assert code == 0 and "skipped" in err and decompress(out / "a.jsonl.gz") == plain_output


def test_compressed_standard_input(tmp_path, capsys, monkeypatch, plain_output):
    data = gzip.compress(jsonl_bytes(records()))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(["-", "--input-format", "jsonl"], capsys)
    assert code == 0 and out.encode() == plain_output
    # plain text on standard input (the plain path), xz-compressed
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lzma.compress((SPUN + "\n").encode()))))
    code, out, _ = run(["-", "-q"], capsys)
    assert code == 0 and SPUN_FIXED in out
    # JSONL on standard input without --input-format is refused as before, once decompressed
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = run(["-"], capsys)
    assert code == 1 and "--input-format jsonl" in err and out == ""


def test_compressed_standard_input_through_a_real_pipe(plain_output):
    data = bz2.compress(jsonl_bytes(records()))
    proc = subprocess.run([sys.executable, "-m", "mtrepair", "repair", "-", "--input-format", "jsonl", *FAST],
                          input=data, capture_output=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout == plain_output, proc.stderr.decode()


@pytest.mark.parametrize("codec", ["gzip", "bz2", "xz", "zstd"])
def test_resume_appends_a_stream_that_standard_tools_read_whole(tmp_path, capsys, plain_output, codec):
    if codec == "zstd":
        pytest.importorskip("zstandard")
    half = tmp_path / "half.jsonl"
    half.write_bytes(jsonl_bytes(records()[:3]))
    src = tmp_path / f"all.jsonl{SUFFIX[codec]}"
    src.write_bytes(compress_bytes(jsonl_bytes(records()), codec))
    target = tmp_path / f"out.jsonl{SUFFIX[codec]}"
    assert run([str(half), "-o", str(target), "-q"], capsys)[0] == 0
    code, _, err = run([str(src), "-o", str(target), "--resume"], capsys)
    assert code == 0 and "3 skipped" in err
    assert decompress(target) == plain_output  # several streams, read as one, in order
    tool = {"gzip": "gzip", "bz2": "bzip2", "xz": "xz", "zstd": "zstd"}[codec]
    if shutil.which(tool):
        assert subprocess.run([tool, "-dc", str(target)], capture_output=True, check=True).stdout == plain_output


def test_resume_after_a_run_killed_inside_a_gzip_member(tmp_path, capsys, plain_output):
    """A killed run leaves a member without its end (records were sync-flushed one by one): the
    whole records are kept, the cut one is redone, and the result is one valid gzip file."""
    lines = plain_output.splitlines(keepends=True)
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    data = comp.compress(b"".join(lines[:2])) + comp.flush(zlib.Z_SYNC_FLUSH)
    data += comp.compress(lines[2][:40]) + comp.flush(zlib.Z_SYNC_FLUSH)
    target = tmp_path / "out.jsonl.gz"
    target.write_bytes(data)
    src = tmp_path / "recs.jsonl.gz"
    src.write_bytes(gzip.compress(jsonl_bytes(records())))
    code, _, err = run([str(src), "-o", str(target), "--resume"], capsys)
    assert code == 0 and "2 skipped" in err
    assert gzip.decompress(target.read_bytes()) == plain_output
    if shutil.which("gzip"):
        assert subprocess.run(["gzip", "-t", str(target)]).returncode == 0


def test_resume_refuses_what_it_cannot_append_to_safely(tmp_path, capsys, plain_output):
    src = tmp_path / "recs.jsonl"
    src.write_bytes(jsonl_bytes(records()))
    mislabelled = tmp_path / "out.jsonl.gz"  # plain JSONL under a .gz name
    mislabelled.write_bytes(plain_output[: len(plain_output) // 2])
    before = mislabelled.read_bytes()
    code, _, err = run([str(src), "-o", str(mislabelled), "--resume"], capsys)
    assert code == 1 and "uncompressed data" in err and mislabelled.read_bytes() == before
    hidden = tmp_path / "out.jsonl"  # gzip under a plain name
    hidden.write_bytes(gzip.compress(plain_output[:100]))
    code, _, err = run([str(src), "-o", str(hidden), "--resume"], capsys)
    assert code == 1 and "gzip-compressed" in err and ".gz" in err
    corrupt = bytearray(gzip.compress(plain_output))
    for k in range(40, 48):
        corrupt[k] ^= 0x5A
    target = tmp_path / "bad.jsonl.gz"
    target.write_bytes(bytes(corrupt))
    code, _, err = run([str(src), "-o", str(target), "--resume"], capsys)
    assert code == 1 and "gzip data is corrupt" in err and target.read_bytes() == bytes(corrupt)


def test_retry_failed_rewrites_a_compressed_output(tmp_path, capsys, plain_output):
    lines = plain_output.splitlines(keepends=True)
    failed = json.loads(lines[1])
    error_line = json.dumps({k: failed[k] for k in ("id", "source", "text")} | {"error": "timed out after 60 s"},
                            ensure_ascii=False).encode() + b"\n"
    target = tmp_path / "out.jsonl.xz"
    target.write_bytes(lzma.compress(lines[0] + error_line + b"".join(lines[2:])))
    src = tmp_path / "recs.jsonl.gz"
    src.write_bytes(gzip.compress(jsonl_bytes(records())))
    code, _, err = run([str(src), "-o", str(target), "--resume", "--retry-failed"], capsys)
    assert code == 0 and "1 earlier failure(s) retried" in err
    # the other lines byte for byte and in order, the retried record appended
    assert decompress(target) == lines[0] + b"".join(lines[2:]) + lines[1]
    assert not list(tmp_path.glob(".out.jsonl.xz.*")), "no temporary file left"


def test_python_api_paths_and_decompressed_line_numbers(tmp_path, plain_output):
    src = tmp_path / "recs.jsonl.gz"
    raw = jsonl_bytes(records()[:2]) + b"\n" + b"{pas du json\n" + jsonl_bytes(records()[2:])
    src.write_bytes(gzip.compress(raw))
    options = BatchOptions()
    items = list(iter_items(discover([str(src)], options), options))
    assert [(i.kind, i.line) for i in items] == [("line", 1), ("line", 2), ("line", 4), ("line", 5),
                                                 ("line", 6), ("line", 7), ("line", 8)]
    target = tmp_path / "out.jsonl.bz2"
    summary = repair_paths([str(src)], RepairConfig(model="none"), options, output=str(target))
    assert (summary.records, summary.failed) == (7, 1)
    out = rows(decompress(target))
    assert out[2]["line"] == 4 and out[2]["input"] == str(src) and "raw" in out[2]
    assert [r for i, r in enumerate(out) if i != 2] == rows(plain_output)


def _peak_reading(path: Path) -> tuple[int, int]:
    options = BatchOptions()
    specs = discover([str(path)], options)
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_items(specs, options))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return count, peak


def test_reading_a_big_compressed_file_keeps_memory_flat(tmp_path):
    line = (json.dumps({"id": 0, "text": CLEAN}, ensure_ascii=False) + "\n").encode()
    peaks = {}
    for megabytes in (2, 20):
        src = tmp_path / f"big{megabytes}.jsonl.gz"
        with gzip.open(src, "wb", compresslevel=1) as fh:
            for _ in range(megabytes):
                fh.write(line * 4000)  # 1 MB once decompressed
        count, peaks[megabytes] = _peak_reading(src)
        assert count == megabytes * 4000
    assert peaks[20] < 1.5 * peaks[2] and peaks[20] < 8_000_000, peaks


def test_long_compressed_text_file_is_streamed_in_blocks(tmp_path, capsys):
    text = "".join(f"{CLEAN}\n\n{SPUN}\n\n" for _ in range(40))
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    (tmp_path / "long.txt.gz").write_bytes(gzip.compress(text.encode()))
    for name in ("long.txt", "long.txt.gz"):
        assert run([str(tmp_path / name), "--output-dir", str(tmp_path / "out"), "--block-chars", "1000", "-q"],
                   capsys)[0] == 0
    plain = (tmp_path / "out" / "long.txt").read_bytes()
    assert gzip.decompress((tmp_path / "out" / "long.txt.gz").read_bytes()) == plain
    assert plain.decode().count(SPUN_FIXED) == 40 and plain.decode().count(CLEAN) == 40


def test_what_is_refused_clearly(tmp_path, capsys, monkeypatch):
    doc = tmp_path / "a.txt.gz"
    doc.write_bytes(gzip.compress((SPUN + "\n").encode()))
    code, _, err = run([str(doc), "--in-place"], capsys)
    assert code == 1 and "gzip-compressed" in err and gzip.decompress(doc.read_bytes()) == (SPUN + "\n").encode()
    pq = tmp_path / "t.parquet.gz"
    pq.write_bytes(gzip.compress(b"PAR1"))
    code, out, _ = run([str(pq)], capsys)
    assert code == 1 and "compressed Parquet is not read" in rows(out)[0]["error"]
    # zstd without its package: the error names the extra, for an input and for an output
    monkeypatch.setitem(sys.modules, "zstandard", None)
    zst = tmp_path / "d.jsonl.zst"
    zst.write_bytes(b"\x28\xb5\x2f\xfd" + b"\x00" * 20)
    code, out, _ = run([str(zst)], capsys)
    assert code == 1 and "mtrepair[zstd]" in rows(out)[0]["error"] and str(zst) in rows(out)[0]["error"]
    src = tmp_path / "r.jsonl"
    src.write_bytes(jsonl_bytes(records()[:1]))
    code, _, err = run([str(src), "-o", str(tmp_path / "o.jsonl.zst")], capsys)
    assert code == 1 and "mtrepair[zstd]" in err and not (tmp_path / "o.jsonl.zst").exists()


class _StopAfter:
    """A progress reporter that stops the run like Ctrl-C after ``n`` records were written."""

    def __init__(self, n: int):
        self.n = n

    def update(self, outcome) -> None:
        self.n -= 1
        if self.n == 0:
            raise KeyboardInterrupt

    def message(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.mark.parametrize("codec", ["gzip", "xz", "zstd"])
def test_ctrl_c_closes_the_stream_and_resume_completes_it(tmp_path, plain_output, codec):
    if codec == "zstd":
        pytest.importorskip("zstandard")
    src = tmp_path / "recs.jsonl.gz"
    src.write_bytes(gzip.compress(jsonl_bytes(records())))
    target = tmp_path / f"out.jsonl{SUFFIX[codec]}"
    config = RepairConfig(model="none")
    with pytest.raises(KeyboardInterrupt):
        repair_paths([str(src)], config, BatchOptions(), output=str(target), progress=_StopAfter(4))
    assert decompress(target) == b"".join(plain_output.splitlines(keepends=True)[:4]), "4 whole records, a valid file"
    summary = repair_paths([str(src)], config, BatchOptions(resume=True), output=str(target))
    assert (summary.skipped, summary.records) == (4, 2)
    assert decompress(target) == plain_output


def test_worker_processes_read_compressed_input(tmp_path, capsys, plain_output):
    src = tmp_path / "recs.jsonl.xz"
    src.write_bytes(lzma.compress(jsonl_bytes(records())))
    code, out, _ = run([str(src), "--jobs", "2"], capsys)
    assert code == 0 and out.encode() == plain_output


def test_truncated_csv_keeps_the_rows_before(tmp_path, capsys):
    rows_text = "id,text\n" + "".join(f"{i},\"{CLEAN} Dépêche {i} : {'x' * (i * 53 % 400)}.\"\n" for i in range(200))
    data = gzip.compress(rows_text.encode())
    src = tmp_path / "t.csv.gz"
    src.write_bytes(data[: len(data) * 2 // 3])
    code, out, _ = run([str(src)], capsys)
    got = rows(out)
    assert code == 1 and len(got) > 20 and [r["id"] for r in got[:-1]] == [str(i) for i in range(len(got) - 1)]
    assert "gzip data is truncated" in got[-1]["error"] and got[-1]["input"] == str(src)
