"""The French glossary engine: rule files -> one automaton -> agreed replacements.

Public API (a contract with the rest of mtrepair):

* :func:`load_glossary` (cached per config and file state) -> :class:`Glossary`
* :meth:`Glossary.match` -> list of :class:`GlossaryMatch`
* :class:`GlossaryPass` (name ``"glossary"``) -> findings
* :class:`Entry`, :class:`GlossaryError` (``str`` is ``file:line: reason``)
"""

from .engine import scope_span
from .glossary import Glossary, build_glossary, load_glossary, load_paths, shipped_files
from .glossary_pass import GlossaryPass, to_finding
from .model import Context, Entry, GlossaryError, GlossaryMatch

__all__ = [
    "Context",
    "Entry",
    "Glossary",
    "GlossaryError",
    "GlossaryMatch",
    "GlossaryPass",
    "build_glossary",
    "load_glossary",
    "load_paths",
    "scope_span",
    "shipped_files",
    "to_finding",
]
