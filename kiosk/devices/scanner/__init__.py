"""The optional 2D barcode scanner: serial (pyserial URL), USB keyboard wedge, or none.

Public API (see each module's docstring):

* the port (``base``): :class:`BarcodeScanner`, :class:`Scan`, :class:`ScannerState`,
  :class:`ScannerMode`, :class:`ScannerListener`, :class:`ListenerBase`;
* :func:`open_scanner` (``factory``) — the configured scanner ("simulator" included);
* :class:`SerialScanner` (``reader``), :class:`KeyboardWedgeScanner` (``keyboard``),
  :class:`NoScanner` (``absent``);
* the pure parts: :class:`ScanFramer`, :func:`encode_scan`, :func:`decode_scan`,
  :class:`Suffix` (``frames``), :func:`split_symbology`, :class:`AimMode` (``symbology``),
  :class:`WedgeClassifier`, :class:`WedgeTiming` (``wedge``);
* :class:`ScannerSimulator` (``simulator``);
* errors: :class:`ScannerError` and its leaves (``errors``).
"""

from kiosk.devices.scanner.absent import NoScanner
from kiosk.devices.scanner.base import (BarcodeScanner, ListenerBase, Scan, ScannerListener,
                                        ScannerMode, ScannerState)
from kiosk.devices.scanner.errors import (PartialScanError, ScanDecodeError, ScanFrameError,
                                          ScannerBusy, ScannerError, ScannerNotConfigured,
                                          ScannerTimeout, ScannerUnavailable, ScanTooLongError,
                                          SymbologyIdentifierError)
from kiosk.devices.scanner.factory import open_scanner
from kiosk.devices.scanner.frames import ScanFramer, Suffix, decode_scan, encode_scan
from kiosk.devices.scanner.keyboard import KeyboardWedgeScanner
from kiosk.devices.scanner.reader import SerialScanner, SerialScannerConfig
from kiosk.devices.scanner.simulator import ScannerSimulator
from kiosk.devices.scanner.symbology import AimMode, split_symbology
from kiosk.devices.scanner.wedge import WedgeClassifier, WedgeTiming

__all__ = [
    "AimMode", "BarcodeScanner", "KeyboardWedgeScanner", "ListenerBase", "NoScanner",
    "PartialScanError", "Scan", "ScanDecodeError", "ScanFrameError", "ScanFramer",
    "ScanTooLongError", "ScannerBusy", "ScannerError", "ScannerListener", "ScannerMode",
    "ScannerNotConfigured", "ScannerSimulator", "ScannerState", "ScannerTimeout",
    "ScannerUnavailable", "SerialScanner", "SerialScannerConfig", "Suffix",
    "SymbologyIdentifierError", "WedgeClassifier", "WedgeTiming", "decode_scan", "encode_scan",
    "open_scanner", "split_symbology",
]
