"""Referral ids made on the terminal, unique across terminals without asking the platform.

Format: ``<terminal_id>-<YYYYMMDD>-<sequence>``, e.g. ``"GD-DEMO-0001-20261130-0007"``: the
terminal id is unique in the province (``[station].terminal_id``), the date is China Standard
Time, and the sequence (1, 2, …; at least 4 digits) restarts every day and is persisted in the
outbox database in the same transaction as the referral, so ids never repeat after a restart or
a crash. Online and offline referrals use the same id, so the slip's verification URL
(:func:`verify_url`) is final at printing time and works once the platform has the referral.
"""

from __future__ import annotations

import re
import sqlite3

from kiosk.platform.signing import fill_verify_url
from kiosk.services.outbox import schema
from kiosk.services.outbox.store import Outbox

REFERRAL_ID_RE = re.compile(r"^(?P<terminal>.+)-(?P<day>\d{8})-(?P<seq>\d{4,})$")


class ReferralIdGenerator:
    """Allocates referral ids from the outbox database.

    Args:
        outbox: the terminal's :class:`Outbox` (its database holds the sequence).
        terminal_id: e.g. ``settings.station.terminal_id``; must not be empty.

    Raises:
        ValueError: an empty terminal id.
    """

    def __init__(self, outbox: Outbox, terminal_id: str) -> None:
        if not terminal_id.strip():
            raise ValueError("terminal_id must not be empty")
        self.outbox = outbox
        self.terminal_id = terminal_id.strip()

    def next_id(self, conn: sqlite3.Connection | None = None) -> str:
        """A new referral id, persisted with ``conn``'s transaction (or its own if None).

        Pass the connection of the transaction that enqueues the referral so that a rolled-back
        referral gives its number back.

        Raises:
            StorageFull, StorageError: the sequence could not be written.
        """
        day = schema.china_day(self.outbox.clock())
        if conn is not None:
            with schema.storage_errors(self.outbox.db_path):
                seq = schema.next_sequence(conn, f"referral:{self.terminal_id}", day)
        else:
            with self.outbox.transaction() as own:
                seq = schema.next_sequence(own, f"referral:{self.terminal_id}", day)
        return f"{self.terminal_id}-{day}-{seq:04d}"


def verify_url(template: str, referral_id: str, secret: bytes = b"") -> str:
    """The employer's verification URL: ``template`` from ``GET /v1/station``
    (``verify_url_template``) with ``{referral_id}`` (URL-quoted) and ``{verify_token}`` (the
    unguessable token made from the device ``secret``) filled in; see
    :func:`kiosk.platform.signing.fill_verify_url`.

    Raises:
        ValueError: the template has no ``{referral_id}`` placeholder, or needs a secret.
    """
    return fill_verify_url(template, referral_id, secret)


__all__ = ["ReferralIdGenerator", "verify_url", "REFERRAL_ID_RE"]
