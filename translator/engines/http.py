"""What the HTTP backends share: one pooled client and one place that types every failure.

Callers retry by error type (see `translator.engines.errors`), so every transport problem and every
non-2xx answer must become exactly one of those types, the same way for SGLang and OpenAI servers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from translator.engines.errors import (
    EngineBadRequest,
    EngineError,
    EngineOverloaded,
    EngineTimeout,
    EngineUnavailable,
)
from translator.engines.types import TOP_LOGPROBS

__all__ = [
    "HttpEngineClient",
    "JSONObject",
    "continuation_logprobs",
    "engine_error",
    "logprob_or_neg_inf",
    "malformed",
    "parse_model",
    "top_alternatives",
]

JSONObject = dict[str, Any]

_Model = TypeVar("_Model", bound=BaseModel)

_OVERLOADED = frozenset({429, 503})
_TIMED_OUT = frozenset({408, 504})
_MESSAGE_LIMIT = 500


class HttpEngineClient:
    """A pooled `httpx.AsyncClient` whose calls raise only typed `EngineError`s.

    Waiting for a free pooled connection has no deadline: that queue is ours, and the requests
    holding the connections are themselves bounded by the read timeout.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout_s: float,
        max_connections: int,
        api_key: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.base_url = base_url
        self._client = httpx.AsyncClient(
            base_url=base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout_s, pool=None),
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            transport=transport,
        )

    async def request(
        self, method: str, path: str, body: JSONObject | None = None
    ) -> httpx.Response:
        """Send one request; any failure or non-2xx status comes back as a typed error."""
        try:
            response = await self._client.request(method, path, json=body)
        except httpx.HTTPError as exc:
            raise engine_error(exc, self.where(path)) from exc
        if not response.is_success:
            raise engine_error(response, self.where(path))
        return response

    async def get_json(self, path: str) -> Any:
        """GET `path` and decode its JSON answer."""
        return self.decode_json(await self.request("GET", path))

    async def post_json(self, path: str, body: JSONObject) -> Any:
        """POST `body` as JSON to `path` and decode the JSON answer."""
        return self.decode_json(await self.request("POST", path, body))

    async def probe(self, path: str) -> httpx.Response:
        """GET a readiness endpoint: any failure there means the engine is not ready yet.

        A starting server may answer 503 or an error page, which elsewhere would read as overload.
        """
        try:
            return await self.request("GET", path)
        except EngineUnavailable:
            raise
        except EngineError as exc:
            raise EngineUnavailable(f"engine is starting or unhealthy: {exc}") from exc

    def decode_json(self, response: httpx.Response) -> Any:
        """The JSON body of a successful answer; anything else is a malformed answer."""
        try:
            return response.json()
        except ValueError as exc:
            text = response.text[:_MESSAGE_LIMIT]
            raise malformed(str(response.request.url), f"body is not JSON: {text!r}") from exc

    async def aclose(self) -> None:
        """Close pooled connections."""
        await self._client.aclose()

    def where(self, path: str) -> str:
        """The full URL of `path`, to say in error messages which server failed."""
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"


def engine_error(failure: httpx.HTTPError | httpx.Response, where: str) -> EngineError:
    """Map a transport exception or an error response to the one matching `EngineError`."""
    if isinstance(failure, httpx.Response):
        return _status_error(failure, where)
    if isinstance(failure, httpx.TimeoutException):
        return EngineTimeout(f"{where}: no answer in time ({type(failure).__name__})")
    if isinstance(failure, httpx.TransportError):
        return EngineUnavailable(f"{where}: cannot reach the engine ({failure!r})")
    return EngineError(f"{where}: HTTP failure ({failure!r})")


def _status_error(response: httpx.Response, where: str) -> EngineError:
    status = response.status_code
    message = f"{where}: HTTP {status}: {_server_message(response)}"
    if status in _OVERLOADED:
        return EngineOverloaded(message, retry_after=_retry_after(response))
    if status in _TIMED_OUT:
        return EngineTimeout(message)
    if 400 <= status < 500:
        return EngineBadRequest(message)
    return EngineError(message)


def _server_message(response: httpx.Response) -> str:
    """The server's explanation: OpenAI/SGLang `error.message`, FastAPI `detail`, or raw text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:_MESSAGE_LIMIT] or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return _as_text(error["message"])
        for key in ("message", "detail", "error"):
            if body.get(key):
                return _as_text(body[key])
    return _as_text(body) if body else response.reason_phrase


def _as_text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text[:_MESSAGE_LIMIT]


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from a Retry-After header, given as seconds or as an HTTP date."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return _seconds_until(value)
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _seconds_until(http_date: str) -> float | None:
    try:
        when = parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def malformed(where: str, problem: str) -> EngineError:
    """The error for a 2xx answer we cannot use; likely a server version we do not speak."""
    return EngineError(f"{where}: malformed server answer: {problem}")


def parse_model(model: type[_Model], data: Any, where: str) -> _Model:
    """Validate a decoded JSON answer against the wire shape we expect."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise malformed(where, _first_problem(exc)) from exc


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    location = ".".join(str(part) for part in error["loc"]) or "<root>"
    return f"{location}: {error['msg']} ({exc.error_count()} problem(s))"


def logprob_or_neg_inf(value: float | None) -> float:
    """JSON has no -inf, so servers write impossible tokens' logprob as null."""
    return -math.inf if value is None else value


def top_alternatives(pairs: list[tuple[str, float | None]]) -> tuple[tuple[str, float], ...]:
    """Sort alternatives by descending logprob and keep the top `TOP_LOGPROBS`.

    Servers may add the chosen token to its position's list, so there can be more than we asked.
    """
    ranked = sorted(
        ((text, logprob_or_neg_inf(value)) for text, value in pairs), key=lambda p: -p[1]
    )
    return tuple(ranked[:TOP_LOGPROBS])


def continuation_logprobs(
    tokens: Sequence[tuple[str, float | None]], continuation: str
) -> tuple[float, ...] | None:
    """The logprobs of the last prompt tokens that spell `continuation`.

    A server scoring a whole prompt reports (text, logprob) per token without saying where the
    context ended; the continuation is the shortest tail whose texts cover it. None when the
    texts do not end with it (a server that does not report token texts) or a scored token
    has no logprob.
    """
    tail = ""
    for start in range(len(tokens) - 1, -1, -1):
        tail = tokens[start][0] + tail
        if len(tail) >= len(continuation):
            if not tail.endswith(continuation):
                return None
            values = [value for _, value in tokens[start:]]
            return (
                None
                if any(v is None for v in values)
                else tuple(v for v in values if v is not None)
            )
    return None
