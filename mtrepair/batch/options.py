"""Settings of a batch run: how inputs are read and where results go in each record.

These are plain frozen dataclasses so that they pickle cheaply to worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..blocks import DEFAULT_BLOCK_CHARS

#: Input formats the batch engine reads. ``auto`` decides per file from the extension
#: (and, for plain files, from the content: HTML is recognised by its first tag).
INPUT_FORMATS = ("auto", "text", "jsonl", "html", "csv", "parquet")
#: Inputs made of records (one output record per input record, every field kept).
RECORD_FORMATS = ("jsonl", "csv", "parquet")
#: Output formats (the same as ``mtrepair repair --format``; records are always JSONL).
OUTPUT_FORMATS = ("text", "json", "jsonl", "diff")

#: Records sent to a worker process in one task (amortises inter-process overhead).
DEFAULT_CHUNK_RECORDS = 16
#: A task is closed early once it holds this many characters of text.
DEFAULT_CHUNK_CHARS = 64_000
#: Tasks in flight per worker; bounds memory whatever the input size.
DEFAULT_PENDING_PER_JOB = 4
#: Seconds a record read for worker processes may wait for its chunk to fill while a worker is
#: idle (``--max-latency``); busy workers let chunks fill (see :mod:`mtrepair.batch.feed`).
DEFAULT_MAX_LATENCY = 0.2
#: The CLI's ``--record-timeout`` default (seconds). A record normally takes well under a
#: second (0.3 MB per CPU-second, 200 kB per timeout unit), so 60 s means "stuck", even on a
#: loaded machine, and one stuck record costs at most two minutes of one worker.
DEFAULT_RECORD_TIMEOUT = 60.0


class WorkerStartError(RuntimeError):
    """Worker processes could not start (their Repairer could not be built there, out of memory...)
    while this process could build its own: a problem of the machine, reported as such (the CLI
    prints it and exits 1), not a bug."""


@dataclass(frozen=True)
class OutputKeys:
    """Names of the keys a batch run adds to each JSON record.

    Record inputs (JSONL, CSV, Parquet) keep every field they had; these keys are
    added. A name set to ``""`` leaves that key out (e.g. ``findings=""``).
    Document inputs (text and HTML files) use the ``--format json`` contract
    (``input``, ``text``, ``edits``, ``findings``, ``scores``, ``signature``)
    plus ``error`` when they fail.
    """

    text: str = "repaired_text"
    edits: str = "edits"
    findings: str = "findings"
    scores: str = "scores"
    changed: str = "changed"
    error: str = "error"
    #: Where a malformed line came from (input name, line number, raw text).
    source: str = "input"
    line: str = "line"
    raw: str = "raw"
    #: HTML records: the extracted article text (edit offsets refer to it) and metadata.
    extracted: str = "extracted_text"
    metadata: str = "html_metadata"

    def with_prefix(self, prefix: str) -> "OutputKeys":
        """Every non-empty key name prefixed with ``prefix``."""
        if not prefix:
            return self
        return replace(self, **{k: (prefix + v if v else v) for k, v in self.__dict__.items()})

    def added(self) -> tuple[str, ...]:
        """The keys a successful record gets (used to refuse overwriting input fields)."""
        return tuple(k for k in (self.text, self.edits, self.findings, self.scores, self.changed) if k)


@dataclass(frozen=True)
class BatchOptions:
    #: One of :data:`INPUT_FORMATS`.
    input_format: str = "auto"
    #: Treat every text input (file or record field) as HTML and extract the article first.
    html: bool = False
    #: Record field holding the text to repair.
    text_field: str = "text"
    #: Record field holding a stable id (used by ``resume``); documents use their input name.
    id_field: str = "id"
    #: Keys added to output records.
    keys: OutputKeys = field(default_factory=OutputKeys)
    #: Output format of document inputs (records always give JSONL).
    output_format: str = "jsonl"
    #: "strict" stops a record on invalid UTF-8 (it becomes an error record); "replace" goes on.
    encoding_errors: str = "strict"
    #: Colour the ``diff`` format (only when writing to a terminal).
    colour: bool = False
    #: Worker processes (1 = in this process).
    jobs: int = 1
    #: Skip records already in the output (by id with the same fields; without id, by their fields).
    resume: bool = False
    #: With ``resume``: error records already in the output do not count as done. Each JSONL output
    #: is first rewritten atomically without them (:func:`mtrepair.batch.writers.drop_error_records`),
    #: and their records are repaired again and appended.
    retry_failed: bool = False
    #: Give output records as dicts (Python API) instead of serialised text (CLI).
    as_objects: bool = False
    #: Seconds one record may take (per started 200 kB of its text, see
    #: :func:`mtrepair.batch.pool.task_budget`) before its worker process is killed and replaced
    #: and the record becomes an error record. None (the Python API's default) = no limit, and
    #: one job repairs in the calling process; any value runs records in worker processes, even
    #: with one job. The CLI's default is :data:`DEFAULT_RECORD_TIMEOUT`.
    record_timeout: float | None = None
    #: How error records name the limit a record overran (the option the user set): the CLI's
    #: ``--record-timeout``; the Spark integration's ``row_timeout``.
    timeout_setting: str = "--record-timeout"
    #: Texts (documents or record fields) longer than this many characters are repaired block
    #: by block, cut at blank lines (else sentence-ending line ends, else line ends): see
    #: :mod:`mtrepair.blocks` (0 = always whole).
    block_chars: int = DEFAULT_BLOCK_CHARS
    chunk_records: int = DEFAULT_CHUNK_RECORDS
    chunk_chars: int = DEFAULT_CHUNK_CHARS
    pending_per_job: int = DEFAULT_PENDING_PER_JOB
    #: With worker processes (``jobs > 1`` or a ``record_timeout``): the items are read in a
    #: background thread, and a chunk that is not full goes to an idle worker once its oldest record
    #: has waited this many seconds (0: at once), so that a record of a slow stream comes out soon
    #: after it arrives; while the workers are busy chunks fill (see :mod:`mtrepair.batch.feed`).
    #: None: the input is read in the calling thread and a chunk waits until it is full or the
    #: input ends (for iterables that must not be consumed from another thread). In process (one
    #: job, no timeout) every item is repaired as soon as it is read, whatever this is.
    max_latency: float | None = DEFAULT_MAX_LATENCY

    def __post_init__(self) -> None:
        if self.input_format not in INPUT_FORMATS:
            raise ValueError(f"input format must be one of {', '.join(INPUT_FORMATS)}, got {self.input_format!r}")
        if self.output_format not in OUTPUT_FORMATS:
            raise ValueError(f"output format must be one of {', '.join(OUTPUT_FORMATS)}, got {self.output_format!r}")
        if self.jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {self.jobs}")
        if self.record_timeout is not None and not self.record_timeout > 0:
            raise ValueError(f"record timeout must be a positive number of seconds, got {self.record_timeout}")
        if self.max_latency is not None and not 0 <= self.max_latency < float("inf"):
            raise ValueError(f"max latency must be 0 or a number of seconds, got {self.max_latency}")
        if self.block_chars < 0:
            raise ValueError(f"block chars must be 0 (never split) or more, got {self.block_chars}")
        if self.retry_failed and not self.resume:
            raise ValueError("retry_failed needs resume (it redoes the failed records of an existing output)")
        if not self.text_field:
            raise ValueError("the text field name is empty")
