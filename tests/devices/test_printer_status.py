"""DLE EOT status parsing and the refuse/warn policy, with exact status bytes."""

from __future__ import annotations

import pytest

from kiosk.devices.printer import (CoverOpen, PaperEnd, PrinterFault, PrinterNotAnswering,
                                   PrinterOffline, PrinterStatus, check_ready, parse_status,
                                   query_status)

OK = {1: b"\x12", 2: b"\x12", 4: b"\x12"}


def test_ok():
    s = parse_status(OK)
    assert s == PrinterStatus(online=True, unknown=False)
    assert s.ready and s.message_zh() == "打印机正常"
    check_ready(s, "usb")


def test_paper_near_end_warns_but_prints():
    s = parse_status({**OK, 4: b"\x1e"})
    assert (s.paper_near_end, s.paper_end, s.ready) == (True, False, True)
    assert s.message_zh() == "打印纸即将用完，请及时更换"
    check_ready(s, "usb")


@pytest.mark.parametrize("reply4", [b"\x72", b"\x7e"])
def test_paper_end_refused(reply4):
    s = parse_status({1: b"\x1a", 2: b"\x32", 4: reply4})
    assert (s.online, s.paper_end, s.ready) == (False, True, False)
    with pytest.raises(PaperEnd) as info:
        check_ready(s, "usb")
    assert info.value.status is s and info.value.message_zh.startswith("打印纸已用完")


def test_cover_open_refused():
    s = parse_status({1: b"\x1a", 2: b"\x16", 4: b"\x12"})
    assert (s.cover_open, s.paper_end) == (True, False)
    with pytest.raises(CoverOpen):
        check_ready(s, "serial")


def test_offline_without_cause_refused():
    s = parse_status({1: b"\x1a", 2: b"\x12", 4: b"\x12"})
    assert (s.online, s.unknown) == (False, False)
    with pytest.raises(PrinterOffline) as info:
        check_ready(s, "network")
    assert type(info.value) is PrinterOffline


def test_cutter_error():
    s = parse_status({1: b"\x1a", 2: b"\x52", 3: b"\x1a", 4: b"\x12"})
    assert (s.error, s.cutter_error, s.unrecoverable_error) == (True, True, False)
    with pytest.raises(PrinterFault):
        check_ready(s, "usb")


@pytest.mark.parametrize("replies", [
    {},                                        # nothing at all
    {1: b"", 2: b"", 4: b""},                  # silence on every request
    {1: b"\x12", 2: b"\x12", 4: b""},          # paper sensor silent: NOT "paper OK"
    {1: b"\x12", 2: b"\x12", 4: b"\x00"},      # malformed byte (bit 4 / bit 1 clear)
    {1: None, 2: b"\x12", 4: b"\x12"},
])
def test_no_reply_is_unknown_never_ok(replies):
    s = parse_status(replies)
    assert s.unknown and not s.ready and not s.paper_end
    assert s.message_zh() == "打印机无响应，状态未知"
    with pytest.raises(PrinterNotAnswering):
        check_ready(s, "usb")
    check_ready(s, "file", bidirectional=False)  # write-only links print blind


def test_stale_bytes_use_the_last_valid_one():
    assert parse_status({1: b"\x12\x1a", 2: b"\x12", 4: b"\x12"}).online is False


class FakeConnection:
    bidirectional = True
    outputs = ()

    def __init__(self, answers):
        self.answers, self.written, self.pending = answers, [], b""

    def write(self, data):
        self.written.append(data)
        self.pending = self.answers.get(data[2], b"") if data[:2] == b"\x10\x04" else b""

    def read(self, timeout_ms):
        data, self.pending = self.pending, b""
        return data

    def discard_input(self):
        self.pending = b""

    def close(self):
        pass


def test_query_sends_dle_eot_1_2_4_and_3_on_error():
    conn = FakeConnection({1: b"\x12", 2: b"\x12", 4: b"\x12"})
    assert query_status(conn).ready
    assert conn.written == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04"]
    conn = FakeConnection({1: b"\x1a", 2: b"\x52", 3: b"\x1a", 4: b"\x12"})
    assert query_status(conn).cutter_error
    assert conn.written[-1] == b"\x10\x04\x03"
