"""API keys on `/v1`: optional by default, required with `TRANSLATOR_API_KEYS_REQUIRED=true`.

A key is sent as `Authorization: Bearer <key>` (or DeepL's `DeepL-Auth-Key <key>`) or
`X-API-Key: <key>`. Without the setting,
requests without a key are served anonymously (the embedded default on a laptop needs no
setup) and a request that carries a key is checked all the same, so keys can be rolled out
before they are enforced. A checked key is rate limited and its usage counted.
"""

from __future__ import annotations

import math
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import (
    NotAuthorizedException,
    PermissionDeniedException,
    TooManyRequestsException,
)
from litestar.types import ASGIApp, Receive, Scope, Send

from translator.api.early import answer_early
from translator.api.state import STATE_KEY, AppState
from translator.store.keys import find_key
from translator.store.models import LOCAL_OWNER, ApiKey

__all__ = [
    "API_KEY_STATE",
    "ApiKeyRequired",
    "api_key_middleware",
    "authenticate",
    "authenticate_scope",
    "caller_key",
    "owner_of",
    "presented_key",
]

API_KEY_STATE = "api_key"
_SCHEMES = (b"bearer ", b"deepl-auth-key ")
"""Authorization schemes that carry a key: ours, and DeepL's (so DeepL clients work as they are)."""


class ApiKeyRequired(NotAuthorizedException):
    """No key was sent where one is required (as opposed to an unknown key)."""


def presented_key(scope: Scope) -> str | None:
    """The key the caller sent in a header, if any (read raw: this runs on every call)."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            for scheme in _SCHEMES:
                if value[: len(scheme)].lower() == scheme:
                    return value[len(scheme) :].strip().decode("latin-1") or None
        if name == b"x-api-key" and value:
            return value.decode("latin-1")
    return None


def caller_key(connection: ASGIConnection[Any, Any, Any, Any]) -> ApiKey | None:
    """The verified key of this request (set by `authenticate`), or None for anonymous calls."""
    key = connection.scope.get("state", {}).get(API_KEY_STATE)
    return key if isinstance(key, ApiKey) else None


def owner_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """Whose glossaries and jobs this request may use: its key's, or the shared local ones."""
    key = caller_key(connection)
    return key.id if key is not None else LOCAL_OWNER


def api_key_middleware(app: ASGIApp) -> ASGIApp:
    """Checks keys on the routes it wraps.

    A plain ASGI middleware rather than a guard or an `ASGIMiddleware`: Litestar copies the
    route handler for every guard call, and its middleware class checks scope types and
    excluded paths on every call, both costing more than an anonymous caller's check. It holds
    no state (routers are deep-copied when registered); the app state comes from the scope.
    """

    async def checked(scope: Scope, receive: Receive, send: Send) -> None:
        state: AppState = scope["litestar_app"].state[STATE_KEY]
        plaintext = presented_key(scope)
        if plaintext is not None or state.settings.api_keys_required:
            try:
                await authenticate_scope(state, scope, plaintext)
            except Exception as error:  # answered here, where the metrics see its status
                await answer_early(scope, receive, send, error)
                return
        await app(scope, receive, send)

    return checked


async def authenticate_scope(state: AppState, scope: Scope, plaintext: str | None) -> ApiKey | None:
    """`authenticate`, and the verified key kept in the request's scope for `caller_key`."""
    key = await authenticate(state, plaintext)
    if key is not None:
        scope.setdefault("state", {})[API_KEY_STATE] = key
    return key


async def authenticate(state: AppState, plaintext: str | None) -> ApiKey | None:
    """The caller's verified key (None for anonymous calls where allowed), rate limit applied.

    Raises:
        ApiKeyRequired: no key where one is required (401).
        NotAuthorizedException: an unknown key (401).
        PermissionDeniedException: a revoked key (403).
        TooManyRequestsException: the key is over its rate (429, with `Retry-After`).
    """
    if plaintext is None:
        if state.settings.api_keys_required:
            raise ApiKeyRequired(
                "an API key is required: send Authorization: Bearer <key> or X-API-Key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return None
    async with state.sessions() as session:
        key = await find_key(session, plaintext)
    if key is None:
        raise NotAuthorizedException(
            "unknown API key", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        )
    if key.revoked_at is not None:
        raise PermissionDeniedException("this API key has been revoked")
    per_minute = key.requests_per_minute or state.settings.rate_limit_per_minute
    wait = state.limiter.acquire(key.id, per_minute)
    if wait > 0:
        raise TooManyRequestsException(
            f"rate limit of {per_minute} requests per minute reached for key {key.name!r}",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )
    return key
