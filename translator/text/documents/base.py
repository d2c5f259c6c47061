"""What every document reader returns: the texts to translate, and how to write them back."""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Document", "DocumentError", "decode_text"]


class DocumentError(ValueError):
    """A file that cannot be read as the document it claims to be."""


class Document(Protocol):
    """A read document: its texts in document order, each with where it is (`line 3`)."""

    @property
    def texts(self) -> Sequence[str]: ...

    @property
    def places(self) -> Sequence[str]:
        """Where each text is, for error messages (`line 3`, `paragraph 2`)."""
        ...

    def fill(self, translations: Sequence[str]) -> bytes:
        """The file with each text replaced by its translation, everything else unchanged."""
        ...


@dataclass(frozen=True, slots=True)
class TextFile:
    """Decoded text, kept with the byte order mark it came with (written back the same way)."""

    text: str
    bom: bool

    def encode(self, text: str) -> bytes:
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")


def decode_text(content: bytes) -> TextFile:
    """UTF-8 text, with or without a byte order mark; other encodings are refused."""
    bom = content.startswith(codecs.BOM_UTF8)
    try:
        return TextFile(content.removeprefix(codecs.BOM_UTF8).decode("utf-8"), bom)
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise DocumentError(f"line {line}: the file is not valid UTF-8") from None
