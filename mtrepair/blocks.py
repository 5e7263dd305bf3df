"""Long plain-text documents, repaired block by block: bounded memory, exact offsets.

Repairing a document costs about 60 bytes of working memory per character, so a 100 MB text
file repaired whole would need gigabytes. The CLI and the batch engine therefore cut a document
longer than ``max_chars`` (``--block-chars``, default :data:`DEFAULT_BLOCK_CHARS`) into blocks,
repair each block on its own, and shift each block's edit and finding offsets by the block's
start, so that ``apply_edits(original, edits) == text`` still holds for the whole document.
:func:`iter_decoded` and :func:`iter_text_blocks` read the blocks from a file as they are
needed, so with text output (:func:`repair_file_streaming`, and the batch engine's block work
items) memory stays flat whatever the file size.

Where a block ends (:func:`next_cut`, the only definition, shared by the in-memory and the
streaming paths):

1. after the last blank line (a paragraph break) within ``max_chars`` characters;
2. else after the last line end within ``max_chars`` characters that is a sentence boundary the
   line pass would leave alone on the whole document too: the line ends with final punctuation
   (never joined to the next) and the next line does not start in lower case (a block's first
   line starting in lower case would be capitalised as a paragraph start);
3. else after the last line end within ``max_chars`` characters;
4. else (one line longer than ``max_chars``) after the end of that line: a line is never cut,
   so memory then grows with the longest line, not with the file.

The trade-off: each block is a document of its own. No line is joined to the next across a
block boundary (a blank line rarely falls mid-sentence; a line-end cut, used only when a block
holds no blank line, is taken at a sentence end when there is one), and document-level decisions are taken per block: the typography
convention (which space to insert), the hard-wrap ratio, a garbled name's evidence that the
correct name is « written elsewhere in the document ».
At 200,000 characters (about 30,000 words, a short book) a block is far longer than any news
article, so articles are never cut, and a block costs about 12 MB of working memory.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from typing import IO, Any, Iterable, Iterator

from .passes.linebreaks import FINAL_PUNCTUATION
from .io import BINARY_SNIFF_BYTES, is_blank, sniff_encoding, undecodable
from .types import Edit, Finding, RepairResult

#: Documents longer than this many characters are repaired in blocks (0 = never).
DEFAULT_BLOCK_CHARS = 200_000
#: Bytes read from a file at a time by :func:`iter_file_blocks`.
READ_BYTES = 1 << 20


def next_cut(text: str, start: int, max_chars: int, final: bool) -> int | None:
    """End (exclusive) of the block of ``text`` that starts at ``start``.

    ``final``: ``text`` is the whole rest of the document. When it is not, and the answer
    depends on text not read yet, returns None (read more and ask again).
    """
    rest = len(text) - start
    if max_chars <= 0 or rest <= max_chars:
        return len(text) if final else None
    limit = start + max_chars
    last_newline = text.rfind("\n", start, limit)
    if last_newline < 0:  # one line longer than a block: cut after its end, never inside it
        end = text.find("\n", limit)
        if end >= 0:
            return end + 1
        return len(text) if final else None
    # The last blank line in the window, else the last sentence boundary: walk back line by
    # line (each line is visited once).
    line_end = last_newline
    boundary = None
    while True:
        previous = text.rfind("\n", start, line_end)
        line = text[(previous + 1 if previous >= 0 else start) : line_end]
        if previous >= 0 and line.strip() == "":
            return line_end + 1
        if boundary is None and _sentence_boundary(line, text, line_end + 1, limit):
            boundary = line_end + 1
        if previous < 0:
            break
        line_end = previous
    return boundary if boundary is not None else last_newline + 1


_FIRST_VISIBLE = re.compile(r"[^\S\n]*(\S)")


def _sentence_boundary(line: str, text: str, next_start: int, limit: int) -> bool:
    """Is the line end before ``next_start`` a cut the line pass cannot tell from the whole
    document? ``line`` ends with final punctuation (it would not be joined to the next) and the
    next line starts, before ``limit`` (so that a stream read further gives the same answer),
    with a visible character that is not lower case (it would not be capitalised as a block's
    first line)."""
    if not line.rstrip().endswith(FINAL_PUNCTUATION):
        return False
    first = _FIRST_VISIBLE.match(text, next_start, limit)
    return first is not None and not first.group(1).islower()


def block_spans(text: str, max_chars: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each block of ``text`` (one span when it is short enough)."""
    spans = []
    start = 0
    while start < len(text) or not spans:
        end = next_cut(text, start, max_chars, final=True)
        assert end is not None and (end > start or not text)
        spans.append((start, end))
        if end >= len(text):
            break
        start = end
    return spans


def shift_edit(edit: Edit, offset: int) -> Edit:
    return dataclasses.replace(edit, start=edit.start + offset, end=edit.end + offset) if offset else edit


def shift_finding(finding: Finding, offset: int) -> Finding:
    return dataclasses.replace(finding, start=finding.start + offset, end=finding.end + offset) if offset else finding


def repair_long(repairer: Any, text: str, max_chars: int = DEFAULT_BLOCK_CHARS) -> RepairResult:
    """``repairer.repair(text)``, in blocks when ``text`` is longer than ``max_chars``.

    A text that fits in one block gets exactly ``repairer.repair(text)``.
    """
    if max_chars <= 0 or len(text) <= max_chars:
        return repairer.repair(text)
    merged = BlockMerger(repairer)
    for start, end in block_spans(text, max_chars):
        merged.add(start, repairer.repair(text[start:end]))
    return merged.result(text)


class BlockMerger:
    """Collects block results into one :class:`RepairResult` (offsets shifted, counts added).

    ``keep`` False keeps only counts (streaming: memory flat whatever the number of edits).
    """

    def __init__(self, repairer: Any, keep: bool = True):
        self.repairer = repairer
        self.keep = keep
        self.texts: list[str] = []
        self.edits: list[Edit] = []
        self.findings: list[Finding] = []
        self.edit_count = 0
        self.finding_count = 0
        self.by_category: dict[str, int] = {}
        self.words = 0
        self.blocks = 0
        self.changed = False
        self.signature = ""
        self._quality: dict[str, Any] = {}

    def add(self, offset: int, block: RepairResult) -> None:
        self.blocks += 1
        self.changed = self.changed or block.changed
        self.edit_count += len(block.edits)
        self.finding_count += len(block.findings)
        for e in block.edits:
            self.by_category[str(e.category)] = self.by_category.get(str(e.category), 0) + 1
        if self.keep:
            self.texts.append(block.text)
            self.edits.extend(shift_edit(e, offset) for e in block.edits)
            self.findings.extend(shift_finding(f, offset) for f in block.findings)
        else:
            self._add_quality(block)
        self.words += int(block.scores.get("words", 0))
        self.signature = block.signature

    def _add_quality(self, block: RepairResult) -> None:
        """Without the edits, the light quality summary is the word-weighted mean of the blocks'."""
        quality = block.scores.get("quality") or {}
        words = int(block.scores.get("words", 0))
        for measure, values in quality.items():
            if isinstance(values, dict):
                acc = self._quality.setdefault(measure, {})
                for side, value in values.items():
                    if isinstance(value, (int, float)):
                        acc[side] = acc.get(side, 0.0) + value * words

    def scores(self) -> dict[str, Any]:
        """The counts of a whole-document repair. The quality part is the light summary (a full
        report, ``score_results``, is not merged across blocks)."""
        if self.keep:
            from .scoring.quality import light_summary

            quality = light_summary(self.edits, self.findings, self.words, self.repairer.config)
        else:
            quality = {m: {side: round(v / self.words, 4) if self.words else 0.0 for side, v in acc.items()}
                       for m, acc in self._quality.items()}
        return {
            "words": self.words,
            "edits": self.edit_count,
            "edits_by_category": dict(sorted(self.by_category.items())),
            "findings_left": self.finding_count,
            "quality": quality,
            "blocks": self.blocks,
        }

    def result(self, original: str) -> RepairResult:
        return RepairResult(original=original, text="".join(self.texts), edits=tuple(self.edits),
                            findings=tuple(self.findings), scores=self.scores(), signature=self.signature)

    def summary(self, name: str) -> str:
        """The one-line report of :func:`mtrepair.render.summary`, from the counts."""
        cats = ", ".join(f"{k} {v}" for k, v in sorted(self.by_category.items())) or "none"
        return (f"{name}: {self.edit_count} edit(s) ({cats}); {self.finding_count} finding(s) left for review\n"
                f"signature: {self.signature}")


# -- reading a file block by block ----------------------------------------------------------


def iter_decoded(fh: IO[bytes], name: str, encoding_errors: str = "strict",
                 read_bytes: int = READ_BYTES) -> Iterator[str]:
    """Decode a binary file piece by piece, with the errors of :func:`mtrepair.io.decode_bytes`
    (the byte offset of invalid UTF-8 is counted from the start of the file)."""
    head = fh.read(max(read_bytes, BINARY_SNIFF_BYTES))
    encoding = sniff_encoding(head, name)
    consumed = 0  # bytes handed to the decoder before the current piece
    if encoding == "utf-8-sig":  # drop the BOM here, so that error offsets count it
        encoding, consumed, head = "utf-8", len(codecs.BOM_UTF8), head[len(codecs.BOM_UTF8):]
    decoder = codecs.getincrementaldecoder(encoding)(errors=encoding_errors)
    data = head
    while True:
        final = not data
        pending = len(decoder.getstate()[0])
        try:
            piece = decoder.decode(data, final=final)
        except UnicodeDecodeError as exc:
            raise undecodable(name, exc.encoding, consumed - pending + exc.start, exc.object[exc.start]) from None
        if piece:
            yield piece
        if final:
            return
        consumed += len(data)
        data = fh.read(read_bytes)


def iter_text_blocks(pieces: Iterable[str], max_chars: int) -> Iterator[str]:
    """Cut a stream of text pieces into the blocks :func:`block_spans` gives for their concatenation."""
    buffer = ""
    for piece in pieces:
        buffer += piece
        start = 0
        while True:
            end = next_cut(buffer, start, max_chars, final=False)
            if end is None:
                break
            yield buffer[start:end]
            start = end
        buffer = buffer[start:]
    start = 0
    while start < len(buffer):
        end = next_cut(buffer, start, max_chars, final=True)
        yield buffer[start:end]
        start = end


def check_file(path: str, name: str, encoding_errors: str = "strict") -> tuple[int, bool]:
    """Read a whole file once, as the repair would, without keeping it: raises the
    :class:`InputError` the repair would meet (binary, invalid UTF-8), so that nothing is written
    for a file that cannot be read to its end. Returns (characters, has non-blank text): a file
    without is refused with :func:`mtrepair.io.empty_input`, as when read whole."""
    chars, content = 0, False
    with open(path, "rb") as fh:
        for piece in iter_decoded(fh, name, encoding_errors):
            chars += len(piece)
            content = content or not is_blank(piece)
    return chars, content


def repair_file_streaming(repairer: Any, path: str, name: str, write, max_chars: int = DEFAULT_BLOCK_CHARS,
                          encoding_errors: str = "strict", render=None) -> BlockMerger:
    """Repair the file at ``path`` block by block, handing each repaired block to ``write``.

    ``render(block, result)`` gives what is written (default: the repaired text). Memory stays
    flat whatever the file size: one block and its repair at a time, and counts. Call
    :func:`check_file` first: a decoding error found half-way raises after some blocks were written.
    """
    merged = BlockMerger(repairer, keep=False)
    offset = 0
    with open(path, "rb") as fh:
        for block in iter_text_blocks(iter_decoded(fh, name, encoding_errors), max_chars):
            result = repairer.repair(block)
            write(render(block, result) if render is not None else result.text)
            merged.add(offset, result)
            offset += len(block)
    return merged
