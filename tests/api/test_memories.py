"""`/v1/memories`, memories in `/v1/translate`, corrections and LibreTranslate's `/suggest`, on
the echo engine and a real SQLite."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Sequence
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ClientFactory
from tests.api.engines import EchoEngine, RecordingEngine, echo_translation, heeded_translation
from tests.api.keys import bearer, new_key
from translator.engines.types import GenerationResult, SamplingParams
from translator.memory.formats import MemoryFormat, parse_pairs
from translator.settings import Settings
from translator.store.database import dispose_engine, make_engine, make_session_factory
from translator.store.keys import KeyLimits
from translator.store.memories import add_pairs, find_memory
from translator.store.models import LOCAL_OWNER
from translator.store.pairs import Pair

Client = AsyncTestClient[Litestar]

TITLE = "夏季新款显瘦阔腿裤女高腰垂感拖地裤 黑色 M码"
NEAR = "夏季新款显瘦阔腿裤女高腰垂感拖地裤 白色 L码"
OTHER = "这家店发货很快"
TMX = f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t"
          adminlang="en" srclang="zh-CN" datatype="plaintext"/>
  <body>
    <tu>
      <tuv xml:lang="zh-CN"><seg>{TITLE}</seg></tuv>
      <tuv xml:lang="en-US"><seg>Summer slimming wide-leg trousers, high waist, black, M</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="zh-CN"><seg>包邮</seg></tuv>
      <tuv xml:lang="en-US"><seg>Free shipping</seg></tuv>
    </tu>
  </body>
</tmx>
"""
APPROVED = "Summer slimming wide-leg trousers, high waist, black, M"


async def create(client: Client, tmx: str = TMX, **fields: Any) -> Any:
    body = {"name": "shop", "source": "zh", "target": "en", "entries": tmx, **fields}
    return await client.post("/v1/memories", json=body)


async def translate(client: Client, text: str, **fields: Any) -> Any:
    body = {"text": text, "target": "en", "source": "zh", "mode": "direct", **fields}
    response = await client.post("/v1/translate", json=body)
    assert response.status_code == 200, response.text
    return response.json()["translations"][0]


async def test_create_list_get_export_replace_add_and_delete(client_for: ClientFactory) -> None:
    async with client_for() as client:
        created = await create(client)
        assert created.status_code == 201, created.text
        memory = created.json()
        assert (memory["version"], memory["entry_count"]) == (1, 2)
        listed = (await client.get("/v1/memories")).json()["memories"]
        assert [m["id"] for m in listed] == [memory["id"]]
        assert (await client.get("/v1/memories/shop")).json()["id"] == memory["id"]
        entries = (await client.get(f"/v1/memories/{memory['id']}/entries")).json()["entries"]
        assert entries[1] == {"source": "包邮", "target": "Free shipping"}
        for fmt in MemoryFormat:
            exported = await client.get(f"/v1/memories/shop/entries?format={fmt.value}")
            assert exported.status_code == 200
            assert f"shop.{fmt.value}" in exported.headers["content-disposition"]
            pairs = parse_pairs(exported.content, fmt, source="zh", target="en")
            assert pairs == [Pair(TITLE, APPROVED), Pair("包邮", "Free shipping")]
        added = await client.post(
            "/v1/memories/shop/entries",
            json={"entries": [{"source": "包邮", "target": "Shipping included"}]},
        )
        assert (added.json()["version"], added.json()["entry_count"]) == (2, 2)
        replaced = await client.put(
            "/v1/memories/shop/entries",
            json={"entries": "好评\tGreat\n", "entries_format": "tsv"},
        )
        assert (replaced.json()["version"], replaced.json()["entry_count"]) == (3, 1)
        assert (await client.delete("/v1/memories/shop")).status_code == 204
        assert (await client.get("/v1/memories/shop")).status_code == 404


async def test_bad_files_are_refused_whole_naming_entries_and_the_line(
    client_for: ClientFactory,
) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY a "aaaaaaaaaa">\n]>\n'
        '<tmx version="1.4"><body><tu><tuv xml:lang="zh"><seg>&a;</seg></tuv></tu></body></tmx>'
    )
    wrong_language = TMX.replace('xml:lang="en-US"><seg>Free', 'xml:lang="ja"><seg>Free')
    missing = TMX.replace("<seg>包邮</seg>", "")
    async with client_for() as client:
        for tmx, line in ((bomb, 3), (wrong_language, 10), (missing, 11)):
            response = await create(client, tmx)
            assert response.status_code == 400, response.text
            problem = response.json()
            assert problem["field"] == "entries"
            assert problem["detail"].startswith(f"line {line}:"), problem["detail"]
        listed = await create(client, entries=[{"source": "好", "target": " "}])
        assert listed.json()["field"] == "entries[0]"
        other_pair = await create(client, target="ja")
        assert other_pair.json()["field"] == "entries"
        assert (await client.get("/v1/memories")).json()["memories"] == []


async def test_another_keys_memory_is_not_found(
    client_for: ClientFactory, settings: Settings
) -> None:
    first, second = await new_key(settings, "a"), await new_key(settings, "b")
    async with client_for() as client:
        memory = (
            await client.post(
                "/v1/memories",
                json={"name": "shop", "source": "zh", "target": "en", "entries": TMX},
                headers=bearer(first),
            )
        ).json()
        assert (
            await client.get(f"/v1/memories/{memory['id']}", headers=bearer(second))
        ).status_code == 404
        refused = await client.post(
            "/v1/translate",
            json={"text": TITLE, "target": "en", "memory": memory["id"]},
            headers=bearer(second),
        )
        assert refused.status_code == 400 and refused.json()["field"] == "memory"


async def test_an_exact_match_is_served_without_the_engine(client_for: ClientFactory) -> None:
    engine = EchoEngine(follows_glossary=True)
    async with client_for(engine) as client:
        await create(client)
        answer = await translate(client, f"  {TITLE} ", memory="shop")
        assert engine.calls == 0
        assert answer["translation"] == APPROVED
        assert answer["id"] is None and answer["cached"] is False
        assert answer["memory"]["match"] == "exact"
        assert answer["memory"]["entry"]["target"] == APPROVED
        assert answer["usage"]["calls"] == 0
        plain = await translate(client, TITLE)
        assert engine.calls == 1 and "memory" not in plain


async def test_close_pairs_become_examples_and_key_the_cache(client_for: ClientFactory) -> None:
    engine = RecordingEngine(follows_glossary=True)
    async with client_for(engine) as client:
        await create(client)
        answer = await translate(client, NEAR, memory=["shop"])
        assert answer["memory"]["match"] == "fuzzy"
        assert 0.75 <= answer["memory"]["score"] < 1
        assert answer["memory"]["examples"][0]["source"] == TITLE
        assert answer["translation"] == heeded_translation(NEAR)
        prompt = engine.prompts[-1]
        assert prompt.index(APPROVED) < prompt.index(NEAR)
        again = await translate(client, NEAR, memory="shop")
        assert again["cached"] is True and len(engine.prompts) == 1
        await client.post(
            "/v1/memories/shop/entries",
            json={"entries": [{"source": TITLE, "target": "Black trousers, M"}]},
        )
        edited = await translate(client, NEAR, memory="shop")
        assert edited["cached"] is False and "Black trousers, M" in engine.prompts[-1]
        unrelated = await translate(client, OTHER, memory="shop")
        assert "memory" not in unrelated and APPROVED not in engine.prompts[-1]


async def test_unknown_memories_and_other_pairs_name_memory(client_for: ClientFactory) -> None:
    async with client_for() as client:
        await create(client)
        for fields in ({"memory": "nope"}, {"memory": "shop", "target": "ja"}):
            body = {"text": TITLE, "target": "en", "source": "zh", **fields}
            response = await client.post("/v1/translate", json=body)
            assert response.status_code == 400, response.text
            assert response.json()["field"] == "memory"


async def test_a_correction_is_served_next_time(client_for: ClientFactory) -> None:
    engine = EchoEngine()
    async with client_for(engine) as client:
        first = await translate(client, OTHER)
        corrected = await client.put(
            f"/v1/translations/{first['id']}",
            json={"translation": "Fast shipping from this shop", "memory": "fixes"},
        )
        assert corrected.status_code == 400 and corrected.json()["field"] == "memory"
        await client.post("/v1/memories", json={"name": "fixes", "source": "zh", "target": "en"})
        corrected = await client.put(
            f"/v1/translations/{first['id']}",
            json={"translation": "Fast shipping from this shop", "memory": "fixes"},
        )
        assert corrected.status_code == 200, corrected.text
        assert corrected.json()["memory"]["entry_count"] == 1
        calls = engine.calls
        answer = await translate(client, OTHER, memory="fixes")
        assert answer["translation"] == "Fast shipping from this shop"
        assert engine.calls == calls
        missing = await client.put(
            "/v1/translations/nope", json={"translation": "x", "memory": "fixes"}
        )
        assert missing.status_code == 404


async def test_a_keys_default_memory_takes_suggestions_and_serves_them(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "shop", KeyLimits(default_memory="shop fixes"))
    engine = EchoEngine()
    async with client_for(engine) as client:
        front = (await client.get("/frontend/settings")).json()
        assert front["suggestions"] is True
        for _ in range(2):  # a cached answer, before the default memory exists
            before = await client.post(
                "/translate", json={"q": OTHER, "source": "zh", "target": "en", "api_key": key}
            )
            assert before.json()["translatedText"] == echo_translation(OTHER)
        suggested = await client.post(
            "/suggest",
            json={"q": OTHER, "s": "Ships fast", "source": "zh", "target": "en", "api_key": key},
        )
        assert suggested.status_code == 200 and suggested.json() == {"success": True}
        translated = await client.post(
            "/translate", json={"q": OTHER, "source": "zh", "target": "en", "api_key": key}
        )
        assert translated.json()["translatedText"] == "Ships fast"
        answer = await client.post(
            "/v1/translate", json={"text": OTHER, "target": "en"}, headers=bearer(key)
        )
        assert answer.json()["translations"][0]["memory"]["match"] == "exact"
        other_pair = await client.post(
            "/v1/translate",
            json={"text": OTHER, "target": "ja", "mode": "direct"},
            headers=bearer(key),
        )
        assert other_pair.status_code == 200  # a default for another pair does not apply
        assert engine.calls == 2
        anonymous = await client.post(
            "/suggest", json={"q": OTHER, "s": "x", "source": "zh", "target": "en"}
        )
        assert anonymous.status_code == 400 and "default" in anonymous.json()["error"]


class CorrectingEngine(EchoEngine):
    """The echo engine that, on its first call, approves a translation of `text` in the memory
    `memory` of the local owner, as a reviewer would while a job runs."""

    def __init__(self, settings: Settings, memory: str, text: str) -> None:
        super().__init__()
        self._settings, self._memory, self._text = settings, memory, text

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        if self.calls == 0:
            database = make_engine(self._settings.database_url)
            async with make_session_factory(database)() as session, session.begin():
                memory = await find_memory(session, LOCAL_OWNER, self._memory)
                await add_pairs(
                    session, memory, [Pair(self._text, "Approved")], origin="correction"
                )
            await dispose_engine(database)
        return await super().generate(prompts, params)


async def test_jobs_use_memories_and_pairs_approved_while_they_run(
    client_for: ClientFactory, settings: Settings
) -> None:
    engine = CorrectingEngine(settings, "shop", OTHER)
    rows = [["sku", "title"], ["A", OTHER], ["B", TITLE], ["C", "发货很快"], ["D", OTHER]]
    content = "\n".join(",".join(row) for row in rows).encode()
    async with client_for(engine, jobs_chunk_rows=1) as client:
        await create(client)
        response = await client.post(
            "/v1/jobs",
            files={"file": ("c.csv", content)},
            data={"columns": "title", "target": "en", "source": "zh", "memory": "shop"},
        )
        assert response.status_code == 202, response.text
        job = response.json()
        assert job["options"]["memories"] == [(await client.get("/v1/memories/shop")).json()["id"]]
        for _ in range(300):
            done = (await client.get(f"/v1/jobs/{job['id']}")).json()
            if done["state"] in ("completed", "failed"):
                break
            await asyncio.sleep(0.1)
        results = (await client.get(f"/v1/jobs/{job['id']}/results")).content.decode()
        refused = await client.post(
            "/v1/jobs",
            files={"file": ("c.csv", content)},
            data={"columns": "title", "target": "ja", "source": "zh", "memory": "shop"},
        )
    assert done["state"] == "completed"
    translated = {row["sku"]: row["title_en"] for row in csv.DictReader(io.StringIO(results))}
    assert translated == {
        "A": echo_translation(OTHER),  # translated before the pair was approved
        "B": APPROVED,
        "C": echo_translation("发货很快"),
        "D": "Approved",  # a later chunk: the approved pair
    }
    assert done["counts"]["memory"] == 2
    assert refused.status_code == 400 and refused.json()["field"] == "memory"


async def test_a_file_larger_than_the_usual_body_limit_is_imported_whole(
    client_for: ClientFactory,
) -> None:
    units = "".join(
        f'<tu><tuv xml:lang="zh"><seg>第{i}号商品 包邮 现货</seg></tuv>'
        f'<tuv xml:lang="en"><seg>Item {i}, free shipping, in stock</seg></tuv></tu>\n'
        for i in range(20_000)
    )
    tmx = f'<?xml version="1.0"?>\n<tmx version="1.4"><header/><body>\n{units}</body></tmx>\n'
    async with client_for() as client:
        assert len(tmx.encode()) > 2 * 1_048_576  # over TRANSLATOR_MAX_BODY_BYTES
        created = await create(client, tmx)
        assert created.status_code == 201, created.text
        assert created.json()["entry_count"] == 20_000
        broken = await create(
            client, tmx.replace("<seg>第19999号商品 包邮 现货</seg>", "<seg> </seg>"), name="b"
        )
        assert broken.json()["detail"].startswith("line 20002:")
        assert [m["name"] for m in (await client.get("/v1/memories")).json()["memories"]] == [
            "shop"
        ]
