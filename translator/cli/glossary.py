"""`translator glossary`: import, export, list and delete user glossaries.

They are the same glossaries the REST API serves under `/v1/glossaries`: without `--key` the
commands work on the local ones (those of callers without an API key), with `--key NAME` on that
key's. The store is imported inside the commands, as in `translator.cli.db`.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from glossary.formats import FileFormat, GlossaryFileError, guess_format, parse_entries
from glossary.formats import write_entries as write_file
from translator.cli.db import UrlOption, resolve_url, run_in_session, upgrade_if_local
from translator.cli.options import EXIT_BAD_INPUT, fail
from translator.errors import InvalidInput
from translator.translating.glossaries import check_glossary_languages, check_glossary_name

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from glossary.entries import Entry
    from glossary.selection import GlossarySelection
    from translator.store.models import Glossary

__all__ = ["KeyOption", "glossary_app", "load_selection", "owner_for_key", "run_store_action"]

T = TypeVar("T")

glossary_app = typer.Typer(no_args_is_help=True, help="User glossaries (also served by the API).")

KeyOption = Annotated[
    str | None,
    typer.Option("--key", help="Work on this API key's glossaries instead of the local ones."),
]
FormatOption = Annotated[
    FileFormat | None,
    typer.Option("--format", help="tsv or csv (DeepL's entry formats) or tbx; default: by name."),
]


async def owner_for_key(session: AsyncSession, key: str | None) -> str:
    """Whose glossaries and memories a command works on: the named key's, or the local ones."""
    from sqlalchemy import select

    from translator.store.models import LOCAL_OWNER, ApiKey

    if key is None:
        return LOCAL_OWNER
    key_id = await session.scalar(select(ApiKey.id).where(ApiKey.name == key))
    if key_id is None:
        raise InvalidInput("--key", f"no API key named {key!r}")
    return key_id


def run_store_action(url: str | None, action: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`action` in one session (a local database is migrated first); bad input exits 2."""
    database = resolve_url(url)
    upgrade_if_local(database)
    try:
        return run_in_session(database, action)
    except InvalidInput as error:
        raise fail(str(error), EXIT_BAD_INPUT) from error


@glossary_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A .tsv, .csv or .tbx file (UTF-8).")],
    name: Annotated[str, typer.Option("--name", help="The glossary's name.")],
    source: Annotated[str, typer.Option("--from", help="Source language code, e.g. zh.")],
    target: Annotated[str, typer.Option("--to", help="Target language code, e.g. en.")],
    fmt: FormatOption = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the entries of an existing glossary.")
    ] = False,
    key: KeyOption = None,
    url: UrlOption = None,
) -> None:
    """Import a glossary file: every entry is checked first, and nothing is stored on error."""
    from translator.store.glossaries import (
        DuplicateGlossaryName,
        UnknownGlossary,
        create_glossary,
        find_glossary,
        replace_entries,
    )

    try:
        name = check_glossary_name(name)
        source, target = check_glossary_languages(source, target)
        data = file.read_bytes()
        entries = parse_entries(
            data, fmt or guess_format(file.name, data), source=source, target=target, origin=""
        )
    except OSError as error:
        raise fail(f"cannot read {file}: {error}", EXIT_BAD_INPUT) from error
    except (InvalidInput, GlossaryFileError) as error:
        raise fail(f"{file}: {error}", EXIT_BAD_INPUT) from error

    async def action(session: AsyncSession) -> Glossary:
        owner = await owner_for_key(session, key)
        if replace:
            try:
                glossary = await find_glossary(session, owner, name)
            except UnknownGlossary:
                pass
            else:
                if (glossary.source_language, glossary.target_language) != (source, target):
                    raise InvalidInput(
                        "--from/--to",
                        f"{name!r} is {glossary.source_language} to {glossary.target_language}",
                    )
                return await replace_entries(session, glossary, entries)
        try:
            return await create_glossary(
                session, owner=owner, name=name, source=source, target=target, entries=entries
            )
        except DuplicateGlossaryName as error:
            raise InvalidInput("--name", f"{error} (use --replace to update it)") from error

    glossary = run_store_action(url, action)
    typer.echo(
        f"glossary {glossary.name!r} ({glossary.source_language} to {glossary.target_language}): "
        f"{glossary.entry_count} entries, version {glossary.version}, id {glossary.id}"
    )


@glossary_app.command("export")
def export_command(
    name: Annotated[str, typer.Argument(help="Glossary name or id.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    fmt: FormatOption = None,
    key: KeyOption = None,
    url: UrlOption = None,
) -> None:
    """Write a glossary as TSV, CSV or TBX (format from --format, else the file name, else TSV)."""
    from translator.store.glossaries import load_entries

    async def action(session: AsyncSession) -> tuple[Glossary, tuple[Entry, ...]]:
        glossary = await _find(session, key, name)
        return glossary, await load_entries(session, glossary)

    glossary, entries = run_store_action(url, action)
    chosen = fmt or (guess_format(output.name, b"") if output else FileFormat.TSV)
    content = write_file(
        entries,
        chosen,
        source=glossary.source_language,
        target=glossary.target_language,
        name=glossary.name,
    )
    if output is None:
        sys.stdout.buffer.write(content)
        return
    output.write_bytes(content)
    typer.echo(f"{len(entries)} entries written to {output}", err=True)


@glossary_app.command("list")
def list_command(key: KeyOption = None, url: UrlOption = None) -> None:
    """List glossaries: name, languages, entries, version, id."""
    from translator.store.glossaries import list_glossaries

    async def action(session: AsyncSession) -> Sequence[Glossary]:
        return await list_glossaries(session, await owner_for_key(session, key))

    glossaries = run_store_action(url, action)
    if not glossaries:
        typer.echo("no glossaries (import one with `translator glossary import FILE`)")
        return
    rows = [("NAME", "PAIR", "ENTRIES", "VERSION", "ID")]
    rows += [
        (
            g.name,
            f"{g.source_language}>{g.target_language}",
            str(g.entry_count),
            str(g.version),
            g.id,
        )
        for g in glossaries
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


@glossary_app.command("delete")
def delete_command(
    name: Annotated[str, typer.Argument(help="Glossary name or id.")],
    key: KeyOption = None,
    url: UrlOption = None,
) -> None:
    """Delete a glossary and its entries."""
    from translator.store.glossaries import delete_glossary

    async def action(session: AsyncSession) -> None:
        await delete_glossary(session, await _find(session, key, name))

    run_store_action(url, action)
    typer.echo(f"deleted {name}")


async def _find(session: AsyncSession, key: str | None, reference: str) -> Glossary:
    from translator.store.glossaries import UnknownGlossary, find_glossary

    try:
        return await find_glossary(session, await owner_for_key(session, key), reference)
    except UnknownGlossary as error:
        raise InvalidInput("glossary", str(error)) from error


def load_selection(
    references: Sequence[str], *, builtin: bool, url: str | None = None
) -> GlossarySelection:
    """The glossaries `translator translate --glossary` names, with the built-in one or not."""
    from glossary.selection import GlossarySelection
    from translator.translating.glossaries import GlossaryResolver

    if not references:
        return GlossarySelection(builtin=builtin)

    async def action(session: AsyncSession) -> GlossarySelection:
        from translator.store.glossaries import UnknownGlossary
        from translator.store.models import LOCAL_OWNER

        try:
            return await GlossaryResolver().resolve(
                session, LOCAL_OWNER, references, builtin=builtin
            )
        except UnknownGlossary as error:
            raise InvalidInput("--glossary", str(error)) from error

    return run_store_action(url, action)
