"""Synchronous printer operations over a connector: real-time status, then the job bytes.

Call these only from the printer worker (:mod:`kiosk.devices.printer.worker`): they block for
up to the connector's timeouts, and DLE EOT polls must never interleave with job bytes (§3.1).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.devices.printer.commands import status_request
from kiosk.devices.printer.connectors import STATUS_REPLY_TIMEOUT_MS, Connection, Connector
from kiosk.devices.printer.errors import (CoverOpen, PaperEnd, PrinterFault, PrinterNotAnswering,
                                          PrinterOffline)
from kiosk.devices.printer.status import UNKNOWN_STATUS, PrinterStatus, parse_status

log = logging.getLogger(__name__)

WRITE_CHUNK_BYTES = 512  # job bytes per write, so an abort lands between chunks


@dataclass(frozen=True)
class JobReport:
    """What a sent job produced.

    Attributes:
        bytes_sent: job length in bytes (status polls not counted).
        status: the status read before the job (``unknown`` for write-only connectors).
        seconds: wall time of the whole job (status + write), in seconds.
        outputs: files written by a preview connector (``.bin`` then ``.png``); () otherwise.
    """

    bytes_sent: int
    status: PrinterStatus
    seconds: float
    outputs: tuple[Path, ...] = ()

    @property
    def warnings_zh(self) -> tuple[str, ...]:
        """Chinese warnings to show after a successful job (near end, unknown status)."""
        if self.status.unknown:
            return ("打印机状态未知，请确认凭条已打印",)
        if self.status.paper_near_end:
            return (self.status.message_zh(),)
        return ()


def query_status(conn: Connection, timeout_ms: int = STATUS_REPLY_TIMEOUT_MS) -> PrinterStatus:
    """Send DLE EOT 1, 2, 4 one at a time (and 3 when n=2 reports an error) and parse replies.

    Write-only connections return :data:`UNKNOWN_STATUS` without sending anything.
    """
    if not conn.bidirectional:
        return UNKNOWN_STATUS
    conn.discard_input()
    replies: dict[int, bytes] = {}
    for n in (1, 2, 4):
        conn.write(status_request(n))
        replies[n] = conn.read(timeout_ms)
    if replies[2] and replies[2][-1] & 0x40:
        conn.write(status_request(3))
        replies[3] = conn.read(timeout_ms)
    return parse_status(replies)


def check_ready(status: PrinterStatus, connector: str, bidirectional: bool = True) -> None:
    """Raise the matching error when a job must not be sent.

    Raises:
        PrinterNotAnswering: no valid reply on a bidirectional link.
        PaperEnd, CoverOpen, PrinterFault, PrinterOffline: as reported.
    """
    if status.unknown:
        if bidirectional:
            raise PrinterNotAnswering("no valid reply to DLE EOT", connector, status)
        return
    if status.paper_end:
        raise PaperEnd("paper end", connector, status)
    if status.cover_open:
        raise CoverOpen("cover open", connector, status)
    if status.error:
        raise PrinterFault(f"printer error ({status.summary()})", connector, status)
    if not status.online:
        raise PrinterOffline("printer offline", connector, status)


class PrinterDevice:
    """A printer reached through ``connector``; each call opens and closes one connection."""

    def __init__(self, connector: Connector, status_timeout_ms: int = STATUS_REPLY_TIMEOUT_MS):
        self.connector = connector
        self.status_timeout_ms = status_timeout_ms

    @property
    def name(self) -> str:
        return self.connector.name

    def status(self) -> PrinterStatus:
        """Real-time status. Raises PrinterConnectionError if the link cannot be opened."""
        conn = self.connector.open()
        try:
            return query_status(conn, self.status_timeout_ms)
        finally:
            conn.close()

    def print_job(self, job: bytes) -> JobReport:
        """Check status, refuse if not ready, then write ``job`` in 512-byte chunks.

        Raises:
            PrinterConnectionError, PrinterTimeout: link failures.
            PrinterNotAnswering, PaperEnd, CoverOpen, PrinterFault, PrinterOffline: refused.
        """
        started = time.monotonic()
        conn = self.connector.open()
        try:
            status = query_status(conn, self.status_timeout_ms)
            check_ready(status, self.name, conn.bidirectional)
            for i in range(0, len(job), WRITE_CHUNK_BYTES):
                conn.write(job[i:i + WRITE_CHUNK_BYTES])
        finally:
            conn.close()
        report = JobReport(len(job), status, time.monotonic() - started, tuple(conn.outputs))
        log.info("printer %s: job of %d bytes sent in %.2f s, status %s", self.name,
                 report.bytes_sent, report.seconds, status.summary())
        return report
