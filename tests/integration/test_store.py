"""The store on a real SQLite file and a real PostgreSQL, each migrated from empty."""

from __future__ import annotations

import asyncio
import hashlib
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import OperationalError

from tests.integration.conftest import Sessions
from translator.store.cache_key import cache_key
from translator.store.cache_reads import cache_reads
from translator.store.database import (
    dispose_engine,
    make_engine,
    make_session_factory,
    read_only,
)
from translator.store.keys import (
    DuplicateKeyName,
    KeyLimits,
    add_usage,
    create_key,
    get_usage,
    list_keys,
    revoke_key,
    verify_key,
)
from translator.store.migrate import upgrade
from translator.store.models import ApiKey, KeyUsage, Trace, Translation
from translator.store.repository import (
    IN_BATCH,
    CachedRow,
    TranslationRecord,
    find_cached,
    find_translation,
    get_trace,
    get_translation,
    save_translation,
)
from translator.translating.hot_cache import HitCounter

pytestmark = pytest.mark.integration

SOURCE = "  这双鞋\t\t踩屎感   超强！😀\n\n  Fits   great 👟  \u00a0"
RECORD = TranslationRecord(
    source_text=SOURCE,
    source_language="zh",
    target_language="en",
    mode="mcts",
    budget_class="small",
    engine="embedded",
    model_id="qwen2.5-coder-1.5b-instruct-q4_k_m",
    prompt_version="2026-11-1",
    glossary_version=None,
    translation="These shoes feel like walking on clouds! 😀",
    confidence=0.8125,
    alternatives=[
        {"translation": "These shoes feel like walking on clouds! 😀", "score": 0.8125},
        {"translation": "踩屎感 is super strong", "score": 0.31},
    ],
    usage={"calls": 7, "prompt_tokens": 812, "generated_tokens": 430, "wall_seconds": 21.5},
)
TRACE: dict[str, Any] = {
    "version": 1,
    "nodes": [{"id": 0, "parent": None, "text": "<Thought>踩屎感…"}, {"id": 1, "parent": 0}],
    "chosen_path": [0, 1],
    "thought": "踩屎感 describes soft cushioning.",
}


async def save(sessions: Sessions, record: TranslationRecord = RECORD) -> Translation:
    async with sessions() as session, session.begin():
        return await save_translation(session, record, TRACE)


async def count(sessions: Sessions, model: type[Translation] | type[Trace]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_round_trip_keeps_the_exact_source_text(sessions: Sessions) -> None:
    saved = await save(sessions)
    async with sessions() as session:
        row = await find_translation(session, RECORD.cache_key)
        assert row is not None
        assert row.id == saved.id
        assert row.source_text == SOURCE
        assert row.translation == RECORD.translation
        assert row.alternatives == RECORD.alternatives
        assert row.usage == RECORD.usage
        assert row.confidence == pytest.approx(0.8125)
        assert (row.budget_class, row.glossary_version, row.hit_count) == ("small", None, 0)
        assert row.created_at.utcoffset() is not None
        assert await get_trace(session, row.id) == TRACE
        by_id = await get_translation(session, row.id)
        assert by_id is not None and by_id.cache_key == RECORD.cache_key
        assert await find_translation(session, "0" * 64) is None
        assert await get_translation(session, "no-such-id") is None
        assert await get_trace(session, "no-such-id") is None


async def test_lookup_ignores_whitespace_and_unicode_form(sessions: Sessions) -> None:
    await save(sessions, replace(RECORD, source_text="Café  crème"))
    variant = unicodedata.normalize("NFD", "\n Café\tcrème  ")
    key = cache_key(
        text=variant,
        source="zh",
        target="en",
        mode="mcts",
        budget_class="small",
        engine="embedded",
        model_id=RECORD.model_id,
        prompt_version=RECORD.prompt_version,
        glossary_version=None,
    )
    async with sessions() as session:
        row = await find_translation(session, key)
        assert row is not None and row.source_text == "Café  crème"
        assert await find_translation(session, replace(RECORD, mode="cot").cache_key) is None


async def test_concurrent_saves_of_one_key_keep_the_first(sessions: Sessions) -> None:
    """The second writer waits on the first, then gets the first's row; one trace is stored."""
    async with sessions() as first, sessions() as second:
        await first.begin()
        first_row = await save_translation(first, RECORD, TRACE)
        other = replace(RECORD, translation="Other translation")
        waiting = asyncio.create_task(save_translation(second, other, {"other": True}))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # blocked by the first transaction's row or lock
        await first.commit()
        second_row = await waiting
        await second.commit()
    assert second_row.id == first_row.id
    assert second_row.translation == RECORD.translation
    assert await count(sessions, Translation) == 1
    assert await count(sessions, Trace) == 1
    async with sessions() as session:
        assert await get_trace(session, first_row.id) == TRACE


async def test_racing_saves_all_get_one_row(sessions: Sessions) -> None:
    rows = await asyncio.gather(*(save(sessions) for _ in range(4)))
    assert len({row.id for row in rows}) == 1
    assert await count(sessions, Translation) == 1
    assert await count(sessions, Trace) == 1


async def test_a_lost_race_keeps_the_callers_transaction(sessions: Sessions) -> None:
    first = await save(sessions)
    async with sessions() as session, session.begin():
        key, _ = await create_key(session, "in-the-same-transaction")
        row = await save_translation(session, RECORD, TRACE)
        assert row.id == first.id
    async with sessions() as session:
        assert await verify_key(session, "wrong") is None
        assert [k.name for k in await list_keys(session)] == [key.name]


async def test_saving_without_a_trace(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        row = await save_translation(session, replace(RECORD, mode="direct"), None)
    async with sessions() as session:
        assert await get_trace(session, row.id) is None
    assert await count(sessions, Trace) == 0


async def test_deleting_a_translation_deletes_its_trace(sessions: Sessions) -> None:
    row = await save(sessions)
    async with sessions() as session, session.begin():
        await session.execute(delete(Translation).where(Translation.id == row.id))
    assert await count(sessions, Trace) == 0
    async with sessions() as session:
        assert await get_trace(session, row.id) is None


async def test_find_cached_reads_hits_in_one_query_with_the_thought(
    sessions: Sessions,
) -> None:
    with_trace = await save(sessions)
    without = replace(RECORD, source_text="No trace here", alternatives=[])
    async with sessions() as session, session.begin():
        plain = await save_translation(session, without, None)
    unknown = [f"{n:064x}" for n in range(IN_BATCH)]  # the stored keys land in a second batch
    keys = [*unknown, RECORD.cache_key, without.cache_key]
    async with sessions() as session:
        await read_only(session)
        found = await find_cached(session, keys)
        full = await find_cached(session, [RECORD.cache_key], with_trace=True)
    assert set(found) == {RECORD.cache_key, without.cache_key}
    hit = found[RECORD.cache_key]
    assert hit.trace is None
    assert hit.row == CachedRow(
        id=with_trace.id,
        translation=RECORD.translation,
        source_language="zh",
        target_language="en",
        mode="mcts",
        engine="embedded",
        model_id=RECORD.model_id,
        confidence=pytest.approx(0.8125),  # type: ignore[arg-type]
        alternatives=((RECORD.translation, 0.8125), ("踩屎感 is super strong", 0.31)),
        thought=TRACE["thought"],
    )
    assert found[without.cache_key].row.id == plain.id
    assert (found[without.cache_key].row.thought, found[without.cache_key].row.alternatives) == (
        "",
        (),
    )
    assert full[RECORD.cache_key].trace == TRACE
    assert full[RECORD.cache_key].row == hit.row


async def test_read_only_lookups_do_not_wait_for_the_sqlite_writer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'translator.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = make_engine(url, busy_timeout_ms=100)
    sessions = make_session_factory(engine)
    try:
        await save(sessions)
        async with sessions() as writer, writer.begin():
            await writer.execute(text("UPDATE translations SET hit_count = 1"))
            async with sessions() as reader:
                await read_only(reader)
                found = await find_cached(reader, [RECORD.cache_key])
            assert list(found) == [RECORD.cache_key]
            with pytest.raises(OperationalError, match="locked"):  # an ordinary session waits
                async with sessions() as other:
                    await find_cached(other, [RECORD.cache_key])
    finally:
        await dispose_engine(engine)


async def test_cache_reads_find_what_sessions_wrote(sessions: Sessions) -> None:
    saved = await save(sessions)
    reads = cache_reads(sessions)
    try:
        found = await reads.find([RECORD.cache_key, "0" * 64], with_trace=False)
        full = await reads.find([RECORD.cache_key], with_trace=True)
    finally:
        reads.close()
    async with sessions() as session:
        expected = await find_cached(session, [RECORD.cache_key])
    assert found == expected and found[RECORD.cache_key].row.id == saved.id
    assert full[RECORD.cache_key].trace == TRACE


async def test_cache_reads_on_a_sqlite_file_do_not_wait_for_the_writer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'translator.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = make_engine(url, busy_timeout_ms=100)
    sessions = make_session_factory(engine)
    reads = cache_reads(sessions)
    try:
        await save(sessions)
        async with sessions() as writer, writer.begin():
            await writer.execute(text("UPDATE translations SET hit_count = 1"))
            found = await reads.find([RECORD.cache_key], with_trace=False)
            assert list(found) == [RECORD.cache_key]
        second = replace(RECORD, source_text="Committed after the first read")
        async with sessions() as writer, writer.begin():
            await save_translation(writer, second, None)
        assert list(await reads.find([second.cache_key], with_trace=False)) == [second.cache_key]
    finally:
        reads.close()
        await dispose_engine(engine)


async def test_hit_counts_are_written_together(sessions: Sessions) -> None:
    first = await save(sessions)
    async with sessions() as session, session.begin():
        second = await save_translation(session, replace(RECORD, source_text="Other"), None)
    counter = HitCounter(sessions, interval_s=3600)
    for translation_id in (first.id, second.id, first.id, "no-such-id", first.id):
        counter.add(translation_id)
    await counter.flush()
    counter.add(second.id)
    await counter.aclose()
    async with sessions() as session:
        counts = dict((await session.execute(select(Translation.id, Translation.hit_count))).all())
    assert counts == {first.id: 3, second.id: 2}


async def test_api_keys(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        shop, shop_plain = await create_key(session, "shop", KeyLimits(requests_per_minute=60))
        _, other_plain = await create_key(session, "other")
    assert shop_plain.startswith("tr_") and len(shop_plain) > 40
    assert shop.prefix == shop_plain[:8]
    assert shop.key_hash == hashlib.sha256(shop_plain.encode()).hexdigest()
    async with sessions() as session:
        stored = (await session.execute(select(ApiKey.__table__))).all()
        assert not any(shop_plain in str(value) for row in stored for value in row)
        verified = await verify_key(session, shop_plain)
        assert verified is not None and verified.name == "shop"
        assert verified.requests_per_minute == 60
        assert await verify_key(session, shop_plain + "x") is None
    async with sessions() as session, session.begin():
        with pytest.raises(DuplicateKeyName):
            await create_key(session, "shop")
        assert await revoke_key(session, "shop") is True
        assert await revoke_key(session, "shop") is False
        assert await revoke_key(session, "nobody") is False
    async with sessions() as session:
        assert await verify_key(session, shop_plain) is None
        other = await verify_key(session, other_plain)
        assert other is not None and other.requests_per_minute is None
        keys = {key.name: key for key in await list_keys(session)}
        assert set(keys) == {"shop", "other"}
        revoked_at = keys["shop"].revoked_at
        assert revoked_at is not None and revoked_at.utcoffset() is not None
        assert keys["other"].revoked_at is None


async def test_usage_accumulates_per_day(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        key, _ = await create_key(session, "shop")
    today, tomorrow = date(2026, 11, 24), date(2026, 11, 25)

    async def use(characters: int, hit: bool, day: date) -> None:
        async with sessions() as session, session.begin():
            await add_usage(session, key.id, characters, hit, day=day)

    await use(100, False, today)
    await asyncio.gather(use(20, True, today), use(3, True, today), use(7, False, today))
    await use(5, False, tomorrow)
    async with sessions() as session:
        first = await get_usage(session, key.id, today)
        assert first is not None
        assert (first.characters, first.requests, first.cache_hits) == (130, 4, 2)
        second = await get_usage(session, key.id, tomorrow)
        assert second is not None
        assert (second.characters, second.requests, second.cache_hits) == (5, 1, 0)
        assert await get_usage(session, key.id, date(2026, 1, 1)) is None
        rows = await session.scalar(select(func.count()).select_from(KeyUsage))
        assert rows == 2


async def test_usage_defaults_to_today_utc(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        key, _ = await create_key(session, "shop")
        await add_usage(session, key.id, 10, cache_hit=False)
    async with sessions() as session:
        days = (await session.scalars(select(KeyUsage.day))).all()
        assert len(days) == 1 and isinstance(days[0], date)


async def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'translator.db'}")
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
            assert await connection.scalar(text("PRAGMA foreign_keys")) == 1
            assert await connection.scalar(text("PRAGMA busy_timeout")) == 5000
    finally:
        await dispose_engine(engine)
    assert (tmp_path / "nested" / "translator.db").is_file()
