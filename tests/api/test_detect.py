"""`/v1/detect` reports languages (never refusing one), and the translate routes refuse an
unsupported source by name."""

from __future__ import annotations

from tests.api.conftest import ClientFactory
from tests.unit.test_detection_set import load_set

GREEK = "Πολύ καλό προϊόν, γρήγορη αποστολή"


async def test_detect_reports_candidates_scripts_and_support(client_for: ClientFactory) -> None:
    texts = ["Galaxy S24 Ultra 512GB 자급제", GREEK, "👍👍 100%"]
    async with client_for() as client:
        response = await client.post("/v1/detect", json={"texts": texts})
    assert response.status_code == 200, response.text
    korean, greek, letterless = response.json()["detections"]
    assert (korean["language"], korean["supported"]) == ("ko", True)
    assert korean["scripts"] == ["Latin", "Hangul"]
    assert korean["candidates"][0] == {
        "language": "ko",
        "confidence": korean["confidence"],
        "supported": True,
    }
    assert (greek["language"], greek["supported"], greek["scripts"]) == ("el", False, ["Greek"])
    assert greek["candidates"][0]["supported"] is False
    assert letterless == {
        "language": "und",
        "confidence": 0.0,
        "supported": False,
        "candidates": [{"language": "und", "confidence": 0.0, "supported": False}],
        "scripts": [],
    }


async def test_detect_answers_every_title_of_the_set(client_for: ClientFactory) -> None:
    rows = load_set()
    async with client_for() as client:
        answers = []
        for start in range(0, len(rows), 32):
            batch = [text for _, text in rows[start : start + 32]]
            response = await client.post("/v1/detect", json={"texts": batch})
            assert response.status_code == 200, response.text
            answers += response.json()["detections"]
    right = sum(a["language"] == language for a, (language, _) in zip(answers, rows, strict=True))
    assert right / len(rows) >= 0.97
    assert all(a["supported"] and a["candidates"] and a["scripts"] for a in answers)


async def test_translate_refuses_an_unsupported_source_naming_language_and_field(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        response = await client.post(
            "/v1/translate", json={"target": "en", "texts": ["这件衣服太炸了", GREEK]}
        )
        libre = await client.post("/translate", json={"q": GREEK, "source": "auto", "target": "en"})
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["field"] == "texts[1]"
    assert "detected language 'el' is not supported" in problem["detail"]
    assert libre.status_code == 400
    assert libre.json() == {
        "error": "q: detected language 'el' is not supported; set source explicitly"
    }
