"""The sandbox's listening socket, made before the server that serves on it (standard library
only: :mod:`kiosk.platform.sandbox.background` binds it before FastAPI is imported)."""

from __future__ import annotations

import socket


def bound_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` (0: a free one) for the sandbox to serve on.

    Raises:
        OSError: the address is taken or cannot be bound (``socket.gaierror`` for a bad host).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this on Linux; without it the response's start and body,
        # written separately, meet the client's delayed ACK and every answer takes ~40 ms (Nagle).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock
