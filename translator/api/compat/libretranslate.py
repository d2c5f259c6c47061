"""LibreTranslate's API (as LibreTranslate 1.9 answers it) over our translation path.

The fields honoured, ignored and refused are tabled in docs/compatible-apis.md
("LibreTranslate"): `q` (a string or a list), `source` (`auto` too; LibreTranslate's `zt`, `pb`
and `zh-Hans` codes as well), `target`, `format`, `alternatives` (the search's other
translations) and `api_key` (ignored when unknown on a server without required keys), as JSON,
a form or query parameters. Files: `translator.api.compat.libre_files`.
`/suggest` (`q`, `s`, `source`, `target`) keeps a suggested translation as an approved pair in
the caller's default translation memory (docs/memory.md), created on first use.

Answers: `translatedText`; `detectedLanguage` {`confidence` 0 to 100, `language`} only for
`source=auto` (per text for a list); `alternatives` when asked. Texts without letters come back
unchanged with `{"confidence": 0, "language": "en"}`, as LibreTranslate does. Errors are
`{"error": "..."}` with LibreTranslate's codes: 400 bad input (a missing key where keys are
required too), 403 unknown or revoked key, 429 rate or quota, 500 when the engine or database
fails (with `Retry-After`: trying again may help).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.exceptions import NotAuthorizedException
from litestar.types import ExceptionHandlersMap
from msgspec import Meta

from translator.api.auth import ApiKeyRequired, owner_of
from translator.api.compat.body import documented_body
from translator.api.compat.shared import (
    FALLBACK_LANGUAGE,
    CompatAnswer,
    CompatRequest,
    compat_failure,
    error_responses,
    read_request,
    translate_texts,
)
from translator.api.schemas import MAX_LIST_ITEMS, InputText, LanguageCode, TextFormat
from translator.api.state import AppStateDependency
from translator.api.translating import default_memory
from translator.errors import InvalidInput
from translator.store.pairs import Pair
from translator.text.detect import detect, has_letters
from translator.text.documents import DOCUMENT_FORMATS
from translator.text.languages import AUTO, LANGUAGES, normalize_pair
from translator.text.validation import validate_text
from translator.translating.memories import keep_correction

__all__ = [
    "LIBRE_ERRORS",
    "LIBRE_ERROR_RESPONSES",
    "LibreError",
    "libre_errors",
    "libretranslate_routes",
    "our_code",
]

_TO_OURS = {"zt": "zh-Hant", "pb": "pt-BR"}
"""LibreTranslate's own codes that are not language tags (the tags themselves we know)."""
_TO_THEIRS = {"zh": "zh-Hans"}
_FIELDS = {"source": "source", "target": "target", "texts": "q", "format": "format"}
_TAG = ["libretranslate"]

Texts = InputText | Annotated[list[InputText], Meta(max_length=MAX_LIST_ITEMS)]


class LibreTranslateRequest(msgspec.Struct, kw_only=True):
    """`POST /translate`, as JSON or a form."""

    q: Texts
    source: LanguageCode
    target: LanguageCode
    format: str = "text"
    alternatives: int = 0
    api_key: str | None = None


class LibreDetectRequest(msgspec.Struct, kw_only=True):
    """`POST /detect`, as JSON or a form."""

    q: Texts
    api_key: str | None = None


class LibreSuggestRequest(msgspec.Struct, kw_only=True):
    """`POST /suggest`: `s` is a better translation of `q`."""

    q: InputText
    s: InputText
    source: LanguageCode
    target: LanguageCode
    api_key: str | None = None


class LibreSuggestion(msgspec.Struct):
    success: bool


class LibreDetection(msgspec.Struct):
    confidence: float
    """0 to 100."""
    language: str


class LibreTranslation(msgspec.Struct, omit_defaults=True, rename="camel"):
    translated_text: str | list[str]
    detected_language: LibreDetection | list[LibreDetection] | None = None
    alternatives: list[Any] | None = None
    """Alternative translations: a list of strings, or one list per text for a list `q`."""


class LibreLanguage(msgspec.Struct):
    code: str
    name: str
    targets: list[str]


class LibreNamedLanguage(msgspec.Struct):
    code: str
    name: str


class LibreFrontendLanguages(msgspec.Struct):
    source: LibreNamedLanguage
    target: LibreNamedLanguage


class LibreFrontendSettings(msgspec.Struct, rename="camel"):
    char_limit: int
    frontend_timeout: int
    api_keys: bool
    key_required: bool
    suggestions: bool
    files_translation: bool
    supported_files_format: list[str]
    language: LibreFrontendLanguages


class LibreError(msgspec.Struct):
    error: str


def our_code(code: str) -> str:
    return _TO_OURS.get(code.strip().lower(), code)


def _theirs(code: str) -> str:
    return _TO_THEIRS.get(code, code)


def libre_errors(_request: Request[Any, Any, Any], error: Exception) -> Response[LibreError]:
    """LibreTranslate's error shape and codes for any failure."""
    failure = compat_failure(error)
    status = failure.status
    message = failure.message
    if isinstance(error, ApiKeyRequired):
        status, message = 400, "an API key is required: send it as api_key"
    elif isinstance(error, NotAuthorizedException):
        status = 403
    elif status == 429:
        status, message = 429, f"Slowdown: {message}"
    elif status >= 500:
        status = 500
    elif status not in (403, 404):  # 404: an expired or unknown translated file
        status = 400
    return Response(LibreError(message), status_code=status, headers=failure.headers)


LIBRE_ERRORS: ExceptionHandlersMap = {Exception: libre_errors}
LIBRE_ERROR_RESPONSES = error_responses(
    LibreError,
    {
        400: "Invalid request",
        403: "Invalid or revoked API key",
        429: "Slow down: rate limit or quota",
        500: "Translation error (engine or database; retrying may help)",
    },
)


@post(
    "/translate",
    status_code=200,
    summary="Translate (LibreTranslate)",
    description="LibreTranslate's `/translate`: `q` (a string or a list) from `source` "
    "(or `auto`) into `target`.",
    tags=_TAG,
    exception_handlers=LIBRE_ERRORS,
    operation_class=documented_body(LibreTranslateRequest),
    responses=LIBRE_ERROR_RESPONSES,
)
async def libre_translate(
    app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> LibreTranslation:
    key, data = await read_request(app_state, request, LibreTranslateRequest, key_field="api_key")
    if not data.q:
        raise InvalidInput("q", "missing q parameter")
    texts = [data.q] if isinstance(data.q, str) else data.q
    try:
        text_format = TextFormat(data.format or "text")
    except ValueError:
        raise InvalidInput("format", f"{data.format!r} format is not supported") from None
    answers = await translate_texts(
        app_state,
        request,
        key,
        CompatRequest(
            texts=texts,
            labels=["q"] if isinstance(data.q, str) else [f"q[{i}]" for i in range(len(texts))],
            source=our_code(data.source),
            target=our_code(data.target),
            fields=_FIELDS,
            format=text_format,
            alternatives=max(0, data.alternatives),
        ),
    )
    single = isinstance(data.q, str)

    def one_or_all(values: list[Any]) -> Any:
        return values[0] if single else values

    response = LibreTranslation(one_or_all([a.translation for a in answers]))
    if data.source.strip().lower() == AUTO:
        response.detected_language = one_or_all([_detection(a) for a in answers])
    if data.alternatives > 0:
        response.alternatives = one_or_all([a.alternatives for a in answers])
    return response


def _detection(answer: CompatAnswer) -> LibreDetection:
    confidence = answer.detection_confidence or 0.0
    return LibreDetection(round(confidence * 100, 2), _theirs(answer.source_language))


@post(
    "/detect",
    status_code=200,
    summary="Detect the language (LibreTranslate)",
    description="LibreTranslate's `/detect`: candidates with `confidence` 0–100, best first "
    "(languages we do not translate included).",
    tags=_TAG,
    exception_handlers=LIBRE_ERRORS,
    operation_class=documented_body(LibreDetectRequest),
    responses=LIBRE_ERROR_RESPONSES,
)
async def libre_detect(
    app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> list[LibreDetection]:
    _, data = await read_request(app_state, request, LibreDetectRequest, key_field="api_key")
    if not data.q:
        raise InvalidInput("q", "missing q parameter")
    texts = [data.q] if isinstance(data.q, str) else data.q
    for index, text in enumerate(texts):
        label = "q" if isinstance(data.q, str) else f"q[{index}]"
        validate_text(text, max_chars=app_state.settings.max_text_chars, field=label)
    scores: dict[str, float] = {}
    for text in texts:
        if has_letters(text):
            for candidate in detect(text).candidates:
                scores[candidate.language] = (
                    scores.get(candidate.language, 0.0) + candidate.confidence
                )
    if not scores:
        return [LibreDetection(0.0, FALLBACK_LANGUAGE)]
    # Several texts: each candidate's confidence summed over the texts, divided by all of them.
    ranked = sorted(((score / len(texts), code) for code, score in scores.items()), reverse=True)
    return [LibreDetection(round(score * 100, 2), _theirs(code)) for score, code in ranked if score]


@get(
    "/languages",
    summary="Supported languages (LibreTranslate)",
    description="LibreTranslate's `/languages`: each code with its name and target codes.",
    tags=_TAG,
)
async def libre_languages() -> list[LibreLanguage]:
    codes = list(LANGUAGES)
    return [
        LibreLanguage(_theirs(code), name, [_theirs(other) for other in codes if other != code])
        for code, name in LANGUAGES.items()
    ]


@get(
    "/frontend/settings",
    summary="Front-end settings (LibreTranslate)",
    description="What LibreTranslate's web front end and some clients read before translating.",
    tags=_TAG,
)
async def libre_frontend_settings(app_state: AppStateDependency) -> LibreFrontendSettings:
    return LibreFrontendSettings(
        char_limit=app_state.settings.max_text_chars,
        frontend_timeout=500,
        api_keys=True,
        key_required=app_state.settings.api_keys_required,
        suggestions=True,
        files_translation=True,
        supported_files_format=list(DOCUMENT_FORMATS),
        language=LibreFrontendLanguages(
            source=LibreNamedLanguage(AUTO, "Auto Detect"),
            target=LibreNamedLanguage("en", LANGUAGES["en"]),
        ),
    )


@post(
    "/suggest",
    status_code=200,
    summary="Suggest a better translation (LibreTranslate)",
    description="LibreTranslate's `/suggest`: `s` is a better translation of `q` from `source` "
    "into `target`; it is kept in the caller's default translation memory.",
    tags=_TAG,
    exception_handlers=LIBRE_ERRORS,
    operation_class=documented_body(LibreSuggestRequest),
    responses=LIBRE_ERROR_RESPONSES,
)
async def libre_suggest(
    app_state: AppStateDependency, request: Request[Any, Any, Any]
) -> LibreSuggestion:
    _, data = await read_request(app_state, request, LibreSuggestRequest, key_field="api_key")
    source, target = normalize_pair(our_code(data.source), our_code(data.target), allow_auto=False)
    reference = default_memory(app_state, request)
    if reference is None:
        raise InvalidInput(
            "api_key", "suggestions go to a default translation memory, and this caller has none"
        )
    async with app_state.sessions() as session, session.begin():
        try:
            await keep_correction(
                session,
                owner_of(request),
                reference,
                Pair(data.q, data.s),
                source=source,
                target=target,
                origin="suggestion",
                create=True,
            )
        except InvalidInput as error:
            field = "s" if error.field == "translation" else error.field
            raise InvalidInput(field, error.message) from error
    return LibreSuggestion(True)


libretranslate_routes = [
    libre_translate,
    libre_detect,
    libre_languages,
    libre_frontend_settings,
    libre_suggest,
]
