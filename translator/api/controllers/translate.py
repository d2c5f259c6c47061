"""`POST /v1/translate`: JSON, or server-sent events with `?stream=true`."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, post
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import Example
from litestar.params import Body, QueryParameter

from translator.api.auth import owner_of
from translator.api.links import OperationId
from translator.api.problems import problem_responses, require_utf8
from translator.api.repeats import body_key, keepable
from translator.api.schemas import TranslateRequest, TranslateResponse
from translator.api.state import STATE_KEY, AppStateDependency
from translator.api.streaming import translation_events
from translator.api.translating import answer_again, prepare_translation
from translator.translating.service import ProgressCallback

__all__ = ["translate"]

_DESCRIPTION = """\
Translate `text` (one string) or `texts` (a list) into `target`.

`mode`: `direct` answers at once, `cot` reasons first, `mcts` (default) searches over reasonings
within `budget` (`small` | `medium` | `large`; default small on the embedded engine, large on a
GPU server), optionally capped at `rollouts`. `format=html` translates only the text between
tags. `alternatives=N` returns up to N other translations the search found; `return_trace`
includes the search tree. Results are cached: `cached` says whether this answer came from the
cache, and `cache=false` skips the lookup (the new result still replaces the cached one).

With `?stream=true` the answer is a `text/event-stream`: `progress` events while a search runs,
then one `result` event with this JSON body, or an `error` event with a problem object.
"""


_BODY = Body(
    media_type=RequestEncodingType.JSON,
    examples=[
        Example(
            summary="A slang review, answered at once",
            value={"text": "这件衣服太炸了", "target": "en", "mode": "direct"},
        ),
        Example(
            summary="Two reviews, searched within a small budget",
            value={
                "texts": ["买它买它！", "買ってよかった！コスパ最高"],
                "target": "en",
                "mode": "mcts",
                "budget": "small",
                "rollouts": 2,
                "alternatives": 3,
            },
        ),
        Example(
            summary="An HTML fragment: tags and attributes stay",
            value={
                "text": '<p class="review">踩屎感 <b>绝了</b></p>',
                "target": "en",
                "format": "html",
                "mode": "direct",
            },
        ),
    ],
)


async def _repeat_key(request: Request[Any, Any, Any]) -> bytes:
    """Where this request's answer is kept (`translator.api.repeats.body_key`)."""
    return body_key(owner_of(request), request.scope["query_string"], await request.body())


async def _answer_repeat(request: Request[Any, Any, Any]) -> TranslateResponse | None:
    """Answer a request its caller already sent byte for byte, before parsing it again (the
    browser extension and review widgets repeat theirs); check any other body's bytes."""
    answers = await answer_again(request.app.state[STATE_KEY], request, await _repeat_key(request))
    if answers is not None:
        return TranslateResponse(answers)
    await require_utf8(request)
    return None


@post(
    "/translate",
    status_code=200,
    before_request=_answer_repeat,
    summary="Translate texts",
    operation_id=OperationId.TRANSLATE,
    description=_DESCRIPTION,
    tags=["translate"],
    responses=problem_responses(400, 401, 403, 413, 429, 503),
)
async def translate(
    data: Annotated[TranslateRequest, _BODY],
    app_state: AppStateDependency,
    request: Request[Any, Any, Any],
    stream: Annotated[
        bool, QueryParameter(description="Send server-sent events (progress, then the result).")
    ] = False,
) -> TranslateResponse:
    # `_answer_repeat` found no kept answer; a request made only of cache hits keeps its own.
    repeat = await _repeat_key(request) if keepable(data) and not stream else None
    prepared = await prepare_translation(app_state, request, data, repeat)
    if not stream:
        return TranslateResponse(await prepared.run())

    async def run(on_progress: ProgressCallback | None = None) -> TranslateResponse:
        return TranslateResponse(await prepared.run(on_progress))

    events: Any = translation_events(run, request.url.path)
    return events  # type: ignore[no-any-return]
