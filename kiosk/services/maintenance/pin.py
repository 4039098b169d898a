"""Technician PIN: stored only as a salted scrypt hash, with a growing lock-out.

Hash format (one string, safe for TOML): ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`` using
``hashlib.scrypt`` (RFC 7914) with n=2**14, r=8, p=1, a 16-byte random salt and a 32-byte key.
After 5 wrong PINs in a row, entry is locked for 60 s, doubling with each further failure
(60, 120, 240 … capped at 1 hour); every failure is logged (without the PIN).

The lock-out survives restarts: with ``state_file`` (``<data_dir>/pin-lockout.json``, 0600,
written atomically after every attempt) the failures, lock count and the lock's end (epoch
seconds, wall clock) are kept; an unreadable or corrupt file means locked (for
:data:`MAX_LOCK_S`), never unlocked, and a lock never lasts longer than that even when the wall
clock was set back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from dataclasses import dataclass
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)

N, R, P, KEY_LEN = 2 ** 14, 8, 1, 32
DEMO_PIN = "2468"
MAX_FAILURES = 5
BASE_LOCK_S = 60.0
MAX_LOCK_S = 3600.0
#: The lock-out state file in the data folder.
LOCKOUT_FILE = "pin-lockout.json"


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
    """Checks PINs and enforces the lock-out.

    Args:
        stored_hash: ``maintenance.pin_hash`` ("" = none; demo mode then uses :data:`DEMO_PIN`).
        demo_mode: see ``kiosk.services.maintenance.doctor.demo_mode``.
        clock: epoch seconds (``time.time``: the lock must survive a restart).
        state_file: where the lock-out is kept across restarts (None = memory only).
    """

    def __init__(self, stored_hash: str, demo_mode: bool,
                 clock: Callable[[], float] = time.time, state_file: Path | None = None) -> None:
        self._hash = stored_hash or (hash_pin(DEMO_PIN, b"demo-salt-00000!") if demo_mode else "")
        self._clock = clock
        self._state_file = state_file
        self.failures = 0
        self.locks = 0
        self.locked_until = 0.0
        if state_file is not None:
            self._load(state_file)

    @property
    def configured(self) -> bool:
        return bool(self._hash)

    def locked_for(self) -> float:
        """Seconds left of the lock (0 = not locked), never more than :data:`MAX_LOCK_S`."""
        return min(MAX_LOCK_S, max(0.0, self.locked_until - self._clock()))

    def try_pin(self, pin: str) -> PinAttempt:
        """Check ``pin``; wrong or locked attempts return ``ok=False`` with the wait in seconds."""
        wait = self.locked_for()
        if wait > 0:
            logger.warning("maintenance PIN attempt while locked (%.0f s left)", wait)
            return PinAttempt(False, wait, self.failures)
        if self._hash and verify_pin(pin, self._hash):
            self.failures = 0
            self.locks = 0
            self.locked_until = 0.0
            self._save()
            logger.info("maintenance mode entered")
            return PinAttempt(True)
        self.failures += 1
        logger.warning("wrong maintenance PIN (%d in a row)", self.failures)
        if self.failures >= MAX_FAILURES:
            lock = min(BASE_LOCK_S * (2 ** self.locks), MAX_LOCK_S)
            self.locks += 1
            self.failures = 0
            self.locked_until = self._clock() + lock
            self._save()
            logger.warning("maintenance entry locked for %.0f s", lock)
            return PinAttempt(False, lock, MAX_FAILURES)
        self._save()
        return PinAttempt(False, 0.0, self.failures)

    # -- persistence ------------------------------------------------------------------------
    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            failures, locks, until = data["failures"], data["locks"], data["locked_until"]
            if not (isinstance(failures, int) and isinstance(locks, int)
                    and isinstance(until, (int, float)) and 0 <= failures < MAX_FAILURES
                    and 0 <= locks <= 64 and until == until):  # until == until: not NaN
                raise ValueError("out of range")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            # Locked-safe: a damaged file must never be a way around the lock-out.
            logger.error("PIN lock-out file unreadable (%s): entry locked for %.0f s",
                         type(exc).__name__, MAX_LOCK_S)
            self.failures, self.locks = 0, 6
            self.locked_until = self._clock() + MAX_LOCK_S
            self._save()
            return
        # A wall clock set back must not stretch the lock beyond its longest length.
        self.failures, self.locks = failures, locks
        self.locked_until = min(float(until), self._clock() + MAX_LOCK_S)

    def _save(self) -> None:
        path = self._state_file
        if path is None:
            return
        text = json.dumps({"failures": self.failures, "locks": self.locks,
                           "locked_until": self.locked_until})
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, text.encode("ascii"))
                os.fsync(fd)
            finally:
                os.close(fd)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except OSError as exc:  # the lock still holds in memory; the technician sees the log
            logger.error("PIN lock-out not saved to %s: %s", path.name, exc.strerror)
