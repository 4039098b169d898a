"""Files a technician hands to a command (``--card``, ``--referral``, ``--csv`` …), read so
that every way they can be wrong is one clear line, never a traceback.

:func:`read_json_file` returns the parsed document or raises :class:`InputFileError`
(``kiosk.cli.main`` prints it and exits 1).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

#: Larger files are refused before reading (a card or referral document is < 10 KiB).
MAX_JSON_BYTES = 4 * 2**20


class InputFileError(Exception):
    """A file named on the command line cannot be used.

    Attributes:
        path: the file as given.
        reason: what is wrong, Chinese first then English (``"不是 UTF-8 文本 not UTF-8 text
            (byte 0xff at offset 0)"``).
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def read_text_file(path: Path | str, max_bytes: int = MAX_JSON_BYTES) -> str:
    """The UTF-8 text of ``path`` (a leading BOM is dropped).

    Raises:
        InputFileError: missing, a folder, not readable, larger than ``max_bytes``, or not UTF-8.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputFileError(path, "是文件夹，不是文件 is a folder, not a file")
        if size > max_bytes:
            raise InputFileError(path, f"文件过大 too large ({size} bytes, at most {max_bytes})")
        data = path.read_bytes()
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise InputFileError(path, f"无法读取 cannot read: {reason}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(path, f"不是 UTF-8 文本 not UTF-8 text (byte {data[exc.start]:#04x} "
                                   f"at offset {exc.start})") from exc


def read_json_file(path: Path | str, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """The JSON document (RFC 8259) in UTF-8 file ``path``.

    Raises:
        InputFileError: see :func:`read_text_file`; not JSON (with line and column); nested
            deeper than the parser's recursion limit.
    """
    text = read_text_file(path, max_bytes)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(path, f"不是有效的 JSON not JSON: {exc.msg} (line {exc.lineno}, "
                                   f"column {exc.colno})") from exc
    except ValueError as exc:  # e.g. an integer beyond Python's 4300-digit conversion limit
        raise InputFileError(path, f"不是有效的 JSON not JSON: {exc}") from exc
    except RecursionError as exc:
        raise InputFileError(path, "JSON 嵌套过深 nested too deeply") from exc
