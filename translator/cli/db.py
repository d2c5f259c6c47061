"""`translator db`: migrate the translation cache database; shared helpers for `keys`.

SQLAlchemy and Alembic are imported inside the commands: they would double the start-up time
of every other command (`translate` included).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from translator.cli.options import EXIT_BAD_INPUT, fail
from translator.settings import load_settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "UrlOption",
    "database_errors",
    "db_app",
    "resolve_url",
    "run_in_session",
    "upgrade_if_local",
]

T = TypeVar("T")

db_app = typer.Typer(no_args_is_help=True, help="The translation cache database (migrations).")

UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="Database URL, e.g. postgresql+asyncpg://user@host/db; default: the settings'.",
    ),
]

_MISSING_TABLES = ("no such table", "UndefinedTableError", "does not exist")


def resolve_url(url: str | None) -> str:
    """The --url flag, else the configured URL; invalid settings end the command with code 2."""
    if url:
        return url
    try:
        return load_settings().database_url
    except (ValueError, FileNotFoundError) as error:
        raise fail(f"invalid settings: {error}", EXIT_BAD_INPUT) from error


@contextmanager
def database_errors() -> Iterator[None]:
    """Database and URL errors become one `error:` line and exit code 2, without traceback."""
    from alembic.util import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except (SQLAlchemyError, CommandError, OSError, ValueError) as error:
        # SQLAlchemy adds the SQL and a link on further lines; the first line says what failed.
        lines = str(error).strip().splitlines()
        message = lines[0] if lines else type(error).__name__
        if any(marker in message for marker in _MISSING_TABLES):
            message += " (run `translator db upgrade` first)"
        raise fail(f"database: {message}", EXIT_BAD_INPUT) from error


def upgrade_if_local(url: str) -> None:
    """Bring a SQLite database up to date (the embedded default needs no `db upgrade` step)."""
    from sqlalchemy import make_url

    from translator.store import migrate

    with database_errors():
        if make_url(url).get_backend_name() == "sqlite":
            migrate.upgrade(url)


def run_in_session(url: str, action: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `action` in one committed transaction on a fresh engine, then close the engine."""
    from translator.store.database import dispose_engine, make_engine, make_session_factory

    async def run() -> T:
        engine = make_engine(url)
        try:
            async with make_session_factory(engine)() as session, session.begin():
                return await action(session)
        finally:
            await dispose_engine(engine)

    with database_errors():
        return asyncio.run(run())


@db_app.command("upgrade")
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    url: UrlOption = None,
) -> None:
    """Create or update the tables (to the newest revision by default)."""
    from translator.store import migrate

    database = resolve_url(url)
    with database_errors():
        migrate.upgrade(database, revision)
        typer.echo(f"database at {_describe(migrate.current(database))}")


@db_app.command("downgrade")
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision; `base` drops every table.")],
    url: UrlOption = None,
) -> None:
    """Undo migrations down to REVISION."""
    from translator.store import migrate

    database = resolve_url(url)
    with database_errors():
        migrate.downgrade(database, revision)
        typer.echo(f"database at {_describe(migrate.current(database))}")


@db_app.command("current")
def current(url: UrlOption = None) -> None:
    """Print the revision the database is at."""
    from translator.store import migrate

    database = resolve_url(url)
    with database_errors():
        typer.echo(_describe(migrate.current(database)))


def _describe(revisions: tuple[str, ...]) -> str:
    from translator.store import migrate

    if not revisions:
        return "base (no tables; `translator db upgrade` creates them)"
    head = migrate.head()
    return ", ".join(f"{rev} (head)" if rev == head else rev for rev in revisions)
