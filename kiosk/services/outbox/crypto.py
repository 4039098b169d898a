"""Encryption at rest of the personal data waiting in the outbox (PIPL Art. 51: encryption).

Algorithm: AES-256-GCM (NIST SP 800-38D) from ``cryptography``'s ``AESGCM``, with a fresh
96-bit random nonce per encryption and the item's idempotency key as associated data, so a
ciphertext copied onto another row fails authentication instead of decrypting.

Sealed layout (bytes)::

    offset 0   1 byte   format version, 0x01
    offset 1  12 bytes  nonce
    offset 13  n bytes  ciphertext of the UTF-8 JSON payload, followed by the 16-byte GCM tag

The 32-byte key lives in its own file outside the database (default ``<data_dir>/outbox.key``),
created with mode 0600 by :func:`load_or_create_key`; a copy of the database alone reveals
nothing. The database records the key's fingerprint (:func:`key_fingerprint`) so a replaced
key is noticed at start instead of at the first decryption. A key is only ever created while
no undelivered item is sealed (the outbox checks that first; a lost key with sealed items is a
start-up fault, :class:`~kiosk.services.outbox.errors.KeyLost`).

``cryptography`` is imported on the first :meth:`PayloadCipher.seal` or
:meth:`PayloadCipher.open`, not when the outbox opens: its Rust extension and OpenSSL add
~6.2 MiB of resident memory (VmRSS, measured 2026-12-03 on 2 x AMD EPYC, Python 3.11.7), and a
terminal with an empty outbox, the usual idle state, never needs them (issue 23, idle RSS).
The import takes ~15 ms (2 x Intel Xeon 2.8 GHz), once, on whichever thread first seals or
opens an item.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.services.outbox.errors import KeyFileError, KeyMissing

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
FORMAT_V1 = b"\x01"
OVERHEAD_BYTES = 1 + NONCE_BYTES + 16


def load_or_create_key(path: Path) -> bytes:
    """Read the 32-byte terminal key, creating it (mode 0600, ``os.urandom``) if absent.

    The file is created with ``O_CREAT | O_EXCL`` so two processes starting together cannot
    both write a key; the loser reads the winner's.

    Raises:
        KeyFileError: the file is group/other accessible, is not 32 bytes, or cannot be read.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise KeyFileError(path, f"cannot create: {os.strerror(exc.errno or errno.EIO)}") from exc
    else:
        try:
            os.write(fd, os.urandom(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
    return read_key(path)


def read_key(path: Path) -> bytes:
    """Read the 32-byte terminal key without ever creating one.

    Raises:
        KeyMissing: there is no file at ``path``.
        KeyFileError: the file is group/other accessible, is not 32 bytes, or cannot be read
            (a folder, no permission, I/O error).
    """
    path = Path(path)
    try:
        info = path.stat()
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise KeyMissing(path) from exc
    except OSError as exc:
        raise KeyFileError(path, f"cannot read: {os.strerror(exc.errno or errno.EIO)}") from exc
    mode = stat.S_IMODE(info.st_mode)
    if os.name == "posix" and mode & 0o077:
        raise KeyFileError(path, f"mode {mode:04o}, must be 0600 (chmod 600 {path})")
    if len(data) != KEY_BYTES:
        raise KeyFileError(path, f"{len(data)} bytes, must be {KEY_BYTES}")
    return data


def key_fingerprint(key: bytes) -> str:
    """First 16 hex digits of SHA-256 over a domain label and the key; safe to store."""
    return hashlib.sha256(b"kiosk-outbox-key-v1\x00" + key).hexdigest()[:16]


class PayloadCipher:
    """AES-256-GCM sealing of payload bytes bound to an idempotency key.

    Args:
        key: 32 bytes from :func:`load_or_create_key`.
    """

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"key must be {KEY_BYTES} bytes")
        self._key = bytes(key)
        self._aead: AESGCM | None = None
        self.fingerprint = key_fingerprint(key)

    def _cipher(self) -> AESGCM:
        """The ``AESGCM`` instance, made (and ``cryptography`` imported) on first use."""
        if self._aead is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            self._aead = AESGCM(self._key)
        return self._aead

    def seal(self, plaintext: bytes, associated: str) -> bytes:
        """Encrypt ``plaintext``; returns the sealed layout above (29 bytes longer)."""
        nonce = os.urandom(NONCE_BYTES)
        return FORMAT_V1 + nonce + self._cipher().encrypt(nonce, plaintext, associated.encode())

    def open(self, sealed: bytes, associated: str) -> bytes:
        """Decrypt a value made by :meth:`seal` with the same ``associated`` string.

        Raises:
            ValueError: unknown format version, too short, or the tag does not verify (wrong
                key, wrong row, or altered bytes). The outbox turns it into ``OutboxCorrupt``.
        """
        if len(sealed) < OVERHEAD_BYTES or sealed[:1] != FORMAT_V1:
            raise ValueError("not a v1 sealed payload")
        from cryptography.exceptions import InvalidTag

        nonce = sealed[1:1 + NONCE_BYTES]
        aead = self._cipher()
        try:
            return aead.decrypt(nonce, sealed[1 + NONCE_BYTES:], associated.encode())
        except InvalidTag as exc:
            raise ValueError("authentication tag does not verify") from exc


__all__ = ["PayloadCipher", "load_or_create_key", "read_key", "key_fingerprint", "KEY_BYTES"]
