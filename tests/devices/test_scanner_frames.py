"""Scanner framing, exact bytes: suffixes, AIM identifiers (ISO/IEC 15424), UTF-8/GB18030, faults.

The framer gets explicit times (seconds), so the inter-character rules are tested without sleeping.
"""

from __future__ import annotations

import pytest

from kiosk.devices.scanner.errors import (PartialScanError, ScanDecodeError, ScanTooLongError,
                                          SymbologyIdentifierError)
from kiosk.devices.scanner.frames import (FramerConfig, ScanFramer, Suffix, decode_scan,
                                          encode_scan)
from kiosk.devices.scanner.symbology import (AimMode, check_identifier, identifier_length,
                                             split_symbology, symbology_name)

CODE = "KIOSK-FAIR-20261201-7Q3X"


@pytest.mark.parametrize("suffix, tail", [
    (Suffix.CR, b"\r"), (Suffix.LF, b"\n"), (Suffix.CRLF, b"\r\n"), (Suffix.NONE, b"")])
def test_encode_scan_exact_bytes_per_suffix(suffix: Suffix, tail: bytes) -> None:
    assert encode_scan(CODE, suffix) == CODE.encode("ascii") + tail
    assert encode_scan("报到", suffix, aim="]Q1") == b"]Q1\xe6\x8a\xa5\xe5\x88\xb0" + tail
    assert encode_scan("报到", suffix, encoding="gb18030") == b"\xb1\xa8\xb5\xbd" + tail


def test_encode_scan_refuses_bad_identifier_and_encoding() -> None:
    for aim in ("]Q", "Q1", "]!1", "]Q1x", ""):
        with pytest.raises(ValueError, match="AIM symbology identifier"):
            encode_scan(CODE, aim=aim)
    with pytest.raises(ValueError, match="utf-8 or gb18030"):
        encode_scan(CODE, encoding="latin-1")
    with pytest.raises(UnicodeEncodeError):
        encode_scan("\ud800", encoding="gb18030")


def frames(suffix: Suffix, *chunks: tuple[bytes, float], end: float | None = None,
           timeout: float = 0.05, limit: int = 8192) -> list[object]:
    framer = ScanFramer(FramerConfig(suffix, timeout, limit))
    for data, at in chunks:
        framer.feed(data, at)
    if end is not None:
        framer.expire(end)
    out = []
    while (item := framer.pop()) is not None:
        out.append(item)
    return out


@pytest.mark.parametrize("suffix", [Suffix.CR, Suffix.LF, Suffix.CRLF])
def test_two_scans_in_one_chunk_and_one_scan_in_pieces(suffix: Suffix) -> None:
    one, two = encode_scan("ABC123", suffix), encode_scan("]Q1报到", suffix)
    assert frames(suffix, (one + two, 0.0)) == [b"ABC123", "]Q1报到".encode()]
    pieces = [(two[i:i + 2], i * 0.01) for i in range(0, len(two), 2)]  # 10 ms apart
    assert frames(suffix, *pieces, end=1.0) == ["]Q1报到".encode()]


def test_suffix_none_frame_ends_after_the_inter_character_silence() -> None:
    framer = ScanFramer(FramerConfig(Suffix.NONE, 0.05))
    framer.feed(b"ABC", 0.0)
    framer.feed(b"DEF", 0.05)          # a gap of exactly 50 ms still joins
    framer.expire(0.10)                # 50 ms after the last byte: not yet
    assert framer.pop() is None and framer.next_deadline() == pytest.approx(0.10)
    framer.expire(0.1001)
    assert framer.pop() == b"ABCDEF"
    framer.feed(b"GHI", 0.2)
    framer.feed(b"JKL", 0.2501)        # 50.1 ms later: a new frame
    framer.expire(1.0)
    assert [framer.pop(), framer.pop(), framer.pop()] == [b"GHI", b"JKL", None]


def test_partial_frame_without_its_suffix_is_an_error_and_is_dropped() -> None:
    out = frames(Suffix.CR, (b"KIOSK-FA", 0.0), end=0.0501)
    assert len(out) == 1 and isinstance(out[0], PartialScanError)
    assert (out[0].length, round(out[0].gap_s, 4)) == (8, 0.0501)
    assert CODE not in str(out[0]) and "KIOSK" not in str(out[0])
    # the next complete frame is unaffected
    framer = ScanFramer(FramerConfig(Suffix.CR, 0.05))
    framer.feed(b"KIOSK-FA", 0.0)
    framer.feed(b"ABC\r", 0.2)         # the silence is noticed when the next bytes come
    assert isinstance(framer.pop(), PartialScanError) and framer.pop() == b"ABC"


def test_lenient_line_endings_and_empty_frames() -> None:
    # a CRLF scanner on a CR setting: the LF is dropped from the next frame; on LF, the CR
    assert frames(Suffix.CR, (b"AB\r\nCD\r\n", 0.0), end=1.0) == [b"AB", b"CD"]
    assert frames(Suffix.LF, (b"AB\r\nCD\r\n", 0.0), end=1.0) == [b"AB", b"CD"]
    assert frames(Suffix.CR, (b"\r\r\rAB\r", 0.0)) == [b"AB"]
    # a lone CR inside a CRLF frame is data (multi-line QR contents)
    assert frames(Suffix.CRLF, (b"L1\rL2\r\n", 0.0)) == [b"L1\rL2"]


def test_too_long_frame_is_reported_once_and_skipped_to_the_next_suffix() -> None:
    out = frames(Suffix.CRLF, (b"X" * 30, 0.0), (b"Y" * 30 + b"\r", 0.001), (b"\nOK\r\n", 0.002),
                 limit=40)
    assert len(out) == 2 and isinstance(out[0], ScanTooLongError)
    # 61: the CR of the CRLF had arrived too when the limit was crossed
    assert (out[0].length, out[0].limit) == (61, 40) and out[1] == b"OK"


def test_decode_utf8_gb18030_and_garbled() -> None:
    utf8 = decode_scan("就业驿站".encode())
    gb = decode_scan("就业驿站".encode("gb18030"))
    assert (utf8.text, utf8.encoding) == ("就业驿站", "utf-8")
    assert (gb.text, gb.encoding) == ("就业驿站", "gb18030")
    assert decode_scan("𠮷".encode("gb18030")).text == "𠮷"  # a 4-byte GB18030 sequence
    with pytest.raises(ScanDecodeError) as info:
        decode_scan(b"AB\x80\xff\xfe")
    assert (info.value.length, info.value.offset) == (5, 2)
    assert "neither UTF-8 nor GB18030" in str(info.value) and info.value.message_zh
    with pytest.raises(ScanDecodeError, match="U\\+0000 at 2"):
        decode_scan(b"AB\x00CD")
    gs1 = decode_scan(b"]C1010123456789012810ABC\x1d17261231")
    assert (gs1.symbology, gs1.text) == ("]C1", "010123456789012810ABC\x1d17261231")


@pytest.mark.parametrize("raw, symbology, text, name", [
    ("]Q1https://example.invalid/r/ABC", "]Q1", "https://example.invalid/r/ABC", "QR Code"),
    ("]E09787111234567", "]E0", "9787111234567", "EAN/UPC"),
    ("]C1" + "0101234567890128", "]C1", "0101234567890128", "Code 128"),
    ("]d2" + "DM", "]d2", "DM", "Data Matrix"),
    ("]h0" + "汉信码", "]h0", "汉信码", "Han Xin Code"),
    ("]Y2AB" + "data", "]Y2AB", "data", "system expansion"),
])
def test_aim_identifiers_are_stripped_and_reported(raw: str, symbology: str, text: str,
                                                   name: str) -> None:
    scan = decode_scan(raw.encode(), AimMode.AUTO)
    assert (scan.symbology, scan.text, scan.symbology_name) == (symbology, text, name)
    assert decode_scan(raw.encode(), AimMode.ON).symbology == symbology
    off = decode_scan(raw.encode(), AimMode.OFF)
    assert (off.symbology, off.text) == (None, raw)


def test_aim_modes_on_text_without_identifier() -> None:
    for text in ("https://example.invalid", "]", "]q1abc", "]Q", "]Q-abc"):
        assert split_symbology(text, AimMode.AUTO) == (None, text)
        with pytest.raises(SymbologyIdentifierError, match="expected an AIM"):
            split_symbology(text, AimMode.ON, 9)
    with pytest.raises(SymbologyIdentifierError, match="no data after"):
        split_symbology("]Q1", AimMode.AUTO)
    assert split_symbology("]Q1", AimMode.OFF) == (None, "]Q1")
    assert (identifier_length("]Y1"), identifier_length("]Y0x")) == (0, 3)
    assert symbology_name("]W0") == "unknown" and check_identifier("]E0") == "]E0"


def test_scan_repr_hides_the_text() -> None:
    scan = decode_scan(b"]Q1TOKEN-SECRET-123")
    assert "TOKEN" not in repr(scan) and scan.to_json() == {"text": "TOKEN-SECRET-123",
                                                             "symbology": "]Q1"}
