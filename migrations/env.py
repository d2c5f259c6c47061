"""Alembic environment: async engines from translator.store, the models as target metadata.

The URL comes from, in order: `Config.attributes["url"]` (translator.store.migrate),
`-x url=...` on the alembic command line, the `sqlalchemy.url` option, and finally the
service's Settings (TRANSLATOR_DATABASE_URL, default: SQLite in the cache directory).
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from translator.settings import load_settings
from translator.store.database import async_url, dispose_engine, make_engine
from translator.store.models import Base

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    url = url or config.get_main_option("sqlalchemy.url")
    return str(url or load_settings().database_url)


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (`alembic upgrade head --sql`)."""
    context.configure(
        url=async_url(database_url()),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = make_engine(database_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
    finally:
        await dispose_engine(engine)


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
