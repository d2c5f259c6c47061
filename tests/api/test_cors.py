"""CORS: the browser extension's origins may call the API, with or without keys; web pages not."""

from __future__ import annotations

import pytest

from tests.api.conftest import ClientFactory
from tests.api.keys import new_key
from translator.settings import Settings
from translator.store.keys import KeyLimits

CHROME = "chrome-extension://" + "abcdefghijklmnopabcdefghijklmnop"
FIREFOX = "moz-extension://0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
BODY = {"texts": ["这件衣服太炸了"], "target": "en", "mode": "direct"}


def _preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-api-key",
    }


@pytest.mark.parametrize("origin", [CHROME, FIREFOX])
async def test_preflight_passes_without_a_key_even_where_keys_are_required(
    client_for: ClientFactory, origin: str
) -> None:
    async with client_for(api_keys_required=True) as client:
        response = await client.options("/v1/translate", headers=_preflight(origin))
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == origin
    allowed = {h.strip() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"x-api-key", "authorization", "content-type"} <= allowed
    assert "POST" in response.headers["access-control-allow-methods"]


async def test_keyed_calls_and_their_refusals_are_readable_by_the_extension(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "extension", KeyLimits(requests_per_minute=1))
    async with client_for(api_keys_required=True) as client:
        missing = await client.post("/v1/translate", json=BODY, headers={"Origin": CHROME})
        allowed = await client.post(
            "/v1/translate", json=BODY, headers={"Origin": CHROME, "X-API-Key": key}
        )
        limited = await client.post(
            "/v1/translate", json=BODY, headers={"Origin": CHROME, "X-API-Key": key}
        )
    assert missing.status_code == 401
    assert allowed.status_code == 200 and allowed.json()["translations"][0]["translation"]
    assert limited.status_code == 429
    for response in (missing, allowed, limited):
        assert response.headers["access-control-allow-origin"] == CHROME
    assert "retry-after" in limited.headers["access-control-expose-headers"].lower()


async def test_anonymous_calls_from_the_extension_work_when_keys_are_off(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        response = await client.post("/v1/translate", json=BODY, headers={"Origin": FIREFOX})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == FIREFOX


@pytest.mark.parametrize(
    "origin",
    ["https://shop.example", "http://127.0.0.1:8000", "chrome-extension://short", "null"],
)
async def test_web_pages_and_malformed_origins_get_no_cors(
    client_for: ClientFactory, origin: str
) -> None:
    async with client_for() as client:
        preflight = await client.options("/v1/translate", headers=_preflight(origin))
        call = await client.post("/v1/translate", json=BODY, headers={"Origin": origin})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    assert call.status_code == 200  # served (CORS binds browsers), but not readable by the page
    assert "access-control-allow-origin" not in call.headers
