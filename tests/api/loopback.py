"""The app served by uvicorn on a loopback port, in a thread of the test process.

For what the test client cannot send: malformed HTTP framing and headers, raw request targets.
uvicorn runs as `translator serve` runs it (its default protocol implementation).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from litestar import Litestar

from tests.ports import free_port

__all__ = ["exchange", "serve_in_thread"]

START_TIMEOUT_S = 30


@contextmanager
def serve_in_thread(app: Litestar, **config: Any) -> Iterator[tuple[str, int]]:
    """Serve `app` (its lifespan included) until the block ends; yields (host, port).

    `config` goes to `uvicorn.Config` (`log_config=None` leaves logging as the test set it).
    """
    port = free_port()
    options = {"host": "127.0.0.1", "port": port, "log_level": "error", **config}
    server = uvicorn.Server(uvicorn.Config(app, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def exchange(
    address: tuple[str, int], request: bytes, *, close_write: bool = False, timeout: float = 5
) -> int | None:
    """Send raw bytes and read the answer: its status, or None if the server sent none (it
    closed the connection, or waits for bytes that will not come)."""
    with socket.create_connection(address, timeout=timeout) as sock:
        try:
            sock.sendall(request)
            if close_write:
                sock.shutdown(socket.SHUT_WR)
            answer = b""
            while b"\r\n" not in answer:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except (TimeoutError, ConnectionError):
            return None
    status_line = answer.split(b"\r\n", 1)[0].split()
    return int(status_line[1]) if len(status_line) >= 2 and status_line[1].isdigit() else None
