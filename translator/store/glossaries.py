"""User glossaries in SQL: create, list, read, replace entries (a new version), delete.

Every call is scoped to an owner (an API key's id, or `LOCAL_OWNER`), so one caller can neither
see nor change another's glossaries; a glossary of another owner reads as "not found". Entries
are written in the caller's transaction, so an import is stored whole or not at all.

The writes have blocking bodies (`*_blocking`, on a `Session`), which the API runs in one
worker-thread call on SQLite (`translator.store.writes`); their async forms run the same
bodies on an async session.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from glossary.entries import Entry
from translator.store.models import Glossary, GlossaryEntry, new_id, utc_now

__all__ = [
    "DuplicateGlossaryName",
    "UnknownGlossary",
    "create_glossary",
    "create_glossary_blocking",
    "delete_glossary",
    "delete_glossary_blocking",
    "find_glossary",
    "find_glossary_blocking",
    "list_glossaries",
    "load_entries",
    "replace_entries",
    "replace_entries_blocking",
]


class DuplicateGlossaryName(Exception):
    """The owner has a glossary of this name already."""


class UnknownGlossary(LookupError):
    """No glossary with this id or name belongs to the owner."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"no glossary {reference!r}")
        self.reference = reference


async def create_glossary(
    session: AsyncSession,
    *,
    owner: str,
    name: str,
    source: str,
    target: str,
    entries: Sequence[Entry],
) -> Glossary:
    """`create_glossary_blocking` on an async session."""
    return await session.run_sync(
        create_glossary_blocking,
        owner=owner,
        name=name,
        source=source,
        target=target,
        entries=entries,
    )


def create_glossary_blocking(
    session: Session,
    *,
    owner: str,
    name: str,
    source: str,
    target: str,
    entries: Sequence[Entry],
) -> Glossary:
    """A new glossary at version 1 with `entries`; raises `DuplicateGlossaryName`."""
    now = utc_now()
    glossary = Glossary(
        id=new_id(),
        owner=owner,
        name=name,
        source_language=source,
        target_language=target,
        version=1,
        entry_count=len(entries),
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(glossary)
    except IntegrityError as error:
        raise DuplicateGlossaryName(f"a glossary named {name!r} exists already") from error
    _insert_entries(session, glossary.id, entries)
    return glossary


def _insert_entries(session: Session, glossary_id: str, entries: Sequence[Entry]) -> None:
    if not entries:
        return
    rows = [
        {
            "glossary_id": glossary_id,
            "position": position,
            "forms": list(entry.forms),
            "preferred": list(entry.preferred),
            "acceptable": list(entry.acceptable),
            "meaning": entry.meaning,
        }
        for position, entry in enumerate(entries)
    ]
    session.execute(insert(GlossaryEntry), rows)


async def list_glossaries(session: AsyncSession, owner: str) -> list[Glossary]:
    """The owner's glossaries by name."""
    result = await session.scalars(
        select(Glossary).where(Glossary.owner == owner).order_by(Glossary.name)
    )
    return list(result)


async def find_glossary(session: AsyncSession, owner: str, reference: str) -> Glossary:
    """`find_glossary_blocking` on an async session."""
    return await session.run_sync(find_glossary_blocking, owner, reference)


def find_glossary_blocking(session: Session, owner: str, reference: str) -> Glossary:
    """The owner's glossary with this id, or else this name; raises `UnknownGlossary`."""
    for column in (Glossary.id, Glossary.name):
        glossary = session.scalar(
            select(Glossary).where(Glossary.owner == owner, column == reference)
        )
        if glossary is not None:
            return glossary
    raise UnknownGlossary(reference)


async def load_entries(session: AsyncSession, glossary: Glossary) -> tuple[Entry, ...]:
    """The glossary's entries in their imported order, marked with the glossary's id."""
    rows = await session.scalars(
        select(GlossaryEntry)
        .where(GlossaryEntry.glossary_id == glossary.id)
        .order_by(GlossaryEntry.position)
    )
    return tuple(
        Entry(
            forms=tuple(row.forms),
            preferred=tuple(row.preferred),
            acceptable=tuple(row.acceptable),
            meaning=row.meaning,
            origin=glossary.id,
        )
        for row in rows
    )


async def replace_entries(
    session: AsyncSession, glossary: Glossary, entries: Sequence[Entry]
) -> Glossary:
    """`replace_entries_blocking` on an async session."""
    return await session.run_sync(replace_entries_blocking, glossary, entries)


def replace_entries_blocking(
    session: Session, glossary: Glossary, entries: Sequence[Entry]
) -> Glossary:
    """Swap all entries for `entries` and bump the version.

    The version is raised in the database first: that update locks the row, so concurrent
    replacements queue behind each other and each gets its own version.
    """
    session.execute(
        update(Glossary)
        .where(Glossary.id == glossary.id)
        .values(version=Glossary.version + 1, entry_count=len(entries), updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(GlossaryEntry).where(GlossaryEntry.glossary_id == glossary.id))
    _insert_entries(session, glossary.id, entries)
    session.refresh(glossary)
    return glossary


async def delete_glossary(session: AsyncSession, glossary: Glossary) -> None:
    """`delete_glossary_blocking` on an async session."""
    await session.run_sync(delete_glossary_blocking, glossary)


def delete_glossary_blocking(session: Session, glossary: Glossary) -> None:
    """Delete the glossary and its entries."""
    session.execute(delete(GlossaryEntry).where(GlossaryEntry.glossary_id == glossary.id))
    session.delete(glossary)
    session.flush()
