"""Assertions shared by the tests of one pass over texts that must come out unchanged and texts
that must be repaired (the line-break tests: laid-out text, verse and commands, formats)."""

from __future__ import annotations

from mtrepair import Repairer


def assert_unchanged(repairer: Repairer, text: str) -> None:
    """``text`` comes out byte-identical, with no edit (the edits are shown on failure)."""
    result = repairer.repair(text)
    assert result.text == text, [(e.rule, e.original, e.replacement) for e in result.edits]
    assert not result.edits


def assert_joined(repairer: Repairer, text: str, expected: str) -> None:
    """``text`` comes out as ``expected`` through line joins alone, and repairing it again
    changes nothing."""
    result = repairer.repair(text)
    assert result.text == expected, [(e.rule, e.original, e.replacement) for e in result.edits]
    assert {e.rule for e in result.edits} == {"LINE-JOIN"}
    assert repairer.repair(result.text).text == result.text, "idempotent"
