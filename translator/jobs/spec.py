"""What a catalog job translates and how: the column mapping and the translation options.

The same spec comes from an API upload's form fields and from `translator batch` flags, is
checked against the catalog's header before the job is stored, and is stored with the job
(as JSON) so a worker on another host reads exactly what was asked.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from translator.errors import InvalidInput
from translator.prompting.modes import Mode
from translator.search.config import BudgetName
from translator.text.languages import AUTO, normalize_pair

__all__ = ["ColumnSpec", "JobSpec", "parse_columns"]

ColumnName = Annotated[str, Meta(min_length=1, max_length=200)]


class ColumnSpec(msgspec.Struct, frozen=True):
    """A column to translate; `html` cells keep their tags and only their text is translated."""

    name: ColumnName
    html: bool = False


class JobSpec(msgspec.Struct, frozen=True, kw_only=True):
    columns: Annotated[list[ColumnSpec], Meta(min_length=1, max_length=64)]
    target: str
    source: str = AUTO
    id_column: ColumnName | None = None
    mode: Mode = Mode.DIRECT
    budget: BudgetName | None = None
    glossaries: Annotated[list[str], Meta(max_length=8)] = msgspec.field(default_factory=list)
    builtin_glossary: bool = True
    memories: Annotated[list[str], Meta(max_length=8)] = msgspec.field(default_factory=list)
    """Translation memory ids (or names, until the job is stored)."""

    def checked(self, header: list[str]) -> JobSpec:
        """The spec with languages normalised, after checking it fits the catalog's header.

        Raises `InvalidInput` naming the form field at fault.
        """
        known = set(header)
        names = [column.name for column in self.columns]
        for name in names:
            if name not in known:
                raise InvalidInput(
                    "columns", f"no column {name!r} in the file ({_listing(header)})"
                )
        if len(set(names)) != len(names):
            raise InvalidInput("columns", "a column is named twice")
        if self.id_column is not None:
            if self.id_column not in known:
                raise InvalidInput(
                    "id_column", f"no column {self.id_column!r} in the file ({_listing(header)})"
                )
            if self.id_column in names:
                raise InvalidInput("id_column", "the id column cannot also be translated")
        source, target = normalize_pair(self.source, self.target)
        return msgspec.structs.replace(self, source=source, target=target)

    def output_column(self, name: str) -> str:
        """Where a column's translation goes in the results: `title` → `title_en`."""
        return f"{name}_{self.target}"

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = msgspec.to_builtins(self)
        return result

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> JobSpec:
        return msgspec.convert(value, cls)


def parse_columns(columns: str, html_columns: str = "") -> list[ColumnSpec]:
    """`title,description` (+ `description` as HTML) → column specs, in the order given."""
    names = [name.strip() for name in columns.split(",") if name.strip()]
    if not names:
        raise InvalidInput("columns", "name at least one column to translate")
    html = {name.strip() for name in html_columns.split(",") if name.strip()}
    unknown = html - set(names)
    if unknown:
        raise InvalidInput(
            "html_columns", f"{sorted(unknown)[0]!r} is not among the columns to translate"
        )
    return [ColumnSpec(name, html=name in html) for name in names]


def _listing(header: list[str]) -> str:
    shown = ", ".join(header[:12])
    return f"columns: {shown}" + (", …" if len(header) > 12 else "")
