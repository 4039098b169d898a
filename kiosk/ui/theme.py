"""Colours, text sizes and touch-target sizes, for normal mode and 长辈模式 (elderly mode).

Numbers (``shared/design/kiosk-ux-kivy-privacy.md`` §2.6, 工信部 适老化 rules): body text in
长辈模式 at least 1.5× normal and never under 18 pt equivalent; main touch targets at least
60×60 dp in 长辈模式 and 44×44 dp otherwise. Sizes are in dp (``kivy.metrics.dp``); with
``KIVY_METRICS_DENSITY=1`` one dp is one pixel on the 1080-wide kiosk panel. 18 pt = 24 px at
96 dpi. Colours are RGBA 0–1; pairs used for text meet WCAG 2.x contrast 4.5:1 (body) and 3:1
(large text), checked by the accessibility audit in the tests.
"""

from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty

# Government-service palette: deep blue header, white cards, dark text.
PRIMARY = [0.047, 0.294, 0.608, 1]        # #0C4B9B on white: 8.3:1
PRIMARY_DARK = [0.031, 0.196, 0.431, 1]   # #08326E
ACCENT = [0.816, 0.106, 0.098, 1]         # #D01B19 (红): 5.6:1 on white
BACKGROUND = [0.949, 0.957, 0.973, 1]     # #F2F4F8
SURFACE = [1, 1, 1, 1]
TEXT = [0.102, 0.122, 0.153, 1]           # #1A1F27: 15.6:1 on white
TEXT_MUTED = [0.306, 0.341, 0.392, 1]     # #4E5764: 7.2:1 on white
ON_PRIMARY = [1, 1, 1, 1]
SUCCESS = [0.059, 0.447, 0.227, 1]        # #0F723A: 6.2:1 on white
WARNING_BG = [1.0, 0.949, 0.8, 1]         # #FFF2CC with TEXT: 14:1
ERROR_BG = [0.992, 0.894, 0.894, 1]       # #FDE4E4 with ACCENT text: 4.7:1

NORMAL_BODY_PX = 28
ELDERLY_FACTOR = 1.5
MIN_ELDERLY_BODY_PX = 24
TOUCH_MIN_NORMAL_DP = 44
TOUCH_MIN_ELDERLY_DP = 60


class Theme(EventDispatcher):
    """Observable sizes; kv binds to ``app.theme.body`` etc. and follows 长辈模式 switches."""

    elderly = BooleanProperty(False)
    scale = NumericProperty(1.0)
    body = NumericProperty(NORMAL_BODY_PX)
    small = NumericProperty(22)
    title = NumericProperty(40)
    huge = NumericProperty(56)
    button_height = NumericProperty(96)
    touch_min = NumericProperty(TOUCH_MIN_NORMAL_DP)
    spacing = NumericProperty(dp(16))
    primary = ListProperty(PRIMARY)
    primary_dark = ListProperty(PRIMARY_DARK)
    accent = ListProperty(ACCENT)
    background = ListProperty(BACKGROUND)
    surface = ListProperty(SURFACE)
    text = ListProperty(TEXT)
    text_muted = ListProperty(TEXT_MUTED)
    on_primary = ListProperty(ON_PRIMARY)
    success = ListProperty(SUCCESS)
    warning_bg = ListProperty(WARNING_BG)
    error_bg = ListProperty(ERROR_BG)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.fbind("elderly", self._apply)
        self._apply()

    def _apply(self, *_args: object) -> None:
        self.scale = ELDERLY_FACTOR if self.elderly else 1.0
        self.body = dp(max(NORMAL_BODY_PX * self.scale, MIN_ELDERLY_BODY_PX if self.elderly else 0))
        self.small = dp(max(22 * self.scale, MIN_ELDERLY_BODY_PX if self.elderly else 0))
        self.title = dp(40 * self.scale)
        self.huge = dp(56 * self.scale)
        self.button_height = dp(96 * (1.25 if self.elderly else 1.0))
        self.touch_min = dp(TOUCH_MIN_ELDERLY_DP if self.elderly else TOUCH_MIN_NORMAL_DP)
