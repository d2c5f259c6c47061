"""Translation memories in SQL: create, list, find, read, replace, add pairs, delete.

Every call is scoped to an owner (an API key's id, or `LOCAL_OWNER`), so one caller can neither
see nor change another's memories; a memory of another owner reads as "not found". Pairs are
written in the caller's transaction, so an import is stored whole or not at all. Every change
raises the memory's version first: that update locks the row, so concurrent changes queue
behind each other, and readers holding an index of an older version know to rebuild it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from translator.store.models import Memory, MemoryEntry, new_id, utc_now
from translator.store.pairs import Pair, source_key
from translator.store.repository import in_batches

__all__ = [
    "DuplicateMemoryName",
    "UnknownMemory",
    "add_pairs",
    "create_memory",
    "delete_memory",
    "find_memory",
    "list_memories",
    "load_pairs",
    "replace_pairs",
]


class DuplicateMemoryName(Exception):
    """The owner has a memory of this name already."""


class UnknownMemory(LookupError):
    """No memory with this id or name belongs to the owner."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"no memory {reference!r}")
        self.reference = reference


async def create_memory(
    session: AsyncSession,
    *,
    owner: str,
    name: str,
    source: str,
    target: str,
    pairs: Sequence[Pair] = (),
    origin: str = "import",
) -> Memory:
    """A new memory at version 1 holding `pairs` (each source once: see `checked_pairs`)."""
    now = utc_now()
    memory = Memory(
        id=new_id(),
        owner=owner,
        name=name,
        source_language=source,
        target_language=target,
        version=1,
        entry_count=len(pairs),
        created_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(memory)
    except IntegrityError as error:
        raise DuplicateMemoryName(f"a memory named {name!r} exists already") from error
    await _insert(session, memory.id, pairs, start=0, origin=origin)
    return memory


async def _insert(
    session: AsyncSession,
    memory_id: str,
    pairs: Sequence[Pair],
    *,
    start: int,
    origin: str,
    translation_id: str | None = None,
) -> None:
    if not pairs:
        return
    now = utc_now()
    rows = [
        {
            "memory_id": memory_id,
            "source_key": source_key(pair.source),
            "position": start + offset,
            "source_text": pair.source,
            "target_text": pair.target,
            "origin": origin,
            "translation_id": translation_id,
            "updated_at": now,
        }
        for offset, pair in enumerate(pairs)
    ]
    await session.execute(insert(MemoryEntry), rows)


async def list_memories(session: AsyncSession, owner: str) -> list[Memory]:
    """The owner's memories by name."""
    result = await session.scalars(
        select(Memory).where(Memory.owner == owner).order_by(Memory.name)
    )
    return list(result)


async def find_memory(session: AsyncSession, owner: str, reference: str) -> Memory:
    """The owner's memory with this id, or else this name; raises `UnknownMemory`."""
    for column in (Memory.id, Memory.name):
        memory = await session.scalar(
            select(Memory).where(Memory.owner == owner, column == reference)
        )
        if memory is not None:
            return memory
    raise UnknownMemory(reference)


async def load_pairs(session: AsyncSession, memory_id: str) -> list[Pair]:
    """The memory's pairs in the order they were added (columns only: memories get large)."""
    rows = await session.execute(
        select(MemoryEntry.source_text, MemoryEntry.target_text)
        .where(MemoryEntry.memory_id == memory_id)
        .order_by(MemoryEntry.position)
    )
    return [Pair(source, target) for source, target in rows]


async def _bump(session: AsyncSession, memory: Memory) -> None:
    await session.execute(
        update(Memory)
        .where(Memory.id == memory.id)
        .values(version=Memory.version + 1, updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )


async def _recount(session: AsyncSession, memory: Memory) -> Memory:
    count = await session.scalar(
        select(func.count()).select_from(MemoryEntry).where(MemoryEntry.memory_id == memory.id)
    )
    await session.execute(
        update(Memory)
        .where(Memory.id == memory.id)
        .values(entry_count=count or 0)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(memory)
    return memory


async def replace_pairs(session: AsyncSession, memory: Memory, pairs: Sequence[Pair]) -> Memory:
    """Swap all pairs for `pairs` (a new version)."""
    await _bump(session, memory)
    await session.execute(delete(MemoryEntry).where(MemoryEntry.memory_id == memory.id))
    await _insert(session, memory.id, pairs, start=0, origin="import")
    return await _recount(session, memory)


async def add_pairs(
    session: AsyncSession,
    memory: Memory,
    pairs: Sequence[Pair],
    *,
    origin: str,
    translation_id: str | None = None,
) -> Memory:
    """Add `pairs` (a new version); a source the memory holds already gets the new target.

    `origin` is `import`, `correction` or `suggestion`.
    """
    await _bump(session, memory)
    by_key = {source_key(pair.source): pair for pair in pairs}
    known: set[str] = set()
    for keys in in_batches(list(by_key)):
        found = await session.scalars(
            select(MemoryEntry.source_key).where(
                MemoryEntry.memory_id == memory.id, MemoryEntry.source_key.in_(keys)
            )
        )
        known.update(found)
    now = utc_now()
    for key in known:
        pair = by_key[key]
        await session.execute(
            update(MemoryEntry)
            .where(MemoryEntry.memory_id == memory.id, MemoryEntry.source_key == key)
            .values(
                source_text=pair.source,
                target_text=pair.target,
                origin=origin,
                translation_id=translation_id,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    last = await session.scalar(
        select(func.max(MemoryEntry.position)).where(MemoryEntry.memory_id == memory.id)
    )
    new = [pair for key, pair in by_key.items() if key not in known]
    start = 0 if last is None else last + 1
    await _insert(
        session, memory.id, new, start=start, origin=origin, translation_id=translation_id
    )
    return await _recount(session, memory)


async def delete_memory(session: AsyncSession, memory: Memory) -> None:
    """Delete the memory and its pairs."""
    await session.execute(delete(MemoryEntry).where(MemoryEntry.memory_id == memory.id))
    await session.delete(memory)
    await session.flush()
