"""`TRANSLATOR_DETERMINISTIC`: a served search repeats exactly, warm and under load."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.serving import serve

pytestmark = pytest.mark.e2e

SEARCH = {
    "text": "这双鞋穿起来很舒服，踩屎感，就是有点偏大",
    "target": "en",
    "mode": "mcts",
    "budget": "small",
    "return_trace": True,
    "cache": False,
}
OTHERS = ["这件衣服太炸了", "物流很快，包装也很用心，好评！"]


def _rewards(answer: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Each node's text, confidence and reward, and each alternative's source likelihood."""
    trace = answer["trace"]
    nodes = [(n["text"], n["confidence"], n["rollout_reward"]) for n in trace["nodes"]]
    return nodes + [(a["translation"], a.get("source_logprob")) for a in trace["alternatives"]]


def test_a_seeded_search_repeats_with_other_requests_running(
    tmp_path: Path, model_path: Path
) -> None:
    """The second search finds a warm cache (the first search's prompts and samples) and other
    callers' prompts read and decoded beside it; its tree, rewards and answer stay the same."""
    with serve(tmp_path, model_path, TRANSLATOR_DETERMINISTIC="true") as running:
        client = running.client
        first = client.post("/v1/translate", json=SEARCH)
        assert first.status_code == 200, first.text
        with ThreadPoolExecutor(len(OTHERS) + 1) as pool:
            again = pool.submit(client.post, "/v1/translate", json=SEARCH)
            others = [
                pool.submit(
                    client.post,
                    "/v1/translate",
                    json={"text": text, "target": "en", "mode": "direct", "cache": False},
                )
                for text in OTHERS
            ]
            second = again.result()
            assert all(other.result().status_code == 200 for other in others)
    assert second.status_code == 200, second.text
    (alone,), (loaded,) = first.json()["translations"], second.json()["translations"]
    assert alone["trace"]["budget_used"]["stop_reason"] != "deadline"
    assert loaded["usage"]["cached_prompt_tokens"] > 0
    assert _rewards(loaded) == _rewards(alone)
    assert loaded["translation"] == alone["translation"]
