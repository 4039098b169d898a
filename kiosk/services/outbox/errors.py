"""Errors of the offline outbox: one root, :class:`OutboxError`; leaves carry data.

Screens map these to messages; every leaf that a jobseeker may see carries a Chinese
``user_message`` next to the technical text. No error text ever contains personal data: the
payload is never put into an exception.
"""

from __future__ import annotations

from pathlib import Path


class OutboxError(Exception):
    """Root of every error raised by :mod:`kiosk.services.outbox`."""


class StorageFull(OutboxError):
    """The disk (or the database's size limit) is full; the write was rolled back.

    The database is left as it was before the failed transaction (SQLite rolls the journal
    back); nothing half-written remains.

    Attributes:
        path: the database file.
        reason: which limit, e.g. ``"disk full"``, ``"file size limit of 262144 bytes reached"``.
        user_message: what the screen shows (Chinese).
    """

    user_message = "终端存储空间已满，本次信息未能保存。请联系驿站工作人员处理，或稍后再试。"

    def __init__(self, path: Path | str, reason: str = "disk full") -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"outbox storage full: {self.path}: {reason}; {self.user_message}")


#: The name used in the design discussion; the same class as :class:`StorageFull`.
OutboxFull = StorageFull


class StorageError(OutboxError):
    """Any other failure of the database file (I/O error, locked too long, read-only).

    Attributes:
        path: the database file.
        sqlite_error: SQLite's error name, e.g. ``"SQLITE_IOERR_WRITE"``, ``"SQLITE_BUSY"``.
    """

    user_message = "终端存储暂时不可用，本次信息未能保存。请联系驿站工作人员。"

    def __init__(self, path: Path | str, sqlite_error: str) -> None:
        self.path = Path(path)
        self.sqlite_error = sqlite_error
        super().__init__(f"outbox storage error on {self.path}: {sqlite_error}")


class OutboxCorrupt(OutboxError):
    """The database file or an item's ciphertext cannot be read back.

    Attributes:
        path: the database file.
        detail: what failed (``"integrity_check: ..."``, ``"item 12: authentication tag"``).
    """

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(f"outbox corrupt: {self.path}: {detail}")


class KeyFileError(OutboxError):
    """The per-terminal key file is unusable: wrong size, or readable by other users.

    Attributes:
        path: the key file.
        reason: what is wrong, e.g. ``"mode 0644, must be 0600"``.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"outbox key file {self.path}: {reason}")


class KeyMissing(KeyFileError):
    """There is no key file at ``path`` (raised by ``read_key``; the outbox creates a key only
    while nothing is sealed, else it raises :class:`KeyLost`)."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "missing")


class KeyLost(KeyFileError):
    """Undelivered items are sealed but the key that opens them is missing, unreadable or a
    different one: a start-up fault (never a silent new key that would kill every item).

    The fix is either restoring the key file (its fingerprint is ``expected_fingerprint``) or
    ``kiosk outbox discard --unreadable`` (the items are given up, a new key is made).

    Attributes:
        path: the key file.
        reason: what is wrong with it (``"missing"``, ``"5 bytes, must be 32"``,
            ``"fingerprint 1a2b… differs"``).
        sealed_items: how many pending/in-flight/dead items carry a sealed payload.
        expected_fingerprint: the fingerprint the database recorded ("" if none).
    """

    def __init__(self, path: Path | str, reason: str, sealed_items: int,
                 expected_fingerprint: str) -> None:
        self.sealed_items = sealed_items
        self.expected_fingerprint = expected_fingerprint
        expected = f" (fingerprint {expected_fingerprint})" if expected_fingerprint else ""
        super().__init__(path, f"{reason}; {sealed_items} undelivered item(s) cannot be read. "
                               f"恢复密钥文件 restore the key file{expected}, 或放弃这些记录 or "
                               "give them up: kiosk outbox discard --unreadable")


class InvalidPayload(OutboxError):
    """``enqueue`` got an unknown kind, a payload the platform contract refuses, or one JSON
    cannot encode.

    Attributes:
        reason: what is wrong (never the payload's values).
        fields: dotted paths of the offending fields (``["phone", "identity.id_number"]``), or
            ``[]`` when the payload as a whole is wrong.
    """

    def __init__(self, reason: str, fields: list[str] | None = None) -> None:
        self.reason = reason
        self.fields = list(fields or [])
        super().__init__(f"invalid outbox payload: {reason}")


class UnknownItem(OutboxError):
    """No outbox item has this id.

    Attributes:
        item_id: the id asked for.
    """

    def __init__(self, item_id: int) -> None:
        self.item_id = item_id
        super().__init__(f"no outbox item {item_id}")


class InvalidTransition(OutboxError):
    """The item is not in a state that allows the action (e.g. ``retry`` of a delivered item).

    Attributes:
        item_id: the item.
        state: its current state.
        action: ``"retry"`` or ``"discard"``.
    """

    def __init__(self, item_id: int, state: str, action: str) -> None:
        self.item_id = item_id
        self.state = state
        self.action = action
        super().__init__(f"cannot {action} outbox item {item_id} in state {state}")


__all__ = [
    "OutboxError", "StorageFull", "OutboxFull", "StorageError", "OutboxCorrupt", "KeyFileError",
    "KeyMissing", "KeyLost", "InvalidPayload", "UnknownItem", "InvalidTransition",
]
