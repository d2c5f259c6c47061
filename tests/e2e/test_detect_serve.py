"""Detection through `translator serve` on the real model: listing titles as catalogs hold them."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.e2e

TITLES = {
    "Garmin Forerunner 265 运动手表": "zh",
    "Galaxy S24 Ultra 512GB 자급제": "ko",
    "国産 無添加 梅干 1kg": "ja",
    "防水 透氣 登山鞋 男款 台灣現貨": "zh-Hant",
    "Bosch Akkuschrauber mit zwei Akkus und Ladegerät": "de",
}
GREEK = "Πολύ καλό προϊόν, γρήγορη αποστολή"


def test_detect_reports_and_translate_refuses_what_we_do_not_serve(server: httpx.Client) -> None:
    detected = server.post("/v1/detect", json={"texts": [*TITLES, GREEK]})
    assert detected.status_code == 200, detected.text
    *titles, greek = detected.json()["detections"]
    assert [d["language"] for d in titles] == list(TITLES.values())
    assert all(d["supported"] and d["candidates"] for d in titles)
    assert (greek["language"], greek["supported"], greek["scripts"]) == ("el", False, ["Greek"])

    refused = server.post("/v1/translate", json={"target": "en", "texts": ["好看", GREEK]})
    assert refused.status_code == 400
    assert refused.json()["field"] == "texts[1]"
    assert "'el'" in refused.json()["detail"]


def test_a_kanji_only_title_is_translated_from_japanese(server: httpx.Client) -> None:
    body = {"text": "国産 無添加 梅干 1kg", "target": "en", "mode": "direct"}
    response = server.post("/v1/translate", json=body)
    assert response.status_code == 200, response.text
    (translation,) = response.json()["translations"]
    assert translation["source_language"] == "ja"
    assert translation["translation"].strip()
