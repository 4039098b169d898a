"""City → district → town picker over the GB/T 2260 table of Guangdong (up to 5 choices).

``level`` is the code being browsed ("" = the 21 cities, "4401" = 广州's districts,
"440106" = 天河区's streets; 东莞 "4419" and 中山 "4420" have no county level and show their
towns directly). The first tile of a city or district selects the whole unit ("整个天河区");
the other tiles open the next level, or toggle a town. ``selected`` (list of codes) is the
choice; a ``FormError`` from the 5-item limit goes to ``on_limit(message_zh)``.
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.domain.codes import divisions
from kiosk.services.registration_form import (MAX_DIVISIONS, FormError, division_children,
                                              division_label, toggle_limited)
from kiosk.ui.choice_tile import ChoiceTile


class DivisionPicker(BoxLayout):
    level = StringProperty("")
    selected = ListProperty([])
    summary = StringProperty("")
    cols = NumericProperty(3)

    def __init__(self, **kwargs: object) -> None:
        self.register_event_type("on_limit")
        super().__init__(**kwargs)
        self.fbind("level", self.rebuild)
        self.fbind("selected", self._mark)

    def on_limit(self, message_zh: str) -> None:
        """Default handler: the screen binds it to show the message."""

    def path_text(self) -> str:
        """"广东省 › 广州市 › 天河区" for the level being browsed."""
        codes = dict.fromkeys(c for c in (self.level[:4], self.level[:6]) if c)
        return " › ".join([divisions.PROVINCE_NAME, *(divisions.name_of(c) for c in codes)])

    def up(self) -> None:
        """One level up (town list → district list → cities)."""
        if len(self.level) == 6:
            self.level = self.level[:4]
        else:
            self.level = ""

    def rebuild(self, *_args: object) -> None:
        from kiosk.ui.i18n import _

        grid = self.ids.tiles
        grid.clear_widgets()
        if self.level:
            whole = ChoiceTile(caption=_("整个{0}", divisions.name_of(self.level)), value=self.level)
            whole.bind(on_release=lambda tile: self._toggle(tile.value))
            grid.add_widget(whole)
        leaf = len(self.level) == 6 or self.level in divisions.CITIES_WITHOUT_COUNTY
        for code, name in division_children(self.level).items():
            tile = ChoiceTile(caption=name, value=code, kind="toggle" if leaf else "open")
            if leaf:
                tile.bind(on_release=lambda t: self._toggle(t.value))
            else:
                tile.bind(on_release=lambda t: setattr(self, "level", t.value))
            grid.add_widget(tile)
        self._mark()
        self.ids.scroll.scroll_y = 1
        self.ids.path.text = self.path_text()

    def _toggle(self, code: str) -> None:
        try:
            self.selected = toggle_limited(list(self.selected), code, MAX_DIVISIONS)
        except FormError as exc:
            self.dispatch("on_limit", exc.message_zh)

    def _mark(self, *_args: object) -> None:
        from kiosk.ui.i18n import _

        self.summary = (_("已选：") + "、".join(division_label(c) for c in self.selected)
                        if self.selected else "")
        chosen = set(self.selected)
        for tile in self.ids.tiles.children:
            tile.selected = tile.value in chosen or any(
                tile.value.startswith(code) and tile.kind == "open" for code in chosen)

    def reset(self) -> None:
        """Forget the choice and the tiles (session wipe)."""
        self.selected = []
        self.summary = ""
        self.level = ""
        self.ids.tiles.clear_widgets()


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
