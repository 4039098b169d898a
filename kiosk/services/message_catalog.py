"""Extract the UI's translatable strings and keep the gettext catalogs in step.

Message ids are the Simplified-Chinese texts passed to ``_()`` in ``kiosk/**/*.py`` (found with
``ast``: calls of a name ``_`` whose first argument is a string literal) and ``kiosk/**/*.kv``
(kv rules are Python expressions: the same calls found by a regular expression). Run

    python -m kiosk.services.message_catalog

to rewrite ``assets/locale/kiosk.pot`` and merge new ids into every
``assets/locale/<lang>/LC_MESSAGES/kiosk.po`` (existing translations are kept; new ids get an
empty ``msgstr`` for a translator; ids no longer used are dropped). The tests fail while any id
lacks an English translation.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from kiosk.services.po_catalog import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "assets" / "locale"
KV_CALL = re.compile(r"""(?<![\w.])N?_\(\s*(?P<q>["'])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)""")


def _kv_messages(path: Path) -> list[str]:
    found = []
    for match in KV_CALL.finditer(path.read_text(encoding="utf-8")):
        found.append(ast.literal_eval(match.group("q") + match.group("text") + match.group("q")))
    return found


def _py_messages(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            found.append(node.args[0].value)
    return found


def extract_messages(package: Path = ROOT / "kiosk") -> dict[str, list[str]]:
    """``{msgid: [relative file paths]}`` in first-seen order."""
    messages: dict[str, list[str]] = {}
    for path in sorted(package.rglob("*")):
        if path.suffix == ".kv":
            ids = _kv_messages(path)
        elif path.suffix == ".py":
            ids = _py_messages(path)
        else:
            continue
        rel = path.relative_to(ROOT).as_posix()
        for msgid in ids:
            messages.setdefault(msgid, [])
            if rel not in messages[msgid]:
                messages[msgid].append(rel)
    return messages


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Language: {lang}\\n"\n\n')


def write_catalog(path: Path, messages: dict[str, list[str]], translations: dict[str, str],
                  language: str) -> None:
    lines = [HEADER.format(lang=language)]
    for msgid, where in messages.items():
        lines.append(f"#: {' '.join(where)}\nmsgid {_quote(msgid)}\n"
                     f"msgstr {_quote(translations.get(msgid, ''))}\n\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")


def update_catalogs() -> dict[str, int]:
    """Rewrite the template and merge every language; returns ``{lang: untranslated count}``."""
    messages = extract_messages()
    write_catalog(LOCALE_DIR / "kiosk.pot", messages, {}, "")
    missing: dict[str, int] = {}
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/kiosk.po")):
        language = po.parent.parent.name
        translations = read_po(po)
        write_catalog(po, messages, translations, language)
        missing[language] = sum(1 for m in messages if not translations.get(m))
    return missing


if __name__ == "__main__":
    for lang, count in update_catalogs().items():
        print(f"{lang}: {count} untranslated")
