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

``row_timeout`` (seconds, per started 200 kB of a row's text; None = no limit, the
default) bounds a pathological row, which would otherwise hold its task forever (Spark
has no per-row limit): each batch is then repaired in one worker process forked from the
Python worker (the batch engine's, :mod:`mtrepair.batch.pool`, inheriting its warm
Repairer); a row that overruns gets ``mtrepair_error`` (``timed out after N s``) and keeps
its text, the worker is killed and replaced, and the batch goes on.

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


_KEYS = ("repaired", "edits", "scores", "changed", "error")
_NULL_ROW: tuple = (None, "[]", None, False, None)


def _is_null(text: Any) -> bool:
    return text is None or (isinstance(text, float) and text != text)  # null / NaN


def repair_texts(texts: Any, config: RepairConfig, block_chars: int = DEFAULT_BLOCK_CHARS,
                 row_timeout: float | None = None) -> dict[str, list]:
    """Repair an iterable of texts (None allowed): columns repaired, edits (JSON), scores (JSON),
    changed, error. One entry per text, whatever happens to it. With ``row_timeout`` the texts
    are repaired in a worker process that is killed and replaced when a row overruns it."""
    repairer = get_repairer(config)
    texts = list(texts)
    if row_timeout:
        rows = _rows_in_worker(texts, repairer, config, block_chars, row_timeout)
    else:
        rows = [_NULL_ROW if _is_null(text) else _row_in_process(repairer, str(text), block_chars)
                for text in texts]
    return {key: [row[k] for row in rows] for k, key in enumerate(_KEYS)}


def _row_in_process(repairer: Repairer, text: str, block_chars: int) -> tuple:
    try:
        result = repair_long(repairer, text, block_chars)
    except Exception as exc:  # the row is kept as it was, with the reason
        return (text, "[]", None, False, f"{type(exc).__name__}: {exc}")
    return (result.text, _json([e.to_dict() for e in result.edits]), _json(dict(result.scores)),
            result.changed, None)


def _rows_in_worker(texts: list, repairer: Repairer, config: RepairConfig, block_chars: int,
                    row_timeout: float) -> list[tuple]:
    """The rows of :func:`repair_texts`, repaired by the batch engine in a watched worker process
    (one record per non-null text, text under the record's ``text`` key)."""
    from ..batch.engine import iter_outcomes
    from ..batch.options import BatchOptions, OutputKeys
    from ..batch.readers import WorkItem

    options = BatchOptions(jobs=1, record_timeout=row_timeout, block_chars=block_chars, as_objects=True,
                           keys=OutputKeys(findings=""), timeout_setting="row_timeout")
    items = (WorkItem(i, "<spark>", "spark", "jsonl", "row", None, {"text": str(text)})
             for i, text in enumerate(texts) if not _is_null(text))
    rows = [_NULL_ROW] * len(texts)
    for outcome, i in zip(iter_outcomes(items, config, options, repairer),
                          (i for i, text in enumerate(texts) if not _is_null(text))):
        out = outcome.output
        if outcome.status == "failed":
            rows[i] = (out["text"], "[]", None, False, out.get("error") or outcome.error)
        else:
            rows[i] = (out["repaired_text"], _json(out["edits"]), _json(out["scores"]), out["changed"], None)
    return rows


def repair_batches(batches: Iterator[Any], column: str, config: RepairConfig, added: Sequence[tuple[str, str]],
                   order: Sequence[str], block_chars: int = DEFAULT_BLOCK_CHARS,
                   row_timeout: float | None = None) -> Iterator[Any]:
    """What :func:`repair_column` runs on each partition (``mapInPandas``): every pandas batch
    with the ``added`` columns (name, key in :func:`repair_texts`) set, columns in ``order``."""
    for pdf in batches:
        cols = repair_texts(pdf[column].tolist(), config, block_chars, row_timeout)
        pdf = pdf.copy()
        for name, key in added:
            pdf[name] = cols[key]
        yield pdf[list(order)]


def _check_block_chars(block_chars: Any) -> None:
    if isinstance(block_chars, bool) or not isinstance(block_chars, int) or block_chars < 0:
        raise ValueError(f"block_chars must be a whole number of characters, 0 or more, got {block_chars!r}")


def _row_timeout(value: Any) -> float | None:
    """``row_timeout`` checked on the driver: None or 0 (no limit), or a positive number of seconds."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0 or value == float("inf"):
        raise ValueError(f"row_timeout must be None (no limit) or a number of seconds, got {value!r}")
    return float(value) or None


def repair_udf(config: Any = None, block_chars: int = DEFAULT_BLOCK_CHARS, row_timeout: float | None = None) -> Any:
    """A pandas UDF (string -> string) giving the repaired text, for ``withColumn``/``select``:

    >>> fix = repair_udf({"min_confidence": 0.8})               # doctest: +SKIP
    >>> df.withColumn("text_fixed", fix("text"))                # doctest: +SKIP

    Lighter than :func:`repair_column` when only the text is wanted (no edits, no error
    column: a row that fails, or overruns ``row_timeout``, keeps its text unchanged). One
    Repairer per worker process.
    """
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    cfg = resolve_config(config)
    _check_paths(cfg)
    _check_block_chars(block_chars)
    timeout = _row_timeout(row_timeout)

    def repaired(texts):
        cols = repair_texts(texts.tolist(), cfg, block_chars, timeout)
        return pd.Series(cols["repaired"], index=texts.index, dtype=object)

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
    row_timeout: float | None = None,
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
    timeout = _row_timeout(row_timeout)
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
                   block_chars=block_chars, row_timeout=timeout)
    return df.mapInPandas(work, schema)
