"""Length-preserving text folding, so that spelling variants of a term match the same pattern.

Traditional Chinese characters fold to simplified ones, full-width ASCII to ASCII, and Latin
letters to lower case. Every character maps to exactly one character, so an offset in the
folded text is the same offset in the original: matches can be reported on the text as written.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["fold"]

_FULL_WIDTH_OFFSET = 0xFEE0
"""Distance from a full-width ASCII form (U+FF01..U+FF5E) to its ASCII character."""


@cache
def _table() -> dict[int, int]:
    table: dict[int, int] = {}
    # OpenCC's character dictionary: "traditional<TAB>simplified [alternatives]" per line.
    dictionary = files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text("utf-8")
    for line in dictionary.splitlines():
        traditional, _, simplified = line.partition("\t")
        first = simplified.split(" ", 1)[0]
        if len(traditional) == 1 and len(first) == 1:
            table[ord(traditional)] = ord(first)
    for code in range(0xFF01, 0xFF5F):
        table[code] = code - _FULL_WIDTH_OFFSET
    table[0x3000] = ord(" ")
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = code + 32
    for code in range(0xFF21, 0xFF3B):  # full-width capitals fold straight to lower case
        table[code] = code - _FULL_WIDTH_OFFSET + 32
    return table


def fold(text: str) -> str:
    """`text` with variants unified; always the same length as `text`."""
    return text.translate(_table())
