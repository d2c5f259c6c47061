"""HTML files: the text runs between tags are the texts (`translator.text.html_text`), so tags,
attributes, scripts and `translate="no"` parts come back byte for byte."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from translator.text.documents.base import TextFile, decode_text
from translator.text.html_text import HtmlTemplate, parse_html

__all__ = ["read_html"]


@dataclass(frozen=True, slots=True)
class HtmlDocument:
    file: TextFile
    template: HtmlTemplate

    @property
    def texts(self) -> list[str]:
        return self.template.texts

    @property
    def places(self) -> list[str]:
        breaks = [found.start() for found in re.finditer("\n", self.template.markup)]
        return [f"line {bisect_left(breaks, run.start) + 1}" for run in self.template.runs]

    def fill(self, translations: Sequence[str]) -> bytes:
        return self.file.encode(self.template.fill(translations))


def read_html(content: bytes) -> HtmlDocument:
    """The text runs of a UTF-8 HTML file."""
    file = decode_text(content)
    return HtmlDocument(file, parse_html(file.text))
