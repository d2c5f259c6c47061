"""Typed engine failures: callers decide on retry by type, never by parsing messages."""

from __future__ import annotations

__all__ = [
    "EngineBadRequest",
    "EngineError",
    "EngineOverloaded",
    "EngineTimeout",
    "EngineUnavailable",
    "EngineUnsupported",
    "ModelFileError",
]


class EngineError(Exception):
    """Any failure of a translation backend."""

    retryable: bool = True


class EngineUnavailable(EngineError):
    """The backend cannot be reached or is not ready yet."""


class EngineOverloaded(EngineError):
    """The backend refused work for now (HTTP 429/503); try again later."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class EngineTimeout(EngineError):
    """The backend did not answer within the configured timeout."""


class EngineBadRequest(EngineError):
    """The backend rejected the request itself; repeating it will not help."""

    retryable = False


class EngineUnsupported(EngineError):
    """The backend cannot serve this kind of request at all (a server without prompt logprobs)."""

    retryable = False


class ModelFileError(EngineError):
    """The model weights are missing, incomplete or corrupt."""

    retryable = False
