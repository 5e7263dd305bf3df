"""repair_column on a local Spark session (one session for the whole module, kept small)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java (no 'java' on PATH and no JAVA_HOME): Spark tests skipped",
                allow_module_level=True)
pytest.importorskip("pyspark", reason="the Spark integration needs the 'spark' extra (pyspark)")
pytest.importorskip("pandas", reason="the Spark integration needs the 'spark' extra (pandas)")
pytest.importorskip("pyarrow", reason="the Spark integration needs the 'spark' extra (pyarrow)")

from mtrepair import RepairConfig, Repairer  # noqa: E402
from mtrepair.integrations import spark as spark_mod  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONFIG = {"model": "none"}


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[1]")
        .appName("mtrepair-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        # A short-lived test JVM: quick start (C1 compiler only), small GC.
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def rows():
    spun = [(ROOT / "examples" / f"spun-article-{i}.txt").read_text(encoding="utf-8") for i in (1, 2, 3)]
    with (ROOT / "tests/data/clean/paragraphs.jsonl").open(encoding="utf-8") as fh:
        clean = [json.loads(line)["text"] for line, _ in zip(fh, range(5))]
    data = [(f"s{i}", t, "spun") for i, t in enumerate(spun)] + [(f"c{i}", t, "clean") for i, t in enumerate(clean)]
    return data + [("null", None, "none")]


def test_repair_column_matches_the_repairer_and_keeps_every_row(spark):
    data = rows()
    df = spark.createDataFrame(data, "id string, text string, kind string").repartition(2)
    out = spark_mod.repair_column(df, "text", config=CONFIG)
    assert out.columns == ["id", "text", "kind", "text_repaired", "mtrepair_edits", "mtrepair_changed",
                           "mtrepair_error"]
    got = {r["id"]: r for r in out.collect()}
    assert set(got) == {d[0] for d in data}, "no row lost"
    repairer = Repairer(RepairConfig(**CONFIG))
    for ident, text, kind in data:
        r = got[ident]
        assert r["kind"] == kind and r["text"] == text and r["mtrepair_error"] is None
        if text is None:
            assert r["text_repaired"] is None and r["mtrepair_changed"] is False
            continue
        expected = repairer.repair(text)
        assert r["text_repaired"] == expected.text
        assert json.loads(r["mtrepair_edits"]) == [e.to_dict() for e in expected.edits]
        if kind == "clean":
            assert r["text_repaired"] == text and not r["mtrepair_changed"]
    assert any(got[f"s{i}"]["mtrepair_changed"] for i in range(3))

    # One Repairer per Python worker process, however many batches and rows it handled.
    import pandas as pd

    def probe(batches):
        for _ in batches:
            yield pd.DataFrame({"pid": [os.getpid()], "built": [spark_mod.BUILT]})

    report = out.mapInPandas(probe, "pid long, built long").collect()
    assert report and all(r["built"] <= 1 for r in report), report


def test_in_place_replacement_and_bad_column(spark):
    df = spark.createDataFrame([("a", rows()[0][1])], "id string, text string")
    out = spark_mod.repair_column(df, "text", config=CONFIG, output_column="text",
                                  edits_column=None, changed_column=None, error_column=None)
    assert out.columns == ["id", "text"]
    (row,) = out.collect()
    assert row["text"] == Repairer(RepairConfig(**CONFIG)).repair(rows()[0][1]).text
    # The pandas UDF form gives the same text.
    fixed = df.withColumn("fixed", spark_mod.repair_udf(CONFIG)("text")).collect()[0]["fixed"]
    assert fixed == row["text"]
    with pytest.raises(ValueError, match="no column"):
        spark_mod.repair_column(df, "body")
    with pytest.raises(ValueError, match="not a string"):
        spark_mod.repair_column(spark.createDataFrame([(1,)], "n int"), "n")
