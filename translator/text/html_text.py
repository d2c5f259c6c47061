"""Translating HTML: only the text between tags changes; tags, attributes and comments stay.

The stdlib `html.parser` tokenizes the fragment (it tolerates broken markup, as pages have) and
reports where each token starts, so every byte outside the translated text runs is copied from
the input verbatim: attribute order, quoting, entities in attributes and comments come back as
written. Text inside `script`, `style`, `textarea` and `code`, and inside elements marked
`translate="no"` or `class="notranslate"` (the conventions browsers and page translators
share), is left alone, and so is text without letters (prices, separators, emoji).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["HtmlTemplate", "TextRun", "parse_html"]

_KEEP_CONTENT = frozenset({"script", "style", "textarea", "code"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class TextRun:
    """One translatable text: its span in the markup, the decoded text and its outer spaces."""

    start: int
    end: int
    text: str
    lead: str
    trail: str


@dataclass(frozen=True, slots=True)
class HtmlTemplate:
    """An HTML fragment with its translatable text runs located."""

    markup: str
    runs: tuple[TextRun, ...]

    @property
    def texts(self) -> list[str]:
        """The texts to translate, in document order, entities decoded and outer spaces cut."""
        return [run.text for run in self.runs]

    def fill(self, translations: Sequence[str]) -> str:
        """The markup with each run replaced by its translation (escaped, outer spaces kept)."""
        if len(translations) != len(self.runs):
            raise ValueError(f"{len(translations)} translations for {len(self.runs)} text runs")
        parts: list[str] = []
        position = 0
        for run, translation in zip(self.runs, translations, strict=True):
            parts.append(self.markup[position : run.start])
            parts.append(run.lead + html.escape(translation, quote=False) + run.trail)
            position = run.end
        parts.append(self.markup[position:])
        return "".join(parts)


def parse_html(markup: str) -> HtmlTemplate:
    """Locate the translatable text runs of `markup` (a fragment or a whole document)."""
    scanner = _Scanner(markup)
    scanner.feed(markup)
    scanner.close()
    return HtmlTemplate(markup, tuple(scanner.runs()))


class _Scanner(HTMLParser):
    """Records where every token starts and which text runs are translatable."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self._markup = markup
        self._line_starts = [0] + [i + 1 for i, char in enumerate(markup) if char == "\n"]
        self._texts: list[tuple[int, str, bool]] = []  # (start, decoded text, translatable)
        self._markup_starts: list[int] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _markup_token(self) -> None:
        self._markup_starts.append(self._offset())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._markup_token()
        if self._skip_tag is not None:
            self._skip_depth += tag == self._skip_tag
        elif tag not in _VOID and (tag in _KEEP_CONTENT or _marked_no_translate(attrs)):
            self._skip_tag, self._skip_depth = tag, 1

    def handle_endtag(self, tag: str) -> None:
        self._markup_token()
        if tag == self._skip_tag:
            self._skip_depth -= 1
            if self._skip_depth == 0:
                self._skip_tag = None

    def handle_data(self, data: str) -> None:
        self._texts.append((self._offset(), data, self._skip_tag is None))

    def handle_startendtag(self, _tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        self._markup_token()

    def handle_comment(self, _data: str) -> None:
        self._markup_token()

    def handle_decl(self, _decl: str) -> None:
        self._markup_token()

    def handle_pi(self, _data: str) -> None:
        self._markup_token()

    def unknown_decl(self, _data: str) -> None:
        self._markup_token()

    def runs(self) -> list[TextRun]:
        """Adjacent text tokens merged; a run is kept only if its raw span decodes to its text."""
        runs: list[TextRun] = []
        merged: list[tuple[int, str, bool]] = []
        for start, data, translatable in self._texts:
            previous = merged[-1] if merged else None
            if previous and previous[2] == translatable and self._next_markup(previous[0]) > start:
                merged[-1] = (previous[0], previous[1] + data, translatable)
            else:
                merged.append((start, data, translatable))
        for start, data, translatable in merged:
            end = self._next_markup(start)
            core = data.strip()
            if not translatable or not _LETTER.search(core):
                continue
            if html.unescape(self._markup[start:end]) != data:
                continue  # the parser dropped something in this span; copy it unchanged
            lead = data[: len(data) - len(data.lstrip())]
            trail = data[len(data.rstrip()) :]
            runs.append(TextRun(start, end, core, lead, trail))
        return runs

    def _next_markup(self, position: int) -> int:
        """Where the first markup token after `position` starts (the end of a text run)."""
        index = bisect_right(self._markup_starts, position)
        return self._markup_starts[index] if index < len(self._markup_starts) else len(self._markup)


def _marked_no_translate(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name == "translate" and (value or "").strip().lower() == "no":
            return True
        if name == "class" and "notranslate" in (value or "").split():
            return True
    return False
