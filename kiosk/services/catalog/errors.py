"""Errors of the vacancy catalog: :class:`CatalogError` is the root."""

from __future__ import annotations


class CatalogError(Exception):
    """The vacancy catalog could not do what was asked."""


class CatalogImportError(CatalogError):
    """A CSV file could not be imported: ``path``, 1-based ``line`` (0 = whole file), ``reason``."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line else path
        super().__init__(f"cannot import {where}: {reason}")


class CatalogDatabaseError(CatalogError):
    """The SQLite database is unusable (corrupt, locked, not a catalog): ``path``, ``reason``."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"vacancy catalog {path}: {reason}")
