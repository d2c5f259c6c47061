"""User glossary files: DeepL-style TSV and CSV, and TBX-Basic, as bytes in and bytes out.

A file is decoded and checked completely before any entry is returned, so that callers store all
of its entries or none.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from enum import StrEnum
from pathlib import PurePosixPath

from glossary.entries import Entry
from glossary.tbx import Concept, TbxError, read_tbx, write_tbx

__all__ = [
    "CONTROL_CHARACTERS",
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_TERM_CHARS",
    "Concept",
    "FileFormat",
    "GlossaryFileError",
    "entries_from_concepts",
    "guess_format",
    "parse_entries",
    "write_entries",
]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 20_000
MAX_TERM_CHARS = 1024
"""Longest source or target term, in characters."""

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Unicode category Cc: no term or name may hold one."""
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_TSV_COLUMNS = "expected 2 (source, target)"
_CSV_COLUMNS = f"{_TSV_COLUMNS} or 4 (source, target, source language, target language)"


class GlossaryFileError(ValueError):
    """A file that cannot be imported, with the line to fix where there is one."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(reason if line is None else f"line {line}: {reason}")
        self.line = line
        self.reason = reason


class FileFormat(StrEnum):
    TSV = "tsv"
    CSV = "csv"
    TBX = "tbx"


_SUFFIXES = {
    ".tsv": FileFormat.TSV,
    ".txt": FileFormat.TSV,
    ".csv": FileFormat.CSV,
    ".tbx": FileFormat.TBX,
    ".xml": FileFormat.TBX,
}


def guess_format(filename: str, data: bytes) -> FileFormat:
    """The format the file name says, else the one its first line looks like."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.casefold()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    head = data[:4096].removeprefix(codecs.BOM_UTF8)
    text = head.decode("utf-16" if head.startswith(_UTF16_BOMS) else "utf-8", errors="ignore")
    text = text.lstrip()
    if text.startswith("<"):
        return FileFormat.TBX
    return FileFormat.TSV if "\t" in text.partition("\n")[0] else FileFormat.CSV


def parse_entries(
    data: bytes, fmt: FileFormat, *, source: str, target: str, origin: str
) -> list[Entry]:
    """Every entry of a glossary file from `source` to `target`, or a `GlossaryFileError`."""
    if len(data) > MAX_FILE_BYTES:
        raise GlossaryFileError(
            None, f"file is too large: {len(data)} bytes, the limit is {MAX_FILE_BYTES} bytes"
        )
    text = _decode(data)
    match fmt:
        case FileFormat.TBX:
            try:
                concepts = read_tbx(text, source=source, target=target)
            except TbxError as error:
                raise GlossaryFileError(error.line, error.reason) from None
        case FileFormat.TSV:
            concepts = _read_tsv(text)
        case FileFormat.CSV:
            concepts = _read_csv(text, source=source, target=target)
    return entries_from_concepts(concepts, origin)


def write_entries(
    entries: Sequence[Entry], fmt: FileFormat, *, source: str, target: str, name: str
) -> bytes:
    """A file `parse_entries` reads back; TSV and CSV keep only the first form and rendering."""
    printable = [_printable(entry) for entry in entries]
    match fmt:
        case FileFormat.TBX:
            return write_tbx(printable, source=source, target=target, name=_one_line(name))
        case FileFormat.TSV:
            lines = (f"{entry.forms[0]}\t{entry.preferred[0]}\n" for entry in printable)
            return "".join(lines).encode("utf-8")
        case FileFormat.CSV:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerows([entry.forms[0], entry.preferred[0]] for entry in printable)
            return buffer.getvalue().encode("utf-8")


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), or UTF-16 where a BOM says so."""
    utf16 = data.startswith(_UTF16_BOMS)
    encoding = "utf-16" if utf16 else "utf-8"
    body = data if utf16 else data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        line = body[: error.start].decode(encoding, errors="replace").count("\n") + 1
        reason = (
            f"the file is not valid {encoding.upper()}: glossary files must be UTF-8 "
            "(or UTF-16 with a byte order mark)"
        )
        raise GlossaryFileError(line, reason) from None


def _read_tsv(text: str) -> list[Concept]:
    concepts = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        fields = line.removesuffix("\r").split("\t")
        if len(fields) != 2:
            reason = f"wrong number of columns: {_TSV_COLUMNS}, found {len(fields)}"
            raise GlossaryFileError(number, reason)
        concepts.append(Concept(number, (fields[0],), (fields[1],)))
    return concepts


def _read_csv(text: str, *, source: str, target: str) -> list[Concept]:
    reader = csv.reader(io.StringIO(text, newline="\n"), skipinitialspace=True)
    expected = [source.casefold(), target.casefold()]
    concepts = []
    start = 1
    try:
        for fields in reader:
            line, start = start, reader.line_num + 1
            if len(fields) <= 1 and not "".join(fields).strip():
                continue
            if len(fields) not in (2, 4):
                reason = f"wrong number of columns: {_CSV_COLUMNS}, found {len(fields)}"
                raise GlossaryFileError(line, reason)
            languages = [code.strip() for code in fields[2:]]
            if languages and [code.casefold() for code in languages] != expected:
                reason = (
                    f"the row is for {languages[0]} to {languages[1]}, "
                    f"but the glossary is for {source} to {target}"
                )
                raise GlossaryFileError(line, reason)
            concepts.append(Concept(line, (fields[0],), (fields[1],)))
    except csv.Error as error:
        raise GlossaryFileError(reader.line_num, f"malformed CSV: {error}") from None
    return concepts


def entries_from_concepts(
    concepts: list[Concept], origin: str, place: Callable[[int], str] = "on line {}".format
) -> list[Entry]:
    """Entries with stripped terms, once every term is usable and no source term repeats.

    `place` names where a concept's `line` points (a file line, or a list index for entries
    given as JSON) in messages about another concept.
    """
    entries: list[Entry] = []
    first_line: dict[str, int] = {}  # NFC-casefolded source form -> line
    for concept in concepts:
        if len(entries) == MAX_ENTRIES:
            raise GlossaryFileError(concept.line, f"too many entries: the limit is {MAX_ENTRIES}")
        forms = tuple(_term(term, concept.line, "source") for term in concept.forms)
        keys = {unicodedata.normalize("NFC", form).casefold(): form for form in forms}
        for key, form in keys.items():
            if key in first_line:
                reason = f"duplicate source term '{form}' (first {place(first_line[key])})"
                raise GlossaryFileError(concept.line, reason)
        first_line.update(dict.fromkeys(keys, concept.line))
        entries.append(
            Entry(
                forms=forms,
                preferred=tuple(_term(t, concept.line, "target") for t in concept.preferred),
                acceptable=tuple(_term(t, concept.line, "target") for t in concept.acceptable),
                meaning=" ".join(_one_line(concept.meaning).split()),
                origin=origin,
            )
        )
    return entries


def _term(text: str, line: int, side: str) -> str:
    term = text.strip()
    if not term:
        raise GlossaryFileError(line, f"empty {side} term")
    if len(term) > MAX_TERM_CHARS:
        reason = f"{side} term is too long: {len(term)} characters, the limit is {MAX_TERM_CHARS}"
        raise GlossaryFileError(line, reason)
    control = CONTROL_CHARACTERS.search(term)
    if control:
        reason = f"{side} term contains a control character (U+{ord(control[0]):04X})"
        raise GlossaryFileError(line, reason)
    return term


def _printable(entry: Entry) -> Entry:
    """The entry without control characters, which no format can carry back in."""
    return replace(
        entry,
        forms=tuple(map(_one_line, entry.forms)),
        preferred=tuple(map(_one_line, entry.preferred)),
        acceptable=tuple(map(_one_line, entry.acceptable)),
        meaning=_one_line(entry.meaning),
    )


def _one_line(text: str) -> str:
    return CONTROL_CHARACTERS.sub(" ", text)
