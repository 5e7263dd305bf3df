"""Batch and stream repair: many files, folders, JSONL/CSV/Parquet records, HTML pages.

>>> from mtrepair.batch import repair_records
>>> [r["repaired_text"] for r in repair_records([{"text": "Et maintenant? Rien."}])]
['Et maintenant ? Rien.']

The CLI (``mtrepair repair`` with folders, JSONL, ``--jobs``, ``--output-dir``,
``--resume``) is a thin layer over :func:`repair_paths`.
"""

from .engine import BatchSummary, Progress, iter_outcomes, run_batch
from .options import INPUT_FORMATS, OUTPUT_FORMATS, RECORD_FORMATS, BatchOptions, OutputKeys
from .process import Outcome
from .readers import WorkItem, iter_items
from .runner import repair_paths, repair_records
from .sources import InputSpec, discover, looks_like_html

__all__ = [
    "BatchOptions",
    "BatchSummary",
    "INPUT_FORMATS",
    "InputSpec",
    "OUTPUT_FORMATS",
    "Outcome",
    "OutputKeys",
    "Progress",
    "RECORD_FORMATS",
    "WorkItem",
    "discover",
    "iter_items",
    "iter_outcomes",
    "looks_like_html",
    "repair_paths",
    "repair_records",
    "run_batch",
]
