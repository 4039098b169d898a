"""Connectors: USB / serial / network / file errors surface as typed PrinterErrors; status and
job bytes travel over real pty and TCP links to a fake printer."""

from __future__ import annotations

import os
import socket
import threading
import tty
from types import SimpleNamespace

import pytest
import usb.core

from kiosk.devices.printer import (FileConnector, NetworkConnector, PaperEnd,
                                   PrinterConnectionError, PrinterDevice, PrinterNotAnswering,
                                   PrinterTimeout, SerialConnector, UsbConnector)

JOB = b"\x1b@\x1c&" + "测试".encode("gb18030") + b"\n\x1dVB\x78"


# ------------------------------------------------------------------ USB (pyusb faked)

class FakeBackend:
    """Its ``__module__`` is not libusb1, so python-escpos skips kernel-driver calls."""


class FakeUsbDevice:
    backend = FakeBackend()
    _ctx = SimpleNamespace(dispose=lambda device: None)  # for usb.util.dispose_resources

    def __init__(self, status=b"\x12", write_error=None):
        self.status, self.write_error = status, write_error
        self.writes, self.pending = [], b""

    def set_configuration(self):
        pass

    def reset(self):
        pass

    def write(self, ep, data, timeout):
        assert (ep, timeout) == (0x01, 1500)
        if self.write_error is not None:
            raise self.write_error
        self.writes.append(bytes(data))
        if bytes(data[:2]) == b"\x10\x04":
            self.pending = self.status
        return len(data)

    def read(self, ep, size, timeout):
        assert ep == 0x82
        if not self.pending:
            raise usb.core.USBTimeoutError("timeout", errno=110)
        data, self.pending = self.pending, b""
        return bytearray(data)


def usb_connector():
    return UsbConnector(0x0416, 0x5011, 0x82, 0x01, timeout_ms=1500)


def test_usb_not_found(monkeypatch):
    monkeypatch.setattr(usb.core, "find", lambda **kw: None)
    with pytest.raises(PrinterConnectionError) as info:
        usb_connector().open()
    assert "0416:5011" in str(info.value) and info.value.connector == "usb"
    assert info.value.__cause__ is not None


def test_usb_no_backend(monkeypatch):
    def find(**kw):
        raise usb.core.NoBackendError("No backend available")
    monkeypatch.setattr(usb.core, "find", find)
    with pytest.raises(PrinterConnectionError):
        usb_connector().open()


def test_usb_ids_not_configured():
    with pytest.raises(PrinterConnectionError, match="usb_vendor_id"):
        UsbConnector(0, 0).open()


def test_usb_zero_timeout_rejected():
    with pytest.raises(ValueError):
        UsbConnector(0x0416, 0x5011, timeout_ms=0)


def test_usb_job_and_status(monkeypatch):
    dev = FakeUsbDevice()
    monkeypatch.setattr(usb.core, "find", lambda **kw: dev)
    report = PrinterDevice(usb_connector()).print_job(JOB)
    assert report.status.ready and report.bytes_sent == len(JOB)
    assert dev.writes == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04", JOB]


def test_usb_write_timeout_is_typed(monkeypatch):
    dev = FakeUsbDevice(write_error=usb.core.USBTimeoutError("timeout", errno=110))
    monkeypatch.setattr(usb.core, "find", lambda **kw: dev)
    with pytest.raises(PrinterTimeout) as info:
        PrinterDevice(usb_connector()).status()
    assert info.value.timeout_s == 1.5


def test_usb_unplugged_during_write(monkeypatch):
    dev = FakeUsbDevice(write_error=usb.core.USBError("No such device", errno=19))
    monkeypatch.setattr(usb.core, "find", lambda **kw: dev)
    with pytest.raises(PrinterConnectionError):
        PrinterDevice(usb_connector()).print_job(JOB)


def test_usb_silent_printer_is_not_answering(monkeypatch):
    dev = FakeUsbDevice(status=b"")
    monkeypatch.setattr(usb.core, "find", lambda **kw: dev)
    with pytest.raises(PrinterNotAnswering):
        PrinterDevice(usb_connector(), status_timeout_ms=20).print_job(JOB)
    assert JOB not in dev.writes


# ------------------------------------------------------------------ serial (real pty)

def test_serial_missing_port():
    with pytest.raises(PrinterConnectionError) as info:
        SerialConnector("/dev/ttyDOES-NOT-EXIST").open()
    assert info.value.connector == "serial"


class PtyPrinter:
    """A fake printer on the master side of a pty: answers DLE EOT n, collects job bytes."""

    def __init__(self, replies):
        self.master, slave = os.openpty()
        tty.setraw(slave)
        self.path = os.ttyname(slave)
        self._slave = slave
        self.replies, self.received = replies, bytearray()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            self.received += data
            for n in range(1, 5):
                if bytes(self.received).endswith(b"\x10\x04" + bytes([n])) and n in self.replies:
                    os.write(self.master, self.replies[n])

    def close(self):
        os.close(self.master)
        os.close(self._slave)


@pytest.mark.parametrize("replies,error", [
    ({1: b"\x12", 2: b"\x12", 4: b"\x12"}, None),
    ({1: b"\x1a", 2: b"\x32", 4: b"\x72"}, PaperEnd),
    ({}, PrinterNotAnswering),
])
def test_serial_status_and_job_over_pty(replies, error):
    printer = PtyPrinter(replies)
    try:
        device = PrinterDevice(SerialConnector(printer.path, 9600, 5.0), status_timeout_ms=100)
        if error is None:
            report = device.print_job(JOB)
            assert report.status.ready
            deadline = threading.Event()
            for _ in range(50):
                if bytes(printer.received).endswith(JOB):
                    break
                deadline.wait(0.01)
            assert bytes(printer.received) == b"\x10\x04\x01\x10\x04\x02\x10\x04\x04" + JOB
        else:
            with pytest.raises(error):
                device.print_job(JOB)
            assert JOB not in bytes(printer.received)
    finally:
        printer.close()


# ------------------------------------------------------------------ TCP 9100

def test_network_refused():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(PrinterConnectionError):
        NetworkConnector("127.0.0.1", port, timeout_s=1).open()


def test_network_status_and_job():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    received = bytearray()

    def serve():
        conn, _ = server.accept()
        with conn:
            while data := conn.recv(4096):
                received.extend(data)
                if data[:2] == b"\x10\x04":
                    conn.sendall(b"\x1e" if data[2] == 4 else b"\x12")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    device = PrinterDevice(NetworkConnector("127.0.0.1", server.getsockname()[1], 2.0), 500)
    report = device.print_job(JOB)
    thread.join(2)
    server.close()
    assert report.status.paper_near_end and report.warnings_zh == ("打印纸即将用完，请及时更换",)
    assert bytes(received).endswith(JOB)


# ------------------------------------------------------------------ device file

def test_file_connector_prints_blind(tmp_path):
    target = tmp_path / "lp0"
    report = PrinterDevice(FileConnector(str(target))).print_job(JOB)
    assert target.read_bytes() == JOB
    assert report.status.unknown and report.warnings_zh == ("打印机状态未知，请确认凭条已打印",)


def test_file_connector_missing_dir(tmp_path):
    with pytest.raises(PrinterConnectionError):
        FileConnector(str(tmp_path / "no" / "lp0")).open()
