"""Clients as new users run them against a keyless `translator serve` on the real model: the
DeepL library's glossary calls, target variants and context with a placeholder key,
libretranslatepy with a placeholder key, and a plain HTTP client that puts every field, the
placeholder key too, in the query."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import deepl
import docx
import httpx
import pytest
from libretranslatepy import LibreTranslateAPI

from tests.e2e.serving import HAN, Served

pytestmark = pytest.mark.e2e

REVIEW = "这件衣服太炸了"
SHOES = "这双小白鞋踩屎感很强"
PLACEHOLDER = "placeholder"
COLOUR = "这个颜色是我最喜欢的"
SOFT = "它很软"
SOFT_CONTEXT = "这双拖鞋是上周买的，穿了一个星期，鞋底有点厚。"


def _english(text: str) -> bool:
    return bool(text.strip()) and not HAN.search(text)


@pytest.mark.usefixtures("patient_deepl")
def test_the_deepl_librarys_glossaries_variants_and_context_work_end_to_end(served: Served) -> None:
    translator = deepl.Translator(f"{PLACEHOLDER}:fx", server_url=served.url)
    pairs = translator.get_glossary_languages()
    assert any((p.source_lang.upper(), p.target_lang.upper()) == ("ZH", "EN") for p in pairs)

    glossary = translator.create_glossary(
        "shoes", source_lang="ZH", target_lang="EN-US", entries={"踩屎感": "marshmallow comfort"}
    )
    assert glossary.ready and glossary.entry_count == 1
    assert (glossary.source_lang, glossary.target_lang) == ("ZH", "EN")
    from_csv = translator.create_glossary_from_csv(
        "reviews", source_lang="ZH", target_lang="EN", csv_data="太炸了,stunning\n好评,five stars\n"
    )
    assert from_csv.entry_count == 2
    listed = {g.name: g for g in translator.list_glossaries()}
    assert set(listed) == {"shoes", "reviews"}
    assert translator.get_glossary(glossary.glossary_id).name == "shoes"
    assert translator.get_glossary_entries(from_csv) == {"太炸了": "stunning", "好评": "five stars"}

    result = translator.translate_text(
        SHOES, source_lang="ZH", target_lang="EN-US", glossary=glossary
    )
    assert isinstance(result, deepl.TextResult) and _english(result.text)
    assert "marshmallow" in result.text.lower()

    british = translator.translate_text(COLOUR, source_lang="ZH", target_lang="EN-GB")
    american = translator.translate_text(COLOUR, source_lang="ZH", target_lang="EN-US")
    assert isinstance(british, deepl.TextResult) and isinstance(american, deepl.TextResult)
    assert "colour" in british.text.lower() and "color" not in british.text.lower()
    assert "color" in american.text.lower() and "colour" not in american.text.lower()

    alone = translator.translate_text(SOFT, source_lang="ZH", target_lang="EN-US")
    around = translator.translate_text(
        SOFT, source_lang="ZH", target_lang="EN-US", context=SOFT_CONTEXT
    )
    assert isinstance(alone, deepl.TextResult) and isinstance(around, deepl.TextResult)
    assert _english(around.text)
    # the context is background: the answer is the short text's translation, not the review's
    assert len(around.text) < 2 * max(len(alone.text), 20)

    translator.delete_glossary(glossary)
    with pytest.raises(deepl.GlossaryNotFoundException):
        translator.get_glossary(glossary.glossary_id)
    assert [g.name for g in translator.list_glossaries()] == ["reviews"]


def test_libretranslatepy_and_a_query_parameter_client_with_a_placeholder_key(
    served: Served,
) -> None:
    libre = LibreTranslateAPI(served.url, api_key=PLACEHOLDER)
    translated = libre.translate(REVIEW, source="auto", target="en")
    assert isinstance(translated, str) and _english(translated)
    assert libre.detect(REVIEW)[0]["language"] == "zh-Hans"
    assert {"zh-Hans", "en"} <= {language["code"] for language in libre.languages()}

    key = {"api_key": PLACEHOLDER}
    with httpx.Client(base_url=served.url, timeout=600) as client:
        by_query = client.post(
            "/translate", params={**key, "q": REVIEW, "source": "zh", "target": "en"}
        )
        assert by_query.status_code == 200, by_query.text
        assert by_query.json() == {"translatedText": translated}  # the same cached translation
        detected = client.post("/detect", params={**key, "q": REVIEW})
        assert detected.json()[0]["language"] == "zh-Hans"
        settings = client.get("/frontend/settings", params=key).json()
        assert settings["filesTranslation"] and ".docx" in settings["supportedFilesFormat"]

        text_file = client.post(
            "/translate_file",
            params={**key, "source": "auto", "target": "en"},
            files={"file": ("review.txt", f"{REVIEW}\n\n{SHOES}\n".encode())},
        )
        assert text_file.status_code == 200, text_file.text
        lines = client.get(urlsplit(text_file.json()["translatedFileUrl"]).path).text.split("\n")
        assert lines[0] == translated and lines[1] == "" and _english(lines[2])

        word = docx.Document()
        word.add_paragraph(REVIEW)
        upload = io.BytesIO()
        word.save(upload)
        word_file = client.post(
            "/translate_file",
            params={**key, "source": "zh", "target": "en"},
            files={"file": ("review.docx", upload.getvalue())},
        )
        assert word_file.status_code == 200, word_file.text
        url = word_file.json()["translatedFileUrl"]
        assert url.startswith(served.url) and url.endswith("/review.en.docx")
        written = docx.Document(io.BytesIO(client.get(url).content))
        assert written.paragraphs[0].text == translated
