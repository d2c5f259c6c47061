"""Documents to translate whole: plain text, HTML and Word (.docx), read into their texts and
written back with each text replaced by its translation, everything else as it was.

`read_document` picks the reader by the file name's extension; a file it cannot read is a
`DocumentError` with the reason. Which part of a file is one text (a line, an HTML text run, a
Word paragraph) is each reader's business; callers only see `Document.texts` and `fill`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from translator.text.documents.base import Document, DocumentError
from translator.text.documents.markup import read_html
from translator.text.documents.plain import read_plain
from translator.text.documents.word import read_docx

__all__ = ["DOCUMENT_FORMATS", "Document", "DocumentError", "document_suffix", "read_document"]

_READERS: dict[str, Callable[[bytes], Document]] = {
    ".txt": read_plain,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
}
DOCUMENT_FORMATS = (".txt", ".html", ".docx")
"""The formats as LibreTranslate lists them (`.htm` is read as `.html` too)."""


def document_suffix(file_name: str) -> str:
    """The file name's extension, lower case (`""` without one)."""
    return PurePosixPath(file_name.replace("\\", "/")).suffix.lower()


def read_document(file_name: str, content: bytes) -> Document:
    """The document in `content`, read as its file name's extension says.

    Raises:
        DocumentError: an extension we do not read, or a file that is not what it says.
    """
    suffix = document_suffix(file_name)
    reader = _READERS.get(suffix)
    if reader is None:
        supported = ", ".join(DOCUMENT_FORMATS)
        shown = suffix or "without an extension"
        raise DocumentError(f"files {shown} are not supported; supported: {supported}")
    return reader(content)
