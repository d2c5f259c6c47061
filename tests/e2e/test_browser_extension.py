"""The browser extension in Debian's Chromium against `translator serve` on the real model.

Two servers run: one requiring API keys (the extension sends its key, preflight included) and
one without (the extension sends none). The fixture pages are served from their own loopback
server. plugins/browser-extension/e2e/driver.mjs clicks through the user stories and reports
what the page showed; this test judges the report. `./scripts/test` installs Chromium and
builds the extension first; without them this test fails rather than skips.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.serving import HAN, create_key, run_browser_driver, serve
from tests.ports import free_port

pytestmark = pytest.mark.e2e

EXTENSION = Path(__file__).resolve().parents[2] / "plugins" / "browser-extension"
DRIVER_TIMEOUT_S = 1200
IMPROVED = "The cushioning feels like walking on clouds"


class _QuietPages(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@contextmanager
def _pages() -> Iterator[str]:
    handler = functools.partial(_QuietPages, directory=str(EXTENSION / "e2e" / "pages"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, model_path: Path) -> dict[str, Any]:
    """Runs the driver once; the tests below read its report."""
    chromium = shutil.which("chromium")
    node = shutil.which("node")
    assert chromium, "chromium is not installed: ./scripts/services installs it"
    assert node, "node is not installed"
    build = EXTENSION / "dist" / "chrome" / "manifest.json"
    assert build.is_file(), "the extension is not built: run `npm run build` in " + str(EXTENSION)
    keyed_dir = tmp_path_factory.mktemp("keyed")
    open_dir = tmp_path_factory.mktemp("open")
    with (
        serve(keyed_dir, model_path, TRANSLATOR_API_KEYS_REQUIRED="true") as keyed,
        serve(open_dir, model_path) as open_server,
        _pages() as pages,
    ):
        good = create_key(keyed_dir / "api.db", "extension", "--memory", "fixes")
        config = {
            "chromium": chromium,
            "extensionDir": str(build.parent),
            "profileDir": str(tmp_path_factory.mktemp("profile")),
            "pages": pages,
            "keyed": keyed.url,
            "open": open_server.url,
            "unreachable": f"http://127.0.0.1:{free_port()}",
            "keys": {
                "good": good,
                "tight": create_key(keyed_dir / "api.db", "tight", "--rpm", "1"),
            },
            "improved": IMPROVED,
        }
        result: dict[str, Any] = run_browser_driver(node, EXTENSION, config, DRIVER_TIMEOUT_S)
        entries = keyed.client.get("/v1/memories/fixes/entries", headers={"X-API-Key": good})
    result["memoryEntries"] = entries.json().get("entries")
    return result


def test_failures_show_a_message_and_leave_the_page_untouched(report: dict[str, Any]) -> None:
    assert report["unreachable"]["kind"] == "unreachable"
    assert "unreachable" in report["unreachable"]["text"]
    assert report["noKey"]["kind"] == "auth" and "API key is required" in report["noKey"]["text"]
    assert report["wrongKey"]["kind"] == "auth" and "unknown API key" in report["wrongKey"]["text"]
    assert report["rateLimited"]["kind"] == "rate-limited"
    assert "Trying again in" in report["rateLimited"]["text"]
    for state in ("unreachable", "noKey", "wrongKey", "rateLimited"):
        assert report[state]["untouched"] is True, state


def test_options_page_saves_the_settings_and_tests_the_connection(
    report: dict[str, Any],
) -> None:
    assert report["optionsTest"].startswith("Connected: ")
    saved = report["savedSettings"]
    assert saved["apiKey"].startswith("tr_") and saved["mode"] == "direct"
    assert saved["display"] == "bilingual"


def test_bilingual_translation_lazy_blocks_cache_and_restore(report: dict[str, Any]) -> None:
    visible = report["visible"]
    assert set(visible) == {"title", "r1", "r2", "r3", "r4"}  # not the pre, not .notranslate
    for translation in visible.values():
        assert translation.strip() and not HAN.search(translation), visible
    assert "r5" not in visible and "r6" not in visible  # far below: not translated yet
    after_scroll = report["afterScroll"]
    assert {"r5", "r6"} <= set(after_scroll)
    assert not HAN.search(after_scroll["r5"] + after_scroll["r6"])
    assert report["callsAfterScroll"] > report["callsAtStart"]
    assert report["restoredExactly"] is True

    # Translating again takes every block from the extension's cache: no request at all.
    assert report["cachedAgain"] == after_scroll
    assert report["callsAfterCachedRun"] == report["callsAfterScroll"]

    # A review added after translating ("load more") is translated with one request.
    assert report["loaded"] and not HAN.search(report["loaded"])
    assert report["callsAfterLoadMore"] == report["callsAfterCachedRun"] + 1
    assert report["reviewsAfterRestore"] == [
        "这双鞋踩屎感太强了，穿一天都不累",
        "颜值绝绝子，买它买它",
        '质量<b>杠杠的</b>，<a href="/shop?from=review" id="r3-link">回购了</a>',
        "尺码偏小，建议拍大一码",
        "客服态度很好，有问必答",  # the loaded one, appended to the list
        "物流超快，第二天就到了",
        "性价比很高，推荐",
    ]
    assert report["pageErrors"] == []


def test_selection_popup_shows_translation_confidence_and_idiom_notes(
    report: dict[str, Any],
) -> None:
    assert report["selected"] == "踩屎感太强了"
    popup = report["popup"]
    assert popup["translation"] and not HAN.search(popup["translation"])
    assert re.fullmatch(r"confidence \d{1,3}% · from zh", popup["confidence"]), popup
    terms = {term["term"]: term for term in popup["terms"]}
    assert "踩屎感" in terms
    assert terms["踩屎感"]["meaning"]  # what the slang means, from the glossary
    assert terms["踩屎感"]["status"]


def test_the_popup_improves_a_translation_into_the_keys_memory(report: dict[str, Any]) -> None:
    assert report["improved"] == {
        "status": "Saved to your translation memory.",
        "translation": IMPROVED,
    }
    assert report["memoryEntries"] == [{"source": "踩屎感太强了", "target": IMPROVED}]


def test_replace_mode_keeps_inline_markup_and_restores_exactly(report: dict[str, Any]) -> None:
    replaced = report["replaced"]
    assert not HAN.search(replaced["r1"])
    match = re.fullmatch(
        r'([^<]*)<b>([^<]*)</b>([^<]*)<a href="([^"]*)" id="r3-link">([^<]*)</a>', replaced["r3"]
    )
    assert match, replaced["r3"]
    assert match.group(4) == "/shop?from=review" == replaced["linkHref"]
    assert not HAN.search(match.group(2) + match.group(5))
    assert replaced["sku"] == "货号 XB-2024 不要翻译" and replaced["brand"] == "小白鞋旗舰店"
    assert replaced["lazy"] == "物流超快，第二天就到了"  # far below: untouched
    assert report["replaceRestoredExactly"] is True


@pytest.mark.parametrize("display", ["bilingual", "replace"])
def test_markup_in_page_text_stays_text(report: dict[str, Any], display: str) -> None:
    seen = report["xss"][display]
    assert seen["flag"] is None  # no onerror handler and no script ran
    assert seen["images"] == 0 and seen["scripts"] == 0
    expected = [["span"], ["span"]] if display == "bilingual" else [[], []]
    assert seen["elementsInParagraphs"] == expected  # the translation is one text node
