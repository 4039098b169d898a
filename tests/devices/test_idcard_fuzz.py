"""Property-based fuzzing of the codec: random and mutated input raises only typed errors."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.devices.idcard.errors import CardDataError, FrameError
from kiosk.devices.idcard.frames import (PREAMBLE, Command, FrameDecoder, Reply, Status,
                                         build_card_record, build_reply, build_request,
                                         parse_card_record)
from kiosk.domain.identity_card import IdentityCard
from kiosk.devices.idcard.text_block import encode_text_block, parse_text_block

CARDS = Path(__file__).resolve().parents[2] / "assets" / "demo" / "cards"
TEXTS = [encode_text_block(IdentityCard.from_json(json.loads(p.read_text("utf-8"))))
         for p in sorted(CARDS.glob("*.json"))]
VALID = [build_reply(Status.SUCCESS, build_card_record(t, bytes(1024))) for t in TEXTS] + \
    [build_reply(s) for s in Status] + [build_reply(Status.FIND_SUCCESS, bytes(4))]


def drain(decoder: FrameDecoder) -> list[Reply]:
    out = []
    for _ in range(10_000):
        try:
            frame = decoder.next_frame()
        except FrameError:
            continue
        if frame is None:
            return out
        out.append(frame)
    raise AssertionError("decoder did not terminate")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), st.integers(1, 64))
def test_random_bytes_only_typed_errors(data: bytes, chunk: int) -> None:
    decoder = FrameDecoder()
    for i in range(0, len(data), chunk):
        decoder.feed(data[i:i + chunk])
        drain(decoder)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VALID), st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 255)),
                                         max_size=6),
       st.binary(max_size=20), st.integers(1, 200))
def test_mutated_frames_only_typed_errors(frame: bytes, flips: list[tuple[int, int]],
                                          prefix: bytes, chunk: int) -> None:
    mutated = bytearray(frame)
    for pos, value in flips:
        mutated[pos % len(mutated)] = value
    stream = prefix + bytes(mutated) + frame  # a good copy follows the damaged one
    decoder = FrameDecoder()
    frames: list[Reply] = []
    for i in range(0, len(stream), chunk):
        decoder.feed(stream[i:i + chunk])
        frames += drain(decoder)
    for reply in frames:
        if reply.status == Status.SUCCESS and len(reply.data) > 4:
            try:
                record = parse_card_record(reply.data)
                parse_text_block(record.text, record.photo)
            except (FrameError, CardDataError):
                pass
    if not flips and PREAMBLE not in prefix:
        assert frames[-1].status == frame[9]


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=256, max_size=256))
def test_random_text_block_only_card_data_error(raw: bytes) -> None:
    try:
        card = parse_text_block(raw)
    except CardDataError:
        return
    card.to_json()
    _ = card.id_number_valid


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TEXTS), st.lists(st.tuples(st.integers(0, 255), st.integers(0, 255)),
                                        min_size=1, max_size=8))
def test_mutated_text_block_only_card_data_error(text: bytes, flips: list[tuple[int, int]]) -> None:
    raw = bytearray(text)
    for pos, value in flips:
        raw[pos] = value
    try:
        card = parse_text_block(bytes(raw))
    except CardDataError:
        return
    card.to_json(reveal=True)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(list(Command)), st.binary(max_size=8))
def test_request_round_trip(command: Command, data: bytes) -> None:
    decoder = FrameDecoder("request")
    decoder.feed(build_request(command, data))
    request = decoder.next_frame()
    assert request is not None and (request.command, request.data) == (command.value, data)
