"""Issue 17 item 8: English labels use half-width punctuation. Every English text of the
catalog that is English only (the technician's bilingual maintenance lines keep their Chinese
half) has no full-width colon, bracket, comma, semicolon, full stop or 顿号, and no "…" cut
on a service tile's subtitle (kiosk.screens.home.HOME_TILES)."""

from __future__ import annotations

import ast
import re

from kiosk.services.message_catalog import LOCALE_DIR, ROOT
from kiosk.services.po_catalog import read_po

HAN = re.compile(r"[\u4e00-\u9fff]")
FULL_WIDTH = re.compile(r"[：（），；。、！？【】《》]")


def test_english_texts_have_half_width_punctuation():
    catalog = read_po(LOCALE_DIR / "en" / "LC_MESSAGES" / "kiosk.po")
    english = {k: v for k, v in catalog.items() if v and not HAN.search(v)}
    assert len(english) > 500
    bad = {k: v for k, v in english.items() if FULL_WIDTH.search(v)}
    assert bad == {}


def _home_tiles() -> list[tuple[str, str]]:
    """(title, subtitle) message ids of HOME_TILES, read from kiosk/screens/home.py without
    importing Kivy (this lane has no window)."""
    tree = ast.parse((ROOT / "kiosk" / "screens" / "home.py").read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "HomeTile":
            title, subtitle = (arg.args[0].value for arg in node.args[2:4])  # N_("…") calls
            found.append((title, subtitle))
    return found


def test_service_tiles_say_it_all_in_both_languages():
    catalog = read_po(LOCALE_DIR / "en" / "LC_MESSAGES" / "kiosk.po")
    tiles = _home_tiles()
    assert len(tiles) >= 14
    for title, subtitle in tiles:
        for text in (title, subtitle, catalog[title], catalog[subtitle]):
            assert "…" not in text and "..." not in text, text
    titles = [catalog[title] for title, _subtitle in tiles]
    assert len(set(titles)) == len(titles), titles      # no two tiles with the same English name
