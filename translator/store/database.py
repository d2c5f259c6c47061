"""Async engines and sessions from a URL, with SQLite set up for a concurrent web service.

SQLite connections get WAL (readers never block the writer), enforced foreign keys (off by
default in SQLite; the trace cascade needs them), a busy timeout (a second writer waits instead
of failing at once) and transactions begun by SQLAlchemy rather than the sqlite3 driver, which
would run SAVEPOINTs outside the transaction (`save_translation` could then not roll back just
its own insert).

SQLite transactions begin IMMEDIATE, taking the write lock up front. A deferred transaction that
reads and then writes (look up a translation, count the hit) fails at once with "database is
locked" when another connection committed in between: the busy timeout cannot help, because
its snapshot is stale. Immediate transactions wait their turn instead; they serialise SQLite
transactions, which is fine for short ones in a service whose time goes to the model.
Lookups that only read (`read_only`) begin no transaction at all: each of their statements
reads its own snapshot, without waiting for the writer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "READ_ONLY",
    "DatabaseUrlError",
    "async_url",
    "configure_sqlite",
    "dispose_engine",
    "make_engine",
    "make_session_factory",
    "read_only",
    "sqlite_file",
]

READ_ONLY = "translator_read_only"
"""Execution option of a connection that only reads (set by `read_only`)."""

BUSY_TIMEOUT_MS = 5000
"""How long a SQLite writer waits for another writer's transaction before giving up."""

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
"""The backends the store is written and tested for (the usage upsert is per dialect)."""


class DatabaseUrlError(ValueError):
    """A URL for a backend the store does not support, or whose driver is not installed."""


def async_url(url: str | URL) -> URL:
    """The URL with its async driver: plain `sqlite://` and `postgresql://` URLs are accepted."""
    parsed = make_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    return parsed.set(drivername=driver) if driver else parsed


def _sqlite_file(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def make_engine(url: str | URL, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> AsyncEngine:
    """An async engine for `url`; for a SQLite file, its directory is created if missing.

    Raises `DatabaseUrlError` for an unsupported backend or a driver that is not installed,
    SQLAlchemy's `ArgumentError` for a malformed URL and `NoSuchModuleError` or
    `InvalidRequestError` for an unknown or non-async driver.
    """
    parsed = async_url(url)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseUrlError(
            f"unsupported database {backend!r}: use sqlite+aiosqlite:/// or postgresql+asyncpg://"
        )
    try:
        if backend == "postgresql":
            return create_async_engine(parsed, pool_pre_ping=True)
        path = _sqlite_file(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(parsed)
    except ImportError as error:
        raise DatabaseUrlError(f"driver {parsed.drivername!r} is not installed") from error
    configure_sqlite(engine.sync_engine, busy_timeout_ms)
    return engine


def sqlite_file(engine: AsyncEngine) -> Path | None:
    """The file of a SQLite engine; None for PostgreSQL and in-memory SQLite."""
    url = engine.url
    return _sqlite_file(url) if url.get_backend_name() == "sqlite" else None


def configure_sqlite(engine: Engine, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """WAL, foreign keys, a busy timeout and IMMEDIATE transactions (see the module's text)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver must not issue BEGIN itself (see _on_begin); PRAGMAs then run outside any
        # transaction, which journal_mode requires.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against crashes in WAL mode; only a power cut can lose the last
        # commits, which for a cache and usage counters is acceptable for far fewer fsyncs.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if not connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (no lazy reloads in async code)."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def read_only(session: AsyncSession) -> None:
    """Make the session, before its first statement, one that only reads: on SQLite it then
    takes no write lock and sends no BEGIN (a statement per snapshot), which is all a cache
    lookup needs."""
    await session.connection(execution_options={READ_ONLY: True})


async def dispose_engine(engine: AsyncEngine) -> None:
    """Close every pooled connection (on shutdown, and before removing a SQLite file)."""
    await engine.dispose()
