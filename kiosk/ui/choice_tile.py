"""A large selectable tile for pick-first forms (education, occupations, places, key groups).

Fills its grid cell (unlike ``Chip``, which sizes to its text); the selected state is shown by
colour *and* a tick in a round mark at the tile's left (colour is never the only cue, 适老化).
``value`` is the code behind the choice ("20", "4-03", "440106"), ``caption`` what is shown;
``on_release`` as any button.

Ticking never moves anything (issue 17): the text is the same whether selected or not (no
"✓ " prefix that could wrap onto a line of its own, no bold), the mark is drawn in room kept
free on both sides of the text, so the tile keeps its size. ``natural_height`` is what its
text needs; :class:`TileGrid` gives all its tiles the tallest one's height, so the cells of a
row line up and the columns stay aligned.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget


class ChoiceTile(ButtonBehavior, Label):
    selected = BooleanProperty(False)
    value = StringProperty("")
    caption = StringProperty("")
    #: "toggle" shows the round mark (ticked when selected); "open" shows › (the tile leads
    #: one level down)
    kind = StringProperty("toggle")
    #: px its text needs (set in kv); ``even_height`` is the grid's common height (0: none)
    natural_height = NumericProperty(0)
    even_height = NumericProperty(0)
    #: px kept free on each side of the text for the mark (set in kv from the text size)
    mark_room = NumericProperty(0)


class _Filler(Widget):
    """An empty cell: keeps a short row of a :class:`TileGrid` at the grid's column width."""


class TileGrid(GridLayout):
    """A grid of :class:`ChoiceTile` of one height: the tallest tile's ``natural_height``.

    Kivy places a shorter tile at the bottom of its row, so tiles of different heights leave
    the columns misaligned; here every tile gets the same ``even_height``. With fewer tiles
    than ``cols`` the row is filled with empty cells, so a lone tile keeps the width of a
    column (Kivy would stretch it across the grid).
    """

    #: what the grid holds, for a screen that sets ``cols`` per kind ("jobs", "categories" …)
    tile_kind = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        self._padding_row = False
        super().__init__(**kwargs)
        self.size_hint_y = None
        self.fbind("minimum_height", self._fit_height)
        self.fbind("cols", self._pad)

    def _fit_height(self, _grid: Any, value: float) -> None:
        self.height = value

    def tiles(self) -> list[ChoiceTile]:
        """The tiles in reading order (without the empty cells)."""
        return [c for c in reversed(self.children) if isinstance(c, ChoiceTile)]

    def add_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        super().add_widget(widget, *args, **kwargs)
        if isinstance(widget, ChoiceTile):
            widget.fbind("natural_height", self._even)
            self._even()
            self._pad()

    def remove_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(widget, ChoiceTile):
            widget.funbind("natural_height", self._even)
        super().remove_widget(widget, *args, **kwargs)
        if isinstance(widget, ChoiceTile):
            self._even()
            self._pad()

    def _pad(self, *_args: Any) -> None:
        if self._padding_row:
            return
        self._padding_row = True
        try:
            for filler in [c for c in self.children if isinstance(c, _Filler)]:
                super().remove_widget(filler)
            tiles = len(self.tiles())
            for _ in range(max(0, int(self.cols or 0) - tiles) if tiles else 0):
                super().add_widget(_Filler(size_hint_y=None, height=0), index=0)
        finally:
            self._padding_row = False

    def _even(self, *_args: Any) -> None:
        tiles = self.tiles()
        height = max((t.natural_height for t in tiles), default=0)
        for tile in tiles:
            tile.even_height = height


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
