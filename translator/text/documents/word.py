"""Word (.docx) files: each paragraph with text is one text, in the body, tables, text boxes,
headers, footers, footnotes and endnotes.

A paragraph is translated whole (a sentence split over differently formatted runs must be
translated as one sentence): its translation goes into the paragraph's first piece of text and
its other pieces are emptied, so the paragraph keeps its style and its first run's formatting
while formatting that changed inside it is lost. Images, tables, fields and everything else in
the package are written back as they were.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import XmlPart
from docx.oxml.ns import qn

from translator.text.documents.base import DocumentError

__all__ = ["MAX_UNPACKED_BYTES", "read_docx"]

_TEXT_PARTS = re.compile(r"^/word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_PARAGRAPH, _TEXT = qn("w:p"), qn("w:t")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MAX_UNPACKED_BYTES = 256 * 1_048_576


@dataclass(frozen=True, slots=True)
class _Paragraph:
    place: str
    pieces: tuple[Any, ...]
    """The paragraph's own `w:t` elements (not those of paragraphs nested in a text box)."""

    @property
    def text(self) -> str:
        return "".join(piece.text or "" for piece in self.pieces)


@dataclass(frozen=True, slots=True)
class WordDocument:
    package: Any
    paragraphs: tuple[_Paragraph, ...]

    @property
    def texts(self) -> list[str]:
        return [paragraph.text for paragraph in self.paragraphs]

    @property
    def places(self) -> list[str]:
        return [paragraph.place for paragraph in self.paragraphs]

    def fill(self, translations: Sequence[str]) -> bytes:
        for paragraph, translation in zip(self.paragraphs, translations, strict=True):
            first, *rest = paragraph.pieces
            first.text = translation
            first.set(_SPACE, "preserve")
            for piece in rest:
                piece.text = ""
        out = io.BytesIO()
        self.package.save(out)
        return out.getvalue()


def _own_pieces(paragraph: Any) -> tuple[Any, ...]:
    return tuple(
        node
        for node in paragraph.iter(_TEXT)
        if next(node.iterancestors(_PARAGRAPH), None) is paragraph
    )


def _paragraphs(package: Any) -> Iterator[_Paragraph]:
    for part in package.part.package.iter_parts():
        found = _TEXT_PARTS.match(str(part.partname))
        if found is None or not isinstance(part, XmlPart):
            continue
        for number, element in enumerate(part.element.iter(_PARAGRAPH), start=1):
            pieces = _own_pieces(element)
            paragraph = _Paragraph(f"{found[1]} paragraph {number}", pieces)
            if pieces and paragraph.text.strip():
                yield paragraph


def _check_size(content: bytes) -> None:
    """Refuse a package that unpacks to more than `MAX_UNPACKED_BYTES` (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise DocumentError(f"not a Word .docx file: {error}") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocumentError(
            f"the file unpacks to {unpacked} bytes; the limit is {MAX_UNPACKED_BYTES}"
        )


def read_docx(content: bytes) -> WordDocument:
    """The paragraphs of a Word file."""
    _check_size(content)
    try:
        package = docx.Document(io.BytesIO(content))
        paragraphs = tuple(_paragraphs(package))
    except PackageNotFoundError as error:
        raise DocumentError(f"not a Word .docx file: {error}") from None
    except Exception as error:  # any failure to read an uploaded package is the file's fault
        raise DocumentError(f"the Word file cannot be read: {error}") from None
    return WordDocument(package, paragraphs)
