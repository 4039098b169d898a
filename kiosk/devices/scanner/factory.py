"""Build the configured scanner from the ``[scanner]`` settings section (for bootstrap, doctor
and the CLI).

* ``enabled = false`` or ``mode = "none"`` → :class:`~.absent.NoScanner` (the kiosk works
  without one);
* ``mode = "keyboard"`` → :class:`~.keyboard.KeyboardWedgeScanner` (the UI feeds it keys);
* ``mode = "serial"`` → :class:`~.reader.SerialScanner` on ``port``; with ``port =
  "simulator"`` an in-process :class:`~.simulator.ScannerSimulator` is started with the same
  suffix and the scanner points at its pty. The simulator is reachable as
  ``scanner.simulator`` (demo mode scans through it) and is stopped by ``scanner.close()``.

Nothing is opened before ``start()`` (or ``read_once``/``probe``).
"""

from __future__ import annotations

from kiosk.devices.scanner.absent import NoScanner
from kiosk.devices.scanner.frames import Suffix
from kiosk.devices.scanner.keyboard import KeyboardWedgeScanner
from kiosk.devices.scanner.reader import SerialScanner, SerialScannerConfig
from kiosk.devices.scanner.simulator import ScannerSimulator
from kiosk.devices.scanner.symbology import AimMode
from kiosk.devices.scanner.wedge import WedgeTiming
from kiosk.settings import ConfigError, ScannerSettings

SIMULATOR_PORT = "simulator"

AnyScanner = SerialScanner | KeyboardWedgeScanner | NoScanner


def serial_config(section: ScannerSettings, url: str | None = None) -> SerialScannerConfig:
    """Milliseconds of the settings → seconds of :class:`SerialScannerConfig`."""
    return SerialScannerConfig(url=url or section.port, baudrate=section.baudrate,
                               suffix=Suffix(section.suffix), aim=AimMode(section.aim_prefix),
                               inter_char_timeout_s=section.inter_char_timeout_ms / 1000,
                               reopen_interval_s=section.reopen_interval_ms / 1000)


def wedge_timing(section: ScannerSettings) -> WedgeTiming:
    """The keyboard-wedge thresholds. Raises ConfigError (``scanner.wedge_mean_gap_ms``)."""
    try:
        return WedgeTiming(max_gap_ms=section.wedge_max_gap_ms,
                           mean_gap_ms=section.wedge_mean_gap_ms,
                           min_length=section.wedge_min_length)
    except ValueError as exc:
        raise ConfigError("scanner.wedge_mean_gap_ms", str(exc)) from exc


def open_scanner(section: ScannerSettings, *, start: bool = False) -> AnyScanner:
    """The scanner for ``section`` (started only if ``start``).

    Raises:
        ConfigError: inconsistent wedge thresholds (normally caught when settings load).
    """
    scanner: AnyScanner
    if not section.enabled:
        scanner = NoScanner("scanner.enabled = false")
    elif section.mode == "none":
        scanner = NoScanner('scanner.mode = "none"')
    elif section.mode == "keyboard":
        scanner = KeyboardWedgeScanner(wedge_timing(section), AimMode(section.aim_prefix))
    elif section.port == SIMULATOR_PORT:
        simulator = ScannerSimulator(suffix=Suffix(section.suffix), baudrate=section.baudrate,
                                     frame_gap_s=max(0.2, 4 * section.inter_char_timeout_ms / 1000))
        simulator.start()
        scanner = SerialScanner(serial_config(section, simulator.port), on_close=(simulator.close,))
        scanner.simulator = simulator
    else:
        scanner = SerialScanner(serial_config(section))
    if start:
        scanner.start()
    return scanner
