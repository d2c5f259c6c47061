"""The "custom API" shape that in-page translation extensions (Immersive Translate and others)
call: `POST` JSON `{source_lang, target_lang, text_list}` → `{translations: [{detected_source_lang,
text}]}`.

Point the extension's custom API URL at `/custom/translate`. Language codes are what
`/v1/languages` accepts plus regional tags (`zh-CN`, `zh-TW`, `en-US`) and `auto`; answers use
our codes. Keys, if any, go in `Authorization: Bearer <key>` or `X-API-Key`. Errors are our
problem details (`application/problem+json`) naming the field (`text_list[3]`, `target_lang`).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, post
from msgspec import Meta

from translator.api.compat.body import documented_body
from translator.api.compat.shared import CompatRequest, read_request, translate_texts
from translator.api.problems import problem_responses
from translator.api.schemas import MAX_LIST_ITEMS, InputText, LanguageCode
from translator.api.state import AppStateDependency
from translator.text.languages import AUTO

__all__ = ["custom_routes"]

_FIELDS = {"source": "source_lang", "target": "target_lang", "texts": "text_list"}


class CustomTranslateRequest(msgspec.Struct, kw_only=True):
    text_list: Annotated[list[InputText], Meta(max_length=MAX_LIST_ITEMS)]
    target_lang: LanguageCode
    source_lang: LanguageCode = AUTO


class CustomTranslation(msgspec.Struct):
    detected_source_lang: str
    text: str


class CustomTranslations(msgspec.Struct):
    translations: list[CustomTranslation]


@post(
    "/custom/translate",
    status_code=200,
    summary="Translate (custom API of in-page translation extensions)",
    description="`text_list` from `source_lang` (default `auto`) into `target_lang`.",
    tags=["custom"],
    operation_class=documented_body(CustomTranslateRequest),
    responses=problem_responses(400, 401, 403, 413, 429, 503),
)
async def custom_translate(
    app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> CustomTranslations:
    key, data = await read_request(
        app_state, request, CustomTranslateRequest, list_fields=frozenset({"text_list"})
    )
    answers = await translate_texts(
        app_state,
        request,
        key,
        CompatRequest(
            texts=data.text_list,
            labels=[f"text_list[{i}]" for i in range(len(data.text_list))],
            source=data.source_lang,
            target=data.target_lang,
            fields=_FIELDS,
        ),
    )
    return CustomTranslations(
        [CustomTranslation(a.source_language, a.translation) for a in answers]
    )


custom_routes = [custom_translate]
