"""What the fault tests share: a migrated SQLite per test, a ready app, counted rows."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from translator.store.migrate import upgrade

__all__ = [
    "REVIEW",
    "copy_migrated",
    "migrate_template",
    "sqlite_rows",
    "wait_until_ready",
    "wait_until_ready_sync",
]

REVIEW = "这件衣服太炸了，穿上显瘦"
READY_TIMEOUT_S = 30


def migrate_template(directory: Path) -> Path:
    """A SQLite database migrated to head, to copy for each test (a migration costs seconds)."""
    path = directory / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


def copy_migrated(template: Path, directory: Path) -> str:
    """A fresh copy of `template` in `directory`; returns its URL."""
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "translator.db"
    shutil.copyfile(template, database)
    return f"sqlite+aiosqlite:///{database}"


def sqlite_rows(url: str, table: str) -> int:
    """Rows of `table` in the SQLite database at `url`, counted by a process of its own.

    In this process, SQLite would keep the file open until the app's connections close (POSIX
    locks belong to a process, so it defers closing a second handle on the same file).
    """
    count = subprocess.run(
        [sys.executable, "-c", _COUNT, url.removeprefix("sqlite+aiosqlite:///"), table],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(count.stdout)


_COUNT = (
    "import sqlite3, sys; connection = sqlite3.connect(sys.argv[1]); "
    "print(connection.execute(f'SELECT count(*) FROM {sys.argv[2]}').fetchone()[0])"
)


async def wait_until_ready(client: AsyncTestClient[Litestar]) -> None:
    for _ in range(int(READY_TIMEOUT_S / 0.1)):
        if (await client.get("/ready")).status_code == 200:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the app did not become ready")


def wait_until_ready_sync(client: httpx.Client) -> None:
    for _ in range(int(READY_TIMEOUT_S / 0.1)):
        if client.get("/ready").status_code == 200:
            return
        time.sleep(0.1)
    raise AssertionError("the server did not become ready")
