"""Limits on request bodies, measured on the raw bytes before any parser sees them.

msgspec and the standard library decode nested JSON recursively: ten thousand brackets end in a
`RecursionError`, and a megabyte of `[{},{},...]` becomes tens of megabytes of objects. So a
plain ASGI middleware measures every body first, cheaply (regular expressions, `translate`
and `count` run over the bytes in C): JSON nesting depth, the length of a number, the keys and
values in all; URL-encoded form fields and their size; multipart parts, part and file sizes as
the body streams in. The total size is Litestar's `request_max_body_size`.

Which parser a body meets depends on the route: a route with a typed `data` body decodes it as
declared whatever the `Content-Type` says, the compatible APIs read JSON or forms by
`Content-Type`. Past a limit the request is refused with `BodyLimitExceeded` (413) naming the
field at fault, answered by the route's own exception handler (the compatible APIs' shapes).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import unquote_plus

import numpy as np
from litestar import Request
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import ClientException
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send
from multipart import MultipartError, MultipartSegment, PushMultipartParser

from translator.api.early import answer_early
from translator.errors import BodyLimitExceeded
from translator.settings import Settings

__all__ = [
    "FILES_OPT",
    "BodyLimits",
    "body_limits_middleware",
    "check_form",
    "check_json",
]

_STRING_PATTERN = rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_STRING = re.compile(_STRING_PATTERN)
"""A JSON string (possessive, so that an unterminated one costs one linear scan)."""
_TOKEN = re.compile(_STRING_PATTERN + rb'|"|[\[\]{}:,]|[-+.0-9eE]++')
"""What `_locate` reads: strings, a quote that opens no whole string, structure, numbers."""
_NUMBER_CHARS = b"-+.0123456789eE"
_NUMBERS_AS_ZEROS = bytes(ord("0") if b in _NUMBER_CHARS else ord(" ") for b in range(256))
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_BRACKET_STEPS = np.zeros(256, dtype=np.int8)
_BRACKET_STEPS[list(b"[{")] = 1
_BRACKET_STEPS[list(b"]}")] = -1
_OPENING = frozenset(b"[{")
_LOCATE_TOKENS = 50_000
"""Tokens read to name the field at fault; past them the answer names the whole `body`."""
_SHOWN_NAME_CHARS = 64
FILES_OPT = "takes_files"
"""A route's `opt` flag: it reads multipart files itself (without a typed body), so a file part
may be as large as `file_bytes` rather than `form_field_bytes`."""


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """What one request body may hold (the settings `max_json_*` and `max_form_*`)."""

    json_depth: int
    json_number_chars: int
    json_keys: int
    json_values: int
    form_fields: int
    form_field_bytes: int
    file_bytes: int
    """Largest file in a multipart upload, on routes that take files (`jobs_max_upload_bytes`)."""

    @classmethod
    def of(cls, settings: Settings) -> BodyLimits:
        return cls(
            json_depth=settings.max_json_depth,
            json_number_chars=settings.max_json_number_chars,
            json_keys=settings.max_json_keys,
            json_values=settings.max_json_values,
            form_fields=settings.max_form_fields,
            form_field_bytes=settings.max_form_field_bytes,
            file_bytes=settings.jobs_max_upload_bytes,
        )


def check_json(body: bytes, limits: BodyLimits) -> None:
    """Refuse a JSON body nested too deep, with too long a number, or too many keys or values.

    The raw bytes are measured first: what strings hold can only add to the counts, so a body
    within the limits there is within them. Only one that is not has its strings taken out
    (which costs more) and is measured again. Malformed JSON within the limits passes: the
    parser then says what is wrong with it.
    """
    if _within(body, limits):
        return
    structure = _STRING.sub(b'""', body)
    if _has_long_number(structure, limits.json_number_chars):
        longest = limits.json_number_chars

        def long_number(token: bytes, _depth: int) -> bool:
            return token[0] in _NUMBER_CHARS and len(token) > longest

        at = _locate(body, long_number)
        if at is None:  # malformed: for the parser to say
            return
        raise BodyLimitExceeded(at, f"a number longer than {longest} characters")
    keys = structure.count(b":")
    if keys > limits.json_keys:
        raise BodyLimitExceeded("body", f"{keys} object keys; at most {limits.json_keys}")
    values = structure.count(b",") + 1
    if values > limits.json_values:
        raise BodyLimitExceeded("body", f"{values} values; at most {limits.json_values}")
    if _depth_within(structure, limits.json_depth):
        return
    depth = limits.json_depth

    def too_deep(token: bytes, level: int) -> bool:
        return token[0] in _OPENING and level > depth

    at = _locate(body, too_deep)
    if at is not None:
        raise BodyLimitExceeded(at, f"nested deeper than {depth} levels")


def _within(body: bytes, limits: BodyLimits) -> bool:
    return (
        body.count(b":") <= limits.json_keys
        and body.count(b",") < limits.json_values
        and not _has_long_number(body, limits.json_number_chars)
        and _depth_within(body, limits.json_depth)
    )


def _has_long_number(data: bytes, chars: int) -> bool:
    return b"0" * (chars + 1) in data.translate(_NUMBERS_AS_ZEROS)


def _depth_within(data: bytes, limit: int) -> bool:
    """Whether the brackets in `data` nest at most `limit` deep; a few openers, or a run of
    them, decide at once, else the running depth is summed up in numpy."""
    brackets = data.translate(None, _NOT_BRACKETS)
    if brackets.count(b"[") + brackets.count(b"{") <= limit:
        return True
    if b"[" * (limit + 1) in brackets or b"{" * (limit + 1) in brackets:
        return False
    steps = _BRACKET_STEPS[np.frombuffer(brackets, dtype=np.uint8)]
    return int(np.cumsum(steps, dtype=np.int32).max()) <= limit


def _locate(body: bytes, at_fault: Callable[[bytes, int], bool]) -> str | None:
    """The field holding the first token `at_fault(token, depth)` names, up to two levels
    (`texts[3]`); None when the JSON turns out malformed first (brackets that do not match, a
    string that never ends), as the parser will find; `body` when the body is too long to
    search."""
    labels: list[Any] = []  # per open container: its current key (objects) or index (arrays)
    kinds = bytearray()
    last_string = b""
    for count, match in enumerate(_TOKEN.finditer(body)):
        if count == _LOCATE_TOKENS:
            return "body"
        token = match.group()
        first = token[0]
        if first in _OPENING:
            kinds.append(first)
            labels.append(0 if first == ord("[") else None)
        if at_fault(token, len(kinds)):
            return _field_name(labels[:2])
        if token == b'"':  # a string that never ends
            return None
        if first == ord('"'):
            last_string = token
        elif first == ord(":") and kinds and kinds[-1] == ord("{"):
            labels[-1] = _decoded_key(last_string)
        elif first == ord(",") and kinds and kinds[-1] == ord("["):
            labels[-1] += 1
        elif first in b"]}":
            if not kinds or kinds.pop() != first - 2:  # `]` and `}` are their opener + 2
                return None
            labels.pop()
    return None


def _decoded_key(token: bytes) -> str:
    try:
        key = json.loads(token)
    except ValueError:
        key = token.decode("utf-8", "replace").strip('"')
    return str(key)[:_SHOWN_NAME_CHARS]


def _field_name(labels: list[Any]) -> str:
    """`texts[3]`, `entries`, or `body` for a top-level array or scalar."""
    name = ""
    for label in labels:
        if isinstance(label, int):
            name += f"[{label}]"
        elif label is not None:
            name = f"{name}.{label}" if name else label
    return name if name and not name.startswith("[") else "body" + name


def check_form(body: bytes, limits: BodyLimits) -> None:
    """Refuse a URL-encoded form with too many fields or a field too large."""
    if not body:
        return
    fields = body.count(b"&") + 1
    if fields > limits.form_fields:
        raise BodyLimitExceeded("body", f"{fields} form fields; at most {limits.form_fields}")
    largest = max(body.split(b"&"), key=len)
    if len(largest) > limits.form_field_bytes:
        raw_name = largest.partition(b"=")[0][:_SHOWN_NAME_CHARS]
        name = unquote_plus(raw_name.decode("latin-1")) or "body"
        raise BodyLimitExceeded(name, f"larger than {limits.form_field_bytes} bytes")


class _MultipartMeter:
    """`receive` that measures a multipart body's parts as they stream past to the route.

    It parses a second time, beside Litestar's parser, because that one counts parts but does
    not limit their sizes. A body it cannot parse is left to Litestar's parser to refuse.
    """

    def __init__(self, receive: Receive, boundary: str, limits: BodyLimits, *, files: bool) -> None:
        self._receive = receive
        self._limits = limits
        self._files = files
        self._parser: PushMultipartParser | None = None
        with contextlib.suppress(MultipartError):  # a bad boundary: Litestar's parser refuses it
            self._parser = PushMultipartParser(boundary)
        self._parts = 0
        self._name = "body"
        self._size = 0
        self._largest = limits.form_field_bytes

    async def __call__(self) -> ReceiveMessage:
        message = await self._receive()
        if message["type"] == "http.request" and self._parser is not None:
            try:
                self._measure(self._parser, message.get("body", b""))
            except MultipartError:
                self._parser = None
        return message

    def _measure(self, parser: PushMultipartParser, chunk: bytes) -> None:
        if not chunk:
            return
        for event in parser.parse(chunk):
            if isinstance(event, MultipartSegment):
                self._parts += 1
                if self._parts > self._limits.form_fields:
                    raise BodyLimitExceeded(
                        "body", f"more than {self._limits.form_fields} multipart parts"
                    )
                self._name = event.name[:_SHOWN_NAME_CHARS] or "body"
                self._size = 0
                is_file = self._files and event.filename is not None
                self._largest = (
                    self._limits.file_bytes if is_file else self._limits.form_field_bytes
                )
            elif event:
                self._size += len(event)
                if self._size > self._largest:
                    raise BodyLimitExceeded(self._name, f"larger than {self._largest} bytes")


class _Kind(Enum):
    JSON = "json"
    FORM = "form"
    MULTIPART = "multipart"


_BY_MEDIA_TYPE = {
    RequestEncodingType.JSON.value: _Kind.JSON,
    RequestEncodingType.URL_ENCODED.value: _Kind.FORM,
    RequestEncodingType.MULTI_PART.value: _Kind.MULTIPART,
}


def _declared_kind(handler: HTTPRouteHandler) -> _Kind | None:
    """How the route decodes its typed `data` body whatever its `Content-Type`; None when it
    declares none (it reads the body, if at all, by `Content-Type`)."""
    data = handler.parsed_data_field
    if data is None:
        return None
    media_type = getattr(data.kwarg_definition, "media_type", None)
    return _BY_MEDIA_TYPE.get(getattr(media_type, "value", str(media_type)), _Kind.JSON)


def _has_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if (name == b"content-length" and value.strip() not in (b"", b"0")) or (
            name == b"transfer-encoding"
        ):
            return True
    return False


class IncompleteBody(ClientException):
    """The client went away before its whole body arrived: a client error, answered with 400
    (which nobody reads) rather than Litestar's 500, so that the metrics count it as one."""


def _until_complete(receive: Receive) -> Receive:
    """`receive` that turns a disconnect before the body's end into `IncompleteBody`; later
    ones (a client leaving a stream) pass on as they are."""
    complete = False

    async def guarded() -> ReceiveMessage:
        nonlocal complete
        message = await receive()
        if not complete:
            if message["type"] == "http.disconnect":
                raise IncompleteBody("the client disconnected before sending the whole body")
            complete = not message.get("more_body", False)
        return message

    return guarded


async def _measured(
    request: Request[Any, Any, Any],
    declared: _Kind | None,
    limits: BodyLimits,
    receive: Receive,
    *,
    takes_files: bool,
) -> Receive:
    """Measure the body the route will read (a typed body as declared, else as sent); returns
    the `receive` to pass on, which measures a multipart body as it streams."""
    media_type, options = request.content_type
    sent = _BY_MEDIA_TYPE.get(media_type)
    if sent is None and media_type.endswith("+json"):
        sent = _Kind.JSON
    kind = declared or sent
    if kind is _Kind.MULTIPART:
        boundary = options.get("boundary")
        if sent is _Kind.MULTIPART and boundary:
            files = takes_files or declared is _Kind.MULTIPART
            return _MultipartMeter(receive, boundary, limits, files=files)
    elif kind is _Kind.JSON:
        check_json(await request.body(), limits)
    elif kind is _Kind.FORM:
        check_form(await request.body(), limits)
    return receive


def body_limits_middleware(limits: BodyLimits) -> Callable[[ASGIApp], ASGIApp]:
    """Measures each body against `limits` before the route reads it (see the module's text).

    Plain ASGI, like the other middleware here. It runs after routing, so the route's body size
    limit and exception handlers apply to what it raises.
    """
    declared: dict[int, _Kind | None] = {}

    def wrap(app: ASGIApp) -> ASGIApp:
        async def limited(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP or not _has_body(scope):
                await app(scope, receive, send)
                return
            receive = _until_complete(receive)
            request: Request[Any, Any, Any] = Request(scope, receive)
            handler = request.route_handler
            if id(handler) not in declared:
                declared[id(handler)] = _declared_kind(handler)
            try:
                takes_files = bool(handler.opt.get(FILES_OPT))
                receive = await _measured(
                    request, declared[id(handler)], limits, receive, takes_files=takes_files
                )
            except Exception as error:  # answered here, where the metrics see its status
                await answer_early(scope, receive, send, error)
                return
            await app(scope, receive, send)

        return limited

    return wrap
