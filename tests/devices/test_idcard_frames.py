"""Golden GA 467 frames (idcard-protocol.md §1.4) and the stream decoder."""

from __future__ import annotations

import pytest

from kiosk.devices.idcard.errors import ChecksumError, FrameLengthError, PayloadError, SamError
from kiosk.devices.idcard.frames import (Command, FrameDecoder, Reply, Request, Status,
                                         build_card_record, build_reply, build_request,
                                         build_sam_id, checksum, format_sam_id, parse_card_record)


def h(text: str) -> bytes:
    return bytes.fromhex(text)


REQUESTS = {
    Command.RESET_SAM: "AA AA AA 96 69 00 03 10 FF EC",
    Command.SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    Command.READ_SAM_ID: "AA AA AA 96 69 00 03 12 FF EE",
    Command.FIND_CARD: "AA AA AA 96 69 00 03 20 01 22",
    Command.SELECT_CARD: "AA AA AA 96 69 00 03 20 02 21",
    Command.READ_TEXT_PHOTO: "AA AA AA 96 69 00 03 30 01 32",
    Command.READ_APPENDED_ADDRESS: "AA AA AA 96 69 00 03 30 03 30",
    Command.READ_TEXT_PHOTO_FINGERPRINT: "AA AA AA 96 69 00 03 30 10 23",
    Command.SET_BAUD_115200: "AA AA AA 96 69 00 03 60 00 63",
    Command.SET_BAUD_57600: "AA AA AA 96 69 00 03 60 01 62",
    Command.SET_BAUD_38400: "AA AA AA 96 69 00 03 60 02 61",
    Command.SET_BAUD_19200: "AA AA AA 96 69 00 03 60 03 60",
    Command.SET_BAUD_9600: "AA AA AA 96 69 00 03 60 04 67",
}


@pytest.mark.parametrize("command", list(Command))
def test_request_golden(command: Command) -> None:
    assert build_request(command) == h(REQUESTS[command])


ERROR_REPLIES = {
    Status.SUCCESS: "AA AA AA 96 69 00 04 00 00 90 94",
    Status.FIND_FAILED: "AA AA AA 96 69 00 04 00 00 80 84",
    Status.SELECT_FAILED: "AA AA AA 96 69 00 04 00 00 81 85",
    Status.READ_FAILED: "AA AA AA 96 69 00 04 00 00 41 45",
    Status.SAM_SELF_TEST_FAILED: "AA AA AA 96 69 00 04 00 00 60 64",
    Status.COMMAND_CHECKSUM: "AA AA AA 96 69 00 04 00 00 10 14",
    Status.COMMAND_LENGTH: "AA AA AA 96 69 00 04 00 00 11 15",
    Status.COMMAND_INVALID: "AA AA AA 96 69 00 04 00 00 21 25",
    Status.NO_CONTENT: "AA AA AA 96 69 00 04 00 00 91 95",
}


@pytest.mark.parametrize("status", list(Status))
def test_every_status_reply_builds_and_decodes(status: Status) -> None:
    frame = build_reply(status)
    if status in ERROR_REPLIES:
        assert frame == h(ERROR_REPLIES[status])
    assert frame[:9] == h("AA AA AA 96 69 00 04 00 00") and frame[9] == status
    assert frame[10] == 0x04 ^ status
    decoder = FrameDecoder()
    decoder.feed(frame)
    assert decoder.frames() == [Reply(0, 0, status, b"")]


def test_find_and_select_ok_golden() -> None:
    assert build_reply(Status.FIND_SUCCESS, bytes(4)) == h("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
    assert build_reply(Status.SUCCESS, bytes(8)) == h("AA AA AA 96 69 00 0C 00 00 90") + bytes(8) + h("9C")


def test_read_reply_is_1295_bytes_with_len_0508() -> None:
    frame = build_reply(Status.SUCCESS, build_card_record(bytes(256), bytes(1024)))
    assert len(frame) == 1295
    assert frame[5:14] == h("05 08 00 00 90 01 00 04 00")
    assert frame[-1] == checksum(frame[5:-1])


def test_expect_raises_sam_error_with_sw1_sw2() -> None:
    reply = Reply(0x6F, 0x00, Status.READ_FAILED)
    with pytest.raises(SamError) as info:
        reply.expect(Command.READ_TEXT_PHOTO)
    assert (info.value.status, info.value.sw1, info.value.sw2, info.value.command) == \
        (0x41, 0x6F, 0x00, "30 01")
    assert Reply(0, 0, 0x9F).expect(Command.FIND_CARD, 0x9F, 0x80).status == 0x9F


def test_decoder_resynchronises_after_stray_bytes_and_partial_preamble() -> None:
    decoder = FrameDecoder()
    decoder.feed(h("00 13 AA 55 AA AA AA 96") + build_reply(Status.SUCCESS))
    assert decoder.frames() == [Reply(0, 0, 0x90)]
    assert decoder.discarded == 8


def test_decoder_handles_split_and_byte_by_byte() -> None:
    frame = build_reply(Status.FIND_SUCCESS, h("01 02 03 04"), sw1=0x12, sw2=0x34)
    decoder = FrameDecoder()
    for byte in frame[:-1]:
        decoder.feed(bytes((byte,)))
        assert decoder.next_frame() is None
    assert decoder.expected_size == 15
    decoder.feed(frame[-1:])
    assert decoder.next_frame() == Reply(0x12, 0x34, 0x9F, h("01 02 03 04"))
    # the last feed completes it
    decoder2 = FrameDecoder()
    decoder2.feed(frame[:3])
    assert decoder2.next_frame() is None and decoder2.buffered == 3  # AA AA AA kept
    decoder2.feed(frame[3:])
    assert decoder2.frames() == [Reply(0x12, 0x34, 0x9F, h("01 02 03 04"))]


def test_decoder_returns_several_frames_from_one_feed() -> None:
    decoder = FrameDecoder()
    decoder.feed(build_reply(0x80) + b"\xFF" + build_reply(0x9F, bytes(4)) + build_reply(0x90)[:6])
    assert [f.status for f in decoder.frames()] == [0x80, 0x9F]
    assert decoder.buffered == 6


def test_checksum_error_drops_the_frame_and_continues() -> None:
    bad = bytearray(build_reply(Status.SUCCESS))
    bad[-1] ^= 0xFF
    decoder = FrameDecoder()
    decoder.feed(bytes(bad) + build_reply(Status.FIND_FAILED))
    with pytest.raises(ChecksumError) as info:
        decoder.next_frame()
    assert (info.value.expected, info.value.actual) == (0x94, 0x6B)
    assert decoder.next_frame() == Reply(0, 0, 0x80)


def test_length_out_of_range_is_a_typed_error_then_resync() -> None:
    decoder = FrameDecoder()
    decoder.feed(h("AA AA AA 96 69 FF FF") + build_reply(Status.SUCCESS))
    with pytest.raises(FrameLengthError) as info:
        decoder.next_frame()
    assert info.value.length == 0xFFFF
    assert decoder.frames() == [Reply(0, 0, 0x90)]


def test_request_decoder() -> None:
    decoder = FrameDecoder("request")
    decoder.feed(h(REQUESTS[Command.READ_TEXT_PHOTO]) + h(REQUESTS[Command.FIND_CARD]))
    assert decoder.frames() == [Request(0x3001), Request(0x2001)]


def test_card_record_layouts() -> None:
    text, photo = bytes(range(256)), bytes(1024)
    assert parse_card_record(build_card_record(text, photo)).text == text
    with_fp = build_card_record(text, photo, b"\x01" * 512)
    assert with_fp[:6] == h("01 00 04 00 02 00")
    record = parse_card_record(with_fp, with_fingerprint=True)
    assert (record.text, record.photo, record.fingerprint) == (text, photo, b"\x01" * 512)
    with pytest.raises(PayloadError):
        parse_card_record(h("01 00 04 01") + bytes(1281))
    with pytest.raises(PayloadError):
        parse_card_record(build_card_record(text, photo)[:-1])


def test_sam_id_format() -> None:
    data = build_sam_id("05.01-20101227-0012345678-0123456789")
    assert len(data) == 16 and data[:4] == h("05 00 01 00")
    assert format_sam_id(data) == "05.01-20101227-0012345678-0123456789"
    with pytest.raises(PayloadError):
        format_sam_id(data[:15])
