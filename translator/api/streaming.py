"""Server-sent events for a translation: search progress while it runs, then the result.

Events: `progress` (per mcts wave: the text's index, rollouts done and allowed, tokens, the best
translation so far and its reward), then one `result` (the same body as the JSON answer) or one
`error` (a problem-details object: the 200 status is sent before the work can fail). A comment
line every few seconds keeps proxies from closing a quiet stream. A client that disconnects
stops its stream, not the search: the engine run goes on in the service's single-flight task
and is stored once, for the next request (with `cache=false` it is cancelled instead).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import msgspec
from litestar.response import ServerSentEvent, ServerSentEventMessage
from litestar.response.base import ASGIResponse

from translator.api.problems import problem_for
from translator.search.results import SearchProgress
from translator.translating.service import ProgressCallback

__all__ = ["KEEPALIVE_S", "translation_events"]

KEEPALIVE_S = 10.0
_encode = msgspec.json.Encoder()


def _progress_message(index: int, progress: SearchProgress) -> ServerSentEventMessage:
    data = {
        "index": index,
        "rollouts": progress.rollouts,
        "max_rollouts": progress.max_rollouts,
        "generated_tokens": progress.generated_tokens,
        "best": None
        if progress.best_translation is None
        else {"translation": progress.best_translation, "reward": progress.best_reward},
    }
    return ServerSentEventMessage(data=_encode.encode(data).decode(), event="progress")


def translation_events(
    run: Callable[[ProgressCallback], Awaitable[Any]], instance: str
) -> ServerSentEvent:
    """Run `run(on_progress)` and stream its progress and its outcome as events."""

    async def events() -> AsyncIterator[ServerSentEventMessage]:
        queue: asyncio.Queue[ServerSentEventMessage | None] = asyncio.Queue()
        task = asyncio.ensure_future(
            run(lambda index, progress: queue.put_nowait(_progress_message(index, progress)))
        )
        task.add_done_callback(lambda _: queue.put_nowait(None))
        try:
            while True:
                try:
                    message = await asyncio.wait_for(queue.get(), timeout=KEEPALIVE_S)
                except TimeoutError:
                    yield ServerSentEventMessage(comment="keep-alive")
                    continue
                if message is None:
                    break
                yield message
            yield _outcome(task, instance)
        finally:
            if not task.done():
                task.cancel()

    return _EventStream(events(), headers={"Cache-Control": "no-store"})


class _EventStream(ServerSentEvent):
    """Keeps `text/event-stream` when returned from a route whose declared body is JSON.

    Litestar gives the route's media type precedence over a returned response's own.
    """

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> ASGIResponse:
        kwargs["media_type"] = self.media_type
        return super().to_asgi_response(*args, **kwargs)


def _outcome(task: asyncio.Future[Any], instance: str) -> ServerSentEventMessage:
    try:
        result = task.result()
    except Exception as error:
        problem, _ = problem_for(error)
        problem.instance = instance
        return ServerSentEventMessage(data=_encode.encode(problem).decode(), event="error")
    return ServerSentEventMessage(data=_encode.encode(result).decode(), event="result")
