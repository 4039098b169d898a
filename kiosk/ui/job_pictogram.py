"""Pictograms of the everyday job groups (家政护理, 保洁保安, 餐饮酒店 …), drawn as vector lines.

No image files: each group's picture is a few lines, circles and arcs on a unit square
(:data:`SHAPES`, x and y from 0 to 1, y up), scaled to the widget and drawn in ``color``.
Shapes: ``("line", x1, y1, x2, y2, …)`` an open polyline, ``("loop", …)`` a closed one,
``("circle", cx, cy, r)``, ``("arc", cx, cy, r, start°, end°)`` (Kivy's convention: 0° at the
top, clockwise), ``("dot", cx, cy, r)`` a filled disc. Line width follows the widget size.
Group ids are those of :data:`kiosk.domain.codes.everyday_jobs.GROUPS`, plus ``popular``
(常见工作: a star), ``official`` (国家职业分类: a list) and ``found`` (search results: a
magnifier).
"""

from __future__ import annotations

from kivy.graphics import Color, Ellipse, Line
from kivy.lang import Builder
from kivy.properties import ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

Shape = tuple[object, ...]

SHAPES: dict[str, tuple[Shape, ...]] = {
    # 常见工作: a star
    "popular": (("loop", 0.5, 0.93, 0.388, 0.624, 0.063, 0.612, 0.319, 0.411, 0.23, 0.098,
                 0.5, 0.28, 0.77, 0.098, 0.681, 0.411, 0.937, 0.612, 0.612, 0.624),),
    # 家政护理: a house with a heart on its door
    "care": (("line", 0.1, 0.5, 0.5, 0.88, 0.9, 0.5), ("loop", 0.2, 0.1, 0.2, 0.58, 0.8, 0.58, 0.8, 0.1),
             ("arc", 0.42, 0.38, 0.08, -90, 135), ("arc", 0.58, 0.38, 0.08, -135, 90),
             ("line", 0.36, 0.34, 0.5, 0.2, 0.64, 0.34)),
    # 保洁保安: a broom
    "cleaning_security": (("line", 0.78, 0.92, 0.5, 0.45),
                          ("loop", 0.36, 0.5, 0.62, 0.38, 0.5, 0.08, 0.12, 0.26),
                          ("line", 0.27, 0.18, 0.4, 0.42), ("line", 0.38, 0.13, 0.49, 0.4)),
    # 餐饮酒店: a bowl with chopsticks
    "catering": (("arc", 0.5, 0.46, 0.36, 90, 270), ("line", 0.1, 0.46, 0.9, 0.46),
                 ("line", 0.5, 0.56, 0.86, 0.92), ("line", 0.4, 0.56, 0.7, 0.95),
                 ("line", 0.36, 0.06, 0.64, 0.06)),
    # 快递物流运输: a lorry
    "logistics": (("loop", 0.04, 0.3, 0.04, 0.78, 0.6, 0.78, 0.6, 0.3),
                  ("loop", 0.6, 0.3, 0.6, 0.64, 0.8, 0.64, 0.96, 0.46, 0.96, 0.3),
                  ("circle", 0.24, 0.22, 0.1), ("circle", 0.78, 0.22, 0.1)),
    # 工厂生产: a gear
    "factory": (("circle", 0.5, 0.5, 0.26), ("circle", 0.5, 0.5, 0.09),
                ("line", 0.5, 0.76, 0.5, 0.94), ("line", 0.5, 0.24, 0.5, 0.06),
                ("line", 0.76, 0.5, 0.94, 0.5), ("line", 0.24, 0.5, 0.06, 0.5),
                ("line", 0.68, 0.68, 0.81, 0.81), ("line", 0.32, 0.32, 0.19, 0.19),
                ("line", 0.68, 0.32, 0.81, 0.19), ("line", 0.32, 0.68, 0.19, 0.81)),
    # 技术工种: a safety helmet
    "trades": (("arc", 0.5, 0.34, 0.34, -90, 90), ("line", 0.06, 0.3, 0.94, 0.3),
               ("line", 0.06, 0.24, 0.94, 0.24), ("line", 0.5, 0.68, 0.5, 0.46),
               ("line", 0.36, 0.64, 0.4, 0.46), ("line", 0.64, 0.64, 0.6, 0.46)),
    # 维修: a spanner
    "repair": (("line", 0.18, 0.12, 0.58, 0.52), ("line", 0.28, 0.08, 0.64, 0.44),
               ("arc", 0.7, 0.62, 0.2, -150, 120), ("circle", 0.2, 0.13, 0.05)),
    # 销售客服: a shopping bag
    "sales": (("loop", 0.18, 0.08, 0.18, 0.62, 0.82, 0.62, 0.82, 0.08),
              ("arc", 0.5, 0.64, 0.18, -90, 90), ("dot", 0.32, 0.52, 0.04), ("dot", 0.68, 0.52, 0.04)),
    # 办公文员: a computer screen
    "office": (("loop", 0.08, 0.36, 0.08, 0.88, 0.92, 0.88, 0.92, 0.36),
               ("line", 0.5, 0.36, 0.5, 0.18), ("line", 0.28, 0.14, 0.72, 0.14),
               ("line", 0.2, 0.72, 0.6, 0.72), ("line", 0.2, 0.56, 0.5, 0.56)),
    # 生活服务: scissors
    "personal": (("circle", 0.28, 0.2, 0.13), ("circle", 0.72, 0.2, 0.13),
                 ("line", 0.36, 0.31, 0.76, 0.92), ("line", 0.64, 0.31, 0.24, 0.92)),
    # 农业: a sprout
    "farming": (("line", 0.5, 0.08, 0.5, 0.62), ("line", 0.2, 0.08, 0.8, 0.08),
                ("arc", 0.3, 0.5, 0.2, 0, 180), ("arc", 0.7, 0.64, 0.2, 180, 360)),
    # 教育培训: an open book
    "education": (("loop", 0.5, 0.16, 0.08, 0.26, 0.08, 0.84, 0.5, 0.74),
                  ("loop", 0.5, 0.16, 0.92, 0.26, 0.92, 0.84, 0.5, 0.74),
                  ("line", 0.18, 0.6, 0.4, 0.55), ("line", 0.6, 0.55, 0.82, 0.6)),
    # 国家职业分类: a list
    "official": (("dot", 0.14, 0.8, 0.06), ("line", 0.3, 0.8, 0.92, 0.8),
                 ("dot", 0.14, 0.5, 0.06), ("line", 0.3, 0.5, 0.92, 0.5),
                 ("dot", 0.14, 0.2, 0.06), ("line", 0.3, 0.2, 0.92, 0.2)),
    # search results: a magnifier
    "found": (("circle", 0.42, 0.58, 0.3), ("line", 0.63, 0.37, 0.92, 0.08)),
}


class JobPictogram(Widget):
    """The picture of one group (``group``: a key of :data:`SHAPES`; unknown → nothing)."""

    group = StringProperty("")
    color = ListProperty([0, 0, 0, 1])

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.fbind("pos", self._draw)
        self.fbind("size", self._draw)
        self.fbind("group", self._draw)
        self.fbind("color", self._draw)
        self._draw()

    def _draw(self, *_args: object) -> None:
        self.canvas.clear()
        side = min(self.width, self.height)
        x0, y0 = self.center_x - side / 2, self.center_y - side / 2
        width = max(1.5, side / 22)

        def at(values: tuple[object, ...]) -> list[float]:
            coords = [float(v) for v in values]  # type: ignore[arg-type]
            return [x0 + v * side if i % 2 == 0 else y0 + v * side for i, v in enumerate(coords)]

        with self.canvas:
            Color(*self.color)
            for shape in SHAPES.get(self.group, ()):
                kind, args = shape[0], shape[1:]
                if kind in ("line", "loop"):
                    Line(points=at(args), width=width, close=kind == "loop", joint="round",
                         cap="round")
                elif kind == "circle":
                    cx, cy = at(args[:2])
                    Line(circle=(cx, cy, float(args[2]) * side), width=width)  # type: ignore[arg-type]
                elif kind == "arc":
                    cx, cy = at(args[:2])
                    r, start, end = (float(v) for v in args[2:5])  # type: ignore[arg-type]
                    Line(circle=(cx, cy, r * side, start, end), width=width, cap="round")
                elif kind == "dot":
                    cx, cy = at(args[:2])
                    r = float(args[2]) * side  # type: ignore[arg-type]
                    Ellipse(pos=(cx - r, cy - r), size=(2 * r, 2 * r))


class JobGroupHeader(BoxLayout):
    """A group's heading in a job list: its pictogram and ``title`` (kv rule below)."""

    group = StringProperty("")
    title = StringProperty("")


Builder.load_string("""
<JobGroupHeader>:
    size_hint_y: None
    height: max(group_title.height, app.theme.title * 1.4)
    spacing: dp(14)
    padding: 0, dp(8), 0, 0
    JobPictogram:
        size_hint_x: None
        width: app.theme.title * 1.3
        group: root.group
        color: app.theme.primary
    KioskLabel:
        id: group_title
        role: "title"
        bold: True
        text: root.title
""")
