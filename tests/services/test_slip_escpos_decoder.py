"""An ESC/POS stream decoder for the tests, written without importing any kiosk code.

It walks the bytes command by command (Epson ESC/POS lengths), decodes text as GB18030 while
in Chinese mode (after FS &), and records lines with their alignment, bold and GS ! size,
QR payloads stored with GS ( k fn 80 and printed with fn 81, raster images (GS v 0), and cuts.
Unknown commands fail loudly so a stray byte is caught. The module's own tests check it
against hand-written streams (the bytes from shared/design/escpos-printing.md §1.7).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest


@dataclass
class Line:
    text: str
    align: int
    bold: bool
    size: int  # GS ! n as sent


@dataclass
class Decoded:
    lines: list[Line] = field(default_factory=list)
    qr_payloads: list[bytes] = field(default_factory=list)
    qr_module_sizes: list[int] = field(default_factory=list)
    rasters: list[tuple[int, int, bytes]] = field(default_factory=list)  # (width_bytes, height, data)
    cuts: list[tuple[int, int]] = field(default_factory=list)  # (m, n)
    feeds: list[int] = field(default_factory=list)
    header: bytes = b""
    chinese_mode_on: int = 0

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]


def decode(stream: bytes) -> Decoded:
    out = Decoded()
    i, n = 0, len(stream)
    align, bold, size, chinese = 0, False, 0, False
    buf = bytearray()
    stored_qr = b""

    def flush() -> None:
        text = bytes(buf).decode("gb18030") if chinese else bytes(buf).decode("ascii")
        out.lines.append(Line(text, align, bold, size))
        buf.clear()

    while i < n:
        b = stream[i]
        if b == 0x0A:
            flush()
            i += 1
        elif b == 0x1B:
            c = stream[i + 1]
            if c == 0x40:
                i += 2
            elif c in (0x52, 0x74):
                i += 3
            elif c == 0x45:
                bold = stream[i + 2] == 1
                i += 3
            elif c == 0x61:
                align = stream[i + 2]
                i += 3
            elif c == 0x64:
                out.feeds.append(stream[i + 2])
                i += 3
            else:
                raise ValueError(f"unknown ESC {c:#x} at {i}")
        elif b == 0x1C:
            c = stream[i + 1]
            if c == 0x26:
                chinese = True
                out.chinese_mode_on += 1
            elif c == 0x2E:
                chinese = False
            else:
                raise ValueError(f"unknown FS {c:#x} at {i}")
            i += 2
        elif b == 0x1D:
            c = stream[i + 1]
            if c == 0x21:
                size = stream[i + 2]
                i += 3
            elif c == 0x56:
                m = stream[i + 2]
                if m in (65, 66):
                    out.cuts.append((m, stream[i + 3]))
                    i += 4
                else:
                    out.cuts.append((m, 0))
                    i += 3
            elif c == 0x28 and stream[i + 2] == 0x6B:
                plen = stream[i + 3] + 256 * stream[i + 4]
                body = stream[i + 5:i + 5 + plen]
                assert body[0] == 49, "cn must be 49 (QR)"
                fn = body[1]
                if fn == 67:
                    out.qr_module_sizes.append(body[2])
                elif fn == 80:
                    assert body[2] == 48
                    stored_qr = bytes(body[3:])
                elif fn == 81:
                    out.qr_payloads.append(stored_qr)
                i += 5 + plen
            elif c == 0x76 and stream[i + 2] == 0x30:
                xb = stream[i + 4] + 256 * stream[i + 5]
                yd = stream[i + 6] + 256 * stream[i + 7]
                out.rasters.append((xb, yd, bytes(stream[i + 8:i + 8 + xb * yd])))
                i += 8 + xb * yd
            else:
                raise ValueError(f"unknown GS {c:#x} at {i}")
        elif b < 0x20:
            raise ValueError(f"stray control byte {b:#x} at {i}")
        elif chinese and b >= 0x81:
            buf += stream[i:i + 2]
            i += 2
        else:
            buf.append(b)
            i += 1
    if buf:
        flush()
    return out


def test_decoder_reads_design_note_stream():
    stream = bytes.fromhex(
        "1b40 1c26 1d2111 1b4501 1b6101 b8dacebbcdc6bcf6b5a5 0a 1d2100 1b4500 1b6100"
        " becdd2b5e6e4d5be20b8dacebbcdc6bcf6b5a5 0a 1b6101 1d286b0400314132 00"
        " 1d286b03003143 06 1d286b03003145 31 1d286b1c00315030"
        + b"https://example.org/j/123".hex()
        + " 1d286b0300315130 1b6100 1c2e 1d564240".replace(" ", ""))
    d = decode(stream)
    assert d.texts == ["岗位推荐单", "就业驿站 岗位推荐单"]
    assert (d.lines[0].align, d.lines[0].bold, d.lines[0].size) == (1, True, 0x11)
    assert (d.lines[1].align, d.lines[1].bold, d.lines[1].size) == (0, False, 0)
    assert d.qr_payloads == [b"https://example.org/j/123"]
    assert d.qr_module_sizes == [6]
    assert d.cuts == [(66, 0x40)]


def test_decoder_rejects_stray_bytes():
    with pytest.raises(ValueError):
        decode(b"\x1c&abc\x07")
