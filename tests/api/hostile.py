"""A corpus of hostile requests: bodies, path segments, query strings, values for every field.

Each item is what an attacker (or a broken client) might send; none of them may get a 5xx.
Sizes stay near the default 1 MiB body limit, so that both sides of it are tried.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "HostileBody",
    "bodies",
    "field_values",
    "path_segments",
    "query_strings",
    "server_errors",
]

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
BOUNDARY = "hostile-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


@dataclass(frozen=True)
class HostileBody:
    name: str
    content: bytes
    content_type: str | None


def _deep(depth: int, open_: bytes = b"[", close: bytes = b"]") -> bytes:
    return open_ * depth + close * depth


def _json_bodies() -> Iterator[tuple[str, bytes]]:
    deep = _deep(100_000)
    yield "deep list", deep
    yield "deep object", b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    yield "deep in a field", b'{"target":"en","text":' + deep + b"}"
    yield "deep mixed", b'[{"a":' * 20_000 + b"0" + b"}]" * 20_000
    yield "deep unclosed", b"[" * 200_000
    yield "17 levels", _deep(17)
    yield "huge float", b'{"target":"en","text":"x","rollouts":1e999999}'
    yield "huge negative float", b'{"target":"en","text":"x","alternatives":-1e999999}'
    yield "million-digit integer", b'{"target":"en","rollouts":' + b"9" * 1_000_000 + b"}"
    yield "long fraction", b'{"target":"en","rollouts":0.' + b"1" * 50_000 + b"}"
    yield "many keys", b"{" + b",".join(b'"%x":0' % i for i in range(110_000)) + b"}"
    yield "many items", b'{"target":"en","texts":[' + b",".join([b"0"] * 300_000) + b"]}"
    yield "many objects", b"[" + b",".join([b"{}"] * 300_000) + b"]"
    yield "NaN", b'{"target":"en","text":"x","rollouts":NaN}'
    yield "Infinity", b'{"target":"en","text":"x","alternatives":Infinity}'
    yield "-Infinity", b'{"target":"en","text":"x","alternatives":-Infinity}'
    yield "duplicate keys", b'{"target":"en","target":"zh","text":"a","text":7,"texts":["b"]}'
    yield "mixed types", b'{"target":["en"],"text":{"a":1},"texts":"x","mode":7,"cache":"no"}'
    yield "null", b"null"
    yield "scalar", b'"just a string"'
    yield "empty object", b"{}"
    yield "empty array", b"[]"
    yield "truncated", b'{"target":"en","text":"abc'
    yield "trailing garbage", b'{"target":"en","text":"abc"}}}]]]'
    yield "unbalanced", b"]]]]}}}}"
    yield "whitespace padding", b" " * 1_000_000 + b'{"target":"en","text":"x"}'
    yield "lone surrogate", b'{"target":"en","text":"\\ud800\\udfff\\ud800"}'
    yield "escaped nul", b'{"target":"en","text":"a\\u0000b"}'
    yield "bad escape", b'{"target":"en","text":"\\x41\\u12"}'
    yield "huge string", b'{"target":"en","text":"' + "好".encode() * 340_000 + b'"}'
    yield "over the body limit", b'{"target":"en","text":"' + b"a" * 1_100_000 + b'"}'


def _encoded_bodies() -> Iterator[tuple[str, bytes]]:
    document = {"target": "en", "text": "这件衣服太炸了", "q": "太炸了", "source": "zh"}
    text = json.dumps(document, ensure_ascii=False)
    yield "utf-16 with BOM", text.encode("utf-16")
    yield "utf-32", text.encode("utf-32")
    yield "utf-8 BOM", b"\xef\xbb\xbf" + text.encode()
    yield (
        "latin-1",
        json.dumps({"target": "en", "text": "café"}, ensure_ascii=False).encode("latin-1"),
    )
    yield "invalid utf-8", b'{"target":"en","text":"\xff\xfe\xc3\x28 bad"}'
    yield "overlong utf-8", b'{"target":"en","text":"\xc0\xaf\xe0\x80\xaf"}'
    yield "raw surrogate bytes", b'{"target":"en","text":"\xed\xa0\x80"}'
    yield "nul bytes", b'{"target":"en",\x00"text":"x"}'


def _form_bodies() -> Iterator[tuple[str, bytes]]:
    yield "form bad percent", b"q=%ZZ%&source=%&target=en"
    yield "form empties", b"=&=&&&=="
    yield "form many fields", b"&".join(b"f%d=1" % i for i in range(3000))
    yield "form repeated", b"&".join([b"q=a"] * 5000) + b"&target=en&source=zh"
    yield "form huge field", b"target=en&source=zh&q=" + b"a" * 600_000
    yield "form bad utf-8", b"q=%ff%fe&target=en&source=zh"
    yield "form nested names", b"q[0][1][2]=a&q[]=b&q.x.y=c&target=en"


def _part(name: str, value: bytes, *, filename: str | None = None, extra: str = "") -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n{extra}\r\n"
    return head.encode() + value + b"\r\n"


def _multipart_bodies() -> Iterator[tuple[str, bytes, str]]:
    end = f"--{BOUNDARY}--\r\n".encode()
    fields = _part("q", "太炸了".encode()) + _part("target", b"en") + _part("source", b"zh")
    yield "multipart missing boundary", fields + end, "multipart/form-data"
    yield "multipart empty boundary", fields + end, "multipart/form-data; boundary="
    yield "multipart wrong boundary", fields + end, "multipart/form-data; boundary=other"
    yield "multipart unterminated", fields, MULTIPART
    inner = b"--inner\r\nContent-Type: text/plain\r\n\r\nnested\r\n--inner--\r\n"
    nested = _part("q", inner, extra="Content-Type: multipart/mixed; boundary=inner\r\n")
    yield "multipart nested", nested + _part("target", b"en") + end, MULTIPART
    many = b"".join(_part(f"f{i}", b"1") for i in range(2500))
    yield "multipart many parts", many + end, MULTIPART
    yield "multipart huge part", _part("q", b"a" * 600_000) + end, MULTIPART
    file = _part("file", b"title\n" + b"a" * 1000, filename="../../etc/passwd")
    yield "multipart file", fields + file + end, MULTIPART
    headers = "".join(f"X-H{i}: {'v' * 100}\r\n" for i in range(50))
    yield "multipart many part headers", _part("q", b"a", extra=headers) + end, MULTIPART
    yield "multipart no name", _part("", b"a") + end, MULTIPART
    yield "multipart garbage", b"\r\n--" * 10_000, MULTIPART


def bodies() -> Iterator[HostileBody]:
    """Every hostile body, each with the content type it claims (JSON ones also with others)."""
    for name, content in _json_bodies():
        yield HostileBody(name, content, JSON)
    for name, content in _encoded_bodies():
        yield HostileBody(name, content, JSON)
        yield HostileBody(f"{name} as utf-16 json", content, "application/json; charset=utf-16")
    for name, content in _form_bodies():
        yield HostileBody(name, content, FORM)
    for name, content, content_type in _multipart_bodies():
        yield HostileBody(name, content, content_type)
    deep = b'{"target":"en","text":' + _deep(100_000) + b"}"
    claimed: tuple[str | None, ...] = (None, "text/plain", FORM, MULTIPART, ";;;", "*/*")
    for claim in claimed:
        yield HostileBody(f"deep json as {claim}", deep, claim)


def path_segments() -> Iterator[str]:
    """Values for a path parameter, as they appear in a URL (already percent-encoded)."""
    yield "x"
    yield "..%2F..%2F..%2Fetc%2Fpasswd"
    yield "%2e%2e%2f%2e%2e%2f"
    yield "..%5c..%5cwindows"
    yield "%00"
    yield "%zz"
    yield "%ff%fe"
    yield "%E8%AF%8D"  # a CJK character
    yield "a" * 10_000
    yield "%25" * 2000
    yield "'%20OR%201=1--"


def query_strings() -> Iterator[str]:
    yield "stream=maybe&partial=perhaps&format=exe&limit=abc"
    yield "limit=99999999999999999999999999999&limit=-1"
    yield "format=..%2F..%2Fetc%2Fpasswd"
    yield "&".join(f"p{i}=1" for i in range(5000))
    yield "q=" + "a" * 60_000  # httpx refuses URLs over 64 KiB; the socket test sends more
    yield "%zz=%zz&%ff=%fe"
    yield "stream=true&stream=false&" + "&".join(["auth_key=x"] * 1000)
    yield "type=" + "%00" * 100
    yield "a[]=1&a[b][c]=2&__proto__=x"


def field_values() -> Iterator[tuple[str, Any]]:
    """Values that break types and sizes, for any field of any body."""
    yield "null", None
    yield "zero", 0
    yield "negative", -1
    yield "huge int", 10**30
    yield "float", 1e308
    yield "bool", True
    yield "empty string", ""
    yield "nul", "\x00"
    yield "list", ["x", 1, None]
    yield "object", {"a": {"b": []}}
    yield "long string", "a" * 100_001
    yield "near the body limit", "好" * 330_000
    yield "over the body limit", "a" * 1_100_000
    yield "control characters", "\u202e\u200b\ufeff\x1b[31m"
    yield "traversal", "../../../../etc/passwd"


def server_errors(metrics_text: str) -> list[str]:
    """The request counters of a `/metrics` page whose status is 5xx."""
    return [
        line
        for line in metrics_text.splitlines()
        if line.startswith("translator_http_requests_total{") and 'status="5' in line
    ]
