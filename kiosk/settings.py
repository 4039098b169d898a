"""Typed, frozen configuration parsed once at start-up.

Sources, later ones overriding earlier ones key by key:

1. ``config/kiosk.toml`` shipped with the project (every option documented there);
2. a site file given by ``--config PATH`` or the ``KIOSK_CONFIG`` environment variable; when
   neither is given, ``<data_dir>/site.toml`` if it exists (``data_dir`` as the defaults set
   it). Settings changed on site (maintenance screen, ``kiosk maintenance set-pin``) are written
   to that file, never to ``config/kiosk.toml``; :attr:`Settings.site_file` names it.

:func:`load_settings` reads the files (``tomllib``) and :func:`parse_settings` turns the merged
mapping into :class:`Settings`. Both raise :class:`ConfigError`, whose ``option`` names the
failing key as ``section.key`` and whose ``source`` names the file, so a typo stops start-up
with a message a technician can act on. No module reads the environment at import time.

The station-name rule ("<所在区域> + 就业驿站") comes from the Guangdong guideline for
employment stations (广东省就业驿站建设指引): a station is named after its area and ends in
"就业驿站".
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "kiosk.toml"
CONFIG_ENV = "KIOSK_CONFIG"
#: platformdirs application name: the default data folder is ~/.local/share/<APP_NAME>
APP_NAME = "gd-employment-kiosk"
STATION_SUFFIX = "就业驿站"


class ConfigError(Exception):
    """A configuration file or value is wrong.

    Attributes:
        option: the failing option as ``section.key`` ("" when the whole file is at fault).
        source: the file the value came from (or "<defaults>").
        reason: what is wrong, in words.
    """

    def __init__(self, option: str, reason: str, source: str = "<defaults>") -> None:
        self.option = option
        self.reason = reason
        self.source = source
        where = f"{option}: " if option else ""
        super().__init__(f"配置错误 config error in {source}: {where}{reason}")


def _check(cond: bool, reason: str) -> None:
    if not cond:
        raise ValueError(reason)


def _items(text: str) -> tuple[str, ...]:
    """A "；"-separated list option (full-width semicolon; ";" also accepted) → its items."""
    return tuple(item.strip() for item in re.split(r"[；;]", text) if item.strip())


def _one_of(*allowed: Any) -> typing.Callable[[Any], None]:
    def validate(value: Any) -> None:
        _check(value in allowed, f"must be one of {', '.join(map(str, allowed))}")

    return validate


def _positive(value: float) -> None:
    _check(value > 0, "must be greater than 0")


def _non_negative(value: float) -> None:
    _check(value >= 0, "must be 0 or more")


def _hour_or_off(value: int) -> None:
    _check(-1 <= value <= 23, "must be an hour 0–23 (local time), or -1 for never")


def _vacancy_url_template(value: str) -> None:
    _check(value == "" or (value.startswith(("https://", "http://")) and "{vacancy_id}" in value),
           "must be \"\" or an http(s) URL containing {vacancy_id}")


def _rating_more_url(value: str) -> None:
    _check(value == "" or (value.startswith(("https://", "http://"))
                           and "{transaction_no}" in value),
           "must be \"\" or an http(s) URL containing {transaction_no}")


AREA_RE = re.compile(r"^[\u4e00-\u9fff0-9（）()·]{2,40}$")


def _station_name(value: str) -> None:
    area = value[:-len(STATION_SUFFIX)] if value.endswith(STATION_SUFFIX) else ""
    _check(
        bool(AREA_RE.fullmatch(area)),
        f"station name must be '<所在区域>{STATION_SUFFIX}' with the area in Chinese and no spaces, "
        f"e.g. '天河区天河南街道{STATION_SUFFIX}'",
    )


def _pattern(regex: str, example: str) -> typing.Callable[[str], None]:
    compiled = re.compile(regex)

    def validate(value: str) -> None:
        _check(bool(compiled.fullmatch(value)), f"must look like {example!r}")

    return validate


def _between(low: float, high: float) -> typing.Callable[[float], None]:
    def validate(value: float) -> None:
        _check(low <= value <= high, f"must be between {low:g} and {high:g}")

    return validate


def opt(default: Any, validate: typing.Callable[[Any], None] | None = None) -> Any:
    """A documented option with its default and an optional validator (raises ValueError)."""
    return field(default=default, metadata={"validate": validate})


@dataclass(frozen=True)
class StationSettings:
    name: str = opt("天河区天河南街道就业驿站", _station_name)
    name_en: str = opt("Tianhenan Subdistrict Employment Station, Tianhe District")
    division_code: str = opt("440106", _pattern(r"^44\d{2}(\d{2}(\d{3})?)?$", "440106"))
    address: str = opt("广州市天河区天河南二路 示例地址")
    hotline: str = opt("020-12345678")
    complaint: str = opt("12333")
    latitude: float = opt(0.0, _between(-90, 90))
    longitude: float = opt(0.0, _between(-180, 180))
    terminal_id: str = opt("GD-DEMO-0001", _pattern(r"^[A-Z0-9][A-Z0-9-]{2,40}$", "GD-4403-0027"))
    opening_hours: str = opt("24小时自助服务；人工窗口 周一至周五 9:00-17:00")
    services: str = opt("求职登记；岗位信息与推荐；职业指导；政策咨询；技能培训报名；就业援助；招聘会；零工对接",
                        lambda v: _check(bool(_items(v)), "must name at least one service"))
    rules: str = opt("所有服务免费，不收取任何费用；请本人办理，勿代他人刷卡；个人信息只用于就业服务，离开即清除；"
                     "谨防以介绍工作为名收费",
                     lambda v: _check(bool(_items(v)), "must state at least one service rule"))

    @property
    def service_items(self) -> tuple[str, ...]:
        """``services`` split at "；" (the station's published service list)."""
        return _items(self.services)

    @property
    def rule_items(self) -> tuple[str, ...]:
        """``rules`` split at "；" (the station's published service rules)."""
        return _items(self.rules)


@dataclass(frozen=True)
class DisplaySettings:
    orientation: str = opt("auto", _one_of("auto", "portrait", "landscape"))
    width: int = opt(0, _non_negative)
    height: int = opt(0, _non_negative)
    fullscreen: bool = opt(True)
    show_cursor: bool = opt(False)
    font_path: str = opt("")
    maxfps: int = opt(30, _positive)


@dataclass(frozen=True)
class SessionSettings:
    idle_timeout_s: int = opt(60, _positive)
    elderly_idle_timeout_s: int = opt(120, _positive)
    countdown_s: int = opt(15, _positive)


@dataclass(frozen=True)
class CardReaderSettings:
    port: str = opt("simulator")
    baudrate: int = opt(115200, _one_of(9600, 19200, 38400, 57600, 115200))
    poll_interval_ms: int = opt(500, _positive)
    command_timeout_ms: int = opt(2000, _positive)
    inter_byte_timeout_ms: int = opt(50, _positive)
    demo_card: str = opt("assets/demo/cards/resident.json")


class SectionValueError(ValueError):
    """A section's values disagree with each other: ``key`` names the option to fix, ``related``
    the others involved (their files are named too)."""

    def __init__(self, key: str, reason: str, related: tuple[str, ...] = ()) -> None:
        self.key = key
        self.related = related
        super().__init__(reason)


@dataclass(frozen=True)
class ScannerSettings:
    """``[scanner]``: the optional 2D barcode scanner (serial, USB keyboard wedge, or none)."""

    enabled: bool = opt(True)
    mode: str = opt("serial", _one_of("serial", "keyboard", "none"))
    port: str = opt("simulator")
    baudrate: int = opt(9600, _one_of(1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600,
                                      115200))
    suffix: str = opt("cr", _one_of("cr", "lf", "crlf", "none"))
    aim_prefix: str = opt("auto", _one_of("auto", "on", "off"))
    inter_char_timeout_ms: int = opt(50, _between(1, 5000))
    reopen_interval_ms: int = opt(1000, _positive)
    wedge_max_gap_ms: int = opt(50, _between(1, 1000))
    wedge_mean_gap_ms: int = opt(20, _between(1, 1000))
    wedge_min_length: int = opt(4, _between(1, 1000))

    def __post_init__(self) -> None:
        if self.wedge_mean_gap_ms > self.wedge_max_gap_ms:
            raise SectionValueError("wedge_mean_gap_ms",
                                    f"must not exceed wedge_max_gap_ms ({self.wedge_max_gap_ms})",
                                    related=("wedge_max_gap_ms",))


@dataclass(frozen=True)
class PrinterSettings:
    connector: str = opt("preview", _one_of("preview", "usb", "serial", "network", "file"))
    paper: int = opt(80, _one_of(58, 80))
    columns: int = opt(0, _non_negative)
    cutter: bool = opt(True)
    qr: str = opt("native", _one_of("native", "raster"))
    usb_vendor_id: int = opt(0, _between(0, 0xFFFF))
    usb_product_id: int = opt(0, _between(0, 0xFFFF))
    usb_in_ep: int = opt(0x82, _between(0, 0xFF))
    usb_out_ep: int = opt(0x01, _between(0, 0xFF))
    usb_timeout_ms: int = opt(2000, _positive)
    serial_port: str = opt("/dev/ttyUSB1")
    serial_baudrate: int = opt(9600, _positive)
    host: str = opt("192.0.2.10")
    tcp_port: int = opt(9100, _between(1, 65535))
    file_path: str = opt("/dev/usb/lp0")
    preview_dir: str = opt("")
    job_timeout_s: float = opt(20.0, _positive)


@dataclass(frozen=True)
class PlatformSettings:
    base_url: str = opt("embedded")
    secret_file: str = opt("")
    ca_bundle: str = opt("")
    verify_tls: bool = opt(True)
    connect_timeout_s: float = opt(3.05, _positive)
    read_timeout_s: float = opt(10.0, _positive)
    sync_interval_s: int = opt(900, _positive)
    heartbeat_interval_s: int = opt(300, _positive)


@dataclass(frozen=True)
class OutboxSettings:
    max_attempts: int = opt(50, _positive)
    max_age_hours: int = opt(72, _positive)
    retention_days: int = opt(7, _positive)
    backoff_base_s: float = opt(2.0, _positive)
    backoff_max_s: float = opt(300.0, _positive)


@dataclass(frozen=True)
class CatalogSettings:
    demo_data: str = opt("assets/demo/vacancies.json")
    vacancy_url_template: str = opt("", _vacancy_url_template)
    sync_process: bool = opt(True)


@dataclass(frozen=True)
class AccessibilitySettings:
    language: str = opt("zh_CN", _one_of("zh_CN", "en"))
    elderly_mode: bool = opt(False)
    voice: bool = opt(True)
    voice_volume: float = opt(0.8, _between(0.0, 1.0))


@dataclass(frozen=True)
class MaintenanceSettings:
    pin_hash: str = opt("")
    timeout_s: int = opt(300, _positive)
    nightly_restart_hour: int = opt(4, _hour_or_off)


@dataclass(frozen=True)
class LoggingSettings:
    level: str = opt("INFO", _one_of("DEBUG", "INFO", "WARNING", "ERROR"))
    max_bytes: int = opt(2_000_000, _positive)
    backup_count: int = opt(5, _non_negative)


def _loopback(value: str) -> None:
    import ipaddress

    try:
        loopback = ipaddress.ip_address(value).is_loopback
    except ValueError:
        loopback = value == "localhost"
    _check(loopback, "must be a loopback address (127.0.0.1, ::1 or localhost): metrics are never "
           "served to the network; a fleet scrapes them through node_exporter's textfile collector "
           "(metrics.textfile_dir) or a local TLS proxy")


@dataclass(frozen=True)
class TransactionSettings:
    """Per-transaction records (issue 21): kind, times, outcome, duration, language, rating.
    ``rating_more_url``: the phone page of a 差评's QR, with ``{transaction_no}`` ("" = the
    platform's ``/ratings/{transaction_no}``)."""
    retention_days: int = opt(180, _positive)
    rating_more_url: str = opt("", _rating_more_url)


@dataclass(frozen=True)
class MetricsSettings:
    """Prometheus metrics (issue 21). ``serve``: "auto" = on unless the platform is the embedded
    sandbox (demo), "on", "off"."""
    serve: str = opt("auto", _one_of("auto", "on", "off"))
    bind: str = opt("127.0.0.1", _loopback)
    port: int = opt(9477, _between(1, 65535))
    textfile_dir: str = opt("")
    textfile_interval_s: int = opt(60, _positive)


@dataclass(frozen=True)
class PathSettings:
    data_dir: str = opt("")


@dataclass(frozen=True)
class Settings:
    station: StationSettings = field(default_factory=StationSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    session: SessionSettings = field(default_factory=SessionSettings)
    card_reader: CardReaderSettings = field(default_factory=CardReaderSettings)
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    platform: PlatformSettings = field(default_factory=PlatformSettings)
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    catalog: CatalogSettings = field(default_factory=CatalogSettings)
    accessibility: AccessibilitySettings = field(default_factory=AccessibilitySettings)
    maintenance: MaintenanceSettings = field(default_factory=MaintenanceSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    transactions: TransactionSettings = field(default_factory=TransactionSettings)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)
    paths: PathSettings = field(default_factory=PathSettings)
    #: Not an option: the site file in use (or to create) for settings changed on site.
    site_file: str = field(default="", compare=False, metadata={"section": False})

    def resolve(self, path: str) -> Path:
        """A configured path: absolute as given, relative ones against the project root."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else PROJECT_ROOT / p


def _coerce(option: str, value: Any, typ: Any) -> Any:
    if typ is bool:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {value!r}")
        return value
    if typ is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, not {value!r}")
        return value
    if typ is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a number, not {value!r}")
        return float(value)
    if typ is str:
        if not isinstance(value, str):
            raise ValueError(f"must be a string, not {value!r}")
        return value
    raise TypeError(f"unsupported option type for {option}: {typ}")  # programming error


def _parse_section(name: str, cls: type, raw: Any, sources: Mapping[str, str]) -> Any:
    section_source = sources.get(name, "<defaults>")
    if not isinstance(raw, Mapping):
        raise ConfigError(name, "must be a table [" + name + "]", section_source)
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        option = f"{name}.{key}"
        src = sources.get(option, section_source)
        if key not in known:
            raise ConfigError(option, f"unknown option (known: {', '.join(sorted(known))})", src)
        try:
            coerced = _coerce(option, value, hints[key])
            validate = known[key].metadata.get("validate")
            if validate is not None:
                validate(coerced)
        except ValueError as exc:
            raise ConfigError(option, str(exc), src) from exc
        values[key] = coerced
    try:
        return cls(**values)
    except SectionValueError as exc:
        files = dict.fromkeys(sources.get(f"{name}.{key}", section_source)
                              for key in (exc.key, *exc.related))
        raise ConfigError(f"{name}.{exc.key}", str(exc), " + ".join(files)) from exc


def parse_settings(data: Mapping[str, Any], sources: Mapping[str, str] | None = None) -> Settings:
    """Turn a merged TOML mapping into :class:`Settings`.

    Args:
        data: ``{section: {key: value}}`` as ``tomllib`` returns it.
        sources: optional ``{"section.key" or "section": file}`` used to name the file in errors.

    Raises:
        ConfigError: unknown section or key, wrong type, or a value its validator refuses.
    """
    sources = sources or {}
    hints = typing.get_type_hints(Settings)
    sections: dict[str, Any] = {}
    for name, raw in data.items():
        known = sorted(n for n in hints if n != "site_file")
        if name not in known:
            raise ConfigError(name, f"unknown section (known: {', '.join(known)})",
                              sources.get(name, "<defaults>"))
        sections[name] = _parse_section(name, hints[name], raw, sources)
    return Settings(**sections)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError("", "file not found", str(path)) from exc
    except IsADirectoryError as exc:
        raise ConfigError("", "is a folder, not a TOML file", str(path)) from exc
    except OSError as exc:
        raise ConfigError("", f"cannot be read ({exc.strerror})", str(path)) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError("", "is not UTF-8 text", str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("", f"not valid TOML: {exc}", str(path)) from exc


def load_settings(site_file: str | os.PathLike[str] | None = None,
                  environ: Mapping[str, str] | None = None,
                  base_file: Path = DEFAULT_CONFIG) -> Settings:
    """Load ``config/kiosk.toml`` and overlay the site file, key by key.

    Args:
        site_file: explicit site file (``--config``); else ``$KIOSK_CONFIG`` if set; else
            ``<data_dir>/site.toml`` when that file exists.
        environ: the environment to read ``KIOSK_CONFIG`` from (default ``os.environ``).
        base_file: the shipped defaults file.

    Raises:
        ConfigError: a file is missing or invalid, or a value is wrong (see ``parse_settings``).
    """
    environ = os.environ if environ is None else environ
    chosen = site_file or environ.get(CONFIG_ENV)
    if chosen:
        settings = _merge_files([base_file, Path(chosen)])
        return dataclasses.replace(settings, site_file=str(chosen))
    local = default_site_file(_merge_files([base_file]))
    settings = _merge_files([base_file, local] if local.is_file() else [base_file])
    return dataclasses.replace(settings, site_file=str(local))


def default_site_file(settings: Settings) -> Path:
    """``<data_dir>/site.toml``: the site file used when neither ``--config`` nor
    ``$KIOSK_CONFIG`` names one (not created here)."""
    configured = settings.paths.data_dir
    if configured:
        return settings.resolve(configured) / "site.toml"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME)) / "site.toml"


def _merge_files(files: list[Path]) -> Settings:
    merged: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    for path in files:
        data = _read_toml(path)
        for section, table in data.items():
            if not isinstance(table, dict):
                raise ConfigError(section, "must be a table [" + section + "]", str(path))
            sources.setdefault(section, str(path))
            target = merged.setdefault(section, {})
            for key, value in table.items():
                target[key] = value
                sources[f"{section}.{key}"] = str(path)
    return parse_settings(merged, sources)


def replace_option(settings: Settings, option: str, value: Any) -> Settings:
    """Return a copy of ``settings`` with ``section.key`` set, validated like the file.

    Used by the heartbeat (remote configuration) and the maintenance screen.

    Raises:
        ConfigError: unknown option or invalid value (``source`` is "<runtime>").
    """
    section, _, key = option.partition(".")
    current = getattr(settings, section, None)
    if current is None or not key or not dataclasses.is_dataclass(current):
        raise ConfigError(option, "unknown option", "<runtime>")
    raw = dataclasses.asdict(current)  # type: ignore[arg-type]  # an instance: checked above
    raw[key] = value
    new_section = _parse_section(section, type(current), raw, {section: "<runtime>"})
    return dataclasses.replace(settings, **{section: new_section})


__all__ = [
    "ConfigError", "Settings", "load_settings", "parse_settings", "replace_option",
    "default_site_file",
    "PROJECT_ROOT", "DEFAULT_CONFIG", "STATION_SUFFIX",
] + [name for name, obj in list(globals().items())
     if isinstance(obj, type) and name.endswith("Settings") and name != "Settings"]

