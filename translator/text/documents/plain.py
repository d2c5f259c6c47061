"""Plain text files: each line with letters is one text; line breaks and outer spaces stay.

Lines rather than paragraphs: a line break in a review or a listing is part of its layout, and
translating line by line gives every line back in its place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from translator.text.documents.base import TextFile, decode_text

__all__ = ["read_plain"]

_LINE = re.compile(r"^([ \t\u3000]*)(.*?)([ \t\u3000]*)(\r?\n|\r|$)", re.M)


@dataclass(frozen=True, slots=True)
class _Line:
    lead: str
    text: str
    trail: str


@dataclass(frozen=True, slots=True)
class PlainDocument:
    file: TextFile
    lines: tuple[_Line, ...]
    """Every line, its break kept in `trail`; only those with text are translated."""

    @property
    def _translated(self) -> list[int]:
        return [i for i, line in enumerate(self.lines) if line.text]

    @property
    def texts(self) -> list[str]:
        return [self.lines[i].text for i in self._translated]

    @property
    def places(self) -> list[str]:
        return [f"line {i + 1}" for i in self._translated]

    def fill(self, translations: Sequence[str]) -> bytes:
        replaced = dict(zip(self._translated, translations, strict=True))
        return self.file.encode(
            "".join(
                line.lead + replaced.get(i, line.text) + line.trail
                for i, line in enumerate(self.lines)
            )
        )


def read_plain(content: bytes) -> PlainDocument:
    """The lines of a UTF-8 text file."""
    file = decode_text(content)
    lines = []
    for match in _LINE.finditer(file.text):
        lead, text, spaces, newline = match.groups()
        if not (lead or text or spaces or newline):
            break  # the empty match at the very end
        lines.append(_Line(lead, text, spaces + newline))
    return PlainDocument(file, tuple(lines))
