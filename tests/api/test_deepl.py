"""DeepL API v2 subset on the echo engine: shapes field by field, keys, quota, glossaries."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.api.conftest import ClientFactory
from tests.api.engines import EchoEngine, RecordingEngine, echo_translation
from tests.api.keys import bearer, new_key
from translator.engines.errors import EngineUnavailable
from translator.settings import Settings
from translator.store.keys import KeyLimits

REVIEW = "这件衣服太炸了"
JAPANESE = "買ってよかった！コスパ最高"


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"DeepL-Auth-Key {key}"}


def _translations_by_mode(metrics: str) -> dict[str, float]:
    found = re.findall(r'^translator_translations_total\{mode="(\w+)"\} (\S+)$', metrics, re.M)
    return {mode: float(count) for mode, count in found}


async def test_json_answers_translations_with_the_detected_source_language(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        response = await client.post(
            "/v2/translate", json={"text": [REVIEW, JAPANESE], "target_lang": "EN-US"}
        )
    assert response.status_code == 200
    assert response.json() == {
        "translations": [
            {"detected_source_language": "ZH", "text": echo_translation(REVIEW)},
            {"detected_source_language": "JA", "text": echo_translation(JAPANESE)},
        ]
    }


async def test_a_form_with_repeated_text_billed_characters_and_model_type(
    client_for: ClientFactory,
) -> None:
    form = {
        "text": [REVIEW, "👍"],
        "source_lang": "ZH",
        "target_lang": "en-gb",
        "show_billed_characters": "1",
        "model_type": "latency_optimized",
        "formality": "prefer_less",
        "context": "a dress review",
        "split_sentences": "nonewlines",
        "preserve_formatting": "true",
        "outline_detection": "0",
    }
    async with client_for() as client:
        response = await client.post("/v2/translate", data=form)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "translations": [
            {
                "detected_source_language": "ZH",
                "text": echo_translation(REVIEW),
                "billed_characters": len(REVIEW),
                "model_type_used": "latency_optimized",
            },
            {
                "detected_source_language": "ZH",
                "text": "👍",
                "billed_characters": 1,
                "model_type_used": "latency_optimized",
            },
        ]
    }


async def test_the_mode_comes_from_model_type_then_the_key_then_the_setting(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "careful", KeyLimits(default_mode="cot"))
    body = {"text": [REVIEW], "target_lang": "EN-US"}
    async with client_for(compat_mode="direct") as client:
        await client.post("/v2/translate", json=body)
        await client.post("/v2/translate", json={**body, "text": [JAPANESE]}, headers=_auth(key))
        quality = {"text": ["好评"], "model_type": "quality_optimized", "target_lang": "EN-US"}
        searched = await client.post("/v2/translate", json=quality, headers=_auth(key))
        metrics = (await client.get("/metrics")).text
    assert searched.json()["translations"][0]["model_type_used"] == "quality_optimized"
    assert _translations_by_mode(metrics) == {"direct": 1.0, "cot": 1.0, "mcts": 1.0}
    assert (
        'translator_http_requests_total{method="POST",route="/v2/translate",status="200"} 3.0'
        in metrics
    )


async def test_html_tag_handling_keeps_the_markup(client_for: ClientFactory) -> None:
    markup = "<p>踩屎感 <b>绝了</b></p>"
    async with client_for() as client:
        response = await client.post(
            "/v2/translate", json={"text": [markup], "target_lang": "EN-US", "tag_handling": "html"}
        )
    expected = f"<p>{echo_translation('踩屎感')} <b>{echo_translation('绝了')}</b></p>"
    assert response.json()["translations"][0]["text"] == expected


async def test_glossary_id_maps_to_the_keys_user_glossaries(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "shop")
    engine = RecordingEngine()
    async with client_for(engine) as client:
        created = await client.post(
            "/v1/glossaries",
            json={
                "name": "shoes",
                "source": "zh",
                "target": "en",
                "entries": "踩屎感\tcloud steps",
            },
            headers=bearer(key),
        )
        glossary = created.json()["id"]
        body = {"text": ["踩屎感"], "source_lang": "ZH", "target_lang": "EN-US"}
        used = await client.post(
            "/v2/translate", json={**body, "glossary_id": glossary}, headers=_auth(key)
        )
        by_name = await client.post(
            "/v2/translate", json={**body, "glossary_id": "shoes"}, headers=_auth(key)
        )
        anonymous = await client.post("/v2/translate", json={**body, "glossary_id": glossary})
        no_source = await client.post(
            "/v2/translate",
            json={"text": ["踩屎感"], "target_lang": "EN-US", "glossary_id": glossary},
            headers=_auth(key),
        )
        other_pair = await client.post(
            "/v2/translate",
            json={**body, "source_lang": "JA", "glossary_id": glossary},
            headers=_auth(key),
        )
    assert used.status_code == 200 and by_name.status_code == 200
    assert 'In this text, 踩屎感 means "cloud steps".\n' in engine.prompts[0]
    assert anonymous.status_code == 404
    assert anonymous.json() == {"message": f"glossary_id: no glossary '{glossary}'"}
    assert no_source.status_code == 400 and no_source.json()["message"].startswith("source_lang:")
    assert (
        other_pair.status_code == 400
        and "glossary 'shoes' is for zh to en" in other_pair.json()["message"]
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"target_lang": "DE"}, "text: missing parameter"),
        ({"text": [], "target_lang": "DE"}, "text: Parameter 'text' not specified"),
        ({"text": ["a"]}, "target_lang: missing parameter"),
        ({"text": ["a"], "target_lang": "XX"}, "Value for 'target_lang' not supported."),
        ({"text": ["a"], "target_lang": "DE", "source_lang": "XX"}, "Value for 'source_lang'"),
        ({"text": ["a"], "target_lang": "DE", "formality": "loud"}, "formality: Value for"),
        (
            {"text": ["a"], "target_lang": "DE", "formality": "More"},
            "formality: Target language DE",
        ),
        ({"text": ["a"], "target_lang": "DE", "tag_handling": "md"}, "tag_handling: Value for"),
        ({"text": ["a"], "target_lang": "DE", "model_type": "fast"}, "model_type: Value for"),
        ({"text": ["a"], "target_lang": "DE", "split_sentences": "2"}, "split_sentences:"),
        ({"text": ["好", "x" * 2001], "target_lang": "DE"}, "text[1]: text has 2001"),
        ({"text": [REVIEW], "source_lang": "ZH", "target_lang": "ZH-HANS"}, "target_lang: source"),
        ({"text": 3, "target_lang": "DE"}, "text: Expected"),
    ],
)
async def test_bad_input_is_400_with_a_message_naming_the_field(
    client_for: ClientFactory, body: dict[str, Any], message: str
) -> None:
    async with client_for() as client:
        response = await client.post("/v2/translate", json=body)
    assert response.status_code == 400
    assert list(response.json()) == ["message"]
    assert response.json()["message"].startswith(message), response.json()


async def test_too_many_texts_and_too_large_bodies(client_for: ClientFactory) -> None:
    async with client_for(max_texts=2, max_body_bytes=2048) as client:
        many = await client.post(
            "/v2/translate", json={"text": ["a", "b", "c"], "target_lang": "DE"}
        )
        large = await client.post(
            "/v2/translate", json={"text": ["好" * 1500], "target_lang": "EN"}
        )
    assert many.status_code == 400 and many.json()["message"].startswith("text: 3 texts")
    assert large.status_code == 413 and list(large.json()) == ["message"]


async def test_keys_are_403_when_missing_unknown_or_revoked_and_429_over_the_rate(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "plugin", KeyLimits(requests_per_minute=1))
    body = {"text": [REVIEW], "target_lang": "EN-US"}
    async with client_for(api_keys_required=True) as client:
        missing = await client.post("/v2/translate", json=body)
        unknown = await client.post("/v2/translate", json=body, headers=_auth("nope:fx"))
        legacy = await client.post("/v2/translate", data={**body, "auth_key": key})
        limited = await client.post("/v2/translate", json=body, headers=_auth(key))
    assert missing.status_code == 403 and unknown.status_code == 403
    assert unknown.json() == {"message": "unknown API key"}
    assert legacy.status_code == 200
    assert limited.status_code == 429 and limited.headers["retry-after"]


async def test_usage_and_the_monthly_quota_give_456(
    client_for: ClientFactory, settings: Settings
) -> None:
    quota = await new_key(settings, "metered", KeyLimits(characters_per_month=10))
    free = await new_key(settings, "free")
    async with client_for() as client:
        before = await client.get("/v2/usage", headers=_auth(quota))
        first = await client.post(
            "/v2/translate", json={"text": [REVIEW], "target_lang": "EN-US"}, headers=_auth(quota)
        )
        after = await client.get("/v2/usage", headers=_auth(quota))
        over = await client.post(
            "/v2/translate",
            json={"text": ["好评如潮"], "target_lang": "EN-US"},
            headers=_auth(quota),
        )
        ours = await client.post(
            "/v1/translate",
            json={"text": "好评如潮", "target": "en", "mode": "direct"},
            headers=bearer(quota),
        )
        unlimited = await client.get("/v2/usage", headers=_auth(free))
        anonymous = await client.get("/v2/usage")
    assert before.json() == {"character_count": 0, "character_limit": 10}
    assert first.status_code == 200
    assert after.json() == {"character_count": len(REVIEW), "character_limit": 10}
    assert over.status_code == 456 and "7 of its 10 characters" in over.json()["message"]
    assert ours.status_code == 429 and ours.json()["type"].endswith("quota-exceeded")
    assert int(ours.headers["retry-after"]) > 0
    assert unlimited.json() == {"character_count": 0, "character_limit": 1_000_000_000_000}
    # keys are not required here: callers without a valid key are not counted
    assert anonymous.json() == {"character_count": 0, "character_limit": 1_000_000_000_000}


async def test_a_failed_engine_is_503_with_retry_after(client_for: ClientFactory) -> None:
    async with client_for(EchoEngine(error=EngineUnavailable("gpu host down"))) as client:
        response = await client.post("/v2/translate", json={"text": [REVIEW], "target_lang": "DE"})
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    assert response.json() == {"message": "the engine failed: gpu host down"}


async def test_languages_for_source_and_target(client_for: ClientFactory) -> None:
    async with client_for() as client:
        source = await client.get("/v2/languages")
        target = await client.get("/v2/languages", params={"type": "target"})
        # the official library sends `type` as a form body, even on GET
        form_get = await client.request(
            "GET", "/v2/languages", content=b"type=target",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        form_post = await client.post("/v2/languages", data={"type": "target"})
        bad = await client.get("/v2/languages", params={"type": "both"})
    sources = {item["language"]: item for item in source.json()}
    assert all(set(item) == {"language", "name"} for item in sources.values())
    assert sources["ZH"] == {"language": "ZH", "name": "Chinese"}
    assert {"EN", "JA", "DE", "PT"} <= set(sources) and "ZH-HANT" not in sources
    targets = {item["language"]: item for item in target.json()}
    assert all(item["supports_formality"] is False for item in targets.values())
    assert {"EN-US", "EN-GB", "PT-BR", "PT-PT", "ZH", "ZH-HANS", "ZH-HANT", "JA"} <= set(targets)
    assert "EN" not in targets and "PT" not in targets
    assert targets["EN-US"]["name"] == "English (American)"
    assert form_get.json() == target.json() == form_post.json()
    assert bad.status_code == 400 and bad.json()["message"].startswith("type:")


async def test_forms_must_be_utf8_and_body_fields_win_over_the_query(
    client_for: ClientFactory,
) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    async with client_for() as client:
        encoded = await client.post(
            "/v2/translate", content=b"text=%FF&target_lang=DE", headers=form
        )
        raw = await client.post("/v2/translate", content=b"text=\xff&target_lang=DE", headers=form)
        merged = await client.post(
            "/v2/translate?target_lang=XX&text=ignored",
            content="text=好&text=好评&target_lang=EN-US".encode(),
            headers=form,
        )
    assert encoded.status_code == raw.status_code == 400
    assert encoded.json()["message"].startswith("body: the form is not valid UTF-8")
    texts = [t["text"] for t in merged.json()["translations"]]
    assert texts == [echo_translation("好"), echo_translation("好评")]


async def test_context_is_told_to_the_model_not_translated_and_keyed_apart(
    client_for: ClientFactory,
) -> None:
    engine = RecordingEngine()
    body = {"text": ["它很软"], "source_lang": "ZH", "target_lang": "EN-US"}
    async with client_for(engine, max_text_chars=20) as client:
        with_context = await client.post("/v2/translate", json={**body, "context": "这双拖鞋"})
        again = await client.post("/v2/translate", json={**body, "context": "这双拖鞋"})
        without = await client.post("/v2/translate", json=body)
        too_long = await client.post("/v2/translate", json={**body, "context": "鞋" * 21})
    answers = [r.json()["translations"][0]["text"] for r in (with_context, again, without)]
    assert answers == [echo_translation("它很软")] * 3  # the context itself is not translated
    assert len(engine.prompts) == 2  # the repeat was a hit; no context is another key
    assert "do not translate the context):\n这双拖鞋\n\n" in engine.prompts[0]
    assert "Context" not in engine.prompts[1]
    assert too_long.status_code == 400
    assert too_long.json() == {"message": "context: context has 21 characters; the limit is 20"}


async def test_english_and_portuguese_variants_are_told_apart_and_cached_apart(
    client_for: ClientFactory,
) -> None:
    engine = RecordingEngine(follows_glossary=True)
    async with client_for(engine) as client:
        for target in ("EN-GB", "EN-US", "EN-GB", "PT-PT", "PT-BR"):
            response = await client.post(
                "/v2/translate", json={"text": [REVIEW], "source_lang": "ZH", "target_lang": target}
            )
            assert response.status_code == 200
        plain = await client.post(
            "/v1/translate", json={"text": REVIEW, "target": "en", "mode": "direct"}
        )
    assert len(engine.prompts) == 5  # the repeated EN-GB was a hit; plain en is its own key
    british, american, portuguese, brazilian, neither = engine.prompts
    assert "- Write British English" in british and "American" not in british
    assert "- Write American English" in american
    assert "- Write European Portuguese" in portuguese
    assert "- Write Brazilian Portuguese" in brazilian
    assert "British" not in neither and "American" not in neither
    assert plain.json()["translations"][0]["target_language"] == "en"


async def test_context_can_be_left_out_of_the_prompt_by_setting(
    client_for: ClientFactory,
) -> None:
    engine = RecordingEngine()
    body = {"text": ["它很软"], "source_lang": "ZH", "target_lang": "EN-US"}
    async with client_for(engine, use_context=False, max_text_chars=20) as client:
        with_context = await client.post("/v2/translate", json={**body, "context": "这双拖鞋"})
        without = await client.post("/v2/translate", json=body)
        too_long = await client.post("/v2/translate", json={**body, "context": "鞋" * 21})
    assert with_context.json() == without.json()
    assert len(engine.prompts) == 1 and "Context" not in engine.prompts[0]  # one key for both
    assert too_long.status_code == 400  # still checked
