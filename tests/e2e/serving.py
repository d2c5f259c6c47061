"""Running `translator serve` for end-to-end tests: a free loopback port, readiness, shutdown."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.ports import free_port

__all__ = ["REQUEST_TIMEOUT_S", "serve", "translator_command"]

START_TIMEOUT_S = 300
REQUEST_TIMEOUT_S = 600


def translator_command() -> str:
    """The installed `translator` console script of this environment."""
    command = shutil.which("translator", path=str(Path(sys.executable).parent))
    assert command, "the translator console script is not installed"
    return command


@contextmanager
def serve(directory: Path, model_path: Path, **env: str) -> Iterator[httpx.Client]:
    """A served API on a fresh SQLite file in `directory`, ready, stopped with Ctrl-C.

    `env` adds settings (`TRANSLATOR_…` variables) for the server process.
    """
    port = free_port()
    environment = {
        **os.environ,
        "TRANSLATOR_DATABASE_URL": f"sqlite:///{directory / 'api.db'}",
        "TRANSLATOR_MODEL_PATH": str(model_path),
        **env,
    }
    log_path = directory / "server.log"
    log = log_path.open("w+")
    process = subprocess.Popen(
        [translator_command(), "serve", "--port", str(port)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=REQUEST_TIMEOUT_S)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                if client.get("/ready").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.5)
        yield client
    finally:
        client.close()
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    assert process.returncode == 0, log_path.read_text()
