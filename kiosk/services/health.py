"""The terminal's health at a glance: for the home screen's small print, the maintenance
screen, the heartbeat and ``kiosk doctor``. Reads cached states only (never blocks on I/O).

The QR scanner is optional hardware (issue 20): ``absent`` (none configured) is healthy; a
configured scanner that is ``disconnected`` makes the terminal ``degraded``, never ``error``
(people can still lay the card)."""

from __future__ import annotations

import resource
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.domain.i18n_marker import N_


#: Scanner states that mean a configured scanner does not work (ScannerState values).
SCANNER_FAULTS = frozenset({"disconnected"})


def scanner_state(scanner: Any) -> str:
    """The ScannerState value of ``scanner`` (a kiosk.devices.scanner port), ``absent`` for None."""
    if scanner is None:
        return "absent"
    state = scanner.state() if callable(getattr(scanner, "state", None)) else scanner.state
    return str(getattr(state, "value", state))


@dataclass(frozen=True)
class HealthReport:
    card_reader: str            # ReaderState value: ready, card_present, disconnected, …
    printer: str                # ok | near_end | paper_end | cover_open | offline | unknown
    printer_message: str
    platform_reachable: bool | None
    outbox_pending: int
    outbox_dead: int
    last_success_at: float | None
    catalog_synced_at: str | None
    disk_free_mb: int
    rss_mb: int
    scanner: str = "absent"     # ScannerState value: ready, disconnected, absent, stopped, …

    @property
    def overall(self) -> str:
        """``ok`` / ``degraded`` / ``error`` for the heartbeat."""
        if self.card_reader in ("disconnected", "sam_fault") or self.printer in (
                "paper_end", "cover_open", "offline"):
            return "error"
        if self.platform_reachable is False or self.outbox_dead or self.printer in (
                "near_end", "unknown") or self.disk_free_mb < 500 or self.scanner in SCANNER_FAULTS:
            return "degraded"
        return "ok"

    def home_parts(self) -> list[tuple[str, tuple[int, ...]]]:
        """The home screen's status line as ``(message id, arguments)`` pieces (network,
        reader, printer, pending items), for the screen to show in the session's language."""
        net = {True: N_("网络正常"), False: N_("网络中断（离线服务）"),
               None: N_("网络检测中")}[self.platform_reachable]
        printer = {"ok": N_("打印机正常"), "near_end": N_("打印纸将尽"), "paper_end": N_("打印机缺纸"),
                   "cover_open": N_("打印机盖未关"), "offline": N_("打印机故障")}.get(
            self.printer, N_("打印机状态未知"))
        # connecting (start-up, or reconnecting after the wire dropped) is not a fault: the card
        # screen too refuses only when disconnected or the SAM failed
        reader = {"ready": N_("读卡器正常"), "card_present": N_("读卡器正常"),
                  "connecting": N_("读卡器连接中"), "stopped": N_("读卡器连接中")}.get(
            self.card_reader, N_("读卡器不可用"))
        parts: list[tuple[str, tuple[int, ...]]] = [(net, ()), (reader, ()), (printer, ())]
        if self.outbox_pending:
            parts.append((N_("待提交 {}"), (self.outbox_pending,)))
        return parts

    def home_line_zh(self) -> str:
        """"网络正常 · 读卡器正常 · 打印机正常 · 待提交 2" (:meth:`home_parts` in Chinese)."""
        return " · ".join(m.format(*a) if a else m for m, a in self.home_parts())


def printer_state(status: Any) -> tuple[str, str]:
    """(state key, Chinese message) from a ``PrinterStatus`` (or None = never asked)."""
    if status is None:
        return "unknown", "打印机状态未知"
    if getattr(status, "unknown", False):
        key = "unknown"
    elif status.paper_end:
        key = "paper_end"
    elif status.cover_open:
        key = "cover_open"
    elif not status.online or status.error:
        key = "offline"
    elif status.paper_near_end:
        key = "near_end"
    else:
        key = "ok"
    return key, status.message_zh()


def collect_health(card_state: str, printer_status: Any, outbox_status: Any,
                   catalog_synced_at: str | None, data_dir: Path,
                   scanner: str = "absent") -> HealthReport:
    """``scanner`` is the scanner's state value (:func:`scanner_state`)."""
    key, message = printer_state(printer_status)
    disk = shutil.disk_usage(data_dir)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return HealthReport(
        card_reader=card_state, printer=key, printer_message=message,
        platform_reachable=outbox_status.platform_reachable if outbox_status else None,
        outbox_pending=outbox_status.pending if outbox_status else 0,
        outbox_dead=outbox_status.dead if outbox_status else 0,
        last_success_at=outbox_status.last_success_at if outbox_status else None,
        catalog_synced_at=catalog_synced_at, disk_free_mb=disk.free // 2**20,
        rss_mb=_current_rss_mb() or rss_kb // 1024, scanner=scanner)


def _current_rss_mb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0
