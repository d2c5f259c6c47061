"""Store fixtures: a database migrated from empty on each backend, and sessions on it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from translator.store.database import dispose_engine, make_engine, make_session_factory
from translator.store.migrate import upgrade

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    await asyncio.to_thread(upgrade, database_url)
    engine = make_engine(database_url)
    yield engine
    await dispose_engine(engine)


@pytest.fixture
def sessions(engine: AsyncEngine) -> Sessions:
    return make_session_factory(engine)
