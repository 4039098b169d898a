"""What the maintenance screen shows and does, against the running :class:`Services` bundle.

Every method blocks (serial port, printer, HTTP, SQLite): screens call them through
``run_in_background``. Nothing returned holds personal data: a test read gives the masked name
and ID number only, and log lines pass through the same masking as the log filter.

Errors: ``CardReaderError``, ``PrinterError``, ``PlatformError``, ``OutboxError``,
``ConfigError`` and ``SiteFileError`` propagate from the layer that raised them; each result
object carries a Chinese ``message_zh`` for the screen.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable, Mapping

from kiosk.devices.printer.status import PrinterStatus
from kiosk.domain.china_time import format_china, format_china_iso
from kiosk.paths import log_dir
from kiosk.services.health import HealthReport
from kiosk.services.maintenance.site_file import SITE_OPTIONS, apply_site_changes
from kiosk.services.slip.encode import encode_slip
from kiosk.services.slip.layout import SlipLayout, SlipLine, SlipQr

logger = logging.getLogger(__name__)

#: DLE ENQ 2: recover from a recoverable error (e.g. cutter jam cleared) and clear the receive
#: and print buffers (Epson TM-H5000; ``escpos-printing.md`` §3.1).
RECOVER_CLEAR_BUFFERS = b"\x10\x05\x02"
TEST_READ_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class ReaderInfo:
    port: str
    state: str                  # ReaderState value
    sam: str                    # "0x90 操作成功 …" or the error
    sam_id: str | None
    last_read_at: float | None  # epoch seconds of the last card read by the kiosk


@dataclass(frozen=True)
class ScannerInfo:
    """The optional QR scanner (issue 20) as the maintenance screen shows it.

    ``presence`` is ``present`` (state ``ready``), ``absent`` (none configured: the kiosk works
    without one) or ``fault`` (configured but ``disconnected``, ``connecting`` or ``stopped``).
    """

    presence: str               # present | absent | fault
    state: str                  # ScannerState value
    mode: str                   # ScannerMode value: serial | keyboard | none
    description: str            # the driver's one line, e.g. "serial simulator 9600 Bd, suffix CR"

    def message_zh(self) -> str:
        """One line, Chinese then English, for the screen."""
        return {"present": "已连接，工作正常 connected",
                "absent": "未配置扫码器 none configured",
                "fault": "已配置但无法连接 configured but not connected"}[self.presence]


def scanner_info(scanner: Any) -> ScannerInfo:
    """:class:`ScannerInfo` of a kiosk.devices.scanner port (None: no scanner built)."""
    from kiosk.services.health import scanner_state

    if scanner is None:
        return ScannerInfo("absent", "absent", "none", "no scanner")
    state = scanner_state(scanner)
    mode = str(getattr(scanner.mode, "value", scanner.mode))
    presence = {"absent": "absent", "ready": "present"}.get(state, "fault")
    return ScannerInfo(presence, state, mode, scanner.describe())


@dataclass(frozen=True)
class PlatformInfo:
    base_url: str
    reachable: bool | None
    last_success_at: float | None
    catalog_synced_at: str | None   # "2026-12-01 16:11" China time, None if never synced
    clock_skew_s: float | None      # server minus local, None when the ping failed
    last_heartbeat_at: float | None
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class MaintenanceSnapshot:
    """Everything the status part of the maintenance screen shows (times in epoch seconds)."""

    reader: ReaderInfo | None
    printer_status: PrinterStatus | None
    printer_name: str
    printer_profile: str            # "80 mm · 48 列"
    last_print_job: str             # "slip-20260314-101500-0003.bin 2026-03-14 10:15" or "-"
    platform: PlatformInfo | None
    outbox: Any                     # OutboxStatus or None
    dead_items: tuple[Any, ...]     # OutboxItem (no payload)
    health: HealthReport
    scanner: ScannerInfo = ScannerInfo("absent", "absent", "none", "no scanner")
    taken_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class CardTestResult:
    ok: bool
    message_zh: str
    masked_name: str = ""
    masked_id_number: str = ""
    card_type: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class PrinterActionResult:
    ok: bool
    message_zh: str
    status: PrinterStatus | None = None
    bytes_sent: int = 0


@dataclass(frozen=True)
class SettingsChange:
    applied: tuple[str, ...]
    restart_needed: tuple[str, ...]
    message_zh: str


class MaintenanceService:
    """Args:
        services: the running :class:`kiosk.bootstrap.Services` bundle.
    """

    def __init__(self, services: Any, clock: Callable[[], float] = time.time) -> None:
        self.services = services
        self.clock = clock  # epoch seconds; every time shown is China time (format_china)
        self.last_test_print: str = "-"

    # ---- status ---------------------------------------------------------------------------
    def snapshot(self) -> MaintenanceSnapshot:
        """Ask every device and the platform once (blocking, a few seconds at most)."""
        s = self.services
        printer_name, profile = "-", "-"
        if s.printer is not None:
            s.refresh_printer_status()
            printer_name = s.printer.device.name
            p = s.printer.profile
            profile = f"{p.paper_mm} mm · {p.columns} 列"
        outbox = s.outbox.status() if s.outbox is not None else None
        dead = tuple(s.outbox.dead_letters()) if s.outbox is not None else ()
        return MaintenanceSnapshot(
            reader=self._reader_info(), printer_status=s.printer_status,
            printer_name=printer_name, printer_profile=profile,
            last_print_job=self._last_job(), platform=self._platform_info(outbox),
            outbox=outbox, dead_items=dead, health=s.health(),
            scanner=scanner_info(getattr(s, "scanner", None)))

    def _reader_info(self) -> ReaderInfo | None:
        from kiosk.devices.idcard.errors import CardReaderError

        card = self.services.card
        if card is None or card.reader is None:
            return None
        reader = card.reader
        port = self.services.settings.card_reader.port
        if reader.simulator is not None:
            port = f"simulator ({reader.simulator.port})"
        try:
            info = reader.sam_status()
            sam, sam_id = f"{info.status:#04x} {info.description}", info.sam_id
        except CardReaderError as exc:
            sam, sam_id = f"无应答 no answer: {type(exc).__name__}", None
        return ReaderInfo(port, card.last_state, sam, sam_id, card.last_read_at)

    def _platform_info(self, outbox: Any) -> PlatformInfo | None:
        from kiosk.platform.errors import PlatformError

        s = self.services
        client = s.client  # read once: a start-up retry may replace or clear it meanwhile
        if client is None:
            return None
        try:
            skew: float | None = client.ping()
        except PlatformError:
            skew = None
        heartbeat = s.heartbeat
        return PlatformInfo(
            base_url=client.base_url,
            reachable=outbox.platform_reachable if outbox is not None else None,
            last_success_at=outbox.last_success_at if outbox is not None else None,
            catalog_synced_at=(format_china_iso(s.catalog.last_synced_at(), empty="")
                               or None) if s.catalog is not None else None,
            clock_skew_s=skew,
            last_heartbeat_at=heartbeat.last_reply_at if heartbeat is not None else None,
            notices=tuple(s.notices))

    def _last_job(self) -> str:
        connector = self.services.printer.connector if self.services.printer else None
        outputs = getattr(connector, "last_outputs", ())
        if outputs:
            path = outputs[0]
            try:
                stamp = format_china(path.stat().st_mtime)
            except OSError:
                stamp = ""
            return f"{path.name} {stamp}".strip()
        return self.last_test_print

    # ---- card reader ----------------------------------------------------------------------
    def test_card_read(self, timeout_s: float = TEST_READ_TIMEOUT_S) -> CardTestResult:
        """Stop polling, wait up to ``timeout_s`` s for a card, read it once, resume polling.

        The card is not reported to the journey (no session starts); only masked data returns.
        """
        from kiosk.devices.idcard.errors import CardReaderError, ReaderTimeout
        from kiosk.services.card_events import PROBLEM_MESSAGES, classify_error

        reader = self.services.card.reader
        started = time.monotonic()
        reader.stop()
        try:
            card = reader.read_once(timeout_s)
        except ReaderTimeout:
            return CardTestResult(False, f"{timeout_s:.0f} 秒内未检测到身份证，请放好后重试")
        except CardReaderError as exc:
            logger.warning("maintenance test read failed: %s", type(exc).__name__)
            return CardTestResult(False, PROBLEM_MESSAGES[classify_error(exc)])
        finally:
            reader.stop()      # closes the port the one-shot read opened
            reader.start()
        seconds = time.monotonic() - started
        logger.info("maintenance test read ok in %.2f s", seconds)
        return CardTestResult(True, "读卡正常", card.masked_name, card.masked_id_number,
                              card.card_type.value, seconds)

    # ---- printer --------------------------------------------------------------------------
    def test_page(self) -> bytes:
        """The ESC/POS bytes of a test page for the configured paper profile: title, station,
        time, terminal, a column ruler, a Chinese line and a QR code (GB18030, ``encode_slip``)."""
        s = self.services
        profile = s.printer.profile
        ruler = "".join(str(i % 10) for i in range(1, profile.columns + 1))
        lines = (
            SlipLine("打印测试 PRINT TEST", "center", True, 2, 2),
            SlipLine(s.settings.station.name, "center", True),
            SlipLine(format_china(self.clock()), "center"),
            SlipLine(f"终端 {s.settings.station.terminal_id}", "center"),
            SlipLine(f"纸宽 {profile.paper_mm} mm  {profile.columns} 列"),
            SlipLine(ruler),
            SlipLine("中文打印正常：就业驿站欢迎您"),
        )
        layout = SlipLayout(lines + (SlipQr(f"KIOSK-TEST {s.settings.station.terminal_id}"),),
                            profile.columns)
        return encode_slip(layout, profile)

    def test_print(self) -> PrinterActionResult:
        """Print :meth:`test_page`. Raises nothing: refusals come back as ``ok=False``."""
        from kiosk.devices.printer.errors import PrinterError

        try:
            report = self.services.printer.print_bytes(self.test_page())
        except PrinterError as exc:
            self.services.refresh_printer_status()
            return PrinterActionResult(False, exc.message_zh, self.services.printer_status)
        self.services.printer_status = report.status
        self.last_test_print = f"test page {format_china(self.clock())}"
        message = "测试页已打印" + ("；" + "；".join(report.warnings_zh) if report.warnings_zh else "")
        return PrinterActionResult(True, message, report.status, report.bytes_sent)

    def resume_printer(self) -> PrinterActionResult:
        """After a paper change or a cleared jam: ask the status; on a recoverable error send
        DLE ENQ 2 and ask again. The kiosk's cached status is updated either way."""
        from kiosk.devices.printer.errors import PrinterError

        status = self.services.refresh_printer_status()
        if not status.unknown and status.error and not status.unrecoverable_error:
            try:
                conn = self.services.printer.device.connector.open()
                try:
                    conn.write(RECOVER_CLEAR_BUFFERS)
                finally:
                    conn.close()
            except PrinterError as exc:
                return PrinterActionResult(False, exc.message_zh, status)
            status = self.services.refresh_printer_status()
        if status.ready:
            return PrinterActionResult(True, "打印机已恢复，可以打印", status)
        return PrinterActionResult(False, status.message_zh(), status)

    # ---- platform -------------------------------------------------------------------------
    def sync_now(self) -> str:
        """Catalog delta sync, outbox send now, one heartbeat. Returns a Chinese summary.

        Raises:
            PlatformError: the platform did not answer (the screen shows it and offers retry).
        """
        s = self.services
        parts = []
        if s.worker is not None:
            s.worker.kick()
        if s.catalog is not None and s.client is not None:
            report = s.sync_catalog()
            parts.append("岗位无变化" if report.not_modified else
                         f"岗位更新 {report.upserted} 条，下架 {report.deleted} 条")
        if s.heartbeat is not None:
            applied = s.heartbeat.beat()
            parts.append("心跳已发送" + (f"，平台修改了 {', '.join(applied)}" if applied else ""))
        return "；".join(parts) or "未配置平台"

    # ---- outbox ---------------------------------------------------------------------------
    def retry_item(self, item_id: int) -> None:
        """Raises UnknownItem, InvalidTransition."""
        self.services.outbox.retry(item_id)
        if self.services.worker is not None:
            self.services.worker.kick()

    def discard_item(self, item_id: int) -> None:
        """Raises UnknownItem, InvalidTransition."""
        self.services.outbox.discard(item_id)

    # ---- logs -----------------------------------------------------------------------------
    def recent_logs(self, count: int = 200) -> list[str]:
        """The last ``count`` lines of ``<data_dir>/logs/kiosk.log``, masked again (ID numbers,
        phones, names still registered by a session) in case a line escaped the filter."""
        from kiosk.logging_setup import PERSONAL_DATA_FILTER

        path = log_dir(self.services.settings) / "kiosk.log"
        try:
            with path.open(encoding="utf-8", errors="replace") as fh:
                tail = deque(fh, maxlen=count)
        except FileNotFoundError:
            return []
        return [PERSONAL_DATA_FILTER.mask(line.rstrip("\n")) for line in tail]

    # ---- settings -------------------------------------------------------------------------
    def change_settings(self, changes: Mapping[str, Any]) -> SettingsChange:
        """Validate, persist to the site file and apply technician changes.

        Only :data:`SITE_OPTIONS` may be changed here.

        Raises:
            ConfigError: not a technician option, or an invalid value (``reason`` says why).
            SiteFileError: the site file cannot be written.
        """
        from kiosk.settings import ConfigError

        for option in changes:
            if option not in SITE_OPTIONS:
                raise ConfigError(option, "not changeable on the maintenance screen", "<runtime>")
        current = self.services.settings
        changed = {o: v for o, v in changes.items() if _current(current, o) != v}
        if not changed:
            return SettingsChange((), (), "没有修改")
        new = apply_site_changes(current, changed)
        self.services.apply_settings(new, sorted(changed))
        restart = tuple(sorted(o for o in changed if SITE_OPTIONS[o]))
        message = "已保存" + ("，重启应用后生效：" + "、".join(restart) if restart else "")
        return SettingsChange(tuple(sorted(changed)), restart, message)


def _current(settings: Any, option: str) -> Any:
    section, _, key = option.partition(".")
    return getattr(getattr(settings, section), key)


def serial_ports() -> list[str]:
    """``"/dev/ttyUSB0  10c4:ea60  CP2102 USB to UART"`` per serial port (pyserial list_ports)."""
    from serial.tools import list_ports

    rows = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        vid_pid = f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None else "-"
        rows.append(f"{port.device}  {vid_pid}  {port.description}")
    return rows


def format_time(epoch: float | None) -> str:
    """``"2026-03-14 10:15"`` in China Standard Time (whatever the machine's zone) or ``"-"``."""
    return format_china(epoch)
