"""No scanner: ``[scanner] mode = "none"`` or ``enabled = false``. The kiosk works without one.

:class:`NoScanner` satisfies :class:`~.base.BarcodeScanner`, is ABSENT from the start, never
scans, and says why in :meth:`NoScanner.describe` (for doctor and the maintenance screen), so
screens offer only the card where a scan would be offered.
"""

from __future__ import annotations

from typing import NoReturn

from kiosk.devices.scanner.base import ScannerListener, ScannerMode, ScannerState
from kiosk.devices.scanner.errors import ScannerNotConfigured


class NoScanner:
    """The absent scanner. ``reason`` e.g. 'scanner.enabled = false'."""

    message_zh = "本机未配置扫码器（可选设备），请使用身份证"

    def __init__(self, reason: str = 'scanner.mode = "none"') -> None:
        self.reason = reason

    @property
    def mode(self) -> ScannerMode:
        return ScannerMode.NONE

    @property
    def state(self) -> ScannerState:
        return ScannerState.ABSENT

    def describe(self) -> str:
        return f"no scanner ({self.reason})"

    def add_listener(self, listener: ScannerListener) -> None:
        """Kept nowhere: there will be no event."""

    def remove_listener(self, listener: ScannerListener) -> None:
        """Nothing to remove."""

    def start(self) -> None:
        """Nothing to start."""

    def stop(self) -> None:
        """Nothing to stop."""

    def close(self) -> None:
        """Nothing to release."""

    def read_once(self, timeout_s: float) -> NoReturn:
        """Raises :class:`ScannerNotConfigured` (there is nothing to read from)."""
        raise ScannerNotConfigured(self.reason)
