"""Repair a text column of a Spark DataFrame, one Repairer per executor process.

>>> from mtrepair.integrations.spark import repair_column        # doctest: +SKIP
>>> out = repair_column(df, "text", config={"min_confidence": 0.8})  # doctest: +SKIP

The work runs in ``DataFrame.mapInPandas``: each Python worker of each executor
builds its :class:`~mtrepair.repairer.Repairer` on first use and keeps it in a
module-level cache for every later batch and task (Spark reuses Python workers
by default), so glossary and model load once per process, not per row.

Added columns (names configurable; ``None`` leaves one out):

- ``<column>_repaired``: the repaired text (null when the input is null);
- ``mtrepair_edits``: the edits as a JSON array (offsets into the input text);
- ``mtrepair_changed``: whether the text changed;
- ``mtrepair_error``: null, or why this row could not be repaired (its text is then
  copied unchanged: no row is lost or dropped).

Needs the ``spark`` extra (pyspark, pandas, pyarrow) on the driver and the executors,
and mtrepair itself installed on every executor.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from ..config import RepairConfig
from ..repairer import Repairer
from . import resolve_config

#: Repairers built in this process, by config (an executor's Python worker keeps its own).
_REPAIRERS: dict[RepairConfig, Repairer] = {}
#: How many Repairers this process has built (lets tests check "once per process").
BUILT = 0


def get_repairer(config: RepairConfig) -> Repairer:
    global BUILT
    repairer = _REPAIRERS.get(config)
    if repairer is None:
        repairer = _REPAIRERS[config] = Repairer(config)
        BUILT += 1
    return repairer


def repair_texts(texts: Any, config: RepairConfig) -> dict[str, list]:
    """Repair an iterable of texts (None allowed): columns repaired, edits (JSON), changed, error."""
    repairer = get_repairer(config)
    out: dict[str, list] = {"repaired": [], "edits": [], "changed": [], "error": []}
    for text in texts:
        if text is None or (isinstance(text, float) and text != text):  # null / NaN
            out["repaired"].append(None)
            out["edits"].append("[]")
            out["changed"].append(False)
            out["error"].append(None)
            continue
        try:
            result = repairer.repair(str(text))
        except Exception as exc:  # the row is kept as it was, with the reason
            out["repaired"].append(text)
            out["edits"].append("[]")
            out["changed"].append(False)
            out["error"].append(f"{type(exc).__name__}: {exc}")
            continue
        out["repaired"].append(result.text)
        out["edits"].append(json.dumps([e.to_dict() for e in result.edits], ensure_ascii=False))
        out["changed"].append(result.changed)
        out["error"].append(None)
    return out


def repair_udf(config: Any = None) -> Any:
    """A pandas UDF (string -> string) giving the repaired text, for ``withColumn``/``select``:

    >>> fix = repair_udf({"min_confidence": 0.8})               # doctest: +SKIP
    >>> df.withColumn("text_fixed", fix("text"))                # doctest: +SKIP

    Lighter than :func:`repair_column` when only the text is wanted (no edits, no error
    column: a row that fails keeps its text unchanged). One Repairer per worker process.
    """
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    cfg = resolve_config(config)

    def repaired(texts):
        return pd.Series(repair_texts(texts.tolist(), cfg)["repaired"], index=texts.index, dtype=object)

    # Real type objects (not the strings "from __future__ import annotations" would leave):
    # Spark reads them to pick the Series -> Series UDF kind.
    repaired.__annotations__ = {"texts": pd.Series, "return": pd.Series}
    return pandas_udf(repaired, "string")


def repair_column(
    df: Any,
    column: str,
    *,
    config: Any = None,
    output_column: str | None = None,
    edits_column: str | None = "mtrepair_edits",
    changed_column: str | None = "mtrepair_changed",
    error_column: str | None = "mtrepair_error",
) -> Any:
    """A new DataFrame: ``df`` with the repaired text of ``column`` and the edits added.

    ``config``: a RepairConfig, a dict of its fields, a TOML path, or None (defaults).
    ``output_column`` defaults to ``<column>_repaired``; give ``column`` itself to
    replace the text in place.
    """
    from pyspark.sql.types import BooleanType, StringType, StructField, StructType

    cfg = resolve_config(config)
    if column not in df.columns:
        raise ValueError(f"no column {column!r} in the DataFrame (columns: {', '.join(df.columns)})")
    if not isinstance(df.schema[column].dataType, StringType):
        raise ValueError(f"column {column!r} is {df.schema[column].dataType.simpleString()}, not a string")
    target = output_column or f"{column}_repaired"
    added = [(target, StringType(), "repaired"), (edits_column, StringType(), "edits"),
             (changed_column, BooleanType(), "changed"), (error_column, StringType(), "error")]
    added = [(name, dtype, key) for name, dtype, key in added if name]
    fields = [f for f in df.schema.fields if f.name not in {name for name, _, _ in added}]
    schema = StructType(fields + [StructField(name, dtype, True) for name, dtype, _ in added])
    order = [f.name for f in schema.fields]

    def repair_batches(batches: Iterator[Any]) -> Iterator[Any]:
        for pdf in batches:
            cols = repair_texts(pdf[column].tolist(), cfg)
            pdf = pdf.copy()
            for name, _, key in added:
                pdf[name] = cols[key]
            yield pdf[order]

    return df.mapInPandas(repair_batches, schema)
