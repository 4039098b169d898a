"""The real serial driver through pyserial against the pty simulator: events, faults, unplug."""

from __future__ import annotations

import queue
import threading
import time

import pytest
import serial

from kiosk.devices.scanner.base import ListenerBase, Scan, ScannerState
from kiosk.devices.scanner.errors import (PartialScanError, ScanDecodeError, ScannerBusy,
                                          ScannerError, ScannerTimeout, ScannerUnavailable)
from kiosk.devices.scanner.frames import Suffix
from kiosk.devices.scanner.reader import SerialScanner, SerialScannerConfig
from kiosk.devices.scanner.simulator import GARBLED_BYTES, ScannerSimulator
from kiosk.devices.scanner.symbology import AimMode

pytestmark = pytest.mark.timeout(30)
WAIT_S = 5.0


class Events(ListenerBase):
    """Collects events from the reader thread."""

    def __init__(self) -> None:
        self.items: queue.Queue[tuple[str, object]] = queue.Queue()
        self.states: list[ScannerState] = []
        self._state_changed = threading.Condition()

    def on_scan(self, scan: Scan) -> None:
        self.items.put(("scan", scan))

    def on_error(self, exc: ScannerError) -> None:
        self.items.put(("error", exc))

    def on_status(self, state: ScannerState) -> None:
        with self._state_changed:
            self.states.append(state)
            self._state_changed.notify_all()

    def next(self) -> tuple[str, object]:
        return self.items.get(timeout=WAIT_S)

    def wait_state(self, state: ScannerState, after: int = 0) -> None:
        with self._state_changed:
            assert self._state_changed.wait_for(lambda: state in self.states[after:], WAIT_S), \
                self.states


def make_scanner(sim: ScannerSimulator, **kw: object) -> SerialScanner:
    options: dict[str, object] = dict(suffix=sim.suffix, inter_char_timeout_s=0.03,
                                      reopen_interval_s=0.02)
    options.update(kw)
    return SerialScanner(SerialScannerConfig(url=sim.port, **options))  # type: ignore[arg-type]


@pytest.fixture
def sim():
    simulator = ScannerSimulator(frame_gap_s=0.1).start()
    yield simulator
    simulator.close()


@pytest.mark.parametrize("suffix", list(Suffix))
def test_scans_arrive_in_order_on_the_reader_thread(suffix: Suffix) -> None:
    with ScannerSimulator(suffix=suffix, frame_gap_s=0.1) as simulator:
        scanner = make_scanner(simulator)
        events = Events()
        scanner.add_listener(events)
        threads: list[str] = []
        scanner.add_listener(type("T", (ListenerBase,), {
            "on_scan": lambda self, scan: threads.append(threading.current_thread().name)})())
        with scanner:
            scanner.start()
            sent = simulator.scan("报到码 7Q3X", aim="]Q1")
            simulator.scan("9787111234567", aim="]E0", encoding="gb18030", pieces=3)
            first, second = events.next(), events.next()
        assert sent == b"]Q1" + "报到码 7Q3X".encode() + suffix.terminator
        assert first == ("scan", Scan(text="报到码 7Q3X", symbology="]Q1"))
        assert second == ("scan", Scan(text="9787111234567", symbology="]E0"))
        assert threads == ["scanner-reader", "scanner-reader"]
        assert events.states[:2] == [ScannerState.CONNECTING, ScannerState.READY]
        assert events.states[-1] is ScannerState.STOPPED


def test_gb18030_scanner_text_is_decoded(sim: ScannerSimulator) -> None:
    with make_scanner(sim) as scanner:
        sim.scan("广州市天河区就业驿站", encoding="gb18030")
        scan = scanner.read_once(WAIT_S)
    assert (scan.text, scan.encoding, scan.symbology) == ("广州市天河区就业驿站", "gb18030", None)


def test_garbled_and_partial_frames_are_typed_errors_and_the_next_scan_still_arrives(
        sim: ScannerSimulator) -> None:
    events = Events()
    with make_scanner(sim) as scanner:
        scanner.add_listener(events)
        scanner.start()
        assert sim.garbled() == GARBLED_BYTES + b"\r"
        assert sim.partial("HALF-OF-A-CODE") == b"HALF-OF"
        sim.scan("WHOLE")
        kinds = [events.next(), events.next(), events.next()]
    assert kinds[0][0] == "error" and isinstance(kinds[0][1], ScanDecodeError)
    assert kinds[1][0] == "error" and isinstance(kinds[1][1], PartialScanError)
    assert kinds[1][1].length == 7
    assert kinds[2] == ("scan", Scan(text="WHOLE"))


def test_unplug_reports_disconnected_then_reopens_and_scans_again(sim: ScannerSimulator) -> None:
    events = Events()
    with make_scanner(sim) as scanner:
        scanner.add_listener(events)
        scanner.start()
        sim.scan("BEFORE")
        assert events.next() == ("scan", Scan(text="BEFORE"))
        sim.unplug()
        events.wait_state(ScannerState.DISCONNECTED)
        kind, error = events.next()
        assert kind == "error" and isinstance(error, ScannerUnavailable)
        time.sleep(0.1)                    # several reopen attempts fail: reported only once
        assert events.items.empty()
        mark = len(events.states)
        sim.replug()
        events.wait_state(ScannerState.READY, after=mark)
        sim.scan("AFTER")
        assert events.next() == ("scan", Scan(text="AFTER"))
        assert scanner.state is ScannerState.READY
    assert sim.attach_count == 2


def test_unplug_mid_scan_drops_the_half_frame(sim: ScannerSimulator) -> None:
    events = Events()
    with make_scanner(sim, inter_char_timeout_s=1.0) as scanner:
        scanner.add_listener(events)
        scanner.start()
        sim.partial("CUT-BY-THE-UNPLUG")
        assert sim.wait_sent()
        sim.unplug()
        events.wait_state(ScannerState.DISCONNECTED)
        mark = len(events.states)
        sim.replug()
        events.wait_state(ScannerState.READY, after=mark)
        sim.scan("NEXT")
        got = [events.next(), events.next()]
    assert isinstance(got[0][1], ScannerUnavailable)
    assert got[1] == ("scan", Scan(text="NEXT"))          # not "CUT-BY-TNEXT"


def test_read_once_timeout_busy_and_missing_port(sim: ScannerSimulator) -> None:
    with make_scanner(sim) as scanner:
        with pytest.raises(ScannerTimeout) as info:
            scanner.read_once(0.2)
        assert info.value.timeout_s == 0.2 and info.value.message_zh == "未扫描到条码"
        scanner.link.close()
        scanner.start()
        with pytest.raises(ScannerBusy):
            scanner.read_once(0.1)
    missing = SerialScanner(SerialScannerConfig(url="/dev/ttyKIOSK-NO-SCANNER"))
    with pytest.raises(ScannerUnavailable) as unavailable:
        missing.read_once(0.1)
    assert unavailable.value.url == "/dev/ttyKIOSK-NO-SCANNER"
    with pytest.raises(ScannerUnavailable):
        missing.probe()


def test_aim_on_without_identifier_is_an_error_over_loop_url() -> None:
    """loop:// (pyserial's software port) as the transport: what is written is read back."""
    port = serial.serial_for_url("loop://", timeout=0.01)
    scanner = SerialScanner(SerialScannerConfig(url="loop://", aim=AimMode.ON,
                                                inter_char_timeout_s=0.02),
                            serial_factory=lambda *a, **k: port)
    scanner.link.open()
    port.write(b"PLAIN\r]Q1OK\r")
    with pytest.raises(ScannerError, match="expected an AIM"):
        scanner.read_once(1.0)
    assert scanner.read_once(1.0) == Scan(text="OK", symbology="]Q1")
    scanner.close()


def test_listener_bug_does_not_stop_the_reader(sim: ScannerSimulator) -> None:
    class Broken(ListenerBase):
        def on_scan(self, scan: Scan) -> None:
            raise RuntimeError("listener bug")

    events = Events()
    with make_scanner(sim) as scanner:
        scanner.add_listener(Broken())
        scanner.add_listener(events)
        scanner.start()
        sim.scan("ONE")
        sim.scan("TWO")
        assert [events.next()[1], events.next()[1]] == [Scan(text="ONE"), Scan(text="TWO")]


def test_simulator_holds_scans_until_a_host_opens_then_writes_exact_bytes() -> None:
    with ScannerSimulator(suffix=Suffix.CRLF) as simulator:
        first = simulator.scan("报到", aim="]Q1", encoding="gb18030")
        raw = b"\x00\x01]E0 raw"
        simulator.send_raw(raw)
        time.sleep(0.05)
        assert (simulator.attached, simulator.pending) == (False, 2)
        port = serial.serial_for_url(simulator.port, timeout=0.05)
        try:
            assert simulator.wait_attached() and simulator.wait_sent()
            got = b""
            deadline = time.monotonic() + WAIT_S
            while len(got) < len(first) + len(raw) and time.monotonic() < deadline:
                got += port.read(64)
        finally:
            port.close()
    assert first == b"]Q1\xb1\xa8\xb5\xbd\r\n"
    assert got == first + raw and simulator.bytes_sent == len(got)


def _blocked_next_scan(link: object, timeout_s: float) -> tuple[threading.Thread, list]:
    got: list = []
    thread = threading.Thread(target=lambda: got.append(link.next_scan(timeout_s)),  # type: ignore
                              daemon=True)
    thread.start()
    return thread, got


@pytest.mark.parametrize("url", ["pty", "loop://"])
def test_cancel_read_ends_a_long_wait_at_once_and_the_next_scan_still_arrives(
        sim: ScannerSimulator, url: str) -> None:
    """stop() cancels the reader's read (pyserial cancel_read): next_scan returns None long
    before its 60 s deadline, and a scan sent afterwards is read whole."""
    from kiosk.devices.scanner.link import LinkConfig, ScannerLink

    link = ScannerLink(LinkConfig(url=sim.port if url == "pty" else url, suffix=sim.suffix))
    link.open()
    try:
        thread, got = _blocked_next_scan(link, 60.0)
        time.sleep(0.05)                       # let it block in port.read
        link.cancel_read()
        thread.join(WAIT_S)
        assert not thread.is_alive() and got == [None]
        if url == "pty":
            sent = sim.scan("GDJY:FAIR:1", aim="]Q1")
            assert link.next_scan(WAIT_S).text == "GDJY:FAIR:1" and sent
        thread, got = _blocked_next_scan(link, 0.2)  # the cancel was used up: a plain timeout
        thread.join(WAIT_S)
        assert got == [None]
    finally:
        link.close()


def test_a_port_without_cancel_read_finishes_its_read_then_returns_none() -> None:
    from kiosk.devices.scanner.link import LinkConfig, ScannerLink

    class Port:                                # like socket:// (no cancel_read)
        in_waiting = 0
        timeout = 0.0
        reads = 0

        def read(self, _n: int) -> bytes:
            Port.reads += 1
            time.sleep(0.05)
            return b""

        def close(self) -> None:
            pass

    link = ScannerLink(LinkConfig(url="socket://scanner:1"), serial_factory=lambda *a, **k: Port())
    link.open()
    thread, got = _blocked_next_scan(link, 60.0)
    time.sleep(0.02)
    link.cancel_read()
    thread.join(WAIT_S)
    assert not thread.is_alive() and got == [None] and Port.reads == 1


def test_stop_returns_with_the_reader_thread_ended(sim: ScannerSimulator) -> None:
    scanner = make_scanner(sim)
    events = Events()
    scanner.add_listener(events)
    scanner.start()
    events.wait_state(ScannerState.READY)
    time.sleep(0.1)                            # the thread is now waiting in a 0.5 s read
    thread = scanner._thread
    scanner.stop()
    assert thread is not None and not thread.is_alive()
    assert events.states[-1] is ScannerState.STOPPED
