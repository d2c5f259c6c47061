"""Reading and writing cached translations and their traces.

Functions take an `AsyncSession` and never commit: the caller owns the transaction. Keep
transactions short and never hold one across a model run: on SQLite every transaction holds the
write lock (see `translator.store.database`), and on PostgreSQL it would pin a connection. Look
up in one transaction, translate, then save in another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from translator.store.cache_key import cache_key
from translator.store.models import Trace, Translation, new_id, utc_now

__all__ = [
    "TranslationRecord",
    "find_translation",
    "get_trace",
    "get_translation",
    "record_hit",
    "save_translation",
]


@dataclass(frozen=True, slots=True)
class TranslationRecord:
    """A finished translation to cache: what the caller knows, independent of the ORM.

    `source_text` is stored exactly as given; the cache key is derived from the fields, so a
    record can never be saved under another request's key.
    """

    source_text: str
    source_language: str
    target_language: str
    mode: str
    budget_class: str | None
    engine: str
    model_id: str
    prompt_version: str
    glossary_version: str | None
    translation: str
    confidence: float
    alternatives: Sequence[Mapping[str, Any]] = ()
    usage: Mapping[str, Any] | None = None

    @property
    def cache_key(self) -> str:
        return cache_key(
            text=self.source_text,
            source=self.source_language,
            target=self.target_language,
            mode=self.mode,
            budget_class=self.budget_class,
            engine=self.engine,
            model_id=self.model_id,
            prompt_version=self.prompt_version,
            glossary_version=self.glossary_version,
        )


async def find_translation(session: AsyncSession, key: str) -> Translation | None:
    """The cached translation for a cache key, or None."""
    result = await session.execute(select(Translation).where(Translation.cache_key == key))
    return result.scalar_one_or_none()


async def get_translation(session: AsyncSession, translation_id: str) -> Translation | None:
    return await session.get(Translation, translation_id)


async def get_trace(session: AsyncSession, translation_id: str) -> dict[str, Any] | None:
    """The whole trace document of a translation, or None when it has none."""
    result = await session.execute(
        select(Trace.trace).where(Trace.translation_id == translation_id)
    )
    return result.scalar_one_or_none()


async def save_translation(
    session: AsyncSession, record: TranslationRecord, trace: Mapping[str, Any] | None
) -> Translation:
    """Insert the translation and its trace together; return the row now cached under its key.

    When another writer saved the same key first (two requests for the same text finishing
    together), the unique key rejects this insert: the savepoint rolls back both rows, the
    caller's transaction stays usable, and the other writer's row is returned instead.
    """
    row = Translation(
        id=new_id(),
        cache_key=record.cache_key,
        source_text=record.source_text,
        source_language=record.source_language,
        target_language=record.target_language,
        mode=record.mode,
        budget_class=record.budget_class,
        engine=record.engine,
        model_id=record.model_id,
        prompt_version=record.prompt_version,
        glossary_version=record.glossary_version,
        translation=record.translation,
        confidence=record.confidence,
        alternatives=[dict(alternative) for alternative in record.alternatives],
        usage=dict(record.usage or {}),
        created_at=utc_now(),
        hit_count=0,
    )
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
            if trace is not None:
                session.add(Trace(translation_id=row.id, trace=dict(trace)))
    except IntegrityError:
        existing = await find_translation(session, row.cache_key)
        if existing is None:
            raise
        return existing
    return row


async def record_hit(session: AsyncSession, translation_id: str) -> bool:
    """Count one cache hit in the database (atomic `+ 1`); False when the id is unknown."""
    statement = (
        update(Translation)
        .where(Translation.id == translation_id)
        .values(hit_count=Translation.hit_count + 1)
    )
    result = cast(CursorResult[Any], await session.execute(statement))
    return bool(result.rowcount == 1)
