"""Repair a text column of a Spark DataFrame, one Repairer per executor process.

>>> from mtrepair.integrations.spark import repair_column        # doctest: +SKIP
>>> out = repair_column(df, "text", config={"min_confidence": 0.8})  # doctest: +SKIP

The work runs in ``DataFrame.mapInPandas``: each Python worker of each executor
builds its :class:`~mtrepair.repairer.Repairer` on first use and keeps it in a
module-level cache for every later batch and task (Spark reuses Python workers
by default), so glossary and model load once per process, not per row.

Added columns (names configurable; ``None`` leaves one out), always the same schema,
whatever the data:

- ``<column>_repaired`` (string): the repaired text (null when the input is null);
- ``mtrepair_edits`` (string): the edits as a JSON array (offsets into the input text);
- ``mtrepair_scores`` (string): the scores as a JSON object (words, edits, edits by
  category, findings left, quality before/after), as the batch CLI's ``scores`` key;
- ``mtrepair_changed`` (boolean): whether the text changed;
- ``mtrepair_error`` (string): null, or why this row could not be repaired (its text is then
  copied unchanged: no row is lost or dropped).

Columns the DataFrame already has are never overwritten (a clash is refused before
the job runs), except ``column`` itself when ``output_column=column`` asks for the
repair in place (the column keeps its position). Texts longer than ``block_chars``
are repaired block by block, as the CLI's ``--block-chars``. ``mapInPandas`` always
exchanges data through Arrow, so ``spark.sql.execution.arrow.pyspark.enabled``
does not change what it does.

Needs the ``spark`` extra (pyspark, pandas, pyarrow) on the driver and the executors,
and mtrepair itself installed on every executor.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any, Iterator, Sequence

from ..blocks import DEFAULT_BLOCK_CHARS, repair_long
from ..config import ConfigError, RepairConfig
from ..repairer import Repairer
from . import build_repairer, check_repairer, resolve_config

#: Repairers built in this process, by config (an executor's Python worker keeps its own).
_REPAIRERS: dict[RepairConfig, Repairer] = {}
#: How many Repairers this process has built (lets tests check "once per process").
BUILT = 0


def get_repairer(config: RepairConfig) -> Repairer:
    global BUILT
    repairer = _REPAIRERS.get(config)
    if repairer is None:
        repairer = build_repairer(config)
        BUILT += 1
        # A user glossary missing or broken on this executor would be skipped: fail the task instead.
        check_repairer(repairer, "mtrepair config")
        _REPAIRERS[config] = repairer
    return repairer


def _check_paths(config: RepairConfig) -> None:
    """On the driver, before any task: every user glossary path of ``config`` exists."""
    from ..glossary.glossary import user_files

    _, problems = user_files(config.glossary_paths)
    if problems:
        raise ConfigError(f"mtrepair config: glossary: {'; '.join(map(str, problems))}")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def repair_texts(texts: Any, config: RepairConfig, block_chars: int = DEFAULT_BLOCK_CHARS) -> dict[str, list]:
    """Repair an iterable of texts (None allowed): columns repaired, edits (JSON), scores (JSON),
    changed, error. One entry per text, whatever happens to it."""
    repairer = get_repairer(config)
    out: dict[str, list] = {"repaired": [], "edits": [], "scores": [], "changed": [], "error": []}
    for text in texts:
        if text is None or (isinstance(text, float) and text != text):  # null / NaN
            row: tuple = (None, "[]", None, False, None)
        else:
            try:
                result = repair_long(repairer, str(text), block_chars)
                row = (result.text, _json([e.to_dict() for e in result.edits]), _json(dict(result.scores)),
                       result.changed, None)
            except Exception as exc:  # the row is kept as it was, with the reason
                row = (text, "[]", None, False, f"{type(exc).__name__}: {exc}")
        for key, value in zip(("repaired", "edits", "scores", "changed", "error"), row):
            out[key].append(value)
    return out


def repair_batches(batches: Iterator[Any], column: str, config: RepairConfig, added: Sequence[tuple[str, str]],
                   order: Sequence[str], block_chars: int = DEFAULT_BLOCK_CHARS) -> Iterator[Any]:
    """What :func:`repair_column` runs on each partition (``mapInPandas``): every pandas batch
    with the ``added`` columns (name, key in :func:`repair_texts`) set, columns in ``order``."""
    for pdf in batches:
        cols = repair_texts(pdf[column].tolist(), config, block_chars)
        pdf = pdf.copy()
        for name, key in added:
            pdf[name] = cols[key]
        yield pdf[list(order)]


def _check_block_chars(block_chars: Any) -> None:
    if isinstance(block_chars, bool) or not isinstance(block_chars, int) or block_chars < 0:
        raise ValueError(f"block_chars must be a whole number of characters, 0 or more, got {block_chars!r}")


def repair_udf(config: Any = None, block_chars: int = DEFAULT_BLOCK_CHARS) -> Any:
    """A pandas UDF (string -> string) giving the repaired text, for ``withColumn``/``select``:

    >>> fix = repair_udf({"min_confidence": 0.8})               # doctest: +SKIP
    >>> df.withColumn("text_fixed", fix("text"))                # doctest: +SKIP

    Lighter than :func:`repair_column` when only the text is wanted (no edits, no error
    column: a row that fails keeps its text unchanged). One Repairer per worker process.
    """
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    cfg = resolve_config(config)
    _check_paths(cfg)
    _check_block_chars(block_chars)

    def repaired(texts):
        return pd.Series(repair_texts(texts.tolist(), cfg, block_chars)["repaired"], index=texts.index, dtype=object)

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
    scores_column: str | None = "mtrepair_scores",
    changed_column: str | None = "mtrepair_changed",
    error_column: str | None = "mtrepair_error",
    block_chars: int = DEFAULT_BLOCK_CHARS,
) -> Any:
    """A new DataFrame: ``df`` with the repaired text of ``column`` and the edits added.

    ``config``: a RepairConfig, a dict of its fields, a TOML path, or None (defaults).
    ``output_column`` defaults to ``<column>_repaired``; give ``column`` itself to
    replace the text in place. Every check (config, column, names) is made here, on the
    driver, before any task runs.
    """
    from pyspark.sql.types import BooleanType, StringType, StructField, StructType

    cfg = resolve_config(config)
    _check_paths(cfg)
    _check_block_chars(block_chars)
    if column not in df.columns:
        raise ValueError(f"no column {column!r} in the DataFrame (columns: {', '.join(df.columns)})")
    if not isinstance(df.schema[column].dataType, StringType):
        raise ValueError(f"column {column!r} is {df.schema[column].dataType.simpleString()}, not a string "
                         f"(cast it first: df.withColumn({column!r}, df[{column!r}].cast('string')))")
    target = output_column or f"{column}_repaired"
    added = [(target, StringType(), "repaired"), (edits_column, StringType(), "edits"),
             (scores_column, StringType(), "scores"), (changed_column, BooleanType(), "changed"),
             (error_column, StringType(), "error")]
    added = [(name, dtype, key) for name, dtype, key in added if name]
    names = [name for name, _, _ in added]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"output column name(s) {', '.join(map(repr, twice))} given twice")
    clash = [n for n in names if n in df.columns and not (n == column == target)]
    if clash:
        raise ValueError(f"the DataFrame already has column(s) {', '.join(map(repr, clash))}, which the repair "
                         "would overwrite; choose other names (output_column=, edits_column=, ...) or drop them")
    fields = list(df.schema.fields)
    new = [StructField(name, dtype, True) for name, dtype, _ in added if name != column]
    if target == column:
        fields[df.columns.index(column)] = StructField(column, StringType(), True)
    schema = StructType(fields + new)
    order = [f.name for f in schema.fields]
    work = partial(repair_batches, column=column, config=cfg, added=[(n, k) for n, _, k in added], order=order,
                   block_chars=block_chars)
    return df.mapInPandas(work, schema)
