"""ESC/POS command bytes used by the kiosk (Epson ESC/POS reference; Chinese-model Kanji commands).

Every function returns ``bytes`` ready for the connector's raw write; none does I/O. Byte
layouts follow ``shared/design/escpos-printing.md`` §1.7, §3.1 and §4.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:   # Pillow and qrcode are imported by the raster functions that use them
    from PIL import Image

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
DLE = b"\x10"
LF = b"\x0a"

INITIALIZE = ESC + b"@"                 # ESC @: clear buffer, reset modes
INTERNATIONAL_USA = ESC + b"R\x00"      # ESC R 0: ASCII glyphs as in the USA set
CODE_TABLE_PC437 = ESC + b"t\x00"       # ESC t 0: single-byte table 0
CHINESE_MODE_ON = FS + b"&"             # FS &: 2-byte GB18030/GBK codes
CHINESE_MODE_OFF = FS + b"."            # FS .: leave Chinese mode

#: Reset at the start of every job (§7): ESC @, ESC R 0, ESC t 0, FS &, GS ! 0, ESC a 0.
JOB_HEADER = (INITIALIZE + INTERNATIONAL_USA + CODE_TABLE_PC437 + CHINESE_MODE_ON
              + GS + b"!\x00" + ESC + b"a\x00")

QR_EC_LEVELS = {"L": 48, "M": 49, "Q": 50, "H": 51}
QR_MAX_PAYLOAD = 7089  # fn 180: pL + 256·pH − 3 ≤ 7089 bytes
ALIGNMENTS = {"left": 0, "center": 1, "right": 2}


def char_size(width: int = 1, height: int = 1) -> bytes:
    """GS ! n — character size for ASCII *and* Chinese; width/height factors 1..8.

    n = (width − 1) << 4 | (height − 1); ``char_size(2, 2)`` = ``1D 21 11``.

    Raises:
        ValueError: a factor outside 1..8.
    """
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("size factors must be 1..8")
    return GS + b"!" + bytes([(width - 1) << 4 | (height - 1)])


def bold(on: bool) -> bytes:
    """ESC E n — emphasis, effective for ASCII and Chinese (``1B 45 01`` / ``1B 45 00``)."""
    return ESC + b"E" + (b"\x01" if on else b"\x00")


def align(where: str) -> bytes:
    """ESC a n — "left" 0, "center" 1, "right" 2 (only effective at the start of a line).

    Raises:
        ValueError: another value.
    """
    try:
        return ESC + b"a" + bytes([ALIGNMENTS[where]])
    except KeyError as exc:
        raise ValueError(f"alignment must be one of {sorted(ALIGNMENTS)}") from exc


def feed_lines(n: int) -> bytes:
    """ESC d n — print and feed n lines (0..255)."""
    return ESC + b"d" + bytes([max(0, min(255, n))])


def cut(feed: int = 4, partial: bool = True) -> bytes:
    """GS V m n — feed n × (vertical motion unit) then cut; m = 66 partial, 65 full.

    Partial cut is the safe default: some printers only partial-cut (§7), and vendors differ on
    what full means.
    """
    return GS + b"V" + bytes([66 if partial else 65, max(0, min(255, feed * 30))])


def _gs_k(fn: int, params: bytes) -> bytes:
    size = len(params) + 2
    return GS + b"(k" + bytes([size & 0xFF, size >> 8, 49, fn]) + params


def qr_native(payload: str, module_dots: int = 6, ec: str = "M") -> bytes:
    """GS ( k QR sequence: model 2 (fn 65), module size (fn 67), EC (fn 69), store (fn 80),
    print (fn 81).

    The payload must be ASCII (the printer picks Kanji compaction as Shift-JIS otherwise, §4).

    Raises:
        ValueError: non-ASCII payload, payload over 7089 bytes, module size outside 1..16,
            unknown EC level.
    """
    try:
        data = payload.encode("ascii")
    except UnicodeEncodeError as exc:
        raise ValueError("QR payload must be ASCII (percent-encode it)") from exc
    if not data or len(data) > QR_MAX_PAYLOAD:
        raise ValueError(f"QR payload must be 1..{QR_MAX_PAYLOAD} bytes")
    if not 1 <= module_dots <= 16:
        raise ValueError("QR module size must be 1..16 dots")
    if ec not in QR_EC_LEVELS:
        raise ValueError(f"QR error correction must be one of {sorted(QR_EC_LEVELS)}")
    return (_gs_k(65, b"\x32\x00") + _gs_k(67, bytes([module_dots]))
            + _gs_k(69, bytes([QR_EC_LEVELS[ec]])) + _gs_k(80, b"\x30" + data)
            + _gs_k(81, b"\x30"))


def raster_image(image: Image.Image) -> bytes:
    """GS v 0 m xL xH yL yH d… — a 1-bit raster image, normal density (m = 0).

    Black pixels (value 0 in mode "1") print. Width is padded to whole bytes with white.
    """
    from PIL import Image

    img = image.convert("1")
    width_bytes = (img.width + 7) // 8
    padded = Image.new("1", (width_bytes * 8, img.height), 1)
    padded.paste(img, (0, 0))
    # Mode "1": 1 = white. ESC/POS: 1 = print (black) -> invert the packed bits.
    data = bytes(b ^ 0xFF for b in padded.tobytes())
    return (GS + b"v0\x00" + bytes([width_bytes & 0xFF, width_bytes >> 8,
                                    img.height & 0xFF, img.height >> 8]) + data)


def qr_image(payload: str, module_dots: int = 6, ec: str = "M") -> Image.Image:
    """The QR symbol as a mode "1" image with a 4-module quiet zone (ISO/IEC 18004)."""
    import qrcode

    levels = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
              "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}
    code = qrcode.QRCode(error_correction=levels[ec], box_size=module_dots, border=4)
    code.add_data(payload.encode("ascii"))
    code.make(fit=True)
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image().convert("1")
    return image


def qr_raster(payload: str, module_dots: int = 6, ec: str = "M") -> bytes:
    """The same QR symbol as :func:`qr_native`, sent as a ``GS v 0`` raster image."""
    return raster_image(qr_image(payload, module_dots, ec))


def status_request(n: int) -> bytes:
    """DLE EOT n — real-time status request, n = 1 printer, 2 offline cause, 3 error, 4 paper.

    Raises:
        ValueError: n outside 1..4.
    """
    if not 1 <= n <= 4:
        raise ValueError("DLE EOT n must be 1..4")
    return DLE + b"\x04" + bytes([n])
