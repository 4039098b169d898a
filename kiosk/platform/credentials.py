"""The terminal's device secret (HMAC-SHA256 key of :mod:`kiosk.platform.signing`).

File format: one line of 64 lowercase hex characters (32 random bytes), mode 0600, at
``[platform].secret_file`` or ``<data_dir>/device.secret``. The platform operator provisions the
same secret for the terminal id; the embedded sandbox provisions itself from this file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kiosk.paths import data_dir
from kiosk.platform.errors import PlatformError
from kiosk.settings import Settings

SECRET_BYTES = 32


class DeviceSecretError(PlatformError):
    """The device secret file is unreadable or not 64 hex characters. ``path`` names the file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"device secret {path}: {reason}")
        self.path = path
        self.reason = reason


def secret_path(settings: Settings) -> Path:
    configured = settings.platform.secret_file
    return settings.resolve(configured) if configured else data_dir(settings) / "device.secret"


def load_device_secret(path: Path, *, create: bool = False) -> bytes:
    """The secret bytes; with ``create`` a missing file is made (0600, random 32 bytes).

    Raises:
        DeviceSecretError: the file is missing (and ``create`` is False) or malformed.
    """
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(SECRET_BYTES) + "\n")
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise DeviceSecretError(path, f"cannot be read ({exc.__class__.__name__})") from exc
    try:
        secret = bytes.fromhex(text)
    except ValueError as exc:
        raise DeviceSecretError(path, "must be 64 hex characters") from exc
    if len(secret) != SECRET_BYTES:
        raise DeviceSecretError(path, "must be 64 hex characters")
    return secret
