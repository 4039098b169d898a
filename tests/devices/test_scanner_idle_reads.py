"""The scanner link waits for the first byte in one read, and reads a frame under way in
slices of half the inter-character silence (issue 23: an idle kiosk wakes for its scanner a
few times a second, not 40)."""

from __future__ import annotations

from kiosk.devices.scanner.link import LinkConfig, ScannerLink


class RecordingPort:
    """A serial port double: ``chunks`` are returned one per read; each read's timeout is
    recorded and advances the fake clock by that timeout when nothing is returned."""

    def __init__(self, chunks: list[bytes], clock: list[float]) -> None:
        self.chunks, self.clock, self.timeout, self.reads = chunks, clock, 0.025, []
        self.in_waiting = 0

    def read(self, size: int) -> bytes:
        self.reads.append(round(self.timeout, 3))
        if self.chunks:
            self.clock[0] += 0.001
            return self.chunks.pop(0)
        self.clock[0] += self.timeout
        return b""

    def close(self) -> None:
        pass


def _link(chunks: list[bytes]) -> tuple[ScannerLink, RecordingPort]:
    now = [100.0]
    port = RecordingPort(chunks, now)
    link = ScannerLink(LinkConfig("loop://", inter_char_timeout_s=0.05),
                       serial_factory=lambda *_a, **_k: port, clock=lambda: now[0])
    link.open()
    return link, port


def test_an_idle_port_is_read_once_per_call_with_the_whole_wait():
    link, port = _link([])
    assert link.next_scan(0.25) is None
    assert port.reads == [0.25]


def test_a_frame_under_way_is_read_in_slices_and_decoded():
    link, port = _link([b"4401", b"0619", b"\r"])
    scan = link.next_scan(0.25)
    assert scan is not None and scan.text == "44010619"
    assert port.reads[0] == 0.25             # waiting for the first byte
    assert port.reads[1:] == [0.025, 0.025]  # then slices of half the 50 ms silence
