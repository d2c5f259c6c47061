"""Where cache lookups that miss the in-memory rows run.

On a SQLite file they run on a small pool of plain `sqlite3` connections in a worker thread,
the whole lookup in one `asyncio.to_thread` call. Through aiosqlite every step is its own
round trip to the connection's thread (open a cursor, execute, fetch, close, reset the
connection), which cost about three times the query. WAL lets these readers run beside the
writer, and each statement sees every committed row. PostgreSQL and in-memory SQLite look up
through an async session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from translator.store.database import READ_ONLY, configure_sqlite, read_only, sqlite_file
from translator.store.repository import StoredHit, find_cached, find_cached_blocking

__all__ = ["CacheReads", "cache_reads"]


class CacheReads(Protocol):
    async def find(self, keys: Sequence[str], *, with_trace: bool) -> dict[str, StoredHit]:
        """The cached translations under `keys`, by key (`find_cached`)."""
        ...

    def close(self) -> None:
        """Release connections of its own."""
        ...


class _SessionReads:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def find(self, keys: Sequence[str], *, with_trace: bool) -> dict[str, StoredHit]:
        async with self._sessions() as session:
            await read_only(session)
            return await find_cached(session, keys, with_trace=with_trace)

    def close(self) -> None:
        pass


class _SqliteThreadReads:
    def __init__(self, path: Path) -> None:
        engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
        configure_sqlite(engine)
        self._engine = engine.execution_options(**{READ_ONLY: True})

    async def find(self, keys: Sequence[str], *, with_trace: bool) -> dict[str, StoredHit]:
        return await asyncio.to_thread(self._find, keys, with_trace)

    def _find(self, keys: Sequence[str], with_trace: bool) -> dict[str, StoredHit]:
        with self._engine.connect() as connection:
            return find_cached_blocking(connection, keys, with_trace=with_trace)

    def close(self) -> None:
        self._engine.dispose()


def cache_reads(sessions: async_sessionmaker[AsyncSession]) -> CacheReads:
    """Threaded reads for a SQLite file, session reads otherwise."""
    bind = sessions.kw.get("bind")
    path = sqlite_file(bind) if isinstance(bind, AsyncEngine) else None
    return _SqliteThreadReads(path) if path is not None else _SessionReads(sessions)
