"""`/v1/jobs` on the echo engine, a real SQLite and the real DBOS queue running in the app."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from openpyxl import Workbook, load_workbook

from tests.api.conftest import ClientFactory
from tests.api.engines import EchoEngine, RecordingEngine, echo_translation, heeded_translation
from tests.api.keys import bearer, new_key
from translator.engines.errors import EngineUnavailable
from translator.settings import Settings

Client = AsyncTestClient[Litestar]

# Six rows, 13 sentences, six distinct: the shoe sentence and "包邮" repeat across rows.
CATALOG = [
    ["sku", "title", "description", "price"],
    ["S1", "鞋子很舒服！踩屎感。", "<p>包邮<b>质量很好</b></p>", "99"],
    ["S2", "鞋子很舒服！", "<p>包邮</p>", "89"],
    ["S3", "鞋子很舒服！踩屎感。", "<p>包邮<b>质量很好</b></p>", "99"],
    ["S4", "这件衣服太炸了", "", "120"],
    ["S5", "鞋子很舒服！", "<p>发货快</p>", "10"],
    ["S6", "12345", "", "1"],
]
FORM = {"columns": "title,description", "html_columns": "description", "target": "en"}


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def parse_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


async def submit(
    client: Client, content: bytes, name: str = "catalog.csv", **form: str
) -> dict[str, Any]:
    response = await client.post("/v1/jobs", files={"file": (name, content)}, data={**FORM, **form})
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    assert body["state"] == "queued"
    return body


async def wait_for(client: Client, job_id: str, *states: str) -> dict[str, Any]:
    wanted = states or ("completed", "failed", "cancelled")
    for _ in range(200):
        body: dict[str, Any] = (await client.get(f"/v1/jobs/{job_id}")).json()
        if body["state"] in wanted:
            return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} stayed {body['state']}")


async def test_a_catalog_is_translated_once_per_distinct_sentence(
    client_for: ClientFactory,
) -> None:
    engine = EchoEngine(follows_glossary=True)
    async with client_for(engine, jobs_chunk_rows=2) as client:
        job = await submit(client, csv_bytes(CATALOG), id_column="sku")
        done = await wait_for(client, job["id"])
        results = await client.get(f"/v1/jobs/{job['id']}/results")
    assert done["state"] == "completed"
    assert done["counts"] == {
        "rows_total": 6,
        "rows_done": 6,
        "rows_failed": 0,
        "segments": 13,
        "unique_segments": 6,
        "cached": 0,
        "translated": 6,
        "deduplicated": 7,
        "memory": 0,
        "rows_with_findings": 0,
    }
    assert engine.calls == 6  # one engine call per distinct sentence, none for repeats
    assert results.headers["content-type"].startswith("text/csv")
    assert 'filename="catalog.en.csv"' in results.headers["content-disposition"]
    rows = parse_csv(results.content)
    assert [row["sku"] for row in rows] == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert list(rows[0]) == [
        *CATALOG[0],
        "title_en",
        "description_en",
        "translation_error",
        "qa",
        "other_language",
    ]
    shoes, poop = heeded_translation("鞋子很舒服！"), heeded_translation("踩屎感。")
    assert rows[0]["title_en"] == f"{shoes} {poop}"
    assert rows[0]["description_en"] == (
        f"<p>{heeded_translation('包邮')}<b>{heeded_translation('质量很好')}</b></p>"
    )
    assert rows[2] | {"sku": "S1"} == rows[0]
    assert rows[5]["title_en"] == "12345"  # nothing to translate: kept as it is
    assert all(row["translation_error"] == row["qa"] == row["other_language"] == "" for row in rows)
    assert done["languages"] == {"zh": 5} and done["other_language_rows"] == 0


async def test_rows_whose_translation_lost_a_number_are_reported_in_results_and_counts(
    client_for: ClientFactory,
) -> None:
    # The echo engine's answers carry no numbers of the source: each such row gets a finding,
    # after one retry that names the lost number in the prompt. A lost placeholder is put back
    # into the answer, so its row has no finding left.
    rows = [
        ["sku", "title"],
        ["A", "限时特价2,180元"],
        ["B", "质量很好"],
        ["C", "#Product2#新品限时包邮"],
    ]
    lines = "".join(
        json.dumps({"sku": r[0], "title": r[1]}, ensure_ascii=False) + "\n" for r in rows[1:]
    )
    engine = RecordingEngine()
    async with client_for(engine) as client:
        job = await submit(client, csv_bytes(rows), columns="title", html_columns="")
        done = await wait_for(client, job["id"])
        results = parse_csv((await client.get(f"/v1/jobs/{job['id']}/results")).content)
        feed = await submit(client, lines.encode(), "feed.jsonl", columns="title", html_columns="")
        await wait_for(client, feed["id"])
        jsonl = (await client.get(f"/v1/jobs/{feed['id']}/results")).text
    assert done["counts"]["rows_done"] == 3
    assert done["counts"]["rows_with_findings"] == 1
    assert results[0]["qa"] == "title_en: number 2,180 missing"
    assert results[1]["qa"] == ""
    assert results[2]["qa"] == ""
    assert "#Product2#" in results[2]["title_en"]
    retries = [p for p in engine.prompts if "must keep these" in p]
    # Row A: a greedy retry, then one prompt for sampled answers, since the echo engine's
    # answers never carry the number; row C's retries name its placeholder.
    assert sum("2,180" in p for p in retries) == 2
    assert all("2,180" in p or "#Product2#" in p for p in retries)
    first = json.loads(jsonl.splitlines()[0])
    assert first["qa"] == [
        {
            "column": "title_en",
            "kind": "number",
            "problem": "missing",
            "severity": "error",
            "source": "2,180",
            "start": 4,
            "end": 9,
            "found": None,
        }
    ]
    assert json.loads(jsonl.splitlines()[1])["qa"] == []


async def test_rows_in_another_language_than_most_are_reported(client_for: ClientFactory) -> None:
    rows = [
        ["sku", "title"],
        ["A", "Garmin Forerunner 265 运动手表"],
        ["B", "防水 透氣 登山鞋 台灣現貨"],
        ["C", "小米 Redmi Note 13 手机壳"],
        ["D", "Galaxy S24 Ultra 512GB 자급제"],
        ["E", "Πολύ καλό προϊόν"],
        ["F", "质量很好，物流也快"],
        ["G", "12345"],
    ]
    async with client_for(EchoEngine()) as client:
        job = await submit(client, csv_bytes(rows), columns="title", html_columns="")
        done = await wait_for(client, job["id"])
        results = parse_csv((await client.get(f"/v1/jobs/{job['id']}/results")).content)
    assert done["languages"] == {"zh": 3, "el": 1, "ko": 1, "zh-Hant": 1}
    assert done["other_language_rows"] == 3
    assert [row["other_language"] for row in results] == ["", "zh-Hant", "", "ko", "el", "", ""]
    assert results[3]["title_en"] == echo_translation("Galaxy S24 Ultra 512GB 자급제")
    assert results[4]["translation_error"] == (
        "title: detected language 'el' is not supported; set source explicitly"
    )
    assert done["counts"]["rows_failed"] == 1


async def test_a_second_job_reuses_the_translation_cache(client_for: ClientFactory) -> None:
    engine = EchoEngine()
    async with client_for(engine) as client:
        first = await submit(client, csv_bytes(CATALOG))
        await wait_for(client, first["id"])
        calls = engine.calls
        second = await submit(client, csv_bytes(CATALOG[:3]))
        done = await wait_for(client, second["id"])
        again = await client.get(f"/v1/jobs/{second['id']}/results")
        before = await client.get(f"/v1/jobs/{first['id']}/results")
    assert engine.calls == calls
    assert done["counts"]["cached"] == done["counts"]["unique_segments"] == 4
    assert done["counts"]["translated"] == 0
    assert parse_csv(again.content) == parse_csv(before.content)[:2]


async def test_jsonl_keeps_every_field_and_adds_the_translations(
    client_for: ClientFactory,
) -> None:
    lines = [
        {"id": 1, "title": "质量很好", "tags": ["a", "b"], "stock": None},
        {"id": 2, "title": "发货快", "extra": True},
    ]
    content = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
    async with client_for(EchoEngine()) as client:
        job = await submit(client, content, "feed.jsonl", columns="title", html_columns="")
        await wait_for(client, job["id"])
        results = await client.get(f"/v1/jobs/{job['id']}/results")
    assert results.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in results.text.splitlines()]
    assert rows[0] == {
        **lines[0],
        "title_en": echo_translation("质量很好"),
        "translation_error": None,
        "qa": [],
        "other_language": None,
    }
    assert rows[1]["extra"] is True and rows[1]["title_en"] == echo_translation("发货快")


async def test_xlsx_comes_back_as_a_workbook(client_for: ClientFactory) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    rows: list[list[Any]] = [
        ["sku", "title", "price"],
        ["X1", "质量很好", 9.5],
        ["X2", "发货快", 3],
    ]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    async with client_for(EchoEngine()) as client:
        job = await submit(client, buffer.getvalue(), "shop.xlsx", columns="title", html_columns="")
        await wait_for(client, job["id"])
        results = await client.get(f"/v1/jobs/{job['id']}/results")
    values = list(load_workbook(io.BytesIO(results.content)).worksheets[0].values)
    header = ("sku", "title", "price", "title_en", "translation_error", "qa", "other_language")
    assert values[0] == header
    assert values[1] == ("X1", "质量很好", 9.5, echo_translation("质量很好"), None, None, None)
    assert values[2][2] == 3


async def test_a_bad_row_is_reported_and_the_rest_translated(client_for: ClientFactory) -> None:
    rows = [["sku", "title"], ["A", "质量很好"], ["B", "好" * 60], ["C", "发货快"]]
    async with client_for(EchoEngine(), jobs_max_cell_chars=50) as client:
        job = await submit(client, csv_bytes(rows), columns="title", html_columns="")
        done = await wait_for(client, job["id"])
        results = parse_csv((await client.get(f"/v1/jobs/{job['id']}/results")).content)
    assert done["state"] == "completed"
    assert done["counts"]["rows_done"] == 2 and done["counts"]["rows_failed"] == 1
    assert results[1]["title_en"] == ""
    assert results[1]["translation_error"] == "title: text has 60 characters; the limit is 50"
    assert results[2]["title_en"] == echo_translation("发货快")


BAD_FILES = [
    ("c.csv", b"sku,title\nA,ok\nB,too,many\n", 3, "3 fields, but the header has 2"),
    ("c.csv", b"sku,title\nA,\xff\xfe\n", 2, "not valid UTF-8"),
    ("c.csv", b'sku,title\nA,"unclosed\n', 2, "malformed CSV"),
    ("c.csv", b"sku,sku\nA,B\n", 1, "appears twice"),
    ("c.csv", b"sku,title\n", 0, "no rows"),
    ("c.csv", b"", 0, "empty"),
    ("c.jsonl", b'{"sku": "A", "title": "x"}\n{"sku": \n', 2, "not valid JSON"),
    ("c.jsonl", b'{"sku": "A", "title": "x"}\n[1, 2]\n', 2, "JSON object"),
    ("c.xlsx", b"PK\x03\x04 not really a workbook", 0, "not an Excel .xlsx file"),
    ("c.pdf", b"%PDF-1.4", 0, "unsupported file type"),
    ("c.csv", b"sku,title\nA,x\nA,y\n", 3, "id 'A' repeats line 2"),
    ("c.csv", b"sku,title\nA,x\n,y\n", 3, "id column 'sku' is empty"),
]


@pytest.mark.parametrize(("name", "content", "line", "reason"), BAD_FILES)
async def test_a_malformed_file_is_refused_whole(
    client_for: ClientFactory, name: str, content: bytes, line: int, reason: str
) -> None:
    async with client_for(EchoEngine()) as client:
        response = await client.post(
            "/v1/jobs",
            files={"file": (name, content)},
            data={"columns": "title", "target": "en", "id_column": "sku"},
        )
        listed = (await client.get("/v1/jobs")).json()
    assert response.status_code == 400
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["field"] == "file"
    assert problem.get("line", 0) == line
    assert reason in problem["detail"]
    assert listed == {"jobs": []}


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"columns": "title,colour", "html_columns": ""}, "columns", "no column 'colour'"),
        ({"columns": " , "}, "columns", "at least one column"),
        ({"html_columns": "price"}, "html_columns", "'price' is not among"),
        ({"id_column": "code"}, "id_column", "no column 'code'"),
        ({"id_column": "title"}, "id_column", "cannot also be translated"),
        ({"target": "xx"}, "target", "xx"),
        ({"source": "en", "target": "en"}, "target", "same"),
        ({"glossary": "nope"}, "glossary", "no glossary 'nope'"),
        ({"mode": "fast"}, "mode", "fast"),
    ],
)
async def test_a_bad_mapping_names_its_field(
    client_for: ClientFactory, form: dict[str, str], field: str, message: str
) -> None:
    async with client_for(EchoEngine()) as client:
        response = await client.post(
            "/v1/jobs", files={"file": ("c.csv", csv_bytes(CATALOG))}, data={**FORM, **form}
        )
        listed = (await client.get("/v1/jobs")).json()
    assert response.status_code == 400, response.text
    assert response.json()["field"] == field
    assert message in response.json()["detail"]
    assert listed == {"jobs": []}


async def test_an_upload_without_a_file_is_refused(client_for: ClientFactory) -> None:
    async with client_for(EchoEngine()) as client:
        response = await client.post("/v1/jobs", data=FORM)
    assert response.status_code == 400
    assert response.json()["field"] == "file"


async def test_an_upload_over_the_size_limit_is_413(client_for: ClientFactory) -> None:
    content = csv_bytes([["sku", "title"]] + [[str(i), "质量很好" * 20] for i in range(100)])
    async with client_for(EchoEngine(), jobs_max_upload_bytes=2048) as client:
        response = await client.post("/v1/jobs", files={"file": ("c.csv", content)}, data=FORM)
        listed = (await client.get("/v1/jobs")).json()
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert listed == {"jobs": []}


async def test_cancel_stops_a_running_job_and_keeps_what_was_done(
    client_for: ClientFactory,
) -> None:
    gate = asyncio.Event()
    engine = EchoEngine(gate=gate)
    async with client_for(engine, jobs_chunk_rows=1) as client:
        job = await submit(client, csv_bytes(CATALOG))
        await wait_for(client, job["id"], "running")
        early = await client.get(f"/v1/jobs/{job['id']}/results")
        cancelled = await client.post(f"/v1/jobs/{job['id']}/cancel")
        gate.set()
        again = await client.post(f"/v1/jobs/{job['id']}/cancel")
        await asyncio.sleep(1.5)  # the workflow stops before its next chunk
        final = (await client.get(f"/v1/jobs/{job['id']}")).json()
        partial = await client.get(f"/v1/jobs/{job['id']}/results?partial=true")
    assert early.status_code == 409 and "partial=true" in early.json()["detail"]
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert again.status_code == 409
    assert final["state"] == "cancelled"
    assert final["counts"]["rows_done"] < 6
    assert final["counts"]["translated"] < 6
    assert len(parse_csv(partial.content)) == 6


async def test_an_engine_that_stays_down_fails_the_job_after_retries(
    client_for: ClientFactory,
) -> None:
    engine = EchoEngine(error=EngineUnavailable("connection refused"))
    async with client_for(engine, jobs_retry_attempts=2, jobs_retry_seconds=0.1) as client:
        job = await submit(client, csv_bytes(CATALOG))
        done = await wait_for(client, job["id"])
        results = await client.get(f"/v1/jobs/{job['id']}/results")
    assert done["state"] == "failed"
    assert "connection refused" in done["error"]
    assert done["counts"]["rows_done"] == 0
    assert results.status_code == 200  # the catalog comes back, untranslated
    assert all(row["title_en"] == "" for row in parse_csv(results.content))


async def test_jobs_belong_to_their_key(client_for: ClientFactory, settings: Settings) -> None:
    alice, bob = await new_key(settings, "alice"), await new_key(settings, "bob")
    async with client_for(EchoEngine(), api_keys_required=True) as client:
        response = await client.post(
            "/v1/jobs",
            files={"file": ("c.csv", csv_bytes(CATALOG))},
            data=FORM,
            headers=bearer(alice),
        )
        job_id = response.json()["id"]
        as_bob = bearer(bob)
        seen_by_bob = await client.get(f"/v1/jobs/{job_id}", headers=as_bob)
        listed_by_bob = await client.get("/v1/jobs", headers=as_bob)
        cancel_by_bob = await client.post(f"/v1/jobs/{job_id}/cancel", headers=as_bob)
        anonymous = await client.get("/v1/jobs")
    assert response.status_code == 202
    assert seen_by_bob.status_code == 404
    assert listed_by_bob.json() == {"jobs": []}
    assert cancel_by_bob.status_code == 404
    assert anonymous.status_code == 401


async def test_a_job_gives_its_glossary_to_the_model(client_for: ClientFactory) -> None:
    engine = RecordingEngine()
    glossary = {
        "name": "shoes",
        "source": "zh",
        "target": "en",
        "entries": [{"source": "踩屎感", "target": "marshmallow feel"}],
    }
    rows = [["sku", "title"], ["A", "这双鞋踩屎感很强"], ["B", "发货快"]]
    async with client_for(engine) as client:
        created = await client.post("/v1/glossaries", json=glossary)
        job = await submit(
            client, csv_bytes(rows), columns="title", html_columns="", glossary="shoes", source="zh"
        )
        done = await wait_for(client, job["id"])
        wrong_pair = await client.post(
            "/v1/jobs",
            files={"file": ("c.csv", csv_bytes(rows))},
            data={
                **FORM,
                "columns": "title",
                "html_columns": "",
                "glossary": "shoes",
                "source": "ja",
            },
        )
    assert created.status_code == 201
    assert done["state"] == "completed"
    assert done["options"]["glossaries"] == [created.json()["id"]]
    hinted = [prompt for prompt in engine.prompts if "踩屎感" in prompt]
    assert hinted and all("marshmallow feel" in prompt for prompt in hinted)
    assert not any("marshmallow" in prompt for prompt in engine.prompts if "发货快" in prompt)
    assert wrong_pair.status_code == 400 and wrong_pair.json()["field"] == "glossary"


async def test_an_api_only_host_queues_jobs_without_running_them(
    client_for: ClientFactory,
) -> None:
    engine = EchoEngine()
    async with client_for(engine, jobs_worker=False) as client:
        job = await submit(client, csv_bytes(CATALOG))
        await asyncio.sleep(3)  # a worker here would have finished it by now
        waiting = (await client.get(f"/v1/jobs/{job['id']}")).json()
    async with client_for(engine) as worker_host:  # a worker on the same database takes it
        done = await wait_for(worker_host, job["id"])
    assert waiting["state"] == "queued"
    assert done["state"] == "completed" and done["counts"]["rows_done"] == 6


async def test_files_named_in_chinese_download_under_their_own_name(
    client_for: ClientFactory,
) -> None:
    rows = [["sku", "title"], ["A", "质量很好"]]
    glossary = {"name": "鞋类 术语", "source": "zh", "target": "en", "entries": "踩屎感\tcloud\n"}
    async with client_for(EchoEngine()) as client:
        created = (await client.post("/v1/glossaries", json=glossary)).json()
        export = await client.get(f"/v1/glossaries/{created['id']}/entries?format=tsv")
        job = await submit(client, csv_bytes(rows), "商品.csv", columns="title", html_columns="")
        await wait_for(client, job["id"])
        results = await client.get(f"/v1/jobs/{job['id']}/results")
    assert export.status_code == 200
    assert export.headers["content-disposition"] == (
        'attachment; filename="_____.tsv"; '
        "filename*=UTF-8''%E9%9E%8B%E7%B1%BB%20%E6%9C%AF%E8%AF%AD.tsv"
    )
    assert results.status_code == 200
    assert results.headers["content-disposition"].endswith(
        "filename*=UTF-8''%E5%95%86%E5%93%81.en.csv"
    )


async def test_a_body_that_is_not_an_upload_names_the_file_field(
    client_for: ClientFactory,
) -> None:
    async with client_for(EchoEngine()) as client:
        response = await client.post("/v1/jobs", json=FORM)
    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("invalid-upload")
    assert response.json()["field"] == "file"
