"""API keys for route tests, written straight into the test's database."""

from __future__ import annotations

from translator.settings import Settings
from translator.store.database import dispose_engine, make_engine, make_session_factory
from translator.store.keys import KeyLimits, create_key, revoke_key


async def new_key(settings: Settings, name: str, limits: KeyLimits | None = None) -> str:
    """Create a key named `name` and return its plaintext."""
    database = make_engine(settings.database_url)
    async with make_session_factory(database)() as session, session.begin():
        _, plaintext = await create_key(session, name, limits or KeyLimits())
    await dispose_engine(database)
    return plaintext


async def revoke(settings: Settings, name: str) -> None:
    """Revoke the key named `name`."""
    database = make_engine(settings.database_url)
    async with make_session_factory(database)() as session, session.begin():
        assert await revoke_key(session, name)
    await dispose_engine(database)


def bearer(key: str) -> dict[str, str]:
    """The header that sends `key`."""
    return {"Authorization": f"Bearer {key}"}
