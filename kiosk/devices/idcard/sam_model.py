"""Behaviour of a GA 467 SAM with one card slot, for the simulator (pure, no I/O, no threads).

:class:`SamModel` turns each decoded request into the reply bytes a SAM would send
(``idcard-protocol.md`` §2, §3):

* 11 FF / 10 FF / 60 xx → 0x90; 12 FF → 0x90 + 16-byte SAM ID.
* 20 01 → 0x9F + 4-byte IIN (zeros) while a card lies in the field and has not been read yet,
  else 0x80. After a successful 30 01/30 10 the SAM refuses "find" until the card is removed,
  but still accepts 20 02 and 30 01 (§3.3; inferred from three drivers, not from the standard).
* 20 02 → 0x90 + 8-byte SN (zeros) with a card, else 0x81. The ``no_card`` fault hides the
  card from both 20 01 and 20 02.
* 30 01 / 30 10 → 0x90 + ``TL PL [FL] text photo`` after a select, else 0x41 (the reply to a
  read without select is an open point, §10; 0x41 is our choice). 30 10 returns FL = 0.
* 30 03 → 0x91 (no appended address on simulated cards).
* Unknown command → 0x21; a request with a wrong checksum → 0x10, wrong length → 0x11.

Protocol faults (:data:`PROTOCOL_FAULTS`) turn replies into failures; each failure injected on
purpose carries SW1 SW2 = 6F 00 (ISO 7816-4 "no precise diagnosis"), as §1.3 recommends.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kiosk.devices.idcard.frames import (PHOTO_SIZE, Command, Request, Status, build_card_record,
                                         build_reply, build_sam_id)
from kiosk.domain.identity_card import IdentityCard
from kiosk.devices.idcard.text_block import encode_text_block

PROTOCOL_FAULTS = ("no_card", "select_fail", "read_fail", "sam_fault")
FAULT_SW = (0x6F, 0x00)
DEFAULT_SAM_ID = "05.01-20240101-0000012345-0000067890"
REPLY_SW3 = 9  # index of SW3 in a reply frame: preamble AA AA AA 96 69, length (2), SW1, SW2


def fake_photo(card: IdentityCard) -> bytes:
    """A deterministic opaque 1024-byte stand-in for the WLT photo (SHA-256 stream of the number)."""
    out = bytearray()
    counter = 0
    while len(out) < PHOTO_SIZE:
        out += hashlib.sha256(f"{card.id_number}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:PHOTO_SIZE])


@dataclass
class Fault:
    """An injected fault: ``remaining`` replies left (None = until cleared), optional command."""

    name: str
    remaining: int | None = None
    command: int | None = None

    def applies(self, command: int) -> bool:
        return self.command is None or self.command == command

    def consume(self) -> bool:
        """Count one use; True when the fault is used up."""
        if self.remaining is None:
            return False
        self.remaining -= 1
        return self.remaining <= 0


class SamModel:
    """A SAM with a card slot. Not thread-safe: the simulator calls it under its own lock."""

    def __init__(self, sam_id: str = DEFAULT_SAM_ID) -> None:
        self.sam_id = build_sam_id(sam_id)
        self.card: IdentityCard | None = None
        self._record = b""
        self.selected = False
        self.read_done = False
        self.faults: dict[str, Fault] = {}
        self.handled: list[int] = []  # command of every request answered, for tests
        #: (command, SW3 status) of every reply, in order, for tests
        self.answered: list[tuple[int, int]] = []

    def place(self, card: IdentityCard) -> None:
        """Put ``card`` in the field (replacing any card). Raises ``CardDataError`` if unencodable."""
        text = encode_text_block(card)
        self._record = build_card_record(text, card.photo or fake_photo(card))
        self.card = card
        self.selected = False
        self.read_done = False

    def remove(self) -> None:
        self.card = None
        self._record = b""
        self.selected = False
        self.read_done = False

    def power_cycle(self) -> None:
        """What an unplug/replug does: the SAM forgets selection and the "already read" state."""
        self.selected = False
        self.read_done = False

    def _fault(self, name: str, command: int) -> bool:
        fault = self.faults.get(name)
        if fault is None or not fault.applies(command):
            return False
        if fault.consume():
            del self.faults[name]
        return True

    def handle(self, request: Request) -> bytes:
        """The reply frame for one request (recorded in :attr:`handled` and :attr:`answered`)."""
        self.handled.append(request.command)
        reply = self._answer(request)
        self.answered.append((request.command, reply[REPLY_SW3]))
        return reply

    def _answer(self, request: Request) -> bytes:
        command = request.command
        if self._fault("sam_fault", command):
            return build_reply(Status.SAM_SELF_TEST_FAILED)
        if command in (Command.SAM_STATUS, Command.RESET_SAM) or command >> 8 == 0x60:
            if command == Command.RESET_SAM:
                self.selected = False
            if command >> 8 == 0x60 and command & 0xFF > 4:
                return build_reply(Status.COMMAND_INVALID)
            return build_reply(Status.SUCCESS)
        if command == Command.READ_SAM_ID:
            return build_reply(Status.SUCCESS, self.sam_id)
        if command == Command.FIND_CARD:
            if self.card is None or self.read_done or self._fault("no_card", command):
                return build_reply(Status.FIND_FAILED)
            return build_reply(Status.FIND_SUCCESS, bytes(4))
        if command == Command.SELECT_CARD:
            if self.card is None or self._fault("no_card", command):
                return build_reply(Status.SELECT_FAILED)
            if self._fault("select_fail", command):
                return build_reply(Status.SELECT_FAILED, sw1=FAULT_SW[0], sw2=FAULT_SW[1])
            self.selected = True
            return build_reply(Status.SUCCESS, bytes(8))
        if command in (Command.READ_TEXT_PHOTO, Command.READ_TEXT_PHOTO_FINGERPRINT):
            if self.card is None or not self.selected:
                return build_reply(Status.READ_FAILED)
            if self._fault("read_fail", command):
                return build_reply(Status.READ_FAILED, sw1=FAULT_SW[0], sw2=FAULT_SW[1])
            self.read_done = True
            if command == Command.READ_TEXT_PHOTO:
                return build_reply(Status.SUCCESS, self._record)
            # 30 10 layout: TL PL FL(=0) text photo
            return build_reply(Status.SUCCESS,
                               self._record[:4] + b"\x00\x00" + self._record[4:])
        if command == Command.READ_APPENDED_ADDRESS:
            if self.card is None or not self.selected:
                return build_reply(Status.READ_FAILED)
            return build_reply(Status.NO_CONTENT)
        return build_reply(Status.COMMAND_INVALID)

    @staticmethod
    def reply_to_bad_request(status: Status) -> bytes:
        """0x10 (checksum) or 0x11 (length) for a request the SAM could not decode."""
        return build_reply(status)
