"""Errors of the reference-model package."""

from __future__ import annotations


class ModelError(RuntimeError):
    """A reference model cannot be used."""


class ModelNotFoundError(ModelError):
    """The requested model does not exist here; the message says how to provide it."""
