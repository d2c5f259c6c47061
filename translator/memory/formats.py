"""Translation memory files as bytes in and bytes out: TMX 1.4b, TSV and CSV.

A file is decoded and checked completely before any pair is returned, so that callers store
all of its pairs or none. A source segment repeated in one file keeps its last translation
(later units in a TMX file are usually the newer ones).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from enum import StrEnum
from pathlib import PurePosixPath

from translator.memory.pairs import (
    MAX_FILE_BYTES,
    MAX_PAIRS,
    MemoryFileError,
    check_segment,
)
from translator.memory.tmx import read_tmx, write_tmx
from translator.store.pairs import Pair, source_key

__all__ = ["MemoryFormat", "checked_pairs", "guess_format", "parse_pairs", "write_pairs"]

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_HEADER = ["source", "target"]


class MemoryFormat(StrEnum):
    TMX = "tmx"
    TSV = "tsv"
    CSV = "csv"


_SUFFIXES = {
    ".tmx": MemoryFormat.TMX,
    ".xml": MemoryFormat.TMX,
    ".tsv": MemoryFormat.TSV,
    ".txt": MemoryFormat.TSV,
    ".csv": MemoryFormat.CSV,
}


def guess_format(filename: str, data: bytes) -> MemoryFormat:
    """The format the file name says, else the one its first line looks like."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.casefold()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    head = data[:4096].removeprefix(codecs.BOM_UTF8)
    text = head.decode("utf-16" if head.startswith(_UTF16_BOMS) else "utf-8", errors="ignore")
    if text.lstrip().startswith("<"):
        return MemoryFormat.TMX
    return MemoryFormat.TSV if "\t" in text.partition("\n")[0] else MemoryFormat.CSV


def parse_pairs(data: bytes, fmt: MemoryFormat, *, source: str, target: str) -> list[Pair]:
    """Every pair of a memory file from `source` to `target`, or a `MemoryFileError`."""
    if len(data) > MAX_FILE_BYTES:
        raise MemoryFileError(
            None, f"file is too large: {len(data)} bytes, the limit is {MAX_FILE_BYTES} bytes"
        )
    text = _decode(data)
    match fmt:
        case MemoryFormat.TMX:
            numbered = read_tmx(text, source=source, target=target)
        case MemoryFormat.TSV:
            numbered = _read_tsv(text)
        case MemoryFormat.CSV:
            numbered = _read_csv(text, source=source, target=target)
    return checked_pairs(numbered)


def checked_pairs(numbered: Sequence[tuple[int, Pair]]) -> list[Pair]:
    """Pairs within the limit, each source once (its last translation), in first-seen order.

    The numbers name where each pair came from in errors (a file line, or a list index).
    """
    if len(numbered) > MAX_PAIRS:
        line = numbered[MAX_PAIRS][0]
        raise MemoryFileError(line, f"too many pairs: the limit is {MAX_PAIRS}")
    unique: dict[str, Pair] = {}
    for line, pair in numbered:
        source = check_segment(pair.source, line, "source")
        unique[source_key(source)] = Pair(source, check_segment(pair.target, line, "target"))
    return list(unique.values())


def write_pairs(pairs: Sequence[Pair], fmt: MemoryFormat, *, source: str, target: str) -> bytes:
    """A file `parse_pairs` reads back. TSV has no quoting: tabs and line breaks inside a
    segment become spaces there (TMX and CSV keep them)."""
    match fmt:
        case MemoryFormat.TMX:
            return write_tmx(pairs, source=source, target=target)
        case MemoryFormat.TSV:
            lines = (f"{_one_line(p.source)}\t{_one_line(p.target)}\n" for p in pairs)
            return "".join(lines).encode("utf-8")
        case MemoryFormat.CSV:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerows([p.source, p.target] for p in pairs)
            return buffer.getvalue().encode("utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").splitlines())


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
            f"the file is not valid {encoding.upper()}: memory files must be UTF-8 "
            "(or UTF-16 with a byte order mark)"
        )
        raise MemoryFileError(line, reason) from None


def _read_tsv(text: str) -> list[tuple[int, Pair]]:
    pairs = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        fields = line.removesuffix("\r").split("\t")
        if len(fields) != 2:
            reason = f"wrong number of columns: expected 2 (source, target), found {len(fields)}"
            raise MemoryFileError(number, reason)
        pairs.append((number, Pair(fields[0], fields[1])))
    return pairs


def _read_csv(text: str, *, source: str, target: str) -> list[tuple[int, Pair]]:
    """Rows of source, target (and optionally their language codes); a first row
    `source,target` is a header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    expected = [source.casefold(), target.casefold()]
    pairs: list[tuple[int, Pair]] = []
    start = 1
    try:
        for fields in reader:
            line, start = start, reader.line_num + 1
            if not "".join(fields).strip():
                continue
            if not pairs and [f.strip().casefold() for f in fields[:2]] == _HEADER:
                continue
            if len(fields) not in (2, 4):
                reason = (
                    "wrong number of columns: expected 2 (source, target) or 4 (source, target, "
                    f"source language, target language), found {len(fields)}"
                )
                raise MemoryFileError(line, reason)
            languages = [code.strip() for code in fields[2:]]
            if languages and [code.casefold() for code in languages] != expected:
                reason = (
                    f"the row is for {languages[0]} to {languages[1]}, "
                    f"but the memory is for {source} to {target}"
                )
                raise MemoryFileError(line, reason)
            pairs.append((line, Pair(fields[0], fields[1])))
    except csv.Error as error:
        raise MemoryFileError(reader.line_num, f"malformed CSV: {error}") from None
    return pairs
