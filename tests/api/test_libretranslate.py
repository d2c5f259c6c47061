"""LibreTranslate's API (1.9) on the echo engine: shapes field by field, codes, errors, keys."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pytest

from tests.api.conftest import ClientFactory
from tests.api.engines import EchoEngine, echo_translation
from tests.api.keys import bearer, new_key
from tests.scripted_engine import confident_tokens
from translator.engines.errors import EngineUnavailable
from translator.engines.types import GenerationResult, SamplingParams
from translator.settings import Settings
from translator.store.keys import KeyLimits

REVIEW = "这件衣服太炸了"
JAPANESE = "買ってよかった！コスパ最高"


class VaryingEngine(EchoEngine):
    """Each sample of a prompt answers differently, so a search finds alternatives."""

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        result = await super().generate(prompts, params)
        varied = []
        for number, completion in enumerate(result.completions):
            text = completion.text + ("" if number % params.n == 0 else f" v{number % params.n}")
            tokens = confident_tokens(text, -0.1 - 0.05 * (number % params.n))
            varied.append(dataclasses.replace(completion, text=text, tokens=tokens))
        return dataclasses.replace(result, completions=varied)


async def test_json_with_auto_detection_answers_translated_text_and_detected_language(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        response = await client.post(
            "/translate", json={"q": REVIEW, "source": "auto", "target": "en"}
        )
    assert response.status_code == 200
    assert response.json() == {
        "translatedText": echo_translation(REVIEW),
        "detectedLanguage": {"confidence": pytest.approx(97.5, abs=2.5), "language": "zh-Hans"},
    }


async def test_a_form_with_a_named_source_has_no_detected_language(
    client_for: ClientFactory,
) -> None:
    form = {"q": JAPANESE, "source": "ja", "target": "en", "format": "text", "alternatives": "2"}
    async with client_for() as client:
        response = await client.post("/translate", data=form)
    assert response.status_code == 200
    # alternatives were asked for: the key is there, empty because `direct` finds none
    assert response.json() == {"translatedText": echo_translation(JAPANESE), "alternatives": []}


async def test_a_list_answers_per_text_and_passes_emoji_through(client_for: ClientFactory) -> None:
    body = {"q": [REVIEW, "👍 100%", JAPANESE, "  "], "source": "auto", "target": "en"}
    async with client_for() as client:
        response = await client.post("/translate", json=body)
    assert response.status_code == 200
    assert response.json() == {
        "translatedText": [echo_translation(REVIEW), "👍 100%", echo_translation(JAPANESE), "  "],
        "detectedLanguage": [
            {"confidence": pytest.approx(97.5, abs=2.5), "language": "zh-Hans"},
            {"confidence": 0.0, "language": "en"},
            {"confidence": 100.0, "language": "ja"},
            {"confidence": 0.0, "language": "en"},
        ],
    }


async def test_alternatives_come_from_the_search_without_the_answer_itself(
    client_for: ClientFactory,
) -> None:
    body = {"q": [REVIEW, JAPANESE], "source": "auto", "target": "en", "alternatives": 3}
    async with client_for(VaryingEngine(), compat_mode="mcts") as client:
        answer = (await client.post("/translate", json=body)).json()
    assert len(answer["alternatives"]) == 2
    for translated, alternatives in zip(
        answer["translatedText"], answer["alternatives"], strict=True
    ):
        assert alternatives and translated not in alternatives
        assert len(set(alternatives)) == len(alternatives) <= 3


@pytest.mark.parametrize(
    ("source", "target", "text"),
    [("zt", "en", "這件衣服太炸了"), ("zh-Hant", "en", "這件衣服"), ("en", "pb", "great value")],
)
async def test_libretranslate_codes_are_accepted(
    client_for: ClientFactory, source: str, target: str, text: str
) -> None:
    async with client_for() as client:
        response = await client.post(
            "/translate", json={"q": text, "source": source, "target": target}
        )
    assert response.status_code == 200, response.text
    assert response.json() == {"translatedText": echo_translation(text)}


async def test_html_keeps_the_markup(client_for: ClientFactory) -> None:
    markup = '<p class="r">踩屎感 <b>绝了</b></p>'
    async with client_for() as client:
        response = await client.post(
            "/translate", json={"q": markup, "source": "zh", "target": "en", "format": "html"}
        )
    translated = response.json()["translatedText"]
    assert translated == (
        f'<p class="r">{echo_translation("踩屎感")} <b>{echo_translation("绝了")}</b></p>'
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"source": "zh", "target": "en"}, "q: missing"),
        ({"q": "", "source": "zh", "target": "en"}, "q: missing"),
        ({"q": [], "source": "zh", "target": "en"}, "q: missing"),
        ({"q": REVIEW, "target": "en"}, "source: missing"),
        ({"q": REVIEW, "source": "zh"}, "target: missing"),
        ({"q": REVIEW, "source": "xx", "target": "en"}, "source: unsupported language 'xx'"),
        ({"q": REVIEW, "source": "zh", "target": "zh"}, "target: source and target"),
        ({"q": REVIEW, "source": "zh", "target": "en", "format": "pdf"}, "format: 'pdf'"),
        ({"q": REVIEW, "source": "zh", "target": "en", "alternatives": "x"}, "alternatives:"),
        ({"q": 5, "source": "zh", "target": "en"}, "q: Expected `str | array`"),
        ({"q": ["好", "x" * 2001], "source": "auto", "target": "en"}, "q[1]: text has 2001"),
        ({"q": ["", "\x00a"], "source": "auto", "target": "en"}, "q[1]: text contains a control"),
    ],
)
async def test_bad_input_is_400_with_an_error_naming_the_field(
    client_for: ClientFactory, body: dict[str, Any], message: str
) -> None:
    async with client_for() as client:
        response = await client.post("/translate", json=body)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    (error,) = response.json().values()
    assert list(response.json()) == ["error"] and error.startswith(message), error


async def test_malformed_bodies_are_400(client_for: ClientFactory) -> None:
    async with client_for() as client:
        array = await client.post("/translate", content=b"[1]", headers=_JSON)
        broken = await client.post("/translate", content=b'{"q": ', headers=_JSON)
        latin1 = await client.post("/translate", content=b'{"q": "\xff"}', headers=_JSON)
    for response in (array, broken, latin1):
        assert response.status_code == 400 and response.json()["error"].startswith("body:")


_JSON = {"content-type": "application/json"}


async def test_keys_follow_libretranslate_codes(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "plugin", KeyLimits(requests_per_minute=3))
    body = {"q": REVIEW, "source": "zh", "target": "en"}
    async with client_for(api_keys_required=True) as client:
        missing = await client.post("/translate", json=body)
        unknown = await client.post("/translate", json={**body, "api_key": "tr_nope"})
        allowed = await client.post("/translate", data={**body, "api_key": key})
        as_header = await client.post("/translate", json=body, headers={"X-API-Key": key})
        usage = await client.get("/v1/usage", headers=bearer(key))
        limited = await client.post("/translate", json={**body, "api_key": key})
    assert missing.status_code == 400 and "api_key" in missing.json()["error"]
    assert unknown.status_code == 403 and unknown.json() == {"error": "unknown API key"}
    assert allowed.status_code == 200 and as_header.status_code == 200
    assert limited.status_code == 429 and limited.json()["error"].startswith("Slowdown:")
    assert limited.headers["retry-after"]
    assert usage.json()["requests"] == 2 and usage.json()["characters"] == 2 * len(REVIEW)


async def test_a_failed_engine_is_a_500_error_with_retry_after(client_for: ClientFactory) -> None:
    async with client_for(EchoEngine(error=EngineUnavailable("gpu host down"))) as client:
        response = await client.post(
            "/translate", json={"q": REVIEW, "source": "zh", "target": "en"}
        )
    assert response.status_code == 500 and response.headers["retry-after"] == "5"
    assert response.json() == {"error": "the engine failed: gpu host down"}


async def test_detect_answers_candidates_with_confidence_out_of_100(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        one = await client.post("/detect", data={"q": JAPANESE})
        several = await client.post("/detect", json={"q": [REVIEW, "很好", JAPANESE]})
        emoji = await client.post("/detect", json={"q": "👍👍"})
        missing = await client.post("/detect", json={})
    assert one.json() == [{"confidence": 100.0, "language": "ja"}]
    # each candidate's confidence summed over the texts, divided by their number
    assert [d["language"] for d in several.json()] == ["zh-Hans", "ja", "zh-Hant"]
    assert sum(d["confidence"] for d in several.json()) == pytest.approx(100, abs=0.1)
    assert several.json()[1]["confidence"] == pytest.approx(100 / 3, abs=2.5)
    assert emoji.json() == [{"confidence": 0.0, "language": "en"}]
    assert missing.status_code == 400 and missing.json() == {"error": "q: missing parameter"}


async def test_languages_list_codes_names_and_targets(client_for: ClientFactory) -> None:
    async with client_for() as client:
        # libretranslatepy sends its GET with a form body
        response = await client.request(
            "GET", "/languages", content=b"", headers={"content-type": _FORM}
        )
    languages = {item["code"]: item for item in response.json()}
    assert all(set(item) == {"code", "name", "targets"} for item in languages.values())
    assert {"zh-Hans", "zh-Hant", "en", "ja", "pt"} <= set(languages)
    assert "zh" not in languages
    assert languages["zh-Hans"]["name"] == "Chinese (Simplified)"
    assert (
        "en" in languages["zh-Hans"]["targets"] and "zh-Hans" not in languages["zh-Hans"]["targets"]
    )
    assert len(languages["en"]["targets"]) == len(languages) - 1


_FORM = "application/x-www-form-urlencoded"


async def test_frontend_settings(client_for: ClientFactory) -> None:
    async with client_for(api_keys_required=True, max_text_chars=500) as client:
        response = await client.get("/frontend/settings")
    assert response.json() == {
        "charLimit": 500,
        "frontendTimeout": 500,
        "apiKeys": True,
        "keyRequired": True,
        "suggestions": True,
        "filesTranslation": True,
        "supportedFilesFormat": [".txt", ".html", ".docx"],
        "language": {
            "source": {"code": "auto", "name": "Auto Detect"},
            "target": {"code": "en", "name": "English"},
        },
    }


async def test_a_broken_form_body_is_not_answered_in_terms_of_catalog_uploads(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        response = await client.post(
            "/translate",
            content=b"--xx\r\nbroken",
            headers={"Content-Type": "multipart/form-data; boundary=xx"},
        )
    assert response.status_code == 400
    assert "catalog" not in response.json()["error"]
