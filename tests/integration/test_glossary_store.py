"""User glossaries in the store, on a real SQLite file and a real PostgreSQL, each migrated."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from glossary.entries import BUILTIN_ORIGIN, Entry
from tests.integration.conftest import Sessions
from translator.store.glossaries import (
    DuplicateGlossaryName,
    UnknownGlossary,
    create_glossary,
    delete_glossary,
    find_glossary,
    list_glossaries,
    load_entries,
    replace_entries,
)
from translator.store.models import LOCAL_OWNER, Glossary, GlossaryEntry
from translator.translating.glossaries import GlossaryResolver

pytestmark = pytest.mark.integration

OWNER, OTHER = "key-a", "key-b"
ENTRIES = [
    Entry(
        forms=("踩屎感", "踩屎感觉"),
        preferred=("cloud-like cushioning", "pillowy cushioning"),
        acceptable=("super soft",),
        meaning="very soft underfoot",
        origin="",
    ),
    Entry(forms=("显瘦",), preferred=("slimming",), origin=""),
    Entry(
        forms=("yyds", "YYDS!"),
        preferred=("the GOAT",),
        acceptable=("the best ever", "legendary"),
        meaning="",
        origin="",
    ),
]
NEW_ENTRIES = [
    Entry(forms=("回购",), preferred=("buy again",), meaning="repeat purchase", origin=""),
    Entry(forms=("显瘦",), preferred=("flattering",), origin=""),
]


async def create(
    sessions: Sessions,
    name: str = "shoes",
    owner: str = OWNER,
    entries: list[Entry] = ENTRIES,
    source: str = "zh",
    target: str = "en",
) -> Glossary:
    async with sessions() as session, session.begin():
        return await create_glossary(
            session, owner=owner, name=name, source=source, target=target, entries=entries
        )


async def count(sessions: Sessions, model: type[Glossary] | type[GlossaryEntry]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def _content(entries: tuple[Entry, ...] | list[Entry]) -> list[tuple[object, ...]]:
    return [(e.forms, e.preferred, e.acceptable, e.meaning) for e in entries]


async def test_create_round_trips_entries_in_order_marked_with_the_glossary_id(
    sessions: Sessions,
) -> None:
    glossary = await create(sessions)
    assert (glossary.version, glossary.entry_count) == (1, 3)
    assert (glossary.source_language, glossary.target_language) == ("zh", "en")
    async with sessions() as session:
        found = await find_glossary(session, OWNER, glossary.id)
        assert found.name == "shoes" and found.owner == OWNER
        assert found.created_at.utcoffset() is not None
        entries = await load_entries(session, found)
    assert _content(entries) == [
        (
            ("踩屎感", "踩屎感觉"),
            ("cloud-like cushioning", "pillowy cushioning"),
            ("super soft",),
            "very soft underfoot",
        ),
        (("显瘦",), ("slimming",), (), ""),
        (("yyds", "YYDS!"), ("the GOAT",), ("the best ever", "legendary"), ""),
    ]
    assert {e.origin for e in entries} == {glossary.id}
    assert await count(sessions, GlossaryEntry) == 3


async def test_a_glossary_without_entries(sessions: Sessions) -> None:
    glossary = await create(sessions, entries=[])
    async with sessions() as session:
        assert await load_entries(session, glossary) == ()
    assert glossary.entry_count == 0


async def test_names_are_unique_per_owner_only(sessions: Sessions) -> None:
    first = await create(sessions)
    async with sessions() as session, session.begin():
        with pytest.raises(DuplicateGlossaryName, match="shoes"):
            await create_glossary(
                session, owner=OWNER, name="shoes", source="ja", target="en", entries=ENTRIES
            )
        # The failed insert is rolled back to its savepoint: the transaction goes on.
        other = await create_glossary(
            session, owner=OTHER, name="shoes", source="zh", target="en", entries=ENTRIES[:1]
        )
    assert other.id != first.id
    assert await count(sessions, Glossary) == 2
    assert await count(sessions, GlossaryEntry) == 3 + 1
    async with sessions() as session:
        assert (await find_glossary(session, OWNER, "shoes")).id == first.id
        assert (await find_glossary(session, OTHER, "shoes")).id == other.id


async def test_lists_are_per_owner_and_sorted_by_name(sessions: Sessions) -> None:
    for name in ("zebra", "apparel", "Moda"):
        await create(sessions, name=name)
    await create(sessions, name="beauty", owner=OTHER)
    await create(sessions, name="local one", owner=LOCAL_OWNER)
    async with sessions() as session:
        mine = [g.name for g in await list_glossaries(session, OWNER)]
        theirs = [g.name for g in await list_glossaries(session, OTHER)]
        local = [g.name for g in await list_glossaries(session, LOCAL_OWNER)]
        nobody = await list_glossaries(session, "no-such-owner")
    # Both backends compare these ASCII names the same way (PostgreSQL runs with --no-locale).
    assert mine == ["Moda", "apparel", "zebra"]
    assert theirs == ["beauty"]
    assert local == ["local one"]
    assert nobody == []


async def test_find_by_id_or_name_and_other_owners_are_unknown(sessions: Sessions) -> None:
    glossary = await create(sessions)
    async with sessions() as session:
        assert (await find_glossary(session, OWNER, glossary.id)).name == "shoes"
        assert (await find_glossary(session, OWNER, "shoes")).id == glossary.id
        for owner, reference in [
            (OTHER, glossary.id),
            (OTHER, "shoes"),
            (LOCAL_OWNER, glossary.id),
            (OWNER, "no-such-glossary"),
            (OWNER, "SHOES"),
        ]:
            with pytest.raises(UnknownGlossary) as raised:
                await find_glossary(session, owner, reference)
            assert raised.value.reference == reference


async def test_replace_entries_swaps_them_and_bumps_the_version(sessions: Sessions) -> None:
    glossary = await create(sessions)
    other = await create(sessions, name="kept")
    async with sessions() as session, session.begin():
        found = await find_glossary(session, OWNER, glossary.id)
        updated = await replace_entries(session, found, NEW_ENTRIES)
        assert (updated.version, updated.entry_count) == (2, 2)
    async with sessions() as session:
        stored = await find_glossary(session, OWNER, glossary.id)
        assert (stored.version, stored.entry_count) == (2, 2)
        assert stored.updated_at >= stored.created_at
        assert _content(await load_entries(session, stored)) == _content(NEW_ENTRIES)
        # The other glossary's entries are untouched.
        kept = await find_glossary(session, OWNER, other.id)
        assert kept.version == 1
        assert _content(await load_entries(session, kept)) == _content(ENTRIES)
    assert await count(sessions, GlossaryEntry) == 2 + 3
    async with sessions() as session, session.begin():
        found = await find_glossary(session, OWNER, glossary.id)
        await replace_entries(session, found, [])
    async with sessions() as session:
        emptied = await find_glossary(session, OWNER, glossary.id)
        assert (emptied.version, emptied.entry_count) == (3, 0)
        assert await load_entries(session, emptied) == ()


async def test_delete_removes_the_glossary_and_its_entries(sessions: Sessions) -> None:
    glossary = await create(sessions)
    kept = await create(sessions, name="kept", entries=NEW_ENTRIES)
    assert await count(sessions, GlossaryEntry) == 5
    async with sessions() as session, session.begin():
        await delete_glossary(session, await find_glossary(session, OWNER, glossary.id))
    assert await count(sessions, Glossary) == 1
    assert await count(sessions, GlossaryEntry) == 2
    async with sessions() as session:
        with pytest.raises(UnknownGlossary):
            await find_glossary(session, OWNER, glossary.id)
        left = await session.scalars(select(GlossaryEntry.glossary_id).distinct())
        assert list(left) == [kept.id]


async def _create_then_fail(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        created = await create_glossary(
            session, owner=OWNER, name="shoes", source="zh", target="en", entries=ENTRIES
        )
        assert created.id
        raise RuntimeError("file broke halfway")


async def _replace_then_fail(sessions: Sessions, glossary_id: str) -> None:
    async with sessions() as session, session.begin():
        found = await find_glossary(session, OWNER, glossary_id)
        await replace_entries(session, found, NEW_ENTRIES)
        assert found.version == 2
        raise RuntimeError("file broke halfway")


async def test_a_failed_import_in_a_transaction_stores_nothing(sessions: Sessions) -> None:
    with pytest.raises(RuntimeError, match="file broke"):
        await _create_then_fail(sessions)
    assert await count(sessions, Glossary) == 0
    assert await count(sessions, GlossaryEntry) == 0
    # A failed replacement keeps the old entries and version.
    glossary = await create(sessions)
    with pytest.raises(RuntimeError, match="file broke"):
        await _replace_then_fail(sessions, glossary.id)
    async with sessions() as session:
        stored = await find_glossary(session, OWNER, glossary.id)
        assert (stored.version, stored.entry_count) == (1, 3)
        assert _content(await load_entries(session, stored)) == _content(ENTRIES)


async def test_the_resolver_reuses_a_selection_until_the_version_changes(
    sessions: Sessions,
) -> None:
    glossary = await create(sessions)
    resolver = GlossaryResolver()
    async with sessions() as session:
        first = await resolver.resolve(session, OWNER, [glossary.id])
        again = await resolver.resolve(session, OWNER, [glossary.id])
        by_name = await resolver.resolve(session, OWNER, ["shoes"])
        without_builtin = await resolver.resolve(session, OWNER, [glossary.id], builtin=False)
    assert again is first
    assert by_name is first  # the same glossary, named instead of given by id
    assert without_builtin is not first and without_builtin.builtin is False
    (user,) = first.user
    assert (user.id, user.version, user.name) == (glossary.id, 1, "shoes")
    assert _content(user.entries) == _content(ENTRIES)
    matches = first.find("这双鞋踩屎感很强，穿着显瘦", "zh", "en")
    assert [(m.surface, m.entry.origin) for m in matches] == [
        ("踩屎感", glossary.id),
        ("显瘦", glossary.id),
    ]

    async with sessions() as session, session.begin():
        found = await find_glossary(session, OWNER, glossary.id)
        await replace_entries(session, found, NEW_ENTRIES)
    async with sessions() as session:
        renewed = await resolver.resolve(session, OWNER, [glossary.id])
        renewed_again = await resolver.resolve(session, OWNER, [glossary.id])
    assert renewed is not first and renewed_again is renewed
    (user,) = renewed.user
    assert user.version == 2
    assert _content(user.entries) == _content(NEW_ENTRIES)
    matches = renewed.find("这双鞋踩屎感很强，穿着显瘦", "zh", "en")
    # 踩屎感 now comes from the built-in glossary, 显瘦 from the new entries.
    assert [(m.surface, m.entry.origin, m.entry.preferred[0]) for m in matches] == [
        ("踩屎感", BUILTIN_ORIGIN, "cloud-like cushioning"),
        ("显瘦", glossary.id, "flattering"),
    ]


async def test_the_resolver_keeps_precedence_and_scoping(sessions: Sessions) -> None:
    first = await create(sessions, name="first", entries=NEW_ENTRIES)
    second = await create(sessions, name="second", entries=ENTRIES)
    theirs = await create(sessions, name="theirs", owner=OTHER)
    resolver = GlossaryResolver()
    async with sessions() as session:
        selection = await resolver.resolve(session, OWNER, [first.id, second.id])
        reversed_order = await resolver.resolve(session, OWNER, [second.id, first.id])
        none = await resolver.resolve(session, OWNER, [])
        with pytest.raises(UnknownGlossary) as raised:
            await resolver.resolve(session, OWNER, [first.id, theirs.id])
    assert raised.value.reference == theirs.id
    assert none.user == () and none.builtin is True
    assert [g.id for g in selection.user] == [first.id, second.id]
    assert [g.id for g in reversed_order.user] == [second.id, first.id]
    (slim,) = selection.find("显瘦", "zh", "en")
    assert (slim.entry.origin, slim.entry.preferred) == (first.id, ("flattering",))
    (slim,) = reversed_order.find("显瘦", "zh", "en")
    assert (slim.entry.origin, slim.entry.preferred) == (second.id, ("slimming",))
    # A zh→en glossary does not apply to another pair.
    assert selection.find("显瘦", "ja", "en") == ()


@pytest.mark.parametrize(
    "first_entries", [[], NEW_ENTRIES], ids=["emptied-then-replaced", "replaced-twice"]
)
async def test_concurrent_replacements_each_get_their_own_version(
    sessions: Sessions,
    first_entries: list[Entry],
) -> None:
    """Two PUTs at once: both succeed, one after the other, as versions 2 and 3.

    The version is what the resolver's cache and the API listing trust, so two different sets of
    entries must never share one version number.
    """
    glossary = await create(sessions)

    async def replace(entries: list[Entry]) -> int:
        async with sessions() as session, session.begin():
            found = await find_glossary(session, OWNER, glossary.id)
            await replace_entries(session, found, entries)
            await asyncio.sleep(0.3)  # the other replacement starts meanwhile
            return found.version

    versions = await asyncio.gather(replace(first_entries), replace(ENTRIES[:1]))
    assert sorted(versions) == [2, 3]
    async with sessions() as session:
        stored = await find_glossary(session, OWNER, glossary.id)
        final = ENTRIES[:1] if versions[1] == 3 else first_entries
        assert (stored.version, stored.entry_count) == (3, len(final))
        assert _content(await load_entries(session, stored)) == _content(final)
