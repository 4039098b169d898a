"""The barcode-scanner port: what services and the UI type against (no pyserial, no Kivy).

A 2D barcode scanner (e.g. a 新大陆 NLS-FM25-class engine) reaches the kiosk in one of three
ways, chosen by ``[scanner] mode``:

* ``serial`` — a serial or USB-CDC port; each decoded code arrives as bytes ending in a
  configured suffix (:class:`~kiosk.devices.scanner.reader.SerialScanner`);
* ``keyboard`` — a USB keyboard wedge (HID): the code arrives as a burst of key events ending
  in Enter, told apart from typing by its timing
  (:class:`~kiosk.devices.scanner.keyboard.KeyboardWedgeScanner`, fed by the UI layer);
* ``none`` — no scanner; the kiosk works without one and says so
  (:class:`~kiosk.devices.scanner.absent.NoScanner`).

Every implementation satisfies :class:`BarcodeScanner` and reports to
:class:`ScannerListener` objects: ``on_scan(scan)``, ``on_error(exc)``, ``on_status(state)``.
The thread an event arrives on is the implementation's (the serial scanner's own reader thread;
the UI thread for the keyboard wedge): listeners hop to the UI thread themselves.

Privacy: a scanned text may carry a personal token (an e-ID login code, a 报到码), so
:class:`Scan` keeps it out of ``repr`` and no driver logs it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.devices.scanner.errors import ScannerError


class ScannerMode(enum.StrEnum):
    """``[scanner] mode``: how the scanner is attached."""

    SERIAL = "serial"
    KEYBOARD = "keyboard"
    NONE = "none"


class ScannerState(enum.StrEnum):
    """What the scanner is doing, for the maintenance screen, doctor and the heartbeat."""

    STOPPED = "stopped"            # not started (or stopped)
    CONNECTING = "connecting"      # opening the port for the first time
    READY = "ready"                # port open (serial) / listening to key bursts (keyboard)
    DISCONNECTED = "disconnected"  # port gone (unplugged, no permission); reopened periodically
    ABSENT = "absent"              # no scanner configured (mode "none" or enabled = false)


@dataclass(frozen=True)
class Scan:
    """One decoded barcode.

    Attributes:
        text: the code's data, suffix and symbology identifier removed (kept out of ``repr``).
        symbology: the AIM symbology identifier that preceded it (ISO/IEC 15424), e.g. "]Q1"
            for a QR Code, "]E0" for EAN-13, "]C1" for GS1-128; None when the scanner sent none.
        source: "serial" or "keyboard".
        encoding: how the bytes were decoded: "utf-8", "gb18030" (a Chinese scanner's native
            code page), or "keyboard" for a wedge (key events are already characters).
    """

    text: str = field(repr=False)
    symbology: str | None = None
    source: str = "serial"
    encoding: str = "utf-8"

    @property
    def symbology_name(self) -> str | None:
        """The symbology's name ("QR Code", "EAN/UPC", …), or None without an identifier."""
        from kiosk.devices.scanner.symbology import symbology_name

        return None if self.symbology is None else symbology_name(self.symbology)

    def to_json(self) -> dict[str, str | None]:
        """``{"text": …, "symbology": "]Q1" or None}`` — the shape of ``kiosk scanner read --json``."""
        return {"text": self.text, "symbology": self.symbology}


#: The Enter key in :attr:`Typed.keys`.
ENTER = "\r"


@dataclass(frozen=True)
class Typed:
    """Keys a person typed (keyboard-wedge mode), in order, for the UI to deliver to the focused
    field as usual; Enter is :data:`ENTER`. Kept out of ``repr`` (it may be a PIN)."""

    keys: tuple[str, ...] = field(repr=False)

    @property
    def text(self) -> str:
        """The characters without Enter keys."""
        return "".join(k for k in self.keys if k != ENTER)


class ScannerListener(Protocol):
    """What a scanner calls back. Implement all three, or subclass :class:`ListenerBase`."""

    def on_scan(self, scan: Scan) -> None: ...
    def on_error(self, exc: ScannerError) -> None: ...
    def on_status(self, state: ScannerState) -> None: ...


class ListenerBase:
    """No-op listener to subclass when only some events matter."""

    def on_scan(self, scan: Scan) -> None:
        """A code was scanned."""

    def on_error(self, exc: ScannerError) -> None:
        """A garbled or partial frame, or the port failed (see :mod:`.errors`)."""

    def on_status(self, state: ScannerState) -> None:
        """The :class:`ScannerState` changed."""


class BarcodeScanner(Protocol):
    """The port every scanner implements (serial, keyboard wedge, none).

    ``start()`` begins delivering events (idempotent), ``stop()`` ends it, ``close()`` also
    releases what the factory attached (the demo simulator). ``describe()`` is one line for a
    technician, e.g. "serial /dev/ttyACM0 9600 Bd, suffix CR, AIM auto".
    """

    @property
    def mode(self) -> ScannerMode: ...
    @property
    def state(self) -> ScannerState: ...
    def add_listener(self, listener: ScannerListener) -> None: ...
    def remove_listener(self, listener: ScannerListener) -> None: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...
    def describe(self) -> str: ...


class KeyboardWedgePort(BarcodeScanner, Protocol):
    """What the UI feeds a keyboard-wedge scanner with (times in seconds, one monotonic clock).

    Each call returns the :class:`Typed` keys that turned out to be a person's, to deliver to the
    window in order; recognised scans go to the listeners instead. ``next_deadline()`` tells when
    to call ``poll(now)`` (None: nothing held).
    """

    def key(self, char: str, at_s: float) -> list[Typed]: ...
    def enter(self, at_s: float) -> list[Typed]: ...
    def other(self, at_s: float) -> list[Typed]: ...
    def poll(self, now_s: float) -> list[Typed]: ...
    def next_deadline(self) -> float | None: ...
