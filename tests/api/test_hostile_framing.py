"""Malformed framing, headers and request targets, sent as raw bytes to the app served on a
loopback port: no answer is a 5xx, none is counted as one, and the server still translates."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.engines import EchoEngine, echo_translation
from tests.api.hostile import server_errors
from tests.api.loopback import exchange, serve_in_thread
from translator.api import create_app
from translator.settings import Settings

BODY = '{"target":"en","text":"这件衣服太炸了","mode":"direct"}'.encode()


def _request(
    target: bytes = b"/v1/translate",
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = BODY,
    *,
    method: bytes = b"POST",
    length: bool = True,
) -> bytes:
    lines = [method + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1"]
    if length:
        lines.append(b"Content-Length: %d" % len(body))
    lines += [name + b": " + value for name, value in headers or []]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _cases() -> Iterator[tuple[str, bytes, bool]]:
    """(name, raw request, whether to half-close after sending it)."""
    json = [(b"Content-Type", b"application/json")]
    without = _request(headers=json, length=False)
    head, _, body = without.partition(b"\r\n\r\n")
    yield "content-length not a number", _request(headers=[(b"Content-Length", b"abc")]), False
    yield "content-length negative", head + b"\r\nContent-Length: -5\r\n\r\n" + body, True
    yield "content-length huge", head + b"\r\nContent-Length: 9" + b"9" * 30 + b"\r\n\r\n", True
    yield "content-lengths conflicting", _request(headers=[(b"Content-Length", b"3"), *json]), True
    yield "body shorter than announced", head + b"\r\nContent-Length: 1000\r\n\r\n" + body, True
    yield "body longer than announced", head + b"\r\nContent-Length: 5\r\n\r\n" + body, True
    yield "chunked with a bad size", head + b"\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", True
    yield "chunked and a length", _request(headers=[(b"Transfer-Encoding", b"chunked")]), True
    yield "chunked, never ending", head + b"\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc", True
    yield "huge header", _request(headers=[(b"X-Big", b"a" * 1_000_000), *json]), False
    many = [(b"X-H%d" % i, b"v") for i in range(10_000)]
    yield "ten thousand headers", _request(headers=many), False
    keys = [(b"Authorization", b"Bearer first"), (b"Authorization", b"Bearer second")]
    yield "repeated authorization", _request(headers=[*keys, *json]), False
    yield "repeated key headers", _request(headers=[(b"X-API-Key", b"k")] * 100), False
    yield "huge key", _request(headers=[(b"Authorization", b"Bearer " + b"k" * 60_000)]), False
    types = [(b"Content-Type", b"application/json"), (b"Content-Type", b"text/plain")]
    yield "repeated content-type", _request(headers=types), False
    for content_type in (
        b"application/json; charset=nope",
        b"multipart/form-data",
        b"multipart/form-data; boundary=",
        b"multipart/form-data; boundary=" + b"b" * 5000,
        b"application/x-www-form-urlencoded; charset=utf-16",
        b"\xff\xfe/\x00",
        b"a" * 20_000,
        b";;;===",
    ):
        yield (
            f"content-type {content_type[:30]!r}",
            _request(headers=[(b"Content-Type", content_type)]),
            False,
        )
    yield "non-ascii header value", _request(headers=[(b"X-API-Key", b"\xff\xfe\x00")]), False
    yield "header without colon", _request(headers=[(b"Broken header", b"")]), False
    long_path = b"/v1/glossaries/" + b"a" * 100_000
    yield "long path", _request(long_path, method=b"GET", body=b""), False
    long_query = b"/v1/languages?q=" + b"a" * 200_000
    yield "long query", _request(long_query, method=b"GET", body=b""), False
    for target in (
        b"/v1/glossaries/..%2F..%2F..%2Fetc%2Fpasswd",
        b"/v1/../../../etc/passwd",
        b"/v1/glossaries/%00",
        b"/v1/glossaries/%zz",
        b"/v1/glossaries/\xff\xfe",
        b"//" * 300,
        b"http://evil.example/v1/languages",
        b"*",
        b"v1/languages",
    ):
        yield f"target {target[:40]!r}", _request(target, method=b"GET", body=b""), False
    yield "unknown method", _request(method=b"FROBNICATE"), False
    yield "long method", _request(method=b"P" * 10_000), False
    yield "garbage request line", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" * 50, True
    yield "http/0.9", b"GET /health\r\n\r\n", True
    yield "http/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", True


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, migrated_database: Path
) -> Iterator[tuple[str, int]]:
    """One server for the module: the last test checks what all the others left behind."""
    directory = tmp_path_factory.mktemp("framing")
    shutil.copyfile(migrated_database, directory / "translator.db")
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{directory / 'translator.db'}", cache_dir=directory
    )
    with serve_in_thread(create_app(settings, EchoEngine())) as address:
        yield address


@pytest.mark.parametrize(
    ("raw", "close_write"), [pytest.param(raw, close, id=name) for name, raw, close in _cases()]
)
def test_malformed_requests_get_no_server_error(
    served: tuple[str, int], raw: bytes, close_write: bool
) -> None:
    status = exchange(served, raw, close_write=close_write)
    assert status is None or status < 500, status


def test_the_server_still_translates_and_counted_no_server_error(
    served: tuple[str, int],
) -> None:
    host, port = served
    with httpx.Client(base_url=f"http://{host}:{port}") as client:
        response = client.post("/v1/translate", content=BODY)
        assert response.status_code == 200, response.text
        assert response.json()["translations"][0]["translation"] == echo_translation(
            "这件衣服太炸了"
        )
        errors = server_errors(client.get("/metrics").text)
    assert not errors, errors
