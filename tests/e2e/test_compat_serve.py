"""Existing clients against `translator serve` on the real model: DeepL's official Python
library, libretranslatepy, and raw HTTP for form bodies and the extensions' custom API."""

from __future__ import annotations

import deepl
import pytest
from libretranslatepy import LibreTranslateAPI

from tests.api.keys import bearer
from tests.e2e.serving import HAN, Served, create_key

pytestmark = pytest.mark.e2e

REVIEW = "这件衣服太炸了"
SHOES = "这双小白鞋踩屎感很强"


def _english(text: str) -> bool:
    return bool(text.strip()) and not HAN.search(text)


@pytest.mark.usefixtures("patient_deepl")
def test_the_official_deepl_library_translates_lists_glossaries_and_usage(
    served: Served,
) -> None:
    key = create_key(served.database, "deepl-client", "--chars-per-month", "1000")
    translator = deepl.Translator(key, server_url=served.url)

    result = translator.translate_text(REVIEW, target_lang="EN-US")
    assert isinstance(result, deepl.TextResult)
    assert _english(result.text) and result.detected_source_lang == "ZH"
    assert result.billed_characters == len(REVIEW)
    several = translator.translate_text([REVIEW, "買ってよかった！"], target_lang="en-us")
    assert isinstance(several, list)
    assert [r.detected_source_lang for r in several] == ["ZH", "JA"]
    assert several[0].text == result.text  # the same cached translation
    assert all(_english(r.text) for r in several)

    created = served.client.post(
        "/v1/glossaries",
        json={
            "name": "shoes",
            "source": "zh",
            "target": "en",
            "entries": "踩屎感\tmarshmallow comfort",
        },
        headers=bearer(key),
    )
    assert created.status_code == 201, created.text
    glossary = created.json()["id"]
    with_terms = translator.translate_text(
        SHOES, source_lang="ZH", target_lang="EN-US", glossary=glossary
    )
    assert isinstance(with_terms, deepl.TextResult)
    assert "marshmallow" in with_terms.text.lower()

    sources = {language.code for language in translator.get_source_languages()}
    targets = {language.code: language for language in translator.get_target_languages()}
    assert {"ZH", "JA", "EN"} <= sources
    assert {"EN-US", "ZH-HANT"} <= set(targets) and not targets["DE"].supports_formality

    usage = translator.get_usage()
    characters = len(REVIEW) * 2 + len("買ってよかった！") + len(SHOES)
    assert (usage.character.count, usage.character.limit) == (characters, 1000)

    with pytest.raises(deepl.DeepLException, match=r"target_lang.*not supported"):
        translator.translate_text(REVIEW, target_lang="XX")
    # keys are not required on this server: a placeholder key is served anonymously
    placeholder = deepl.Translator("placeholder:fx", server_url=served.url)
    anonymous = placeholder.translate_text(REVIEW, target_lang="EN-US")
    assert isinstance(anonymous, deepl.TextResult) and anonymous.text == result.text
    assert placeholder.get_usage().character.count == 0


def test_libretranslatepy_and_raw_form_and_custom_requests(served: Served) -> None:
    key = create_key(served.database, "libre-client")
    libre = LibreTranslateAPI(served.url, api_key=key)
    translated = libre.translate(REVIEW, source="auto", target="en")
    assert isinstance(translated, str) and _english(translated)
    assert libre.detect("買ってよかった！")[0]["language"] == "ja"
    codes = {language["code"] for language in libre.languages()}
    assert {"zh-Hans", "zh-Hant", "ja", "en"} <= codes

    client = served.client
    auth = {"Authorization": f"DeepL-Auth-Key {key}"}
    form = client.post(
        "/v2/translate",
        data={"text": [REVIEW, "👍"], "target_lang": "EN-US"},
        headers=auth,
    )
    assert form.status_code == 200, form.text
    first, emoji = form.json()["translations"]
    assert first == {"detected_source_language": "ZH", "text": translated}
    assert emoji["text"] == "👍"

    listed = client.post(
        "/translate",
        json={"q": [REVIEW, "質がいい"], "source": "auto", "target": "en", "api_key": key},
    )
    assert listed.status_code == 200, listed.text
    assert listed.json()["translatedText"][0] == translated
    assert [d["language"] for d in listed.json()["detectedLanguage"]] == ["zh-Hans", "ja"]

    custom = client.post(
        "/custom/translate",
        json={"source_lang": "auto", "target_lang": "en", "text_list": [REVIEW]},
        headers=bearer(key),
    )
    assert custom.json() == {"translations": [{"detected_source_lang": "zh", "text": translated}]}

    usage = client.get("/v1/usage", headers=auth).json()
    # four translations (detection is not counted); the emoji was passed through, not counted
    assert usage["requests"] == 4
    assert usage["characters"] == 4 * len(REVIEW) + len("質がいい")
    metrics = client.get("/metrics").text
    assert 'route="/v2/translate",status="200"' in metrics
    assert 'translator_translations_total{mode="direct"}' in metrics
