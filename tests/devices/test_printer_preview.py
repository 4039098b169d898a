"""The preview printer (bytes + PNG + simulated states) and ReceiptPrinter on top of it."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from kiosk.devices.printer import (CoverOpen, PaperEnd, PreviewConnector, PrinterBusy,
                                   PrinterDevice, PrinterFault, PrinterNotAnswering,
                                   PrinterOffline, PrinterTimeout, paper_profile)
from kiosk.services.slip import ReceiptPrinter, Referral, build_printer, encode_slip, layout_slip
from kiosk.settings import PathSettings, PrinterSettings, Settings

EXAMPLE = Path(__file__).resolve().parents[2] / "assets" / "demo" / "referral.example.json"


@pytest.fixture
def referral() -> Referral:
    return Referral.from_json(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def make_printer(tmp_path, state="ok", timeout=5.0, paper=80, render=False):
    profile = paper_profile(paper)
    connector = PreviewConnector(tmp_path / "slips", profile, state, render_png=render)
    return ReceiptPrinter(PrinterDevice(connector, status_timeout_ms=20), profile, timeout)


def test_preview_writes_exact_bytes_and_png(tmp_path, referral):
    printer = make_printer(tmp_path, render=True, paper=58)
    result = printer.print_slip(referral)
    bin_path, png_path = result.preview_files
    profile = paper_profile(58)
    expected = encode_slip(layout_slip(referral, profile), profile)
    assert bin_path.read_bytes() == expected and result.bytes_sent == len(expected)
    assert result.status.ready and result.warnings_zh == ()
    img = Image.open(png_path)
    assert img.width == 384 + 16
    zxingcpp = pytest.importorskip("zxingcpp")
    assert [r.text for r in zxingcpp.read_barcodes(img)] == [referral.verify_url]
    printer.close()


@pytest.mark.parametrize("state,error", [
    ("paper_end", PaperEnd), ("cover_open", CoverOpen), ("offline", PrinterOffline),
    ("cutter_error", PrinterFault), ("no_reply", PrinterNotAnswering),
])
def test_preview_states_refuse(tmp_path, referral, state, error):
    printer = make_printer(tmp_path, state)
    with pytest.raises(error) as info:
        printer.print_slip(referral)
    assert type(info.value) is error
    assert not (tmp_path / "slips").exists()  # nothing was printed
    printer.close()


def test_near_end_prints_with_warning(tmp_path, referral):
    printer = make_printer(tmp_path, "near_end")
    result = printer.print_slip(referral)
    assert result.warnings_zh == ("打印纸即将用完，请及时更换",)
    assert printer.status().paper_near_end
    printer.close()


def test_state_change_and_status(tmp_path):
    printer = make_printer(tmp_path)
    assert printer.status().ready
    printer.connector.set_state("cover_open")
    assert printer.status().cover_open
    with pytest.raises(ValueError):
        printer.connector.set_state("on_fire")
    printer.close()


def test_submit_calls_back_on_worker(tmp_path, referral):
    printer = make_printer(tmp_path, "paper_end")
    done = threading.Event()
    got = {}

    def on_done(result, error):
        got.update(result=result, error=error, thread=threading.current_thread().name)
        done.set()

    future = printer.submit(referral, on_done)
    assert done.wait(5)
    assert got["result"] is None and isinstance(got["error"], PaperEnd)
    assert got["thread"] == "printer-worker" and isinstance(future.exception(), PaperEnd)
    printer.close()


def test_stuck_printer_times_out_and_never_blocks(tmp_path, referral):
    printer = make_printer(tmp_path, "stuck", timeout=0.3)
    started = time.monotonic()
    future = printer.submit(referral)
    assert not future.done()  # submit returned at once
    with pytest.raises(PrinterTimeout) as info:
        future.result(timeout=3)
    assert 0.25 < time.monotonic() - started < 2.0 and info.value.timeout_s == 0.3
    # The watchdog closed the connection: the stuck write ends and the worker recovers.
    for _ in range(100):
        if not printer._worker.stuck:
            break
        time.sleep(0.01)
    printer.connector.set_state("ok")
    assert printer.print_slip(referral).bytes_sent > 0
    printer.close()


def test_jobs_refused_while_worker_is_stuck(tmp_path):
    from kiosk.devices.printer import PrinterWorker
    release = threading.Event()
    worker = PrinterWorker(0.1)
    first = worker.submit(lambda: release.wait(5))
    with pytest.raises(PrinterTimeout):
        first.result(timeout=2)
    assert worker.stuck
    with pytest.raises(PrinterBusy):
        worker.submit(lambda: 1).result(timeout=1)
    release.set()
    for _ in range(100):
        if not worker.stuck:
            break
        time.sleep(0.01)
    assert worker.submit(lambda: 42).result(timeout=1) == 42
    worker.close()


def test_build_printer_from_settings(tmp_path, referral):
    settings = Settings(printer=PrinterSettings(connector="preview", paper=58, cutter=False),
                        paths=PathSettings(data_dir=str(tmp_path)))
    printer = build_printer(settings)
    assert (printer.profile.columns, printer.profile.cutter) == (32, False)
    result = printer.print_slip(referral)
    assert result.preview_files[0].parent == tmp_path / "slips"
    assert result.preview_files[0].read_bytes().endswith(b"\x1bd\x04")
    printer.close()
