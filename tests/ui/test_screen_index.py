"""Where each screen is declared, read from the sources (kiosk.screens.registry.screen_index):
the app imports a screen's module only when the screen is first shown (issue 23)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui


def test_the_index_read_from_the_sources_is_what_importing_every_module_declares() -> None:
    from kiosk.screens.registry import screen_classes, screen_index, screen_modules

    declared = {name: module for module in screen_modules()
                for name in getattr(importlib.import_module(f"kiosk.screens.{module}"),
                                    "SCREENS", {})}
    index = screen_index()
    assert index.unreadable == ()
    assert index.modules == declared
    assert set(index.modules) == set(screen_classes())
    assert index.modules["fair_checkin"] == "fairs"
    assert index.modules["application_query"] == "applications"
    assert index.modules["home"] == "home"


@pytest.mark.parametrize(("source", "names"), [
    ('class A: ...\n\nSCREENS = {"a": A, "b_c": A}\n', ["a", "b_c"]),
    ('X = 0\nSCREENS = {"a": A,\n           "b": A}  # two lines\nX = 1\n', ["a", "b"]),
    ("class A: ...\n", []),                                     # declares nothing
    ("class A: ...\n\nSCREENS = dict(a=A)\n", None),            # not a dict literal
    ('class A: ...\n\nSCREENS = {NAME: A}\n', None),            # a key that is not a string
    ('class A: ...\n\nSCREENS = {"a": A\n', None),              # cut: a syntax error
    ("class A: ...\n\nfor n in x:\n    SCREENS[n] = A\n", None),  # SCREENS built elsewhere
    (None, None),                                               # no source (bytecode only)
])
def test_declared_names_reads_only_a_literal_screens_dict(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str | None,
        names: list[str] | None) -> None:
    from kiosk.screens import registry

    if source is not None:
        (tmp_path / "fake.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(registry, "_FOLDER", tmp_path)
    assert registry.declared_names("fake") == names


def test_the_app_imports_a_screen_module_for_its_first_show_only(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.app import KioskApp
    from kiosk.screens import registry

    imported: list[str] = []
    real = registry.declared_in

    def recording(module: str, found: dict) -> None:
        imported.append(module)
        real(module, found)

    monkeypatch.setattr(registry, "declared_in", recording)
    app = KioskApp.__new__(KioskApp)
    app._classes = {}
    assert app._screen_class("guidance_book").__name__ == "GuidanceBookScreen"
    assert app._screen_class("guidance_mine").__name__ == "GuidanceMineScreen"  # same module
    assert app._screen_class("no_such_screen") is None
    assert imported == ["guidance"]
    assert set(app._classes) == {"guidance_slots", "guidance_book", "guidance_mine"}
