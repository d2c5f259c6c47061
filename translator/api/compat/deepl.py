"""A subset of DeepL's API v2 over our translation path (what DeepL clients and plugins use).

Keys come as `Authorization: DeepL-Auth-Key <key>` (our `Bearer`/`X-API-Key` work too, and the
legacy `auth_key` parameter): a key made with `translator keys create`; on a server without
required keys an unknown one is served anonymously (`translator.api.compat.shared`). Bodies
may be JSON (the official libraries) or forms with `text` repeated.

Which fields are honoured, accepted and ignored, or refused is tabled in
docs/compatible-apis.md ("DeepL API v2"). In short: `text`, `source_lang`, `target_lang`
(EN-GB/EN-US and PT-PT/PT-BR told apart), `context` (told to the model, not translated),
`glossary_id` (the caller's glossaries, also made through `/v2/glossaries`), `tag_handling`,
`model_type` (the mode) and `show_billed_characters` are honoured; no target supports
`formality`, so `more`/`less` are refused as DeepL refuses them for such targets and the
`prefer_` values pass.

Errors are `{"message": "..."}` with DeepL's codes: 400 bad input, 403 missing, unknown or
revoked key, 404 unknown glossary, 413 body too large, 429 rate limit, 456 monthly character
quota used up, 503 (with `Retry-After`) engine or database unavailable, 500 anything else.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, get, post, route
from litestar.enums import HttpMethod
from msgspec import Meta

from glossary.selection import primary_language
from translator.api.compat.body import documented_body, read_fields
from translator.api.compat.deepl_errors import DEEPL_ERROR_RESPONSES, DEEPL_ERRORS
from translator.api.compat.shared import (
    CompatRequest,
    identify_caller,
    read_request,
    translate_texts,
)
from translator.api.quota import UNLIMITED_CHARACTERS, month_usage
from translator.api.schemas import (
    MAX_LIST_ITEMS,
    GlossaryReference,
    InputText,
    LanguageCode,
    TextFormat,
)
from translator.api.state import AppStateDependency
from translator.errors import InvalidInput
from translator.prompting.modes import Mode
from translator.text.languages import AUTO, LANGUAGES

__all__ = ["deepl_routes"]

_TAG = ["deepl"]
_FIELDS = {
    "source": "source_lang",
    "target": "target_lang",
    "texts": "text",
    "glossary": "glossary_id",
    "format": "tag_handling",
}
_FORMALITIES = frozenset({"default", "more", "less", "prefer_more", "prefer_less"})
_MODES = {
    "latency_optimized": Mode.DIRECT,
    "quality_optimized": Mode.MCTS,
    "prefer_quality_optimized": Mode.MCTS,
}
_SPLITTING = frozenset({"0", "1", "nonewlines"})
_TARGET_VARIANTS = {
    "en": (("EN-GB", "English (British)"), ("EN-US", "English (American)")),
    "pt": (("PT-BR", "Portuguese (Brazilian)"), ("PT-PT", "Portuguese (European)")),
    "zh": (("ZH", "Chinese (simplified)"), ("ZH-HANS", "Chinese (simplified)")),
    "zh-Hant": (("ZH-HANT", "Chinese (traditional)"),),
}


class DeepLTranslateRequest(msgspec.Struct, kw_only=True):
    """`POST /v2/translate`, as JSON or a form (`text` repeated)."""

    text: Annotated[list[InputText], Meta(max_length=MAX_LIST_ITEMS)] | InputText
    target_lang: LanguageCode
    source_lang: LanguageCode | None = None
    formality: str = "default"
    glossary_id: GlossaryReference | None = None
    tag_handling: str | None = None
    model_type: str | None = None
    show_billed_characters: bool = False
    context: str | None = None
    split_sentences: str = "1"
    preserve_formatting: bool = False
    auth_key: str | None = None


class DeepLTextResult(msgspec.Struct, omit_defaults=True):
    detected_source_language: str
    text: str
    billed_characters: int | None = None
    model_type_used: str | None = None


class DeepLTranslations(msgspec.Struct):
    translations: list[DeepLTextResult]


class DeepLLanguage(msgspec.Struct, omit_defaults=True):
    language: str
    name: str
    supports_formality: bool | None = None


class DeepLUsage(msgspec.Struct):
    character_count: int
    character_limit: int


def _choice(value: str | None, allowed: frozenset[str] | dict[str, Any], field: str) -> None:
    if value is not None and value not in allowed:
        raise InvalidInput(field, f"Value for '{field}' not supported: {value!r}")


@post(
    "/v2/translate",
    status_code=200,
    summary="Translate (DeepL API v2)",
    description="DeepL's `/v2/translate`: `text` (a list) into `target_lang`.",
    tags=_TAG,
    exception_handlers=DEEPL_ERRORS,
    operation_class=documented_body(DeepLTranslateRequest),
    responses=DEEPL_ERROR_RESPONSES,
)
async def deepl_translate(
    app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> DeepLTranslations:
    key, data = await read_request(
        app_state,
        request,
        DeepLTranslateRequest,
        key_field="auth_key",
        list_fields=frozenset({"text"}),
    )
    texts = [data.text] if isinstance(data.text, str) else data.text
    if not texts:
        raise InvalidInput("text", "Parameter 'text' not specified")
    formality = data.formality.lower()
    _choice(formality, _FORMALITIES, "formality")
    if formality in ("more", "less"):
        raise InvalidInput(
            "formality",
            f"Target language {data.target_lang} does not support formality {formality!r} "
            "here; prefer_more and prefer_less are accepted",
        )
    _choice(data.tag_handling, frozenset({"html", "xml"}), "tag_handling")
    _choice(data.model_type, _MODES, "model_type")
    _choice(data.split_sentences, _SPLITTING, "split_sentences")
    if data.glossary_id is not None and data.source_lang is None:
        raise InvalidInput("source_lang", "use of a glossary requires source_lang to be set")
    answers = await translate_texts(
        app_state,
        request,
        key,
        CompatRequest(
            texts=texts,
            labels=[f"text[{i}]" for i in range(len(texts))],
            source=data.source_lang or AUTO,
            target=data.target_lang,
            fields=_FIELDS,
            format=TextFormat.HTML if data.tag_handling else TextFormat.TEXT,
            glossary=data.glossary_id,
            mode=_MODES[data.model_type] if data.model_type else None,
            context=data.context,
        ),
    )
    mode_used = None
    if data.model_type is not None:
        direct = _MODES[data.model_type] is Mode.DIRECT
        mode_used = "latency_optimized" if direct else "quality_optimized"
    return DeepLTranslations(
        [
            DeepLTextResult(
                detected_source_language=primary_language(answer.source_language).upper(),
                text=answer.translation,
                billed_characters=len(text) if data.show_billed_characters else None,
                model_type_used=mode_used,
            )
            for text, answer in zip(texts, answers, strict=True)
        ]
    )


@route(
    "/v2/languages",
    http_method=[HttpMethod.GET, HttpMethod.POST],
    status_code=200,
    summary="Supported languages (DeepL API v2)",
    description="`type=source` (default) or `type=target`, in the query or a form body.",
    tags=_TAG,
    exception_handlers=DEEPL_ERRORS,
    responses=DEEPL_ERROR_RESPONSES,
)
async def deepl_languages(
    app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> list[DeepLLanguage]:
    fields = await read_fields(request)
    await identify_caller(app_state, request, fields.get("auth_key"))
    kind = fields.get("type") or "source"
    if kind == "source":
        sources = {primary_language(code).upper(): name for code, name in LANGUAGES.items()}
        sources["ZH"] = "Chinese"
        return [DeepLLanguage(code, name) for code, name in sources.items()]
    if kind != "target":
        raise InvalidInput("type", f"Value for 'type' not supported: {kind!r}")
    return [
        DeepLLanguage(variant, name, supports_formality=False)
        for code, our_name in LANGUAGES.items()
        for variant, name in _TARGET_VARIANTS.get(code, ((code.upper(), our_name),))
    ]


@get(
    "/v2/usage",
    summary="Characters used this month (DeepL API v2)",
    description="The calling key's characters this UTC month and its quota (1e12: none); "
    "on a server without required keys, 0 of 1e12 for callers without a valid key.",
    tags=_TAG,
    exception_handlers=DEEPL_ERRORS,
    responses=DEEPL_ERROR_RESPONSES,
)
async def deepl_usage(app_state: AppStateDependency, request: Request[Any, Any, Any]) -> DeepLUsage:
    key = await identify_caller(app_state, request, request.query_params.get("auth_key"))
    if key is None:  # a keyless server: anonymous calls are not counted and have no quota
        return DeepLUsage(character_count=0, character_limit=UNLIMITED_CHARACTERS)
    usage = await month_usage(app_state, key)
    return DeepLUsage(character_count=usage.characters, character_limit=usage.limit)


deepl_routes = [deepl_translate, deepl_languages, deepl_usage]
