"""Repair the text column of a Parquet/JSONL dataset with Spark.

    pip install 'mtrepair[spark]'          # on the driver AND on every executor
    spark-submit examples/spark_job.py articles.parquet repaired.parquet [text]
    python examples/spark_job.py           # local demo on a few made-up rows

Each executor's Python worker builds one Repairer (glossary and model load once per
process) and repairs its partitions batch by batch with mapInPandas. Rows are never
dropped: a row that cannot be repaired keeps its text and says why in mtrepair_error;
a null text stays null. A missing or non-string column, or an output column the data
already has, is refused before any work starts (exit code 2).
"""

from __future__ import annotations

import sys

from pyspark.sql import SparkSession

from mtrepair.integrations.spark import repair_column


def main() -> int:
    if len(sys.argv) not in (1, 3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    spark = SparkSession.builder.appName("mtrepair").getOrCreate()
    if len(sys.argv) >= 3:
        src, dst = sys.argv[1], sys.argv[2]
        column = sys.argv[3] if len(sys.argv) > 3 else "text"
        reader = spark.read.json if src.endswith((".jsonl", ".json")) else spark.read.parquet
        df = reader(src)
        try:
            out = repair_column(df, column, config={"min_confidence": 0.7})
        except ValueError as exc:  # bad column or config: said before any task runs
            print(f"spark_job.py: {src}: {exc}", file=sys.stderr)
            spark.stop()
            return 2
        out.write.mode("overwrite").parquet(dst)
    else:
        df = spark.createDataFrame(
            [("a1", "Le groupe a gardé à l'esprit que ses individus restent mobilisés."),
             ("a2", "Le conseil municipal s’est réuni jeudi soir pour voter le budget.")],
            "id string, text string",
        )
        repair_column(df, "text").select("id", "text_repaired", "mtrepair_changed").show(truncate=False)
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
