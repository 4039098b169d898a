"""One logging configuration, applied only by the entry point.

Records go to a rotating file ``<data_dir>/logs/kiosk.log`` (size and count from
``[logging]``) and to stderr. :class:`PersonalDataFilter` masks resident ID numbers, phone
numbers and registered names that reach a record by mistake (PIPL; MPS 2016 notice on ID-card
data): modules must not log personal data, and this filter is the safety net.
"""

from __future__ import annotations

import logging
import logging.handlers
import threading
from pathlib import Path

from kiosk.domain.masking import mask_name, mask_text

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PersonalDataFilter(logging.Filter):
    """Rewrites a record's message with ID numbers, phones and known names masked.

    Names cannot be recognised in free text, so the session registers the names it holds with
    :meth:`add_name` and removes them with :meth:`forget_name` when it ends.
    """

    def __init__(self) -> None:
        super().__init__()
        self._names: set[str] = set()
        self._lock = threading.Lock()

    def add_name(self, name: str) -> None:
        if name and len(name) >= 2:
            with self._lock:
                self._names.add(name)

    def forget_name(self, name: str) -> None:
        with self._lock:
            self._names.discard(name)

    def mask(self, text: str) -> str:
        text = mask_text(text)
        with self._lock:
            names = sorted(self._names, key=len, reverse=True)
        for name in names:
            text = text.replace(name, mask_name(name))
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        masked = self.mask(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        record.msg, record.args = masked, None
        return True


PERSONAL_DATA_FILTER = PersonalDataFilter()


class OneLineFormatter(logging.Formatter):
    """The console (journald, a technician's terminal) gets one line per record: an exception
    is named, its traceback stays in ``kiosk.log`` (never a traceback on a technician's
    screen)."""

    def format(self, record: logging.LogRecord) -> str:
        exc = record.exc_info
        if not exc or exc[0] is None:
            return super().format(record)
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return f"{super().format(record)} ({exc[0].__name__}; traceback in logs/kiosk.log)"
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def configure_logging(log_dir: Path | None, level: str = "INFO", max_bytes: int = 2_000_000,
                      backup_count: int = 5, console: bool = True) -> None:
    """Install handlers on the root logger (idempotent: earlier kiosk handlers are replaced).

    Args:
        log_dir: folder for ``kiosk.log``; None logs to stderr only.
        level: root level name.
        max_bytes: size in bytes at which the file rotates.
        backup_count: rotated files kept.
        console: also log to stderr.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = []
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            log_dir / "kiosk.log", maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"))
    if console:
        stream = logging.StreamHandler()
        if log_dir is not None:  # the traceback has a home: the file
            stream.setFormatter(OneLineFormatter(LOG_FORMAT))
        handlers.append(stream)
    for handler in handlers:
        handler._kiosk = True  # type: ignore[attr-defined]
        if handler.formatter is None:
            handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(PERSONAL_DATA_FILTER)
        root.addHandler(handler)
    root.setLevel(level)
