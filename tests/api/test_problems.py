"""Every bad input and every fault answers with RFC 9457 problem details, never a 500."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.api.conftest import ClientFactory
from tests.api.engines import EchoEngine
from translator.api import create_app
from translator.engines.errors import EngineOverloaded, EngineUnavailable, ModelFileError
from translator.engines.protocol import Engine
from translator.settings import Settings

OK = b'"target":"en","mode":"direct"'


def _assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["type"].startswith("urn:translator:problem:")
    assert problem["title"] and problem["detail"]
    if field is not None:
        assert problem["field"] == field, problem
    return problem


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"target":"en","text":', "body"),  # malformed JSON
        (b"not json at all", "body"),
        (b"", "body"),
        (b"[1, 2]", "body"),
        (b'{"target":5,"text":"hi"}', "target"),  # wrong types
        (b'{"target":"en","texts":["ok", 7]}', "texts[1]"),
        (b'{"target":"en","text":"ok","alternatives":"many"}', "alternatives"),
        (b'{"target":"en","text":"ok","mode":"guess"}', "mode"),
        (b'{"target":"en","text":"ok","budget":"huge"}', "budget"),
        (b'{"target":"en","text":"ok","format":"xml"}', "format"),  # unsupported format
        (b'{"target":"en","text":"ok","colour":"red"}', "colour"),  # unknown field
        (b'{"target":"en","text":"\xff\xfe bad"}', "text"),  # invalid UTF-8
        (b'{"target":"en","texts":["fine","\xc3\x28"]}', "texts[1]"),
        (b'{"target":"en","text":"   \\n\\t"}', "text"),  # whitespace only
        (b'{"target":"en","text":""}', "text"),
        (b'{"target":"en","texts":[]}', "texts"),
        (b'{"target":"en"}', "text"),
        (b'{"target":"en","text":"a","texts":["b"]}', "texts"),
        (b'{"target":"xx","text":"hello there"}', "target"),  # unknown language
        (b'{"target":"en","source":"klingon","text":"hello"}', "source"),
        (b'{"target":"en","source":"en-US","text":"hello"}', "target"),  # same languages
        (b'{"target":"en","text":"ok","glossary":"slang"}', "glossary"),
        (b'{"target":"en","text":"<br>","format":"html"}', "text"),  # no text in HTML
        (b'{"target":"en","text":"bin\\u0000ary"}', "text"),
    ],
)
async def test_bad_input_is_a_400_naming_the_field(
    client_for: ClientFactory, body: bytes, field: str
) -> None:
    async with client_for() as client:
        response = await client.post(
            "/v1/translate", content=body, headers={"content-type": "application/json"}
        )
    problem = _assert_problem(response, 400, field)
    assert problem["instance"] == "/v1/translate"


async def test_configured_limits_name_the_field(client_for: ClientFactory) -> None:
    async with client_for(max_text_chars=10, max_texts=2) as client:
        too_long = await client.post(
            "/v1/translate", json={"target": "en", "text": "这件衣服真的太炸了太好看了"}
        )
        too_many = await client.post(
            "/v1/translate", json={"target": "en", "texts": ["一", "二", "三"]}
        )
        detect_long = await client.post("/v1/detect", json={"texts": ["这件衣服", "x" * 11]})
    assert "limit is 10" in _assert_problem(too_long, 400, "text")["detail"]
    assert "at most 2" in _assert_problem(too_many, 400, "texts")["detail"]
    _assert_problem(detect_long, 400, "texts[1]")


async def test_a_body_over_the_size_limit_is_413(client_for: ClientFactory) -> None:
    async with client_for(max_body_bytes=2048) as client:
        response = await client.post("/v1/translate", json={"target": "en", "text": "字" * 2000})
    _assert_problem(response, 413)


async def test_unknown_routes_and_records_are_404(client_for: ClientFactory) -> None:
    async with client_for() as client:
        route = await client.get("/v2/nothing")
        record = await client.get("/v1/translations/no-such-id")
        trace = await client.get("/v1/translations/no-such-id/trace")
        page = await client.get("/traces/no-such-id")
        method = await client.delete("/v1/translate")
    for response in (route, record, trace, page):
        _assert_problem(response, 404)
    _assert_problem(method, 405)


@pytest.mark.parametrize(
    ("error", "retry_after"),
    [
        (EngineUnavailable("connection refused by gpu-host:30000"), "5"),
        (EngineOverloaded("queue full", retry_after=7.2), "7"),
    ],
)
async def test_engine_failures_are_503_with_retry_after(
    client_for: ClientFactory, error: Exception, retry_after: str
) -> None:
    async with client_for(EchoEngine(error=error)) as client:
        response = await client.post(
            "/v1/translate", json={"target": "en", "text": "太炸了", "mode": "direct"}
        )
        ready = await client.get("/ready")
    _assert_problem(response, 503)
    assert response.headers["retry-after"] == retry_after
    _assert_problem(ready, 503)


async def test_a_database_without_its_tables_is_503_not_500(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    async with AsyncTestClient(create_app(settings, EchoEngine())) as client:
        response = await client.post(
            "/v1/translate", json={"target": "en", "text": "太炸了", "mode": "direct"}
        )
        ready = await client.get("/ready")
        record = await client.get("/v1/translations/some-id")
    for answer in (response, record):
        _assert_problem(answer, 503)
        assert answer.headers["retry-after"] == "5"
    _assert_problem(ready, 503)


async def test_requests_wait_for_the_model_with_503_then_are_served(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = threading.Event()

    def slow_engine(_settings: Settings) -> Engine:
        loaded.wait(timeout=30)
        return EchoEngine()

    monkeypatch.setattr("translator.api.state.create_engine", slow_engine)
    body = {"target": "en", "text": "太炸了", "mode": "direct"}
    async with AsyncTestClient(create_app(settings)) as client:
        loading = await client.post("/v1/translate", json=body)
        not_ready = await client.get("/ready")
        alive = await client.get("/health")
        loaded.set()
        for _ in range(100):
            if (await client.get("/ready")).status_code == 200:
                break
        served = await client.post("/v1/translate", json=body)
    assert "still loading" in _assert_problem(loading, 503)["detail"]
    assert loading.headers["retry-after"] == "5"
    _assert_problem(not_ready, 503)
    assert alive.status_code == 200
    assert served.status_code == 200


async def test_a_model_that_cannot_load_is_503_without_retry_after(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_settings: Settings) -> Engine:
        raise ModelFileError("model file is truncated")

    monkeypatch.setattr("translator.api.state.create_engine", broken)
    async with AsyncTestClient(create_app(settings)) as client:
        for _ in range(100):
            response = await client.post("/v1/translate", json={"target": "en", "text": "太炸了"})
            if "truncated" in response.text:
                break
    assert "truncated" in _assert_problem(response, 503)["detail"]
    assert "retry-after" not in response.headers
