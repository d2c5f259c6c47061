"""RFC 9457 problem details for every error: typed, naming the offending field, no tracebacks.

One function maps any exception to a problem, so the exception handler and the event stream
(which reports failures after its 200 status is sent) answer alike. Faults of the engine or the
database are 503 with `Retry-After`; only a bug reaches 500, and even then without a traceback.
"""

from __future__ import annotations

import json
import logging
import re
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy.exc import SQLAlchemyError

from translator.api.quota import QuotaExceeded
from translator.engines.errors import (
    EngineBadRequest,
    EngineError,
    EngineOverloaded,
    ModelFileError,
)
from translator.errors import BodyLimitExceeded, InvalidInput
from translator.jobs.catalog import CatalogError

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "FieldProblem",
    "Problem",
    "handle_exception",
    "handle_upload_exception",
    "problem_for",
    "problem_responses",
    "require_utf8",
]

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
RETRY_AFTER_S = 5
"""Suggested wait when a dependency is down and did not say how long itself."""
_TYPE_PREFIX = "urn:translator:problem:"
_BACKTICKED = re.compile(r"`([^`]+)`")


class FieldProblem(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True, kw_only=True):
    """An RFC 9457 problem; `field` names the part of the request at fault."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    field: str | None = None
    errors: list[FieldProblem] | None = None
    line: int | None = None
    """For a rejected file: the line (or spreadsheet row) at fault."""


def _problem(
    status: int, slug: str, detail: str | None, *, field: str | None = None, **extra: Any
) -> Problem:
    return Problem(
        type=_TYPE_PREFIX + slug,
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        field=field,
        **extra,
    )


def problem_for(error: Exception) -> tuple[Problem, dict[str, str]]:
    """The problem and extra headers that answer `error`."""
    retry = {"Retry-After": str(RETRY_AFTER_S)}
    if isinstance(error, BodyLimitExceeded):
        return _problem(413, "body-limit-exceeded", error.message, field=error.field), {}
    if isinstance(error, InvalidInput):
        return _problem(400, "invalid-input", error.message, field=error.field), {}
    if isinstance(error, CatalogError):
        return _problem(400, "invalid-catalog", str(error), field="file", line=error.line), {}
    if isinstance(error, ValidationException):
        return _validation_problem(error), {}
    if isinstance(error, HTTPException):
        return _http_problem(error)
    if isinstance(error, QuotaExceeded):
        return _problem(429, "quota-exceeded", str(error)), {
            "Retry-After": str(error.retry_after_s)
        }
    if isinstance(error, EngineOverloaded):
        wait = max(1, round(error.retry_after or RETRY_AFTER_S))
        return _problem(503, "engine-overloaded", str(error)), {"Retry-After": str(wait)}
    if isinstance(error, EngineBadRequest):
        return _problem(502, "engine-rejected", f"the engine rejected the request: {error}"), {}
    if isinstance(error, ModelFileError):
        return _problem(503, "model-unavailable", str(error)), {}
    if isinstance(error, EngineError):
        return _problem(503, "engine-unavailable", f"the engine failed: {error}"), retry
    if isinstance(error, SQLAlchemyError | OSError):
        logger.warning("database unavailable: %s", str(error).splitlines()[0])
        return _problem(503, "database-unavailable", "the database is unavailable"), retry
    logger.exception("unhandled error", exc_info=error)
    return _problem(500, "internal-error", "an unexpected error occurred"), {}


def _http_problem(error: HTTPException) -> tuple[Problem, dict[str, str]]:
    status = error.status_code
    headers = dict(error.headers or {})
    if status == 400 and isinstance(error.__cause__, SerializationException):
        return _problem(400, "malformed-json", error.detail, field="body"), headers
    slugs = {401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
             409: "conflict", 413: "body-too-large", 415: "unsupported-media-type",
             429: "rate-limited"}  # fmt: skip
    detail = error.detail
    if status == 413:
        detail = "the request body is larger than the configured limit"
    return _problem(status, slugs.get(status, "http-error"), detail), headers


def _validation_problem(error: ValidationException) -> Problem:
    """msgspec's decoding errors, each with the field it names (`texts[2]`, `target`, ...)."""
    errors = []
    for item in error.extra if isinstance(error.extra, list) else []:
        key, message = str(item.get("key", "body")), str(item.get("message", error.detail))
        if key == "data":
            names_field = "unknown field" in message or "missing required field" in message
            named = _BACKTICKED.search(message) if names_field else None
            key = named.group(1) if named else "body"
            if message == "'data'":
                message = "the request body is missing or empty"
        errors.append(FieldProblem(field=key, message=message))
    first = errors[0] if errors else FieldProblem("body", error.detail)
    return _problem(
        400, "invalid-request", f"{first.field}: {first.message}", field=first.field, errors=errors
    )


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem responses a route may give."""
    return {
        status: ResponseSpec(
            Problem, description=HTTPStatus(status).phrase, media_type=PROBLEM_MEDIA_TYPE
        )
        for status in statuses
    }


def handle_exception(request: Request[Any, Any, Any], error: Exception) -> Response[Problem]:
    """The app's one exception handler."""
    problem, headers = problem_for(error)
    return _respond(request, problem, headers)


def handle_upload_exception(request: Request[Any, Any, Any], error: Exception) -> Response[Problem]:
    """For routes that take a file upload: a body that is not multipart names the `file` field."""
    if (
        isinstance(error, HTTPException)
        and error.status_code == 400
        and "multipart" in error.detail
    ):
        detail = "send a multipart/form-data upload with the catalog in the `file` field"
        problem = _problem(400, "invalid-upload", detail, field="file")
        return _respond(request, problem, dict(error.headers or {}))
    return handle_exception(request, error)


def _respond(
    request: Request[Any, Any, Any], problem: Problem, headers: dict[str, str]
) -> Response[Problem]:
    problem.instance = request.url.path
    return Response(
        problem, status_code=problem.status, headers=headers, media_type=PROBLEM_MEDIA_TYPE
    )


async def require_utf8(request: Request[Any, Any, Any]) -> None:
    """Reject a body that is not UTF-8, naming the JSON field that holds the bad bytes."""
    body = await request.body()
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            _field_with_bad_bytes(body),
            f"the body is not valid UTF-8 (bad byte at offset {error.start})",
        ) from error


def _field_with_bad_bytes(body: bytes) -> str:
    """Where undecodable bytes sit: decoded with surrogate escapes, they show up in a string."""
    try:
        document = json.loads(body.decode("utf-8", "surrogateescape"))
    except ValueError:
        return "body"

    def find(value: object, path: str) -> str | None:
        if isinstance(value, str):
            return path if any("\udc80" <= char <= "\udcff" for char in value) else None
        if isinstance(value, dict):
            for name, item in value.items():
                found = find(name, path or "body") or find(item, f"{path}.{name}" if path else name)
                if found:
                    return found
        if isinstance(value, list):
            for index, item in enumerate(value):
                found = find(item, f"{path}[{index}]")
                if found:
                    return found
        return None

    return find(document, "") or "body"
