"""Accessibility audit of what is on screen: touch targets, text size, overflow, contrast.

Numbers (``kiosk/ui/theme.py``; 工信部 适老化 rules; WCAG 2.x):
* touch targets ≥ 44×44 dp (normal) / ≥ 60×60 dp (长辈模式);
* text ≥ 20 px (normal) / ≥ 24 px = 18 pt (长辈模式);
* a label's rendered text fits its box (no overflow) and its box lies inside the window or
  inside the visible part of its ScrollView (no clipping);
* contrast ≥ 4.5:1, or ≥ 3:1 for large text (≥ 24 px bold or ≥ 32 px), computed from the
  label's colour and the colour drawn behind it (the nearest ``Color`` + rectangle in the
  ``canvas.before`` of the label or an ancestor covering the label's centre, a button's
  ``background_color``, or the window's clear colour).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kivy.core.window import Window
from kivy.graphics import Color, Rectangle, RoundedRectangle
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

MIN_TEXT_PX = {False: 20, True: 24}
MIN_TOUCH_DP = {False: 44, True: 60}


@dataclass
class Finding:
    screen: str
    kind: str
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.screen}] {self.kind}: {self.widget}: {self.detail}"


def luminance(rgba) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(float(x)) for x in rgba[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def blend(fg, bg):
    a = float(fg[3]) if len(fg) > 3 else 1.0
    return [fg[i] * a + bg[i] * (1 - a) for i in range(3)] + [1.0]


def contrast(fg, bg) -> float:
    fg = blend(fg, bg)
    l1, l2 = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (l1 + 0.05) / (l2 + 0.05)


def _visible(widget: Widget) -> bool:
    node = widget
    while node is not None and node is not node.parent:
        if getattr(node, "opacity", 1) == 0 or getattr(node, "disabled", False) and node is widget:
            return False
        if node.width <= 1 or node.height <= 1:
            return False
        node = node.parent
        if isinstance(node, type(Window)):
            break
    return widget.get_root_window() is not None


def _window_box(widget: Widget) -> tuple[float, float, float, float]:
    x0, y0 = widget.to_window(widget.x, widget.y)
    return x0, y0, x0 + widget.width, y0 + widget.height


def _clip_box(widget: Widget) -> tuple[float, float, float, float]:
    """The visible region: the window, narrowed by every ScrollView ancestor."""
    box = (0.0, 0.0, float(Window.width), float(Window.height))
    node = widget.parent
    while node is not None and node is not node.parent and isinstance(node, Widget):
        if isinstance(node, ScrollView):
            sx0, sy0, sx1, sy1 = _window_box(node)
            box = (max(box[0], sx0), max(box[1], sy0), min(box[2], sx1), min(box[3], sy1))
        node = node.parent
    return box


def _background(widget: Widget):
    """The colour drawn behind ``widget``'s centre."""
    cx, cy = widget.to_window(*widget.center)
    node = widget
    while node is not None and isinstance(node, Widget):
        if isinstance(node, Button) and node is not widget and node.background_normal == "":
            return list(node.background_color)
        if isinstance(node, Button) and node is widget and node.background_normal == "":
            return list(node.background_color)
        found = None
        color = None
        for canvas in (node.canvas.before, node.canvas) if node is not widget else (node.canvas.before,):
            for instr in canvas.children:
                if isinstance(instr, Color):
                    color = list(instr.rgba)
                elif isinstance(instr, (Rectangle, RoundedRectangle)) and color is not None:
                    lx, ly = node.to_window(*instr.pos) if node.parent else instr.pos
                    # instruction coordinates are in the parent's space, like widget.pos
                    lx, ly = node.parent.to_window(*instr.pos) if node.parent else instr.pos
                    w, h = instr.size
                    if lx <= cx <= lx + w and ly <= cy <= ly + h and color[3] > 0.5:
                        found = color
        if found is not None:
            return found
        node = node.parent
    return list(Window.clearcolor)


def _is_touchable(widget: Widget) -> bool:
    return isinstance(widget, (ButtonBehavior, TextInput))


def audit(root: Widget, screen: str, elderly: bool, dp_scale: float = 1.0) -> list[Finding]:
    findings: list[Finding] = []
    min_touch = MIN_TOUCH_DP[elderly] * dp_scale
    min_text = MIN_TEXT_PX[elderly]
    for widget in root.walk(restrict=True):
        if not _visible(widget):
            continue
        name = f"{type(widget).__name__}({str(getattr(widget, 'text', ''))[:16]!r})"
        x0, y0, x1, y1 = _window_box(widget)
        cx0, cy0, cx1, cy1 = _clip_box(widget)
        if x1 <= cx0 or x0 >= cx1 or y1 <= cy0 or y0 >= cy1:
            continue  # scrolled out of view: reachable by scrolling, audited when shown
        if _is_touchable(widget) and not getattr(widget, "disabled", False):
            if widget.width + 0.5 < min_touch or widget.height + 0.5 < min_touch:
                findings.append(Finding(screen, "touch target", name,
                                        f"{widget.width:.0f}×{widget.height:.0f} < {min_touch:.0f}"))
        if isinstance(widget, Label) and widget.text.strip():
            if widget.font_size + 0.01 < min_text:
                findings.append(Finding(screen, "text size", name,
                                        f"{widget.font_size:.1f} px < {min_text} px"))
            widget.texture_update()
            tw, th = widget.texture_size
            if tw > widget.width + 2 or th > widget.height + 2:
                box = f"{widget.width:.0f}×{widget.height:.0f}"
                findings.append(Finding(screen, "overflow", name,
                                        f"text {tw:.0f}×{th:.0f} in box {box}"))
            inside_scroll = cx0 > 0 or cy0 > 0 or cx1 < Window.width or cy1 < Window.height
            if not inside_scroll and (x0 < -1 or y0 < -1 or x1 > Window.width + 1 or y1 > Window.height + 1):
                findings.append(Finding(screen, "clipped", name,
                                        f"box {x0:.0f},{y0:.0f}–{x1:.0f},{y1:.0f} outside the window"))
            bg = _background(widget)
            ratio = contrast(widget.color, bg)
            large = widget.font_size >= 32 or (widget.bold and widget.font_size >= 24)
            need = 3.0 if large else 4.5
            if ratio + 1e-6 < need:
                findings.append(Finding(screen, "contrast", name,
                                        f"{ratio:.2f}:1 < {need}:1 (fg {widget.color[:3]}, bg {bg[:3]})"))
    return findings


#: In English, an English word touching full-width punctuation ("Pay：", "Employer（").
FULL_WIDTH_IN_ENGLISH = re.compile(r"[A-Za-z][：（；，]|[：（][A-Za-z]")


def _shown_labels(root: Widget):
    for widget in root.walk(restrict=True):
        if isinstance(widget, Label) and widget.text.strip() and _visible(widget):
            x0, y0, x1, y1 = _window_box(widget)
            cx0, cy0, cx1, cy1 = _clip_box(widget)
            if x1 <= cx0 or x0 >= cx1 or y1 <= cy0 or y0 >= cy1:
                continue
            yield widget


def line_break_findings(root: Widget, screen: str) -> list[Finding]:
    """Every wrapping label on screen: no drawn line begins with punctuation that may not
    begin one (，。：）」、 …) or ends with an opening bracket (避头尾, kiosk.domain.line_breaking),
    except where an identifier fills the line before it."""
    from kiosk.domain.line_breaking import bad_breaks, tokens
    from kiosk.ui.line_break import rendered_lines

    findings = []
    for widget in _shown_labels(root):
        if widget.text_size[0] is None or widget.shorten or widget.markup:
            continue
        lines = rendered_lines(widget)
        for bad in bad_breaks(lines):
            i = lines.index(bad)
            if i > 0 and len(tokens(lines[i - 1])) == 1:
                continue
            findings.append(Finding(screen, "line break", f"{type(widget).__name__}", repr(lines)))
    return findings


def full_width_findings(root: Widget, screen: str) -> list[Finding]:
    """English mode: no English text with full-width colons, brackets, commas (data such as
    Chinese vacancy titles and addresses keep theirs)."""
    return [Finding(screen, "full-width punctuation", type(w).__name__, repr(w.text[:60]))
            for w in _shown_labels(root) if FULL_WIDTH_IN_ENGLISH.search(w.text)]
