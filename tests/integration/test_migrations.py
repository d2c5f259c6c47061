"""Alembic migrations on a real SQLite file and a real PostgreSQL: up, down, up, and no drift."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from translator.store import migrate
from translator.store.migrate import inspect_database
from translator.store.models import Base

pytestmark = pytest.mark.integration


def columns_by_table(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


def drift(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    head = migrate.head()
    assert head is not None
    assert migrate.current(database_url) == ()
    migrate.upgrade(database_url)
    assert migrate.current(database_url) == (head,)
    assert set(inspect_database(database_url, columns_by_table)) == set(Base.metadata.tables)
    migrate.downgrade(database_url, "base")
    assert migrate.current(database_url) == ()
    assert inspect_database(database_url, columns_by_table) == {}
    assert inspect_database(database_url, drift)  # the drift check sees missing tables
    migrate.upgrade(database_url, "head")
    assert migrate.current(database_url) == (head,)


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    migrate.upgrade(database_url)
    expected = {
        name: {column.name for column in table.columns}
        for name, table in Base.metadata.tables.items()
    }
    assert inspect_database(database_url, columns_by_table) == expected
    assert inspect_database(database_url, drift) == []


def test_migrations_ship_with_the_package() -> None:
    directory = migrate.migrations_dir()
    assert (directory / "env.py").is_file()
    assert (directory / "script.py.mako").is_file()
    assert list((directory / "versions").glob("0001_*.py"))
