"""The checks and limits every way of adding pairs shares (files, JSON, corrections), so that
a memory never holds an empty, oversized or control-character segment.
"""

from __future__ import annotations

import re

from translator.errors import InvalidInput

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_NAME_CHARS",
    "MAX_PAIRS",
    "MAX_SEGMENT_CHARS",
    "MemoryFileError",
    "check_memory_name",
    "check_segment",
]

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_PAIRS = 200_000
"""Pairs one import may hold (and one memory, counting corrections)."""
MAX_SEGMENT_CHARS = 10_000
MAX_NAME_CHARS = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab and line breaks, which segments may keep."""


class MemoryFileError(ValueError):
    """Pairs that cannot be imported, with the line (or list index) to fix where there is one."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(reason if line is None else f"line {line}: {reason}")
        self.line = line
        self.reason = reason


def check_segment(text: str, line: int | None, side: str) -> str:
    """The segment without outer whitespace; raises `MemoryFileError` for an unusable one."""
    segment = text.strip()
    if not segment:
        raise MemoryFileError(line, f"empty {side} segment")
    if len(segment) > MAX_SEGMENT_CHARS:
        reason = (
            f"{side} segment is too long: {len(segment)} characters, "
            f"the limit is {MAX_SEGMENT_CHARS}"
        )
        raise MemoryFileError(line, reason)
    control = _CONTROL.search(segment)
    if control:
        reason = f"{side} segment contains a control character (U+{ord(control[0]):04X})"
        raise MemoryFileError(line, reason)
    return segment


def check_memory_name(name: str, field: str = "name") -> str:
    """The name without outer spaces; raises `InvalidInput` naming `field`."""
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput(field, "the memory name is empty")
    if len(cleaned) > MAX_NAME_CHARS:
        raise InvalidInput(field, f"the memory name is longer than {MAX_NAME_CHARS} characters")
    if not cleaned.isprintable():
        raise InvalidInput(field, "the memory name contains a control character")
    return cleaned
