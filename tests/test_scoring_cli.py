"""``mtrepair score``: inputs (files, folders, JSONL), alignment errors, JSON schema, text tables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from mtrepair.cli.main import main

REF = (
    "La start-up parisienne a levé 120 millions de dollars auprès d'un fonds américain.\n"
    "Sa directrice générale a souligné que cet argent servira à doubler les effectifs.\n"
    "Alors qu'elle recrute des ingénieurs à Paris, ses concurrents licencient.\n"
)
HYP = (
    "La start-up parisienne a levé 120 millions de dollars auprès d'un fonds américain.\n"
    "Sa directrice générale a souligné que cet argent servira à doubler les effectifs.\n"
    "Pendant elle recrute des ingénieurs à Paris, ses concurrents licencient.\n"
)
ORIG = (
    "La jeune pousse parisienne a levé 120 millions de dollars auprès d'un fonds américain.\n"
    "Sa directrice générale a gardé à l'esprit que cet argent servira à doubler les effectifs.\n"
    "Pendant elle recrute des ingénieurs à Paris, ses concurrents licencient.\n"
)

METRIC_NAMES = {"BLEU", "chrF2", "chrF2++", "TER"}


def run(args, capsys):
    code = main([*args, "--model", "none"])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_json_schema_and_values_for_two_files(tmp_path, capsys):
    hyp, ref, orig = write(tmp_path, "hyp.txt", HYP), write(tmp_path, "ref.txt", REF), write(tmp_path, "orig.txt", ORIG)
    code, out, err = run(["score", hyp, "--reference", ref, "--original", orig, "--format", "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert set(data["metrics"]) == METRIC_NAMES
    hyps, refs = HYP.splitlines(), REF.splitlines()
    for metric in (BLEU(), CHRF(), CHRF(word_order=2), TER()):
        exp = metric.corpus_score(hyps, [refs])
        entry = data["metrics"][exp.name]
        assert isinstance(entry["score"], float) and entry["score"] == exp.score
        assert entry["signature"] == str(metric.get_signature())
    assert data["segments"] == 3 and data["unit"] == "line"
    assert [s["line"] for s in data["per_segment"]] == [1, 2, 3]
    for seg in data["per_segment"]:
        assert METRIC_NAMES <= set(seg) and seg["input"] == hyp
        assert set(seg["original"]) == METRIC_NAMES
    assert set(data["original_metrics"]) == METRIC_NAMES and set(data["delta"]) == METRIC_NAMES
    assert data["bootstrap"] is None and "not run: 3 segment(s)" in data["bootstrap_note"]
    assert data["signature"].startswith("mtrepair:") and "|verdict:" in data["signature"]
    (doc,) = data["documents"]
    q = doc["quality"]
    assert doc["input"] == hyp
    assert {"index", "verdict", "components", "purity", "artifacts", "fluency", "mechanics", "before",
            "index_delta", "signature", "notes", "words", "sentences"} <= set(q)
    assert set(q["components"]) == {"purity", "artifacts", "fluency", "mechanics"}
    assert q["verdict"] in ("keep", "review", "drop")
    assert q["before"]["index"] <= q["index"]


def test_text_format_is_an_aligned_table_with_signatures(tmp_path, capsys):
    hyp, ref = write(tmp_path, "hyp.txt", HYP), write(tmp_path, "ref.txt", REF)
    code, out, _ = run(["score", hyp, "-r", ref], capsys)
    assert code == 0
    lines = out.splitlines()
    head = next(i for i, l in enumerate(lines) if l.startswith("metric"))
    rows = lines[head + 1 : head + 5]
    assert [r.split()[0] for r in rows] == ["BLEU", "chrF2", "chrF2++", "TER"]
    # Aligned: every row's signature starts in the same column as the header's.
    col = lines[head].index("signature")
    assert all(r[col:].startswith("nrefs:1|") for r in rows)
    assert any(l.startswith("Per segment") for l in lines)
    assert lines[-1].startswith("signature: mtrepair:")


def test_folders_of_same_named_files(tmp_path, capsys):
    for name, text in (("a.txt", HYP), ("sub/b.txt", HYP.replace("Pendant elle", "Alors qu'elle"))):
        write(tmp_path, f"hyp/{name}", text)
        write(tmp_path, f"ref/{name}", REF)
    code, out, err = run(["score", str(tmp_path / "hyp"), "--reference", str(tmp_path / "ref"), "--format", "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert [d["input"] for d in data["documents"]] == ["a.txt", "sub/b.txt"]
    assert data["segments"] == 6
    hyps = HYP.splitlines() + HYP.replace("Pendant elle", "Alors qu'elle").splitlines()
    assert data["metrics"]["chrF2"]["score"] == CHRF().corpus_score(hyps, [REF.splitlines() * 2]).score
    # The second document is the reference itself: its segments score 100.
    assert all(s["chrF2"] == 100.0 for s in data["per_segment"] if s["input"] == "sub/b.txt")


def test_folder_with_a_missing_counterpart_is_a_clear_error(tmp_path, capsys):
    write(tmp_path, "hyp/a.txt", HYP)
    write(tmp_path, "hyp/b.txt", HYP)
    write(tmp_path, "ref/a.txt", REF)
    code, _, err = run(["score", str(tmp_path / "hyp"), "--reference", str(tmp_path / "ref")], capsys)
    assert code == 1
    assert "no reference for b.txt" in err and "Traceback" not in err


def test_folder_against_a_file_is_an_error(tmp_path, capsys):
    write(tmp_path, "hyp/a.txt", HYP)
    ref = write(tmp_path, "ref.txt", REF)
    code, _, err = run(["score", str(tmp_path / "hyp"), "--reference", ref], capsys)
    assert code == 1 and "must be a folder too" in err


def test_jsonl_with_fields(tmp_path, capsys):
    recs = [
        {"id": "art-1", "text": HYP, "reference": REF, "original": ORIG},
        {"id": "art-2", "text": REF, "reference": REF, "original": HYP},
    ]
    path = write(tmp_path, "batch.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs))
    code, out, err = run(["score", path, "--format", "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert [d["input"] for d in data["documents"]] == ["art-1", "art-2"]
    assert data["segments"] == 6 and set(data["delta"]) == METRIC_NAMES
    # Other field names.
    renamed = [{"hyp": r["text"], "ref": r["reference"]} for r in recs]
    path2 = write(tmp_path, "renamed.jsonl", "".join(json.dumps(r) + "\n" for r in renamed))
    code, out, err = run(["score", path2, "--hyp-field", "hyp", "--ref-field", "ref", "--format", "json",
                          "--no-quality"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["metrics"]["BLEU"]["score"] == BLEU().corpus_score(
        HYP.splitlines() + REF.splitlines(), [REF.splitlines() * 2]).score
    assert data["documents"][0]["quality"] is None


@pytest.mark.parametrize(
    "records, message",
    [
        ([{"text": HYP}, {"texte": HYP}], ":2: no field 'text'"),
        ([{"text": HYP, "reference": REF}, {"text": HYP}], ":2: field 'reference' (reference) is missing here"),
        ([{"text": 3}], ":1: field 'text' (hypothesis) must be a string"),
    ],
)
def test_bad_jsonl_records_name_the_line(tmp_path, capsys, records, message):
    path = write(tmp_path, "bad.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    code, _, err = run(["score", path], capsys)
    assert code == 1 and message in err and "Traceback" not in err


def test_invalid_json_line(tmp_path, capsys):
    path = write(tmp_path, "bad.jsonl", json.dumps({"text": HYP}) + "\n{not json\n")
    code, _, err = run(["score", path], capsys)
    assert code == 1 and "bad.jsonl:2: invalid JSON" in err


def test_line_count_mismatch_is_a_clear_error(tmp_path, capsys):
    hyp = write(tmp_path, "hyp.txt", HYP + "Une ligne de plus.\n")
    ref = write(tmp_path, "ref.txt", REF)
    code, out, err = run(["score", hyp, "--reference", ref], capsys)
    assert code == 1 and out == ""
    assert "4 non-blank line(s), the reference 3" in err and "--segment document" in err
    assert "Traceback" not in err
    # Document-level segments need no line alignment.
    code, out, err = run(["score", hyp, "--reference", ref, "--segment", "document", "--format", "json"], capsys)
    assert code == 0, err
    assert json.loads(out)["segments"] == 1


def test_without_reference_the_quality_report_with_before(tmp_path, capsys):
    hyp, orig = write(tmp_path, "hyp.txt", HYP), write(tmp_path, "orig.txt", ORIG)
    code, out, err = run(["score", hyp, "--original", orig, "--format", "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["metrics"] == {} and "no reference" in data["note"]
    q = data["documents"][0]["quality"]
    assert "before" in q and q["index_delta"] == pytest.approx(q["index"] - q["before"]["index"], abs=0.01)


def test_output_never_overwrites_an_input(tmp_path, capsys):
    hyp, ref = write(tmp_path, "hyp.txt", HYP), write(tmp_path, "ref.txt", REF)
    code, _, err = run(["score", hyp, "-r", ref, "-o", ref], capsys)
    assert code == 1 and "would overwrite an input" in err
    assert Path(ref).read_text(encoding="utf-8") == REF


def test_missing_input_file(tmp_path, capsys):
    code, _, err = run(["score", str(tmp_path / "nope.txt")], capsys)
    assert code == 1 and "no such file" in err


def test_console_script_runs_score(tmp_path):
    hyp, ref = write(tmp_path, "hyp.txt", HYP), write(tmp_path, "ref.txt", REF)
    proc = subprocess.run([sys.executable, "-m", "mtrepair", "score", hyp, "-r", ref, "--model", "none",
                           "--no-quality", "--format", "json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert set(json.loads(proc.stdout)["metrics"]) == METRIC_NAMES
