"""Errors met in a plain ASGI middleware, answered there as the route would answer them.

Raised from a middleware, an error is answered by Litestar outside the middleware stack, past
the metrics middleware, which then counts a request it saw no answer for as a 500. The key
check and the body limits answer their refusals here instead.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.types import Receive, Scope, Send

__all__ = ["answer_early"]


async def answer_early(scope: Scope, receive: Receive, send: Send, error: Exception) -> None:
    """Answer `error` with the route's exception handler (the app's, for most routes)."""
    request: Request[Any, Any, Any] = Request(scope, receive, send)
    handlers = request.route_handler.resolve_exception_handlers()
    handler = next((handlers[kind] for kind in type(error).__mro__ if kind in handlers), None)
    if handler is None:
        raise error
    response = handler(request, error)
    await response.to_asgi_response(app=None, request=request)(scope, receive, send)
