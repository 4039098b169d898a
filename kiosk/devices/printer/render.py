"""Draw what a thermal printer would print from an ESC/POS byte stream (preview PNG).

Interprets the subset the kiosk sends: ESC @, ESC R/t (ignored), FS & / FS ., GS !, ESC E,
ESC a, ESC d, LF, GS V (drawn as a dashed cut line), GS ( k QR (fn 65/67/69/80/81),
GS v 0 raster, DLE EOT (ignored). Geometry: Font A cells, 12×24 dots ASCII and 24×24 dots
Chinese, 30-dot line pitch, scaled by GS ! factors; the canvas is ``profile.dots`` wide.

Font: the Simplified-Chinese face of Noto Sans CJK found with fontconfig
(``fc-match -f '%{file}:%{index}' 'Noto Sans CJK SC'``; face 0 of the .ttc is Japanese).
"""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from kiosk.devices.printer.commands import qr_image
from kiosk.devices.printer.errors import PreviewRenderError
from kiosk.devices.printer.profile import ASCII_CELL_DOTS, LINE_HEIGHT_DOTS, PaperProfile

GLYPH_DOTS = 24
MARGIN_DOTS = 8


@functools.lru_cache(maxsize=1)
def cjk_font_face() -> tuple[str, int]:
    """(font file, face index) of "Noto Sans CJK SC" (or fontconfig's best zh-cn match).

    Raises:
        PreviewRenderError: fc-match missing, or its answer is not a readable font file.
    """
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}:%{index}", "Noto Sans CJK SC:lang=zh-cn"],
                             capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise PreviewRenderError("fontconfig (fc-match) is not available") from exc
    path, _, index = out.rpartition(":")
    if not path or not Path(path).is_file():
        raise PreviewRenderError(f"fc-match returned no font file: {out!r}")
    return path, int(index or 0)


@functools.lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont:
    path, index = cjk_font_face()
    try:
        return ImageFont.truetype(path, size, index=index)
    except OSError as exc:
        raise PreviewRenderError(f"cannot load font {path}") from exc


class _Renderer:
    def __init__(self, profile: PaperProfile) -> None:
        self.width = profile.dots + 2 * MARGIN_DOTS
        self.bands: list[Image.Image] = []
        self.line: list[tuple[str, int, int, bool]] = []
        self.reset()
        self.chinese = True
        self.qr_data = b""
        self.qr_module = 3

    def reset(self) -> None:
        self.align, self.bold, self.w, self.h = 0, False, 1, 1

    def blank(self, height: int) -> None:
        self.bands.append(Image.new("L", (self.width, height), 255))

    def place(self, img: Image.Image) -> None:
        band = Image.new("L", (self.width, img.height), 255)
        x = MARGIN_DOTS + [0, (self.width - 2 * MARGIN_DOTS - img.width) // 2,
                           self.width - 2 * MARGIN_DOTS - img.width][self.align]
        band.paste(img.convert("L"), (max(MARGIN_DOTS, x), 0))
        self.bands.append(band)

    def flush_line(self) -> None:
        if not self.line:
            self.blank(LINE_HEIGHT_DOTS * self.h)
            return
        widths = [ASCII_CELL_DOTS * w if ord(ch) < 0x80 else GLYPH_DOTS * w
                  for ch, w, _h, _b in self.line]
        height = max(GLYPH_DOTS * h for _c, _w, h, _b in self.line) + LINE_HEIGHT_DOTS - GLYPH_DOTS
        img = Image.new("L", (sum(widths), height), 255)
        x = 0
        font = _font(GLYPH_DOTS - 2)
        for (ch, w, h, b), cw in zip(self.line, widths, strict=True):
            cell = Image.new("L", (cw // w, GLYPH_DOTS), 255)
            ImageDraw.Draw(cell).text((cell.width / 2, GLYPH_DOTS / 2), ch, font=font, fill=0,
                                      anchor="mm", stroke_width=1 if b else 0, stroke_fill=0)
            cell = cell.resize((cw, GLYPH_DOTS * h))
            img.paste(cell, (x, height - cell.height - (LINE_HEIGHT_DOTS - GLYPH_DOTS)))
            x += cw
        self.line = []
        self.place(img)

    def text_byte_run(self, data: bytes, i: int) -> int:
        b = data[i]
        if self.chinese and b >= 0x81 and i + 1 < len(data):
            ch = data[i:i + 2].decode("gb18030", errors="replace")
            i += 2
        else:
            ch = chr(b) if 0x20 <= b < 0x7F else "?"
            i += 1
        self.line.append((ch, self.w, self.h, self.bold))
        return i

    def gs_k(self, data: bytes, i: int) -> int:
        size = data[i + 3] | data[i + 4] << 8
        body = data[i + 5:i + 5 + size]
        fn = body[1] if len(body) > 1 else 0
        if fn == 67:
            self.qr_module = body[2]
        elif fn == 80:
            self.qr_data = body[3:]
        elif fn == 81:
            self.place(qr_image(self.qr_data.decode("ascii", errors="replace"), self.qr_module))
        return i + 5 + size

    def raster(self, data: bytes, i: int) -> int:
        xb = data[i + 4] | data[i + 5] << 8
        yd = data[i + 6] | data[i + 7] << 8
        body = data[i + 8:i + 8 + xb * yd]
        if len(body) != xb * yd:
            raise PreviewRenderError("truncated GS v 0 raster data")
        img = Image.frombytes("1", (xb * 8, yd), bytes(b ^ 0xFF for b in body))
        self.place(img)
        return i + 8 + xb * yd

    def cut(self) -> None:
        band = Image.new("L", (self.width, 12), 255)
        draw = ImageDraw.Draw(band)
        for x in range(0, self.width, 12):
            draw.line([(x, 6), (x + 6, 6)], fill=128)
        self.bands.append(band)

    def run(self, data: bytes) -> Image.Image:
        i, n = 0, len(data)
        while i < n:
            b = data[i]
            two = data[i:i + 2]
            if b == 0x0A:
                self.flush_line()
                i += 1
            elif two == b"\x1b@":
                self.reset()
                self.chinese = True
                i += 2
            elif two in (b"\x1bR", b"\x1bt"):
                i += 3
            elif two == b"\x1bE":
                self.bold = bool(data[i + 2] & 1)
                i += 3
            elif two == b"\x1ba":
                self.align = data[i + 2] % 48 if data[i + 2] >= 48 else min(data[i + 2], 2)
                i += 3
            elif two == b"\x1bd":
                if self.line:
                    self.flush_line()
                self.blank(LINE_HEIGHT_DOTS * data[i + 2])
                i += 3
            elif two == b"\x1c&":
                self.chinese, i = True, i + 2
            elif two == b"\x1c.":
                self.chinese, i = False, i + 2
            elif two == b"\x1d!":
                self.w, self.h = (data[i + 2] >> 4) + 1, (data[i + 2] & 0x0F) + 1
                i += 3
            elif two == b"\x1dV":
                m = data[i + 2]
                if m in (65, 66):
                    self.blank(data[i + 3])
                    i += 4
                else:
                    i += 3
                self.cut()
            elif data[i:i + 3] == b"\x1d(k":
                i = self.gs_k(data, i)
            elif data[i:i + 3] == b"\x1dv0":
                i = self.raster(data, i)
            elif two == b"\x10\x04":
                i += 3
            elif b < 0x20:
                i += 1
            else:
                i = self.text_byte_run(data, i)
        if self.line:
            self.flush_line()
        height = sum(band.height for band in self.bands) + 2 * MARGIN_DOTS
        page = Image.new("L", (self.width, max(height, 1)), 255)
        y = MARGIN_DOTS
        for band in self.bands:
            page.paste(band, (0, y))
            y += band.height
        return page


def render_escpos(data: bytes, profile: PaperProfile) -> Image.Image:
    """A greyscale ("L") image of the printed paper, ``profile.dots`` + 16 dots wide.

    Raises:
        PreviewRenderError: no CJK font, or malformed raster data.
    """
    try:
        return _Renderer(profile).run(data)
    except IndexError as exc:
        raise PreviewRenderError("ESC/POS stream ends inside a command") from exc
