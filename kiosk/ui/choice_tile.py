"""A large selectable tile for pick-first forms (education, occupations, places, key groups).

Fills its grid cell (unlike ``Chip``, which sizes to its text); the selected state is shown by
colour *and* a ✓ (colour is never the only cue, 适老化). ``value`` is the code behind the
choice ("20", "4-03", "440106"), ``text`` what is shown; ``on_release`` as any button.
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label


class ChoiceTile(ButtonBehavior, Label):
    selected = BooleanProperty(False)
    value = StringProperty("")
    caption = StringProperty("")
    #: "toggle" shows ✓ when selected; "open" shows › (the tile leads one level down)
    kind = StringProperty("toggle")


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
