"""`translator keys`: create, revoke and list the API keys of the REST service.

The store (SQLAlchemy) is imported inside the commands, as in `translator.cli.db`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from translator.cli.db import UrlOption, resolve_url, run_in_session
from translator.cli.options import EXIT_BAD_INPUT, fail
from translator.prompting.modes import Mode
from translator.search.config import BudgetName

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
    mode: Annotated[
        Mode | None,
        typer.Option(help="Mode for the LibreTranslate, DeepL and custom routes."),
    ] = None,
    budget: Annotated[
        BudgetName | None, typer.Option(help="Search budget there when the mode is mcts.")
    ] = None,
    chars_per_month: Annotated[
        int | None,
        typer.Option("--chars-per-month", min=1, help="Characters per UTC month (a quota)."),
    ] = None,
    memory: Annotated[
        str | None,
        typer.Option(
            "--memory",
            help="Name of the key's default translation memory (created by its first "
            "correction or suggestion, or by `translator memory import --key`).",
        ),
    ] = None,
    url: UrlOption = None,
) -> None:
    """Create a key and print it: it is shown this once and only its hash is stored."""
    from translator.store.keys import DuplicateKeyName, KeyLimits, create_key

    if not name.strip():
        raise fail("name: give a non-empty name", EXIT_BAD_INPUT)
    limits = KeyLimits(
        requests_per_minute=rpm,
        default_mode=mode.value if mode else None,
        default_budget=budget.value if budget else None,
        characters_per_month=chars_per_month,
        default_memory=memory.strip() if memory and memory.strip() else None,
    )

    async def action(session: AsyncSession) -> str:
        _, plaintext = await create_key(session, name, limits)
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
    """List keys: name, prefix, rate limit, compat mode and budget, quota, created, status."""
    from translator.store.keys import list_keys

    async def action(session: AsyncSession) -> Sequence[ApiKey]:
        return await list_keys(session)

    keys = run_in_session(resolve_url(url), action)
    if not keys:
        typer.echo("no keys (create one with `translator keys create NAME`)")
        return
    rows = [
        ["NAME", "PREFIX", "RPM", "MODE", "BUDGET", "CHARS/MONTH", "MEMORY", "CREATED", "STATUS"]
    ]
    for key in keys:
        status = "active" if key.revoked_at is None else f"revoked {key.revoked_at:%Y-%m-%d}"
        limits = (
            key.requests_per_minute,
            key.default_mode,
            key.default_budget,
            key.characters_per_month,
            key.default_memory,
        )
        rows.append(
            [
                key.name,
                key.prefix,
                *("-" if value is None else str(value) for value in limits),
                f"{key.created_at:%Y-%m-%d %H:%M}",
                status,
            ]
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        typer.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
