"""好差评: the rating step the journey engine inserts after a completed transaction (issue 21).

Shown by the engine (:data:`kiosk.services.journeys.spec.RATING_STEP`) when the person ends a
session in which a transaction was completed; values ``service`` (the journey's Chinese title),
``transaction_no`` (the platform's number when known, "" while offline), ``left`` (how many
transactions of this session wait for a rating, this one included) and ``level`` (None).

One tap rates: five big buttons with the official labels (5 非常满意 … 1 非常不满意,
``kiosk.services.transactions.ratings.LEVELS``), stars *and* words (colour is never the only
cue). 3–5 are sent at once (``nav.rate``). 1–2 (差评) show the optional reason chips, a QR to
add more on the phone (``[transactions] rating_more_url`` with the number; only when the number
is known) and 提交 (``nav.rate_reasons``) / 跳过 (the level without reasons). 跳过 on the levels
(``nav.skip_rating``) ends the session at once; the idle timeout ends it as on every screen.
Nothing is pre-selected, and :meth:`RatingScreen.wipe` forgets the level and the chips, so no
rating is ever shown to the next person.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.domain.i18n_marker import N_
from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.transactions.ratings import BAD_LEVELS, REASON_CHIPS, more_url
from kiosk.ui.choice_tile import ChoiceTile
from kiosk.ui.i18n import _, current_language
from kiosk.ui.presence import Presence
from kiosk.ui.qr_image import QrImage  # noqa: F401  (kv rule)

load_kv(__file__)

#: journey titles the rating question names that no other screen translates
TITLES = (N_("灵活就业登记"), N_("就业困难人员认定"))

class RatingScreen(KioskScreen):
    prompt_key = "rating"
    service = StringProperty("")
    level = NumericProperty(0)          # 0: nothing tapped (never pre-selected)
    more_qr = StringProperty("")
    left = NumericProperty(1)
    reasons_shown = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        self._chips: dict[str, ChoiceTile] = {}
        self._presence: Presence | None = None
        self._number = ""
        super().__init__(**kwargs)

    def on_kv_post(self, _base: Any) -> None:
        for chip in REASON_CHIPS:
            tile = ChoiceTile(value=chip.code)
            tile.bind(on_release=self._toggle)
            self.ids.reason_grid.add_widget(tile)
            self._chips[chip.code] = tile
        self._presence = Presence(self.ids.levels_box, self.ids.reasons_box)
        self._show_panel()

    def show(self, values: Mapping[str, object]) -> None:
        self.wipe()
        english = current_language() == "en"
        for chip in REASON_CHIPS:
            self._chips[chip.code].caption = chip.en if english else chip.zh
        self.service = _(str(values.get("service", "") or ""))
        self._number = str(values.get("transaction_no", "") or "")
        left = values.get("left", 1)
        self.left = left if isinstance(left, int) else 1
        self._show_panel()

    def update(self, values: Mapping[str, object]) -> None:
        level = values.get("level")
        if isinstance(level, int) and level in BAD_LEVELS:
            self.level = level
            template = self.services.settings.transactions.rating_more_url if self.services else ""
            base = getattr(getattr(self.services, "client", None), "base_url", "") or ""
            self.more_qr = more_url(template, base, self._number) if self._number else ""
            self.reasons_shown = True
            self._show_panel()

    def _show_panel(self) -> None:
        if self._presence is not None:
            self._presence.show({self.ids.levels_box: not self.reasons_shown,
                                 self.ids.reasons_box: self.reasons_shown})

    def _toggle(self, tile: ChoiceTile) -> None:
        tile.selected = not tile.selected

    # ---- taps ---------------------------------------------------------------------------------
    def rate(self, level: int) -> None:
        self.nav.rate(level)

    def submit(self) -> None:
        chosen = [code for code, tile in self._chips.items() if tile.selected]
        self.nav.rate_reasons(chosen)

    def skip(self) -> None:
        self.nav.skip_rating()

    def wipe(self) -> None:
        self.level = 0
        self.more_qr = self._number = ""
        self.service = ""
        self.reasons_shown = False
        for tile in self._chips.values():
            tile.selected = False
        self._show_panel()


SCREENS = {"rating": RatingScreen}
