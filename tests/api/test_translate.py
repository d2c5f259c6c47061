"""POST /v1/translate and the stored records, on a scripted engine and a real SQLite."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import ClientFactory
from tests.api.engines import EchoEngine, echo_translation, heeded_translation, rendering_terms
from tests.scripted_engine import ScriptedEngine

REVIEW = "这件衣服太炸了"


async def test_a_repeated_request_is_served_from_the_cache_without_engine_work(
    client_for: ClientFactory,
) -> None:
    engine = EchoEngine(follows_glossary=True)
    async with client_for(engine) as client:
        body = {"text": REVIEW, "target": "en", "mode": "direct"}
        first = (await client.post("/v1/translate", json=body)).json()["translations"][0]
        second_response = await client.post("/v1/translate", json=body)
        record = (await client.get(f"/v1/translations/{first['id']}")).json()

    assert second_response.status_code == 200
    second = second_response.json()["translations"][0]
    assert engine.calls == 1
    assert first["translation"] == heeded_translation(REVIEW)
    assert (first["cached"], second["cached"]) == (False, True)
    assert second["id"] == first["id"]
    assert second["translation"] == first["translation"]
    assert second["usage"]["calls"] == 0 and second["usage"]["generated_tokens"] == 0
    assert first["usage"]["calls"] == 1
    assert first["source_language"] == "zh" and first["detection_confidence"] > 0.9
    assert record["text"] == REVIEW and record["hits"] == 1 and record["mode"] == "direct"
    assert record["translation"] == first["translation"]
    assert record["trace_page_url"] == f"/traces/{first['id']}"


async def test_several_texts_come_back_in_order_each_with_its_language(
    client_for: ClientFactory,
) -> None:
    texts = [
        REVIEW,
        "買ってよかった！コスパ最高",
        "Ce vendeur est vraiment sérieux, le colis est arrivé très vite et bien emballé.",
    ]
    async with client_for() as client:
        response = await client.post(
            "/v1/translate", json={"texts": texts, "target": "en", "mode": "cot"}
        )
    answers = response.json()["translations"]
    assert [a["text"] for a in answers] == texts
    assert [a["source_language"] for a in answers] == ["zh", "ja", "fr"]
    assert [a["translation"] for a in answers] == [echo_translation(t) for t in texts]
    assert all(a["thought"] == "The seller means it." for a in answers)


async def test_search_returns_alternatives_and_its_trace_which_is_stored(
    client_for: ClientFactory,
) -> None:
    body: dict[str, Any] = {
        "text": REVIEW,
        "target": "en",
        "mode": "mcts",
        "budget": "small",
        "rollouts": 2,
        "alternatives": 3,
        "return_trace": True,
        "builtin_glossary": False,  # the echo answer would miss 太炸了 and lower the score
    }
    async with client_for() as client:
        fresh = (await client.post("/v1/translate", json=body)).json()["translations"][0]
        cached = (await client.post("/v1/translate", json=body)).json()["translations"][0]
        stored = (await client.get(f"/v1/translations/{fresh['id']}/trace")).json()
        page = await client.get(f"/traces/{fresh['id']}")

    assert fresh["mode"] == "mcts" and fresh["translation"] == echo_translation(REVIEW)
    assert fresh["alternatives"] == [{"translation": fresh["translation"], "score": 0.9048}]
    assert fresh["trace"]["budget_used"]["rollouts"] == 2
    assert stored["nodes"] == fresh["trace"]["nodes"]
    assert cached["cached"] is True
    assert cached["trace"]["nodes"] == fresh["trace"]["nodes"]
    assert cached["thought"] == fresh["thought"] == "The seller means it."
    assert cached["alternatives"] == fresh["alternatives"]
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert REVIEW in page.text and "The seller means it." in page.text
    assert fresh["qa"] == cached["qa"] == stored["qa"] == []
    assert "QA checks" in page.text and "No findings." in page.text


async def test_every_answer_carries_its_qa_findings_fresh_or_cached(
    client_for: ClientFactory,
) -> None:
    listing = "#Product2#2,180円(税込)"
    engine = ScriptedEngine(
        [
            ["2,180 yen (tax included)"],  # loses the placeholder: retried once, naming it
            [" 2,180 yen incl. tax 🎉"],  # starts after the placeholder; adds an emoji: kept
            ["So comfortable"],
            ["Plain praise.\n</Thought>\n<Output>So comfy, 2 pairs"],
        ]
    )
    body = {"text": listing, "target": "en", "source": "ja", "mode": "direct"}
    async with client_for(engine) as client:
        (fresh,) = (await client.post("/v1/translate", json=body)).json()["translations"]
        (clean,) = (await client.post("/v1/translate", json={**body, "text": "超舒服"})).json()[
            "translations"
        ]
        (cached,) = (await client.post("/v1/translate", json=body)).json()["translations"]
        page = (await client.get(f"/traces/{fresh['id']}")).status_code
        (reasoned,) = (
            await client.post("/v1/translate", json={**body, "text": "超舒服", "mode": "cot"})
        ).json()["translations"]
        thought_page = (await client.get(f"/traces/{reasoned['id']}")).text

    retry_prompt = engine.calls[1][0][0]
    assert "must keep these" in retry_prompt and retry_prompt.endswith("<Output>#Product2#")
    assert fresh["translation"] == "#Product2# 2,180 yen incl. tax 🎉"
    assert fresh["usage"]["calls"] == 2
    extra_emoji = {
        "kind": "emoji",
        "problem": "extra",
        "severity": "warning",
        "source": None,
        "start": None,
        "end": None,
        "found": "🎉",
    }
    assert fresh["qa"] == [extra_emoji]
    assert clean["qa"] == []
    assert cached["cached"] is True and cached["qa"] == [extra_emoji]
    assert page == 404  # a direct answer without glossary terms keeps no trace
    assert [f["found"] for f in reasoned["qa"]] == ["2"]  # a number the source never had
    assert "Plain praise." in thought_page and "<h2>QA checks</h2>" in thought_page


async def test_a_placeholder_lost_even_after_the_retry_is_put_back_in_every_mode(
    client_for: ClientFactory,
) -> None:
    template = "{name}様、ご注文ありがとうございます"
    shipped = "ご注文{order}は本日発送しました"
    engine = ScriptedEngine(
        [
            ["Your order shipped today"],  # direct: loses the placeholder
            ["Your order was shipped today!"],  # the retry, naming it, loses it again
            ["Your order went out today"] * 4,  # and so do the sampled answers
            ["Polite.\n</Thought>\n<Output>Thank you, {nombre}, for your order"],  # cot
            ["Polite.\n</Thought>\n<Output>Thank you, {nombre}, for your order"],  # its retry
            ["Polite.\n</Thought>\n<Output>Thanks, {nombre}, for the order"] * 4,
        ]
    )
    body = {"text": template, "target": "en", "source": "ja"}
    async with client_for(engine) as client:
        (direct,) = (
            await client.post("/v1/translate", json={**body, "text": shipped, "mode": "direct"})
        ).json()["translations"]
        (cot,) = (await client.post("/v1/translate", json={**body, "mode": "cot"})).json()[
            "translations"
        ]
        (cached,) = (
            await client.post("/v1/translate", json={**body, "text": shipped, "mode": "direct"})
        ).json()["translations"]

    assert direct["usage"]["calls"] == 3  # the answer, a greedy retry, the sampled answers
    assert direct["translation"] == "Your {order} order shipped today"  # the first kept
    assert cot["translation"] == "Thank you, {name}, for your order"
    assert cached["cached"] is True and cached["translation"] == direct["translation"]
    assert direct["qa"] == cot["qa"] == cached["qa"] == []


async def test_a_lost_list_item_number_is_put_back_in_front_without_a_retry(
    client_for: ClientFactory,
) -> None:
    engine = ScriptedEngine([["SF Express"]])
    body = {"text": "2）顺丰快递", "source": "zh", "target": "en", "mode": "direct"}
    async with client_for(engine) as client:
        (answer,) = (await client.post("/v1/translate", json=body)).json()["translations"]
    assert answer["translation"] == "2) SF Express"
    assert answer["qa"] == []
    assert answer["usage"]["calls"] == 1  # no retry for what the repair mends


async def test_the_trace_page_escapes_everything_the_model_wrote(
    client_for: ClientFactory,
) -> None:
    hostile = "<script>alert(1)</script>"
    engine = ScriptedEngine(
        [
            [
                rendering_terms(f"Direct {hostile}", "踩屎感")
            ],  # the direct answer the pool starts from
            [rendering_terms(f"{hostile} thought\n</Thought>\n<Output>Cot {hostile}", "踩屎感")],
            [rendering_terms(f"Examples {hostile}", "踩屎感")],  # bank examples shown
            [f"{hostile} first\n</Thought>\n<Output>Cloud {hostile}"],  # the one rollout
        ]
    )
    body = {"text": "踩屎感", "target": "en", "mode": "mcts", "budget": "small", "rollouts": 1}
    async with client_for(engine) as client:
        answer = (await client.post("/v1/translate", json=body)).json()["translations"][0]
        page = (await client.get(f"/traces/{answer['id']}")).text

    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


async def test_cache_false_runs_again_and_replaces_the_cached_answer(
    client_for: ClientFactory,
) -> None:
    first_answer, second_answer = (
        rendering_terms("First", REVIEW),
        rendering_terms("Second", REVIEW),
    )
    engine = ScriptedEngine([[first_answer], [second_answer]])
    body = {"text": REVIEW, "target": "en", "mode": "direct"}
    async with client_for(engine) as client:
        first = (await client.post("/v1/translate", json=body)).json()["translations"][0]
        fresh = (await client.post("/v1/translate", json={**body, "cache": False})).json()[
            "translations"
        ][0]
        again = (await client.post("/v1/translate", json=body)).json()["translations"][0]

    assert (first["translation"], first["cached"]) == (first_answer, False)
    assert (fresh["translation"], fresh["cached"]) == (second_answer, False)
    assert (again["translation"], again["cached"]) == (second_answer, True)
    assert first["id"] == fresh["id"] == again["id"]
    assert len(engine.calls) == 2


async def test_html_keeps_markup_and_translates_each_text_run(client_for: ClientFactory) -> None:
    markup = (
        "<p class=\"review\" data-id='7'>太好看了 <b>买它</b>！</p>"
        '<script>var note = "不要翻译";</script><span translate="no">品牌名</span>'
    )
    body = {"text": markup, "target": "en", "mode": "direct", "format": "html"}
    async with client_for() as client:
        first = (await client.post("/v1/translate", json=body)).json()["translations"][0]
        again = (await client.post("/v1/translate", json=body)).json()["translations"][0]

    expected = (
        f"<p class=\"review\" data-id='7'>{echo_translation('太好看了')} "
        f"<b>{echo_translation('买它')}</b>！</p>"
        '<script>var note = "不要翻译";</script><span translate="no">品牌名</span>'
    )
    assert first["translation"] == expected
    assert first["id"] is None and len(first["segments"]) == 2
    assert first["source_language"] == "zh"
    assert again["cached"] is True and again["translation"] == first["translation"]
    assert again["segments"] == first["segments"]


async def test_detect_languages_health_and_ready(client_for: ClientFactory) -> None:
    async with client_for() as client:
        detected = await client.post("/v1/detect", json={"texts": [REVIEW, "買ってよかった"]})
        languages = await client.get("/v1/languages")
        health = await client.get("/health")
        ready = await client.get("/ready")

    assert [d["language"] for d in detected.json()["detections"]] == ["zh", "ja"]
    codes = [language["code"] for language in languages.json()["languages"]]
    assert "zh-Hant" in codes and "en" in codes
    assert health.json() == {"status": "ok"}
    assert ready.json() == {
        "status": "ready",
        "engine": "echo",
        "model": "echo-model",
        "database": "ok",
    }


async def test_metrics_count_requests_cache_hits_tokens_and_rollouts(
    client_for: ClientFactory,
) -> None:
    body = {"text": REVIEW, "target": "en", "mode": "mcts", "budget": "small", "rollouts": 2}
    async with client_for() as client:
        await client.post("/v1/translate", json=body)
        await client.post("/v1/translate", json=body)
        metrics = (await client.get("/metrics")).text

    assert (
        'translator_http_requests_total{method="POST",route="/v1/translate",status="200"} 2.0'
        in (metrics)
    )
    assert 'translator_cache_lookups_total{result="hit"} 1.0' in metrics
    assert 'translator_cache_lookups_total{result="miss"} 1.0' in metrics
    assert "translator_search_rollouts_total 2.0" in metrics
    assert 'translator_engine_tokens_total{kind="generated"}' in metrics
    assert "translator_http_request_duration_seconds_bucket" in metrics
