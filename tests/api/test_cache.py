"""Single-flight: identical requests arriving together run the engine once; failures store
nothing; a caller that goes away does not waste the work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from tests.api.conftest import ConcurrentClientFactory
from tests.api.engines import EchoEngine, echo_translation
from translator.engines.errors import EngineTimeout
from translator.prompting.modes import Mode, Segment
from translator.settings import Settings
from translator.store.database import dispose_engine, make_engine, make_session_factory
from translator.store.models import Translation
from translator.translating.service import TranslateOptions, TranslationService
from translator.translating.translation import PlannedSegment

BODY = {"text": "这件衣服太炸了", "target": "en", "mode": "direct"}


async def _until_called(engine: EchoEngine, calls: int = 1) -> None:
    for _ in range(500):
        if engine.calls >= calls:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the engine was never called")


async def test_identical_concurrent_requests_run_the_engine_once(
    concurrent_client_for: ConcurrentClientFactory,
) -> None:
    engine = EchoEngine(gate=asyncio.Event(), follows_glossary=True)
    async with concurrent_client_for(engine) as client:
        requests = [asyncio.create_task(client.post("/v1/translate", json=BODY)) for _ in range(3)]
        await _until_called(engine)
        await asyncio.sleep(0.2)  # the others arrive while the first is still running
        assert engine.gate is not None
        engine.gate.set()
        answers = [(await r).json()["translations"][0] for r in requests]
    assert engine.calls == 1
    assert {a["id"] for a in answers} == {answers[0]["id"]}
    (translation,) = {a["translation"] for a in answers}
    assert translation.startswith(echo_translation(BODY["text"]))
    assert not any(a["cached"] for a in answers)


async def test_a_failed_run_fails_everyone_waiting_and_stores_nothing(
    concurrent_client_for: ConcurrentClientFactory,
) -> None:
    engine = EchoEngine(gate=asyncio.Event(), follows_glossary=True)
    async with concurrent_client_for(engine) as client:
        requests = [asyncio.create_task(client.post("/v1/translate", json=BODY)) for _ in range(2)]
        await _until_called(engine)
        await asyncio.sleep(0.2)  # the second request joins while the first is still running
        engine.error = EngineTimeout("no answer in 120 s")
        assert engine.gate is not None
        engine.gate.set()
        failures = [await r for r in requests]
        engine.error = None
        retried = (await client.post("/v1/translate", json=BODY)).json()["translations"][0]
    assert [f.status_code for f in failures] == [503, 503]
    assert engine.calls == 2
    assert retried["cached"] is False


@pytest.fixture
async def service_and_sessions(
    settings: Settings,
) -> AsyncIterator[tuple[TranslationService, EchoEngine, Settings]]:
    database = make_engine(settings.database_url)
    engine = EchoEngine(gate=asyncio.Event())
    service = TranslationService(engine, make_session_factory(database), settings)
    yield service, engine, settings
    await service.aclose()
    await dispose_engine(database)


async def test_a_caller_that_goes_away_does_not_cancel_the_shared_work(
    service_and_sessions: tuple[TranslationService, EchoEngine, Settings],
) -> None:
    service, engine, settings = service_and_sessions
    plan = [PlannedSegment(Segment("太炸了", "zh", "en"), None)]
    options = TranslateOptions(mode=Mode.DIRECT)
    leader = asyncio.create_task(service.translate(plan, options))
    await _until_called(engine)
    follower = asyncio.create_task(service.translate(plan, options))
    await asyncio.sleep(0.2)  # the follower looks up the cache, then joins the running work
    leader.cancel()
    assert engine.gate is not None
    engine.gate.set()
    (served,) = await follower
    assert served.shared and not served.cached
    assert engine.calls == 1
    database = make_engine(settings.database_url)
    async with make_session_factory(database)() as session:
        assert await session.scalar(select(func.count()).select_from(Translation)) == 1
    await dispose_engine(database)
    with pytest.raises(asyncio.CancelledError):
        await leader
