"""Alembic from code: upgrade, downgrade and inspect a database by URL, without an alembic.ini.

The Alembic configuration is built here so that migrations run the same from a checkout
(`migrations/` at the repository root) and from an installed wheel (which carries them as
`translator/_migrations`). The URL travels in `Config.attributes`, not in the ini options,
where `%` in a password would be read as interpolation.

These functions run their own event loop: call them from synchronous code, or from async code
through `asyncio.to_thread`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from translator.store.database import dispose_engine, make_engine

__all__ = [
    "alembic_config",
    "current",
    "downgrade",
    "head",
    "inspect_database",
    "migrations_dir",
    "upgrade",
]

T = TypeVar("T")

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def migrations_dir() -> Path:
    """The Alembic script directory: inside the installed package, else the checkout's."""
    packaged = _PACKAGE_DIR / "_migrations"
    if (packaged / "env.py").is_file():
        return packaged
    return _PACKAGE_DIR.parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """A Config for `url` (None: the URL from Settings, read by migrations/env.py)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if url is not None:
        config.attributes["url"] = url
    return config


def upgrade(url: str | None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def head() -> str | None:
    """The newest revision in the migrations folder."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def inspect_database(url: str, read: Callable[[Connection], T]) -> T:
    """Run a synchronous inspection `read` on one connection to `url`, then dispose of it."""

    async def run() -> T:
        engine = make_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(read)
        finally:
            await dispose_engine(engine)

    return asyncio.run(run())


def current(url: str) -> tuple[str, ...]:
    """The revisions the database is at; empty when it was never migrated."""
    return inspect_database(
        url, lambda connection: MigrationContext.configure(connection).get_current_heads()
    )
