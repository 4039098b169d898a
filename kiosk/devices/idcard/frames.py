"""GA 467 SAM frame codec: build requests and replies, cut frames out of a byte stream.

Pure functions and a stateful stream decoder; no I/O. Layouts (``shared/design/idcard-protocol.md``
§1.2–§1.4, §3):

Request (host → reader)::

    AA AA AA 96 69 | Len1 Len2 | CMD | Para | Data… | CHK

Reply (reader → host)::

    AA AA AA 96 69 | Len1 Len2 | SW1 | SW2 | SW3 | Data… | CHK

``Len`` is big-endian and counts every byte after itself (CMD…CHK or SW1…CHK), so a frame is
``7 + Len`` bytes long. ``CHK`` is the XOR of every byte from ``Len1`` up to, not including,
``CHK``. The outcome of a command is decided on SW3 only; SW1/SW2 (forwarded card status words)
are kept for diagnostics.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass
from functools import reduce
from operator import xor

from kiosk.devices.idcard.errors import ChecksumError, FrameLengthError, PayloadError, SamError

PREAMBLE = b"\xAA\xAA\xAA\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2  # preamble + Len1 Len2
MIN_REQUEST_LENGTH = 3           # CMD Para CHK
MAX_REQUEST_LENGTH = 3 + 64      # GA 467 requests carry at most a few data bytes
MIN_REPLY_LENGTH = 4             # SW1 SW2 SW3 CHK
MAX_REPLY_LENGTH = 2321 - HEADER_SIZE  # 30 10 with two fingerprint templates (§3.1)

TEXT_SIZE = 256
PHOTO_SIZE = 1024
SAM_ID_SIZE = 16


class Command(enum.IntEnum):
    """CMD and Para as one 16-bit value (``0x3001`` = CMD 0x30, Para 0x01), §3.1."""

    RESET_SAM = 0x10FF
    SAM_STATUS = 0x11FF
    READ_SAM_ID = 0x12FF
    FIND_CARD = 0x2001
    SELECT_CARD = 0x2002
    READ_TEXT_PHOTO = 0x3001
    READ_APPENDED_ADDRESS = 0x3003
    READ_TEXT_PHOTO_FINGERPRINT = 0x3010
    SET_BAUD_115200 = 0x6000
    SET_BAUD_57600 = 0x6001
    SET_BAUD_38400 = 0x6002
    SET_BAUD_19200 = 0x6003
    SET_BAUD_9600 = 0x6004

    @property
    def cmd(self) -> int:
        return self.value >> 8

    @property
    def para(self) -> int:
        return self.value & 0xFF

    @property
    def label(self) -> str:
        """"30 01"-style text used in errors and logs."""
        return f"{self.cmd:02X} {self.para:02X}"


class Status(enum.IntEnum):
    """SW3 values (§2)."""

    SUCCESS = 0x90
    FIND_SUCCESS = 0x9F
    COMMAND_CHECKSUM = 0x10
    COMMAND_LENGTH = 0x11
    COMMAND_INVALID = 0x21
    UNAUTHORISED_OPERATION = 0x23
    UNRECOGNISED_ERROR = 0x24
    CARD_AUTH_OF_SAM_FAILED = 0x31
    SAM_AUTH_OF_CARD_FAILED = 0x32
    VERIFICATION_FAILED = 0x33
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_NUMBER_FAILED = 0x47
    SAM_SELF_TEST_FAILED = 0x60
    SAM_NOT_AUTHORISED = 0x66
    FIND_FAILED = 0x80
    SELECT_FAILED = 0x81
    NO_CONTENT = 0x91


STATUS_TEXT: dict[int, str] = {
    0x90: "success (操作成功)",
    0x9F: "card found (寻找证/卡成功)",
    0x10: "command checksum wrong (校验和错)",
    0x11: "command length wrong (长度错)",
    0x21: "command invalid (命令错误)",
    0x23: "unauthorised operation (越权操作)",
    0x24: "unrecognised error (无法识别的错误)",
    0x31: "card failed to authenticate the SAM (证/卡认证SAM失败)",
    0x32: "SAM failed to authenticate the card (SAM认证证/卡失败)",
    0x33: "information verification error (信息验证错误)",
    0x40: "unrecognised card type (无法识别的卡类型)",
    0x41: "reading the card failed (读证/卡操作失败)",
    0x47: "getting a random number failed (取随机数失败)",
    0x60: "SAM self-test failed (SAM自检失败，不能接收命令)",
    0x66: "SAM not authorised (SAM未经授权)",
    0x80: "find card failed (寻找证/卡失败)",
    0x81: "select card failed (选取证/卡失败)",
    0x91: "no content for this item (证/卡中此项无内容)",
}


def describe_status(status: int) -> str:
    return STATUS_TEXT.get(status, "unknown status")


def checksum(data: bytes) -> int:
    """XOR of all bytes of ``data`` (callers pass Len1 … last byte before CHK)."""
    return reduce(xor, data, 0)


def _frame(body: bytes) -> bytes:
    length = len(body) + 1
    head = length.to_bytes(2, "big") + body
    return PREAMBLE + head + bytes((checksum(head),))


def build_request(command: Command | int, data: bytes = b"") -> bytes:
    """Request frame for ``command`` (a :class:`Command` or a raw 0xCCPP value).

    >>> build_request(Command.FIND_CARD).hex(" ")
    'aa aa aa 96 69 00 03 20 01 22'
    """
    value = int(command)
    return _frame(bytes((value >> 8, value & 0xFF)) + bytes(data))


def build_reply(status: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    """Reply frame with SW1 SW2 SW3 and data, as the SAM sends it (used by the simulator).

    >>> build_reply(Status.SUCCESS).hex(" ")
    'aa aa aa 96 69 00 04 00 00 90 94'
    """
    return _frame(bytes((sw1, sw2, status)) + bytes(data))


def frame_size(data_length: int, *, reply: bool = True) -> int:
    """Total bytes on the wire of a frame carrying ``data_length`` data bytes."""
    return HEADER_SIZE + (4 if reply else 3) + data_length


@dataclass(frozen=True)
class Request:
    """A decoded request: ``command`` is the 16-bit CMD/Para value."""

    command: int
    data: bytes = b""

    @property
    def label(self) -> str:
        return f"{self.command >> 8:02X} {self.command & 0xFF:02X}"


@dataclass(frozen=True)
class Reply:
    """A decoded reply. ``status`` is SW3; ``sw1``/``sw2`` are diagnostics only."""

    sw1: int
    sw2: int
    status: int
    data: bytes = b""

    def expect(self, command: Command, *accepted: int) -> Reply:
        """Return self if SW3 is one of ``accepted`` (default 0x90), else raise :class:`SamError`."""
        if self.status in (accepted or (Status.SUCCESS,)):
            return self
        raise SamError(command.label, self.status, self.sw1, self.sw2,
                       describe_status(self.status))

    def __repr__(self) -> str:  # never print the data: it may hold the text block
        return (f"Reply(sw1={self.sw1:#04x}, sw2={self.sw2:#04x}, status={self.status:#04x}, "
                f"data=<{len(self.data)} bytes>)")


class FrameDecoder:
    """Cuts whole frames out of a byte stream fed in pieces of any size.

    * Bytes before a preamble are dropped (counted in :attr:`discarded`); a tail that could be the
      start of a preamble is kept until more bytes arrive.
    * A frame is returned only once all ``7 + Len`` bytes are there and its XOR checksum matches.
    * Several frames in one :meth:`feed` are returned in order by :meth:`frames`.

    ``direction`` is ``"reply"`` (reader → host, decoded as :class:`Reply`) or ``"request"``.

    Errors (raised by :meth:`next_frame`; the decoder has already skipped the bad bytes, so the
    caller may keep calling it): :class:`FrameLengthError` for a length field outside the limits
    of the direction (one byte is dropped and the search resumes), :class:`ChecksumError` for a
    complete frame whose checksum is wrong (the whole frame is dropped).
    """

    def __init__(self, direction: str = "reply") -> None:
        if direction not in ("reply", "request"):
            raise ValueError("direction must be 'reply' or 'request'")
        self._reply = direction == "reply"
        self._min = MIN_REPLY_LENGTH if self._reply else MIN_REQUEST_LENGTH
        self._max = MAX_REPLY_LENGTH if self._reply else MAX_REQUEST_LENGTH
        self._buf = bytearray()
        self.discarded = 0

    def reset(self) -> None:
        """Forget buffered bytes (before sending a new request)."""
        self._buf.clear()

    def feed(self, data: bytes) -> None:
        self._buf += data

    @property
    def buffered(self) -> int:
        """Bytes held that belong to no complete frame yet."""
        return len(self._buf)

    @property
    def in_frame(self) -> bool:
        """True when a preamble has been seen and the rest of its frame is awaited."""
        return self._buf.startswith(PREAMBLE)

    @property
    def expected_size(self) -> int | None:
        """Total size of the frame being received, once its length field has arrived."""
        if len(self._buf) >= HEADER_SIZE and self.in_frame:
            return HEADER_SIZE + int.from_bytes(self._buf[5:7], "big")
        return None

    def _sync(self) -> None:
        start = self._buf.find(PREAMBLE)
        if start < 0:
            keep = 0
            for n in range(min(len(PREAMBLE) - 1, len(self._buf)), 0, -1):
                if self._buf.endswith(PREAMBLE[:n]):
                    keep = n
                    break
            start = len(self._buf) - keep
        if start:
            self.discarded += start
            del self._buf[:start]

    def next_frame(self) -> Reply | Request | None:
        """The next complete, checksum-verified frame, or None when more bytes are needed."""
        self._sync()
        if len(self._buf) < HEADER_SIZE:
            return None
        length = int.from_bytes(self._buf[5:7], "big")
        if not self._min <= length <= self._max:
            header = bytes(self._buf[:HEADER_SIZE])
            del self._buf[:1]
            self.discarded += 1
            raise FrameLengthError(length, self._min, self._max, header)
        total = HEADER_SIZE + length
        if len(self._buf) < total:
            return None
        frame = bytes(self._buf[:total])
        del self._buf[:total]
        expected = checksum(frame[5:-1])
        if expected != frame[-1]:
            raise ChecksumError(expected, frame[-1], frame[:10])
        if self._reply:
            return Reply(frame[7], frame[8], frame[9], frame[10:-1])
        return Request((frame[7] << 8) | frame[8], frame[9:-1])

    def frames(self) -> list[Reply | Request]:
        """All complete frames buffered now (raises like :meth:`next_frame`)."""
        out = []
        while (frame := self.next_frame()) is not None:
            out.append(frame)
        return out


@dataclass(frozen=True)
class CardRecord:
    """The data part of a 30 01 / 30 10 reply: text block, WLT photo, fingerprint templates."""

    text: bytes
    photo: bytes
    fingerprint: bytes = b""

    def __repr__(self) -> str:
        return (f"CardRecord(text=<{len(self.text)} bytes>, photo=<{len(self.photo)} bytes>, "
                f"fingerprint=<{len(self.fingerprint)} bytes>)")


def parse_card_record(data: bytes, *, with_fingerprint: bool = False) -> CardRecord:
    """Split the data of a 30 01 (``TL PL text photo``) or 30 10 (``TL PL FL …``) reply.

    TL, PL, FL are big-endian u16 (§3.2); TL must be 256 and PL 1024, FL 0, 512 or 1024.

    Raises:
        PayloadError: the lengths are not those, or do not add up to ``len(data)``.
    """
    head = 6 if with_fingerprint else 4
    if len(data) < head:
        raise PayloadError(f"read reply has {len(data)} data bytes, fewer than its {head}-byte header")
    tl, pl = struct.unpack_from(">HH", data)
    fl = struct.unpack_from(">H", data, 4)[0] if with_fingerprint else 0
    if tl != TEXT_SIZE or pl != PHOTO_SIZE or fl not in (0, 512, 1024):
        raise PayloadError(f"read reply lengths TL={tl} PL={pl} FL={fl}, "
                           f"expected TL={TEXT_SIZE} PL={PHOTO_SIZE} FL in 0/512/1024")
    if len(data) != head + tl + pl + fl:
        raise PayloadError(f"read reply has {len(data)} data bytes, lengths announce {head + tl + pl + fl}")
    text = data[head:head + tl]
    photo = data[head + tl:head + tl + pl]
    return CardRecord(text, photo, data[head + tl + pl:])


def build_card_record(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    """Inverse of :func:`parse_card_record`: ``fingerprint=None`` gives the 30 01 layout."""
    if len(text) != TEXT_SIZE or len(photo) != PHOTO_SIZE:
        raise ValueError("text must be 256 bytes and photo 1024 bytes")
    if fingerprint is None:
        return struct.pack(">HH", TEXT_SIZE, PHOTO_SIZE) + text + photo
    return struct.pack(">HHH", TEXT_SIZE, PHOTO_SIZE, len(fingerprint)) + text + photo + fingerprint


def format_sam_id(data: bytes) -> str:
    """The 16-byte 12 FF reply as ``%02d.%02d-%08d-%010d-%010d`` (SDT_GetSAMIDToStr, §3.2).

    Five little-endian integers u16 u16 u32 u32 u32. Raises :class:`PayloadError` on a wrong size.
    """
    if len(data) != SAM_ID_SIZE:
        raise PayloadError(f"SAM ID reply has {len(data)} data bytes, expected {SAM_ID_SIZE}")
    a, b, c, d, e = struct.unpack("<HHIII", data)
    return f"{a:02d}.{b:02d}-{c:08d}-{d:010d}-{e:010d}"


def build_sam_id(text: str) -> bytes:
    """Inverse of :func:`format_sam_id` (the simulator answers 12 FF with it)."""
    head, c, d, e = text.split("-")
    a, b = head.split(".")
    return struct.pack("<HHIII", int(a), int(b), int(c), int(d), int(e))
