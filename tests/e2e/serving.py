"""The installed `translator` command for end-to-end tests: one-off commands and a served API."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.ports import free_port

START_TIMEOUT_S = 300
REQUEST_TIMEOUT_S = 600
HAN = re.compile(r"[\u4e00-\u9fff]")
"""Chinese characters: what an English translation should no longer contain."""


def translator_command() -> str:
    """The installed `translator` console script of this environment."""
    command = shutil.which("translator", path=str(Path(sys.executable).parent))
    assert command, "the translator console script is not installed"
    return command


def _environment(database: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "TRANSLATOR_DATABASE_URL": f"sqlite+aiosqlite:///{database}", **extra}


def run_translator(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`translator ARGS` on the SQLite file `database`, output captured."""
    return subprocess.run(
        [translator_command(), *args],
        capture_output=True,
        text=True,
        timeout=REQUEST_TIMEOUT_S,
        check=False,
        env=_environment(database),
    )


def create_key(database: Path, name: str, *options: str) -> str:
    """`translator keys create NAME OPTIONS` on `database`: the new key's plaintext."""
    created = run_translator(database, "keys", "create", name, *options)
    assert created.returncode == 0, created.stderr
    return created.stdout.strip()


def spawn_translator(database: Path, *args: str) -> subprocess.Popen[bytes]:
    """`translator ARGS` on `database`, running in the background (output captured)."""
    return subprocess.Popen(
        [translator_command(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment(database),
    )


@dataclass(frozen=True)
class Served:
    """A running `translator serve`: its base URL, a client for it, and its database file."""

    url: str
    client: httpx.Client
    database: Path
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def serve(
    tmp_path: Path, model_path: Path, *, name: str = "server", **settings: str
) -> Iterator[Served]:
    """`translator serve` on the SQLite file `tmp_path/api.db` (migrated at start-up, kept
    between servers of one test), with extra `TRANSLATOR_*` settings; stopped with Ctrl-C,
    unless the test killed it."""
    database = tmp_path / "api.db"
    port = free_port()
    env = _environment(database, TRANSLATOR_MODEL_PATH=str(model_path), **settings)
    log_path = tmp_path / f"{name}.log"
    log = log_path.open("w+")
    process = subprocess.Popen(
        [translator_command(), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    client = httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S)
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
        yield Served(url, client, database, process, log_path)
    finally:
        client.close()
        killed = process.poll() == -signal.SIGKILL
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    assert killed or process.returncode == 0, log_path.read_text()


def run_browser_driver(node: str, folder: Path, config: dict[str, Any], timeout_s: float) -> Any:
    """Run a Playwright driver (`folder/e2e/driver.mjs`) with `config` on stdin; its JSON report.

    The drivers print one JSON report on stdout; a failing driver fails the test with its stderr.
    """
    run = subprocess.run(
        [node, "e2e/driver.mjs"],
        cwd=folder,
        input=json.dumps(config),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    return json.loads(run.stdout)
