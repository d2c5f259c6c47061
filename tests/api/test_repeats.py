"""Repeated identical requests: answered again from memory, yet counted, limited and never stale."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from tests.api.conftest import ClientFactory
from tests.api.engines import EchoEngine, rendering_terms
from tests.api.keys import bearer, new_key, revoke
from tests.scripted_engine import ScriptedEngine
from translator.api.repeats import RepeatAnswers, RepeatedAnswer, body_key, keepable, request_key
from translator.api.schemas import TranslateRequest
from translator.settings import Settings
from translator.store.keys import KeyLimits

REVIEW = "这件衣服太炸了，穿上显瘦"
BODY: dict[str, Any] = {"text": REVIEW, "target": "en", "mode": "direct"}


async def test_a_repeated_request_gets_the_same_answer_and_is_counted_each_time(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "shop")
    engine = EchoEngine(follows_glossary=True)
    async with client_for(engine) as client:
        first, *repeats = [
            (await client.post("/v1/translate", json=BODY, headers=bearer(key))).json()
            for _ in range(4)
        ]
        usage = (await client.get("/v1/usage", headers=bearer(key))).json()
        record = (await client.get(f"/v1/translations/{first['translations'][0]['id']}")).json()
        metrics = (await client.get("/metrics")).text

    assert engine.calls == 1
    assert not first["translations"][0]["cached"]
    assert all(r == repeats[0] for r in repeats) and repeats[0]["translations"][0]["cached"]
    made_by_engine = {"cached", "usage"}
    assert {k: v for k, v in repeats[0]["translations"][0].items() if k not in made_by_engine} == {
        k: v for k, v in first["translations"][0].items() if k not in made_by_engine
    }
    assert (usage["requests"], usage["cache_hits"], usage["characters"]) == (4, 3, 4 * len(REVIEW))
    assert record["hits"] == 3
    assert 'translator_cache_lookups_total{result="hit"} 3.0' in metrics


async def test_overwriting_a_cached_row_is_seen_by_the_next_repeat(
    client_for: ClientFactory,
) -> None:
    first, second = rendering_terms("First", REVIEW), rendering_terms("Second", REVIEW)
    engine = ScriptedEngine([[first], [second]])
    async with client_for(engine) as client:

        async def translation(body: dict[str, Any]) -> tuple[str, bool]:
            answer = (await client.post("/v1/translate", json=body)).json()["translations"][0]
            return answer["translation"], answer["cached"]

        made, repeated = await translation(BODY), await translation(BODY)
        overwritten = await translation({**BODY, "cache": False})
        after = [await translation(BODY) for _ in range(2)]

    assert (made, repeated) == ((first, False), (first, True))
    assert overwritten == (second, False)
    assert after == [(second, True), (second, True)]


async def test_the_monthly_quota_still_refuses_a_repeated_request(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "metered", KeyLimits(characters_per_month=2 * len(REVIEW)))
    async with client_for() as client:
        statuses = [
            (await client.post("/v1/translate", json=BODY, headers=bearer(key))).status_code
            for _ in range(3)
        ]
    assert statuses == [200, 200, 429]


async def test_requests_that_differ_in_any_field_are_answered_on_their_own(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        plain = [(await client.post("/v1/translate", json=BODY)).json() for _ in range(2)]
        other = {**BODY, "texts": [REVIEW, "好评"], "text": None}
        several = [(await client.post("/v1/translate", json=other)).json() for _ in range(2)]
    assert len(plain[1]["translations"]) == 1
    assert [len(a["translations"]) for a in several] == [2, 2]
    assert several[1]["translations"][1]["text"] == "好评"


def test_requests_with_glossaries_traces_or_no_cache_are_never_kept() -> None:
    assert keepable(TranslateRequest(target="en", text=REVIEW))
    for field in ({"glossary": "shoes"}, {"return_trace": True}, {"cache": False}):
        assert not keepable(TranslateRequest(target="en", text=REVIEW, **field))


def test_keys_name_the_caller_and_never_mistake_a_body_for_a_parsed_request() -> None:
    data = TranslateRequest(target="en", text=REVIEW)
    parsed = request_key("local", data)
    assert parsed != request_key("key-1", data)
    sent = body_key("local", b"", msgspec.json.encode(data))
    assert sent != parsed
    assert sent != body_key("key-1", b"", msgspec.json.encode(data))
    assert sent != body_key("local", b"stream=true", msgspec.json.encode(data))


def test_the_oldest_answers_go_first_and_an_overwrite_drops_them() -> None:
    answers = RepeatAnswers(capacity=2)
    made = [RepeatedAnswer([], [], n, replacements=0) for n in range(3)]
    for n, answer in enumerate(made):
        answers.put(bytes([n]), answer)
    assert answers.get(bytes([0]), 0) is None
    assert answers.get(bytes([1]), 0) is made[1]
    assert answers.get(bytes([2]), replacements=1) is None
    assert answers.get(bytes([2]), replacements=0) is None  # dropped once seen stale


def test_big_requests_take_their_share_of_the_memory_bound() -> None:
    answers = RepeatAnswers(capacity=100, max_bytes=3 * 1000 + 2048 + 3 * 10 + 2048)
    big, small, other = b"b" * 1000, b"s" * 10, b"o" * 10
    for key in (big, small, other):  # the third is over the bound: the oldest goes
        answers.put(key, RepeatedAnswer([], [], 1, replacements=0))
    assert answers.get(big, 0) is None
    assert answers.get(small, 0) is not None and answers.get(other, 0) is not None
    answers.put(b"x" * 10_000, RepeatedAnswer([], [], 1, replacements=0))  # never fits
    assert answers.get(small, 0) is not None and answers.get(other, 0) is not None


async def test_a_repeated_body_is_still_refused_once_its_key_is_revoked_or_over_its_rate(
    client_for: ClientFactory, settings: Settings
) -> None:
    limited = await new_key(settings, "tight", KeyLimits(requests_per_minute=3))
    revoked = await new_key(settings, "old")
    async with client_for() as client:
        statuses = [
            (await client.post("/v1/translate", json=BODY, headers=bearer(limited))).status_code
            for _ in range(4)
        ]
        before = await client.post("/v1/translate", json=BODY, headers=bearer(revoked))
        await revoke(settings, "old")
        after = await client.post("/v1/translate", json=BODY, headers=bearer(revoked))
    assert statuses == [200, 200, 200, 429]
    assert (before.status_code, after.status_code) == (200, 403)


async def test_the_same_body_asking_for_a_stream_still_streams(client_for: ClientFactory) -> None:
    async with client_for() as client:
        for _ in range(2):
            assert (await client.post("/v1/translate", json=BODY)).status_code == 200
        streamed = await client.post("/v1/translate?stream=true", json=BODY)
    assert streamed.headers["content-type"].startswith("text/event-stream")
    assert "event: result" in streamed.text


async def test_the_same_request_written_differently_gets_the_same_answer(
    client_for: ClientFactory,
) -> None:
    compact = json.dumps(BODY, ensure_ascii=False).encode()
    spaced = json.dumps(BODY, indent=2).encode()
    headers = {"content-type": "application/json"}
    async with client_for() as client:
        answers = [
            (await client.post("/v1/translate", content=body, headers=headers)).json()
            for body in (compact, compact, spaced, spaced)
        ]
    assert [a["translations"][0]["cached"] for a in answers] == [False, True, True, True]
    assert answers[1] == answers[2] == answers[3]
