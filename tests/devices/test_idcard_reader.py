"""The real driver through pyserial against the pty simulator: every card type, every fault."""

from __future__ import annotations

import json
import os
import queue
import time
from pathlib import Path

import pytest
import serial

from kiosk.devices.idcard.errors import (ChecksumError, FrameError, ReaderBusy, ReaderTimeout,
                                         ReaderUnavailable, SamError, TruncatedFrameError)
from kiosk.devices.idcard.frames import Command, FrameDecoder, Reply, build_request
from kiosk.domain.identity_card import IdentityCard
from kiosk.devices.idcard.reader import CardReader, ListenerBase, ReaderConfig, ReaderState
from kiosk.devices.idcard.sam_model import fake_photo
from kiosk.devices.idcard.simulator import CardSimulator

pytestmark = pytest.mark.timeout(30)
CARDS = Path(__file__).resolve().parents[2] / "assets" / "demo" / "cards"
CARD_FILES = sorted(CARDS.glob("*.json"))


def load(name: str) -> dict:
    return json.loads((CARDS / f"{name}.json").read_text("utf-8"))


@pytest.fixture
def sim():
    simulator = CardSimulator(load("resident")).start()
    yield simulator
    simulator.close()


def make_reader(sim: CardSimulator, **kw) -> CardReader:
    options = dict(command_timeout_s=0.3, inter_byte_timeout_s=0.05, poll_interval_s=0.05,
                   reopen_interval_s=0.05)
    options.update(kw)
    return CardReader(ReaderConfig(url=sim.port, **options))


@pytest.mark.parametrize("path", CARD_FILES, ids=lambda p: p.stem)
def test_every_card_type_end_to_end(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    with CardSimulator(data) as simulator, make_reader(simulator) as reader:
        card = reader.read_once(2)
    out = card.to_json(reveal=True)
    assert out == {k: v for k, v in data.items() if k in out}
    assert card.photo == fake_photo(IdentityCard.from_json(data)) and len(card.photo) == 1024
    assert simulator.sam.handled == [0x2001, 0x2002, 0x3001]


def test_card_left_on_reader_is_read_again_via_select(sim: CardSimulator) -> None:
    with make_reader(sim) as reader:
        first = reader.read_once(1)
        second = reader.read_once(1)
    assert first == second
    # second read: find refused (0x80) while the read card stays, select + read accepted
    assert sim.sam.handled[3:] == [0x2001, 0x2002, 0x3001]


def test_no_card_times_out(sim: CardSimulator) -> None:
    sim.remove()
    with make_reader(sim) as reader, pytest.raises(ReaderTimeout) as info:
        reader.read_once(0.2)
    assert info.value.command == "wait for card"


def test_no_card_fault_hides_the_card(sim: CardSimulator) -> None:
    sim.set_fault("no_card")
    with make_reader(sim) as reader, pytest.raises(ReaderTimeout):
        reader.read_once(0.2)


@pytest.mark.parametrize("fault,status,command", [
    ("select_fail", 0x81, "20 02"), ("read_fail", 0x41, "30 01"), ("sam_fault", 0x60, "20 01")])
def test_sam_faults_are_typed_with_status(sim: CardSimulator, fault: str, status: int,
                                          command: str) -> None:
    sim.set_fault(fault)
    with make_reader(sim) as reader, pytest.raises(SamError) as info:
        reader.read_once(1)
    assert (info.value.status, info.value.command) == (status, command)
    assert (info.value.sw1, info.value.sw2) == ((0x6F, 0x00) if fault != "sam_fault" else (0, 0))


def test_sam_status_reports_self_test_failure(sim: CardSimulator) -> None:
    with make_reader(sim) as reader:
        info = reader.sam_status()
        assert (info.ok, info.sam_id) == (True, "05.01-20240101-0000012345-0000067890")
        sim.set_fault("sam_fault")
        info = reader.sam_status()
    assert (info.ok, info.status, info.sam_id) == (False, 0x60, None)


def test_bad_checksum_is_typed_and_next_read_recovers(sim: CardSimulator) -> None:
    sim.set_fault("bad_checksum", count=1, command=Command.READ_TEXT_PHOTO)
    with make_reader(sim) as reader:
        with pytest.raises(ChecksumError):
            reader.read_once(1)
        assert reader.read_once(1).id_number == "449901199203154525"


@pytest.mark.parametrize("fault", ["stray_bytes", "split", "slow"])
def test_wire_faults_the_driver_absorbs(sim: CardSimulator, fault: str) -> None:
    sim.set_fault(fault)
    with make_reader(sim, command_timeout_s=1.0) as reader:
        assert reader.read_once(3).id_number == "449901199203154525"


def test_stalled_reply_is_truncated_frame(sim: CardSimulator) -> None:
    sim.set_fault("stall", command=Command.READ_TEXT_PHOTO)
    with make_reader(sim) as reader, pytest.raises(TruncatedFrameError) as info:
        reader.read_once(1)
    assert (info.value.received, info.value.expected) == (647, 1295)


def test_mute_reader_times_out_on_the_command(sim: CardSimulator) -> None:
    sim.set_fault("mute")
    with make_reader(sim, command_timeout_s=0.1) as reader, pytest.raises(ReaderTimeout) as info:
        reader.read_once(1)
    assert info.value.command == "20 01"
    assert info.value.timeout_s == pytest.approx(0.1 + 25 * 10 / 115200)


def test_unplug_then_replug(sim: CardSimulator) -> None:
    with make_reader(sim) as reader:
        reader.read_once(1)
        sim.unplug()
        with pytest.raises(ReaderUnavailable):
            reader.read_once(1)
        with pytest.raises(ReaderUnavailable):  # the path is gone while unplugged
            reader.read_once(1)
        sim.replug()
        assert reader.read_once(1).card_type.value == "resident"


def test_simulator_rejects_bad_request_checksum(sim: CardSimulator) -> None:
    with serial.serial_for_url(sim.port, timeout=0.5) as port:
        bad = bytearray(build_request(Command.FIND_CARD))
        bad[-1] ^= 1
        port.write(bytes(bad) + build_request(0x7777))
        decoder, replies = FrameDecoder(), []
        deadline = time.monotonic() + 1
        while len(replies) < 2 and time.monotonic() < deadline:
            decoder.feed(port.read(port.in_waiting or 1))
            replies += decoder.frames()
    assert replies == [Reply(0, 0, 0x10), Reply(0, 0, 0x21)]


def test_loop_url_echo_is_a_frame_error() -> None:
    reader = CardReader(ReaderConfig(url="loop://", command_timeout_s=0.1))
    with reader, pytest.raises(FrameError):
        reader.read_once(0.2)


def test_paced_read_takes_wire_time() -> None:
    with CardSimulator(load("resident"), pace=True) as simulator, make_reader(simulator) as reader:
        start = time.perf_counter()
        reader.read_once(2)
        elapsed = time.perf_counter() - start
    wire = (10 + 15 + 10 + 19 + 10 + 1295) * 10 / 115200
    assert wire <= elapsed < wire * 2


class Recorder(ListenerBase):
    def __init__(self) -> None:
        self.events: queue.Queue = queue.Queue()

    def on_card_placed(self, card: IdentityCard) -> None:
        self.events.put(("placed", card.card_type.value))

    def on_card_removed(self) -> None:
        self.events.put(("removed",))

    def on_error(self, exc: Exception) -> None:
        self.events.put(("error", type(exc).__name__, getattr(exc, "status", None)))

    def on_status(self, state: ReaderState) -> None:
        self.events.put(("status", state.value))

    def expect(self, *wanted: tuple, timeout: float = 3.0) -> list[tuple]:
        """Collect events until ``wanted`` appeared in order; return all collected."""
        seen: list[tuple] = []
        todo = list(wanted)
        deadline = time.monotonic() + timeout
        while todo:
            event = self.events.get(timeout=max(deadline - time.monotonic(), 0.01))
            seen.append(event)
            if event == todo[0]:
                todo.pop(0)
        return seen


def test_polling_events(sim: CardSimulator) -> None:
    rec = Recorder()
    reader = make_reader(sim)
    reader.add_listener(rec)
    with reader:
        reader.start()
        rec.expect(("status", "connecting"), ("status", "ready"), ("status", "card_present"),
                   ("placed", "resident"))
        with pytest.raises(ReaderBusy):
            reader.read_once(0.1)
        sim.place(load("hk_macao_taiwan"))  # swapped between two polls
        rec.expect(("removed",), ("placed", "hk_macao_taiwan"))
        sim.remove()
        rec.expect(("status", "ready"), ("removed",))
        sim.set_fault("read_fail", count=1)
        sim.place(load("foreign_permanent_2017"))
        seen = rec.expect(("placed", "foreign_permanent_2017"))
        assert ("error", "SamError", 0x41) in seen
        sim.unplug()
        rec.expect(("status", "disconnected"), ("removed",), ("error", "ReaderUnavailable", None))
        sim.replug()
        rec.expect(("status", "ready"), ("placed", "foreign_permanent_2017"))
        sim.set_fault("sam_fault", count=2)
        rec.expect(("status", "sam_fault"), ("error", "SamError", 0x60), ("status", "card_present"))
    assert reader.state is ReaderState.STOPPED


def test_a_failing_listener_does_not_stop_the_thread(sim: CardSimulator) -> None:
    class Broken(ListenerBase):
        def on_card_placed(self, card: IdentityCard) -> None:
            raise RuntimeError("listener bug")

    rec = Recorder()
    reader = make_reader(sim)
    reader.add_listener(Broken())
    reader.add_listener(rec)
    with reader:
        reader.start()
        rec.expect(("placed", "resident"))
        sim.remove()
        rec.expect(("removed",))


def test_no_card_data_reaches_the_log(sim: CardSimulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="kiosk")
    sim.set_fault("read_fail", count=1)
    rec = Recorder()
    reader = make_reader(sim)
    reader.add_listener(rec)
    with reader:
        reader.start()
        rec.expect(("placed", "resident"))
    assert "449901199203154525" not in caplog.text and "陈晓满" not in caplog.text
    assert "0x41" in caplog.text


def test_simulator_port_vanishes_after_close() -> None:
    simulator = CardSimulator(load("resident")).start()
    port = simulator.port
    assert os.path.exists(port)
    simulator.close()
    assert not os.path.exists(port)


class StepRecorder(ListenerBase):
    """Events as short tuples, for a reader driven with ``step()``."""

    def __init__(self) -> None:
        self.events: list[tuple] = []

    def on_card_placed(self, card: IdentityCard) -> None:
        self.events.append(("placed", card.card_type.value))

    def on_card_removed(self) -> None:
        self.events.append(("removed",))

    def on_card_detected(self) -> None:
        self.events.append(("detected",))

    def on_status(self, state: ReaderState) -> None:
        self.events.append(("status", state.value))

    def on_error(self, exc: Exception) -> None:
        self.events.append(("error", type(exc).__name__))


def _stepper(sim: CardSimulator, reader: CardReader, rec: StepRecorder):
    def step() -> tuple[list[tuple[int, int]], list[tuple], str]:
        """One poll: the (command, SW3) of every frame answered, the events, the state after."""
        frames, events = len(sim.sam.answered), len(rec.events)
        reader.step()
        return sim.sam.answered[frames:], rec.events[events:], reader.state.value
    return step


FIND, SELECT, READ = 0x2001, 0x2002, 0x3001


def test_demo_card_laid_and_lifted_for_visitor_after_visitor() -> None:
    """The demo card's cycle, frame by frame: laid on the home screen (detected, nothing read),
    read after the consent, kept (find refused, select answers), lifted (removed), and the same
    again for the next visitors — any number of times on one reader."""
    with CardSimulator() as sim, make_reader(sim) as reader:
        rec = StepRecorder()
        reader.add_listener(rec)
        reader.set_read_allowed(False)                 # the kiosk: no reading before consent
        step = _stepper(sim, reader, rec)
        assert step() == ([(0x11FF, 0x90)], [("status", "connecting"), ("status", "ready")],
                          "ready")
        assert step() == ([(FIND, 0x80), (SELECT, 0x81)], [], "ready")   # nothing there
        for _visitor in range(3):
            sim.place(load("resident"))                              # 演示：放置身份证
            assert step() == ([(FIND, 0x9F)], [("detected",)], "ready")
            reader.set_read_allowed(True)                            # 同意并继续
            assert step() == ([(FIND, 0x9F), (SELECT, 0x90), (READ, 0x90)],
                              [("status", "card_present"), ("placed", "resident")],
                              "card_present")
            reader.set_read_allowed(False)                           # the engine keeps it
            assert step() == ([(FIND, 0x80), (SELECT, 0x90)], [], "card_present")
            sim.remove()                                             # the visitor takes it
            assert step() == ([(FIND, 0x80), (SELECT, 0x81)],
                              [("status", "ready"), ("removed",)], "ready")
            assert step() == ([(FIND, 0x80)], [], "ready")
        assert [c for c, _s in sim.sam.answered].count(READ) == 3


def test_card_left_lying_is_read_again_under_a_new_consent_only() -> None:
    """A card nobody took away is read again once reading is allowed again (the next consent),
    not before; a card laid in its place while reading is forbidden is only detected."""
    with CardSimulator(load("resident")) as sim, make_reader(sim) as reader:
        rec = StepRecorder()
        reader.add_listener(rec)
        step = _stepper(sim, reader, rec)
        step()                                                       # connect
        assert step()[1] == [("status", "card_present"), ("placed", "resident")]
        reader.set_read_allowed(False)
        assert step() == ([(FIND, 0x80), (SELECT, 0x90)], [], "card_present")
        reader.set_read_allowed(True)                                # the next person's consent
        assert step() == ([(FIND, 0x80), (SELECT, 0x90), (READ, 0x90)],
                          [("placed", "resident")], "card_present")
        assert step() == ([(FIND, 0x80), (SELECT, 0x90)], [], "card_present")   # once
        reader.set_read_allowed(False)
        sim.place(load("hk_macao_taiwan"))                           # swapped, no consent
        assert step() == ([(FIND, 0x9F)], [("status", "ready"), ("removed",), ("detected",)],
                          "ready")
        assert step() == ([(FIND, 0x9F)], [], "ready")
        reader.set_read_allowed(True)
        assert step() == ([(FIND, 0x9F), (SELECT, 0x90), (READ, 0x90)],
                          [("status", "card_present"), ("placed", "hk_macao_taiwan")],
                          "card_present")


def test_step_refuses_while_the_thread_polls(sim: CardSimulator) -> None:
    with make_reader(sim) as reader:
        reader.start()
        with pytest.raises(ReaderBusy):
            reader.step()
