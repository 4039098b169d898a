"""Errors of the code tables (one root, :class:`CodeError`; leaves carry the offending value)."""

from __future__ import annotations


class CodeError(ValueError):
    """A value is not a valid code (or name) of one of the project's code tables."""


class UnknownCodeError(CodeError):
    """``value`` is not in ``table`` (e.g. table="GB/T 2260", value="449999")."""

    def __init__(self, table: str, value: str) -> None:
        self.table = table
        self.value = value
        super().__init__(f"{value!r} is not a {table} code")
