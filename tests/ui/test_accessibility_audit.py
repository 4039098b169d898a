"""The accessibility audit on the home screen, both modes, both orientations (other screens
are audited by tests/ui/test_audit_all_screens.py once their journeys exist)."""

from __future__ import annotations

import pytest

from kiosk.screens.home import HOME_TILES
from tests.ui.audit import audit, contrast

pytestmark = pytest.mark.ui


def test_contrast_formula_matches_wcag_examples():
    assert round(contrast([0, 0, 0, 1], [1, 1, 1, 1]), 1) == 21.0
    assert round(contrast([0.466, 0.466, 0.466, 1], [1, 1, 1, 1]), 1) == 4.5


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
@pytest.mark.parametrize("elderly", [False, True])
def test_home_passes_the_audit(ui, size, elderly):
    ui.set_size(*size)
    if elderly != ui.app.theme.elderly:
        ui.app.toggle_elderly()
    ui.pump(5)
    home = ui.app.sm.current_screen
    # the app's first catalog sync may still run (CI: three lanes on two cores): the board
    # reads the catalog once it is there (the app itself retries at each board rotation)
    ui.wait_until(lambda: ui.app.services.catalog is not None
                  and ui.app.services.catalog.last_synced_at(), 60, "the first catalog sync")
    home.load_board()
    ui.wait_until(lambda: len(home.board_rows) >= 3 and home.services_text, 15,
                  "board and station info")
    findings = audit(ui.app.root, "home", elderly)
    ui.screenshot("home-elderly" if elderly else "home")
    assert findings == [], "\n".join(map(str, findings))
    body, scroll = home.ids.home_body, home.ids.home_scroll
    if size[0] > size[1]:                                    # landscape: never a scroll,
        assert body.height <= scroll.height + 1, (body.height, scroll.height)
        _fits_with_more_tiles(ui, home, max(0, 15 - len(HOME_TILES)))  # up to 15 tiles
    tiles = [home.ids[t.widget_id] for t in HOME_TILES]
    footer_top = home.ids.footer.top
    for tile in tiles:                                       # every tile on the glass
        x, y = tile.to_window(tile.x, tile.y)
        assert tile.height >= ui.app.theme.touch_min and y >= footer_top - 1 or size[1] > size[0]
    if size[1] > size[0] and not elderly:                    # portrait: no empty band
        below = home.ids.side_col
        assert below.y - home.ids.footer.top < 0.1 * size[1]


def _fits_with_more_tiles(ui, home, extra: int) -> None:
    """Services being added (用工单位 …): with ``extra`` more tiles landscape home still fits
    without scrolling (15 tiles: five rows of three in 长辈模式)."""
    from kiosk.screens.home import HomeTileButton

    grid = home.ids.services_grid
    added = [HomeTileButton(title_id="预约职业指导", subtitle_id="约职业指导师面对面聊")
             for _ in range(extra)]
    for tile in added:
        grid.add_widget(tile)
    try:
        ui.pump(5)
        body, scroll = home.ids.home_body, home.ids.home_scroll
        assert body.height <= scroll.height + 1, ("with more tiles", body.height, scroll.height)
        assert audit(ui.app.root, "home+tiles", ui.app.theme.elderly) == []
    finally:
        for tile in added:
            grid.remove_widget(tile)
        ui.pump(3)
