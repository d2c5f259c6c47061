"""Translation memories in the store, on a real SQLite file and a real PostgreSQL, migrated."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from tests.integration.conftest import Sessions
from translator.store.memories import (
    DuplicateMemoryName,
    UnknownMemory,
    add_pairs,
    create_memory,
    delete_memory,
    find_memory,
    list_memories,
    load_pairs,
    replace_pairs,
)
from translator.store.models import Memory, MemoryEntry
from translator.store.pairs import Pair

pytestmark = pytest.mark.integration

OWNER, OTHER = "key-a", "key-b"
PAIRS = [Pair("包邮", "Free shipping"), Pair("这款鞋踩屎感太强了", "These shoes feel like clouds")]


async def create(sessions: Sessions, name: str = "shop", owner: str = OWNER) -> Memory:
    async with sessions() as session, session.begin():
        return await create_memory(
            session, owner=owner, name=name, source="zh", target="en", pairs=PAIRS
        )


async def pairs_of(sessions: Sessions, memory: Memory) -> list[Pair]:
    async with sessions() as session:
        return await load_pairs(session, memory.id)


async def test_create_find_list_and_load_in_order(sessions: Sessions) -> None:
    memory = await create(sessions)
    await create(sessions, "other", owner=OTHER)
    assert (memory.version, memory.entry_count) == (1, 2)
    assert await pairs_of(sessions, memory) == PAIRS
    async with sessions() as session:
        assert (await find_memory(session, OWNER, "shop")).id == memory.id
        assert (await find_memory(session, OWNER, memory.id)).name == "shop"
        assert [m.name for m in await list_memories(session, OWNER)] == ["shop"]
        with pytest.raises(UnknownMemory):
            await find_memory(session, OTHER, memory.id)


async def test_names_are_unique_per_owner_and_nothing_is_half_stored(sessions: Sessions) -> None:
    await create(sessions)
    with pytest.raises(DuplicateMemoryName):
        await create(sessions)
    await create(sessions, owner=OTHER)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(MemoryEntry)) == 4


async def test_added_pairs_replace_the_same_source_and_append_new_ones(sessions: Sessions) -> None:
    memory = await create(sessions)
    async with sessions() as session, session.begin():
        memory = await find_memory(session, OWNER, memory.id)
        updated = await add_pairs(
            session,
            memory,
            [Pair(" 包邮 ", "Shipping included"), Pair("好评", "Great")],
            origin="correction",
            translation_id="t-1",
        )
    assert (updated.version, updated.entry_count) == (2, 3)
    assert await pairs_of(sessions, memory) == [
        Pair(" 包邮 ", "Shipping included"),
        PAIRS[1],
        Pair("好评", "Great"),
    ]
    async with sessions() as session:
        rows = await session.execute(select(MemoryEntry.target_text, MemoryEntry.origin))
        origins = dict(rows.all())
    assert origins == {
        "Shipping included": "correction",
        PAIRS[1].target: "import",
        "Great": "correction",
    }


async def test_replace_swaps_everything_and_delete_removes_the_pairs(sessions: Sessions) -> None:
    memory = await create(sessions)
    async with sessions() as session, session.begin():
        memory = await find_memory(session, OWNER, memory.id)
        replaced = await replace_pairs(session, memory, [Pair("好评", "Great")])
    assert (replaced.version, replaced.entry_count) == (2, 1)
    assert await pairs_of(sessions, memory) == [Pair("好评", "Great")]
    async with sessions() as session, session.begin():
        await delete_memory(session, await find_memory(session, OWNER, memory.id))
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(MemoryEntry)) == 0


async def test_concurrent_corrections_each_get_their_own_version(sessions: Sessions) -> None:
    memory = await create(sessions)

    async def correct(index: int) -> int:
        async with sessions() as session, session.begin():
            found = await find_memory(session, OWNER, memory.id)
            updated = await add_pairs(
                session, found, [Pair(f"第{index}号", f"No. {index}")], origin="correction"
            )
            return updated.version

    versions = await asyncio.gather(*(correct(i) for i in range(4)))
    assert sorted(versions) == [2, 3, 4, 5]
    async with sessions() as session:
        final = await find_memory(session, OWNER, memory.id)
    assert (final.version, final.entry_count) == (5, 6)
