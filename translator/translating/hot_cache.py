"""Keeps cache hits off the database: recent rows in memory, hit counts written in batches.

A cached translation never changes under its key (only `cache=false` replaces it, through the
same process, which updates the memory too), so recent rows can answer repeats without a
query. Hit counts are added up in memory and written about once a second in one transaction,
instead of one write transaction per hit, which on SQLite serialises every request behind the
single writer; on a SQLite file that transaction runs in one worker-thread call
(`translator.store.writes`), so it holds the write lock only for its statements. Counts still
pending when the process dies are lost; they are statistics.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, OrderedDict
from typing import cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from translator.store.models import Translation
from translator.store.repository import CachedRow
from translator.store.writes import writes

__all__ = ["HitCounter", "RecentTranslations"]

_table = cast(Table, Translation.__table__)
_ADD_HITS = (
    update(_table)
    .where(_table.c.id == bindparam("row_id"))
    .values(hit_count=_table.c.hit_count + bindparam("hits"))
)
"""One statement for all pending counts (executemany): one database round trip per flush."""

logger = logging.getLogger(__name__)


class RecentTranslations:
    """The most recently used rows by cache key (least recently used ones are dropped)."""

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = capacity
        self._rows: OrderedDict[str, CachedRow] = OrderedDict()

    def get(self, key: str) -> CachedRow | None:
        row = self._rows.get(key)
        if row is not None:
            self._rows.move_to_end(key)
        return row

    def discard(self, key: str) -> None:
        self._rows.pop(key, None)

    def put(self, key: str, row: CachedRow) -> None:
        self._rows[key] = row
        self._rows.move_to_end(key)
        while len(self._rows) > self._capacity:
            self._rows.popitem(last=False)


class HitCounter:
    """Hit counts added up in memory and written in one transaction per interval."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], interval_s: float = 1.0) -> None:
        self._writes = writes(sessions)
        self._interval_s = interval_s
        self._pending: Counter[str] = Counter()
        self._task: asyncio.Task[None] | None = None

    def add(self, translation_id: str) -> None:
        self._pending[translation_id] += 1
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._flush_later())

    async def flush(self) -> None:
        """Write the pending counts now (a failed write keeps them for the next flush)."""
        if not self._pending:
            return
        pending, self._pending = self._pending, Counter()
        rows = [{"row_id": row_id, "hits": hits} for row_id, hits in pending.items()]
        try:
            await self._writes.run(lambda session: session.execute(_ADD_HITS, rows))
        except (SQLAlchemyError, OSError) as error:
            logger.warning("hit counts not written yet: %s", str(error).splitlines()[0])
            self._pending.update(pending)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.flush()
        self._writes.close()

    async def _flush_later(self) -> None:
        await asyncio.sleep(self._interval_s)
        await self.flush()
