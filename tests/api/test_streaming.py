"""`?stream=true`: server-sent progress events while a search runs, then the result."""

from __future__ import annotations

import json
from typing import Any

from tests.api.conftest import ClientFactory
from tests.api.engines import EchoEngine
from tests.scripted_engine import ScriptedEngine
from translator.engines.errors import EngineUnavailable

BODY = {"text": "踩屎感", "target": "en", "mode": "mcts", "budget": "small"}
"""The small budget: the direct and cot answers, then one wave of two rollouts."""


def _events(body: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if line and ": " in line)
        if "event" in fields:
            events.append((fields["event"], json.loads(fields["data"])))
    return events


async def test_search_progress_streams_before_the_result(client_for: ClientFactory) -> None:
    engine = ScriptedEngine(
        [
            ["Cloud-like comfort"],  # the direct answer the pool starts from
            ["Slang for soft soles.\n</Thought>\n<Output>Cloud-like comfort"],  # and cot's
            ["Cloud-like comfort"],  # and the direct answer with bank examples shown
            [
                "Step A.\n</Thought>\n<Output>Cloud-like comfort",
                ("Step B.\n</Thought>\n<Output>Soft cushioning", -0.2),
            ],
        ]
    )
    # Without the built-in glossary: its check would flag these answers and add reflections.
    body = {**BODY, "text": "这双鞋穿起来很舒服，踩屎感", "builtin_glossary": False}
    async with client_for(engine) as client:
        response = await client.post("/v1/translate?stream=true", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    assert [kind for kind, _ in events] == ["progress", "result"]
    progress = events[0][1]
    assert (progress["index"], progress["rollouts"], progress["max_rollouts"]) == (0, 2, 2)
    assert progress["best"]["translation"] == "Cloud-like comfort"
    assert progress["generated_tokens"] > 0
    (answer,) = events[-1][1]["translations"]
    assert answer["translation"] == "Cloud-like comfort" and answer["id"]


async def test_a_cached_answer_streams_just_the_result(client_for: ClientFactory) -> None:
    async with client_for() as client:
        await client.post("/v1/translate", json=BODY)
        response = await client.post("/v1/translate?stream=true", json=BODY)
    events = _events(response.text)
    assert [kind for kind, _ in events] == ["result"]
    assert events[0][1]["translations"][0]["cached"] is True


async def test_failures_after_the_stream_started_are_error_events(
    client_for: ClientFactory,
) -> None:
    async with client_for(EchoEngine(error=EngineUnavailable("gpu host down"))) as client:
        failed = await client.post("/v1/translate?stream=true", json=BODY)
        invalid = await client.post("/v1/translate?stream=true", json={**BODY, "text": " "})
    ((kind, problem),) = _events(failed.text)
    assert kind == "error" and problem["status"] == 503
    assert problem["type"] == "urn:translator:problem:engine-unavailable"
    assert invalid.status_code == 400 and invalid.json()["field"] == "text"
