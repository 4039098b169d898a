"""Kivy's kv parser without its quadratic regex scans (issue 23: start-up, screen opening).

Kivy 2.3's ``ParserRuleProperty.precompile`` prefixes each property's value with one newline
per line above it in the kv file (so the compiled code reports the file's line numbers) and
then runs its string-literal and f-string regexes over the prefixed text: a value on line
1,300 is scanned through 1,300 newlines, 79 µs instead of 4 µs a ``re.sub`` (measured
2026-12-03, 2 × Intel Xeon @ 2.80 GHz). Kivy's own ``style.kv`` (1,340 lines, parsed at every
start before the first frame) and each screen's ``.kv`` pay it per property.

:func:`install` replaces that method with :func:`precompile`, which gives the same results —
the same ``mode``, the same code object compiled from the same prefixed source (line numbers
unchanged), the same ``watched_keys`` — but runs the regexes over the value alone. That is the
same thing: the prefix holds only newlines, which none of the patterns matches or needs
(a string literal starts at a quote; ``#``, dotted names and ``_(`` contain no newline).
``tests/unit/test_kv_precompile.py`` compares both on every rule of ``style.kv`` and of every
kiosk ``.kv`` file.

It is installed only over the method it was written against (the CRC-32 of its source,
:data:`KIVY_PRECOMPILE_CRC32`, Kivy 2.3.1; a checksum, not a signature: ``zlib`` is loaded
already, ``hashlib`` would load OpenSSL before the first frame): any other Kivy keeps its own.
``kivy.lang.parser`` is imported by ``kivy.lang.builder``, which parses ``style.kv`` before
anything else can run, so :func:`install` — called by :func:`kiosk.ui.kivy_env.prepare_kivy`
before the first Kivy import — puts an import hook in place that patches the module as soon
as it has run; when the parser is already imported it patches it at once (later kv files
benefit).
"""

from __future__ import annotations

import ast
import importlib.abc
import importlib.machinery
import inspect
import logging
import re
import sys
import zlib
from types import ModuleType
from typing import Any

logger = logging.getLogger(__name__)

MODULE = "kivy.lang.parser"
#: CRC-32 of the source of Kivy 2.3.1's ``ParserRuleProperty.precompile``.
KIVY_PRECOMPILE_CRC32 = 0x19294adc

_parser: Any = None   # kivy.lang.parser once patched
#: Kivy's own method, once replaced (tests compare the two)
kivy_precompile: Any = None


def precompile(self: Any) -> None:
    """``ParserRuleProperty.precompile`` of Kivy 2.3.1 with the regexes run on the value only
    (see the module doc). Sets ``self.mode``, ``self.co_value`` and ``self.watched_keys``;
    raises what ``compile``/``eval`` raise (SyntaxError…), as Kivy's does."""
    parser = _parser
    name = self.name
    value = self.value
    # the value without its string literals: the same text Kivy's second scan of the
    # newline-prefixed value gives, less the newlines
    tmp = re.sub(parser.lang_str, "", value)
    mode = self.mode
    if self.mode is None:
        self.mode = mode = "exec" if name[:3] == "on_" else "eval"
    if mode == "eval" and re.search(parser.lang_key, tmp) is None:
        self.co_value = eval(_compile(self, value, "eval"))   # noqa: S307 (Kivy's own)
        return
    self.co_value = _compile(self, value, mode)
    if mode == "exec":
        return
    watched: set[str] = set()
    for fstring in parser.lang_fstr.findall(value):
        expression = ast.parse(fstring)
        watched |= set(self.get_names_from_expression(expression.body[0].value))  # type: ignore[attr-defined]
    idx = tmp.find("#")
    if idx != -1:
        tmp = tmp[:idx]
    watched |= set(re.findall(parser.lang_keyvalue, tmp))
    if watched:
        self.watched_keys = [x.split(".") for x in watched]
    if re.findall(parser.lang_tr, tmp):
        if self.watched_keys:
            self.watched_keys += [["_"]]
        else:
            self.watched_keys = [["_"]]


def _compile(prop: Any, value: str, mode: str) -> Any:
    """``value`` compiled as Kivy does: after one newline per line above it (the code reports
    the kv file's line numbers), with no ``__future__`` flags of this module's
    (``dont_inherit``: Kivy's parser has none)."""
    return compile("\n" * prop.line + value, prop.ctx.filename or "<string>", mode,
                   dont_inherit=True)


def patch(module: ModuleType) -> bool:
    """Put :func:`precompile` on ``module.ParserRuleProperty`` when its own is the one this
    was written against. Returns whether it did (False: another Kivy, left as it is)."""
    global _parser, kivy_precompile
    rule_property = getattr(module, "ParserRuleProperty", None)
    original = getattr(rule_property, "precompile", None)
    if original is None:
        return False
    if original is precompile:
        return True
    try:
        source = inspect.getsource(original)
    except (OSError, TypeError):
        return False
    if zlib.crc32(source.encode("utf-8")) != KIVY_PRECOMPILE_CRC32:
        logger.debug("kv parser left as it is: not Kivy 2.3.1's precompile")
        return False
    _parser, kivy_precompile = module, original
    rule_property.precompile = precompile  # type: ignore[union-attr]
    return True


class _Loader(importlib.abc.Loader):
    """Runs the real loader of ``kivy.lang.parser``, then :func:`patch`."""

    def __init__(self, real: importlib.abc.Loader) -> None:
        self.real = real

    def __getattr__(self, name: str) -> Any:    # get_source, get_filename…: the real one's
        return getattr(self.real, name)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.real.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.real.exec_module(module)
        patch(module)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds ``kivy.lang.parser`` as the other finders do and wraps its loader."""

    def find_spec(self, fullname: str, path: Any, target: Any = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if fullname != MODULE:
            return None
        sys.meta_path.remove(self)             # once: the parser is imported once
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def install() -> None:
    """Patch the kv parser now (already imported) or when it is imported (see module doc).
    Idempotent; never raises."""
    module = sys.modules.get(MODULE)
    if module is not None:
        patch(module)
    elif not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
