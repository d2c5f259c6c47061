"""API keys: optional by default, enforced when configured; per-key rate limits and usage."""

from __future__ import annotations

import pytest

from tests.api.conftest import ClientFactory
from tests.api.keys import bearer, new_key, revoke
from translator.settings import Settings
from translator.store.keys import KeyLimits

BODY = {"text": "这件衣服太炸了", "target": "en", "mode": "direct"}


async def test_required_keys_are_checked_401_unknown_403_revoked(
    client_for: ClientFactory, settings: Settings
) -> None:
    good = await new_key(settings, "shop")
    revoked = await new_key(settings, "old")
    await revoke(settings, "old")
    async with client_for(api_keys_required=True) as client:
        missing = await client.post("/v1/translate", json=BODY)
        unknown = await client.post("/v1/translate", json=BODY, headers=bearer("tr_nope"))
        gone = await client.post("/v1/translate", json=BODY, headers={"X-API-Key": revoked})
        allowed = await client.post("/v1/translate", json=BODY, headers=bearer(good))
        health = await client.get("/health")

    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert unknown.status_code == 401
    assert gone.status_code == 403 and "revoked" in gone.json()["detail"]
    assert allowed.status_code == 200
    assert health.status_code == 200


async def test_without_the_setting_anonymous_calls_pass_and_keys_are_still_checked(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        anonymous = await client.post("/v1/translate", json=BODY)
        unknown = await client.post("/v1/translate", json=BODY, headers=bearer("tr_nope"))
        usage = await client.get("/v1/usage")
    assert anonymous.status_code == 200
    assert unknown.status_code == 401
    assert usage.status_code == 401


async def test_a_key_over_its_rate_limit_gets_429_with_retry_after(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "tight", KeyLimits(requests_per_minute=2))
    async with client_for() as client:
        statuses = [
            (await client.get("/v1/languages", headers=bearer(key))).status_code for _ in range(3)
        ]
        limited = await client.get("/v1/languages", headers=bearer(key))
    assert statuses == [200, 200, 429]
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["type"] == "urn:translator:problem:rate-limited"


async def test_usage_counts_characters_requests_and_cache_hits_of_the_callers_key(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "counted")
    other = await new_key(settings, "other")
    async with client_for() as client:
        for _ in range(2):
            await client.post("/v1/translate", json=BODY, headers=bearer(key))
        await client.post("/v1/translate", json=BODY, headers=bearer(other))
        usage = (await client.get("/v1/usage", headers=bearer(key))).json()
        bad_day = await client.get("/v1/usage?day=yesterday", headers=bearer(key))
    assert usage["key"] == "counted"
    assert (usage["requests"], usage["cache_hits"]) == (2, 1)
    assert usage["characters"] == 2 * len(BODY["text"])
    assert usage["requests_per_minute"] == settings.rate_limit_per_minute
    assert bad_day.status_code == 400


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
async def test_both_key_headers_work(
    client_for: ClientFactory, settings: Settings, header: str
) -> None:
    key = await new_key(settings, f"via-{header}")
    value = f"Bearer {key}" if header == "Authorization" else key
    async with client_for(api_keys_required=True) as client:
        response = await client.get("/v1/languages", headers={header: value})
    assert response.status_code == 200
