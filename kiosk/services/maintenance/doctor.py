"""``kiosk doctor``: check the terminal end to end and say how to fix what is broken.

Checks, in order (each yields one :class:`Check`; none raises):

``config``     the configuration loaded (the CLI reports a ConfigError before this) and the site
               file in use; ``maintenance_pin`` the technician PIN is set (demo mode: default PIN);
``font``       a Simplified-Chinese font is found (``display.font_path`` or fontconfig);
``display``    an X/Wayland display to draw on (``$DISPLAY``, ``$WAYLAND_DISPLAY`` or the X
               socket ``/tmp/.X11-unix/X0`` of the kiosk session);
``card_reader`` the port opens and the SAM answers 11 FF with 0x90 (GA 467);
``printer``    DLE EOT 1/2/4 real-time status: online, paper, cover (ESC/POS);
``platform``   a signed heartbeat (``POST /v1/devices/heartbeat``, HMAC-SHA256) is accepted;
``clock``      the local clock is within :data:`MAX_CLOCK_SKEW_S` of the platform (``GET /ping``);
``disk``       at least :data:`MIN_FREE_MB` MiB free in the data folder.

Every failing check carries ``fix``: what to do, in Chinese first, then English.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, UTC
from pathlib import Path
from typing import Any
from collections.abc import Callable

from kiosk import __version__
from kiosk.paths import data_dir
from kiosk.settings import Settings

MIN_FREE_MB = 500
#: Seconds of clock difference tolerated; the platform refuses signatures beyond 300 s.
MAX_CLOCK_SKEW_S = 60.0


@dataclass(frozen=True)
class Check:
    """One line of the report: ``name``, ``ok``, ``detail`` (what was found), ``fix`` ("" if ok)."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def as_json(self) -> dict[str, Any]:
        """``{"ok": bool, "checks": [{"name", "ok", "detail", "fix"}]}``."""
        return {"ok": self.ok, "checks": [asdict(c) for c in self.checks]}

    def lines(self) -> list[str]:
        """One line per check: ``[ OK ] name: detail`` or ``[FAIL] name: detail → fix``."""
        out = []
        for c in self.checks:
            mark = "[ OK ]" if c.ok else "[FAIL]"
            out.append(f"{mark} {c.name}: {c.detail}" + (f" → {c.fix}" if c.fix else ""))
        return out


def demo_mode(settings: Settings) -> bool:
    """Demo terminal: simulated card reader *and* embedded sandbox platform. Only then does the
    default PIN 2468 open maintenance mode when ``maintenance.pin_hash`` is empty."""
    return settings.card_reader.port == "simulator" and settings.platform.base_url == "embedded"


def check_config(settings: Settings) -> list[Check]:
    from kiosk.services.maintenance.pin import PinFormatError, verify_pin

    checks = [Check("config", True, f"配置有效 valid; site file {settings.site_file or '-'}")]
    pin_hash = settings.maintenance.pin_hash
    if not pin_hash:
        if demo_mode(settings):
            checks.append(Check("maintenance_pin", True,
                                "演示模式使用默认 PIN 2468 demo mode: default PIN 2468"))
        else:
            checks.append(Check("maintenance_pin", False, "未设置维护 PIN no maintenance PIN set",
                                "运行 run `kiosk maintenance set-pin`"))
        return checks
    try:
        verify_pin("0000", pin_hash)
    except PinFormatError:
        checks.append(Check("maintenance_pin", False, "maintenance.pin_hash 格式错误 malformed",
                            "重新设置 reset it: `kiosk maintenance set-pin`"))
    else:
        checks.append(Check("maintenance_pin", True, "已设置 set (scrypt)"))
    return checks


def check_font(settings: Settings) -> Check:
    from kiosk.services.cjk_font import FontNotFound, resolve_cjk_font

    try:
        font = resolve_cjk_font(settings.display.font_path, data_dir(settings) / "fonts")
    except FontNotFound as exc:
        return Check("font", False, "未找到简体中文字体 no Simplified-Chinese font",
                     f"安装字体 install: apt-get install fonts-noto-cjk, 或设置 or set "
                     f"display.font_path ({exc.hint})")
    return Check("font", True, f"{font.family} ({font.source})")


def check_display(environ: dict[str, str] | None = None,
                  x_socket_dir: Path = Path("/tmp/.X11-unix")) -> Check:
    env = os.environ if environ is None else environ
    if env.get("WAYLAND_DISPLAY"):
        return Check("display", True, f"Wayland {env['WAYLAND_DISPLAY']}")
    name = env.get("DISPLAY", "")
    if name:
        number = name.split(":")[-1].split(".")[0]
        if not name.startswith(":") or (x_socket_dir / f"X{number}").exists():
            return Check("display", True, f"X display {name}")
        return Check("display", False, f"DISPLAY={name} 但 X 服务器未运行 but no X server",
                     "启动 start the kiosk session: systemctl start kiosk")
    if (x_socket_dir / "X0").exists():
        return Check("display", True, "X display :0 运行中 running (DISPLAY not set in this shell)")
    return Check("display", False, "没有图形显示 no X/Wayland display",
                 "启动 start: systemctl start kiosk（或 or export DISPLAY=:0）")


def check_card_reader(settings: Settings,
                      open_reader: Callable[[Any], Any] | None = None) -> Check:
    from kiosk.devices.idcard.errors import CardReaderError
    from kiosk.settings import ConfigError

    if open_reader is None:
        from kiosk.devices.idcard.factory import open_reader
    port = settings.card_reader.port
    try:
        reader = open_reader(settings.card_reader)
    except ConfigError as exc:
        return Check("card_reader", False, f"{port}: {exc.reason}", "检查 check card_reader.demo_card")
    try:
        info = reader.sam_status()
    except CardReaderError as exc:
        return Check("card_reader", False, f"{port}: 无法打开或无应答 no answer ({exc})",
                     "检查读卡器 USB 线与 card_reader.port；`kiosk card ports` 列出串口 "
                     "check the USB cable and card_reader.port; `kiosk card ports` lists ports")
    finally:
        reader.close()
    if not info.ok:
        return Check("card_reader", False, f"{port}: SAM {info.status:#04x} {info.description}",
                     "SAM 自检失败：重新插拔读卡器，仍失败请更换 SAM self-test failed: replug, "
                     "replace the reader if it persists")
    return Check("card_reader", True, f"{port}: SAM OK, SAM ID {info.sam_id}")


PRINTER_FIXES = {
    "paper_end": "更换打印纸卷 load a new paper roll",
    "cover_open": "合上打印机盖 close the printer cover",
    "offline": "检查打印机电源与故障灯，清除卡纸 check power and error light, clear jams",
    "unknown": "检查打印机电源、数据线和 [printer] connector 设置 check power, cable and "
               "[printer] connector",
}


def check_printer(settings: Settings, printer: Any = None) -> Check:
    from kiosk.devices.printer.errors import PrinterError
    from kiosk.services.health import printer_state

    own = printer is None
    if own:
        from kiosk.services.slip import build_printer

        printer = build_printer(settings)
    try:
        status = printer.status()
    except PrinterError as exc:
        return Check("printer", False, f"{printer.device.name}: {exc.message_zh} ({exc})",
                     PRINTER_FIXES["unknown"])
    finally:
        if own:
            printer.close()
    key, message = printer_state(status)
    detail = f"{printer.device.name}: {message} ({status.summary()})"
    if key in PRINTER_FIXES:
        return Check("printer", False, detail, PRINTER_FIXES[key])
    return Check("printer", True, detail)


def heartbeat_payload() -> dict[str, Any]:
    """A minimal heartbeat for the signed round trip (status "degraded": a check is running)."""
    sent = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return {"status": "degraded", "sent_at": sent, "versions": {"kiosk": __version__},
            "devices": {"card_reader": "stopped", "printer": "unknown"},
            "outbox_depth": 0, "outbox_dead": 0, "uptime_s": 0}


def check_platform(settings: Settings, client: Any = None) -> list[Check]:
    """``platform`` then ``clock``. With ``base_url = "embedded"`` a throw-away sandbox is
    started in a temporary folder (the running kiosk's sandbox is not touched)."""
    from kiosk.platform.errors import PlatformAuthError, PlatformError

    stoppers: list[Callable[[], None]] = []
    try:
        if client is None:
            client = _build_client(settings, stoppers)
        target = client.base_url
        try:
            client.heartbeat(heartbeat_payload())
            platform = Check("platform", True, f"{target}: 签名心跳已接受 signed heartbeat accepted")
        except PlatformAuthError as exc:
            platform = Check("platform", False, f"{target}: 拒绝设备凭据 credentials refused "
                             f"({exc.code})", "核对终端编号与设备密钥，并校准时钟 check "
                             "station.terminal_id, the device secret and the clock")
        except PlatformError as exc:
            platform = Check("platform", False, f"{target}: 无法连接 unreachable ({exc})",
                             "检查网络与 platform.base_url check the network and "
                             "platform.base_url")
        try:
            skew = client.ping()
        except PlatformError:
            return [platform, Check("clock", True, "未能与平台对时（平台不可达） not compared: "
                                    f"platform unreachable; local {time.strftime('%Y-%m-%d %H:%M:%S')}")]
        if abs(skew) > MAX_CLOCK_SKEW_S:
            return [platform, Check("clock", False, f"本机时钟偏差 local clock off by {skew:+.0f} s",
                                    "启用网络对时 enable NTP: timedatectl set-ntp true")]
        return [platform, Check("clock", True, f"偏差 skew {skew:+.1f} s")]
    except PlatformError as exc:  # the client could not be built (secret file)
        return [Check("platform", False, str(exc), "放置设备密钥文件 install the device secret "
                      "(platform.secret_file)"), Check("clock", True, "未检查 not checked")]
    finally:
        for stop in reversed(stoppers):
            stop()


def _build_client(settings: Settings, stoppers: list[Callable[[], None]]) -> Any:
    from kiosk.platform.client import build_client

    base_url = None
    if settings.platform.base_url == "embedded":
        from kiosk.platform.sandbox.embedded import start_embedded_sandbox

        folder = tempfile.TemporaryDirectory(prefix="kiosk-doctor-")
        stoppers.append(folder.cleanup)
        sandbox = start_embedded_sandbox(settings, Path(folder.name) / "sandbox.db")
        stoppers.append(sandbox.stop)
        base_url = sandbox.base_url
    client = build_client(settings, base_url)
    stoppers.append(client.close)
    return client


def check_disk(settings: Settings, folder: Path | None = None) -> Check:
    folder = folder or data_dir(settings)
    free_mb = shutil.disk_usage(folder).free // 2**20
    if free_mb < MIN_FREE_MB:
        return Check("disk", False, f"{folder}: 仅剩 only {free_mb} MiB free",
                     f"清理磁盘至少留出 free at least {MIN_FREE_MB} MiB (journalctl --vacuum-size, "
                     "old slips)")
    return Check("disk", True, f"{folder}: {free_mb} MiB free")


def run_doctor(settings: Settings, *, open_reader: Callable[[Any], Any] | None = None,
               printer: Any = None, client: Any = None,
               environ: dict[str, str] | None = None) -> DoctorReport:
    """All checks in order. The keyword arguments replace the configured devices (tests)."""
    report = DoctorReport()
    report.checks += check_config(settings)
    report.checks.append(check_font(settings))
    report.checks.append(check_display(environ))
    report.checks.append(check_card_reader(settings, open_reader))
    report.checks.append(check_printer(settings, printer))
    report.checks += check_platform(settings, client)
    report.checks.append(check_disk(settings))
    return report
