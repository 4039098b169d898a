"""Encode a :class:`SlipLayout` into the ESC/POS job bytes for a paper profile.

Stream (``escpos-printing.md`` §1.7): job header ``ESC @ · ESC R 0 · ESC t 0 · FS & · GS ! 0 ·
ESC a 0``; per line only the changed modes (``ESC a n``, ``ESC E n``, ``GS ! n``), then the
GB18030 bytes and LF; QR as ``ESC a 1`` + ``GS ( k`` (native) or ``GS v 0`` (raster) + LF;
trailer ``GS ! 0 · ESC E 0 · ESC a 0`` then ``GS V 66 n`` (feed + partial cut) when the
profile has a cutter, else ``ESC d n`` (feed only).
"""

from __future__ import annotations

from kiosk.devices.printer import commands as cmd
from kiosk.devices.printer.profile import PaperProfile
from kiosk.services.slip.errors import QrTooLargeError
from kiosk.services.slip.layout import SlipLayout, SlipLine
from kiosk.services.slip.text import encode_gb18030, text_columns

QR_EC_LEVEL = "M"


def encode_slip(layout: SlipLayout, profile: PaperProfile) -> bytes:
    """The complete job for ``layout``.

    Raises:
        UnprintableTextError: a line holds a character outside the 2-byte GB18030 area.
        QrTooLargeError: a QR code would be wider than the paper (:func:`check_qr_fits`).
        ValueError: a line is wider than the paper at its size, or the QR payload is not ASCII
            / too long.
    """
    out = bytearray(cmd.JOB_HEADER)
    align, bold, size = "left", False, (1, 1)
    for item in layout.items:
        want_align = item.align if isinstance(item, SlipLine) else "center"
        if want_align != align:
            out += cmd.align(want_align)
            align = want_align
        if isinstance(item, SlipLine):
            if text_columns(item.text) * item.width > profile.columns:
                raise ValueError(f"line of {text_columns(item.text)} columns × {item.width} "
                                 f"does not fit {profile.columns} columns")
            if item.bold != bold:
                out += cmd.bold(item.bold)
                bold = item.bold
            if (item.width, item.height) != size:
                size = (item.width, item.height)
                out += cmd.char_size(*size)
            out += encode_gb18030(item.text) + cmd.LF
        else:
            check_qr_fits(item.payload, profile)
            qr = (cmd.qr_native if profile.qr_native else cmd.qr_raster)
            out += qr(item.payload, profile.qr_module_dots, QR_EC_LEVEL) + cmd.LF
    if size != (1, 1):
        out += cmd.char_size(1, 1)
    if bold:
        out += cmd.bold(False)
    if align != "left":
        out += cmd.align("left")
    if profile.cutter:
        out += cmd.cut(profile.cut_feed_lines)
    else:
        out += cmd.feed_lines(profile.cut_feed_lines)
    return bytes(out)


def check_qr_fits(payload: str, profile: PaperProfile) -> int:
    """The QR version (1–40, error correction :data:`QR_EC_LEVEL`, ISO/IEC 18004) of
    ``payload``, checked to fit the paper: ``(17 + 4·version + 8 quiet) · qr_module_dots ≤
    dots``.

    Raises:
        QrTooLargeError: no QR code holds it, or it is wider than the paper.
    """
    import qrcode    # here, not at import: off the start-up path (issue 23)
    from qrcode.exceptions import DataOverflowError

    data = payload.encode("ascii", "replace")
    level = getattr(qrcode.constants, f"ERROR_CORRECT_{QR_EC_LEVEL}")
    code = qrcode.QRCode(error_correction=level, border=4)
    code.add_data(data)
    try:
        code.make(fit=True)
        version = int(code.version)
    except (DataOverflowError, ValueError):  # qrcode raises ValueError beyond version 40
        raise QrTooLargeError(len(data), 41, 17 + 4 * 41 + 8, profile.qr_module_dots,
                              profile.dots) from None
    modules = 17 + 4 * version + 8
    if modules * profile.qr_module_dots > profile.dots:
        raise QrTooLargeError(len(data), version, modules, profile.qr_module_dots, profile.dots)
    return version
