"""Connectors: how job bytes reach the printer (USB, serial, TCP 9100, a device file).

Each connector wraps the matching python-escpos 3.1 printer class only for opening the link
and for its raw write (``_raw``); the kiosk builds every byte itself
(:mod:`kiosk.devices.printer.commands`). A connector opens a fresh :class:`Connection` per job
(a stale USB handle after a power cycle or a one-client 9100 port is never reused, §7).

Timeouts: USB ``timeout_ms`` is passed to pyusb in **milliseconds** (0 would mean infinite);
serial and TCP timeouts are given here in seconds (pyserial/socket units). Status replies are
awaited ``STATUS_REPLY_TIMEOUT_MS`` ms (USB: ``timeout_ms``).

Errors: :class:`PrinterConnectionError` (cannot open, transfer failed) and
:class:`PrinterTimeout` (a write did not finish in time), with the library error chained.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.devices.printer.errors import PrinterConnectionError, PrinterTimeout
from kiosk.devices.printer import escpos_cache

if TYPE_CHECKING:
    from escpos.printer import Network, Usb

log = logging.getLogger(__name__)
_escpos_lock = threading.Lock()


def _escpos() -> tuple[ModuleType, type[Exception]]:
    """python-escpos's ``escpos.printer`` module and its ``DeviceNotFoundError``, imported on
    first use: by a connector opening its link on the printer's worker thread, so neither the
    start-up path nor the preview printer (which never needs it) pays the ~40 ms import and its
    memory (issue 23). The capabilities cache is prepared around the first import
    (:mod:`kiosk.devices.printer.escpos_cache`); the lock keeps two workers from racing it."""
    with _escpos_lock:
        if "escpos.printer" not in sys.modules:
            escpos_cache.prepare()
            try:
                import escpos.printer  # noqa: F401 - the first import, cache prepared
            finally:
                escpos_cache.publish()
        import escpos.printer as printer_module
        from escpos.exceptions import DeviceNotFoundError
    return printer_module, DeviceNotFoundError

STATUS_REPLY_TIMEOUT_MS = 500


class Connection(Protocol):
    """An open link for one job. ``outputs`` lists files a preview connection wrote."""

    bidirectional: bool
    outputs: tuple[Path, ...]

    def write(self, data: bytes) -> None: ...

    def read(self, timeout_ms: int) -> bytes: ...

    def discard_input(self) -> None: ...

    def close(self) -> None: ...


class Connector:
    """Base: opens connections, remembers the current one so :meth:`abort` can close it from
    another thread (unblocking a stuck write)."""

    name = "connector"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Connection | None = None

    def _connect(self) -> Connection:
        raise NotImplementedError

    def open(self) -> Connection:
        """Open a new connection. Raises PrinterConnectionError."""
        conn = self._connect()
        with self._lock:
            self._current = conn
        return conn

    def abort(self) -> None:
        """Close the current connection, if any (called by the worker on a job timeout)."""
        with self._lock:
            conn, self._current = self._current, None
        if conn is not None:
            try:
                conn.close()
            except Exception as exc:  # noqa: BLE001 - closing a wedged device may fail in any library way
                log.warning("closing %s after a timeout failed: %s", self.name, exc)


class _EscposConnection:
    """Common part: a python-escpos printer object already opened."""

    bidirectional = True
    outputs: tuple[Path, ...] = ()
    name = "escpos"

    def __init__(self, printer: Any) -> None:
        self._printer = printer
        self._closed = False

    def write(self, data: bytes) -> None:
        self._printer._raw(data)

    def read(self, timeout_ms: int) -> bytes:
        return b""

    def discard_input(self) -> None:
        return None

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._printer.close()


# --------------------------------------------------------------------------- USB

class _UsbConnection(_EscposConnection):
    name = "usb"

    def __init__(self, printer: Usb, timeout_ms: int) -> None:
        super().__init__(printer)
        self._timeout_ms = timeout_ms

    def write(self, data: bytes) -> None:
        import usb.core
        try:
            self._printer._raw(data)  # Usb._raw passes timeout_ms to pyusb
        except usb.core.USBTimeoutError as exc:
            raise PrinterTimeout(f"USB write timed out after {self._timeout_ms} ms", "usb",
                                 self._timeout_ms / 1000) from exc
        except (usb.core.USBError, OSError) as exc:
            raise PrinterConnectionError(f"USB write failed: {exc}", "usb") from exc

    def read(self, timeout_ms: int) -> bytes:
        import usb.core
        try:
            return bytes(self._printer._device.read(self._printer.in_ep, 16, timeout_ms))
        except usb.core.USBTimeoutError:
            return b""
        except (usb.core.USBError, OSError) as exc:
            raise PrinterConnectionError(f"USB read failed: {exc}", "usb") from exc

    def discard_input(self) -> None:
        for _ in range(8):
            if not self.read(10):
                return


class UsbConnector(Connector):
    """USB printer class device: ``vendor_id``/``product_id`` (e.g. 0x0416/0x5011), bulk
    endpoints ``in_ep``/``out_ep`` (read them from ``lsusb -v``), transfer timeout in ms."""

    name = "usb"

    def __init__(self, vendor_id: int, product_id: int, in_ep: int = 0x82, out_ep: int = 0x01,
                 timeout_ms: int = 2000) -> None:
        super().__init__()
        if timeout_ms <= 0:
            raise ValueError("USB timeout must be > 0 ms (0 means infinite in libusb)")
        self.vendor_id, self.product_id = vendor_id, product_id
        self.in_ep, self.out_ep, self.timeout_ms = in_ep, out_ep, timeout_ms

    def _connect(self) -> Connection:
        if not (self.vendor_id and self.product_id):
            raise PrinterConnectionError("printer.usb_vendor_id / usb_product_id are not set",
                                         self.name)
        ident = f"{self.vendor_id:04x}:{self.product_id:04x}"
        try:
            import usb.core
        except ImportError as exc:
            raise PrinterConnectionError("pyusb is not installed", self.name) from exc
        escpos, DeviceNotFoundError = _escpos()
        printer = escpos.Usb(self.vendor_id, self.product_id, timeout=self.timeout_ms,
                      in_ep=self.in_ep, out_ep=self.out_ep)
        try:
            printer.open()
        except DeviceNotFoundError as exc:
            raise PrinterConnectionError(f"USB printer {ident} not found or not accessible",
                                         self.name) from exc
        except (usb.core.USBError, usb.core.NoBackendError, OSError) as exc:
            raise PrinterConnectionError(f"USB printer {ident}: {exc}", self.name) from exc
        return _UsbConnection(printer, self.timeout_ms)


# --------------------------------------------------------------------------- serial

class _SerialConnection(_EscposConnection):
    name = "serial"

    def write(self, data: bytes) -> None:
        import serial
        try:
            self._printer._raw(data)
        except serial.SerialTimeoutException as exc:
            raise PrinterTimeout("serial write timed out", "serial",
                                 self._printer.device.write_timeout or 0.0) from exc
        except (serial.SerialException, OSError) as exc:
            raise PrinterConnectionError(f"serial write failed: {exc}", "serial") from exc

    def read(self, timeout_ms: int) -> bytes:
        import serial
        dev = self._printer.device
        try:
            dev.timeout = timeout_ms / 1000
            data = dev.read(1)
            if data and dev.in_waiting:
                data += dev.read(dev.in_waiting)
            return bytes(data)
        except (serial.SerialException, OSError) as exc:
            raise PrinterConnectionError(f"serial read failed: {exc}", "serial") from exc

    def discard_input(self) -> None:
        import serial
        try:
            self._printer.device.reset_input_buffer()
        except (serial.SerialException, OSError) as exc:
            raise PrinterConnectionError(f"serial port failed: {exc}", "serial") from exc


class SerialConnector(Connector):
    """RS-232 / USB-serial printer: ``port`` (e.g. /dev/ttyUSB1), ``baudrate`` (8N1),
    ``write_timeout_s`` in seconds (pyserial units)."""

    name = "serial"

    def __init__(self, port: str, baudrate: int = 9600, write_timeout_s: float = 20.0) -> None:
        super().__init__()
        self.port, self.baudrate, self.write_timeout_s = port, baudrate, write_timeout_s

    def _connect(self) -> Connection:
        escpos, DeviceNotFoundError = _escpos()
        printer = escpos.Serial(devfile=self.port, baudrate=self.baudrate,
                         timeout=STATUS_REPLY_TIMEOUT_MS / 1000, dsrdtr=False)
        try:
            printer.open()
        except DeviceNotFoundError as exc:
            raise PrinterConnectionError(f"cannot open serial port {self.port}",
                                         self.name) from exc
        printer.device.write_timeout = self.write_timeout_s
        return _SerialConnection(printer)


# --------------------------------------------------------------------------- TCP 9100

class _NetworkConnection(_EscposConnection):
    name = "network"

    def __init__(self, printer: Network, timeout_s: float) -> None:
        super().__init__(printer)
        self._timeout_s = timeout_s

    def write(self, data: bytes) -> None:
        try:
            self._printer._raw(data)
        except TimeoutError as exc:
            raise PrinterTimeout(f"TCP send timed out after {self._timeout_s} s", "network",
                                 self._timeout_s) from exc
        except OSError as exc:
            raise PrinterConnectionError(f"TCP send failed: {exc}", "network") from exc

    def read(self, timeout_ms: int) -> bytes:
        sock = self._printer.device
        try:
            sock.settimeout(timeout_ms / 1000)
            data: bytes = sock.recv(16)
            return data
        except TimeoutError:
            return b""
        except OSError as exc:
            raise PrinterConnectionError(f"TCP read failed: {exc}", "network") from exc
        finally:
            sock.settimeout(self._timeout_s)

    def discard_input(self) -> None:
        for _ in range(8):
            if not self.read(5):
                return


class NetworkConnector(Connector):
    """Raw TCP printer port (9100). ``timeout_s`` (seconds) bounds connect and each send."""

    name = "network"

    def __init__(self, host: str, port: int = 9100, timeout_s: float = 20.0) -> None:
        super().__init__()
        self.host, self.port, self.timeout_s = host, port, timeout_s

    def _connect(self) -> Connection:
        escpos, DeviceNotFoundError = _escpos()
        printer = escpos.Network(self.host, self.port, timeout=self.timeout_s)
        try:
            printer.open()
        except DeviceNotFoundError as exc:
            raise PrinterConnectionError(f"cannot connect to {self.host}:{self.port}",
                                         self.name) from exc
        return _NetworkConnection(printer, self.timeout_s)


# --------------------------------------------------------------------------- device file

class _FileConnection(_EscposConnection):
    name = "file"
    bidirectional = False

    def write(self, data: bytes) -> None:
        try:
            self._printer._raw(data)
        except OSError as exc:
            raise PrinterConnectionError(f"write to device file failed: {exc}", "file") from exc


class FileConnector(Connector):
    """A write-only device file such as /dev/usb/lp0: no status can be read (always unknown),
    so jobs are sent blind."""

    name = "file"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def _connect(self) -> Connection:
        escpos, DeviceNotFoundError = _escpos()
        printer = escpos.File(self.path, auto_flush=True)
        try:
            printer.open()
        except DeviceNotFoundError as exc:
            raise PrinterConnectionError(f"cannot open {self.path}", self.name) from exc
        return _FileConnection(printer)
