"""Input errors shared by the CLI and the API: each names the offending field."""

from __future__ import annotations

__all__ = [
    "BodyLimitExceeded",
    "InvalidInput",
    "UnknownGlossaryReference",
    "UnsupportedLanguage",
]


class InvalidInput(ValueError):
    """The caller sent something we cannot translate; `field` says which part of the request."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class UnsupportedLanguage(InvalidInput):
    """A language code we do not know or do not translate."""


class UnknownGlossaryReference(InvalidInput):
    """A glossary id or name the caller has no glossary for (DeepL's API answers it with 404)."""


class BodyLimitExceeded(InvalidInput):
    """A request body past one of the configured limits on its size or shape (HTTP 413)."""
