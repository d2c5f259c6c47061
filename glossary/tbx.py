"""TBX-Basic terminology files (ISO 30042): reading versions 2 and 3, writing version 3.

Only the XML lives here; `glossary.formats` applies the checks and limits every format shares.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import XMLParser  # type: ignore[import-untyped]

from glossary.entries import Entry

__all__ = ["TBX_NAMESPACE", "Concept", "TbxError", "read_tbx", "write_tbx"]

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ROOTS = {"martif", "tbx"}  # v2, v3
_CONCEPTS = {"termEntry", "conceptEntry"}
_LANGUAGES = {"langSet", "langSec"}
_TERM_HOLDERS = {"tig", "ntig", "termSec"}
_PREFERRED = "preferredTerm-admn-sts"
_ADMITTED = "admittedTerm-admn-sts"
_UNUSABLE = {"deprecatedTerm-admn-sts", "supersededTerm-admn-sts"}


class TbxError(ValueError):
    """The XML cannot be read as a glossary (`glossary.formats` reports it to the user)."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Concept:
    """One entry as a file states it, with the line it starts on, before any checks."""

    line: int
    forms: tuple[str, ...]
    preferred: tuple[str, ...]
    acceptable: tuple[str, ...] = ()
    meaning: str = ""


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


def read_tbx(text: str, *, source: str, target: str) -> list[Concept]:
    """Every concept entry's terms in the `source` and `target` languages (primary subtags)."""
    root, lines = _parse(text)
    if _local(root.tag) not in _ROOTS:
        reason = f"not a TBX file: the root element is <{_local(root.tag)}>, not <tbx> or <martif>"
        raise TbxError(lines[root], reason)
    return [
        _concept(element, lines[element], _primary(source), _primary(target))
        for element in root.iter()
        if _local(element.tag) in _CONCEPTS
    ]


def write_tbx(entries: Sequence[Entry], *, source: str, target: str, name: str) -> bytes:
    """A TBX v3 Basic (DCT style) document with one concept entry per glossary entry."""
    attributes = {"type": "TBX-Basic", "style": "dct", _XML_LANG: source, "xmlns": TBX_NAMESPACE}
    root = ET.Element("tbx", attributes)
    file_desc = ET.SubElement(ET.SubElement(root, "tbxHeader"), "fileDesc")
    ET.SubElement(ET.SubElement(file_desc, "titleStmt"), "title").text = name
    ET.SubElement(ET.SubElement(file_desc, "sourceDesc"), "p").text = "exported by translator"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for number, entry in enumerate(entries, 1):
        concept = ET.SubElement(body, "conceptEntry", id=f"c{number}")
        if entry.meaning:
            ET.SubElement(concept, "descrip", type="definition").text = entry.meaning
        _write_language(concept, source, [(form, "") for form in entry.forms])
        renderings = [(term, _PREFERRED) for term in entry.preferred]
        _write_language(concept, target, renderings + [(t, _ADMITTED) for t in entry.acceptable])
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
        raise TbxError(line, "XML entity declarations are not allowed") from None
    except ET.ParseError as error:
        line, column = error.position
        reason = f"malformed XML: {ErrorString(error.code)} (column {column + 1})"
        raise TbxError(line, reason) from None
    return root, builder.lines


def _concept(element: ET.Element, line: int, source: str, target: str) -> Concept:
    forms: list[str] = []
    preferred: list[str] = []
    acceptable: list[str] = []
    meaning = ""
    for child in element:
        language = _primary(child.get(_XML_LANG) or child.get("lang") or "")
        if _local(child.tag) in _LANGUAGES and language not in (source, target):
            continue
        meaning = meaning or _definition(child)
        if _local(child.tag) not in _LANGUAGES:
            continue
        for term, status in _terms(child):
            if language == source:
                forms.append(term)
            elif status == _ADMITTED:
                acceptable.append(term)
            elif status not in _UNUSABLE:
                preferred.append(term)
    if not forms:
        raise TbxError(line, f"concept has no term in the source language ({source})")
    if not preferred:  # admitted terms still count when none is preferred
        preferred, acceptable = acceptable, []
    if not preferred:
        raise TbxError(line, f"concept has no usable term in the target language ({target})")
    unique_preferred = _unique(preferred)
    others = tuple(term for term in _unique(acceptable) if term not in unique_preferred)
    return Concept(line, _unique(forms), unique_preferred, others, meaning)


def _terms(language: ET.Element) -> Iterator[tuple[str, str]]:
    """(term, administrative status) for each term in a langSet or langSec."""
    for holder in language.iter():
        if _local(holder.tag) not in _TERM_HOLDERS:
            continue
        term = next((e for e in holder.iter() if _local(e.tag) == "term"), None)
        if term is None:
            continue
        status = next((_text(e) for e in holder.iter() if _is_status(e)), "")
        yield _text(term), status


def _definition(element: ET.Element) -> str:
    """The first non-empty definition in `element` (DCT `descrip` or DCA `definition`)."""
    for child in element.iter():
        tag = _local(child.tag)
        if (tag == "descrip" and child.get("type") == "definition") or tag == "definition":
            text = _text(child)
            if text:
                return text
    return ""


def _is_status(element: ET.Element) -> bool:
    tag = _local(element.tag)
    is_note = tag == "termNote" and element.get("type") == "administrativeStatus"
    return is_note or tag == "administrativeStatus"


def _write_language(concept: ET.Element, language: str, terms: list[tuple[str, str]]) -> None:
    section = ET.SubElement(concept, "langSec", {_XML_LANG: language})
    for term, status in terms:
        term_sec = ET.SubElement(section, "termSec")
        ET.SubElement(term_sec, "term").text = term
        if status:
            ET.SubElement(term_sec, "termNote", type="administrativeStatus").text = status


def _local(tag: str) -> str:
    """The tag without its namespace: v3 files put every element in the TBX namespace."""
    return tag.rpartition("}")[2]


def _primary(language: str) -> str:
    """The primary subtag, so that "zh-TW" and "zh-Hant" both match a "zh" glossary."""
    return language.strip().replace("_", "-").partition("-")[0].casefold()


def _text(element: ET.Element) -> str:
    """The element's text with XML layout whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())


def _unique(terms: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(terms))
