"""A remote engine that fails during a search, for real: the app talks to a fake SGLang server
on loopback (`tests/fake_sglang.py`) that drops the connection, answers malformed JSON, a 500
or a 503 after the search's first call. The answer is a 503 with `Retry-After`, nothing is
cached, and once the server is well again the next request is translated and stored once."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.loopback import serve_in_thread
from tests.fake_sglang import FakeSGLang, Fault
from tests.integration.faults import (
    REVIEW,
    copy_migrated,
    migrate_template,
    sqlite_rows,
    wait_until_ready,
    wait_until_ready_sync,
)
from translator.api import create_app
from translator.settings import EngineKind, Settings

SEARCH = {"text": REVIEW, "target": "en", "mode": "mcts", "budget": "small", "rollouts": 4}
"""A search of three engine calls on the fake server (the first answered, then the fault)."""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrate_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def fake() -> FakeSGLang:
    return FakeSGLang()


@pytest.fixture
async def served(
    fake: FakeSGLang, template: Path, tmp_path: Path
) -> AsyncIterator[tuple[AsyncTestClient[Litestar], str]]:
    """A client of the app on the fake server, and the app's database URL."""
    database = copy_migrated(template, tmp_path)
    with fake.serve() as url:
        settings = Settings(
            engine=EngineKind.SGLANG,
            engine_url=url,  # type: ignore[arg-type]
            engine_timeout_s=10,
            database_url=database,
            cache_dir=tmp_path,
        )
        async with AsyncTestClient(create_app(settings), timeout=60) as client:
            await wait_until_ready(client)
            yield client, database


@pytest.mark.parametrize("fault", list(Fault), ids=lambda fault: fault.value)
async def test_an_engine_failing_mid_search_is_a_503_that_caches_nothing(
    served: tuple[AsyncTestClient[Litestar], str], fake: FakeSGLang, fault: Fault
) -> None:
    client, database = served
    fake.fail(fault, after=1)
    response = await client.post("/v1/translate", json=SEARCH)
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == ("7" if fault is Fault.OVERLOADED else "5")
    assert response.json()["type"].startswith("urn:translator:problem:engine-")
    assert fake.generate_calls >= 2 and fake.failed_calls >= 1  # it failed during the search
    assert sqlite_rows(database, "translations") == 0

    fake.heal()
    calls = fake.generate_calls
    again = await client.post("/v1/translate", json=SEARCH)
    assert again.status_code == 200, again.text
    assert again.json()["translations"][0]["cached"] is False
    assert fake.generate_calls > calls
    third = await client.post("/v1/translate", json=SEARCH)
    assert third.json()["translations"][0]["cached"] is True
    assert sqlite_rows(database, "translations") == 1


def test_a_client_leaving_a_streamed_search_leaves_it_to_finish_and_be_stored_once(
    fake: FakeSGLang, template: Path, tmp_path: Path
) -> None:
    database = copy_migrated(template, tmp_path)
    with fake.serve() as url:
        settings = Settings(
            engine=EngineKind.SGLANG,
            engine_url=url,  # type: ignore[arg-type]
            database_url=database,
            cache_dir=tmp_path,
        )
        with (
            serve_in_thread(create_app(settings)) as (host, port),
            httpx.Client(base_url=f"http://{host}:{port}", timeout=60) as client,
        ):
            wait_until_ready_sync(client)
            fake.hold()
            with client.stream("POST", "/v1/translate?stream=true", json=SEARCH) as events:
                assert events.status_code == 200
                fake.wait_until_held()  # the search is under way; the client now goes
            _wait_until_the_stream_ended(client)  # the server saw the client go
            calls = fake.generate_calls
            fake.release()
            for _ in range(300):
                if sqlite_rows(database, "translations"):
                    break
                time.sleep(0.1)
            assert fake.generate_calls > calls  # the search went on after the client left
            again = client.post("/v1/translate", json=SEARCH)
            assert again.json()["translations"][0]["cached"] is True, again.text
            time.sleep(0.5)
    assert sqlite_rows(database, "translations") == 1
    assert sqlite_rows(database, "traces") == 1


def _wait_until_the_stream_ended(client: httpx.Client) -> None:
    """The streamed request is counted once its handling ended: with the engine call still
    held, only the client's disconnect can have ended it."""
    counted = 'translator_http_requests_total{method="POST",route="/v1/translate",status="200"}'
    for _ in range(100):
        if counted in client.get("/metrics").text:
            return
        time.sleep(0.1)
    raise AssertionError("the server went on streaming to a client that had left")
