"""`translator serve` on loopback with the real embedded model, driven over HTTP like a client."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.e2e.serving import HAN

pytestmark = pytest.mark.e2e

REVIEW = "这件衣服太炸了"


def _engine_calls(client: httpx.Client) -> float:
    metrics = client.get("/metrics").text
    match = re.search(r"^translator_engine_calls_total (\S+)$", metrics, re.MULTILINE)
    assert match, metrics
    return float(match.group(1))


def test_translate_hit_the_cache_and_look_at_the_search_trace(server: httpx.Client) -> None:
    body = {"text": REVIEW, "target": "en", "mode": "direct"}
    first = server.post("/v1/translate", json=body)
    assert first.status_code == 200, first.text
    (fresh,) = first.json()["translations"]
    assert fresh["cached"] is False and fresh["engine"] == "embedded"
    assert fresh["translation"] and not HAN.search(fresh["translation"])
    assert fresh["usage"]["generated_tokens"] > 0

    calls = _engine_calls(server)
    (again,) = server.post("/v1/translate", json=body).json()["translations"]
    assert again["cached"] is True and again["id"] == fresh["id"]
    assert again["translation"] == fresh["translation"]
    assert again["usage"]["calls"] == 0
    assert _engine_calls(server) == calls  # the hit did no engine work
    (repeated,) = server.post("/v1/translate", json=body).json()["translations"]
    assert repeated == again  # the third asks exactly the same: the kept answer
    assert _engine_calls(server) == calls

    record = server.get(f"/v1/translations/{fresh['id']}").json()
    assert (record["text"], record["translation"], record["hits"]) == (
        REVIEW,
        fresh["translation"],
        2,
    )

    slang = "这双鞋穿起来很舒服，踩屎感"
    search = {
        "text": slang,
        "target": "en",
        "mode": "mcts",
        "budget": "small",
        "rollouts": 1,
        "alternatives": 3,
        "return_trace": True,
    }
    response = server.post("/v1/translate", json=search)
    assert response.status_code == 200, response.text
    (searched,) = response.json()["translations"]
    assert searched["mode"] == "mcts" and searched["translation"]
    assert len(searched["trace"]["nodes"]) >= 2, searched["trace"]["budget_used"]

    trace = server.get(f"/v1/translations/{searched['id']}/trace").json()
    assert trace["nodes"] == searched["trace"]["nodes"]
    page = server.get(f"/traces/{searched['id']}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<!doctype html>" in page.text and slang in page.text
    assert searched["trace"]["qa"] == searched["qa"]  # the chosen answer's findings
    assert "<h2>QA checks</h2>" in page.text
    # The served search chose by consensus-source: every candidate's source likelihood was read.
    assert trace["config"]["selection"] == "consensus-source"
    likelihoods = [a.get("source_logprob") for a in trace["alternatives"]]
    assert likelihoods and all(value is not None and value < 0 for value in likelihoods)
    assert page.text.count("source log-prob -") == len(likelihoods)
    # The small budget's pool holds the direct answer with example-bank pairs shown, too.
    assert any("examples" in a["flags"] for a in trace["alternatives"])


def test_glossary_hints_reach_the_model_and_versions_refresh_the_cache(
    server: httpx.Client,
) -> None:
    created = server.post(
        "/v1/glossaries",
        json={
            "name": "shoes",
            "source": "zh",
            "target": "en",
            "entries": "小白鞋\twhite sneakers\n踩屎感\tmarshmallow comfort\n",
        },
    )
    assert created.status_code == 201, created.text
    glossary_id = created.json()["id"]
    body = {
        "text": "这双小白鞋踩屎感很强，性价比高",
        "target": "en",
        "mode": "direct",
        "glossary": glossary_id,
    }
    (first,) = server.post("/v1/translate", json=body).json()["translations"]
    terms = {term["term"]: term for term in first["terms"]}
    assert set(terms) == {"小白鞋", "踩屎感", "性价比"}
    assert terms["踩屎感"]["origin"] == glossary_id
    assert terms["性价比"]["origin"] == "builtin"
    assert "marshmallow" in first["translation"].lower()
    assert terms["踩屎感"]["status"] == "preferred"

    (again,) = server.post("/v1/translate", json=body).json()["translations"]
    assert again["cached"] is True and again["terms"] == first["terms"]

    replaced = server.put(
        f"/v1/glossaries/{glossary_id}/entries",
        json={"entries": [{"source": "踩屎感", "target": "cloud-soft cushioning"}]},
    )
    assert replaced.status_code == 200 and replaced.json()["version"] == 2
    (fresh,) = server.post("/v1/translate", json=body).json()["translations"]
    assert fresh["cached"] is False
    assert {t["term"]: t["preferred"] for t in fresh["terms"]}["踩屎感"] == [
        "cloud-soft cushioning"
    ]

    page = server.get(f"/traces/{fresh['id']}")
    assert page.status_code == 200
    assert "Glossary terms" in page.text and "cloud-soft cushioning" in page.text
