"""API keys: creation (plaintext shown once), verification, revocation, and daily usage.

Only the SHA-256 of a key is stored, so a leaked database does not leak usable keys. Usage is
one row per key and UTC day, updated with a single upsert so that concurrent requests add up
instead of overwriting each other.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Executable, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlalchemy.sql.elements import KeyedColumnElement

from translator.store.models import ApiKey, KeyUsage, new_id, utc_now

__all__ = [
    "KEY_PREFIX",
    "DuplicateKeyName",
    "KeyLimits",
    "add_usage",
    "characters_since",
    "create_key",
    "find_key",
    "get_usage",
    "hash_key",
    "list_keys",
    "revoke_key",
    "verify_key",
]

KEY_PREFIX = "tr_"
"""Marks translator keys, so that they are recognisable in configs and secret scanners."""
DISPLAY_CHARS = 8


class DuplicateKeyName(Exception):
    """A key with this name exists already (names stay taken after revocation)."""


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class KeyLimits:
    """What a key may do beyond the global settings; None everywhere means the settings'."""

    requests_per_minute: int | None = None
    default_mode: str | None = None
    default_budget: str | None = None
    characters_per_month: int | None = None
    default_memory: str | None = None
    """The name of the key's own translation memory used when a request names none."""


async def create_key(
    session: AsyncSession, name: str, limits: KeyLimits = KeyLimits()
) -> tuple[ApiKey, str]:
    """A new key and its plaintext, which is not stored and cannot be shown again."""
    plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        id=new_id(),
        name=name,
        key_hash=hash_key(plaintext),
        prefix=plaintext[:DISPLAY_CHARS],
        created_at=utc_now(),
        requests_per_minute=limits.requests_per_minute,
        default_mode=limits.default_mode,
        default_budget=limits.default_budget,
        characters_per_month=limits.characters_per_month,
        default_memory=limits.default_memory,
    )
    try:
        async with session.begin_nested():
            session.add(key)
    except IntegrityError as error:
        raise DuplicateKeyName(f"a key named {name!r} exists already") from error
    return key, plaintext


async def find_key(session: AsyncSession, plaintext: str) -> ApiKey | None:
    """The key with this plaintext, revoked or not; None for an unknown key.

    Keys are found by their displayed prefix, which is no secret, and the hashes compared with
    `hmac.compare_digest`, so that the time a check takes tells nothing of how close a guess
    came (a database comparison of the hashes stops at the first differing character).
    """
    digest = hash_key(plaintext)
    candidates = await session.scalars(
        select(ApiKey).where(ApiKey.prefix == plaintext[:DISPLAY_CHARS])
    )
    found = None
    for candidate in candidates:
        if hmac.compare_digest(candidate.key_hash, digest):
            found = candidate
    return found


async def verify_key(session: AsyncSession, plaintext: str) -> ApiKey | None:
    """The active key with this plaintext; None for unknown and revoked keys."""
    key = await find_key(session, plaintext)
    return key if key is not None and key.revoked_at is None else None


async def revoke_key(session: AsyncSession, name: str) -> bool:
    """Revoke the named key; False when there is no active key of that name."""
    statement = (
        update(ApiKey)
        .where(ApiKey.name == name, ApiKey.revoked_at.is_(None))
        .values(revoked_at=utc_now())
    )
    result = cast(CursorResult[Any], await session.execute(statement))
    return bool(result.rowcount == 1)


async def list_keys(session: AsyncSession) -> Sequence[ApiKey]:
    """All keys, revoked ones included, oldest first."""
    result = await session.execute(select(ApiKey).order_by(ApiKey.created_at, ApiKey.name))
    return result.scalars().all()


async def add_usage(
    session: AsyncSession,
    key_id: str,
    characters: int,
    cache_hit: bool,
    day: date | None = None,
) -> None:
    """Add one request to the key's usage for `day` (default: today, UTC) in one statement.

    `INSERT ... ON CONFLICT DO UPDATE` exists on both SQLite and PostgreSQL but is built by
    each dialect's own `insert`, so the statement is made for the session's backend.
    """
    values: dict[str, Any] = {
        "key_id": key_id,
        "day": day or datetime.now(UTC).date(),
        "characters": characters,
        "requests": 1,
        "cache_hits": int(cache_hit),
    }
    await session.execute(_usage_upsert(session.get_bind().dialect.name, values))


_COUNTERS = ("characters", "requests", "cache_hits")


def _usage_upsert(dialect: str, values: dict[str, Any]) -> Executable:
    if dialect == "postgresql":
        pg = postgresql.insert(KeyUsage).values(values)
        return pg.on_conflict_do_update(
            index_elements=[KeyUsage.key_id, KeyUsage.day], set_=_added(pg.excluded)
        )
    if dialect == "sqlite":
        lite = sqlite.insert(KeyUsage).values(values)
        return lite.on_conflict_do_update(
            index_elements=[KeyUsage.key_id, KeyUsage.day], set_=_added(lite.excluded)
        )
    raise NotImplementedError(f"usage upsert is not written for {dialect}")


def _added(
    excluded: ReadOnlyColumnCollection[str, KeyedColumnElement[Any]],
) -> dict[str, ColumnElement[Any]]:
    """Each counter plus the value the rejected insert carried."""
    return {name: getattr(KeyUsage, name) + excluded[name] for name in _COUNTERS}


async def characters_since(session: AsyncSession, key_id: str, first_day: date) -> int:
    """Characters the key translated from `first_day` (UTC) on: a quota period so far."""
    total = await session.scalar(
        select(func.coalesce(func.sum(KeyUsage.characters), 0)).where(
            KeyUsage.key_id == key_id, KeyUsage.day >= first_day
        )
    )
    return int(total or 0)


async def get_usage(session: AsyncSession, key_id: str, day: date) -> KeyUsage | None:
    """The key's usage row for one day, or None when it made no requests that day."""
    result = await session.execute(
        select(KeyUsage)
        .where(KeyUsage.key_id == key_id, KeyUsage.day == day)
        .execution_options(populate_existing=True)
    )
    return result.scalar_one_or_none()
