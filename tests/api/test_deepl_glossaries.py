"""DeepL's v2 glossary routes on our glossary store: create, list, get, entries, delete, pairs."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import ClientFactory
from tests.api.engines import RecordingEngine
from tests.api.keys import bearer, new_key
from translator.settings import Settings

SHOES = "这双鞋踩屎感很强"


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"DeepL-Auth-Key {key}"}


async def test_a_glossary_made_here_is_listed_read_used_and_deleted(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "shop")
    engine = RecordingEngine()
    async with client_for(engine) as client:
        created = await client.post(
            "/v2/glossaries",
            json={
                "name": "shoes",
                "source_lang": "ZH",
                "target_lang": "EN-GB",
                "entries": "踩屎感\tcloud comfort\n小白鞋\twhite trainers\n",
                "entries_format": "tsv",
            },
            headers=_auth(key),
        )
        assert created.status_code == 201, created.text
        info = created.json()
        glossary = info["glossary_id"]
        listed = await client.get("/v2/glossaries", headers=_auth(key))
        one = await client.get(f"/v2/glossaries/{glossary}", headers=_auth(key))
        entries = await client.get(
            f"/v2/glossaries/{glossary}/entries",
            headers={**_auth(key), "Accept": "text/tab-separated-values"},
        )
        ours = await client.get(f"/v1/glossaries/{glossary}", headers=bearer(key))
        translated = await client.post(
            "/v2/translate",
            json={
                "text": [SHOES],
                "source_lang": "ZH",
                "target_lang": "EN-GB",
                "glossary_id": glossary,
            },
            headers=_auth(key),
        )
        deleted = await client.delete(f"/v2/glossaries/{glossary}", headers=_auth(key))
        gone = await client.get(f"/v2/glossaries/{glossary}", headers=_auth(key))
        again = await client.delete(f"/v2/glossaries/{glossary}", headers=_auth(key))
    assert set(info) == {
        "glossary_id", "name", "ready", "source_lang", "target_lang", "creation_time",
        "entry_count",
    }  # fmt: skip
    assert (info["name"], info["ready"], info["entry_count"]) == ("shoes", True, 2)
    assert (info["source_lang"], info["target_lang"]) == ("zh", "en")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", info["creation_time"])
    assert listed.json() == {"glossaries": [info]} and one.json() == info
    assert entries.headers["content-type"].startswith("text/tab-separated-values")
    assert entries.text == "踩屎感\tcloud comfort\n小白鞋\twhite trainers\n"
    assert ours.json()["name"] == "shoes" and ours.json()["entry_count"] == 2
    assert translated.status_code == 200
    assert 'In this text, 踩屎感 means "cloud comfort".\n' in engine.prompts[0]
    assert deleted.status_code == 204
    assert gone.status_code == 404 and gone.json() == {"message": "Glossary not found"}
    assert again.status_code == 404


async def test_csv_forms_and_glossaries_of_another_caller(
    client_for: ClientFactory, settings: Settings
) -> None:
    owner = await new_key(settings, "owner")
    other = await new_key(settings, "other")
    async with client_for() as client:
        created = await client.post(
            "/v2/glossaries",
            data={
                "name": "csv",
                "source_lang": "ja",
                "target_lang": "en",
                "entries": '"神対応","amazing service"\nコスパ,value for money',
                "entries_format": "csv",
            },
            headers=_auth(owner),
        )
        glossary = created.json()["glossary_id"]
        entries = await client.get(f"/v2/glossaries/{glossary}/entries", headers=_auth(owner))
        foreign = await client.get(f"/v2/glossaries/{glossary}", headers=_auth(other))
        foreign_delete = await client.delete(f"/v2/glossaries/{glossary}", headers=_auth(other))
        foreign_list = await client.get("/v2/glossaries", headers=_auth(other))
    assert created.status_code == 201 and created.json()["entry_count"] == 2
    assert entries.text == "神対応\tamazing service\nコスパ\tvalue for money\n"
    assert foreign.status_code == 404 and foreign_delete.status_code == 404
    assert foreign_list.json() == {"glossaries": []}


_GOOD = {"name": "g", "source_lang": "zh", "target_lang": "en", "entries": "好\tgood"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source_lang": "xx"}, "Value for 'source_lang' not supported."),
        ({"target_lang": "ZH"}, "target_lang: source and target languages are the same"),
        ({"entries_format": "xlsx"}, "entries_format: Value for 'entries_format' not supported"),
        ({"entries": "only one column"}, "entries: Invalid glossary entries provided: line 1"),
        ({"entries": ""}, "entries: Invalid glossary entries provided: there are none"),
        ({"name": " "}, "name: the glossary name is empty"),
        ({"entries": None}, "entries: missing parameter"),
    ],
)
async def test_bad_input_is_400_naming_the_field(
    client_for: ClientFactory, change: dict[str, str | None], message: str
) -> None:
    body = {k: v for k, v in {**_GOOD, **change}.items() if v is not None}
    async with client_for() as client:
        response = await client.post("/v2/glossaries", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith(message) or message in response.json()["message"]


async def test_a_second_glossary_of_the_same_name_is_refused(client_for: ClientFactory) -> None:
    async with client_for() as client:
        first = await client.post("/v2/glossaries", json=_GOOD)
        second = await client.post("/v2/glossaries", json=_GOOD)
    assert first.status_code == 201
    assert second.status_code == 400 and second.json()["message"].startswith("name:")


async def test_keys_and_language_pairs(client_for: ClientFactory, settings: Settings) -> None:
    key = await new_key(settings, "shop")
    async with client_for(api_keys_required=True) as client:
        missing = await client.get("/v2/glossaries")
        unknown = await client.post("/v2/glossaries", json=_GOOD, headers=_auth("nope"))
        pairs = await client.get("/v2/glossary-language-pairs", headers=_auth(key))
    assert missing.status_code == 403 and unknown.status_code == 403
    supported = pairs.json()["supported_languages"]
    assert {"source_lang": "zh", "target_lang": "en"} in supported
    assert {"source_lang": "ja", "target_lang": "zh"} in supported
    assert all(p["source_lang"] != p["target_lang"] for p in supported)
    assert len(supported) == len({(p["source_lang"], p["target_lang"]) for p in supported})
