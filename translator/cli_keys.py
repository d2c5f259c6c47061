"""`translator keys`: create, revoke and list the API keys of the REST service.

The store (SQLAlchemy) is imported inside the commands, as in `translator.cli_db`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from translator.cli_common import EXIT_BAD_INPUT, fail
from translator.cli_db import UrlOption, resolve_url, run_in_session

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from translator.store.models import ApiKey

__all__ = ["keys_app"]

keys_app = typer.Typer(no_args_is_help=True, help="API keys of the REST service.")


@keys_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="A unique name, e.g. the shop or team using it.")],
    rpm: Annotated[
        int | None, typer.Option("--rpm", min=1, help="Requests per minute allowed.")
    ] = None,
    url: UrlOption = None,
) -> None:
    """Create a key and print it: it is shown this once and only its hash is stored."""
    from translator.store.keys import DuplicateKeyName, create_key

    if not name.strip():
        raise fail("name: give a non-empty name", EXIT_BAD_INPUT)

    async def action(session: AsyncSession) -> str:
        _, plaintext = await create_key(session, name, rpm)
        return plaintext

    try:
        plaintext = run_in_session(resolve_url(url), action)
    except DuplicateKeyName as error:
        raise fail(str(error), EXIT_BAD_INPUT) from error
    typer.echo(plaintext)
    typer.echo(f"key {name!r} created; store it now, it cannot be shown again.", err=True)


@keys_app.command("revoke")
def revoke(
    name: Annotated[str, typer.Argument(help="Name of the key to revoke.")],
    url: UrlOption = None,
) -> None:
    """Revoke a key: requests with it are refused from now on."""
    from translator.store.keys import revoke_key

    async def action(session: AsyncSession) -> bool:
        return await revoke_key(session, name)

    if not run_in_session(resolve_url(url), action):
        raise fail(f"no active key named {name!r}", EXIT_BAD_INPUT)
    typer.echo(f"revoked {name}")


@keys_app.command("list")
def list_command(url: UrlOption = None) -> None:
    """List keys: name, prefix, rate limit, created, status."""
    from translator.store.keys import list_keys

    async def action(session: AsyncSession) -> Sequence[ApiKey]:
        return await list_keys(session)

    keys = run_in_session(resolve_url(url), action)
    if not keys:
        typer.echo("no keys (create one with `translator keys create NAME`)")
        return
    rows = [("NAME", "PREFIX", "RPM", "CREATED", "STATUS")]
    for key in keys:
        status = "active" if key.revoked_at is None else f"revoked {key.revoked_at:%Y-%m-%d}"
        rpm = "-" if key.requests_per_minute is None else str(key.requests_per_minute)
        rows.append((key.name, key.prefix, rpm, f"{key.created_at:%Y-%m-%d %H:%M}", status))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        typer.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
