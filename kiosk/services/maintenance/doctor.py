"""``kiosk doctor``: check the terminal end to end and say how to fix what is broken.

Checks, in order (each yields one :class:`Check`; none raises):

``config``     the configuration loaded (the CLI reports a ConfigError before this) and the site
               file in use; ``maintenance_pin`` the technician PIN is set (demo mode: default PIN);
``font``       a Simplified-Chinese font is found (``display.font_path`` or fontconfig);
``display``    an X/Wayland display to draw on (``$DISPLAY``, ``$WAYLAND_DISPLAY`` or the X
               socket ``/tmp/.X11-unix/X0`` of the kiosk session);
``card_reader`` the port opens and the SAM answers 11 FF with 0x90 (GA 467);
``scanner``    the optional barcode scanner (a warning, never a failure): none configured (said
               so), keyboard wedge (its keys come through the UI), or the serial port opens (a
               scanner answers nothing, so that is all there is to test);
``printer``    DLE EOT 1/2/4 real-time status: online, paper, cover (ESC/POS);
``platform``   a signed heartbeat (``POST /v1/devices/heartbeat``, HMAC-SHA256) is accepted;
``clock``      the local clock is within :data:`MAX_CLOCK_SKEW_S` of the platform (``GET /ping``);
``timezone``   the system zone is Asia/Shanghai (a warning: the kiosk shows China Standard Time
               whatever the zone, but logs and cron jobs use the system zone);
``disk``       at least :data:`MIN_FREE_MB` MiB free in the data folder;
``data_dir``   the data folder is ours and writable, not writable by others, and its secret
               files (outbox key, device secret, PIN lock-out) are 0600;
``outbox_db``  the outbox database opens, passes ``quick_check``, has a known schema version;
``outbox_key`` the outbox key is readable, 32 bytes, 0600 and the one that sealed the pending
               items (a lost key is a start-up fault, ``kiosk outbox discard --unreadable``);
``catalog``    the vacancy catalog opens, passes ``quick_check``, has a known schema version;
               its last sync is reported with its age (a warning beyond :data:`STALE_SYNC_S`);
``audio``      the voice prompts exist and an audio output is there (ALSA card, PulseAudio or
               PipeWire); needed while ``accessibility.voice`` is on.

Every failing check carries ``fix``: what to do, in Chinese first, then English. A check with
``required = False`` is a warning: shown, but ``kiosk doctor`` still exits 0. The concrete
adapters (card reader, printer, platform client) come from :class:`DoctorAdapters`, which
``kiosk.bootstrap.doctor_adapters`` builds with the same factories the kiosk starts with.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, UTC
from pathlib import Path
from typing import Any
from collections.abc import Callable

from kiosk import __version__
from kiosk.domain.china_time import format_china, format_china_iso
from kiosk.paths import data_dir
from kiosk.settings import Settings

MIN_FREE_MB = 500
#: Seconds of clock difference tolerated; the platform refuses signatures beyond 300 s.
MAX_CLOCK_SKEW_S = 60.0
#: A catalog not synced for this long (s) is reported as a warning (it still serves offline).
STALE_SYNC_S = 24 * 3600.0
#: Zone names that are China Standard Time (IANA tzdata "backward" links to Asia/Shanghai).
CHINA_ZONE_NAMES = frozenset({"Asia/Shanghai", "PRC", "Asia/Chongqing", "Asia/Chungking",
                              "Asia/Harbin"})
#: ALSA's list of sound cards (Linux); "--- no soundcards ---" when there is none.
ALSA_CARDS = Path("/proc/asound/cards")


@dataclass(frozen=True)
class Check:
    """One line of the report: ``name`` (stable), ``ok``, ``detail`` (what was found), ``fix``
    ("" if ok), ``required`` (False: a warning that does not fail the report)."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every required check passed (warnings do not count)."""
        return all(c.ok for c in self.checks if c.required)

    def as_json(self) -> dict[str, Any]:
        """``{"ok": bool, "checks": [{"name", "ok", "detail", "fix", "required"}]}``."""
        return {"ok": self.ok, "checks": [asdict(c) for c in self.checks]}

    def lines(self) -> list[str]:
        """One line per check: ``[ OK ] name: detail``, ``[FAIL] name: detail → fix`` or
        ``[WARN] …`` for a failed check that is not required."""
        out = []
        for c in self.checks:
            mark = "[ OK ]" if c.ok else "[FAIL]" if c.required else "[WARN]"
            out.append(f"{mark} {c.name}: {c.detail}" + (f" → {c.fix}" if c.fix else ""))
        return out


@dataclass(frozen=True)
class DoctorAdapters:
    """The concrete adapters the checks exercise (``kiosk.bootstrap.doctor_adapters``).

    ``open_reader(card_reader_settings)`` → a card reader (``open_scanner`` likewise for the
    optional barcode scanner); ``build_printer(settings)`` → a
    printer service; ``build_client(settings, stoppers)`` → a platform client, appending to
    ``stoppers`` what must be stopped afterwards (raises ``PlatformError``).
    """

    open_reader: Callable[[Any], Any]
    build_printer: Callable[[Settings], Any]
    build_client: Callable[[Settings, list[Callable[[], None]]], Any]
    #: ``open_scanner(scanner_settings)`` → the configured barcode scanner (``mode``, ``probe()``,
    #: ``describe()``, ``close()``); None: the scanner is reported as not checked.
    open_scanner: Callable[[Any], Any] | None = None


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


def check_card_reader(settings: Settings, open_reader: Callable[[Any], Any]) -> Check:
    from kiosk.devices.idcard.errors import CardReaderError
    from kiosk.settings import ConfigError

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


def check_scanner(settings: Settings, open_scanner: Callable[[Any], Any] | None) -> Check:
    """``scanner`` (see the module docstring): never raises, never fails the report — the
    scanner is optional hardware, so a configured one that does not open is a warning."""
    from kiosk.devices.scanner.errors import ScannerError

    if open_scanner is None:
        return Check("scanner", True, "未检查 not checked (no scanner factory)", required=False)
    scanner: Any = open_scanner(settings.scanner)
    try:
        if scanner.mode.value != "serial":
            return Check("scanner", True, f"可选设备 optional: {scanner.describe()}",
                         required=False)
        scanner.probe()
    except ScannerError as exc:
        return Check("scanner", False, f"{settings.scanner.port}: 无法打开 cannot open ({exc}); "
                     "终端仅可用身份证 the kiosk works with the ID card only",
                     "检查扫码器 USB 线与 scanner.port；`kiosk card ports` 列出串口；无扫码器请设 "
                     "scanner.enabled = false  check the cable and scanner.port, or set "
                     "scanner.enabled = false on a kiosk without one", required=False)
    finally:
        scanner.close()
    return Check("scanner", True, f"{settings.scanner.port}: 端口可打开 port opens "
                 f"({scanner.describe()})", required=False)


PRINTER_FIXES = {
    "paper_end": "更换打印纸卷 load a new paper roll",
    "cover_open": "合上打印机盖 close the printer cover",
    "offline": "检查打印机电源与故障灯，清除卡纸 check power and error light, clear jams",
    "unknown": "检查打印机电源、数据线和 [printer] connector 设置 check power, cable and "
               "[printer] connector",
}


def check_printer(settings: Settings, printer: Any = None,
                  build_printer: Callable[[Settings], Any] | None = None) -> Check:
    """``printer`` (tests) or one made by ``build_printer`` and closed again."""
    from kiosk.devices.printer.errors import PrinterError
    from kiosk.services.health import printer_state

    own = printer is None
    if own:
        if build_printer is None:
            raise TypeError("check_printer needs printer or build_printer")
        try:
            printer = build_printer(settings)
        except PrinterError as exc:
            return Check("printer", False, f"{exc.message_zh} ({exc})", PRINTER_FIXES["unknown"])
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


def check_platform(settings: Settings, client: Any = None,
                   build_client: Callable[[Settings, list[Callable[[], None]]], Any] | None = None,
                   ) -> list[Check]:
    """``platform`` then ``clock``: ``client`` (tests) or one from ``build_client`` (with
    ``base_url = "embedded"`` a throw-away sandbox in a temporary folder; the running kiosk's
    sandbox is not touched)."""
    from kiosk.platform.errors import PlatformAuthError, PlatformError

    stoppers: list[Callable[[], None]] = []
    try:
        if client is None:
            if build_client is None:
                raise TypeError("check_platform needs client or build_client")
            client = build_client(settings, stoppers)
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
                                    f"platform unreachable; now {format_china(time.time())} "
                                    "China time")]
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


def check_disk(settings: Settings, folder: Path | None = None) -> Check:
    folder = folder or data_dir(settings)
    try:
        free_mb = shutil.disk_usage(folder).free // 2**20
    except OSError as exc:
        return Check("disk", False, f"{folder}: {exc.strerror}", "检查数据目录 check [paths] "
                     "data_dir")
    if free_mb < MIN_FREE_MB:
        return Check("disk", False, f"{folder}: 仅剩 only {free_mb} MiB free",
                     f"清理磁盘至少留出 free at least {MIN_FREE_MB} MiB (journalctl --vacuum-size, "
                     "old slips)")
    return Check("disk", True, f"{folder}: {free_mb} MiB free")


def check_timezone(zone: str | None = None) -> Check:
    """A warning when the system zone is not China Standard Time (``timedatectl``)."""
    zone = system_zone_name() if zone is None else zone
    if zone in CHINA_ZONE_NAMES:
        return Check("timezone", True, f"{zone}", required=False)
    return Check("timezone", False, f"系统时区为 system zone is {zone or 'unknown'}（界面与推荐单仍用"
                 f"北京时间 screen and slips still show China time: {format_china(time.time())}）",
                 "设置时区 set it: timedatectl set-timezone Asia/Shanghai", required=False)


def system_zone_name(environ: dict[str, str] | None = None, etc: Path = Path("/etc")) -> str:
    """The machine's zone (``$TZ``, ``/etc/timezone``, the ``/etc/localtime`` link), e.g.
    ``"Asia/Shanghai"`` or ``"Etc/UTC"``; ``""`` when none can be found."""
    env = os.environ if environ is None else environ
    name = env.get("TZ", "").lstrip(":")
    if name:
        return name.split("zoneinfo/", 1)[-1]
    try:
        target = os.readlink(etc / "localtime")
        return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else target
    except OSError:
        pass
    try:
        return (etc / "timezone").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def check_data_dir(settings: Settings, folder: Path | None = None) -> Check:
    """``data_dir``: ours, writable, not writable by others; secret files 0600 (PIPL Art. 51)."""
    from kiosk.platform.credentials import secret_path

    folder = folder or data_dir(settings)
    try:
        info = folder.stat()
    except OSError as exc:
        return Check("data_dir", False, f"{folder}: {exc.strerror}",
                     f"创建数据目录 create it: install -d -m 700 {folder}")
    problems, fixes = [], []
    if os.name == "posix" and info.st_uid != os.geteuid():
        problems.append(f"属于 owned by uid {info.st_uid}, not {os.geteuid()}")
        fixes.append(f"chown -R $(id -un) {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        problems.append("不可写 not writable")
        fixes.append(f"chmod u+rwx {folder}")
    mode = stat.S_IMODE(info.st_mode)
    if os.name == "posix" and mode & 0o022:
        problems.append(f"他人可写 writable by others (mode {mode:04o})")
        fixes.append(f"chmod 700 {folder}")
    secrets = [folder / "outbox.key", secret_path(settings), folder / "pin-lockout.json"]
    for path in secrets:
        try:
            secret_mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            continue
        if os.name == "posix" and secret_mode & 0o077:
            problems.append(f"{path.name} mode {secret_mode:04o}")
            fixes.append(f"chmod 600 {path}")
    if problems:
        return Check("data_dir", False, f"{folder}: " + "; ".join(problems), "; ".join(fixes))
    return Check("data_dir", True, f"{folder}: mode {mode:04o}, 可写 writable, 密钥文件 0600")


def check_outbox(settings: Settings, folder: Path | None = None) -> list[Check]:
    """``outbox_db`` and ``outbox_key`` (:func:`kiosk.services.outbox.store.inspect_files`)."""
    from kiosk.services.outbox import DB_NAME, KEY_NAME
    from kiosk.services.outbox.store import inspect_files

    folder = folder or data_dir(settings)
    db_path, key_path = folder / DB_NAME, folder / KEY_NAME
    found = inspect_files(db_path, key_path)
    if found.db_state in ("ok", "missing"):
        db = Check("outbox_db", True, f"{db_path}: {found.db_detail}")
    elif found.db_state == "corrupt":
        db = Check("outbox_db", False, f"{db_path}: 已损坏 damaged ({found.db_detail})",
                   f"停止终端，移走该文件并恢复备份 stop the kiosk (systemctl stop kiosk), move "
                   f"{db_path.name} aside and restore a backup")
    else:
        db = Check("outbox_db", False, f"{db_path}: 无法打开 cannot open ({found.db_detail})",
                   f"它须是可写的普通文件 it must be a regular writable file: ls -l {db_path}")
    restore = (f"恢复备份的密钥文件 restore the key file from its backup (fingerprint "
               f"{found.recorded_fingerprint or '?'}) to {key_path}, 或放弃无法读取的记录 or give "
               "up the unreadable items: kiosk outbox discard --unreadable")
    if found.key_state == "ok":
        key = Check("outbox_key", True, f"{key_path}: {found.key_detail}")
    elif found.key_state == "missing" and not found.sealed_items:
        key = Check("outbox_key", True, f"{key_path}: 尚未生成 not made yet (no item sealed; made "
                    "at the first start)")
    elif found.sealed_items:
        key = Check("outbox_key", False, f"{key_path}: {found.key_detail}; {found.sealed_items} "
                    "条待发送记录无法读取 undelivered item(s) cannot be read", restore)
    else:
        key = Check("outbox_key", False, f"{key_path}: {found.key_detail}",
                    f"chmod 600 {key_path}；没有待发送记录，也可删除它（启动时重新生成） nothing is "
                    "sealed: deleting it is safe (a new key is made at start)")
    return [db, key]


def check_catalog(settings: Settings, folder: Path | None = None,
                  now: Callable[[], float] = time.time) -> Check:
    """``catalog``: opens, ``quick_check``, schema version, vacancy count, last sync and age."""
    import sqlite3

    from kiosk.services.catalog.schema import SCHEMA_VERSION

    path = (folder or data_dir(settings)) / "catalog.sqlite3"
    rebuild = (f"停止终端，删除 {path.name} 后重新启动（将从平台重新同步） stop the kiosk, delete "
               f"{path} and start again (it syncs from the platform anew), or `kiosk vacancies "
               "import`")
    if not path.exists():
        return Check("catalog", True, f"{path}: 尚未创建 not created yet (made and synced at start)")
    if not path.is_file():
        return Check("catalog", False, f"{path}: 不是普通文件 not a regular file", rebuild)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=2.0)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            count = synced = None
            if check == "ok" and version:
                count = conn.execute("SELECT COUNT(*) FROM vacancy").fetchone()[0]
                row = conn.execute("SELECT value FROM meta WHERE key = 'last_synced_at'"
                                   ).fetchone()
                synced = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        name = getattr(exc, "sqlite_errorname", "") or type(exc).__name__
        return Check("catalog", False, f"{path}: 无法读取 cannot be read ({name})", rebuild)
    if check != "ok":
        return Check("catalog", False, f"{path}: 已损坏 damaged (quick_check: {check})", rebuild)
    if version > SCHEMA_VERSION:
        return Check("catalog", False, f"{path}: schema {version} newer than {SCHEMA_VERSION}",
                     "安装较新的软件版本或重建 install the newer kiosk version, or " + rebuild)
    if version < SCHEMA_VERSION:
        return Check("catalog", True, f"{path}: schema {version} (升级于启动时 migrated at start)")
    if not synced:
        return Check("catalog", False, f"{path}: {count} vacancies, 从未同步 never synced",
                     "检查平台连接 check the platform (see `platform`), 或导入 or `kiosk vacancies "
                     "import`", required=False)
    age_s = max(0.0, now() - _utc_epoch(synced))
    detail = (f"{path}: schema {version}, {count} vacancies, 上次同步 last sync "
              f"{format_china_iso(synced)} ({age_s / 3600:.1f} h ago)")
    if age_s > STALE_SYNC_S:
        return Check("catalog", False, detail, "检查平台连接 check the platform (see `platform`); "
                     "岗位信息可能过时 vacancies may be out of date", required=False)
    return Check("catalog", True, detail)


def _utc_epoch(stamp: str) -> float:
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def check_audio(settings: Settings, cards_file: Path = ALSA_CARDS,
                environ: dict[str, str] | None = None,
                sounds_dir: Path | None = None) -> Check:
    """``audio``: the voice-prompt files and an output to play them on (an ALSA card in
    ``/proc/asound/cards``, or a PulseAudio/PipeWire server). Required while
    ``accessibility.voice`` is on (长辈模式 turns voice on too)."""
    from kiosk.services import voice_prompts

    env = os.environ if environ is None else environ
    required = settings.accessibility.voice
    folder = sounds_dir or voice_prompts.SOUNDS_DIR
    missing = [key for key in voice_prompts.PROMPTS
               if not (folder / "zh_CN" / f"{key}.wav").is_file()]
    if missing:
        return Check("audio", False, f"缺少语音文件 {len(missing)} voice prompt file(s) missing "
                     f"in {folder / 'zh_CN'} (e.g. {missing[0]}.wav)",
                     "重新生成 regenerate: python -m kiosk.services.build_assets (apt-get install "
                     "espeak-ng)", required=required)
    output = _audio_output(cards_file, env)
    if output:
        return Check("audio", True, f"{output}; {len(voice_prompts.PROMPTS)} prompts",
                     required=required)
    return Check("audio", False, "没有音频输出设备 no audio output (no ALSA sound card, no "
                 "PulseAudio/PipeWire server)", "连接并打开扬声器，检查 `aplay -l` connect and power "
                 "the speakers, check `aplay -l`; 不用语音请设 or set accessibility.voice = false",
                 required=required)


def _audio_output(cards_file: Path, env: Any) -> str:
    server = env.get("PULSE_SERVER", "")
    if server:
        return f"PulseAudio server {server}"
    runtime = env.get("XDG_RUNTIME_DIR", "") or f"/run/user/{os.getuid()}"
    for name, label in (("pulse/native", "PulseAudio"), ("pipewire-0", "PipeWire")):
        if (Path(runtime) / name).exists():
            return f"{label} ({Path(runtime) / name})"
    try:
        text = cards_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    cards = [line.split("]:", 1)[-1].strip() for line in text.splitlines()
             if "]:" in line and line.strip()[:1].isdigit()]
    return f"ALSA: {', '.join(cards)}" if cards else ""


def run_doctor(settings: Settings, adapters: DoctorAdapters, *, printer: Any = None,
               client: Any = None, environ: dict[str, str] | None = None,
               audio_cards: Path = ALSA_CARDS, zone: str | None = None) -> DoctorReport:
    """All checks in order (none raises). ``printer``/``client`` replace the adapters' (tests);
    ``environ``, ``audio_cards`` and ``zone`` replace what is read from the system (tests)."""
    report = DoctorReport()
    report.checks += check_config(settings)
    report.checks.append(check_font(settings))
    report.checks.append(check_display(environ))
    report.checks.append(check_card_reader(settings, adapters.open_reader))
    report.checks.append(check_scanner(settings, adapters.open_scanner))
    report.checks.append(check_printer(settings, printer, adapters.build_printer))
    report.checks += check_platform(settings, client, adapters.build_client)
    report.checks.append(check_timezone(zone))
    report.checks.append(check_disk(settings))
    report.checks.append(check_data_dir(settings))
    report.checks += check_outbox(settings)
    report.checks.append(check_catalog(settings))
    report.checks.append(check_audio(settings, audio_cards, environ))
    return report
