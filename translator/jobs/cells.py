"""One catalog cell → its segments to translate, and their translations → the translated cell.

Catalogs repeat sentences far more often than whole cells ("包邮", "质量很好", a shop's boilerplate
paragraph), so a cell is cut into sentences (and an HTML cell first into its text runs) and each
distinct sentence is translated once per job. The cell's language is detected once from all of
its text, as for an HTML text in the API: a sentence may be a single word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from translator.errors import InvalidInput
from translator.prompting.modes import Segment
from translator.text.detect import detect, has_letters
from translator.text.html_text import HtmlTemplate, parse_html
from translator.text.validation import validate_text

__all__ = ["CellPlan", "plan_cell", "row_language", "split_sentences"]

_DETECTION_CHARS = 2000
"""Text a row's language is detected from: its first cells are plenty."""

# A sentence ends after CJK terminators, or after Latin ones followed by a space; closing
# quotes and brackets stay with their sentence. Line breaks always end one.
_SENTENCE_END = re.compile(
    r"(?:[。！？!?；;…]+|(?<=\S)[.!?]+(?=\s))[」』”’\"')）】]*[ \t\u3000]*|\s*\n\s*"
)
_UNSPACED_TARGETS = frozenset({"zh", "zh-Hant", "ja", "th"})
_IDEOGRAPHIC_PUNCTUATION = str.maketrans({"。": ".", "、": ",", "「": '"', "」": '"'})


def split_sentences(text: str) -> list[tuple[str, str]]:
    """`text` cut into (sentence, whitespace after it) pairs; terminators stay in the sentence.

    Joined back together, the pairs give `text` without its outer whitespace.
    """
    text = text.strip()
    pieces: list[tuple[str, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end <= start:
            continue
        body = text[start:end]
        sentence = body.rstrip()
        if sentence:
            pieces.append((sentence, body[len(sentence) :]))
        elif pieces:
            last, gap = pieces[-1]
            pieces[-1] = (last, gap + body)
        start = end
    if start < len(text):
        pieces.append((text[start:], ""))
    return pieces


@dataclass(frozen=True, slots=True)
class CellPlan:
    """A cell's segments (in order, repeats kept) and how to put their translations back."""

    segments: list[Segment]
    runs: list[list[tuple[str | None, str]]]
    """Per text run (one for plain text), its sentences as (kept text, whitespace after):
    the kept text is None for a sentence that is translated, else it stays as it is
    (a lone "。" or "!" needs no model)."""
    template: HtmlTemplate | None
    unchanged: str | None = None
    """The cell as it stays when nothing in it needs translating."""

    def assemble(self, translations: Sequence[str]) -> str:
        """The translated cell from its segments' translations, in `segments` order."""
        if self.unchanged is not None:
            return self.unchanged
        target = self.segments[0].target if self.segments else ""
        texts = iter(translations)
        filled = []
        for pieces in self.runs:
            parts = []
            for index, (kept, separator) in enumerate(pieces):
                parts.append(next(texts).strip() if kept is None else _kept(kept, target))
                last = index == len(pieces) - 1
                parts.append(_separator(separator, target, last=last))
            filled.append("".join(parts))
        if self.template is None:
            return filled[0]
        return self.template.fill(filled)


def _kept(text: str, target: str) -> str:
    """Punctuation kept untranslated, in the target's own forms (full-width → ASCII)."""
    if target in _UNSPACED_TARGETS:
        return text
    return unicodedata.normalize("NFKC", text).translate(_IDEOGRAPHIC_PUNCTUATION)


def _separator(separator: str, target: str, *, last: bool) -> str:
    """Whitespace to keep between translated sentences (the terminators are translated)."""
    space = "".join(ch for ch in separator if ch.isspace() and ch != "\u3000")
    if "\n" in space:
        return space
    if last:
        return ""
    if target in _UNSPACED_TARGETS:
        return ""
    return " "


def _template(text: str, *, html: bool) -> HtmlTemplate | None:
    """The text runs of an HTML cell that has letters (None for plain or letterless cells)."""
    return parse_html(text) if html and has_letters(text) else None


def _texts(value: Any, *, html: bool) -> list[str]:
    text = "" if value is None else str(value)
    if not has_letters(text):
        return []
    template = _template(text, html=html)
    return template.texts if template is not None else [text]


def row_language(cells: Sequence[tuple[Any, bool]]) -> str | None:
    """The language detected for a row's cells (value, is HTML) taken together, which may be
    one we do not translate, or None when they have no letters.

    One detection per row: a title and its description share a language, and a lone short
    cell ("OK", a size) says too little to detect on its own.
    """
    text = "\n".join(t for value, html in cells for t in _texts(value, html=html))
    if not text:
        return None
    return detect(text[:_DETECTION_CHARS]).best.language


def plan_cell(
    value: Any,
    *,
    html: bool,
    source: str,
    target: str,
    field: str,
    max_cell_chars: int,
    max_segment_chars: int,
) -> CellPlan:
    """Plan one cell from `source` (a language code: see `row_language`) into `target`.

    Raises `InvalidInput` naming `field` when the cell cannot be translated. Empty cells and
    cells without letters (prices, sizes, codes) stay as they are, and so does a cell when its
    row is already in the target language.
    """
    text = "" if value is None else str(value)
    template = _template(text, html=html)
    runs = template.texts if template is not None else [text] if has_letters(text) else []
    if not runs or source == target:
        return CellPlan([], [], None, unchanged=text)
    validate_text(text, max_chars=max_cell_chars, field=field)
    segments: list[Segment] = []
    runs_out: list[list[tuple[str | None, str]]] = []
    for run in runs:
        pieces: list[tuple[str | None, str]] = []
        for sentence, gap in split_sentences(run):
            if not has_letters(sentence):
                pieces.append((sentence, gap))
                continue
            if len(sentence) > max_segment_chars:
                raise InvalidInput(
                    field,
                    f"a sentence of {len(sentence)} characters is over the "
                    f"{max_segment_chars}-character limit",
                )
            segments.append(Segment(sentence, source, target))
            pieces.append((None, gap))
        runs_out.append(pieces)
    return CellPlan(segments, runs_out, template)
