"""Catalog files in and out: CSV, JSONL and Excel .xlsx, read whole and checked before a job exists.

A catalog is a header (column names, in file order) and rows of values keyed by column. A file
that cannot be read as its format is refused whole with the line and the reason
(`CatalogError`), so a job never starts on half a file. Results are written back in the
uploaded format with the translated columns appended after the original ones.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

__all__ = [
    "MEDIA_TYPES",
    "Catalog",
    "CatalogError",
    "CatalogFormat",
    "CatalogRow",
    "format_of",
    "read_catalog",
    "write_catalog",
]

_CSV_DELIMITERS = ",;\t|"


class CatalogFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    XLSX = "xlsx"


MEDIA_TYPES = {
    CatalogFormat.CSV: "text/csv",
    CatalogFormat.JSONL: "application/x-ndjson",
    CatalogFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class CatalogError(ValueError):
    """The file is not a readable catalog; `line` is 1-based (0: the file as a whole)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One row: the line it starts on and its values by column."""

    line: int
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Catalog:
    format: CatalogFormat
    header: list[str]
    rows: list[CatalogRow]
    delimiter: str = ","
    """CSV only: written back with the delimiter it came with."""


def format_of(file_name: str) -> CatalogFormat:
    """The format a file name's extension names; raises `CatalogError` for any other."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    aliases = {"ndjson": CatalogFormat.JSONL, "tsv": CatalogFormat.CSV}
    try:
        return aliases.get(extension) or CatalogFormat(extension)
    except ValueError:
        raise CatalogError(
            0, f"unsupported file type {file_name!r}: give a .csv, .jsonl or .xlsx file"
        ) from None


def read_catalog(data: bytes, file_format: CatalogFormat, *, max_rows: int) -> Catalog:
    """Parse a whole catalog; raises `CatalogError` for the first problem found."""
    if not data.strip():
        raise CatalogError(0, "the file is empty")
    readers = {
        CatalogFormat.CSV: _read_csv,
        CatalogFormat.JSONL: _read_jsonl,
        CatalogFormat.XLSX: _read_xlsx,
    }
    catalog = readers[file_format](data, max_rows)
    if not catalog.rows:
        raise CatalogError(0, "the catalog has a header but no rows")
    return catalog


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogError(line, "not valid UTF-8 (save the file as UTF-8)") from None


def _check_header(names: Sequence[str], line: int) -> list[str]:
    header = [name.strip() for name in names]
    seen: set[str] = set()
    for index, name in enumerate(header):
        if not name:
            raise CatalogError(line, f"column {index + 1} has no name")
        if name in seen:
            raise CatalogError(line, f"column name {name!r} appears twice")
        seen.add(name)
    return header


def _check_count(rows: Sequence[CatalogRow], max_rows: int, line: int) -> None:
    if len(rows) >= max_rows:
        raise CatalogError(line, f"more than {max_rows} rows; split the catalog")


def _read_csv(data: bytes, max_rows: int) -> Catalog:
    text = _decode(data)
    if "\x00" in text:
        raise CatalogError(text[: text.index("\x00")].count("\n") + 1, "NUL byte in a CSV file")
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[CatalogRow] = []
    header: list[str] | None = None
    try:
        for fields in reader:
            line = reader.line_num
            if not fields or all(not field.strip() for field in fields):
                continue
            if header is None:
                header = _check_header(fields, line)
                continue
            if len(fields) != len(header):
                raise CatalogError(
                    line, f"{len(fields)} fields, but the header has {len(header)} columns"
                )
            _check_count(rows, max_rows, line)
            rows.append(CatalogRow(line, dict(zip(header, fields, strict=True))))
    except csv.Error as error:
        raise CatalogError(reader.line_num, f"malformed CSV: {error}") from None
    if header is None:
        raise CatalogError(0, "the file is empty")
    return Catalog(CatalogFormat.CSV, header, rows, delimiter)


def _sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent candidate outside quotes."""
    first_line = text.lstrip().split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in _CSV_DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_jsonl(data: bytes, max_rows: int) -> Catalog:
    text = _decode(data)
    header: dict[str, None] = {}
    rows: list[CatalogRow] = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            raise CatalogError(line, f"not valid JSON: {error.msg}") from None
        if not isinstance(value, dict):
            raise CatalogError(line, "each line must be a JSON object")
        _check_count(rows, max_rows, line)
        header.update(dict.fromkeys(value))
        rows.append(CatalogRow(line, value))
    return Catalog(CatalogFormat.JSONL, _check_header(list(header), 1), rows)


def _read_xlsx(data: bytes, max_rows: int) -> Catalog:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise CatalogError(0, f"not an Excel .xlsx file ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header: list[str] | None = None
        rows: list[CatalogRow] = []
        for line, cells in enumerate(lines, start=1):
            if all(cell is None or str(cell).strip() == "" for cell in cells):
                continue
            if header is None:
                header = _check_header(["" if c is None else str(c) for c in cells], line)
                continue
            values = list(cells[: len(header)])
            if any(cell not in (None, "") for cell in cells[len(header) :]):
                raise CatalogError(line, "a value lies right of the last named column")
            values += [None] * (len(header) - len(values))
            _check_count(rows, max_rows, line)
            cleaned = {name: _json_value(value) for name, value in zip(header, values, strict=True)}
            rows.append(CatalogRow(line, cleaned))
    finally:
        workbook.close()
    if header is None:
        raise CatalogError(0, "the workbook's first sheet is empty")
    return Catalog(CatalogFormat.XLSX, header, rows)


def _json_value(value: Any) -> Any:
    """Spreadsheet values as JSON can store them (dates as ISO 8601 text)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def write_catalog(
    catalog_format: CatalogFormat,
    header: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    *,
    delimiter: str = ",",
) -> bytes:
    """The rows as a file of `catalog_format`, columns in `header` order."""
    if catalog_format is CatalogFormat.JSONL:
        lines = (json.dumps(dict(row), ensure_ascii=False) for row in rows)
        return "".join(line + "\n" for line in lines).encode()
    if catalog_format is CatalogFormat.CSV:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row[c] for c in header])
        return buffer.getvalue().encode()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(column) for column in header])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
