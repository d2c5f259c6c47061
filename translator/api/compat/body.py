"""Request bodies of the compatible APIs: JSON or HTML form, read into one typed struct.

LibreTranslate and DeepL clients send either encoding (the official DeepL library sends JSON,
many scripts and libretranslatepy send forms; DeepL repeats `text` for several texts), so these
routes read the body themselves instead of declaring one media type. Query parameters count
too, as in both services; body fields win over them. Unknown fields are ignored, as the other
services do. `documented_body` puts the struct into the OpenAPI document for both encodings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import msgspec
from litestar import Request
from litestar.openapi.spec import Operation

from translator.errors import InvalidInput

__all__ = ["convert", "documented_body", "read_fields"]

T = TypeVar("T")

_JSON = "application/json"
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
_AT = re.compile(r" - at `\$\.?(?P<path>[^`]*)`$")
_MISSING = re.compile(r"^Object missing required field `(?P<name>[^`]+)`$")


async def read_fields(
    request: Request[Any, Any, Any], list_fields: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The request's parameters by name: `list_fields` keep every repeated value of a form."""
    fields: dict[str, Any] = {}
    _merge(fields, request.query_params.multi_items(), list_fields)
    media_type = request.content_type[0]
    if media_type == _JSON or media_type.endswith("+json"):
        body = await request.body()
        try:
            document = msgspec.json.decode(body) if body.strip() else {}
        except (msgspec.DecodeError, UnicodeDecodeError) as error:
            raise InvalidInput("body", f"the body is not valid JSON: {error}") from error
        if not isinstance(document, dict):
            raise InvalidInput("body", "the JSON body must be an object")
        fields.update(document)
    elif media_type == _FORM:
        _merge(fields, _url_encoded(await request.body()), list_fields)
    elif media_type == _MULTIPART:
        _merge(fields, (await request.form()).multi_items(), list_fields)
    return fields


def _url_encoded(body: bytes) -> list[tuple[str, str]]:
    """Form fields, refusing bytes that are not UTF-8 (rather than replacing them)."""
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as error:
        raise InvalidInput("body", f"the form is not valid UTF-8: {error.reason}") from error


def _merge(
    fields: dict[str, Any], items: Iterable[tuple[str, Any]], list_fields: frozenset[str]
) -> None:
    """Add `items`; a repeated name keeps its first value, or all of them for `list_fields`."""
    seen: set[str] = set()
    for name, value in items:
        if name in list_fields:
            if name in seen:
                fields[name].append(value)
            else:
                fields[name] = [value]
        elif name not in seen:
            fields[name] = value
        seen.add(name)


def convert(fields: dict[str, Any], struct: type[T]) -> T:
    """`fields` as `struct`; form strings become numbers and booleans where the struct says."""
    try:
        return msgspec.convert(fields, struct, strict=False)
    except msgspec.ValidationError as error:
        message = str(error)
        missing = _MISSING.match(message)
        if missing:
            raise InvalidInput(missing["name"], "missing parameter") from error
        at = _AT.search(message)
        field = at["path"] if at and at["path"] else "body"
        raise InvalidInput(field, message[: at.start()] if at else message) from error


@dataclass
class _BodyOperation(Operation):
    """An operation whose request body is given as a ready JSON schema."""

    body_schema: dict[str, Any] | None = None

    @property
    def _exclude_fields(self) -> set[str]:
        return {"body_schema"}

    def to_schema(self) -> dict[str, Any]:
        document = super().to_schema()
        if self.body_schema is not None:
            media = {"schema": self.body_schema}
            document["requestBody"] = {
                "required": True,
                "content": {_JSON: media, _FORM: media},
            }
        return document


def documented_body(struct: type[Any]) -> type[Operation]:
    """An operation class that documents `struct` as the JSON or form body of a route."""
    document = msgspec.json.schema(struct)
    schema = document["$defs"][struct.__name__]
    if "$ref" in msgspec.json.encode(schema).decode():
        raise TypeError(f"{struct.__name__} must be flat (no nested structs or enums)")

    @dataclass
    class Documented(_BodyOperation):
        body_schema: dict[str, Any] | None = None

        def __post_init__(self) -> None:
            self.body_schema = schema

    return Documented
