"""The curated glossaries shipped in `glossary/data/*.yaml`, checked against their schema on load.

Each file holds one language pair's entries for some domains. A file that breaks the schema
stops the load with the file and the term named, so a bad edit is caught by the tests (and never
reaches a running service half-read).
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import msgspec

from glossary.entries import Entry
from glossary.folding import fold

__all__ = ["BuiltinGlossaryError", "Category", "builtin_entries", "builtin_pairs"]

MAX_PREFERRED = 3


class Category(StrEnum):
    """The shopping domain an entry belongs to."""

    SHOES = "shoes"
    CLOTHING = "clothing"
    BEAUTY = "beauty"
    ELECTRONICS = "electronics"
    FOOD_DELIVERY = "food-delivery"
    HOME = "home"
    PLATFORM = "platform"
    GENERAL = "general"


class BuiltinGlossaryError(ValueError):
    """A data file breaks the schema."""


class FileEntry(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """One entry as written in a data file (see the files for examples)."""

    term: str
    category: Category
    meaning: str
    preferred: list[str]
    register: str
    example: str
    traditional: str | None = None
    forms: list[str] = []
    not_in: list[str] = []
    acceptable: list[str] = []
    may_omit: bool = False


class DataFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    source: str
    target: str
    entries: list[FileEntry]


def _data_files() -> Iterator[Traversable]:
    return (f for f in files("glossary").joinpath("data").iterdir() if f.name.endswith(".yaml"))


def read_data_file(name: str, text: str) -> DataFile:
    """Decode and check one data file; raises `BuiltinGlossaryError` naming the problem."""
    try:
        data = msgspec.yaml.decode(text, type=DataFile)
    except msgspec.ValidationError as error:
        raise BuiltinGlossaryError(f"{name}: {error}") from error
    for entry in data.entries:
        problem = _entry_problem(data, entry)
        if problem:
            raise BuiltinGlossaryError(f"{name}: {entry.term}: {problem}")
    return data


def _entry_problem(data: DataFile, entry: FileEntry) -> str | None:
    texts = [entry.term, entry.meaning, entry.register, entry.example, *entry.preferred]
    texts += entry.acceptable + entry.forms + entry.not_in
    if any(not text.strip() or text != text.strip() for text in texts):
        return "empty text, or spaces around a text"
    if not 1 <= len(entry.preferred) <= MAX_PREFERRED:
        return f"needs 1 to {MAX_PREFERRED} preferred renderings"
    if data.source == "zh" and entry.traditional is None:
        return "Chinese entries need their traditional form"
    forms = _forms(entry)
    if entry.traditional is not None and fold(entry.traditional) != fold(entry.term):
        return f"traditional form {entry.traditional} is not {entry.term} in traditional script"
    if not any(form in entry.example for form in forms):
        return "the example does not contain the term"
    for word in entry.not_in:
        if not any(fold(form) in fold(word) for form in forms):
            return f"not_in word {word} does not contain the term"
    return None


def _forms(entry: FileEntry) -> tuple[str, ...]:
    forms = [entry.term, *([entry.traditional] if entry.traditional else []), *entry.forms]
    return tuple(dict.fromkeys(forms))


def _entry(entry: FileEntry) -> Entry:
    return Entry(
        forms=_forms(entry),
        preferred=tuple(entry.preferred),
        acceptable=tuple(entry.acceptable),
        meaning=entry.meaning,
        register=entry.register,
        example=entry.example,
        not_in=tuple(entry.not_in),
        may_omit=entry.may_omit,
    )


@cache
def _load() -> dict[tuple[str, str], tuple[Entry, ...]]:
    pairs: dict[tuple[str, str], list[Entry]] = {}
    owners: dict[tuple[str, str, str], str] = {}
    for path in sorted(_data_files(), key=lambda f: f.name):
        data = read_data_file(path.name, path.read_text("utf-8"))
        for entry in data.entries:
            for folded in dict.fromkeys(fold(form) for form in _forms(entry)):
                key = (data.source, data.target, folded)
                if key in owners:
                    raise BuiltinGlossaryError(
                        f"{path.name}: {entry.term}: {folded} is already {owners[key]}"
                    )
                owners[key] = entry.term
            pairs.setdefault((data.source, data.target), []).append(_entry(entry))
    return {pair: tuple(entries) for pair, entries in pairs.items()}


def builtin_pairs() -> list[tuple[str, str]]:
    """Language pairs with a built-in glossary."""
    return sorted(_load())


def builtin_entries(source: str, target: str) -> tuple[Entry, ...]:
    """Built-in entries for a pair (regional variants use their language's: zh-Hant → zh)."""
    primary = (source.split("-", 1)[0].lower(), target.split("-", 1)[0].lower())
    return _load().get(primary, ())
