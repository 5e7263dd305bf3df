"""``--resume`` on records without id: they are recognised by their fields, never written twice.

Scraped dumps often have no id field. A run is interrupted (a valid prefix of the output, a
half-written last line); resuming must write each remaining input record once and none of the
done ones again, identical records included, for JSONL and CSV inputs, with ``-o`` and
``--output-dir``, and after ``--retry-failed``.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from mtrepair.batch.jsonio import content_key, input_content_key, input_fields_of_output
from mtrepair.batch.options import BatchOptions, OutputKeys
from mtrepair.cli.main import EXIT_FAILED, EXIT_OK, main

FAST = ["--model", "none", "--no-progress", "-q"]

TEXTS = [
    "Il a gardé à l’esprit que la société allait embaucher deux cents personnes.",
    "Le conseil municipal s’est réuni jeudi soir pour voter le budget.",
    "Le conseil municipal s’est réuni jeudi soir pour voter le budget.",  # the same record twice
    "La ville rénove ses écoles primaires avant la rentrée.",
    "Le quartier technologique de Lyon attire de nouvelles jeunes pousses.",
    "Les travaux de la ligne de tramway commenceront en mars.",
]


def records() -> list[dict]:
    return [{"text": t, "source": "fil-actu", "published": "2026-11-27", "rank": len(t) % 3} for t in TEXTS]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def interrupt(output: Path, keep: int) -> None:
    """What a run killed after ``keep`` records leaves: those lines and a half-written one."""
    lines = output.read_text(encoding="utf-8").splitlines(keepends=True)
    output.write_text("".join(lines[:keep]) + lines[keep][:25], encoding="utf-8")


def input_fields(output: Path, added=("repaired_text", "edits", "findings", "scores", "changed")) -> Counter:
    out = Counter()
    for line in output.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        out[json.dumps({k: v for k, v in obj.items() if k not in added}, sort_keys=True, ensure_ascii=False)] += 1
    return out


def expected(rows: list[dict]) -> Counter:
    return Counter(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


@pytest.mark.parametrize("keep", [1, 2, 3, 5])
def test_an_interrupted_jsonl_run_resumes_without_writing_a_record_twice(tmp_path, keep):
    src, out = tmp_path / "depeches.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, records())
    assert main(["repair", str(src), "-o", str(out), *FAST]) == EXIT_OK
    complete = out.read_text(encoding="utf-8").splitlines(keepends=True)
    interrupt(out, keep)
    assert main(["repair", str(src), "-o", str(out), "--resume", *FAST]) == EXIT_OK
    assert input_fields(out) == expected(records())
    # The kept lines are untouched; the others are the same records, repaired the same way.
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[:keep] == complete[:keep]
    assert sorted(lines) == sorted(complete)
    # A second resume finds everything done.
    assert main(["repair", str(src), "-o", str(out), "--resume", *FAST]) == EXIT_OK
    assert out.read_text(encoding="utf-8").splitlines(keepends=True) == lines


def test_of_two_identical_records_only_the_one_done_is_skipped(tmp_path):
    src, out = tmp_path / "depeches.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, records())
    main(["repair", str(src), "-o", str(out), *FAST])
    interrupt(out, 2)  # the first of the two identical records is done, the second is not
    main(["repair", str(src), "-o", str(out), "--resume", *FAST])
    same = json.dumps(records()[1], sort_keys=True, ensure_ascii=False)
    assert input_fields(out)[same] == 2


def test_csv_rows_without_id_and_with_extra_cells_resume_under_output_dir(tmp_path):
    src, outdir = tmp_path / "in" / "depeches.csv", tmp_path / "out"
    src.parent.mkdir()
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "source"])
        for t in TEXTS:
            w.writerow([t, "fil-actu", "cellule en trop"])  # more cells than header names
    assert main(["repair", str(src.parent), "--output-dir", str(outdir), *FAST]) == EXIT_OK
    out = outdir / "depeches.jsonl"
    interrupt(out, 3)
    assert main(["repair", str(src.parent), "--output-dir", str(outdir), "--resume", *FAST]) == EXIT_OK
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(TEXTS)
    assert Counter(r["text"] for r in rows) == Counter(TEXTS)
    assert all(r["_extra_cells"] == ["cellule en trop"] for r in rows)


def test_a_failed_record_without_id_retried_is_not_redone_by_the_next_resume(tmp_path):
    src, out = tmp_path / "depeches.jsonl", tmp_path / "out.jsonl"
    rows = records()
    broken = dict(rows[3])
    broken["text"] = None  # fails: no text
    write_jsonl(src, rows[:3] + [broken] + rows[4:])
    assert main(["repair", str(src), "-o", str(out), *FAST]) == EXIT_FAILED
    write_jsonl(src, rows)  # the cause is fixed
    assert main(["repair", str(src), "-o", str(out), "--resume", "--retry-failed", *FAST]) == EXIT_OK
    assert input_fields(out, added=("repaired_text", "edits", "findings", "scores", "changed")) == expected(rows)
    before = out.read_bytes()
    assert main(["repair", str(src), "-o", str(out), "--resume", *FAST]) == EXIT_OK
    assert out.read_bytes() == before


def test_records_whose_text_is_replaced_in_place_are_recognised_through_their_edits(tmp_path):
    """With --text-out-field text the output no longer holds the input text: the edits give it
    back (they were redone, written twice, before)."""
    src, out = tmp_path / "depeches.jsonl", tmp_path / "out.jsonl"
    write_jsonl(src, records())
    main(["repair", str(src), "-o", str(out), "--text-out-field", "text", *FAST])
    full = out.read_bytes()
    interrupt(out, 2)
    main(["repair", str(src), "-o", str(out), "--text-out-field", "text", "--resume", *FAST])
    assert out.read_bytes() == full


def test_the_content_key_of_an_input_record_is_that_of_its_output_record():
    options = BatchOptions()
    record = {"text": TEXTS[0], "published": "2026-11-27", "score": float("nan"), "tags": ("a", "b")}
    written = {**json.loads(json.dumps({**record, "score": None, "tags": ["a", "b"]})),
               "repaired_text": "Il a souligné que…", "edits": [], "findings": [], "scores": {}, "changed": True}
    fields = input_fields_of_output(dict(reversed(list(written.items()))), options)
    assert input_content_key(record, options) == content_key(fields)
    assert input_content_key({**record, "text": TEXTS[1]}, options) != content_key(fields)
    # The text replaced in place: the edits give the input text back; without them it cannot be told.
    in_place = BatchOptions(keys=OutputKeys(text="text"))
    edit = {"start": 5, "end": 25, "original": TEXTS[0][5:25], "replacement": "souligné que"}
    replaced = {**written, "text": TEXTS[0][:5] + "souligné que" + TEXTS[0][25:], "edits": [edit]}
    del replaced["repaired_text"]
    assert input_content_key(record, in_place) == content_key(input_fields_of_output(replaced, in_place))
    no_edits = BatchOptions(keys=OutputKeys(text="text", edits=""))
    assert input_fields_of_output({k: v for k, v in replaced.items() if k != "edits"}, no_edits) is None
