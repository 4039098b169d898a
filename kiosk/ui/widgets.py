"""Reusable kiosk widgets (styled in ``widgets.kv``): big buttons, cards, the header bar.

Every touchable widget here is at least ``app.theme.touch_min`` high and wide; text widgets
take their font size from the theme so 长辈模式 scales them. ``KioskLabel`` wraps text to its
width (``text_size`` bound to the width) so nothing runs off the screen, by the line-breaking
rule (避头尾, identifiers whole: :class:`kiosk.ui.line_break.LineBreakingLabel`), as do the
titles and subtitles of the big buttons and the header.
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.ui.line_break import LineBreakingLabel


class KioskLabel(LineBreakingLabel):
    """A wrapping label; ``role`` is "body", "small", "title" or "huge"."""

    role = StringProperty("body")


class BigButton(ButtonBehavior, BoxLayout):
    """A large rounded button with a title and an optional subtitle line."""

    text = StringProperty("")
    subtitle = StringProperty("")
    bg = ListProperty([0, 0, 0, 0])
    fg = ListProperty([1, 1, 1, 1])
    primary = BooleanProperty(True)


class TileButton(BigButton):
    """A :class:`BigButton` for a grid of tiles (``GridLayout`` without ``row_force_default``):
    it takes its row's height, and its row is as tall as the tallest tile's text needs
    (``size_hint_min_y``), so tiles in a row are equal and a wrapped title never overflows."""


class Chip(ButtonBehavior, Label):
    """A toggle chip for filters and pick lists (selected state shown by colour *and* a ✓)."""

    selected = BooleanProperty(False)
    value = StringProperty("")


class HeaderBar(BoxLayout):
    """Top band: station name, screen title, back/home, 长辈模式 and language switches."""

    title = StringProperty("")
    show_back = BooleanProperty(True)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
