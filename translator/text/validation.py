"""Checks on source text before any engine work; the text itself is never modified."""

from __future__ import annotations

import re

from translator.errors import InvalidInput

__all__ = ["decode_text", "validate_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_text(raw: bytes, *, field: str = "text") -> str:
    """Decode UTF-8 input strictly; anything else is reported, not guessed at."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            field, f"input is not valid UTF-8 (bad byte at offset {error.start})"
        ) from error


def validate_text(text: str, *, max_chars: int, field: str = "text") -> str:
    """Return `text` unchanged if it can be translated, else raise `InvalidInput` naming `field`."""
    if not text.strip():
        raise InvalidInput(field, "text is empty or only whitespace")
    if len(text) > max_chars:
        raise InvalidInput(field, f"text has {len(text)} characters; the limit is {max_chars}")
    control = _CONTROL.search(text)
    if control is not None:
        raise InvalidInput(
            field,
            f"text contains a control character (U+{ord(control.group()):04X}) at "
            f"position {control.start()}; binary data cannot be translated",
        )
    return text
