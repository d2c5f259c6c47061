"""Keys and field placement on the compatible routes, as their originals treat them.

A keyless server ignores a key it does not know on the LibreTranslate, DeepL and custom routes
(client libraries always send one), while `/v1` keeps checking every key it is sent. Every
LibreTranslate route takes its fields as JSON, as a form, or as query parameters on a POST.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.api.conftest import ClientFactory
from tests.api.engines import echo_translation
from tests.api.keys import bearer, new_key, revoke
from translator.settings import Settings
from translator.store.keys import KeyLimits

REVIEW = "这件衣服太炸了"
PLACEHOLDER = "placeholder"
_FORM = {"content-type": "application/x-www-form-urlencoded"}


async def test_a_keyless_server_ignores_unknown_keys_on_compatible_routes_only(
    client_for: ClientFactory, settings: Settings
) -> None:
    revoked = await new_key(settings, "old")
    await revoke(settings, "old")
    libre = {"q": REVIEW, "source": "zh", "target": "en"}
    deepl = {"text": [REVIEW], "target_lang": "EN-US"}
    async with client_for() as client:
        answers = [
            await client.post("/translate", json={**libre, "api_key": PLACEHOLDER}),
            await client.post("/translate", data={**libre, "api_key": revoked}),
            await client.post("/detect", json={"q": REVIEW, "api_key": PLACEHOLDER}),
            await client.post(
                "/v2/translate", json=deepl, headers={"Authorization": "DeepL-Auth-Key x:fx"}
            ),
            await client.post("/v2/translate", data={**deepl, "auth_key": PLACEHOLDER}),
            await client.post(
                "/custom/translate",
                json={"target_lang": "en", "text_list": [REVIEW]},
                headers=bearer(PLACEHOLDER),
            ),
        ]
        usage = await client.get("/v2/usage", headers={"Authorization": "DeepL-Auth-Key x:fx"})
        native = await client.post(
            "/v1/translate", json={"text": REVIEW, "target": "en"}, headers=bearer(PLACEHOLDER)
        )
    assert [a.status_code for a in answers] == [200] * len(answers), [a.text for a in answers]
    assert answers[0].json() == {"translatedText": echo_translation(REVIEW)}
    assert usage.json() == {"character_count": 0, "character_limit": 1_000_000_000_000}
    assert native.status_code == 401  # ours: a key that is sent is checked


async def test_a_valid_key_still_counts_on_a_keyless_server(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "plugin", KeyLimits(characters_per_month=10))
    async with client_for() as client:
        first = await client.post(
            "/translate", json={"q": REVIEW, "source": "zh", "target": "en", "api_key": key}
        )
        over = await client.post(
            "/translate", json={"q": REVIEW, "source": "zh", "target": "en", "api_key": key}
        )
        usage = await client.get("/v2/usage", headers={"Authorization": f"DeepL-Auth-Key {key}"})
    assert first.status_code == 200
    assert over.status_code == 429 and over.json()["error"].startswith("Slowdown:")
    assert usage.json() == {"character_count": len(REVIEW), "character_limit": 10}


@pytest.mark.parametrize("where", ["json", "form", "query"])
async def test_every_libretranslate_route_reads_json_forms_and_query_parameters(
    client_for: ClientFactory, where: str
) -> None:
    async def post(path: str, fields: dict[str, str]) -> dict[str, object] | list[object]:
        with_key = {**fields, "api_key": PLACEHOLDER}
        if where == "json":
            response = await client.post(path, json=with_key)
        elif where == "form":
            response = await client.post(path, content=urlencode(with_key), headers=_FORM)
        else:
            response = await client.post(f"{path}?{urlencode(with_key)}")
        assert response.status_code == 200, response.text
        body: dict[str, object] | list[object] = response.json()
        return body

    async with client_for(default_memory="fixes") as client:
        translated = await post("/translate", {"q": REVIEW, "source": "auto", "target": "en"})
        detected = await post("/detect", {"q": REVIEW})
        suggested = await post(
            "/suggest", {"q": REVIEW, "s": "Stunning", "source": "zh", "target": "en"}
        )
        remembered = await post("/translate", {"q": REVIEW, "source": "zh", "target": "en"})
    assert isinstance(translated, dict) and translated["translatedText"] == echo_translation(REVIEW)
    assert translated["detectedLanguage"] == {
        "confidence": pytest.approx(97.5, abs=2.5),
        "language": "zh-Hans",
    }
    assert isinstance(detected, list) and detected[0]["language"] == "zh-Hans"  # type: ignore[index]
    assert suggested == {"success": True}
    assert remembered == {"translatedText": "Stunning"}


async def test_query_fields_name_the_field_when_they_are_wrong(client_for: ClientFactory) -> None:
    async with client_for() as client:
        missing = await client.post(f"/translate?{urlencode({'q': REVIEW, 'source': 'zh'})}")
        unknown = await client.post(
            f"/translate?{urlencode({'q': REVIEW, 'source': 'zh', 'target': 'xx'})}"
        )
    assert missing.status_code == 400 and missing.json() == {"error": "target: missing parameter"}
    assert unknown.status_code == 400 and unknown.json()["error"].startswith("target:")
