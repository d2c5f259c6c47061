"""What the LibreTranslate, DeepL and custom adapters share: the caller, the mode, the texts.

Each adapter turns its service's request into `CompatRequest` and its answers into its own
shape; the translating itself is `translator.api.translating`, as for `/v1/translate`. Texts
with nothing to translate (emoji, numbers, blank strings, markup without text) come back
unchanged, as LibreTranslate returns them, instead of failing a whole page's batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from litestar import Request
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.openapi.datastructures import ResponseSpec

from translator.api.auth import authenticate_scope, owner_of, presented_key
from translator.api.compat.body import convert, read_fields
from translator.api.problems import problem_for
from translator.api.repeats import keepable, request_key
from translator.api.schemas import TextFormat, TranslateRequest
from translator.api.state import AppState
from translator.api.translating import translate_request
from translator.errors import InvalidInput
from translator.prompting.modes import Mode
from translator.search.config import BudgetName
from translator.store.models import ApiKey
from translator.text.detect import has_letters
from translator.text.html_text import parse_html
from translator.text.languages import AUTO, normalize_language

__all__ = [
    "FALLBACK_LANGUAGE",
    "CompatAnswer",
    "CompatFailure",
    "CompatRequest",
    "compat_failure",
    "error_responses",
    "identify_caller",
    "read_request",
    "translate_texts",
]

T = TypeVar("T")

FALLBACK_LANGUAGE = "en"
"""Reported for a text without letters when the source is `auto` (LibreTranslate does the same)."""


@dataclass(frozen=True, slots=True)
class CompatRequest:
    """A compatible API's request in our terms.

    `labels` are the caller's names for the texts (`q`, `text[2]`, `text_list[0]`) and `fields`
    its names for ours (`source`, `target` and `texts` at least: `target` → `target_lang`), so
    that errors name what the caller sent.
    `mode` is what the request itself chose (DeepL's `model_type`); otherwise the key's default
    or the `compat_mode` setting applies.
    """

    texts: Sequence[str]
    labels: Sequence[str]
    source: str
    target: str
    fields: Mapping[str, str]
    format: TextFormat = TextFormat.TEXT
    alternatives: int = 0
    glossary: str | None = None
    mode: Mode | None = None
    context: str | None = None
    """Text around the texts (DeepL's `context`): told to the model, not translated."""


@dataclass(frozen=True, slots=True)
class CompatAnswer:
    translation: str
    source_language: str
    detection_confidence: float | None
    """None when the request named the source language."""
    alternatives: list[str]


async def identify_caller(
    app_state: AppState, request: Request[Any, Any, Any], body_key: object = None
) -> ApiKey | None:
    """The caller's key, sent in the body (LibreTranslate's `api_key`) or a header.

    Where keys are required, a key is checked as on `/v1`. Where they are not, a key we do not
    know (or one revoked) is served as an anonymous call, as a LibreTranslate server started
    without `--api-keys` ignores `api_key`: client libraries always send one (the DeepL
    library and some LibreTranslate clients refuse to run without it), so a keyless server
    would otherwise refuse exactly the clients these routes are for. A valid key still counts:
    its glossaries, memory, rate and quota apply.

    Raises what `translator.api.auth.authenticate` raises; the adapters answer it their way.
    """
    sent = body_key if isinstance(body_key, str) and body_key else None
    plaintext = sent or presented_key(request.scope)
    try:
        return await authenticate_scope(app_state, request.scope, plaintext)
    except (NotAuthorizedException, PermissionDeniedException):
        if app_state.settings.api_keys_required:
            raise
        return None


async def read_request(
    app_state: AppState,
    request: Request[Any, Any, Any],
    struct: type[T],
    *,
    key_field: str | None = None,
    list_fields: frozenset[str] = frozenset(),
) -> tuple[ApiKey | None, T]:
    """The caller (its key in the body's `key_field`, or a header), then the body as `struct`.

    The key is checked before the body is: a caller without a valid key learns nothing else.
    """
    fields = await read_fields(request, list_fields)
    key = await identify_caller(app_state, request, fields.get(key_field) if key_field else None)
    return key, convert(fields, struct)


def _mode_and_budget(
    app_state: AppState, key: ApiKey | None, requested: Mode | None
) -> tuple[Mode, BudgetName | None]:
    settings = app_state.settings
    mode = requested or Mode((key.default_mode if key else None) or settings.compat_mode)
    budget = (key.default_budget if key else None) or settings.compat_budget
    return mode, BudgetName(budget) if budget else None


def _nothing_to_translate(text: str, fmt: TextFormat, max_chars: int) -> bool:
    if len(text) > max_chars:
        return False  # planning refuses it with the limit in the message
    return not has_letters(text) if fmt is TextFormat.TEXT else not parse_html(text).texts


async def translate_texts(
    app_state: AppState,
    request: Request[Any, Any, Any],
    key: ApiKey | None,
    ask: CompatRequest,
) -> list[CompatAnswer]:
    """One answer per text, in order, through the same path as `/v1/translate`."""
    max_chars = app_state.settings.max_text_chars
    positions = [
        i
        for i, text in enumerate(ask.texts)
        if not _nothing_to_translate(text, ask.format, max_chars)
    ]
    source = normalize_language(ask.source, field=ask.fields["source"], allow_auto=True)
    normalize_language(ask.target, field=ask.fields["target"])
    explicit = source != AUTO
    result = [
        CompatAnswer(text, source if explicit else FALLBACK_LANGUAGE, None if explicit else 0.0, [])
        for text in ask.texts
    ]
    if not positions:
        return result
    mode, budget = _mode_and_budget(app_state, key, ask.mode)
    data = TranslateRequest(
        texts=[ask.texts[i] for i in positions],
        target=ask.target,
        source=ask.source,
        mode=mode,
        budget=budget,
        format=ask.format,
        alternatives=ask.alternatives,
        glossary=ask.glossary,
        context=ask.context,
    )
    try:
        repeat = request_key(owner_of(request), data) if keepable(data) else None
        translated = await translate_request(app_state, request, data, repeat)
    except InvalidInput as error:
        raise _renamed(error, ask, positions) from error
    for position, answer in zip(positions, translated, strict=True):
        others = [a.translation for a in answer.alternatives]
        result[position] = CompatAnswer(
            translation=answer.translation,
            source_language=answer.source_language,
            detection_confidence=answer.detection_confidence,
            alternatives=[t for t in dict.fromkeys(others) if t != answer.translation],
        )
    return result


def _renamed(error: InvalidInput, ask: CompatRequest, positions: Sequence[int]) -> InvalidInput:
    """The same error naming the caller's field (`texts[1]` → `q[3]` when q[2] was skipped)."""
    name, bracket, rest = error.field.partition("[")
    if name == "texts" and bracket:
        field = ask.labels[positions[int(rest.rstrip("]"))]]
    else:
        field = ask.fields.get(name, name)
    return type(error)(field, error.message)


@dataclass(frozen=True, slots=True)
class CompatFailure:
    """An error as the adapters report it: our status for it, a message, headers to send."""

    status: int
    message: str
    headers: dict[str, str]


def compat_failure(error: Exception) -> CompatFailure:
    """Our answer to `error` (the same status and headers as `/v1`), as one message line."""
    problem, headers = problem_for(error)
    message = str(error) if isinstance(error, InvalidInput) else problem.detail or problem.title
    return CompatFailure(problem.status, message, headers)


def error_responses(shape: type[Any], descriptions: Mapping[int, str]) -> dict[int, ResponseSpec]:
    """OpenAPI entries for an adapter's error statuses, all in its own error shape."""
    return {
        status: ResponseSpec(shape, description=description)
        for status, description in descriptions.items()
    }
