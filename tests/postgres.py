"""A throwaway PostgreSQL cluster for the tests: real server, free loopback port, temp data dir.

`scripts/services` installs PostgreSQL (CI machines are fresh); a missing server fails the tests
that need it instead of skipping them. As root the server runs as the `postgres` user, because
PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.ports import free_port

__all__ = ["PostgresServer", "find_postgres_bin", "start_postgres"]

SERVICE_USER = "postgres"
DATABASE = "translator_test"
INITDB_OPTIONS = ("-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")


@dataclass(frozen=True)
class PostgresServer:
    bin_dir: Path
    port: int
    database: str
    control: Callable[..., None] = field(repr=False, default=lambda *_: None)
    """Runs `pg_ctl` on this cluster with the given arguments (fault tests stop and start it)."""

    def stop(self) -> None:
        """Stop the server now: clients are cut off mid-statement, committed work is kept (an
        immediate stop would lose it here, where commits are not synchronous)."""
        self.control("-m", "fast", "-w", "stop")

    def start(self) -> None:
        """Start the server again after `stop`, on the same port and data."""
        self.control("start")

    def url_for(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        """The asyncpg URL of the session's database."""
        return self.url_for(self.database)

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; returns its asyncpg URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self._client("createdb", name)
        return self.url_for(name)

    def _client(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), "-h", "127.0.0.1", "-p", str(self.port)]
        subprocess.run([*command, "-U", "postgres", *args], check=True, capture_output=True)


def find_postgres_bin() -> Path:
    """The newest Debian PostgreSQL bin directory, else `initdb` on PATH; fails when absent."""

    def major(path: Path) -> int:
        match = re.fullmatch(r"\d+", path.parent.parent.name)
        return int(match.group()) if match else 0

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=major)
    if debian:
        return debian[-1].parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    pytest.fail(
        "PostgreSQL is not installed (no initdb): run ./scripts/services, which installs "
        "Debian's postgresql package with apt-get",
        pytrace=False,
    )


@contextmanager
def start_postgres() -> Iterator[PostgresServer]:
    """initdb + pg_ctl start in a temp dir, a database created; stopped and removed after."""
    bin_dir = find_postgres_bin()
    as_service_user: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="translator-pg-"))
    if os.geteuid() == 0:
        as_service_user = ["runuser", "-u", SERVICE_USER, "--"]
        shutil.chown(base, SERVICE_USER, SERVICE_USER)
    data, log = base / "data", base / "server.log"
    port = free_port()

    def run(*command: str | Path) -> None:
        result = subprocess.run(
            [*as_service_user, *map(str, command)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            pytest.fail(
                f"{' '.join(map(str, command))} failed ({result.returncode}):\n"
                f"{result.stdout}{result.stderr}{server_log}",
                pytrace=False,
            )

    # Durability is of no use to a test cluster: no fsync makes it start and write faster.
    options = (
        f"-k {base} -h 127.0.0.1 -p {port} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off"
    )
    running = False

    def control(*args: str) -> None:
        nonlocal running
        if args[-1] == "start":
            args = ("-l", str(log), "-o", options, "-w", "-t", "60", "start")
        run(bin_dir / "pg_ctl", "-D", data, *args)
        running = args[-1] == "start"

    try:
        run(bin_dir / "initdb", "-D", data, *INITDB_OPTIONS)
        control("start")
        server = PostgresServer(bin_dir=bin_dir, port=port, database=DATABASE, control=control)
        server._client("createdb", DATABASE)
        yield server
    finally:
        if running:
            control("-m", "fast", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)
