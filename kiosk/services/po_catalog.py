"""Minimal reader of gettext ``.po`` files (msgid → msgstr), used when no ``.mo`` is built.

Handles the subset ``xgettext``/``msgmerge`` write: ``msgid``/``msgstr`` with continuation
strings, comments, and the header entry. Plural forms are not used by the kiosk.
"""

from __future__ import annotations

import ast
from pathlib import Path


def read_po(path: Path) -> dict[str, str]:
    """Return ``{msgid: msgstr}`` for every translated entry of ``path`` (UTF-8)."""
    catalog: dict[str, str] = {}
    msgid: list[str] = []
    msgstr: list[str] = []
    target: list[str] | None = None

    def flush() -> None:
        key, value = "".join(msgid), "".join(msgstr)
        if key and value:
            catalog[key] = value

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [ast.literal_eval(line[6:])], []
            target = msgid
        elif line.startswith("msgstr "):
            msgstr = [ast.literal_eval(line[7:])]
            target = msgstr
        elif line.startswith('"') and target is not None:
            target.append(ast.literal_eval(line))
        elif not line or line.startswith("#"):
            continue
    flush()
    return catalog
