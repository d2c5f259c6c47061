"""Reading and writing cached translations and their traces.

Functions take an `AsyncSession` (or, for a worker thread, a `Connection`) and never commit:
the caller owns the transaction. Keep
transactions short and never hold one across a model run: on SQLite every transaction holds the
write lock (see `translator.store.database`), and on PostgreSQL it would pin a connection. Look
up in one transaction, translate, then save in another.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Connection, Row, Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from translator.store.cache_key import cache_key
from translator.store.models import Trace, Translation, new_id, utc_now

__all__ = [
    "IN_BATCH",
    "CachedRow",
    "StoredHit",
    "TranslationRecord",
    "find_cached",
    "find_cached_blocking",
    "find_translation",
    "get_trace",
    "get_translation",
    "in_batches",
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
    memory_version: str | None = None
    context: str | None = None
    """Part of the key only (the prompt showed it); not a column of the row."""
    variant: str | None = None
    """Part of the key only (`en-GB`); the row's target language is the language (`en`)."""

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
            memory_version=self.memory_version,
            context=self.context,
            variant=self.variant,
        )


IN_BATCH = 500
"""Keys per `IN (…)` list: well under SQLite's and asyncpg's parameter limits."""


def in_batches(items: Sequence[str]) -> Iterable[Sequence[str]]:
    """`items` in slices of at most `IN_BATCH`, one `IN (…)` query each."""
    for start in range(0, len(items), IN_BATCH):
        yield items[start : start + IN_BATCH]


@dataclass(frozen=True, slots=True)
class CachedRow:
    """What answering a hit needs from a stored translation: its columns and the thought kept
    in its trace (the rest of the trace stays in the database)."""

    id: str
    translation: str
    source_language: str
    target_language: str
    mode: str
    engine: str
    model_id: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    thought: str


@dataclass(frozen=True, slots=True)
class StoredHit:
    """A cached translation found by key; `trace` only when it was asked for."""

    row: CachedRow
    trace: dict[str, Any] | None


_HIT_COLUMNS = (
    Translation.cache_key,
    Translation.id,
    Translation.translation,
    Translation.source_language,
    Translation.target_language,
    Translation.mode,
    Translation.engine,
    Translation.model_id,
    Translation.confidence,
    Translation.alternatives,
)


def _find_cached(trace_column: ColumnElement[Any] | InstrumentedAttribute[Any]) -> Select[Any]:
    keys: BindParameter[list[str]] = bindparam("keys", expanding=True)
    return (
        select(*_HIT_COLUMNS, trace_column.label("trace"))
        .outerjoin(Trace, Trace.translation_id == Translation.id)
        .where(Translation.cache_key.in_(keys))
    )


_FIND_WITH_THOUGHT = _find_cached(Trace.trace["thought"].as_string())
_FIND_WITH_TRACE = _find_cached(Trace.trace)
"""Built once: building a statement costs more than running it on a small SQLite table."""


async def find_cached(
    session: AsyncSession, keys: Sequence[str], *, with_trace: bool = False
) -> dict[str, StoredHit]:
    """`find_cached_blocking` on the session's connection."""
    return await session.run_sync(
        lambda synchronous: find_cached_blocking(
            synchronous.connection(), keys, with_trace=with_trace
        )
    )


def find_cached_blocking(
    connection: Connection, keys: Sequence[str], *, with_trace: bool = False
) -> dict[str, StoredHit]:
    """The cached translations under `keys`, by key, in one query per `IN_BATCH` keys.

    The thought is read out of the trace by the database, so a hit never loads a search tree
    unless `with_trace` asks for the whole trace.
    """
    query = _FIND_WITH_TRACE if with_trace else _FIND_WITH_THOUGHT
    found: dict[str, StoredHit] = {}
    for batch in in_batches(keys):
        found.update(_hits(connection.execute(query, {"keys": batch}), with_trace))
    return found


def _hits(rows: Iterable[Row[Any]], with_trace: bool) -> Iterator[tuple[str, StoredHit]]:
    for row in rows:
        yield row.cache_key, _stored_hit(row, with_trace=with_trace)


def _stored_hit(row: Row[Any], *, with_trace: bool) -> StoredHit:
    if with_trace:
        trace: dict[str, Any] | None = row.trace
        thought = str(trace.get("thought", "")) if trace else ""
    else:
        trace, thought = None, row.trace or ""
    cached = CachedRow(
        id=row.id,
        translation=row.translation,
        source_language=row.source_language,
        target_language=row.target_language,
        mode=row.mode,
        engine=row.engine,
        model_id=row.model_id,
        confidence=row.confidence,
        alternatives=tuple((str(a["translation"]), float(a["score"])) for a in row.alternatives),
        thought=thought,
    )
    return StoredHit(cached, trace)


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
        memory_version=record.memory_version,
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
