"""Body limits: past each one a route answers 4xx in its own error shape, naming the field;
just within them it still serves the request."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ClientFactory
from tests.api.test_jobs import FORM, csv_bytes
from translator.api.limits import BodyLimits, check_json
from translator.errors import BodyLimitExceeded

Client = AsyncTestClient[Litestar]
JSON = {"content-type": "application/json"}

SMALL_LIMITS: dict[str, Any] = {
    "max_json_depth": 8,
    "max_json_keys": 100,
    "max_json_values": 1000,
    "max_form_fields": 16,
    "max_form_field_bytes": 4096,
}
LIMITS = BodyLimits(
    json_depth=8,
    json_number_chars=40,
    json_keys=100,
    json_values=1000,
    form_fields=16,
    form_field_bytes=4096,
    file_bytes=1 << 20,
)


def _field_named(route: str, response: Any) -> str:
    """The field an answer names, in the route's error shape."""
    body = response.json()
    if route in ("/translate", "/detect"):  # LibreTranslate: {"error": "field: message"}
        assert response.status_code == 400, response.text
        return str(body["error"]).split(":")[0]
    if route == "/v2/translate":  # DeepL: {"message": "field: message"}, 413 as DeepL's own
        assert response.status_code == 413, response.text
        return str(body["message"]).split(":")[0]
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert body["type"] == "urn:translator:problem:body-limit-exceeded"
    return str(body["field"])


JSON_ROUTES = {
    "/v1/translate": ("texts", b'{"target":"en","texts":%s}'),
    "/v1/detect": ("texts", b'{"texts":%s}'),
    "/v1/glossaries": ("entries", b'{"name":"g","source":"zh","target":"en","entries":%s}'),
    "/custom/translate": ("text_list", b'{"target_lang":"en","text_list":%s}'),
    "/translate": ("q", b'{"source":"zh","target":"en","q":%s}'),
    "/detect": ("q", b'{"q":%s}'),
    "/v2/translate": ("text", b'{"target_lang":"EN","text":%s}'),
}


@pytest.mark.parametrize("route", list(JSON_ROUTES))
async def test_json_past_each_limit_names_the_field(client_for: ClientFactory, route: str) -> None:
    field, template = JSON_ROUTES[route]
    too_deep = b"[" * 8 + b"]" * 8  # 9 levels with the body's object
    long_number = b"[" + b"7" * 41 + b"]"
    async with client_for(**SMALL_LIMITS) as client:
        for value, named in ((too_deep, f"{field}[0]"), (long_number, f"{field}[0]")):
            response = await client.post(route, content=template % value, headers=JSON)
            assert _field_named(route, response) == named
        many_keys = b"{" + b",".join(b'"k%d":1' % i for i in range(101)) + b"}"
        many_values = b"[" + b",".join([b"1"] * 1001) + b"]"
        for value in (many_keys, many_values):
            response = await client.post(route, content=template % value, headers=JSON)
            assert _field_named(route, response) == "body"


async def test_a_json_route_measures_its_body_whatever_the_content_type_says(
    client_for: ClientFactory,
) -> None:
    body = b'{"target":"en","texts":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    async with client_for() as client:
        for content_type in ("text/plain", "application/x-www-form-urlencoded", ""):
            response = await client.post(
                "/v1/translate", content=body, headers={"content-type": content_type}
            )
            assert _field_named("/v1/translate", response) == "texts[0]"


async def test_bodies_just_within_the_limits_are_served(client_for: ClientFactory) -> None:
    nested = b"[" * 7 + b"]" * 7  # 8 levels with the body's object: unknown fields are ignored
    body = b'{"q":"\xe8\xbf\x99\xe4\xbb\xb6\xe8\xa1\xa3\xe6\x9c\x8d","source":"zh","target":"en",'
    body += b'"extra":' + nested + b',"n":' + b"1" * 40 + b"}"
    async with client_for(**SMALL_LIMITS) as client:
        response = await client.post("/translate", content=body, headers=JSON)
        assert response.status_code == 200, response.text
        assert response.json()["translatedText"].startswith("EN-")
        form = {"q": "这件衣服太炸了", "source": "zh", "target": "en", "pad": "x" * 4000}
        response = await client.post("/translate", data=form)
        assert response.status_code == 200, response.text


@pytest.mark.parametrize("route", ["/translate", "/v2/translate"])
async def test_forms_past_their_limits_name_the_field(
    client_for: ClientFactory, route: str
) -> None:
    text = "q" if route == "/translate" else "text"
    base = f"target=en&target_lang=EN&source=zh&{text}=hi"
    async with client_for(**SMALL_LIMITS) as client:
        headers = {"content-type": "application/x-www-form-urlencoded"}
        many = base + "".join(f"&f{i}=1" for i in range(16))
        response = await client.post(route, content=many.encode(), headers=headers)
        assert _field_named(route, response) == "body"
        large = base + "&big%20note=" + "x" * 4096
        response = await client.post(route, content=large.encode(), headers=headers)
        assert _field_named(route, response) == "big note"


async def test_multipart_parts_are_counted_and_measured(client_for: ClientFactory) -> None:
    async with client_for(**SMALL_LIMITS) as client:
        fields = {"q": "hi", "source": "zh", "target": "en"}
        many = {**fields, **{f"f{i}": "1" for i in range(16)}}
        response = await client.post("/translate", files={"x": ("x.txt", b"1")}, data=many)
        assert _field_named("/translate", response) == "body"
        response = await client.post(
            "/translate", files={"attached": ("a.txt", b"x" * 4097)}, data=fields
        )
        assert _field_named("/translate", response) == "attached"


async def test_an_upload_takes_a_large_file_but_not_a_large_field(
    client_for: ClientFactory,
) -> None:
    catalog = csv_bytes([["title"], *[[f"这件衣服太炸了 {i}"] for i in range(400)]])
    assert len(catalog) > 4096  # larger than a field may be, within the upload limit
    async with client_for(**SMALL_LIMITS) as client:
        files = {"file": ("catalog.csv", catalog)}
        form = {**FORM, "columns": "title", "html_columns": ""}
        response = await client.post("/v1/jobs", files=files, data=form)
        assert response.status_code == 202, response.text
        form["html_columns"] = "x" * 5000
        response = await client.post("/v1/jobs", files=files, data=form)
        assert _field_named("/v1/jobs", response) == "html_columns"


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": [1, 2}',  # brackets that do not match
        b"]]]]]]]]]]]]]]]]]]]]",
        b'{"text": "[[[[[[[[[[[[[[[[[[[[ inside a string"}',
        b'{"code": "' + b"9" * 100 + b'"}',  # digits inside a string are text, not a number
        b'{"text": "\\"[[[[[[[[[[[[[[[[[[[[\\""}',
        b'"unterminated [[[[[[[[[[[[[[[[[[[[',
    ],
)
def test_malformed_or_string_content_is_left_to_the_parser(body: bytes) -> None:
    check_json(body, LIMITS)


def test_the_deepest_point_is_named_two_levels_down() -> None:
    body = b'{"ok": [[1]], "entries": [{"a": 1}, {"b": ' + b"[" * 10 + b"]" * 10 + b"}]}"
    with pytest.raises(BodyLimitExceeded) as raised:
        check_json(body, LIMITS)
    assert raised.value.field == "entries[1]"
