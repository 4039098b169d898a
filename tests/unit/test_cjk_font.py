"""Resolving the UI fonts (kiosk.services.cjk_font): off the start-up path in the background,
with the same result and the same typed errors as resolving them in line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.services.cjk_font import FontNotFound, resolve_cjk_font, ui_fonts_in_background


def test_background_resolution_gives_the_regular_and_bold_faces(tmp_path: Path) -> None:
    regular, bold = ui_fonts_in_background("", tmp_path).result()
    assert regular == resolve_cjk_font("", tmp_path)
    assert bold == resolve_cjk_font("", tmp_path, bold=True)
    assert regular.family == "Noto Sans CJK SC" and regular.single_face.parent == tmp_path
    assert bold.path != regular.path  # the bold weight's own face
    assert regular.path.read_bytes()[:4] == b"OTTO"  # one CFF face, not the .ttc collection


def test_background_resolution_raises_font_not_found_on_every_result(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-font.ttc"
    fonts = ui_fonts_in_background(str(missing), tmp_path)
    for _ in range(2):  # the error is kept, not consumed
        with pytest.raises(FontNotFound, match="does not exist") as caught:
            fonts.result()
        assert str(missing) in caught.value.hint
