"""Technician PIN: stored only as a salted scrypt hash, with a growing lock-out.

Hash format (one string, safe for TOML): ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`` using
``hashlib.scrypt`` (RFC 7914) with n=2**14, r=8, p=1, a 16-byte random salt and a 32-byte key.
After 5 wrong PINs in a row, entry is locked for 60 s, doubling with each further failure
(60, 120, 240 … capped at 1 hour); every failure is logged (without the PIN).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from collections.abc import Callable

logger = logging.getLogger(__name__)

N, R, P, KEY_LEN = 2 ** 14, 8, 1, 32
DEMO_PIN = "2468"
MAX_FAILURES = 5
BASE_LOCK_S = 60.0
MAX_LOCK_S = 3600.0


class PinFormatError(ValueError):
    """A PIN is not 4–8 digits, or a stored hash is not in the documented format."""


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """Return the storable hash of ``pin`` (4–8 digits).

    Raises:
        PinFormatError: the PIN is not 4–8 ASCII digits.
    """
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise PinFormatError("PIN must be 4 to 8 digits")
    salt = salt if salt is not None else secrets.token_bytes(16)
    key = hashlib.scrypt(pin.encode(), salt=salt, n=N, r=R, p=P, dklen=KEY_LEN)
    return f"scrypt${N}${R}${P}${salt.hex()}${key.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time check of ``pin`` against a :func:`hash_pin` string.

    Raises:
        PinFormatError: ``stored`` is not a hash in the documented format.
    """
    try:
        scheme, n, r, p, salt_hex, key_hex = stored.split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(key_hex)
        key = hashlib.scrypt(pin.encode(), salt=salt, n=int(n), r=int(r), p=int(p),
                             dklen=len(expected))
    except ValueError as exc:
        raise PinFormatError("maintenance.pin_hash is not a scrypt hash from `kiosk maintenance set-pin`") from exc
    return hmac.compare_digest(key, expected)


@dataclass
class PinAttempt:
    ok: bool
    locked_for_s: float = 0.0
    failures: int = 0


class PinGate:
    """Checks PINs and enforces the lock-out. Times are ``time.monotonic`` seconds."""

    def __init__(self, stored_hash: str, demo_mode: bool,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._hash = stored_hash or (hash_pin(DEMO_PIN, b"demo-salt-00000!") if demo_mode else "")
        self._clock = clock
        self.failures = 0
        self.locks = 0
        self.locked_until = 0.0

    @property
    def configured(self) -> bool:
        return bool(self._hash)

    def locked_for(self) -> float:
        return max(0.0, self.locked_until - self._clock())

    def try_pin(self, pin: str) -> PinAttempt:
        """Check ``pin``; wrong or locked attempts return ``ok=False`` with the wait in seconds."""
        wait = self.locked_for()
        if wait > 0:
            logger.warning("maintenance PIN attempt while locked (%.0f s left)", wait)
            return PinAttempt(False, wait, self.failures)
        if self._hash and verify_pin(pin, self._hash):
            self.failures = 0
            self.locks = 0
            logger.info("maintenance mode entered")
            return PinAttempt(True)
        self.failures += 1
        logger.warning("wrong maintenance PIN (%d in a row)", self.failures)
        if self.failures >= MAX_FAILURES:
            lock = min(BASE_LOCK_S * (2 ** self.locks), MAX_LOCK_S)
            self.locks += 1
            self.failures = 0
            self.locked_until = self._clock() + lock
            logger.warning("maintenance entry locked for %.0f s", lock)
            return PinAttempt(False, lock, MAX_FAILURES)
        return PinAttempt(False, 0.0, self.failures)
