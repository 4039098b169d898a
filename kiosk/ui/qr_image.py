"""A QR code drawn on screen from a string (a phone hand-off link, a referral's verify URL).

``QrImage.data`` is encoded with the ``qrcode`` library (ISO/IEC 18004, error correction M,
4-module quiet zone) into an RGBA texture with one texel per module and nearest-neighbour
magnification, so the code stays sharp at any size and a phone (or a decoder reading a
screenshot) sees exactly the modules the printed slip carries for the same text. Empty
``data`` draws nothing.
"""

from __future__ import annotations

from pathlib import Path

from kivy.graphics.texture import Texture
from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.widget import Widget

QUIET_ZONE_MODULES = 4


def qr_matrix(data: str) -> list[list[bool]]:
    """Module matrix (rows top to bottom, True = dark) including the quiet zone."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE_MODULES)
    code.add_data(data.encode("utf-8"))
    code.make(fit=True)
    return code.get_matrix()


def qr_texture(data: str) -> Texture:
    """An RGBA texture (n×n texels, black on white) of ``data``'s QR code."""
    matrix = qr_matrix(data)
    n = len(matrix)
    dark, light = b"\x00\x00\x00\xff", b"\xff\xff\xff\xff"
    # Kivy textures are bottom-up: the last matrix row is the first buffer row.
    buf = b"".join(dark if cell else light for row in reversed(matrix) for cell in row)
    texture = Texture.create(size=(n, n), colorfmt="rgba")
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    texture.blit_buffer(buf, colorfmt="rgba", bufferfmt="ubyte")
    return texture


class QrImage(Widget):
    """Shows the QR code of ``data`` as the largest centred square that fits the widget, on
    white (the widget's background is drawn by ``qr_image.kv``)."""

    data = StringProperty("")
    texture = ObjectProperty(None, allownone=True)
    #: side of the drawn square and its position (kv draws the texture there)
    side = NumericProperty(0)
    square_pos = ListProperty([0, 0])

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self._place, size=self._place)
        self.on_data(self, self.data)

    def _place(self, *_args: object) -> None:
        self.side = min(self.width, self.height)
        self.square_pos = [self.center_x - self.side / 2, self.center_y - self.side / 2]

    def on_data(self, _widget: object, value: str) -> None:
        self.texture = qr_texture(value) if value else None
        self.opacity = 1 if value else 0


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
