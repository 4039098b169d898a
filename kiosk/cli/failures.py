"""One line on stderr for every expected failure of a ``kiosk`` command (never a traceback).

:func:`describe_failure` turns the typed error roots of the layers below (outbox, catalog,
card reader, printer, platform, slip, site file, font, input files, OS errors) into one line
that says what broke and how to fix it, Chinese first. ``kiosk.cli.main`` prints it and exits 1;
anything else is a bug: one line pointing to the log, the traceback goes to the log only.
"""

from __future__ import annotations

import sys
from typing import Any


def _cls(module: str, name: str) -> Any:
    """``module.name`` if that module is already imported (an error of a module that was never
    imported cannot have been raised), else None."""
    mod = sys.modules.get(module)
    return getattr(mod, name, None) if mod is not None else None


def _is(exc: BaseException, module: str, name: str) -> bool:
    cls = _cls(module, name)
    return cls is not None and isinstance(exc, cls)


def _outbox(exc: Any) -> str:
    errors = "kiosk.services.outbox.errors"
    if _is(exc, errors, "KeyLost"):
        return f"离线队列无法使用 outbox unusable: {exc}"
    if _is(exc, errors, "KeyFileError"):
        return (f"离线队列密钥不可用 outbox key unusable: {exc.path}: {exc.reason}; 修复 fix: "
                "chmod 600 或恢复备份 or restore the backup; 没有待发送记录时可删除它 "
                "delete it if nothing is pending")
    if _is(exc, errors, "OutboxCorrupt"):
        return (f"离线队列数据库损坏 outbox database damaged: {exc.path} ({exc.detail}); 修复 fix: "
                "停止终端，移走该文件并恢复备份 stop the kiosk, move the file aside, restore a "
                "backup")
    if _is(exc, errors, "StorageFull"):
        return f"磁盘已满 disk full: {exc.path} ({exc.reason}); 清理磁盘 free disk space"
    if _is(exc, errors, "StorageError"):
        return (f"离线队列数据库无法打开 outbox database unusable: {exc.path} ({exc.sqlite_error});"
                " 修复 fix: 它须是可写的普通文件 it must be a regular writable file")
    return f"离线队列 outbox: {exc}"


def describe_failure(exc: BaseException) -> str | None:
    """The one-line message for an expected failure, or None for a bug."""
    if _is(exc, "kiosk.cli.input_files", "InputFileError"):
        return f"文件无法使用 unusable file: {exc}"
    if _is(exc, "kiosk.services.outbox.errors", "OutboxError"):
        return _outbox(exc)
    if _is(exc, "kiosk.services.catalog.errors", "CatalogError"):
        return f"岗位库错误 catalog: {exc}"
    if _is(exc, "kiosk.devices.idcard.errors", "CardReaderError"):
        return f"读卡器错误 card reader: {exc}"
    if _is(exc, "kiosk.devices.printer.errors", "PrinterError"):
        return f"{getattr(exc, 'message_zh', '打印机故障')} printer: {exc}"
    if _is(exc, "kiosk.platform.errors", "PlatformError"):
        return f"平台错误 platform: {exc}"
    if _is(exc, "kiosk.services.slip.errors", "SlipError"):
        return f"推荐单错误 slip: {exc}"
    for module, name, label in (
            ("kiosk.services.maintenance.site_file", "SiteFileError", "站点配置 site file"),
            ("kiosk.services.maintenance.pin", "PinFormatError", "维护 PIN maintenance PIN"),
            ("kiosk.services.cjk_font", "FontNotFound", "字体 font"),
            ("kiosk.platform.sandbox.seed", "SeedError", "种子数据 seed")):
        if _is(exc, module, name):
            return f"{label}: {exc}"
    if isinstance(exc, RecursionError):
        return "输入嵌套过深 input nested too deeply (a JSON file with thousands of levels?)"
    if isinstance(exc, ImportError):
        name = exc.name or "?"
        return (f"缺少软件包 missing Python package {name}; 重新安装 reinstall: ./scripts/setup.sh "
                "(或 or the kiosk .deb)")
    if isinstance(exc, UnicodeError):
        return f"编码错误 encoding error: {exc}"
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"系统错误 system error: {where}{exc.strerror or exc}"
    return None


def internal_error_line(exc: BaseException, log_hint: str) -> str:
    """The line for a bug: the error's class only (its text may hold a path or data)."""
    return (f"内部错误 internal error ({type(exc).__name__}); 详情见日志 details in {log_hint}; "
            "请报告 please report it")
