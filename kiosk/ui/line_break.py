"""Labels that wrap by the line-breaking rule (避头尾, identifiers whole) instead of Kivy's.

Kivy wraps at spaces and, inside a run without spaces (all of Chinese), at whatever character
overflows: "。" or "：" could begin a line, "（星期二）" split as "（星期" / "二）", and a referral
number break in the middle. :class:`LineBreakingLabel` breaks the text itself with
:func:`kiosk.domain.line_breaking.break_lines` — the rule the slips use — measured in pixels
with the label's own font, and hands Kivy lines that already fit (``\\n`` between them), so
Kivy never breaks them again.

It applies to labels that wrap (``text_size`` with a width) and are neither markup nor
``shorten`` labels; the text property is unchanged (tests and screens read it as set).
:func:`rendered_lines` gives the lines Kivy actually laid out (for tests and audits).
"""

from __future__ import annotations

from typing import Any

from kivy.core.text import Label as CoreLabel
from kivy.properties import BooleanProperty
from kivy.uix.label import Label

from kiosk.domain.line_breaking import break_lines, break_phrases, pack_units

#: Pixels kept free at a line's end: Kivy measures a whole line, the breaker adds pieces.
SLACK_PX = 2.0
_CACHE_LIMIT = 20000
_widths: dict[tuple[Any, ...], float] = {}


def _font_key(core: Any) -> tuple[Any, ...]:
    o = core.options
    return (o.get("font_name"), o.get("font_size"), o.get("bold"), o.get("italic"),
            o.get("font_family"), o.get("font_context"))


def measure_with(core: Any) -> Any:
    """A ``measure`` for :func:`break_lines`: pixel width of a piece of text in the font of
    the core label ``core`` (cached per font, size and style)."""
    key = _font_key(core)

    def measure(piece: str) -> float:
        k = (key, piece)
        width = _widths.get(k)
        if width is None:
            if len(_widths) > _CACHE_LIMIT:
                _widths.clear()
            width = _widths[k] = float(core.get_extents(piece)[0])
        return width

    return measure


def break_for(core: Any, text: str, width: float, phrases: bool = False) -> str:
    """``text`` with ``\\n`` where the rule breaks it at ``width`` px in ``core``'s font
    (``phrases``: by :func:`kiosk.domain.line_breaking.break_phrases`)."""
    if not text or width <= SLACK_PX * 2:
        return text
    breaker = break_phrases if phrases else break_lines
    return "\n".join(breaker(text, width - SLACK_PX, measure_with(core)))


class LineBreakingLabel(Label):
    """A Label whose wrapping follows :mod:`kiosk.domain.line_breaking` (see module doc)."""

    #: keep phrases ("…、", "…，") whole on a line when they fit (short texts: subtitles)
    phrases = BooleanProperty(False)

    def broken_text(self, narrower_px: float = 0.0) -> str:
        """The text as laid out: with ``\\n`` at the rule's breaks (unchanged when the label
        does not wrap); ``narrower_px``: broken as if the label were that much narrower."""
        text = self.text
        box = self.text_size[0]
        if not text or self.markup or self.shorten or box is None:
            return text
        pad = self.padding
        width = float(box) - (float(pad[0]) + float(pad[2]) if len(pad) == 4 else 2 * float(pad[0]))
        return break_for(self._label, text, width - narrower_px, self.phrases)

    def on_phrases(self, *_args: Any) -> None:
        self._trigger_texture()

    def texture_update(self, *largs: Any) -> None:
        if self.markup:
            super().texture_update(*largs)
            return
        # Kivy measures a line its own way (words with their spaces, kerning): the rule's
        # pieces add up a little narrower, so now and then Kivy would break a line again
        # ("…the last 4" → "the last" / "4" / "characters…"). Then the text is broken again,
        # a little narrower, until Kivy keeps the rule's lines as they are.
        for attempt in range(4):
            broken = self.broken_text(attempt * max(6.0, 0.015 * float(self.text_size[0] or 0)))
            self._label.text = broken
            super().texture_update(*largs)
            if broken == self.text or len(self._label._cached_lines) <= broken.count("\n") + 1:
                break


def laid_out_block(text: str, width: float, units: list[str] | None = None, separator: str = "",
                   **options: Any) -> tuple[str, float]:
    """``text`` as it will be drawn at ``width`` px with the core label ``options``
    (``font_size``, ``bold``, …) and its height in px — to size a row before its label exists.

    With ``units`` (phrases such as match reasons) each unit stays whole on one line when it
    fits (:func:`kiosk.domain.line_breaking.pack_units`, ``separator`` between them); else
    ``text`` is broken by the rule. The returned text has ``\n`` at every break.
    """
    if not text and not units:
        return "", 0.0
    core = CoreLabel(text="", text_size=(width, None), **options)
    if units and width > SLACK_PX * 2:
        core.text = "\n".join(pack_units(units, separator, width - SLACK_PX, measure_with(core)))
    else:
        core.text = break_for(core, text, width)
    core.refresh()
    return core.text, (float(core.texture.size[1]) if core.texture is not None else 0.0)


def rendered_lines(label: Label) -> list[str]:
    """The lines Kivy laid out for ``label`` at its last texture update (its core label's
    cached layout: what is drawn, one string per line)."""
    label.texture_update()
    core = label._label
    return ["".join(str(word.text) for word in line.words) for line in core._cached_lines]
