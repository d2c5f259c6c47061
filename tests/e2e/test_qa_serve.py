"""QA findings in real answers: `translator serve` on the real model, driven over HTTP."""

from __future__ import annotations

import httpx
import pytest

from translator.text.qa import Problem, check_translation

pytestmark = pytest.mark.e2e

LISTING = "#Product2#2,180円(税込)"
"""A listing title with a template placeholder and a price, as a shop's feed sends it."""


def _findings(source: str, translation: str) -> list[dict[str, object]]:
    found = check_translation(source, translation, source_language="ja", target_language="en")
    return [finding.as_dict() for finding in found]


def test_a_real_answer_carries_the_qa_findings_of_its_translation(server: httpx.Client) -> None:
    body = {"text": LISTING, "source": "ja", "target": "en", "mode": "direct"}
    response = server.post("/v1/translate", json=body)
    assert response.status_code == 200, response.text
    (answer,) = response.json()["translations"]
    assert answer["translation"]
    assert answer["qa"] == _findings(LISTING, answer["translation"])
    assert "#Product2#" in answer["translation"]  # restored if the model lost it
    assert not [f for f in answer["qa"] if f["kind"] == "placeholder"]
    # The answer, a greedy retry if it lost something, sampled answers if that did too.
    assert answer["usage"]["calls"] in (1, 2, 3)
    if any(f["problem"] != Problem.EXTRA for f in answer["qa"]):
        assert answer["usage"]["calls"] >= 2  # a source token is still lacking: it was retried
    if any(f["severity"] == "error" and f["problem"] != Problem.EXTRA for f in answer["qa"]):
        assert answer["usage"]["calls"] == 3

    (cached,) = server.post("/v1/translate", json=body).json()["translations"]
    assert cached["cached"] is True and cached["qa"] == answer["qa"]

    clean = {**body, "text": "送料無料"}
    (free,) = server.post("/v1/translate", json=clean).json()["translations"]
    assert free["qa"] == _findings("送料無料", free["translation"])


def test_a_numbered_list_item_keeps_its_number(server: httpx.Client) -> None:
    for item in ("2）顺丰快递，次日送达", "3.买家对运费有疑问，可选运费到付。"):
        body = {"text": item, "source": "zh", "target": "en", "mode": "direct"}
        (answer,) = server.post("/v1/translate", json=body).json()["translations"]
        number = item[0]
        assert number in answer["translation"], answer["translation"]
        assert not [f for f in answer["qa"] if f["kind"] == "number" and f["source"] == number]
