"""`translator memory`: import, export, list and delete translation memories.

They are the same memories the REST API serves under `/v1/memories`: without `--key` the
commands work on the local ones (those of callers without an API key), with `--key NAME` on
that key's. The store is imported inside the commands, as in `translator.cli.db`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from translator.cli.db import UrlOption
from translator.cli.glossary import KeyOption, owner_for_key, run_store_action
from translator.cli.options import EXIT_BAD_INPUT, fail
from translator.errors import InvalidInput
from translator.memory.formats import MemoryFormat, guess_format, parse_pairs, write_pairs
from translator.memory.pairs import MemoryFileError, check_memory_name
from translator.text.languages import normalize_pair

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from translator.store.models import Memory
    from translator.store.pairs import Pair

__all__ = ["memory_app"]

memory_app = typer.Typer(
    no_args_is_help=True, help="Translation memories (also served by the API)."
)

FormatOption = Annotated[
    MemoryFormat | None,
    typer.Option("--format", help="tmx (TMX 1.4b), tsv or csv; default: by the file name."),
]


@memory_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A .tmx, .tsv or .csv file (UTF-8).")],
    name: Annotated[str, typer.Option("--name", help="The memory's name.")],
    source: Annotated[str, typer.Option("--from", help="Source language code, e.g. zh.")],
    target: Annotated[str, typer.Option("--to", help="Target language code, e.g. en.")],
    fmt: FormatOption = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the pairs of an existing memory.")
    ] = False,
    key: KeyOption = None,
    url: UrlOption = None,
) -> None:
    """Import a memory file: every pair is checked first, and nothing is stored on error."""
    from translator.store.memories import (
        DuplicateMemoryName,
        UnknownMemory,
        create_memory,
        find_memory,
        replace_pairs,
    )

    try:
        name = check_memory_name(name, "--name")
        source, target = normalize_pair(source, target, allow_auto=False)
        data = file.read_bytes()
        pairs = parse_pairs(
            data, fmt or guess_format(file.name, data), source=source, target=target
        )
    except OSError as error:
        raise fail(f"cannot read {file}: {error}", EXIT_BAD_INPUT) from error
    except (InvalidInput, MemoryFileError) as error:
        raise fail(f"{file}: {error}", EXIT_BAD_INPUT) from error

    async def action(session: AsyncSession) -> Memory:
        owner = await owner_for_key(session, key)
        if replace:
            try:
                memory = await find_memory(session, owner, name)
            except UnknownMemory:
                pass
            else:
                if (memory.source_language, memory.target_language) != (source, target):
                    raise InvalidInput(
                        "--from/--to",
                        f"{name!r} is {memory.source_language} to {memory.target_language}",
                    )
                return await replace_pairs(session, memory, pairs)
        try:
            return await create_memory(
                session, owner=owner, name=name, source=source, target=target, pairs=pairs
            )
        except DuplicateMemoryName as error:
            raise InvalidInput("--name", f"{error} (use --replace to update it)") from error

    memory = run_store_action(url, action)
    typer.echo(
        f"memory {memory.name!r} ({memory.source_language} to {memory.target_language}): "
        f"{memory.entry_count} pairs, version {memory.version}, id {memory.id}"
    )


@memory_app.command("export")
def export_command(
    name: Annotated[str, typer.Argument(help="Memory name or id.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    fmt: FormatOption = None,
    key: KeyOption = None,
    url: UrlOption = None,
) -> None:
    """Write a memory as TMX, TSV or CSV (format from --format, else the file name, else TMX)."""
    from translator.store.memories import load_pairs

    async def action(session: AsyncSession) -> tuple[Memory, list[Pair]]:
        memory = await _find(session, key, name)
        return memory, await load_pairs(session, memory.id)

    memory, pairs = run_store_action(url, action)
    chosen = fmt or (guess_format(output.name, b"") if output else MemoryFormat.TMX)
    content = write_pairs(
        pairs, chosen, source=memory.source_language, target=memory.target_language
    )
    if output is None:
        sys.stdout.buffer.write(content)
        return
    output.write_bytes(content)
    typer.echo(f"{len(pairs)} pairs written to {output}", err=True)


@memory_app.command("list")
def list_command(key: KeyOption = None, url: UrlOption = None) -> None:
    """List memories: name, languages, pairs, version, id."""
    from translator.store.memories import list_memories

    async def action(session: AsyncSession) -> Sequence[Memory]:
        return await list_memories(session, await owner_for_key(session, key))

    memories = run_store_action(url, action)
    if not memories:
        typer.echo("no memories (import one with `translator memory import FILE`)")
        return
    rows = [("NAME", "PAIR", "PAIRS", "VERSION", "ID")]
    rows += [
        (
            m.name,
            f"{m.source_language}>{m.target_language}",
            str(m.entry_count),
            str(m.version),
            m.id,
        )
        for m in memories
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


@memory_app.command("delete")
def delete_command(
    name: Annotated[str, typer.Argument(help="Memory name or id.")],
    key: KeyOption = None,
    url: UrlOption = None,
) -> None:
    """Delete a memory and its pairs."""
    from translator.store.memories import delete_memory

    async def action(session: AsyncSession) -> None:
        await delete_memory(session, await _find(session, key, name))

    run_store_action(url, action)
    typer.echo(f"deleted {name}")


async def _find(session: AsyncSession, key: str | None, reference: str) -> Memory:
    from translator.store.memories import UnknownMemory, find_memory

    try:
        return await find_memory(session, await owner_for_key(session, key), reference)
    except UnknownMemory as error:
        raise InvalidInput("memory", str(error)) from error
