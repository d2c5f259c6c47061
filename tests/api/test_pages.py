"""The service's own pages: the translator at `/`, its assets, the docs UI and the trace page.

These check what the server sends; tests/e2e/test_web_pages.py drives the same pages in
Chromium on the real model.
"""

from __future__ import annotations

import re

from tests.api.conftest import ClientFactory
from translator.text.languages import LANGUAGES

ELSEWHERE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)
"""An attribute that would load or link something from another host."""


async def test_the_translator_page_is_served_with_its_pickers_and_policy(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        page = await client.get("/")
    async with client_for(api_keys_required=True) as keyed:
        keyed_page = await keyed.get("/")  # the page itself needs no key

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    html = page.text
    for code in LANGUAGES:
        assert f'<option value="{code}"' in html
    assert '<option value="en" selected>' in html  # the default target
    assert 'data-keys-required="false"' in html
    assert keyed_page.status_code == 200 and 'data-keys-required="true"' in keyed_page.text
    assert '<label for="text">' in html and '<label for="target">' in html
    assert not ELSEWHERE.search(html)


async def test_the_page_assets_and_docs_ui_come_from_this_server(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        script = await client.get("/static/translator.js")
        style = await client.get("/static/translator.css")
        docs = await client.get("/docs")
        assets = [
            await client.get(path)
            for path in re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", docs.text)
        ]
        demo = await client.get("/static/swagger-ui/index.html")
        escape = await client.get("/static/swagger-ui/..%2F__init__.py")

    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "textContent" in script.text
    assert style.status_code == 200 and "text/css" in style.headers["content-type"]
    assert docs.status_code == 200 and not ELSEWHERE.search(docs.text)
    assert len(assets) == 4  # Swagger UI's script, preset and style, and our icon
    assert all(asset.status_code == 200 and asset.content for asset in assets)
    assert demo.status_code == 404 and escape.status_code == 404


async def test_the_trace_page_draws_the_tree_and_allows_no_script(
    client_for: ClientFactory,
) -> None:
    body = {"text": "这件衣服太炸了", "target": "en", "mode": "mcts", "rollouts": 2}
    async with client_for() as client:
        answer = (await client.post("/v1/translate", json=body)).json()["translations"][0]
        page = await client.get(f"/traces/{answer['id']}")

    assert page.status_code == 200
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    svg_at = page.text.index('<svg xmlns="http://www.w3.org/2000/svg" class="search-tree"')
    assert svg_at < page.text.index('<ul class="tree-list">')
    assert '<a href="#node-0"' in page.text and '<li id="node-0"' in page.text
