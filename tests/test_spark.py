"""repair_column on a local Spark session (one session for the whole module, kept small)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
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


#: No test's Spark jobs may run longer than this: the watchdog cancels them (the test then fails).
JOB_LIMIT_S = 240


@pytest.fixture(autouse=True)
def bounded(request):
    """Cancel every Spark job still running after JOB_LIMIT_S (collect() then raises): a stuck
    executor fails the test instead of hanging the suite. Subprocesses have their own timeouts."""
    if "spark" not in request.fixturenames:
        yield
        return
    session = request.getfixturevalue("spark")
    timer = threading.Timer(JOB_LIMIT_S, session.sparkContext.cancelAllJobs)
    timer.daemon = True
    timer.start()
    yield
    timer.cancel()


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
    assert out.columns == ["id", "text", "kind", "text_repaired", "mtrepair_edits", "mtrepair_scores",
                           "mtrepair_changed", "mtrepair_error"]
    assert [f.dataType.simpleString() for f in out.schema.fields[3:]] == ["string"] * 3 + ["boolean", "string"]
    got = {r["id"]: r for r in out.collect()}
    assert set(got) == {d[0] for d in data}, "no row lost"
    repairer = Repairer(RepairConfig(**CONFIG))
    for ident, text, kind in data:
        r = got[ident]
        assert r["kind"] == kind and r["text"] == text and r["mtrepair_error"] is None
        if text is None:
            assert r["text_repaired"] is None and r["mtrepair_changed"] is False and r["mtrepair_scores"] is None
            continue
        expected = repairer.repair(text)
        assert r["text_repaired"] == expected.text
        assert json.loads(r["mtrepair_edits"]) == [e.to_dict() for e in expected.edits]
        assert json.loads(r["mtrepair_scores"]) == json.loads(json.dumps(dict(expected.scores)))
        if kind == "clean":
            assert r["text_repaired"] == text and not r["mtrepair_changed"]
    assert any(got[f"s{i}"]["mtrepair_changed"] for i in range(3))


def test_one_repairer_per_worker_process_across_batches_tasks_and_empty_partitions(spark):
    """Counts the Repairers each Python worker really constructs, while it runs the very function
    repair_column ships to the executors (repair_batches) over 8 partitions (2 of them empty) and
    one-row Arrow batches: a Repairer built per batch or per row would count more than one."""
    cfg = RepairConfig(**CONFIG, min_confidence=0.71)  # a config no other test built a Repairer for
    data = rows()[:6]
    df = spark.createDataFrame([(i, t) for i, t, _ in data], "id string, text string").repartition(8)
    sizes = df.rdd.glom().map(len).collect()
    assert len(sizes) == 8 and 0 in sizes

    def probe(batches):
        import mtrepair.repairer as rep

        if not hasattr(rep.Repairer, "_built_here"):
            init = rep.Repairer.__init__

            def counting(self, *args, **kwargs):
                rep.Repairer._built_here += 1
                init(self, *args, **kwargs)

            rep.Repairer._built_here = 0
            rep.Repairer.__init__ = counting
        for pdf in spark_mod.repair_batches(batches, "text", cfg, [("fixed", "repaired")], ["id", "fixed"]):
            yield pdf.assign(pid=os.getpid(), built=rep.Repairer._built_here)

    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "1")
    try:
        got = df.mapInPandas(probe, "id string, fixed string, pid long, built long").collect()
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    assert sorted(r["id"] for r in got) == sorted(d[0] for d in data), "every row, none from empty partitions"
    repairer = Repairer(cfg)
    assert all(r["fixed"] == repairer.repair(dict((i, t) for i, t, _ in data)[r["id"]]).text for r in got)
    pids = {r["pid"] for r in got}
    assert len(got) > len(pids), "several batches per process, or the test proves nothing"
    assert all(r["built"] == 1 for r in got), [(r["pid"], r["built"]) for r in got]
    # repair_column itself over the same empty partitions: every row, same text.
    out = {r["id"]: r["text_repaired"] for r in spark_mod.repair_column(df, "text", config=cfg).collect()}
    assert out == {r["id"]: r["fixed"] for r in got}


def test_in_place_replacement_and_bad_column(spark):
    text = rows()[0][1]
    df = spark.createDataFrame([(text, "a", "[]")], "text string, id string, mtrepair_edits string")
    # The repair in place keeps the column where it was; a column it would overwrite is refused.
    with pytest.raises(ValueError, match="already has column.*'mtrepair_edits'"):
        spark_mod.repair_column(df, "text", config=CONFIG)
    out = spark_mod.repair_column(df, "text", config=CONFIG, output_column="text", edits_column="edits",
                                  scores_column=None, changed_column=None, error_column=None)
    assert out.columns == ["text", "id", "mtrepair_edits", "edits"]
    expected = Repairer(RepairConfig(**CONFIG)).repair(text).text
    # spark.sql.execution.arrow.pyspark.enabled only changes toPandas(): same rows either way.
    for arrow in ("false", "true"):
        spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", arrow)
        (row,) = out.toPandas().to_dict("records")
        assert row["text"] == expected and row["mtrepair_edits"] == "[]" and row["id"] == "a"
    spark.conf.unset("spark.sql.execution.arrow.pyspark.enabled")
    # The pandas UDF form gives the same text.
    fixed = df.withColumn("fixed", spark_mod.repair_udf(CONFIG)("text")).collect()[0]["fixed"]
    assert fixed == expected
    with pytest.raises(ValueError, match="no column"):
        spark_mod.repair_column(df, "body")
    for bad in (-1, "100000", 2.5):
        with pytest.raises(ValueError, match="block_chars must be a whole number"):
            spark_mod.repair_udf(CONFIG, block_chars=bad)
        with pytest.raises(ValueError, match="block_chars must be a whole number"):
            spark_mod.repair_column(df.drop("mtrepair_edits"), "text", block_chars=bad)
    with pytest.raises(ValueError, match="given twice"):
        spark_mod.repair_column(df.drop("mtrepair_edits"), "text", output_column="mtrepair_edits")
    with pytest.raises(ValueError, match=r"not a string \(cast it first"):
        spark_mod.repair_column(spark.createDataFrame([(1,)], "n int"), "n")


def test_repair_texts_keeps_every_row_huge_failing_or_null():
    """The executor-side function, without Spark: a several-MB text is repaired in blocks, a row
    whose repair raises keeps its text with the reason, nulls and NaN stay null."""
    cfg = RepairConfig(**CONFIG, min_confidence=0.72)
    real = Repairer(cfg)
    seen: list[int] = []

    class Spy:
        def __getattr__(self, name):
            return getattr(real, name)

        def repair(self, text):
            seen.append(len(text))
            if "Cabled" in text and len(text) < 1000:
                raise RuntimeError("boom")
            return real.repair(text)

    article = (ROOT / "examples/spun-article-2.txt").read_text(encoding="utf-8")
    huge = "\n\n".join([article] * (2_000_000 // len(article)))
    failing = "Le magazine Cabled ajoute que plusieurs d’entre eux ont été recrutés par des concurrents."
    spark_mod._REPAIRERS[cfg] = Spy()
    try:
        out = spark_mod.repair_texts([huge, None, float("nan"), failing, ""], cfg, block_chars=100_000)
    finally:
        del spark_mod._REPAIRERS[cfg]
    assert max(seen) <= 100_000 and len(seen) > 10, "never one repair() over megabytes"
    assert "gardé à l’esprit" not in out["repaired"][0] and "Wall Road" not in out["repaired"][0]
    assert out["repaired"][0].count("Wall Street Journal") == huge.count("Wall Road Journal")
    assert out["error"][0] is None and out["changed"][0] is True
    assert out["repaired"][1:3] == [None, None] and out["error"][1:3] == [None, None]
    assert out["repaired"][3] == failing and out["error"][3] == "RuntimeError: boom"
    assert out["changed"][3] is False and out["edits"][3] == "[]"
    assert out["repaired"][4] == "" and out["error"][4] is None
    assert all(len(col) == 5 for col in out.values())


def test_example_job_runs_as_documented(tmp_path):
    """examples/spark_job.py IN.jsonl OUT.parquet on messy records (null, missing and empty text):
    every record comes out, repaired as the Repairer does; a wrong call prints the usage."""
    import pandas as pd

    spun = (ROOT / "examples/spun-article-3.txt").read_text(encoding="utf-8")
    records = [{"id": "spun", "text": spun}, {"id": "null", "text": None}, {"id": "missing"},
               {"id": "empty", "text": ""}, {"id": "clean", "text": rows()[3][1]}]
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.parquet"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    script = str(ROOT / "examples/spark_job.py")
    proc = subprocess.run([sys.executable, script, str(src), str(dst)], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = {r["id"]: r for r in pd.read_parquet(dst).to_dict("records")}
    assert set(got) == {r["id"] for r in records}
    repairer = Repairer(RepairConfig(min_confidence=0.7))
    assert got["spun"]["text_repaired"] == repairer.repair(spun).text and got["spun"]["mtrepair_changed"]
    assert got["clean"]["text_repaired"] == records[4]["text"] and not got["clean"]["mtrepair_changed"]
    assert got["empty"]["text_repaired"] == ""
    assert all(pd.isna(got[k]["text_repaired"]) for k in ("null", "missing"))
    assert all(pd.isna(r["mtrepair_error"]) for r in got.values())
    usage = subprocess.run([sys.executable, script, str(src)], capture_output=True, text=True, timeout=120, env=env)
    assert usage.returncode == 2 and "spark-submit examples/spark_job.py" in usage.stderr


def test_missing_or_broken_user_glossary_or_model_fails_at_once(tmp_path):
    """On the driver a missing glossary path is refused before any task; on an executor a glossary
    that does not load fails the task (the Repairer alone would repair without it)."""
    from mtrepair.config import ConfigError

    broken = tmp_path / "maison.yaml"
    broken.write_text("- id: MAISON-0001\n  pattern: [garder à l'esprit\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="glossary: .*absent.yaml: no such glossary file"):
        spark_mod.repair_udf({**CONFIG, "glossary_paths": [str(tmp_path / "absent.yaml")]})
    cfg = RepairConfig(**CONFIG, glossary_paths=(str(broken),))
    with pytest.raises(ConfigError, match="glossary: .*maison.yaml:3: invalid YAML"):
        spark_mod.repair_texts(["Le groupe a gardé à l’esprit que ses individus restent mobilisés."], cfg)
    assert cfg not in spark_mod._REPAIRERS
    cfg = RepairConfig(model=f"hf:{tmp_path / 'pas-de-modele'}")  # loads lazily: found missing at once
    with pytest.raises(ConfigError, match="cannot repair a test text: .*pas-de-modele"):
        spark_mod.repair_texts(["Le conseil municipal s’est réuni jeudi soir."], cfg)


def test_row_timeout_stops_a_stuck_row_and_the_batch_goes_on(monkeypatch):
    """The executor-side function with ``row_timeout``: a row that hangs (injected into the forked
    worker, as a pathological input would) gets the timeout error and keeps its text, the worker is
    replaced, every other row is repaired exactly as in process, nulls stay null."""
    import multiprocessing
    import time

    from mtrepair.batch import process as process_mod

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs the fork start method to inject the hang into the worker")
    real = process_mod.process_item

    def hanging(item, repairer, options):
        if "BLOQUÉ" in item.payload["text"]:
            time.sleep(120)  # the worker is killed long before
        return real(item, repairer, options)

    monkeypatch.setattr(process_mod, "process_item", hanging)
    cfg = RepairConfig(**CONFIG)
    texts = [t for _, t, _ in rows()]
    stuck = "BLOQUÉ. Il a gardé à l’esprit que la société va bien."
    texts.insert(2, stuck)
    started = time.monotonic()
    out = spark_mod.repair_texts(texts, cfg, row_timeout=1)
    assert time.monotonic() - started < 30, "the stuck row was not stopped"
    expected = spark_mod.repair_texts([t for t in texts if t is not stuck], cfg)
    assert out["repaired"][2] == stuck and out["changed"][2] is False and out["edits"][2] == "[]"
    assert out["error"][2].startswith("timed out after 1 s (row_timeout)")
    for key in out:
        assert out[key][:2] + out[key][3:] == expected[key], key
    assert all(len(col) == len(texts) for col in out.values())


def test_row_timeout_is_checked_on_the_driver(spark):
    df = spark.createDataFrame([("a", "Bonjour.")], ["id", "text"])
    for bad in (-1, "10", True, float("inf"), float("nan")):
        with pytest.raises(ValueError, match="row_timeout must be None"):
            spark_mod.repair_column(df, "text", config=CONFIG, row_timeout=bad)
        with pytest.raises(ValueError, match="row_timeout must be None"):
            spark_mod.repair_udf(CONFIG, row_timeout=bad)


def test_row_timeout_through_spark_gives_the_rows_of_the_in_process_path(spark):
    """With row_timeout each batch is repaired in a worker process forked from Spark's Python
    worker: same rows, same order, every column as without it."""
    data = rows()
    df = spark.createDataFrame(data, ["id", "text", "kind"]).repartition(2)
    plain = {r["id"]: r.asDict() for r in spark_mod.repair_column(df, "text", config=CONFIG).collect()}
    timed = {r["id"]: r.asDict() for r in spark_mod.repair_column(df, "text", config=CONFIG, row_timeout=30).collect()}
    assert timed == plain and len(timed) == len(data)
    fixed = spark_mod.repair_udf(CONFIG, row_timeout=30)
    got = {r["id"]: r["t"] for r in df.withColumn("t", fixed("text")).collect()}
    assert got == {k: v["text_repaired"] for k, v in plain.items()}
