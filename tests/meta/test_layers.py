"""Architecture rules as tests: no Kivy below the screens; layers point one way (import-linter)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UI_PACKAGES = ("kiosk/screens", "kiosk/ui", "kiosk/app.py")


def test_import_linter_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency (pip install -e .[test])"
    result = subprocess.run([lint, str(REPO / "pyproject.toml")], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_outside_the_ui_imports_kivy_even_lazily():
    offenders = []
    for path in (REPO / "kiosk").rglob("*.py"):
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith(UI_PACKAGES) or rel.startswith("kiosk/cli/run.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name == "kivy" or name.startswith("kivy.") for name in names):
                offenders.append(rel)
    assert offenders == []


def test_every_screen_module_has_its_kv():
    for py in (REPO / "kiosk" / "screens").glob("*.py"):
        if py.stem in ("__init__", "base", "registry"):
            continue
        assert py.with_suffix(".kv").exists(), f"{py.name} has no .kv"
