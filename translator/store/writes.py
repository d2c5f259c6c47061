"""Where write transactions run that must not hold SQLite's write lock across event-loop turns.

A SQLite file has one writer at a time, and its transactions begin IMMEDIATE (see
`translator.store.database`). Through aiosqlite each statement is a round trip to the
connection's thread and back through the event loop, so under load a transaction of four
statements holds the lock for seconds while every other writer waits, until one waits past the
busy timeout ("database is locked", a 503). On a SQLite file a transaction's blocking body
therefore runs in one call on a writer thread of its own, on a plain `sqlite3` connection: the
lock is held for the statements only, and this object's transactions queue for the thread
rather than in SQLite's busy handler. PostgreSQL and in-memory SQLite run the same body on an
async session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, sessionmaker

from translator.store.database import configure_sqlite, sqlite_file

__all__ = ["Writes", "writes"]

T = TypeVar("T")


class Writes(Protocol):
    async def run(self, work: Callable[[Session], T]) -> T:
        """`work` in one committed transaction (rolled back if it raises); its result."""
        ...

    def close(self) -> None:
        """Release connections of its own."""
        ...


class _SessionWrites:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def run(self, work: Callable[[Session], T]) -> T:
        async with self._sessions() as session, session.begin():
            return await session.run_sync(work)

    def close(self) -> None:
        pass


class _SqliteThreadWrites:
    def __init__(self, path: Path) -> None:
        engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
        configure_sqlite(engine)
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writes")

    async def run(self, work: Callable[[Session], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, self._run, work)

    def _run(self, work: Callable[[Session], T]) -> T:
        with self._sessions() as session, session.begin():
            return work(session)

    def close(self) -> None:
        self._thread.shutdown()
        self._engine.dispose()


def writes(sessions: async_sessionmaker[AsyncSession]) -> Writes:
    """Threaded writes for a SQLite file, session writes otherwise."""
    bind = sessions.kw.get("bind")
    path = sqlite_file(bind) if isinstance(bind, AsyncEngine) else None
    return _SqliteThreadWrites(path) if path is not None else _SessionWrites(sessions)
