"""The hostile-input corpus (`tests/api/hostile.py`) against every route of the app: no answer
is a 5xx, none is counted as one in `/metrics`, and the app still translates afterwards."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ClientFactory
from tests.api.engines import echo_translation
from tests.api.hostile import bodies, field_values, path_segments, query_strings, server_errors

Client = AsyncTestClient[Litestar]

_PARAMETER = re.compile(r"\{[^}]+\}")
_BODY_METHODS = ("POST", "PUT", "DELETE", "GET")
VALID_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/v1/translate"): {"target": "en", "text": "这件衣服太炸了", "mode": "direct"},
    ("POST", "/v1/detect"): {"texts": ["这件衣服太炸了"]},
    ("POST", "/v1/glossaries"): {
        "name": "slang",
        "source": "zh",
        "target": "en",
        "entries": [{"source": "太炸了", "target": "awesome", "variants": [], "meaning": ""}],
    },
    ("PUT", "/v1/glossaries/{glossary_id:str}/entries"): {
        "entries": [{"source": "太炸了", "target": "awesome"}],
        "entries_format": "tsv",
    },
    ("POST", "/translate"): {"q": "太炸了", "source": "zh", "target": "en", "format": "text"},
    ("POST", "/detect"): {"q": "太炸了"},
    ("POST", "/v2/translate"): {"text": ["太炸了"], "target_lang": "EN", "source_lang": "ZH"},
    ("POST", "/v2/languages"): {"type": "target"},
    ("POST", "/custom/translate"): {"text_list": ["太炸了"], "target_lang": "en"},
}
"""A valid body per route that reads JSON, whose fields each get every hostile value."""


def _routes(app: Litestar) -> Iterator[tuple[str, str]]:
    """(method, path template) of every route, OPTIONS included."""
    for route in app.routes:
        for method in sorted(getattr(route, "methods", ())):
            yield method, route.path


def _url(template: str, segment: str = "x") -> str:
    return _PARAMETER.sub(segment, template)


async def _assert_still_serving(client: Client) -> None:
    assert (await client.get("/health")).status_code == 200
    response = await client.post(
        "/v1/translate", json={"target": "en", "text": "这件衣服太炸了", "mode": "direct"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["translations"][0]["translation"] == echo_translation("这件衣服太炸了")
    errors = server_errors((await client.get("/metrics")).text)
    assert not errors, errors


async def test_no_hostile_body_gets_a_server_error_on_any_route(
    client_for: ClientFactory,
) -> None:
    corpus = list(bodies())
    failures = []
    async with client_for() as client:
        routes = [(m, p) for m, p in _routes(client.app) if m in _BODY_METHODS]
        for method, template in routes:
            for body in corpus:
                headers = {"content-type": body.content_type} if body.content_type else {}
                response = await client.request(
                    method, _url(template), content=body.content, headers=headers
                )
                if response.status_code >= 500:
                    failures.append(f"{method} {template} {body.name}: {response.text[:200]}")
        assert not failures, "\n".join(failures[:20])
        await _assert_still_serving(client)


async def test_no_hostile_path_or_query_gets_a_server_error(client_for: ClientFactory) -> None:
    failures = []
    async with client_for() as client:
        for method, template in _routes(client.app):
            urls = [_url(template, segment) for segment in path_segments()]
            urls += [f"{_url(template)}?{query}" for query in query_strings()]
            for url in urls:
                response = await client.request(method, url)
                if response.status_code >= 500:
                    failures.append(f"{method} {url[:120]}: {response.text[:200]}")
        for path in ("/v1/../v1/translate", "/%2e%2e/etc/passwd", "/v1//glossaries"):
            response = await client.get(path)
            if response.status_code >= 500:
                failures.append(f"GET {path[:100]}: {response.status_code}")
        assert not failures, "\n".join(failures[:20])
        await _assert_still_serving(client)


async def test_no_hostile_value_in_any_field_gets_a_server_error(
    client_for: ClientFactory,
) -> None:
    failures = []
    async with client_for() as client:
        created = await client.post("/v1/glossaries", json=VALID_BODIES["POST", "/v1/glossaries"])
        assert created.status_code == 201, created.text
        glossary = created.json()["id"]
        for (method, template), valid in VALID_BODIES.items():
            url = _url(template, glossary)
            for field in valid:
                for name, value in field_values():
                    body = {**valid, field: value}
                    response = await client.request(method, url, json=body)
                    if response.status_code >= 500:
                        failures.append(f"{method} {template} {field}={name}: {response.text}")
                    if template == "/v1/glossaries" and response.status_code == 201:
                        await client.delete(f"/v1/glossaries/{response.json()['id']}")
        assert not failures, "\n".join(failures[:20])
        await _assert_still_serving(client)
