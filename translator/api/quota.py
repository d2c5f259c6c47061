"""Per-key usage: characters counted per request, and the monthly quotas checked against them.

A key made with `--chars-per-month` may translate that many characters per UTC calendar month;
a request that would go over is refused before any engine work (DeepL's API answers it with
456, ours and LibreTranslate's with 429 and `Retry-After` until the next month).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from litestar.connection import ASGIConnection

from translator.api.auth import caller_key
from translator.api.state import AppState
from translator.store.keys import add_usage, characters_since
from translator.store.models import ApiKey

__all__ = [
    "UNLIMITED_CHARACTERS",
    "MonthUsage",
    "QuotaExceeded",
    "check_quota",
    "month_usage",
    "record_usage",
]

UNLIMITED_CHARACTERS = 1_000_000_000_000
"""The limit shown for keys without a quota (the figure DeepL shows for unlimited plans)."""


class QuotaExceeded(Exception):
    """The key's characters for this month are used up."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


@dataclass(frozen=True, slots=True)
class MonthUsage:
    characters: int
    limit: int
    start: datetime
    end: datetime


def _month(now: datetime) -> tuple[datetime, datetime]:
    start = datetime(now.year, now.month, 1, tzinfo=UTC)
    end = datetime(now.year + now.month // 12, now.month % 12 + 1, 1, tzinfo=UTC)
    return start, end


async def month_usage(app_state: AppState, key: ApiKey) -> MonthUsage:
    """The key's characters so far this UTC month, and its quota."""
    start, end = _month(datetime.now(UTC))
    async with app_state.sessions() as session:
        used = await characters_since(session, key.id, start.date())
    return MonthUsage(used, key.characters_per_month or UNLIMITED_CHARACTERS, start, end)


async def check_quota(app_state: AppState, key: ApiKey | None, characters: int) -> None:
    """Raise `QuotaExceeded` when `characters` more would take the key over its quota."""
    if key is None or key.characters_per_month is None:
        return
    usage = await month_usage(app_state, key)
    if usage.characters + characters > usage.limit:
        wait = max(1, int((usage.end - datetime.now(UTC)).total_seconds()))
        raise QuotaExceeded(
            f"the key {key.name!r} has used {usage.characters} of its {usage.limit} characters "
            f"this month; this request has {characters}",
            retry_after_s=wait,
        )


async def record_usage(
    app_state: AppState,
    connection: ASGIConnection[Any, Any, Any, Any],
    characters: int,
    cache_hit: bool,
) -> None:
    """Add one request to the caller's key (anonymous requests are not counted)."""
    key = caller_key(connection)
    if key is None:
        return
    async with app_state.sessions() as session, session.begin():
        await add_usage(session, key.id, characters, cache_hit)
