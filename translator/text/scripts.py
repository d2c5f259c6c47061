"""Writing systems: which code points belong to a script, and which scripts a language writes.

One table serves the checks that find untranslated source text in an answer and the engines
that keep such characters out of the answer while it is generated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

__all__ = [
    "LANGUAGE_SCRIPTS",
    "SCRIPT_RANGES",
    "foreign_scripts",
    "script_characters",
    "script_class",
    "script_ranges",
]

SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "han": ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F)),
    "kana": ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    "hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)),
    "cyrillic": ((0x0400, 0x04FF),),
    "arabic": ((0x0600, 0x06FF),),
    "thai": ((0x0E00, 0x0E7F),),
    "devanagari": ((0x0900, 0x097F),),
}
"""Inclusive code point ranges of the scripts we tell apart (Latin is what is left)."""

LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    "zh": frozenset({"han"}),
    "zh-Hant": frozenset({"han"}),
    "ja": frozenset({"han", "kana"}),
    "ko": frozenset({"hangul", "han"}),
    "ru": frozenset({"cyrillic"}),
    "uk": frozenset({"cyrillic"}),
    "ar": frozenset({"arabic"}),
    "th": frozenset({"thai"}),
    "hi": frozenset({"devanagari"}),
}
"""Scripts each language writes beyond Latin; languages not listed write Latin only."""


def foreign_scripts(source: str, target: str) -> tuple[str, ...]:
    """Scripts the source writes and the target does not: they have no place in the answer."""
    empty: frozenset[str] = frozenset()
    return tuple(sorted(LANGUAGE_SCRIPTS.get(source, empty) - LANGUAGE_SCRIPTS.get(target, empty)))


def script_ranges(scripts: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """The code point ranges of `scripts`, sorted."""
    return tuple(sorted(r for script in scripts for r in SCRIPT_RANGES[script]))


def script_class(scripts: Iterable[str]) -> str:
    """A regex character class body (no brackets) matching any character of `scripts`."""
    return "".join(f"{chr(low)}-{chr(high)}" for low, high in script_ranges(scripts))


@cache
def _pattern(scripts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(f"[{script_class(scripts)}]")


def script_characters(text: str, scripts: Iterable[str]) -> list[str]:
    """The characters of `text` that belong to any of `scripts`, in text order."""
    wanted = tuple(sorted(set(scripts)))
    return _pattern(wanted).findall(text) if wanted else []
