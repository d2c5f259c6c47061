"""TMX 1.4b translation memory files: reading (1.1 to 1.4 tags) and writing 1.4b.

Only the XML lives here; `translator.memory.formats` applies the limits every format shares.
The parser is defusedxml's: entity declarations (billion laughs, external entities) are refused
before anything expands, and the file is refused whole with the line at fault.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import XMLParser  # type: ignore[import-untyped]

from translator.errors import InvalidInput
from translator.memory.pairs import MemoryFileError, check_segment
from translator.store.pairs import Pair
from translator.text.languages import normalize_language

__all__ = ["read_tmx", "write_tmx"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CODES = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})
"""Inline elements holding native codes (or a sub-flow), not text of the segment."""


class _LineNumbers(ET.TreeBuilder):
    """Builds the tree and notes where each element starts: ElementTree keeps no line numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.expat: Any = None
        self.lines: dict[ET.Element, int] = {}

    def start(self, tag: Any, attrs: dict[Any, Any], /) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[element] = self.expat.CurrentLineNumber
        return element


def read_tmx(text: str, *, source: str, target: str) -> list[tuple[int, Pair]]:
    """Every translation unit's `source` and `target` segments, with the line of its `<tu>`.

    Languages compare as our codes (`zh-CN` is `zh`, `zh-TW` is `zh-Hant`); a unit without a
    segment in either language, or with an empty one, refuses the file.
    """
    root, lines = _parse(text)
    if root.tag != "tmx":
        raise MemoryFileError(lines[root], f"not a TMX file: the root element is <{root.tag}>")
    body = root.find("body")
    if body is None:
        raise MemoryFileError(lines[root], "the TMX file has no <body>")
    pairs = []
    for unit in body.iter("tu"):
        line = lines[unit]
        segments = _segments(unit, lines)
        for language in (source, target):
            if language not in segments:
                found = ", ".join(sorted(segments)) or "none"
                reason = f"the translation unit has no segment in {language} (it has: {found})"
                raise MemoryFileError(line, reason)
        pairs.append(
            (
                line,
                Pair(
                    check_segment(segments[source], line, "source"),
                    check_segment(segments[target], line, "target"),
                ),
            )
        )
    return pairs


def write_tmx(pairs: Sequence[Pair], *, source: str, target: str) -> bytes:
    """A TMX 1.4b document with one `<tu>` per pair."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "translator",
            "creationtoolversion": version("translator"),
            "segtype": "sentence",
            "o-tmf": "translator",
            "adminlang": "en",
            "srclang": source,
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(root, "body")
    for pair in pairs:
        unit = ET.SubElement(body, "tu")
        for language, segment in ((source, pair.source), (target, pair.target)):
            ET.SubElement(ET.SubElement(unit, "tuv", {_XML_LANG: language}), "seg").text = segment
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _parse(text: str) -> tuple[ET.Element, dict[ET.Element, int]]:
    builder = _LineNumbers()
    parser = XMLParser(target=builder)
    builder.expat = parser.parser
    try:
        parser.feed(text)
        root: ET.Element = parser.close()
    except DefusedXmlException:
        line: int = parser.parser.CurrentLineNumber
        raise MemoryFileError(line, "XML entity declarations are not allowed") from None
    except ET.ParseError as error:
        line, column = error.position
        reason = f"malformed XML: {ErrorString(error.code)} (column {column + 1})"
        raise MemoryFileError(line, reason) from None
    return root, builder.lines


def _segments(unit: ET.Element, lines: dict[ET.Element, int]) -> dict[str, str]:
    """The unit's segments by our language code (the first of each language; unknown tags are
    other languages)."""
    segments: dict[str, str] = {}
    for variant in unit.iter("tuv"):
        tag = variant.get(_XML_LANG) or variant.get("lang")
        if not tag:
            raise MemoryFileError(lines[variant], "<tuv> has no xml:lang attribute")
        seg = variant.find("seg")
        if seg is None:
            raise MemoryFileError(lines[variant], f"<tuv xml:lang={tag!r}> has no <seg>")
        try:
            language = normalize_language(tag, field="xml:lang")
        except InvalidInput:
            continue
        segments.setdefault(language, _text(seg))
    return segments


def _text(element: ET.Element) -> str:
    """A segment's text: highlighted text kept, native codes and sub-flows left out."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in _CODES:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
