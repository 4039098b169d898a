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
