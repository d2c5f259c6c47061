"""The database failing mid-request, for real: a PostgreSQL cluster stopped (its clients cut off)
and a SQLite file whose disk fills up, while a translation waits for the engine.

That request and every write while the database is gone answer 503 with `Retry-After`; nothing
is written half-way; once the database is back the app recovers by itself (no restart) and
stores each translation once.
"""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.api.engines import EchoEngine
from tests.integration.faults import REVIEW, migrate_template, sqlite_rows
from tests.postgres import PostgresServer, start_postgres
from translator.api import create_app
from translator.settings import Settings
from translator.store.database import dispose_engine, make_engine
from translator.store.migrate import upgrade

LONG_TEXT = ("这件衣服太炸了，穿上显瘦，买它买它！" * 120)[:2000]
"""Stored with its translation, it needs new pages: a full disk cannot take it."""
GLOSSARY = {
    "source": "zh",
    "target": "en",
    "entries": [{"source": "太炸了", "target": "awesome"}],
}
Rows = Callable[[str], Awaitable[int]]


def _translate(text: str) -> dict[str, Any]:
    return {"text": text, "target": "en", "mode": "direct"}


@asynccontextmanager
async def _client(settings: Settings, engine: EchoEngine) -> AsyncIterator[httpx.AsyncClient]:
    """The app on the test's own loop, so that the engine's gate can hold a request."""
    app = create_app(settings, engine)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as client,
    ):
        yield client


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    assert response.json()["type"] == "urn:translator:problem:database-unavailable"


async def _outage(
    client: httpx.AsyncClient,
    engine: EchoEngine,
    rows: Rows,
    fail: Callable[[], None],
    recover: Callable[[], None],
) -> None:
    """A translation held at the engine while the database fails, a write during the outage,
    then the same requests once it is back: each stored once (the glossary's name is free, so
    its failed creation left nothing)."""
    assert (await client.post("/v1/translate", json=_translate(REVIEW))).status_code == 200
    engine.gate = asyncio.Event()
    held = asyncio.create_task(client.post("/v1/translate", json=_translate(LONG_TEXT)))
    while engine.calls < 2:  # looked up in the cache, now waiting for the engine
        await asyncio.sleep(0.01)
    await asyncio.to_thread(fail)
    engine.gate.set()
    _assert_unavailable(await held)
    _assert_unavailable(await client.post("/v1/glossaries", json={"name": "g1", **GLOSSARY}))

    await asyncio.to_thread(recover)
    calls = engine.calls
    first = await client.post("/v1/translate", json=_translate(LONG_TEXT))
    assert first.status_code == 200, first.text
    # Translated anew (its hinted answer, far shorter than the text, is redone without hints).
    assert first.json()["translations"][0]["cached"] is False and engine.calls > calls
    again = await client.post("/v1/translate", json=_translate(LONG_TEXT))
    assert again.json()["translations"][0]["cached"] is True
    created = await client.post("/v1/glossaries", json={"name": "g1", **GLOSSARY})
    assert created.status_code == 201, created.text
    assert (await client.get("/ready")).status_code == 200
    assert (await rows("translations"), await rows("glossaries")) == (2, 1)


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    """A cluster of this module's own: stopping the session's would fail other tests."""
    with start_postgres() as server:
        yield server


async def test_postgresql_stopped_mid_request(postgres: PostgresServer, tmp_path: Path) -> None:
    url = postgres.create_database("outage")
    await asyncio.to_thread(upgrade, url)

    async def rows(table: str) -> int:
        counting = make_engine(url)
        try:
            async with counting.connect() as connection:
                counted = await connection.execute(text(f"SELECT count(*) FROM {table}"))
                return int(counted.scalar_one())
        finally:
            await dispose_engine(counting)

    engine = EchoEngine(follows_glossary=True)
    settings = Settings(database_url=url, cache_dir=tmp_path)
    async with _client(settings, engine) as client:
        await _outage(client, engine, rows, postgres.stop, postgres.start)


@contextmanager
def _small_disk(directory: Path, size: int) -> Iterator[Path]:
    """A tmpfs of `size` bytes at `directory` (needs root: CAP_SYS_ADMIN)."""
    directory.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.fail(f"a disk-full test mounts a small tmpfs, as root: {mounted.stderr}")
    try:
        yield directory
    finally:
        subprocess.run(["umount", str(directory)], check=True)


def _fill(path: Path) -> None:
    """Write `path` until its file system has no byte left."""
    with path.open("wb", buffering=0) as filler:
        for chunk in (1 << 20, 4096, 512):
            try:
                while True:
                    filler.write(b"\0" * chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise


async def test_sqlite_disk_full_mid_request(tmp_path: Path) -> None:
    template = await asyncio.to_thread(migrate_template, tmp_path)
    size = os.path.getsize(template) + (2 << 20)
    with _small_disk(tmp_path / "disk", size) as disk:
        database = disk / "translator.db"
        shutil.copyfile(template, database)
        url = f"sqlite+aiosqlite:///{database}"
        filler = disk / "filler"

        async def rows(table: str) -> int:
            return sqlite_rows(url, table)

        engine = EchoEngine(follows_glossary=True)
        jobs = f"sqlite:///{tmp_path / 'jobs.db'}"  # the job queue's state off the small disk
        settings = Settings(database_url=url, jobs_database_url=jobs, cache_dir=tmp_path)
        async with _client(settings, engine) as client:
            await _outage(client, engine, rows, lambda: _fill(filler), filler.unlink)
