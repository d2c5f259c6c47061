"""API keys never leave the server: not in its logs (uvicorn's access log included), not in
metrics, not in any answer, whichever way a key is sent (headers, query, JSON or form body),
valid, unknown or revoked. Keys are checked with a constant-time comparison, and `translator
keys create` shows a key once: on its standard output, nowhere in the database."""

from __future__ import annotations

import asyncio
import hmac
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from tests.api.engines import EchoEngine
from tests.api.keys import new_key, revoke
from tests.api.loopback import serve_in_thread
from translator.api import create_app
from translator.cli.main import app as cli
from translator.settings import Settings

REVIEW = "这件衣服太炸了"


def _requests(valid: str, revoked: str, unknown: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, url, httpx keywords): every way a key reaches the server, and then some."""
    calls: list[tuple[str, str, dict[str, Any]]] = []
    for key in (valid, revoked, unknown):
        translate = {"json": {"text": REVIEW, "target": "en", "mode": "direct"}}
        calls += [
            ("POST", "/v1/translate", {**translate, "headers": {"Authorization": f"Bearer {key}"}}),
            ("POST", "/v1/translate", {**translate, "headers": {"X-API-Key": key}}),
            ("GET", "/v1/usage", {"headers": {"Authorization": f"DeepL-Auth-Key {key}"}}),
            ("GET", f"/v2/usage?auth_key={key}", {}),
            ("POST", f"/v2/languages?auth_key={key}", {"data": {"type": "target"}}),
            (
                "POST",
                "/v2/translate",
                {"data": {"text": REVIEW, "target_lang": "EN", "auth_key": key}},
            ),
            (
                "POST",
                "/translate",
                {"json": {"q": REVIEW, "source": "zh", "target": "en", "api_key": key}},
            ),
            (
                "POST",
                "/translate",
                {"data": {"q": REVIEW, "source": "zh", "target": "en", "api_key": key}},
            ),
            ("POST", f"/detect?api_key={key}", {"json": {"q": REVIEW}}),
            (
                "POST",
                "/custom/translate",
                {
                    "json": {"text_list": [REVIEW], "target_lang": "en"},
                    "headers": {"X-API-Key": key},
                },
            ),
            (
                "POST",
                "/v1/translate",
                {"json": {"text": 7, "target": key}, "headers": {"X-API-Key": key}},
            ),
        ]
    calls.append(("POST", "/v1/translate", {"json": {"text": REVIEW, "target": "en"}}))  # none
    return calls


class _Captured(logging.Handler):
    """Every log line, formatted with its traceback. (pytest's `caplog` sees nothing once the
    app has configured logging, which replaces the root logger's handlers.)"""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith("httpx"):  # the test's own client
            self.lines.append(self.format(record))


def test_keys_appear_in_no_log_metric_or_answer(settings: Settings) -> None:
    valid = asyncio.run(new_key(settings, "shop"))
    revoked = asyncio.run(new_key(settings, "old"))
    asyncio.run(revoke(settings, "old"))
    unknown = valid[:8] + "x" * (len(valid) - 8)  # a guess that shares the valid key's prefix
    seen: list[str] = []
    app = create_app(settings.model_copy(update={"api_keys_required": True}), EchoEngine())
    with (
        serve_in_thread(app, log_config=None, log_level="debug") as (host, port),
        httpx.Client(base_url=f"http://{host}:{port}") as client,
    ):
        captured = _Captured()
        logging.getLogger().addHandler(captured)  # after the app configured logging
        statuses = set()
        for method, url, options in _requests(valid, revoked, unknown):
            response = client.request(method, url, **options)
            statuses.add(response.status_code)
            seen += [response.text, str(response.headers)]
        seen.append(client.get("/metrics").text)
    logging.getLogger().removeHandler(captured)
    seen += captured.lines
    assert {200, 401, 403}.issubset(statuses), statuses  # valid, unknown and revoked were tried
    assert any("GET /v2/usage?auth_key=" in line for line in seen), "no access log captured"
    for key in (valid, revoked, unknown):
        assert not [text for text in seen if key in text]


async def test_keys_are_checked_with_a_constant_time_comparison(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[str, str]] = []
    constant_time = hmac.compare_digest

    def compare_digest(a: str, b: str) -> bool:
        compared.append((a, b))
        return constant_time(a, b)

    valid = await new_key(settings, "shop")
    monkeypatch.setattr(
        hmac, "compare_digest", compare_digest
    )  # as `translator.store.keys` calls it
    app = create_app(settings.model_copy(update={"api_keys_required": True}), EchoEngine())
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        assert (await c.get("/v1/languages", headers={"X-API-Key": valid})).status_code == 200
        guess = valid[:-1] + ("A" if valid[-1] != "A" else "B")
        assert (await c.get("/v1/languages", headers={"X-API-Key": guess})).status_code == 401
    assert [a == b for a, b in compared] == [True, False]


def test_keys_create_shows_the_key_once(tmp_path: Path) -> None:
    database = tmp_path / "keys.db"
    url = f"sqlite:///{database}"
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade", "--url", url]).exit_code == 0
    created = runner.invoke(cli, ["keys", "create", "shop", "--url", url])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    assert created.stdout.count(key) == 1 and key not in created.stderr
    assert "cannot be shown again" in created.stderr
    listed = runner.invoke(cli, ["keys", "list", "--url", url])
    assert key[:8] in listed.output and key not in listed.output
    again = runner.invoke(cli, ["keys", "create", "shop", "--url", url])
    assert again.exit_code != 0 and key not in again.output
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("keys.db*"))
    assert key.encode() not in stored
