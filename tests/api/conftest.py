"""Route tests: a fresh migrated SQLite database per test, apps on a test engine.

`client_for` is Litestar's test client, which runs the app on its own thread and loop.
`concurrent_client_for` runs the app on the test's own loop (through httpx's ASGI transport),
so that requests can really overlap and test engines can hold them with an `asyncio.Event`.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.engines import EchoEngine
from translator.api import create_app
from translator.engines.protocol import Engine
from translator.settings import Settings
from translator.store.database import dispose_engine, make_engine, make_session_factory
from translator.store.keys import create_key
from translator.store.migrate import upgrade

ClientFactory = Callable[..., AbstractAsyncContextManager[AsyncTestClient[Litestar]]]
ConcurrentClientFactory = Callable[[Engine], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated to head; each test gets a copy (a migration run costs seconds)."""
    path = tmp_path_factory.mktemp("template") / "translator.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def settings(tmp_path: Path, migrated_database: Path) -> Settings:
    database = tmp_path / "translator.db"
    shutil.copyfile(migrated_database, database)
    return Settings(database_url=f"sqlite+aiosqlite:///{database}", cache_dir=tmp_path)


@pytest.fixture
def client_for(settings: Settings) -> ClientFactory:
    """`async with client_for(engine, **setting_overrides) as client:` runs the app's lifespan."""

    @asynccontextmanager
    async def factory(
        engine: Engine | None = None, **overrides: Any
    ) -> AsyncIterator[AsyncTestClient[Litestar]]:
        app = create_app(settings.model_copy(update=overrides), engine or EchoEngine())
        async with AsyncTestClient(app) as client:
            yield client

    return factory


@pytest.fixture
def concurrent_client_for(settings: Settings) -> ConcurrentClientFactory:
    @asynccontextmanager
    async def factory(engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(settings, engine)
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with (
            app.lifespan(),
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        ):
            yield client

    return factory


async def new_key(settings: Settings, name: str, per_minute: int | None = None) -> str:
    """A new API key named `name` in the test's database; returns its plaintext."""
    database = make_engine(settings.database_url)
    async with make_session_factory(database)() as session, session.begin():
        _, plaintext = await create_key(session, name, per_minute)
    await dispose_engine(database)
    return plaintext


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
