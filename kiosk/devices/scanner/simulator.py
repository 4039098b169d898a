"""A byte-exact serial barcode scanner on a pseudo-terminal, for the demo, tests and technicians.

:class:`ScannerSimulator` opens a pty and exposes a stable path (:attr:`ScannerSimulator.port`,
a symlink to ``/dev/pts/N`` in a private temporary folder, like a udev ``by-id`` link) that the
real driver opens through pyserial, and that survives :meth:`~ScannerSimulator.unplug` /
:meth:`~ScannerSimulator.replug`. Used in-process by demo mode and tests, and standalone by
``kiosk scanner simulate``. POSIX only (``os.openpty``, ``TIOCPKT``).

What it writes is exactly :func:`~.frames.encode_scan` (identifier + data + suffix), or the
fault bytes below. A scan asked for while no host has the port open waits until one has: the
master runs in packet mode (``TIOCPKT``) and sees the host's input flush (``TIOCPKT_FLUSHREAD``,
which pyserial's ``open()`` does), so no scan is lost to the race between a test (or a
technician) and the driver opening the port. Without a suffix, consecutive scans are separated
by ``frame_gap_s`` seconds of silence (more than the driver's inter-character timeout).

Faults:

==================  ==================================================================
``garbled()``       :data:`GARBLED_BYTES` + suffix: neither UTF-8 nor GB18030
``partial(text)``   the first half of a scan's bytes, no suffix (the scanner stalls)
``scan(pieces=3)``  one scan written in pieces ``piece_gap_s`` apart (USB packets)
``send_raw(b)``     any bytes, exactly
``unplug()``        the pty closes (the driver's I/O fails) and the path vanishes
``replug()``        the device comes back at the same path
==================  ==================================================================
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import select
import shutil
import struct
import tempfile
import termios
import threading
import time
import tty
from collections import deque
from pathlib import Path

from kiosk.devices.scanner.frames import Suffix, encode_scan

log = logging.getLogger(__name__)

#: Longest wait (seconds) of the serving thread with nothing to send: a scan, stop() and
#: unplug() wake it at once, and a host opening/closing/writing the port makes the pty
#: readable, so this only bounds how often an idle simulator wakes (4 Hz; issue 23: idle CPU).
IDLE_WATCH_S = 0.25

#: Line noise: 0x80 and 0xFF start no character in UTF-8 nor in GB18030.
GARBLED_BYTES = b"\x80\xff\xfe\x9f"
TIOCPKT_FLUSHREAD = 0x01


class ScannerSimulator:
    """In-process simulated scanner. ``with ScannerSimulator() as sim: sim.scan("…")``.

    Args:
        suffix: terminator of every scan unless a call overrides it.
        aim: AIM identifier prepended to every scan unless overridden ("]Q1"), or None.
        encoding: "utf-8" or "gb18030" (a Chinese scanner's code page).
        baudrate: with ``pace``, bytes are released at 10 bit-times each (8N1).
        pace: release bytes at wire speed.
        frame_gap_s: silence after each scan when the suffix is NONE (seconds).

    Raises ValueError (bad identifier or encoding) from the constructor and :meth:`scan`.
    """

    def __init__(self, *, suffix: Suffix = Suffix.CR, aim: str | None = None,
                 encoding: str = "utf-8", baudrate: int = 9600, pace: bool = False,
                 frame_gap_s: float = 0.2) -> None:
        encode_scan("0", suffix, aim, encoding)  # validate the defaults now
        self.suffix = suffix
        self.aim = aim
        self.encoding = encoding
        self.baudrate = baudrate
        self.pace = pace
        self.frame_gap_s = frame_gap_s
        self._lock = threading.Lock()
        self._queue: deque[tuple[bytes, int, float]] = deque()  # (bytes, pieces, gap after)
        self._dir = Path(tempfile.mkdtemp(prefix="kiosk-scanner-"))
        self._link = self._dir / "ttySCANNER"
        self._master: int | None = None
        self._attached = False
        self._idle = threading.Condition(self._lock)
        self._wake_r, self._wake_w = os.pipe()
        self._running = False
        self._thread: threading.Thread | None = None
        self._sending = False
        self.piece_gap_s = 0.005
        self.bytes_sent = 0
        self.attach_count = 0

    # -- lifecycle ----------------------------------------------------------------------------
    @property
    def port(self) -> str:
        """Path to open with pyserial (stable across unplug/replug)."""
        return str(self._link)

    @property
    def plugged(self) -> bool:
        return self._master is not None

    @property
    def attached(self) -> bool:
        """A host has the port open (it flushed its input since the last plug-in)."""
        return self._attached

    @property
    def pending(self) -> int:
        """Scans (or fault frames) waiting for a host."""
        with self._lock:
            return len(self._queue)

    def start(self) -> ScannerSimulator:
        if self._running:
            return self
        with self._lock:
            self._plug()
        self._running = True
        self._thread = threading.Thread(target=self._serve, name="scanner-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the pty and delete the temporary folder. Idempotent."""
        self._running = False
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        with self._lock:
            self._unplug_locked()
        shutil.rmtree(self._dir, ignore_errors=True)

    def close(self) -> None:
        """:meth:`stop`, and close the wake pipe (the object cannot restart)."""
        self.stop()
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self) -> ScannerSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- scripting ----------------------------------------------------------------------------
    def frame(self, text: str, *, suffix: Suffix | None = None, aim: str | None = "",
              encoding: str | None = None) -> bytes:
        """The bytes :meth:`scan` would send (``aim=""`` = the simulator's default)."""
        return encode_scan(text, self.suffix if suffix is None else suffix,
                           self.aim if aim == "" else aim, encoding or self.encoding)

    def _enqueue(self, data: bytes, pieces: int = 1, suffix: Suffix | None = None) -> None:
        none = (self.suffix if suffix is None else suffix) is Suffix.NONE
        with self._lock:
            self._queue.append((data, max(pieces, 1), self.frame_gap_s if none else 0.0))
        self._wake()

    def scan(self, text: str, *, suffix: Suffix | None = None, aim: str | None = "",
             encoding: str | None = None, pieces: int = 1) -> bytes:
        """Scan ``text``: queue its exact bytes (returned) for the host. ``pieces`` > 1 writes
        them in that many parts ``piece_gap_s`` apart. Raises ValueError (see constructor)."""
        data = self.frame(text, suffix=suffix, aim=aim, encoding=encoding)
        self._enqueue(data, pieces, suffix)
        return data

    def garbled(self, *, suffix: Suffix | None = None) -> bytes:
        """Send :data:`GARBLED_BYTES` + suffix (returned)."""
        data = GARBLED_BYTES + (self.suffix if suffix is None else suffix).terminator
        self._enqueue(data, 1, suffix)
        return data

    def partial(self, text: str, *, aim: str | None = "") -> bytes:
        """Send the first half of ``text``'s scan bytes and no suffix (returned)."""
        whole = self.frame(text, suffix=Suffix.NONE, aim=aim)
        data = whole[:max(len(whole) // 2, 1)]
        self._enqueue(data, 1, Suffix.NONE)
        return data

    def send_raw(self, data: bytes) -> None:
        """Send ``data`` exactly."""
        self._enqueue(bytes(data))

    def wait_sent(self, timeout_s: float = 5.0) -> bool:
        """Wait until every queued frame is written (True) or ``timeout_s`` passes (False)."""
        deadline = time.monotonic() + timeout_s
        with self._idle:
            while self._queue or self._sending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def wait_attached(self, timeout_s: float = 5.0) -> bool:
        """Wait until a host has the port open (True) or ``timeout_s`` passes (False)."""
        deadline = time.monotonic() + timeout_s
        while not self._attached:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return True

    def unplug(self) -> None:
        """The device disappears: the pty closes (the host's I/O fails), the path vanishes.
        Frames not yet written stay queued for after :meth:`replug`."""
        with self._lock:
            self._unplug_locked()
        self._wake()     # the serving thread leaves its select on the closed pty now

    def replug(self) -> None:
        """The device comes back at the same path."""
        with self._lock:
            if self._master is None:
                self._plug()
        self._wake()

    # -- transport ----------------------------------------------------------------------------
    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except OSError:
            pass

    def _drain_wake(self) -> None:
        try:
            os.read(self._wake_r, 64)
        except OSError:
            pass

    def _plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        name = os.ttyname(slave)
        os.close(slave)  # only the host holds the slave: its open/close are then visible
        fcntl.ioctl(master, termios.TIOCPKT, struct.pack("i", 1))
        fcntl.fcntl(master, fcntl.F_SETFL, fcntl.fcntl(master, fcntl.F_GETFL) | os.O_NONBLOCK)
        self._master = master
        self._attached = False
        tmp = self._dir / "ttySCANNER.new"
        tmp.unlink(missing_ok=True)
        os.symlink(name, tmp)
        os.replace(tmp, self._link)

    def _unplug_locked(self) -> None:
        self._link.unlink(missing_ok=True)
        if self._master is not None:
            os.close(self._master)
        self._master = None
        self._attached = False

    def _watch(self, master: int) -> None:
        """Wait a little for the host to attach/detach/write; update :attr:`attached`."""
        try:
            ready, _, _ = select.select([master, self._wake_r], [], [], IDLE_WATCH_S)
        except (OSError, ValueError):  # closed by unplug() under our feet
            return
        if self._wake_r in ready:
            self._drain_wake()
        if master not in ready:
            return
        try:
            packet = os.read(master, 4096)
        except BlockingIOError:
            return
        except OSError as exc:
            if exc.errno == errno.EIO:  # no host has the slave open
                if self._attached:
                    log.debug("scanner simulator: host closed the port")
                self._attached = False
                select.select([self._wake_r], [], [], 0.02)  # HUP stays readable: do not spin
            return
        if packet and packet[0] & TIOCPKT_FLUSHREAD:
            if not self._attached:
                self.attach_count += 1
                log.debug("scanner simulator: host opened the port")
            self._attached = True
        # packet[0] == 0: the host wrote bytes (commands); a scanner engine ignores them here

    def _serve(self) -> None:
        while self._running:
            master = self._master
            if master is None:
                select.select([self._wake_r], [], [], 0.05)
                self._drain_wake()
                continue
            self._watch(master)
            if not self._attached:
                continue
            with self._lock:
                if not self._queue or self._master != master:
                    continue
                data, pieces, gap_after = self._queue.popleft()
                self._sending = True
            try:
                self._send(master, data, pieces)
                if gap_after:
                    time.sleep(gap_after)
            finally:
                with self._idle:
                    self._sending = False
                    self._idle.notify_all()

    def _send(self, master: int, data: bytes, pieces: int) -> None:
        if not data:
            return
        size = -(-len(data) // pieces)
        bit_time = 10 / self.baudrate
        for i in range(0, len(data), size):
            if i:
                time.sleep(self.piece_gap_s)
            piece = data[i:i + size]
            if self.pace:
                time.sleep(len(piece) * bit_time)
            if not self._write(master, piece):
                return

    def _write(self, master: int, data: bytes) -> bool:
        """Write all of ``data``; False if the device was unplugged meanwhile."""
        view = memoryview(data)
        while view:
            try:
                n = os.write(master, view)
            except BlockingIOError:
                if not self._running:
                    return False
                select.select([], [master], [], 0.05)
                continue
            except OSError:
                return False
            self.bytes_sent += n
            view = view[n:]
        return True
