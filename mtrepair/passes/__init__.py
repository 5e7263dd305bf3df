"""Repair passes. Each pass reads a :class:`~mtrepair.document.Document` and
returns findings with offsets into ``document.text``; it never edits text.
The :mod:`mtrepair.resolve` module alone decides what gets applied.
"""

from __future__ import annotations

from typing import Protocol

from ..document import Document
from ..types import Finding


class Pass(Protocol):
    #: Short stable name, used in explanations and ``--explain`` output.
    name: str

    def find(self, doc: Document) -> list[Finding]:
        """Return findings for ``doc`` (offsets into ``doc.text``)."""
        ...
