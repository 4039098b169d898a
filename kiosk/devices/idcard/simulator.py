"""A byte-exact GA 467 reader on a pseudo-terminal, so the real driver runs through pyserial.

:class:`CardSimulator` opens a pty, answers requests with :class:`SamModel` on its own thread
and exposes a stable path (:attr:`CardSimulator.port`, a symlink to ``/dev/pts/N`` in a private
temporary folder, like a udev ``by-id`` link) that survives :meth:`~CardSimulator.unplug` /
:meth:`~CardSimulator.replug`. Used in-process by demo mode and tests, and standalone by
``kiosk card simulate``. POSIX only (``os.openpty``).

With ``pace=True`` every byte takes 10 bit-times at ``baudrate`` (8N1): a request is answered
only once its own wire time has passed, and a reply is released in 32-byte pieces on that
schedule.

Faults (:meth:`CardSimulator.set_fault`): the protocol faults of :mod:`.sam_model`
(``no_card``, ``select_fail``, ``read_fail``, ``sam_fault``) and wire faults:

==============  =========================================================================
bad_checksum    the reply's last byte is inverted
stray_bytes     8 junk bytes (ending in a partial preamble AA AA AA 96) precede the reply
split           the reply is written in 3 pieces 5 ms apart
slow            300 ms before the first byte, then 64-byte pieces 20 ms apart
stall           only the first half of the reply is sent
mute            no reply at all
==============  =========================================================================
"""

from __future__ import annotations

import fcntl
import logging
import os
import select
import shutil
import tempfile
import threading
import time
import tty
from pathlib import Path
from typing import Any
from collections.abc import Mapping

from kiosk.devices.idcard.errors import ChecksumError, FrameError, FrameLengthError
from kiosk.devices.idcard.frames import FrameDecoder, Request, Status
from kiosk.domain.identity_card import IdentityCard
from kiosk.devices.idcard.sam_model import DEFAULT_SAM_ID, PROTOCOL_FAULTS, Fault, SamModel

log = logging.getLogger(__name__)

WIRE_FAULTS = ("bad_checksum", "stray_bytes", "split", "slow", "stall", "mute")
FAULTS = PROTOCOL_FAULTS + WIRE_FAULTS
STRAY_BYTES = b"\x00\x13\xAA\x55\xAA\xAA\xAA\x96"
PACE_CHUNK = 32


def _as_card(card: Mapping[str, Any] | IdentityCard) -> IdentityCard:
    return card if isinstance(card, IdentityCard) else IdentityCard.from_json(card)


class CardSimulator:
    """In-process simulated reader. ``with CardSimulator(card) as sim: serial_for_url(sim.port)``.

    Args:
        card: the card lying on the reader at start (JSON mapping or :class:`IdentityCard`),
            or None for an empty reader.
        baudrate: bits per second used for pacing (the pty itself ignores line settings).
        pace: release bytes at wire speed (8N1, 10 bits per byte).
        sam_id: SAM ID returned by 12 FF, in ``%02d.%02d-%08d-%010d-%010d`` form.

    Raises ``CardDataError`` (bad card) from the constructor and :meth:`place`.
    """

    def __init__(self, card: Mapping[str, Any] | IdentityCard | None = None, *,
                 baudrate: int = 115200, pace: bool = False, sam_id: str = DEFAULT_SAM_ID) -> None:
        self.baudrate = baudrate
        self.pace = pace
        self.sam = SamModel(sam_id)
        if card is not None:
            self.sam.place(_as_card(card))
        self._lock = threading.Lock()
        self._dir = Path(tempfile.mkdtemp(prefix="kiosk-idcard-"))
        self._link = self._dir / "ttyIDCARD"
        self._master: int | None = None
        self._slave: int | None = None
        self._wake_r, self._wake_w = os.pipe()
        self._running = False
        self._thread: threading.Thread | None = None
        self.bytes_received = 0
        self.bytes_sent = 0

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def port(self) -> str:
        """Path to open with pyserial (stable across unplug/replug)."""
        return str(self._link)

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def start(self) -> CardSimulator:
        if self._running:
            return self
        self._plug()
        self._running = True
        self._thread = threading.Thread(target=self._serve, name="idcard-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the pty and delete the temporary folder. Idempotent."""
        self._running = False
        os.write(self._wake_w, b"x")
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        with self._lock:
            self._unplug_locked()
        shutil.rmtree(self._dir, ignore_errors=True)

    def close(self) -> None:
        """Alias of :meth:`stop` (also closes the wake pipe; the object cannot restart)."""
        self.stop()
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self) -> CardSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- scripting ---------------------------------------------------------------------------
    def place(self, card: Mapping[str, Any] | IdentityCard) -> None:
        """Lay a card on the reader (replaces any card already there)."""
        parsed = _as_card(card)
        with self._lock:
            self.sam.place(parsed)

    def remove(self) -> None:
        """Lift the card off the reader (nothing happens when none lies there)."""
        with self._lock:
            self.sam.remove()

    @property
    def has_card(self) -> bool:
        """A card lies on the reader (placed and not removed since)."""
        with self._lock:
            return self.sam.card is not None

    def set_fault(self, name: str, count: int | None = None, command: int | None = None) -> None:
        """Inject fault ``name`` for the next ``count`` affected replies (None = until cleared),
        only for replies to ``command`` (a ``Command``) if given. ``ValueError`` if unknown."""
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULTS)}")
        with self._lock:
            self.sam.faults[name] = Fault(name, count, None if command is None else int(command))

    def clear_fault(self, name: str | None = None) -> None:
        with self._lock:
            if name is None:
                self.sam.faults.clear()
            else:
                self.sam.faults.pop(name, None)

    def unplug(self) -> None:
        """The device disappears: the pty closes (the driver's I/O fails) and the path vanishes."""
        with self._lock:
            self._unplug_locked()

    def replug(self) -> None:
        """The device comes back at the same path, its SAM freshly powered."""
        with self._lock:
            if self._master is None:
                self.sam.power_cycle()
                self._plug()
        os.write(self._wake_w, b"x")

    # -- transport ---------------------------------------------------------------------------
    def _plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        fcntl.fcntl(master, fcntl.F_SETFL, fcntl.fcntl(master, fcntl.F_GETFL) | os.O_NONBLOCK)
        self._master, self._slave = master, slave
        tmp = self._dir / "ttyIDCARD.new"
        tmp.unlink(missing_ok=True)
        os.symlink(os.ttyname(slave), tmp)
        os.replace(tmp, self._link)

    def _unplug_locked(self) -> None:
        self._link.unlink(missing_ok=True)
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None

    def _serve(self) -> None:
        decoder = FrameDecoder("request")
        first_byte_at = 0.0
        while self._running:
            master = self._master
            if master is None:
                select.select([self._wake_r], [], [], 0.1)
                self._drain_wake()
                decoder.reset()
                continue
            try:
                ready, _, _ = select.select([master, self._wake_r], [], [], 0.1)
                if self._wake_r in ready:
                    self._drain_wake()
                if master not in ready:
                    continue
                data = os.read(master, 4096)
            except (OSError, ValueError):  # closed by unplug() under our feet
                continue
            if not decoder.buffered:
                first_byte_at = time.monotonic()
            self.bytes_received += len(data)
            decoder.feed(data)
            while True:
                try:
                    request = decoder.next_frame()
                except ChecksumError:
                    self._send(master, SamModel.reply_to_bad_request(Status.COMMAND_CHECKSUM), None, 0)
                    continue
                except FrameLengthError:
                    self._send(master, SamModel.reply_to_bad_request(Status.COMMAND_LENGTH), None, 0)
                    continue
                except FrameError:
                    continue
                if request is None:
                    break
                assert isinstance(request, Request)
                with self._lock:
                    reply = self.sam.handle(request)
                    wire_faults = [f for n, f in list(self.sam.faults.items())
                                   if n in WIRE_FAULTS and f.applies(request.command)]
                    for fault in wire_faults:
                        if fault.consume():
                            del self.sam.faults[fault.name]
                self._send(master, reply, {f.name for f in wire_faults}, first_byte_at,
                           request_size=7 + 3 + len(request.data))
                first_byte_at = time.monotonic()

    def _drain_wake(self) -> None:
        try:
            os.read(self._wake_r, 64)
        except OSError:
            pass

    def _send(self, master: int, reply: bytes, faults: set[str] | None, first_byte_at: float,
              request_size: int = 0) -> None:
        faults = faults or set()
        if "mute" in faults:
            return
        if "bad_checksum" in faults:
            reply = reply[:-1] + bytes((reply[-1] ^ 0xFF,))
        if "stall" in faults:
            reply = reply[:len(reply) // 2]
        if "stray_bytes" in faults:
            reply = STRAY_BYTES + reply
        bit_time = 10 / self.baudrate
        if self.pace:  # the request itself took this long to arrive
            self._sleep_until(first_byte_at + request_size * bit_time)
        if "slow" in faults:
            time.sleep(0.3)
            pieces, gap = [reply[i:i + 64] for i in range(0, len(reply), 64)], 0.02
        elif "split" in faults:
            third = max(len(reply) // 3, 1)
            pieces, gap = [reply[:third], reply[third:2 * third], reply[2 * third:]], 0.005
        elif self.pace:
            pieces, gap = [reply[i:i + PACE_CHUNK] for i in range(0, len(reply), PACE_CHUNK)], 0.0
        else:
            pieces, gap = [reply], 0.0
        start, sent = time.monotonic(), 0
        for i, piece in enumerate(pieces):
            if i and gap:
                time.sleep(gap)
            if self.pace:
                self._sleep_until(start + (sent + len(piece)) * bit_time)
            if not self._write(master, piece):
                return
            sent += len(piece)

    def _write(self, master: int, data: bytes) -> bool:
        """Write all of ``data``; a full buffer drops the rest like a UART overrun (False)."""
        view = memoryview(data)
        while view:
            try:
                n = os.write(master, view)
            except BlockingIOError:
                return False
            except OSError:  # unplugged meanwhile
                return False
            self.bytes_sent += n
            view = view[n:]
        return True

    @staticmethod
    def _sleep_until(deadline: float) -> None:
        delay = deadline - time.monotonic()
        if delay > 0:
            time.sleep(delay)
