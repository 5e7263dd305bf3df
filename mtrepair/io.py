"""Reading and writing files safely: clear errors, no tracebacks, no lost data.

All I/O of the CLI goes through here. Errors are :class:`InputError` with a
message that names the file (and the byte offset for decoding errors); the
CLI prints it and exits non-zero.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Bytes read to decide whether a file is binary.
BINARY_SNIFF_BYTES = 8192


class InputError(Exception):
    """A problem with an input or output file, already phrased for the user."""


@dataclass(frozen=True)
class TextInput:
    name: str  # path as given, or "<stdin>"
    text: str
    encoding: str


def sniff_encoding(head: bytes, name: str) -> str:
    """The codec of a file from its first bytes: UTF-8, or UTF-16/32 when a BOM says so
    (``utf-8-sig`` for a UTF-8 BOM); a NUL byte in a UTF-8 file means a binary file."""
    if head.startswith(codecs.BOM_UTF32_LE) or head.startswith(codecs.BOM_UTF32_BE):
        return "utf-32"
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    nul = head.find(b"\x00", 0, BINARY_SNIFF_BYTES)
    if nul >= 0:
        raise InputError(f"{name}: looks like a binary file (NUL byte at offset {nul}); mtrepair reads UTF-8 text")
    return "utf-8"


def undecodable(name: str, encoding: str, offset: int, byte: int) -> InputError:
    """The error for a byte that ``encoding`` cannot decode, at ``offset`` from the start of the file."""
    return InputError(f"{name}: invalid {encoding.upper()} at byte offset {offset} "
                      f"(byte 0x{byte:02x}); use --encoding-errors replace to go on")


def decode_bytes(data: bytes, name: str, encoding_errors: str = "strict") -> TextInput:
    """Decode file bytes as UTF-8 (UTF-16/32 when a BOM says so)."""
    encoding = sniff_encoding(data, name)
    # utf-8-sig decodes the bytes after the BOM: its error offsets start there, not at byte 0.
    skipped = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
    try:
        text = data.decode(encoding, errors=encoding_errors)
    except UnicodeDecodeError as exc:
        at = exc.start + skipped
        raise undecodable(name, exc.encoding, at, data[at]) from None
    return TextInput(name, text, encoding)


def read_text(path: str, encoding_errors: str = "strict", allow_empty: bool = False) -> TextInput:
    """Read one input ("-" is standard input) with clear errors."""
    if path == "-":
        name = "<stdin>"
        if sys.stdin is None:  # started with standard input closed (a daemon, cron, `<&-`)
            raise InputError(f"{name}: cannot read: standard input is closed")
        data = sys.stdin.buffer.read()
    else:
        p = Path(path)
        name = path
        if not p.exists():
            raise InputError(f"{name}: no such file")
        if p.is_dir():
            raise InputError(f"{name}: is a directory (give files, or use a command that takes folders)")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    from .compression import decompress_bytes  # gzip/bz2/xz/zstd data (magic bytes) is read decompressed

    try:
        data = decompress_bytes(data, name)
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc}") from None
    decoded = decode_bytes(data, name, encoding_errors)
    if not allow_empty and is_blank(decoded.text):
        raise empty_input(name)
    return decoded


def is_blank(text: str) -> bool:
    """Nothing to repair: no character but whitespace (Unicode's, no-break spaces included) once
    decoded, a byte order mark being no character. The one test of emptiness of every path, whole
    or block-wise, so that the same file is refused (or repaired) the same way whichever reads it."""
    return not text.strip()


def empty_input(name: str) -> InputError:
    """The error for an input that :func:`is_blank`."""
    return InputError(f"{name}: empty input, nothing to repair")


#: What to say when standard input, read as plain text by default, holds JSON records instead.
STDIN_LOOKS_LIKE_JSONL = ("standard input looks like JSONL (its first line is a JSON object), which plain-text "
                          "repair would break: give --input-format jsonl (--text-field names the text field), "
                          "or --input-format text to repair it as plain text")


#: How much of a byte string :func:`looks_like_jsonl` decodes to find its first line.
_SNIFF_BYTES = 1_000_000


def looks_like_jsonl(text: str | bytes) -> bool:
    """Is the first non-blank line of ``text`` a JSON object? (Plain prose never is.)"""
    if isinstance(text, bytes):
        text = text[:_SNIFF_BYTES].decode("utf-8", "replace")
    for line in text.lstrip("\ufeff").splitlines():
        line = line.strip()
        if not line:
            continue
        if not (line.startswith("{") and line.endswith("}")):
            return False
        try:
            return isinstance(json.loads(line), dict)
        except ValueError:
            return False
    return False


def same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def write_text_atomic(path: str, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`write_bytes_atomic`).

    A crash or Ctrl-C leaves either the old file or the new one, never half of one.
    """
    write_bytes_atomic(path, text.encode("utf-8"))


#: Suffix of the backup ``--in-place`` keeps next to each rewritten file.
DEFAULT_BACKUP_SUFFIX = ".bak"


def write_bytes_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (see write_text_atomic).

    The temporary file lives in the target's folder, so the rename is atomic; it is removed if
    anything (an error, Ctrl-C) interrupts the write. An existing target keeps its permissions.
    """
    out = AtomicOutput(path)
    out.write(data)
    out.commit()


class AtomicOutput:
    """A file written piece by piece under a temporary name in the target's folder and renamed
    over the target by :meth:`commit`: readers see the old file or the complete new one.

    Any failure (an error, Ctrl-C) in :meth:`write` or :meth:`commit` removes the temporary
    file and leaves the target as it was; call :meth:`discard` when giving up in between.
    OS errors become :class:`InputError` naming the target.
    """

    def __init__(self, path: str):
        self.path = path
        target = Path(path)
        directory = target.parent if str(target.parent) else Path(".")
        if not directory.is_dir():
            raise InputError(f"{path}: cannot write: folder {directory} does not exist")
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
        except OSError as exc:
            raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        self.fh = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        try:
            self.fh.write(data)
        except BaseException as exc:
            self._fail(exc)

    def write_text(self, text: str) -> None:
        self.write(text.encode("utf-8"))

    def commit(self) -> None:
        target = Path(self.path)
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            try:
                os.chmod(self.tmp, target.stat().st_mode & 0o7777 if target.exists() else new_file_mode())
            except OSError:
                pass
            os.replace(self.tmp, target)
        except BaseException as exc:
            self._fail(exc)

    def discard(self) -> None:
        try:
            self.fh.close()
        except OSError:
            pass
        try:
            os.unlink(self.tmp)
        except OSError:
            pass

    def _fail(self, exc: BaseException):
        self.discard()
        if isinstance(exc, OSError):
            raise InputError(f"{self.path}: cannot write: {exc.strerror or exc}") from None
        raise exc


def new_file_mode() -> int:
    """The mode ``open(path, "w")`` gives a new file: 0666 less the umask. A temporary file from
    ``mkstemp`` is 0600, and an atomic write must not leave a new output readable by its owner only."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def encode_like(text: str, encoding: str) -> bytes:
    """Encode ``text`` the way its input was encoded (UTF-8, UTF-8 with BOM, UTF-16/32 with BOM)."""
    if encoding in ("utf-8-sig", "utf-16", "utf-32"):
        return text.encode(encoding)  # these codecs write the BOM back
    return text.encode("utf-8")


def rewrite_in_place(path: str, text: str, encoding: str, backup_suffix: str | None) -> str | None:
    """Replace the file at ``path`` with ``text`` (in its original encoding), atomically.

    With ``backup_suffix`` the file's current bytes are first copied, atomically too, to
    ``path + backup_suffix``; the backup path is returned. Symbolic links are followed. A crash or Ctrl-C at any point leaves
    the original file, or the original and a complete backup, or the new file and a complete
    backup: never a half-written file.
    """
    data = encode_like(text, encoding)
    path = os.path.realpath(path)  # a symlink stays a symlink: rewrite the file it points to
    backup = None
    if backup_suffix:
        backup = path + backup_suffix
        try:
            original = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read for backup: {exc.strerror or exc}") from None
        write_bytes_atomic(backup, original)
    write_bytes_atomic(path, data)
    return backup
