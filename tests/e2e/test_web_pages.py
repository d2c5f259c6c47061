"""The service's own pages in Debian's Chromium against `translator serve` on the real model.

One server runs, requiring API keys. translator/api/pages/web/e2e/driver.mjs translates through
the page at `/` (a failed call without a key first, then a small search with live progress),
opens the trace, checks phone width and the keyboard, runs a tiny catalog job and downloads its
results, and opens `/docs`, recording every request the browser made; this test judges the
report. Screenshots and the downloaded file are kept in `test-artifacts/web-pages/` (or
`$TRANSLATOR_TEST_ARTIFACTS`) for a person to look at. `./scripts/test` installs Chromium and
the page's npm packages first; without them this test fails rather than skips.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from openpyxl import Workbook

from tests.e2e.serving import HAN, create_key, run_browser_driver, serve

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "translator" / "api" / "pages" / "web"
DRIVER_TIMEOUT_S = 1500
SENTENCE = "这双鞋踩屎感太强了，买它买它！"
HOSTILE = '<img src=x onerror="window.__owned=1"><b>太炸了</b>'
CATALOG_ROWS = [("A1", "质量杠杠的"), ("A2", "物流超快，第二天就到了")]


def _artifacts() -> Path:
    folder = (
        Path(os.environ.get("TRANSLATOR_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "web-pages"
    )
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _catalogs(folder: Path) -> tuple[Path, Path]:
    catalog = folder / "listings.csv"
    with catalog.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["sku", "title", "price"])
        writer.writerows((sku, title, "9.90") for sku, title in CATALOG_ROWS)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["sku", "标题", "review"])
    sheet.append(["A1", "太炸了", "买它"])
    workbook_path = folder / "listings.xlsx"
    workbook.save(workbook_path)
    return catalog, workbook_path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, model_path: Path) -> dict[str, Any]:
    """Runs the driver once; the tests below read its report."""
    chromium = shutil.which("chromium")
    node = shutil.which("node")
    assert chromium, "chromium is not installed: ./scripts/services installs it"
    assert node, "node is not installed"
    assert (WEB / "node_modules" / "playwright-core").is_dir(), "run ./scripts/pages first"
    server_dir = tmp_path_factory.mktemp("pages")
    artifacts = _artifacts()
    catalog, workbook = _catalogs(server_dir)
    with serve(server_dir, model_path, TRANSLATOR_API_KEYS_REQUIRED="true") as server:
        config = {
            "chromium": chromium,
            "base": server.url,
            "key": create_key(server.database, "pages"),
            "artifacts": str(artifacts),
            "sentence": SENTENCE,
            "hostile": HOSTILE,
            "catalog": str(catalog),
            "workbook": str(workbook),
        }
        result: dict[str, Any] = run_browser_driver(node, WEB, config, DRIVER_TIMEOUT_S)
    result["base"] = server.url
    return result


def test_no_page_loads_anything_from_another_host(report: dict[str, Any]) -> None:
    here = urlsplit(report["base"]).netloc
    elsewhere = [
        url
        for url in report["requests"]
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and urlsplit(url).netloc != here
    ]
    assert elsewhere == []
    paths = {urlsplit(url).path for url in report["requests"]}
    assert {
        "/",
        "/static/translator.js",
        "/docs",
        "/static/swagger-ui/swagger-ui-bundle.js",
    } <= paths
    assert report["pageErrors"] == []
    # The only console errors allowed are the failed calls the test makes on purpose (401).
    assert all("401" in message for message in report["consoleErrors"]), report["consoleErrors"]


def test_a_missing_key_shows_the_problem_detail_and_the_key_is_kept(
    report: dict[str, Any],
) -> None:
    assert report["keyFieldShown"] is True
    assert "Could not translate: an API key is required" in report["noKeyError"]
    assert report["keyFieldFocused"] is True
    assert report["keyStored"].startswith("tr_")


def test_a_search_through_the_page_shows_progress_then_the_result(report: dict[str, Any]) -> None:
    assert {"en", "zh", "ja"} <= set(report["languages"])
    seen = report["progressSeen"]
    rounds = [
        entry
        for entry in seen
        if not entry["resultShown"]
        and re.fullmatch(r"Search: \d rollouts? done( of 2)? · \d+ tokens generated", entry["text"])
    ]
    assert rounds, seen  # progress arrived while the search ran, before the result
    assert all(entry["best"].strip() for entry in rounds), rounds
    result = report["result"]
    assert result["translation"].strip() and not HAN.search(result["translation"])
    assert result["lang"] == "en"
    assert re.match(
        r"confidence \d{1,3}% · detected Chinese \(Simplified\) \(zh\) · mcts", result["facts"]
    )
    terms = {term["term"]: term for term in result["terms"]}
    assert "踩屎感" in terms, result["terms"]
    assert terms["踩屎感"]["meaning"] and terms["踩屎感"]["status"]
    for alternative in result["alternatives"]:
        assert re.search(r"reward \d\.\d{3}$", alternative), alternative
    assert re.fullmatch(r"/traces/[0-9a-f-]{36}", result["traceHref"])
    assert report["copyStatus"] == "Copied."
    assert report["clipboard"] == result["translation"]


def test_markup_in_the_text_never_becomes_markup(report: dict[str, Any]) -> None:
    hostile = report["hostile"]
    assert hostile["owned"] is None
    assert hostile["elements"] == 0
    assert hostile["translation"].strip()


def test_the_trace_page_draws_the_tree_above_the_text_view(report: dict[str, Any]) -> None:
    trace = report["trace"]
    assert trace["nodes"] >= 3 and trace["nodes"] == trace["listedNodes"]
    # The chosen path runs from the root to the chosen answer's node (the root alone when a
    # greedy answer the search put in its pool won), and every node on it is drawn dark.
    assert trace["chosenPath"][0] == 0
    assert trace["chosen"] == len(trace["chosenPath"])
    assert trace["sizes"] >= 2  # circles sized by visits
    assert trace["textViewBelow"] is True
    assert all(title.startswith("#") for title in trace["titles"])
    assert trace["selected"]["hash"] == "#" + trace["selected"]["targeted"]


def test_pages_fit_a_phone_and_tabs_follow_the_keyboard(report: dict[str, Any]) -> None:
    assert report["phone"] == {"translatorOverflow": 0, "traceOverflow": 0}
    # The trace's glossary (and QA) tables turn into cards of labelled lines on a phone.
    tables = report["phoneTables"]
    assert tables["tables"] >= 1
    assert tables["scrollingSideways"] == 0 and tables["headersShown"] == 0
    assert tables["firstLabel"] in {'"term: "', '"kind: "'}
    assert report["tabs"] == {
        "focused": "tab-catalog",
        "selected": "tab-catalog",
        "catalogShown": True,
    }


def test_a_catalog_is_translated_and_its_results_downloaded(report: dict[str, Any]) -> None:
    assert report["workbookColumns"] == ["sku", "标题", "review"]
    assert report["catalogColumns"] == ["sku", "title", "price"]
    assert report["jobStatus"].startswith("completed: 2 of 2 rows"), report["jobStatus"]
    download = report["download"]
    assert download["name"] == "listings.en.csv"
    with Path(download["path"]).open(encoding="utf-8", newline="") as results:
        rows = list(csv.DictReader(results))
    assert [row["sku"] for row in rows] == [sku for sku, _ in CATALOG_ROWS]
    for row in rows:
        assert row["title_en"].strip() and not HAN.search(row["title_en"]), row
        assert row["translation_error"] == ""


def test_the_docs_ui_renders_from_local_assets(report: dict[str, Any]) -> None:
    assert report["docs"]["operations"] >= 10
