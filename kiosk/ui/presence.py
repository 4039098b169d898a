"""Show or hide widgets by taking them out of the widget tree (and putting them back in
their original place), for screens whose steps show different buttons and keypads.

Hiding with ``opacity: 0`` and ``height: 0`` is not enough: a hidden widget's children may keep
their size (a keypad's keys, a button's subtitle) and overlap the widgets that are shown, and a
*disabled* widget swallows the touches that land on it (Kivy ``Widget.on_touch_down``). A
widget out of the tree takes no touches, is skipped by the accessibility audit and costs no
layout.
"""

from __future__ import annotations

from kivy.uix.widget import Widget


class Presence:
    """Manages ``widgets`` (already in the tree, e.g. from kv): remembers each parent's layout
    order so :meth:`show` can put a detached widget back exactly where it was."""

    def __init__(self, *widgets: Widget) -> None:
        # Strong references: kv ``ids`` are weak proxies, and a detached widget must survive.
        widgets = tuple(_real(w) for w in widgets)
        self._managed = set(widgets)
        self._order: dict[Widget, list[Widget]] = {}
        for widget in widgets:
            parent = widget.parent
            if parent not in self._order:
                self._order[parent] = list(reversed(parent.children))  # layout order

    def show(self, visible: dict[Widget, bool]) -> None:
        """Attach the managed widgets mapped to True (missing = True), detach the others."""
        visible = {_real(w): shown for w, shown in visible.items()}
        for parent, layout in self._order.items():
            for widget in layout:
                if widget in self._managed and not visible.get(widget, True) \
                        and widget.parent is parent:
                    parent.remove_widget(widget)
            position = 0
            for widget in layout:
                wanted = widget not in self._managed or visible.get(widget, True)
                if wanted and widget.parent is None:
                    parent.add_widget(widget, index=len(parent.children) - position)
                if widget.parent is parent:
                    position += 1


def _real(widget: Widget) -> Widget:
    """The widget itself behind a kv ``ids`` weak proxy."""
    return getattr(widget, "__self__", widget)
