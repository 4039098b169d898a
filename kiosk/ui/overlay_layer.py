"""The app's root layout: the screens below, full-screen overlays above them, each overlay in
the widget tree only while it is visible.

Kivy draws every widget in the tree on every frame, a transparent one too (``opacity: 0``
only scales the alpha): with a software renderer (Mesa llvmpipe) each hidden full-screen
overlay — the idle countdown, 继续填写/退出并清除, 暂停服务 — cost about 10 ms of CPU per frame
drawn (issue 23: measured 12 ms for one full-window rectangle, 22 ms with one transparent
full-window layer above it, 43 ms with three). :class:`OverlayLayer` keeps the declared
stacking order and attaches an overlay when its ``opacity`` becomes non-zero, detaching it
when it is 0 again; the overlay object itself (its properties, its bindings) lives on, so the
app keeps using it as before (``overlay.opacity = 1`` shows it).

Layers are declared bottom first with :meth:`OverlayLayer.add_layer` (``overlay=False``:
always attached, e.g. the screen manager and the corner gesture detector on top).
"""

from __future__ import annotations

from typing import Any

from kivy.uix.floatlayout import FloatLayout
from kivy.uix.widget import Widget


class OverlayLayer(FloatLayout):
    """A FloatLayout of stacked layers; overlays are attached only while ``opacity > 0``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._layers: list[Widget] = []          # bottom first

    def add_layer(self, widget: Widget, overlay: bool = False, below: Widget | None = None) -> None:
        """Put ``widget`` above every layer added so far (or just under layer ``below``); an
        ``overlay`` is in the tree only while its ``opacity`` is above 0 (it follows later
        changes of ``opacity``). Raises ValueError when ``below`` is not a layer."""
        if below is None:
            self._layers.append(widget)
        else:
            self._layers.insert(self._layers.index(below), widget)
        if overlay:
            widget.fbind("opacity", self._place)
            self._place(widget)
        else:
            self._attach(widget)

    def attached(self, widget: Widget) -> bool:
        """Whether ``widget`` is in the tree now (drawn and reachable by touches)."""
        return widget.parent is self

    def _place(self, widget: Widget, *_args: Any) -> None:
        if widget.opacity > 0:
            self._attach(widget)
        elif widget.parent is self:
            self.remove_widget(widget)

    def _attach(self, widget: Widget) -> None:
        if widget.parent is self:
            return
        above = self._layers[self._layers.index(widget) + 1:]
        # Kivy's index 0 is the top of the stack (drawn last, touched first).
        self.add_widget(widget, index=sum(1 for layer in above if layer.parent is self))
