"""The on-screen keyboard of vacancy search: letters typed as pinyin, Chinese candidates from
the catalog's vocabulary, digits, delete, clear and search.

No OS input method is involved (Kivy has no IME candidate window and system keyboards hide
under a full-screen window: ``shared/design/kiosk-ux-kivy-privacy.md`` §2.4, §3.7). Letters
go to ``composing`` (the pinyin being typed: full "baojie", a prefix "baoj" or initials "bj");
``candidates_source(composing, limit)`` — normally ``PinyinVocabulary.candidates`` — gives the
words shown in the candidate bar; tapping one appends it to ``text`` (space-separated, one
search term per word) and clears ``composing``. Digits are appended to ``text`` directly.
:meth:`query` is what to search for: ``text`` plus the pinyin still being composed, so
"bj" searched as is finds 保洁 by initials.

Events: ``on_query`` after every change (the search screen searches at once: live search
drops stale results, no debounce), ``on_search`` for the 搜索 key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from collections.abc import Callable

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button

from kiosk.ui.i18n import _

LETTER_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
CANDIDATE_LIMIT = 40


class KeyboardKey(Button):
    """One key; ``value`` is the character it types (or an action name)."""

    value = StringProperty("")
    #: an action key (delete, clear, search, more) drawn in the accent style
    action = BooleanProperty(False)


class PinyinKeyboard(BoxLayout):
    text = StringProperty("")
    composing = StringProperty("")
    candidates = ListProperty([])
    #: index of the first candidate shown in the bar
    page_start = NumericProperty(0)
    #: callable(typed_pinyin, limit) -> list[str]
    candidates_source = ObjectProperty(None, allownone=True)
    #: the label of the ``on_search`` key ("" = 搜索; a name entry says 确定)
    action_label = StringProperty("")

    __events__ = ("on_query", "on_search")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: list[str] = []
        self._pool: list[CandidateButton] = []          # the candidate bar's buttons, reused
        self._more: KeyboardKey | None = None
        self._relayout = Clock.create_trigger(self._fill_bar, -1)
        self.bind(candidates=self._relayout, page_start=self._relayout, width=self._relayout)
        self.fbind("action_label", self._relabel)
        Clock.schedule_once(self._build_keys, 0)
        from kivy.app import App

        app = App.get_running_app()
        if app is not None and hasattr(app, "language"):  # relabel 删除/清空/搜索/更多
            app.fbind("language", self._relabel)

    def _relabel(self, *_args: Any) -> None:
        self._build_keys(0)
        self._relayout()

    # ---- public -------------------------------------------------------------------------
    def query(self) -> str:
        """``text`` plus the pinyin being composed, space-separated ("保洁 th")."""
        return " ".join(part for part in (self.text.strip(), self.composing) if part)

    def clear(self) -> None:
        self.text = ""
        self.composing = ""
        self.candidates = []
        self.page_start = 0
        self.dispatch("on_query")

    def press(self, value: str) -> None:
        """Type one key: a letter, a digit, or "del" / "clear" / "search" / "more"."""
        if value == "del":
            if self.composing:
                self.composing = self.composing[:-1]
            else:
                self.text = self.text.rstrip()[:-1].rstrip()
        elif value == "clear":
            self.clear()
            return
        elif value == "search":
            self.dispatch("on_search")
            return
        elif value == "more":
            following = self.page_start + len(self._shown)
            self.page_start = following if following < len(self.candidates) else 0
            return
        elif value.isdigit():
            if self.composing:
                self._commit(self.composing)
            joined = self.text and self.text[-1].isdigit()
            self.text = self.text + value if joined or not self.text else f"{self.text} {value}"
        elif "a" <= value <= "z":
            self.composing += value
        self._update_candidates()
        self.dispatch("on_query")

    def choose(self, word: str) -> None:
        """Commit a candidate word."""
        self._commit(word)
        self._update_candidates()
        self.dispatch("on_query")

    # ---- events -------------------------------------------------------------------------
    def on_query(self) -> None:
        pass

    def on_search(self) -> None:
        pass

    # ---- internals ----------------------------------------------------------------------
    def _commit(self, word: str) -> None:
        base = self.text.rstrip()
        self.text = f"{base} {word}" if base else word
        self.composing = ""

    def _update_candidates(self) -> None:
        source: Callable[[str, int], list[str]] | None = self.candidates_source
        self.candidates = source(self.composing, CANDIDATE_LIMIT) if source and self.composing \
            else []
        self.page_start = 0

    def _build_keys(self, _dt: float) -> None:
        grid = self.ids.key_rows
        grid.clear_widgets()
        for r, row in enumerate(LETTER_ROWS):
            line = BoxLayout(spacing=grid.spacing)
            keys = [(ch.upper() if ch.isalpha() else ch, ch, 1.0) for ch in row]
            if r == 2:
                keys.append((_("删除"), "del", 1.4))
            if r == 3:
                keys += [(_("清空"), "clear", 1.4), (self.action_label or _("搜索"), "search", 1.6)]
            for label, value, width in keys:
                line.add_widget(KeyboardKey(text=label, value=value, size_hint_x=width,
                                            action=len(value) > 1,
                                            on_release=lambda key: self.press(key.value)))
            grid.add_widget(line)

    def _fill_bar(self, *_args: Any) -> None:
        """Show as many candidates from ``page_start`` as fit one row (CJK glyphs are square:
        a word of n characters is about n × font size wide).

        The bar's buttons are a reused pool (only their text and width change): building new
        Button widgets on every keystroke cost ~25 ms of the keystroke (issue 23)."""
        bar = self.ids.candidate_row.__self__       # the widget, not the ids weak proxy
        shown: list[str] = []
        widths: list[float] = []
        words = self.candidates[int(self.page_start):]
        font = self.candidate_font
        pad = self.candidate_pad
        more_width = font * 3 + pad
        room = bar.width - (more_width + bar.spacing if words else 0)
        used = 0.0
        for word in words:
            width = max(self.key_min, len(word) * font + pad)
            if shown and used + width > room:
                break
            if not shown and width > room:
                width = room
            used += width + bar.spacing
            shown.append(word)
            widths.append(width)
        self._shown = shown
        while len(self._pool) < len(shown):
            self._pool.append(CandidateButton(on_release=lambda b: self.choose(b.text)))
        wanted: list[Any] = []
        for button, word, width in zip(self._pool, shown, widths, strict=False):  # pool ≥ shown
            button.text, button.width, button.font_size = word, width, font
            wanted.append(button)
        if len(shown) < len(self.candidates):
            if self._more is None:
                self._more = KeyboardKey(value="more", size_hint_x=None, action=True,
                                         on_release=lambda key: self.press("more"))
            self._more.text, self._more.width = _("更多"), more_width
            wanted.append(self._more)
        if list(reversed(bar.children)) != wanted:   # Kivy keeps children last-added first
            for child in [c for c in bar.children if c not in wanted]:
                bar.remove_widget(child)
            for index, widget in enumerate(wanted):
                if widget.parent is not bar:
                    bar.add_widget(widget, index=len(bar.children) - index)

    key_height = NumericProperty(72)
    candidate_font = NumericProperty(28)
    candidate_pad = NumericProperty(32)
    key_min = NumericProperty(44)


class CandidateButton(Button):
    """A Chinese candidate word in the bar."""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
