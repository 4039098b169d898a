"""The ID-card reader: the find → select → read cycle, polled on its own thread, with events.

:class:`CardReader` drives a GA 467 reader through :class:`~.link.SerialLink`. After
:meth:`CardReader.start` a daemon thread polls every ``poll_interval_s`` seconds and calls the
listeners **on that thread** (the UI hops them to its main thread itself):

* ``on_status(state)`` — :class:`ReaderState` changed;
* ``on_card_placed(card)`` — a card was read (:class:`~.model.IdentityCard`);
* ``on_card_removed()`` — the card that was read left the field;
* ``on_error(exc)`` — a :class:`~.errors.CardReaderError`; the same failure repeated on
  consecutive polls is reported once.

Card presence: after a successful read the SAM refuses 20 01 (0x80) while the card stays, but
still answers 20 02 (``idcard-protocol.md`` §3.3). So with a card read the thread polls 20 01
(0x9F = a different, unread card was laid down) and then 20 02 (0x81 = the card is gone).
Right after (re)connecting, a 20 01 refusal is followed by 20 02 too, so a card already lying
on the reader at start-up is read.

Unplugging: any I/O failure closes the port, the state becomes ``DISCONNECTED`` (a card that
was present is reported removed: it can no longer be vouched for) and the thread reopens the URL
every ``reopen_interval_s`` seconds; once it answers 11 FF the state is ``READY`` again and a
card still lying there is read and reported placed. A SAM self-test failure (0x60) gives
``SAM_FAULT`` until 11 FF answers 0x90 again; the card state is kept across it.

Consent (:meth:`CardReader.set_read_allowed`): while reading is forbidden nothing is read —
also not a different card laid in place of the one read (it is reported removed, then
detected). When reading is allowed again while the card read before still lies there (the
next person's consent, or the same person's again: the card was never taken away), the next
poll reads it again (20 02 + 30 01) and reports it placed once more. So ``on_card_removed``
always follows an ``on_card_placed``, and a second ``on_card_placed`` without a removal in
between is the same card read under a new consent or a swapped card read at once.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from collections.abc import Callable

import serial

from kiosk.devices.idcard.base import CardReaderListener as CardReaderListener
from kiosk.devices.idcard.base import ListenerBase as ListenerBase
from kiosk.devices.idcard.base import ReaderState as ReaderState
from kiosk.devices.idcard.errors import (CardReaderError, PhotoDecodeError, ReaderBusy,
                                         ReaderTimeout, ReaderUnavailable, SamError,
                                         WAIT_FOR_CARD)
from kiosk.devices.idcard.frames import Command, Status, describe_status, format_sam_id, \
    parse_card_record
from kiosk.devices.idcard.link import LinkConfig, SerialFactory, SerialLink
from kiosk.domain.identity_card import IdentityCard
from kiosk.devices.idcard.text_block import parse_text_block

if TYPE_CHECKING:
    from kiosk.devices.idcard.simulator import CardSimulator

log = logging.getLogger(__name__)

# A licensed WLT decoder: 1024-byte WLT in, 102×126 24-bit BMP (38862 bytes) out;
# raises PhotoDecodeError (or OSError from the vendor library) when it cannot decode.
PhotoDecoder = Callable[[bytes], bytes]


@dataclass(frozen=True)
class ReaderConfig(LinkConfig):
    """:class:`LinkConfig` plus polling: intervals in seconds."""

    poll_interval_s: float = 0.5
    reopen_interval_s: float = 1.0


@dataclass(frozen=True)
class SamInfo:
    """Result of :meth:`CardReader.sam_status`: SW3 of 11 FF and the SAM ID (None if 11 FF failed)."""

    status: int
    description: str
    sam_id: str | None

    @property
    def ok(self) -> bool:
        return self.status == Status.SUCCESS


class CardReader:
    """A GA 467 reader on a pyserial URL. Thread-safe; see the module docstring for events."""

    def __init__(self, config: ReaderConfig, *, photo_decoder: PhotoDecoder | None = None,
                 serial_factory: SerialFactory = serial.serial_for_url,
                 on_close: tuple[Callable[[], None], ...] = ()) -> None:
        self.config = config
        self.link = SerialLink(config, serial_factory)
        self.photo_decoder = photo_decoder
        self.simulator: CardSimulator | None = None  # set by open_reader() when it started one
        self._on_close = on_close
        self._listeners: list[CardReaderListener] = []
        self._io = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = ReaderState.STOPPED
        self._last_error: tuple[type, object] | None = None
        self._probe_select = True
        self._has_card = False
        self._detected = False
        self._reread = False         # reading allowed again while the card read lies there
        self._read_allowed = threading.Event()
        self._read_allowed.set()

    # -- listeners and state ------------------------------------------------------------------
    def add_listener(self, listener: CardReaderListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: CardReaderListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    @property
    def state(self) -> ReaderState:
        return self._state

    def _emit(self, event: str, *args: object) -> None:
        for listener in list(self._listeners):
            try:
                getattr(listener, event)(*args)
            except Exception:  # a listener bug must not kill the reader thread
                log.exception("ID-card listener %s failed", event)

    def _set_state(self, state: ReaderState) -> None:
        if state is not self._state:
            self._state = state
            log.info("ID-card reader state: %s", state.value)
            self._emit("on_status", state)

    def _report(self, exc: CardReaderError) -> None:
        key = (type(exc), getattr(exc, "status", None))
        if key == self._last_error:
            return
        self._last_error = key
        log.warning("ID-card reader: %s", exc)
        self._emit("on_error", exc)

    # -- the cycle ------------------------------------------------------------------------------
    def _connect(self) -> None:
        """Open the port and check the SAM (11 FF). Raises CardReaderError."""
        self.link.open()
        self.link.transact(Command.SAM_STATUS).expect(Command.SAM_STATUS)
        self._probe_select = True

    def _card_here(self) -> bool:
        """20 02 → True (0x90) / False (0x81); other statuses raise SamError."""
        reply = self.link.transact(Command.SELECT_CARD)
        return reply.expect(Command.SELECT_CARD, Status.SUCCESS, Status.SELECT_FAILED).status \
            == Status.SUCCESS

    def _read_selected(self) -> IdentityCard:
        reply = self.link.transact(Command.READ_TEXT_PHOTO).expect(Command.READ_TEXT_PHOTO)
        record = parse_card_record(reply.data)
        card = parse_text_block(record.text, record.photo)
        if self.photo_decoder is not None:
            try:
                card = replace(card, photo_bmp=self.photo_decoder(card.photo))
            except (PhotoDecodeError, OSError, ValueError) as exc:
                self._report(exc if isinstance(exc, PhotoDecodeError) else PhotoDecodeError(str(exc)))
        return card

    def _try_read(self, probe_select: bool) -> IdentityCard | None:
        """find → select → read. None when there is no (unread) card."""
        found = self.link.transact(Command.FIND_CARD).expect(
            Command.FIND_CARD, Status.FIND_SUCCESS, Status.FIND_FAILED)
        if found.status == Status.FIND_FAILED:
            if not probe_select or not self._card_here():
                return None
        else:
            self.link.transact(Command.SELECT_CARD).expect(Command.SELECT_CARD)
        return self._read_selected()

    def _card_gone(self) -> None:
        if self._has_card or self._detected:
            self._has_card = False
            self._detected = False
            self._emit("on_card_removed")

    def _detect_only(self, probe_select: bool) -> None:
        """Presence without reading (find, or select for a card read before start)."""
        found = self.link.transact(Command.FIND_CARD).expect(
            Command.FIND_CARD, Status.FIND_SUCCESS, Status.FIND_FAILED)
        present = found.status == Status.FIND_SUCCESS or (
            (probe_select or self._detected) and self._card_here())
        self._last_error = None
        if present and not self._detected:
            self._detected = True
            self._emit("on_card_detected")
        elif not present and self._detected:
            self._card_gone()

    def _poll(self) -> None:
        """One poll step, with the I/O lock held."""
        if self._state is ReaderState.SAM_FAULT:
            self.link.transact(Command.SAM_STATUS).expect(Command.SAM_STATUS)
            self._last_error = None
            self._set_state(ReaderState.CARD_PRESENT if self._has_card else ReaderState.READY)
        if self._has_card:
            found = self.link.transact(Command.FIND_CARD).expect(
                Command.FIND_CARD, Status.FIND_SUCCESS, Status.FIND_FAILED)
            if found.status == Status.FIND_FAILED:
                if not self._card_here():
                    self._last_error = None
                    self._reread = False
                    self._set_state(ReaderState.READY)
                    self._card_gone()
                elif self._reread and self._read_allowed.is_set():
                    card = self._read_selected()   # selected by 20 02 just now
                    self._reread = False
                    self._last_error = None
                    self._emit("on_card_placed", card)
                return
            if not self._read_allowed.is_set():
                # another card lies there now, and nobody has consented to reading it
                self._reread = False
                self._set_state(ReaderState.READY)
                self._card_gone()
                self._detected = True
                self._emit("on_card_detected")
                return
            self._reread = False
            self.link.transact(Command.SELECT_CARD).expect(Command.SELECT_CARD)
            card = self._read_selected()  # another card replaced the one read
            self._card_gone()
            self._has_card = True
            self._emit("on_card_placed", card)
            return
        if not self._read_allowed.is_set():
            probe, self._probe_select = self._probe_select, False
            self._detect_only(probe)
            return
        probe, self._probe_select = self._probe_select or self._detected, False
        read = self._try_read(probe)
        if read is None:
            self._last_error = None
            return
        card = read
        self._last_error = None
        self._has_card = True
        self._detected = False
        self._set_state(ReaderState.CARD_PRESENT)
        self._emit("on_card_placed", card)

    def _step(self) -> float:
        """One iteration of the loop, with the I/O lock held; the seconds to wait after it."""
        if not self.link.is_open:
            if self._state is ReaderState.STOPPED:
                self._set_state(ReaderState.CONNECTING)
            try:
                self._connect()
                self._last_error = None
                self._set_state(ReaderState.READY)
            except CardReaderError as exc:
                self._on_failure(exc)
                return self.config.reopen_interval_s
            return 0.0
        try:
            self._poll()
        except CardReaderError as exc:
            self._on_failure(exc)
        return self.config.poll_interval_s

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._io:
                wait = self._step()
            self._stop.wait(wait)

    def _on_failure(self, exc: CardReaderError) -> None:
        # A card may still lie there after a failed read (e.g. a reply garbled under load): the
        # SAM then refuses FIND for it, so probe it with SELECT on the next poll and read again.
        self._probe_select = True
        if isinstance(exc, ReaderUnavailable):
            self.link.close()
            self._set_state(ReaderState.DISCONNECTED)
            self._card_gone()
        elif isinstance(exc, SamError) and exc.status == Status.SAM_SELF_TEST_FAILED:
            self._set_state(ReaderState.SAM_FAULT)
        elif not self.link.is_open or self._state in (ReaderState.CONNECTING,
                                                       ReaderState.DISCONNECTED):
            self.link.close()  # the port opened but the SAM did not answer 11 FF properly
            self._set_state(ReaderState.DISCONNECTED)
        self._report(exc)

    # -- public control -------------------------------------------------------------------------
    def set_read_allowed(self, allowed: bool) -> None:
        """Allow or forbid reading card data (PIPL: nothing is read before consent).

        While forbidden, the reader only detects presence (``FIND``/``SELECT``; no ``READ``) and
        reports ``on_card_detected()`` once per card and ``on_card_removed()`` when it goes.
        Allowed by default; the kiosk forbids it outside the consented part of a session.
        """
        if allowed:
            if not self._read_allowed.is_set() and self._has_card:
                self._reread = True      # a new consent: read the card lying there again
            self._read_allowed.set()
        else:
            self._read_allowed.clear()

    @property
    def read_allowed(self) -> bool:
        return self._read_allowed.is_set()

    def step(self) -> None:
        """One iteration of the polling loop on the caller's thread, without the wait after
        it: open the port and check the SAM (11 FF) if it is closed, else one poll. Events and
        errors go to the listeners exactly as from the thread (nothing is raised). For tests and
        tools that drive the reader frame by frame.

        Raises ``ReaderBusy`` while the polling thread runs.
        """
        self._ensure_idle()
        with self._io:
            self._step()

    def start(self) -> None:
        """Start the polling thread (idempotent). Events follow on that thread."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="idcard-reader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop polling and close the port (blocks at most one command timeout)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=self.config.timeout_for(Command.READ_TEXT_PHOTO) + 1)
            self._thread = None
        with self._io:
            self.link.close()
        self._has_card = False
        self._set_state(ReaderState.STOPPED)

    def close(self) -> None:
        """:meth:`stop`, then release what the factory attached (e.g. the demo simulator)."""
        self.stop()
        for hook in self._on_close:
            hook()

    def __enter__(self) -> CardReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_idle(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise ReaderBusy("the polling thread owns the reader; stop() it first")

    def read_once(self, timeout_s: float) -> IdentityCard:
        """Wait up to ``timeout_s`` seconds for a card and read it once (blocking; not for the UI
        thread). A card already read and still lying on the reader is read again.

        A "read failed" reply (SW3 0x41, GA 467: the card moved during the read) is retried
        within ``timeout_s``, as the polling loop does; only when time runs out is it raised.

        Raises:
            ReaderBusy: the polling thread is running.
            ReaderTimeout: no card within ``timeout_s`` (``command`` = "wait for card").
            SamError: 0x41 on every try until ``timeout_s``, or any other refusal at once.
            ReaderUnavailable, FrameError, CardDataError: as the cycle met them.
        """
        self._ensure_idle()
        deadline = time.monotonic() + timeout_s
        failed: SamError | None = None
        with self._io:
            self.link.open()
            while True:
                try:
                    card = self._try_read(probe_select=True)
                except SamError as exc:
                    if exc.status != Status.READ_FAILED:
                        raise
                    failed, card = exc, None
                if card is not None:
                    return card
                left = deadline - time.monotonic()
                if left <= 0:
                    if failed is not None:
                        raise failed
                    raise ReaderTimeout(WAIT_FOR_CARD, timeout_s)
                time.sleep(min(self.config.poll_interval_s, left))

    def sam_status(self) -> SamInfo:
        """11 FF and, when that succeeds, 12 FF (SAM ID). Works while polling (takes the lock).

        Raises ReaderUnavailable, ReaderTimeout, FrameError, or PayloadError on a bad SAM ID.
        """
        with self._io:
            self.link.open()
            reply = self.link.transact(Command.SAM_STATUS)
            sam_id = None
            if reply.status == Status.SUCCESS:
                sam_id = format_sam_id(
                    self.link.transact(Command.READ_SAM_ID).expect(Command.READ_SAM_ID).data)
            return SamInfo(reply.status, describe_status(reply.status), sam_id)
