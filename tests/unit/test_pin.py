"""Technician PIN: salted scrypt hash and the growing lock-out."""

from __future__ import annotations

import pytest

from kiosk.services.maintenance.pin import PinFormatError, PinGate, hash_pin, verify_pin


def test_hash_is_salted_and_verifies():
    a, b = hash_pin("135790"), hash_pin("135790")
    assert a != b and a.startswith("scrypt$16384$8$1$")
    assert "135790" not in a
    assert verify_pin("135790", a) and not verify_pin("135791", a)


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "１２３４"])
def test_bad_pins_are_refused(pin):
    with pytest.raises(PinFormatError):
        hash_pin(pin)


def test_bad_stored_hash_is_a_typed_error():
    with pytest.raises(PinFormatError):
        verify_pin("1234", "md5$abc")


def test_five_wrong_pins_lock_for_a_growing_period():
    now = {"t": 0.0}
    gate = PinGate(hash_pin("8642"), demo_mode=False, clock=lambda: now["t"])
    for _ in range(4):
        assert gate.try_pin("0000").ok is False and gate.try_pin is not None
    fifth = gate.try_pin("0000")
    assert fifth.locked_for_s == 60
    assert gate.try_pin("8642").ok is False  # right PIN, but locked
    now["t"] += 61
    for _ in range(4):
        gate.try_pin("0000")
    assert gate.try_pin("0000").locked_for_s == 120
    now["t"] += 121
    assert gate.try_pin("8642").ok is True
    assert gate.locks == 0


def test_demo_mode_has_a_default_pin_and_production_has_none():
    assert PinGate("", demo_mode=True).try_pin("2468").ok
    gate = PinGate("", demo_mode=False)
    assert not gate.configured and not gate.try_pin("2468").ok


def test_lockout_survives_a_restart(tmp_path):
    """GIVEN five wrong PINs WHEN the app restarts (a new gate on the same file) THEN it is
    still locked; the file is 0600."""
    import os
    import stat

    state = tmp_path / "pin-lockout.json"
    now = {"t": 1_796_112_660.0}
    gate = PinGate(hash_pin("8642"), demo_mode=False, clock=lambda: now["t"], state_file=state)
    for _ in range(5):
        gate.try_pin("0000")
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o600
    again = PinGate(hash_pin("8642"), demo_mode=False, clock=lambda: now["t"] + 10,
                    state_file=state)
    assert again.locked_for() == 50.0
    assert again.try_pin("8642").ok is False
    now["t"] += 61
    for _ in range(4):
        again.try_pin("0000")
    third = PinGate(hash_pin("8642"), demo_mode=False, clock=lambda: now["t"] + 10,
                    state_file=state)
    assert third.failures == 4 and third.try_pin("0000").locked_for_s == 120  # doubled


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b'{"failures": 0}',
                                     b'{"failures": -1, "locks": 0, "locked_until": 0}',
                                     b'{"failures": 0, "locks": 0, "locked_until": NaN}'])
def test_corrupt_lockout_file_means_locked_not_unlocked(tmp_path, content):
    state = tmp_path / "pin-lockout.json"
    state.write_bytes(content)
    gate = PinGate(hash_pin("8642"), demo_mode=False, clock=lambda: 1000.0, state_file=state)
    assert gate.locked_for() == 3600.0
    assert gate.try_pin("8642").ok is False


def test_clock_set_back_never_lengthens_the_lock(tmp_path):
    state = tmp_path / "pin-lockout.json"
    state.write_text('{"failures": 0, "locks": 1, "locked_until": 99999999999}', "utf-8")
    now = {"t": 1000.0}
    gate = PinGate(hash_pin("8642"), demo_mode=False, clock=lambda: now["t"], state_file=state)
    assert gate.locked_for() == 3600.0
    now["t"] += 3601
    assert gate.try_pin("8642").ok is True
