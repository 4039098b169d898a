"""kiosk.ui.kv_precompile: the kv parser's precompile without the quadratic regex scans gives
exactly Kivy's results (mode, code object, watched keys) on every rule of Kivy's style.kv and
of every kiosk .kv file, and is installed only over the method it was written against."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

import kivy  # noqa: E402
from kivy.lang import parser as kv_parser  # noqa: E402

from kiosk.ui import kv_precompile  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
KV_FILES = [Path(kivy.kivy_data_dir) / "style.kv", *sorted((ROOT / "kiosk").rglob("*.kv"))]


def parsed_properties(method: Any, path: Path) -> list[tuple[Any, ...]]:
    """Every rule property of ``path`` as ``method`` precompiles it: (line, name, mode,
    co_value, watched_keys), in parse order."""
    seen: list[tuple[Any, ...]] = []
    rule_property = kv_parser.ParserRuleProperty

    def recording(self: Any) -> None:
        method(self)
        seen.append((self.line, self.name, self.mode, self.co_value, self.watched_keys))

    saved = rule_property.precompile
    rule_property.precompile = recording
    try:
        kv_parser.Parser(content=path.read_text(encoding="utf-8"), filename=str(path))
    finally:
        rule_property.precompile = saved
    return seen


def test_the_same_results_as_kivys_on_every_kv_file() -> None:
    before = kv_parser.ParserRuleProperty.precompile
    assert kv_precompile.patch(kv_parser)              # Kivy 2.3.1, as pinned
    kv_parser.ParserRuleProperty.precompile = before   # this process keeps what it had
    kivys = kv_precompile.kivy_precompile
    assert kivys is not None and kivys is not kv_precompile.precompile
    total = 0
    for path in KV_FILES:
        theirs = parsed_properties(kivys, path)
        ours = parsed_properties(kv_precompile.precompile, path)
        assert ours == theirs, path
        total += len(ours)
    assert len(KV_FILES) > 40 and total > 3000
    # the line numbers are the file's: Kivy's newline prefix is kept for compile
    style = parsed_properties(kv_precompile.precompile, KV_FILES[0])
    line, _name, _mode, code, _keys = [p for p in style if p[2] == "eval"
                                       and isinstance(p[3], types.CodeType)][-1]
    assert line > 1000 and max(n for _s, _e, n in code.co_lines() if n is not None) == line + 1


def test_another_kivys_method_is_left_as_it_is() -> None:
    class ParserRuleProperty:
        def precompile(self) -> None:      # not Kivy 2.3.1's
            self.mode = "eval"

    module = types.ModuleType("fake_parser")
    module.ParserRuleProperty = ParserRuleProperty  # type: ignore[attr-defined]
    before = ParserRuleProperty.precompile
    assert kv_precompile.patch(module) is False
    assert ParserRuleProperty.precompile is before
    assert kv_precompile.patch(types.ModuleType("empty")) is False


def test_install_patches_the_parser_before_style_kv_is_parsed() -> None:
    """A fresh interpreter: the import hook patches kivy.lang.parser as it is imported (so
    style.kv, parsed by kivy.lang.builder's import, already goes through it) and leaves."""
    script = (
        "import sys\n"
        "from kiosk.ui import kv_precompile\n"
        "kv_precompile.install(); kv_precompile.install()\n"
        "calls = []\n"
        "real = kv_precompile.precompile\n"
        "kv_precompile.precompile = lambda self: (calls.append(1), real(self))[1]\n"
        "from kivy.lang import Builder\n"
        "from kivy.lang.parser import ParserRuleProperty\n"
        "hooks = [f for f in sys.meta_path if type(f).__name__ == '_Finder']\n"
        "print(ParserRuleProperty.precompile is kv_precompile.precompile, len(calls) > 500,"
        " len(hooks))\n")
    env = {**os.environ, "KIVY_NO_ARGS": "1", "KIVY_LOG_MODE": "PYTHON",
           "KIVY_NO_CONSOLELOG": "1", "KIVY_NO_FILELOG": "1"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True", "0"]
