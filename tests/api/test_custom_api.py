"""The extensions' custom API shape, and the compatible routes in the OpenAPI document."""

from __future__ import annotations

from tests.api.conftest import ClientFactory
from tests.api.engines import echo_translation
from translator.api.app import OPENAPI_PATH

REVIEW = "这件衣服太炸了"


async def test_text_list_answers_translations_in_order(client_for: ClientFactory) -> None:
    body = {
        "source_lang": "auto",
        "target_lang": "en-US",
        "text_list": [REVIEW, "2024", "コスパ最高"],
    }
    async with client_for() as client:
        response = await client.post("/custom/translate", json=body)
        explicit = await client.post(
            "/custom/translate",
            json={"source_lang": "zh-CN", "target_lang": "en", "text_list": ["好"]},
        )
    assert response.status_code == 200
    assert response.json() == {
        "translations": [
            {"detected_source_lang": "zh", "text": echo_translation(REVIEW)},
            {"detected_source_lang": "en", "text": "2024"},
            {"detected_source_lang": "ja", "text": echo_translation("コスパ最高")},
        ]
    }
    assert explicit.json() == {
        "translations": [{"detected_source_lang": "zh", "text": echo_translation("好")}]
    }


async def test_errors_are_problems_naming_the_callers_field(client_for: ClientFactory) -> None:
    async with client_for() as client:
        long = await client.post(
            "/custom/translate", json={"target_lang": "en", "text_list": ["👍", "x" * 2001]}
        )
        missing = await client.post("/custom/translate", json={"text_list": ["好"]})
        language = await client.post(
            "/custom/translate", json={"target_lang": "tlh", "text_list": ["好"]}
        )
    assert long.status_code == 400 and long.json()["field"] == "text_list[1]"
    assert long.headers["content-type"].startswith("application/problem+json")
    assert missing.status_code == 400 and missing.json()["field"] == "target_lang"
    assert language.status_code == 400 and language.json()["field"] == "target_lang"


async def test_the_openapi_document_has_json_and_form_bodies(client_for: ClientFactory) -> None:
    async with client_for() as client:
        paths = (await client.get(f"{OPENAPI_PATH}/openapi.json")).json()["paths"]
    for path, required in [
        ("/translate", {"q", "source", "target"}),
        ("/detect", {"q"}),
        ("/v2/translate", {"text", "target_lang"}),
        ("/custom/translate", {"text_list", "target_lang"}),
    ]:
        content = paths[path]["post"]["requestBody"]["content"]
        assert set(content) == {"application/json", "application/x-www-form-urlencoded"}
        assert set(content["application/json"]["schema"]["required"]) == required
    assert {"/languages", "/frontend/settings", "/v2/languages", "/v2/usage"} <= set(paths)
    assert "456" in paths["/v2/translate"]["post"]["responses"]
