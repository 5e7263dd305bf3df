"""The batch engine as a library: bounded memory, crash recovery, HTML input, progress, Python API."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from process_support import alive, children, orphans_after_sigkill

from mtrepair import RepairConfig, Repairer
from mtrepair.batch import BatchOptions, WorkItem, iter_outcomes, repair_records
from mtrepair.batch import process as process_mod
from mtrepair.batch.sources import looks_like_html
from mtrepair.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "tests" / "data" / "clean" / "paragraphs.jsonl"
CONFIG = RepairConfig(model="none")


def clean_texts(n: int) -> list[str]:
    with CLEAN.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line, _ in zip(fh, range(n))]


def spun_text() -> str:
    return (ROOT / "examples" / "spun-article-1.txt").read_text(encoding="utf-8")


def row_items(texts, pulled: list | None = None):
    for i, t in enumerate(texts):
        if pulled is not None:
            pulled.append(i)
        yield WorkItem(i, "<test>", "test", "jsonl", "row", i + 1, {"id": i, "text": t})


def test_parallel_reading_is_bounded_whatever_the_input_size():
    """With 2 jobs, at most jobs × pending_per_job chunks are read ahead of the writer."""
    texts = clean_texts(40) * 5  # 200 records
    opts = BatchOptions(jobs=2, chunk_records=4, pending_per_job=2, as_objects=True)
    pulled: list[int] = []
    outcomes = iter_outcomes(row_items(texts, pulled), CONFIG, opts)
    first = next(outcomes)
    limit = opts.jobs * opts.pending_per_job * opts.chunk_records
    assert first.index == 0
    assert len(pulled) <= limit + opts.chunk_records, f"read {len(pulled)} records ahead, bound {limit}"
    rest = list(outcomes)
    assert [o.index for o in [first, *rest]] == list(range(len(texts)))
    assert len(pulled) == len(texts)


def test_a_worker_that_dies_loses_nothing(monkeypatch):
    """A record that kills its worker process becomes an error record; all others are repaired."""
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("needs the fork start method to inject the crash into the workers")
    real = process_mod.process_item

    def crashing(item, repairer, options):
        if "PLANTAGE" in item.payload["text"]:
            os._exit(3)  # simulates a segfault / out-of-memory kill
        return real(item, repairer, options)

    monkeypatch.setattr(process_mod, "process_item", crashing)
    texts = clean_texts(12)
    texts[5] = "PLANTAGE " + texts[5]
    opts = BatchOptions(jobs=2, chunk_records=2, as_objects=True)
    outcomes = list(iter_outcomes(row_items(texts), CONFIG, opts))
    assert [o.index for o in outcomes] == list(range(12))
    statuses = [o.status for o in outcomes]
    assert statuses[5] == "failed" and "died" in outcomes[5].output["error"]
    assert outcomes[5].output["text"] == texts[5], "the failed record keeps its fields"
    failed = [i for i, s in enumerate(statuses) if s == "failed"]
    assert failed in ([5], [4, 5], [5, 6]), "only the chunk holding the poison record fails"
    for o in outcomes:
        if o.status != "failed":
            assert o.output["repaired_text"] == o.output["text"]


def test_repair_records_python_api_matches_the_repairer():
    spun = spun_text()
    records = [{"id": "s", "text": spun, "meta": {"k": 1}}, {"id": "c", "text": clean_texts(1)[0]}, {"id": "x"}]
    out = list(repair_records(records, CONFIG))
    expected = Repairer(CONFIG).repair(spun)
    assert out[0]["repaired_text"] == expected.text and out[0]["meta"] == {"k": 1}
    assert out[0]["changed"] is True
    assert out[1]["changed"] is False and out[1]["repaired_text"] == records[1]["text"]
    assert "error" in out[2] and out[2]["id"] == "x"


def test_html_sniffing():
    assert looks_like_html("\ufeff  <!DOCTYPE html><html><body>…")
    assert looks_like_html("<html lang='fr'>")
    assert not looks_like_html("Le <b>gras</b> reste du texte. <html> plus loin ne compte pas.")


PAGE = """<!DOCTYPE html>
<html lang="fr"><head><title>Altavolt supprime 2 000 postes</title>
<meta name="date" content="2024-03-05"><link rel="canonical" href="https://exemple.fr/altavolt"></head>
<body><nav><a href="/">Accueil</a> | <a href="/tech">Tech</a> | <a href="/eco">Économie</a></nav>
<article><h1>Altavolt supprime 2 000 postes</h1>
<p>Le fabricant de puces Altavolt va supprimer 2 000 postes dans le monde, soit environ 8 % de ses effectifs,
après un troisième trimestre décevant.</p>
<p>Le groupe a indiqué que la demande restait faible en Europe et en Asie, et que la baisse des prix
pesait sur ses marges.</p>
<p>Et maintenant? Les syndicats demandent un plan de reclassement.</p></article>
<footer>Abonnez-vous à notre lettre d'information · Mentions légales</footer></body></html>
"""


def test_html_pages_are_extracted_repaired_and_keep_their_metadata(tmp_path, capsys):
    pytest.importorskip("trafilatura", reason="HTML input needs the 'html' extra (trafilatura)")
    page = tmp_path / "altavolt.html"
    page.write_text(PAGE, encoding="utf-8")
    sneaky = tmp_path / "page-sans-extension.txt"  # recognised by its content
    sneaky.write_text(PAGE, encoding="utf-8")
    assert main(["repair", str(page), str(sneaky), "--format", "jsonl", "--model", "none"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 2 and rows[0]["original"] == rows[1]["original"]
    row = rows[0]
    assert row["metadata"]["title"] == "Altavolt supprime 2 000 postes"
    assert row["metadata"]["date"] == "2024-03-05" and row["metadata"]["url"] == "https://exemple.fr/altavolt"
    assert "Accueil" not in row["original"] and "Abonnez-vous" not in row["original"], "navigation dropped"
    assert "soit environ 8 % de ses effectifs" in row["original"]
    assert row["text"] == Repairer(CONFIG).repair(row["original"]).text
    for e in row["edits"]:
        assert row["original"][e["start"]:e["end"]] == e["original"], "edit offsets refer to the extracted text"
    # HTML in a JSONL field, with --html: extracted text and metadata under their own keys.
    src = tmp_path / "pages.jsonl"
    src.write_text(json.dumps({"id": 1, "text": PAGE}) + "\n", encoding="utf-8")
    assert main(["repair", str(src), "--html", "--model", "none"]) == 0
    (rec,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rec["text"] == PAGE and rec["extracted_text"] == row["original"]
    assert rec["html_metadata"]["title"] == "Altavolt supprime 2 000 postes"
    assert rec["repaired_text"] == row["text"]


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(clean_texts(5))),
                   encoding="utf-8")
    args = ["repair", str(src), "--model", "none"]
    assert main(args) == 0  # captured stderr is not a terminal: no bar
    piped = capsys.readouterr()
    assert main(args + ["--progress"]) == 0
    forced = capsys.readouterr()
    assert "doc/s" not in piped.err and "\r" not in piped.err
    assert "doc" in forced.err and "failed=0" in forced.err
    assert piped.out == forced.out


def test_default_config_with_two_workers_matches_the_repairer():
    """The default configuration (reference model included) in worker processes gives the
    same records as the Repairer in this process."""
    texts = [spun_text()] + clean_texts(3)
    records = [{"id": i, "text": t} for i, t in enumerate(texts)]
    out = list(repair_records(records, RepairConfig(), jobs=2))
    repairer = Repairer(RepairConfig())
    for rec, got in zip(records, out):
        expected = repairer.repair(rec["text"])
        assert got["repaired_text"] == expected.text
        assert got["edits"] == [e.to_dict() for e in expected.edits]
    assert out[0]["changed"] and not any(o["changed"] for o in out[1:])


# -- per-record timeout ----------------------------------------------------------------


def _hang_on(marker: str, monkeypatch) -> None:
    """Records whose text holds ``marker`` block their worker (like a pathological input would)."""
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("needs the fork start method to inject the hang into the workers")
    real = process_mod.process_item

    def hanging(item, repairer, options):
        payload = item.payload
        if isinstance(payload, dict):
            text = payload.get("text", "")
        elif isinstance(getattr(payload, "text", None), str):  # a block of a long text file
            text = payload.text
        else:
            text = payload.decode("utf-8", "replace")
        if marker in text:
            time.sleep(120)  # the worker is killed long before
        return real(item, repairer, options)

    monkeypatch.setattr(process_mod, "process_item", hanging)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_record_that_hangs_times_out_and_the_run_goes_on(monkeypatch, jobs):
    """The stuck record becomes an error record after the timeout, its worker is replaced, every
    other record (in the same chunk too) is repaired, and the order is the input order."""
    _hang_on("BLOQUÉ", monkeypatch)
    texts = clean_texts(10)
    texts[3] = "BLOQUÉ " + texts[3]
    opts = BatchOptions(jobs=jobs, chunk_records=4, record_timeout=1.0, as_objects=True)
    started = time.monotonic()
    outcomes = list(iter_outcomes(row_items(texts), CONFIG, opts))
    elapsed = time.monotonic() - started
    assert [o.index for o in outcomes] == list(range(10))
    assert [i for i, o in enumerate(outcomes) if o.status == "failed"] == [3]
    assert "timed out after 1 s" in outcomes[3].output["error"] and outcomes[3].output["id"] == 3
    assert outcomes[3].output["text"] == texts[3], "the failed record keeps its fields"
    assert all(o.output["repaired_text"] == o.output["text"] for i, o in enumerate(outcomes) if i != 3)
    assert elapsed < 8, f"took {elapsed:.1f} s: the hung worker was not stopped in time"


def test_record_timeout_in_the_cli_names_the_line_and_fails_the_run(tmp_path, capsys, monkeypatch):
    _hang_on("BLOQUÉ", monkeypatch)
    src = tmp_path / "in.jsonl"
    rows = [{"id": f"r{i}", "text": t} for i, t in enumerate(clean_texts(5))]
    rows[2]["text"] = "BLOQUÉ " + rows[2]["text"]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(["repair", str(src), "-o", str(out), "--record-timeout", "1", "--model", "none", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == [r["id"] for r in rows]
    assert "timed out after 1 s" in got[2]["error"] and all("error" not in g for i, g in enumerate(got) if i != 2)
    assert f"{src}:3: timed out after 1 s" in err and "1 failed" in err


def test_record_timeout_is_checked(tmp_path, capsys):
    with pytest.raises(ValueError, match="record timeout"):
        BatchOptions(record_timeout=0)
    f = tmp_path / "a.txt"
    f.write_text("Et maintenant? Rien.", encoding="utf-8")
    for bad in ("-3", "nan"):
        assert main(["repair", str(f), "--record-timeout", bad, "--model", "none"]) == 1
        assert "--record-timeout must be 0 (no limit) or a number of seconds" in capsys.readouterr().err
    opts = BatchOptions(jobs=1, record_timeout=30, as_objects=True)
    outcomes = list(iter_outcomes(row_items(clean_texts(3)), CONFIG, opts))
    assert [o.status for o in outcomes] == ["ok"] * 3


@pytest.mark.parametrize("seconds", ["1e7", "1e12"])
def test_a_record_timeout_of_months_or_years_is_a_limit_like_any_other(tmp_path, capsys, seconds):
    """A very large limit (to mean 'only if truly stuck') used to end the run before its first
    record with 'internal error: OverflowError: timeout is too large' (the wait for the workers
    cannot sleep that long at once): the pool now waits in steps."""
    src = tmp_path / "in.jsonl"
    texts = clean_texts(3)
    src.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)),
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(["repair", str(src), "-o", str(out), "--record-timeout", seconds, "--model", "none", "--no-progress"])
    assert code == 0, capsys.readouterr().err
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g["repaired_text"] for g in got] == texts


# -- long text files in blocks through the engine --------------------------------------------


def long_text(paragraphs: int = 60) -> str:
    texts = clean_texts(40)
    spun = spun_text()
    return "\n\n".join(spun if i % 10 == 3 else texts[i % 40] for i in range(paragraphs)) + "\n"


def test_a_long_file_streams_through_the_engine_block_by_block(tmp_path, capsys):
    from mtrepair.blocks import block_spans, repair_long

    text = long_text()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "long.txt").write_text(text, encoding="utf-8")
    (folder / "short.txt").write_text(clean_texts(1)[0], encoding="utf-8")
    expected = repair_long(Repairer(CONFIG), text, 3_000).text
    assert len(block_spans(text, 3_000)) > 4
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        code = main(["repair", str(folder), "--output-dir", str(out), "--block-chars", "3000", "--jobs", jobs,
                     "--model", "none", "--no-progress"])
        err = capsys.readouterr().err
        assert code == 0, err
        assert (out / "long.txt").read_text(encoding="utf-8") == expected
        assert (out / "short.txt").read_text(encoding="utf-8") == clean_texts(1)[0]
        assert "2 record(s): 2 ok (1 repaired), 0 failed" in err, "a long document counts once"
    # to standard output, in diff format too
    code = main(["repair", str(folder / "long.txt"), "--jobs", "2", "--block-chars", "3000", "--model", "none",
                 "--no-progress", "--format", "text"])
    assert code == 0 and capsys.readouterr().out == expected


def test_a_block_that_hangs_is_written_unrepaired_and_fails_the_document(tmp_path, capsys, monkeypatch):
    from mtrepair.blocks import block_spans

    _hang_on("BLOQUÉ", monkeypatch)
    text = long_text()
    spans = block_spans(text, 3_000)
    start, end = spans[2]
    text = text[:start] + "BLOQUÉ " + text[start:]
    src = tmp_path / "long.txt"
    src.write_text(text, encoding="utf-8")
    outdir = tmp_path / "out"
    code = main(["repair", str(src), "--output-dir", str(outdir), "--block-chars", "3000", "--record-timeout", "1",
                 "--model", "none", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    line = text.count("\n", 0, start) + 1
    assert f"{src}:{line}: timed out after 1 s" in err and "block 3" in err and "written unrepaired" in err
    assert "1 record(s): 0 ok (0 repaired), 1 failed" in err
    out = (outdir / "long.txt").read_text(encoding="utf-8")
    blocked = text[start:start + 7 + (end - start)]
    assert blocked in out, "the stuck block is kept as it was: nothing lost"
    assert out.count("\n\n") == text.count("\n\n")


def test_a_long_file_that_cannot_be_decoded_is_one_error_and_no_output(tmp_path, capsys):
    src = tmp_path / "long.txt"
    src.write_bytes(long_text().encode("utf-8") + b"\xff\n")
    outdir = tmp_path / "out"
    code = main(["repair", str(src), "--output-dir", str(outdir), "--block-chars", "3000", "--model", "none",
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1 and "invalid UTF-8 at byte offset" in err and "1 failed" in err
    assert not (outdir / "long.txt").exists() and list(outdir.iterdir()) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_fresh_worker_s_first_repair_warm_up_does_not_count_against_the_timeout(monkeypatch, jobs):
    """The first repair in a process loads lazy tables (~0.6 s: wordfreq, entity language test).
    It must not be billed to the first record a (replacement) worker gets: with a timeout below
    that cost every record timed out, each replacement paying the loading again."""
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("needs the fork start method to inject the slow first repair into the workers")
    real = Repairer.repair
    state = {"warm": False}

    def slow_first(self, text, *a, **k):
        if not state["warm"]:
            time.sleep(1.5)  # a process's first repair: lazy loading
            state["warm"] = True
        return real(self, text, *a, **k)

    monkeypatch.setattr(Repairer, "repair", slow_first)
    opts = BatchOptions(jobs=jobs, chunk_records=2, record_timeout=1.0, as_objects=True)
    outcomes = list(iter_outcomes(row_items(clean_texts(4)), CONFIG, opts))
    assert [o.status for o in outcomes] == ["ok"] * 4, [o.error for o in outcomes]


def test_a_jsonl_file_with_a_utf8_bom_repairs_its_first_record(tmp_path, capsys):
    """Windows tools write a BOM: the first record was an error record "Unexpected UTF-8 BOM"."""
    src = tmp_path / "bom.jsonl"
    src.write_bytes(b'\xef\xbb\xbf{"id": 1, "text": "Et maintenant? Rien."}\r\n{"id": 2, "text": "Fin."}\r\n')
    out = tmp_path / "out.jsonl"
    assert main(["repair", str(src), "-o", str(out), "--model", "none", "--no-progress"]) == 0, capsys.readouterr().err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [1, 2] and all("error" not in r for r in records)


def test_a_document_that_times_out_is_named_in_the_error_message(monkeypatch, tmp_path, capsys):
    """The message printed for a failed document (timeout, worker death, unexpected error) named
    no file: "mtrepair: error: timed out after 1 s ..." left the user guessing which one."""
    _hang_on("BLOQUÉ", monkeypatch)
    (tmp_path / "a.txt").write_text("Et maintenant? Rien.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("BLOQUÉ. Et maintenant? Rien.\n", encoding="utf-8")
    code = main(["repair", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--format", "jsonl", "-o",
                 str(tmp_path / "out.jsonl"), "--record-timeout", "1", "--model", "none", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"mtrepair: error: {tmp_path / 'b.txt'}: timed out after 1 s" in err, err
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [("error" in r) for r in records] == [False, True]


def test_a_batch_run_that_read_no_input_leaves_an_existing_output_file_alone(tmp_path, capsys):
    """A mistyped input name (with --jobs 2: the batch engine) replaced the previous -o file by an
    empty one."""
    out = tmp_path / "out.txt"
    out.write_text("the previous run's output\n", encoding="utf-8")
    code = main(["repair", str(tmp_path / "missing.txt"), "--jobs", "2", "-o", str(out), "--model", "none",
                 "--no-progress"])
    assert code == 1 and "missing.txt: no such file" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "the previous run's output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_non_finite_numbers_of_a_record_are_written_as_null(tmp_path):
    """JSON has no NaN/Infinity (strict readers such as jq reject them): a Parquet float column's
    NaN, or a JSONL input's NaN literal, comes out as null; the record is kept and repaired."""
    from mtrepair.batch.process import _dumps

    line = _dumps({"id": 1, "score": float("nan"), "more": [float("inf"), 2.5], "text": "Il pleut."})
    assert json.loads(line, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}")) == \
        {"id": 1, "score": None, "more": [None, 2.5], "text": "Il pleut."}
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text('{"id": "a", "poids": NaN, "text": "Le maire a gardé à l\'esprit que les travaux commenceraient."}\n',
                   encoding="utf-8")
    assert main(["repair", str(src), "-o", str(out), "--model", "none", "--no-progress", "-q"]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["poids"] is None and "gardé à l'esprit" not in record["repaired_text"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_repair_records_turns_values_that_are_not_records_into_error_records(jobs):
    """A value that is not a mapping of fields (a string, None, a list) among the records used to
    stop the whole iteration with a bare ValueError from dict(); each now gives its error record
    (repr of the value under ``raw``), in place, and the records after it are repaired."""
    records = [{"id": 1, "text": "Il a gardé à l’esprit que la société va bien."}, "pas un dict", None, ["a"],
               {"id": 5, "text": "Le conseil municipal s’est réuni jeudi soir."}]
    out = list(repair_records(iter(records), RepairConfig(model="none"), jobs=jobs))
    assert len(out) == 5
    assert out[0]["id"] == 1 and out[0]["changed"] is True
    assert out[1] == {"error": "record 2 is a str, not a mapping of fields", "input": "<records>", "line": 2,
                      "raw": "'pas un dict'"}
    assert out[2]["raw"] == "None" and out[3]["raw"] == "['a']" and "list" in out[3]["error"]
    assert out[4]["id"] == 5 and out[4]["repaired_text"] == records[4]["text"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_record_with_a_value_that_cannot_go_to_a_worker_is_an_error_record_in_place(jobs):
    """A record holding a value that cannot be pickled (a lock, a callback, an open file: rows of an
    ORM) used to end a run with worker processes at once, with the TypeError of the pipe, losing the
    records of its chunk and all later ones. With one job it is repaired (nothing is sent); with
    workers it becomes an error record that keeps its fields, and its chunk's other records are
    repaired."""
    import threading

    texts = clean_texts(6)
    records = [{"id": i, "text": t} for i, t in enumerate(texts)]
    lock = threading.Lock()
    records[2]["verrou"] = lock
    opts = BatchOptions(jobs=jobs, chunk_records=4)
    out = list(repair_records(iter(records), CONFIG, options=opts))
    assert [r["id"] for r in out] == list(range(6))
    for i, r in enumerate(out):
        if jobs == 2 and i == 2:
            assert "cannot be sent to a worker process" in r["error"] and "pickle" in r["error"]
            assert r["text"] == texts[2] and r["verrou"] is lock, "the failed record keeps its fields"
        else:
            assert "error" not in r and r["repaired_text"] == texts[i]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_mapping_whose_fields_cannot_be_read_is_an_error_record_in_place(jobs):
    """A mapping that raises while its fields are read (an ORM row whose lazy field needs a closed
    session: KeyError, RuntimeError...) stopped the whole iteration, losing every later record;
    only TypeError and ValueError were caught. It now gives its error record in place."""
    from collections.abc import Mapping

    class LazyRow(Mapping):
        def __init__(self, fields):
            self.fields = fields

        def __iter__(self):
            return iter([*self.fields, "auteur"])

        def __len__(self):
            return len(self.fields) + 1

        def __getitem__(self, key):
            if key == "auteur":
                raise RuntimeError("session fermée: le champ 'auteur' ne peut plus être chargé")
            return self.fields[key]

    texts = clean_texts(3)
    records = [{"id": 0, "text": texts[0]}, LazyRow({"id": 1, "text": texts[1]}), {"id": 2, "text": texts[2]}]
    out = list(repair_records(iter(records), CONFIG, jobs=jobs))
    assert [o.get("id") for o in out] == [0, None, 2]
    assert out[1]["error"].startswith("record 2: its fields cannot be read (RuntimeError: session fermée")
    assert out[1]["line"] == 2 and "LazyRow" in out[1]["raw"]
    assert out[0]["repaired_text"] == texts[0] and out[2]["repaired_text"] == texts[2]


def test_workers_that_cannot_build_their_repairer_are_a_clear_error_not_a_bug_report(tmp_path, capsys, monkeypatch):
    """The workers fail to start where the parent could build its Repairer (out of memory in the
    children, a module the spawned interpreter cannot import): the CLI said 'internal error: ...
    (a bug in mtrepair: please report it ...)', exit 70. It is the machine's problem: a clear error
    naming the cause, exit 1."""
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("injects the failure into forked workers")
    parent = os.getpid()
    real = process_mod.worker_repairer

    def failing(config):
        if os.getpid() != parent:
            raise MemoryError("cannot allocate 300 MB for the glossary automaton")
        return real(config)

    monkeypatch.setattr(process_mod, "worker_repairer", failing)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": "Et maintenant? Rien."}) + "\n", encoding="utf-8")
    code = main(["repair", str(src), "--jobs", "2", "--model", "none", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "mtrepair: error: worker processes failed to start: MemoryError: cannot allocate 300 MB" in err
    assert "internal error" not in err and "a bug" not in err


class _ScraperError(Exception):
    """An exception kept in a record (a scraper's failure): it pickles, but cannot be unpickled
    (its __init__ needs two arguments, pickle gives it one)."""

    def __init__(self, url: str, status: int):
        super().__init__(url)
        self.status = status


def test_a_record_whose_value_cannot_be_unpickled_in_the_worker_is_an_error_record(capfd):
    """The worker could not read such a chunk: it died with a traceback on standard error, the
    chunk was retried record by record (a second traceback) and the record got 'the worker process
    died ... (crash or out of memory)', which sent users looking for a memory problem. The worker
    now answers that it could not read the record, and stays up."""
    texts = clean_texts(5)
    records = [{"id": i, "text": t} for i, t in enumerate(texts)]
    records[3]["echec"] = _ScraperError("https://exemple.fr/a", 503)
    out = list(repair_records(iter(records), CONFIG, options=BatchOptions(jobs=2, chunk_records=2)))
    assert [r["id"] for r in out] == list(range(5))
    assert "cannot be sent to a worker process" in out[3]["error"] and "status" in out[3]["error"]
    assert out[3]["echec"] is records[3]["echec"] and out[3]["text"] == texts[3]
    assert all(out[i]["repaired_text"] == texts[i] for i in (0, 1, 2, 4))
    err = capfd.readouterr().err
    assert "Traceback" not in err and "died" not in out[3]["error"]


@pytest.mark.parametrize("options", [BatchOptions(), BatchOptions(jobs=2), BatchOptions(record_timeout=30),
                                     BatchOptions(jobs=2, max_latency=None)],
                         ids=["in-process", "jobs-2", "timeout", "jobs-2-calling-thread"])
def test_an_iterable_that_raises_gets_its_records_read_before_repaired_first(options):
    """The caller's iterable failing half-way (a cursor that drops, a generator that raises) used
    to lose the records read before it, still in their chunk or in a worker: they now all come
    out, in order, and then its exception is raised."""
    texts = clean_texts(5)

    def records():
        for i, text in enumerate(texts):
            yield {"id": i, "text": text}
        raise ConnectionError("the database cursor dropped")

    got = []
    with pytest.raises(ConnectionError, match="cursor dropped"):
        for out in repair_records(records(), CONFIG, options=options):
            got.append(out)
    assert [o["id"] for o in got] == [0, 1, 2, 3, 4]
    assert [o["repaired_text"] for o in got] == texts


_HANGING_CLI = """
import os, sys, time
from pathlib import Path
from mtrepair.batch import process as process_mod

real, marker = process_mod.process_item, Path(sys.argv[1])

def hanging(item, repairer, options):
    if isinstance(item.payload, bytes) and b"BLOQU" in item.payload:
        marker.write_text(str(os.getpid()))
        time.sleep(300)
    return real(item, repairer, options)

process_mod.process_item = hanging
from mtrepair.cli.main import main
sys.exit(main(sys.argv[2:]))
"""






@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="needs the fork start method to inject the hang into the workers")
def test_no_worker_outlives_a_killed_batch_run(tmp_path):
    """SIGKILL on `mtrepair repair` (no clean-up runs) while a worker is stuck in a record with no
    timeout: the stuck worker, which never reads its pipe again, and the idle one go within
    seconds instead of running on as orphans."""
    import subprocess
    import sys

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": ("BLOQUÉ " if i == 3 else "") + t}, ensure_ascii=False)
                           + "\n" for i, t in enumerate(clean_texts(40))), encoding="utf-8")
    marker = tmp_path / "stuck"
    proc = subprocess.Popen([sys.executable, "-c", _HANGING_CLI, str(marker), "repair", str(src), "-o",
                             str(tmp_path / "out.jsonl"), "--jobs", "2", "--record-timeout", "0",
                             "--model", "none", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert marker.exists(), "the record never reached a worker"
        time.sleep(0.2)  # the marker is written before the worker sleeps
        workers = children(proc.pid)
        assert int(marker.read_text()) in workers and len(workers) == 2, workers
        orphans = orphans_after_sigkill(proc, workers)
        assert not orphans, f"orphan workers: {orphans}"
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="looks at the workers through /proc")
def test_workers_outlive_the_thread_that_started_them():
    """The parent-death guard killed every worker as soon as the *thread* that started them ended
    (PR_SET_PDEATHSIG follows the forking thread, not the process): repair_records started in one
    thread and continued in another (a web framework's thread pool running a streaming response)
    lost its workers under a record, and a record alone in its chunk got 'the worker process
    died ... (crash or out of memory)'. The kernel guard is now set only for workers started from
    the main thread; others rely on the parent poll."""
    import multiprocessing
    import threading

    texts = clean_texts(4)
    started: dict = {}

    def begin():
        outputs = repair_records(({"id": i, "text": t} for i, t in enumerate(texts)), CONFIG, jobs=2)
        started["first"], started["outputs"] = next(outputs), outputs
        started["workers"] = [p.pid for p in multiprocessing.active_children()]

    thread = threading.Thread(target=begin)
    thread.start()
    thread.join()
    time.sleep(0.5)  # the kernel's signal is immediate; the poll's half second is not what is tested
    assert len(started["workers"]) == 2 and all(map(alive, started["workers"])), "workers died with their thread"
    got = [started["first"], *started["outputs"]]
    assert [o["id"] for o in got] == [0, 1, 2, 3]
    assert [o["repaired_text"] for o in got] == texts
