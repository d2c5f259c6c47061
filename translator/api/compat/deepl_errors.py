"""DeepL's error shape (`{"message": ...}`) and codes, shared by its translate and glossary routes.

400 bad input, 403 missing, unknown or revoked key, 404 unknown glossary, 413 body too large,
429 rate limit, 456 monthly character quota used up, 503 (with `Retry-After`) engine or database
unavailable, 500 anything else.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import NotAuthorizedException
from litestar.types import ExceptionHandlersMap

from translator.api.compat.shared import compat_failure, error_responses
from translator.api.quota import QuotaExceeded
from translator.errors import UnknownGlossaryReference, UnsupportedLanguage

__all__ = ["DEEPL_ERRORS", "DEEPL_ERROR_RESPONSES", "DeepLError", "deepl_errors"]


class DeepLError(msgspec.Struct):
    message: str


def deepl_errors(_request: Request[Any, Any, Any], error: Exception) -> Response[DeepLError]:
    """DeepL's error shape and codes for any failure."""
    failure = compat_failure(error)
    status, message = failure.status, failure.message
    if isinstance(error, QuotaExceeded):
        status = 456
    elif isinstance(error, UnknownGlossaryReference):
        status = 404
    elif isinstance(error, UnsupportedLanguage):
        message = f"Value for '{error.field}' not supported. {error.message}"
    elif isinstance(error, NotAuthorizedException):
        status = 403  # DeepL answers every authorization failure with 403
    elif status in (409, 415):
        status = 400
    elif status == 502:
        status = 500
    return Response(DeepLError(message), status_code=status, headers=failure.headers)


DEEPL_ERRORS: ExceptionHandlersMap = {Exception: deepl_errors}
DEEPL_ERROR_RESPONSES = error_responses(
    DeepLError,
    {
        400: "Bad request",
        403: "Authorization failed: send Authorization: DeepL-Auth-Key <key>",
        404: "Glossary not found",
        413: "Request too large",
        429: "Too many requests",
        456: "Monthly character quota exceeded",
        503: "Engine or database unavailable; retry after Retry-After seconds",
    },
)
