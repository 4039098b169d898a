"""The optional 2D barcode scanner: serial (pyserial URL), USB keyboard wedge, or none.

This package exports the port only — what services and the UI may import (no pyserial):
:class:`BarcodeScanner`, :class:`KeyboardWedgePort`, :class:`Scan`, :class:`Typed`,
:class:`ScannerState`, :class:`ScannerMode`, :class:`ScannerListener`, :class:`ListenerBase`
(``base``) and the errors, :class:`ScannerError` and its leaves (``errors``).

The implementations are imported from their modules by bootstrap, doctor and the CLI:
``factory.open_scanner`` (the configured scanner, "simulator" included), ``reader.SerialScanner``,
``keyboard.KeyboardWedgeScanner``, ``absent.NoScanner``, ``simulator.ScannerSimulator``, and the
pure parts ``frames`` (suffixes, framing, UTF-8/GB18030), ``symbology`` (AIM identifiers,
ISO/IEC 15424) and ``wedge`` (keyboard-wedge timing).
"""

from kiosk.devices.scanner.base import (ENTER, BarcodeScanner, KeyboardWedgePort, ListenerBase,
                                        Scan, ScannerListener, ScannerMode, ScannerState, Typed)
from kiosk.devices.scanner.errors import (PartialScanError, ScanDecodeError, ScanFrameError,
                                          ScannerBusy, ScannerError, ScannerNotConfigured,
                                          ScannerTimeout, ScannerUnavailable, ScanTooLongError,
                                          SymbologyIdentifierError)

__all__ = [
    "BarcodeScanner", "ENTER", "KeyboardWedgePort", "ListenerBase", "PartialScanError", "Scan",
    "ScanDecodeError", "ScanFrameError", "ScanTooLongError", "ScannerBusy", "ScannerError",
    "ScannerListener", "ScannerMode", "ScannerNotConfigured", "ScannerState", "ScannerTimeout",
    "ScannerUnavailable", "SymbologyIdentifierError", "Typed",
]
