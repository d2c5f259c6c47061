"""`/v1/glossaries` and glossaries in `/v1/translate`, on the echo engine and a real SQLite."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ClientFactory
from tests.api.engines import EchoEngine, RecordingEngine, echo_translation
from tests.api.keys import bearer, new_key
from translator.settings import Settings

Client = AsyncTestClient[Litestar]

SHOES = "这双鞋踩屎感很强"  # 踩屎感 is at 3..6 and is in the built-in glossary too
PLAIN = "这家店发货很快"  # no glossary term at all
ENTRIES: list[dict[str, Any]] = [
    {
        "source": "踩屎感",
        "target": "marshmallow feel",
        "variants": ["踩屎感觉"],
        "acceptable": ["plush"],
        "meaning": "soft, springy underfoot",
    },
    {"source": "显瘦", "target": "slimming"},
]
TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dct" xml:lang="zh" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="c1">
        <descrip type="definition">soft, springy underfoot</descrip>
        <langSec xml:lang="zh">
          <termSec><term>踩屎感</term></termSec>
          <termSec><term>踩屎感觉</term></termSec>
        </langSec>
        <langSec xml:lang="en">
          <termSec>
            <term>marshmallow feel</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>plush</term>
            <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
          </termSec>
        </langSec>
      </conceptEntry>
      <conceptEntry id="c2">
        <langSec xml:lang="zh"><termSec><term>显瘦</term></termSec></langSec>
        <langSec xml:lang="en"><termSec><term>slimming</term></termSec></langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"""
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tbx [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tbx type="TBX-Basic" style="dct" xml:lang="zh" xmlns="urn:iso:std:iso:30042:ed-2">
  <text><body><conceptEntry id="c1">
    <langSec xml:lang="zh"><termSec><term>&lol3;</term></termSec></langSec>
    <langSec xml:lang="en"><termSec><term>laughs</term></termSec></langSec>
  </conceptEntry></body></text>
</tbx>
"""
# What GET .../entries answers for ENTRIES (and for TBX, which states the same entries).
ENTRIES_OUT = [
    {
        "source": "踩屎感",
        "target": "marshmallow feel",
        "variants": ["踩屎感觉"],
        "acceptable": ["plush"],
        "meaning": "soft, springy underfoot",
    },
    {"source": "显瘦", "target": "slimming", "variants": [], "acceptable": [], "meaning": ""},
]


def _problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["type"].startswith("urn:translator:problem:")
    assert problem["detail"]
    if field is not None:
        assert problem.get("field") == field, problem
    return problem


async def _create(
    client: Client,
    name: str = "shoes",
    entries: list[dict[str, Any]] | str = ENTRIES,
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    body = {"name": name, "source": "zh", "target": "en", "entries": entries, **fields}
    response = await client.post("/v1/glossaries", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _translate(
    client: Client, text: str, headers: dict[str, str] | None = None, **fields: Any
) -> Any:
    body = {"text": text, "source": "zh", "target": "en", "mode": "direct", **fields}
    return await client.post("/v1/translate", json=body, headers=headers)


async def _answer(client: Client, text: str, **fields: Any) -> dict[str, Any]:
    response = await _translate(client, text, **fields)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()["translations"][0]
    return answer


def _split_retries(prompts: list[str]) -> tuple[list[str], list[str]]:
    """First-pass prompts, and the retries of answers that missed a term (naming the term)."""
    retries = [p for p in prompts if "translation must render" in p]
    return [p for p in prompts if p not in retries], retries


# ---------------------------------------------------------------- create


async def test_create_from_entry_objects(client_for: ClientFactory) -> None:
    async with client_for() as client:
        created = await _create(client, name="  shoes  ")
        entries = (await client.get(f"/v1/glossaries/{created['id']}/entries")).json()
    assert {k: created[k] for k in ("name", "source", "target", "version", "entry_count")} == {
        "name": "shoes",  # outer spaces trimmed
        "source": "zh",
        "target": "en",
        "version": 1,
        "entry_count": 2,
    }
    assert len(created["id"]) == 36
    assert created["created_at"] == created["updated_at"]
    assert entries == {"id": created["id"], "version": 1, "entries": ENTRIES_OUT}


@pytest.mark.parametrize(
    ("entries", "entries_format"),
    [
        ("踩屎感\tmarshmallow feel\n\n  显瘦 \t slimming\r\n", None),  # TSV is the default
        ('踩屎感,marshmallow feel\n"显瘦",slimming,zh,en\n', "csv"),
    ],
)
async def test_create_from_tsv_and_csv(
    client_for: ClientFactory, entries: str, entries_format: str | None
) -> None:
    extra: dict[str, Any] = {"entries_format": entries_format} if entries_format else {}
    async with client_for() as client:
        created = await _create(client, entries=entries, **extra)
        listed = (await client.get(f"/v1/glossaries/{created['id']}/entries")).json()
    assert (created["version"], created["entry_count"]) == (1, 2)
    assert listed["entries"] == [
        {
            "source": "踩屎感",
            "target": "marshmallow feel",
            "variants": [],
            "acceptable": [],
            "meaning": "",
        },
        {"source": "显瘦", "target": "slimming", "variants": [], "acceptable": [], "meaning": ""},
    ]


async def test_create_from_tbx(client_for: ClientFactory) -> None:
    async with client_for() as client:
        created = await _create(client, entries=TBX, entries_format="tbx")
        listed = (await client.get(f"/v1/glossaries/{created['id']}/entries")).json()
    assert (created["version"], created["entry_count"]) == (1, 2)
    assert listed["entries"] == ENTRIES_OUT


# ---------------------------------------------------------------- read, export, delete


async def test_list_get_and_delete(client_for: ClientFactory) -> None:
    async with client_for() as client:
        empty = (await client.get("/v1/glossaries")).json()
        shoes = await _create(client, name="shoes")
        apparel = await _create(client, name="apparel", entries="显瘦\tslimming\n")
        listed = (await client.get("/v1/glossaries")).json()
        got = await client.get(f"/v1/glossaries/{shoes['id']}")
        deleted = await client.delete(f"/v1/glossaries/{shoes['id']}")
        after = await client.get(f"/v1/glossaries/{shoes['id']}")
        entries_after = await client.get(f"/v1/glossaries/{shoes['id']}/entries")
        deleted_again = await client.delete(f"/v1/glossaries/{shoes['id']}")
        listed_after = (await client.get("/v1/glossaries")).json()
    assert empty == {"glossaries": []}
    assert [g["name"] for g in listed["glossaries"]] == ["apparel", "shoes"]  # by name
    assert listed["glossaries"][1] == shoes
    assert got.status_code == 200 and got.json() == shoes
    assert deleted.status_code == 204 and deleted.content == b""
    assert "no glossary" in _problem(after, 404)["detail"]
    _problem(entries_after, 404)
    _problem(deleted_again, 404)
    assert listed_after == {"glossaries": [apparel]}


async def test_unknown_ids_are_404(client_for: ClientFactory) -> None:
    async with client_for() as client:
        responses = [
            await client.get("/v1/glossaries/no-such-id"),
            await client.get("/v1/glossaries/no-such-id/entries"),
            await client.get("/v1/glossaries/no-such-id/entries?format=tsv"),
            await client.put("/v1/glossaries/no-such-id/entries", json={"entries": "a\tb"}),
            await client.delete("/v1/glossaries/no-such-id"),
        ]
    for response in responses:
        assert _problem(response, 404)["type"] == "urn:translator:problem:not-found"


async def test_export_as_tsv_csv_and_tbx(client_for: ClientFactory) -> None:
    async with client_for() as client:
        created = await _create(client)
        url = f"/v1/glossaries/{created['id']}/entries"
        tsv = await client.get(f"{url}?format=tsv")
        csv_file = await client.get(f"{url}?format=csv")
        tbx = await client.get(f"{url}?format=tbx")
        bad = await client.get(f"{url}?format=xlsx")
        # The TBX export carries everything (variants, acceptable, meaning): it imports back.
        again = await _create(client, name="again", entries=tbx.text, entries_format="tbx")
        again_entries = (await client.get(f"/v1/glossaries/{again['id']}/entries")).json()

    assert tsv.status_code == 200
    assert tsv.headers["content-type"].startswith("text/tab-separated-values;")
    assert tsv.headers["content-disposition"].startswith('attachment; filename="shoes.tsv";')
    assert tsv.text.splitlines() == ["踩屎感\tmarshmallow feel", "显瘦\tslimming"]

    assert csv_file.status_code == 200
    assert csv_file.headers["content-type"].startswith("text/csv;")
    assert csv_file.headers["content-disposition"].startswith('attachment; filename="shoes.csv";')
    assert list(csv.reader(io.StringIO(csv_file.text))) == [
        ["踩屎感", "marshmallow feel"],
        ["显瘦", "slimming"],
    ]

    assert tbx.status_code == 200
    assert tbx.headers["content-type"] == "application/x-tbx+xml"
    root = ET.fromstring(tbx.content)
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    assert root.tag == "{urn:iso:std:iso:30042:ed-2}tbx"
    assert root.findtext("t:tbxHeader/t:fileDesc/t:titleStmt/t:title", namespaces=ns) == "shoes"
    concepts = root.findall(".//t:conceptEntry", ns)
    assert [[t.text for t in c.iterfind(".//t:term", ns)] for c in concepts] == [
        ["踩屎感", "踩屎感觉", "marshmallow feel", "plush"],
        ["显瘦", "slimming"],
    ]

    _problem(bad, 400, "format")
    assert again_entries["entries"] == ENTRIES_OUT


async def test_export_content_types_name_the_charset_once(client_for: ClientFactory) -> None:
    async with client_for() as client:
        created = await _create(client)
        url = f"/v1/glossaries/{created['id']}/entries"
        types = [
            (await client.get(f"{url}?format={fmt}")).headers["content-type"]
            for fmt in ("tsv", "csv")
        ]
    assert types == ["text/tab-separated-values; charset=utf-8", "text/csv; charset=utf-8"]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("changes", "field", "detail"),
    [
        ({"name": ""}, "name", "length >= 1"),
        ({"name": "   "}, "name", "empty"),
        ({"name": "bad\nname"}, "name", "control character"),
        ({"source": "xx"}, "source", "unsupported language"),
        ({"target": "klingon"}, "target", "unsupported language"),
        # A glossary is for one source language: no "auto".
        ({"source": "auto"}, "source", "unsupported language 'auto'"),
        ({"source": "en", "target": "en-US"}, "target", "same"),
        ({"entries": "踩屎感\tmarshmallow feel\n显瘦\tslimming\textra\n"}, "entries", "line 2"),
        ({"entries": "踩屎感\t \n"}, "entries", "line 1: empty target term"),
        ({"entries": "a,b,c\n", "entries_format": "csv"}, "entries", "line 1"),
        ({"entries": "a,b,ja,en\n", "entries_format": "csv"}, "entries", "ja to en"),
        ({"entries": "<tbx><text>", "entries_format": "tbx"}, "entries", "malformed XML"),
        ({"entries": "a\tb", "entries_format": "xlsx"}, "entries_format", "'xlsx'"),
        (
            {"entries": [ENTRIES[1], {"source": " 显瘦 ", "target": "flattering"}]},
            "entries[1]",
            "duplicate source term '显瘦'",
        ),
        ({"entries": [{"source": "显瘦", "target": "   "}]}, "entries[0]", "empty target term"),
        ({"entries": [{"source": "显瘦", "target": ""}]}, "entries[0].target", "length >= 1"),
        ({"entries": [{"source": "显瘦"}]}, "entries[0]", "missing required field `target`"),
        (
            {"entries": [{"source": "显瘦", "target": "x", "colour": "red"}]},
            "entries[0]",
            "unknown field `colour`",
        ),
        ({"entries": 7}, "entries", "got `int`"),
        ({"shape": "round"}, "shape", "unknown field"),
    ],
)
async def test_bad_glossaries_are_400_naming_the_field(
    client_for: ClientFactory, changes: dict[str, Any], field: str, detail: str | None
) -> None:
    body = {"name": "shoes", "source": "zh", "target": "en", "entries": ENTRIES, **changes}
    async with client_for() as client:
        response = await client.post("/v1/glossaries", json=body)
        listed = (await client.get("/v1/glossaries")).json()
    problem = _problem(response, 400, field)
    if detail is not None:
        assert detail in problem["detail"], problem
    assert listed == {"glossaries": []}


async def test_a_tbx_with_entity_declarations_is_refused_and_nothing_is_stored(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        response = await client.post(
            "/v1/glossaries",
            json={
                "name": "lol",
                "source": "zh",
                "target": "en",
                "entries": BILLION_LAUGHS,
                "entries_format": "tbx",
            },
        )
        listed = (await client.get("/v1/glossaries")).json()
    problem = _problem(response, 400, "entries")
    assert "entity declarations are not allowed" in problem["detail"]
    assert listed == {"glossaries": []}


async def test_a_duplicate_name_is_409(client_for: ClientFactory) -> None:
    async with client_for() as client:
        first = await _create(client)
        second = await client.post(
            "/v1/glossaries",
            json={"name": " shoes", "source": "ja", "target": "en", "entries": "靴\tshoes"},
        )
        listed = (await client.get("/v1/glossaries")).json()
    problem = _problem(second, 409)
    assert problem["type"] == "urn:translator:problem:conflict"
    assert "shoes" in problem["detail"]
    assert listed == {"glossaries": [first]}


# ---------------------------------------------------------------- replace


async def test_put_replaces_the_entries_as_a_new_version(client_for: ClientFactory) -> None:
    async with client_for() as client:
        created = await _create(client)
        url = f"/v1/glossaries/{created['id']}/entries"
        replaced = await client.put(url, json={"entries": "回购\tbuy again\n"})
        entries = (await client.get(url)).json()
        got = (await client.get(f"/v1/glossaries/{created['id']}")).json()
        as_objects = await client.put(url, json={"entries": ENTRIES})
    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert (body["id"], body["name"], body["version"], body["entry_count"]) == (
        created["id"],
        "shoes",
        2,
        1,
    )
    assert body["updated_at"] > created["updated_at"]
    assert body["created_at"] == created["created_at"]
    assert got == body
    assert entries == {
        "id": created["id"],
        "version": 2,
        "entries": [
            {
                "source": "回购",
                "target": "buy again",
                "variants": [],
                "acceptable": [],
                "meaning": "",
            }
        ],
    }
    assert (as_objects.json()["version"], as_objects.json()["entry_count"]) == (3, 2)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"entries": "回购\tbuy again\n显瘦\n"}, "entries"),
        ({"entries": [ENTRIES[0], ENTRIES[0]]}, "entries[1]"),
        ({"entries": BILLION_LAUGHS, "entries_format": "tbx"}, "entries"),
        ({"entries": "a\tb", "name": "renamed"}, "name"),
    ],
)
async def test_a_bad_put_changes_nothing(
    client_for: ClientFactory, body: dict[str, Any], field: str
) -> None:
    async with client_for() as client:
        created = await _create(client)
        url = f"/v1/glossaries/{created['id']}/entries"
        response = await client.put(url, json=body)
        entries = (await client.get(url)).json()
        got = (await client.get(f"/v1/glossaries/{created['id']}")).json()
    _problem(response, 400, field)
    assert got == created
    assert entries == {"id": created["id"], "version": 1, "entries": ENTRIES_OUT}


# ---------------------------------------------------------------- scoping by key


async def test_glossaries_belong_to_the_key_that_made_them(
    client_for: ClientFactory, settings: Settings
) -> None:
    a, b = bearer(await new_key(settings, "shop-a")), bearer(await new_key(settings, "shop-b"))
    async with client_for(api_keys_required=True) as client:
        mine = await _create(client, headers=a)
        # Names are unique per key only: B may use the same name.
        theirs = await _create(client, entries="显瘦\tflattering", headers=b)
        url = f"/v1/glossaries/{mine['id']}"
        as_b = [
            await client.get(url, headers=b),
            await client.get(f"{url}/entries", headers=b),
            await client.get(f"{url}/entries?format=tbx", headers=b),
            await client.put(f"{url}/entries", json={"entries": "a\tb"}, headers=b),
            await client.delete(url, headers=b),
        ]
        list_a = (await client.get("/v1/glossaries", headers=a)).json()
        list_b = (await client.get("/v1/glossaries", headers=b)).json()
        translate_b = await _translate(client, SHOES, headers=b, glossary=mine["id"])
        by_name_b = await _answer_with(client, b, glossary="shoes", builtin_glossary=False)
        by_id_a = await _answer_with(client, a, glossary=mine["id"], builtin_glossary=False)
        anonymous = await client.get("/v1/glossaries")
        still_a = await client.get(f"{url}/entries", headers=a)
    for response in as_b:
        _problem(response, 404)
    assert list_a == {"glossaries": [mine]}
    assert list_b == {"glossaries": [theirs]}
    assert "no glossary" in _problem(translate_b, 400, "glossary")["detail"]
    # By name, each key gets its own glossary "shoes".
    assert by_name_b["terms"] == []  # B's "shoes" has only 显瘦
    assert [(t["term"], t["origin"]) for t in by_id_a["terms"]] == [("踩屎感", mine["id"])]
    _problem(anonymous, 401)
    assert still_a.json()["version"] == 1 and still_a.json()["entries"] == ENTRIES_OUT


async def _answer_with(client: Client, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = await _translate(client, SHOES, headers=headers, **fields)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()["translations"][0]
    return answer


async def test_anonymous_callers_share_local_glossaries_but_not_keyed_ones(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = bearer(await new_key(settings, "shop"))
    async with client_for() as client:
        keyed = await _create(client, name="keyed", headers=key)
        local = await _create(client, name="local")
        anonymous = (await client.get("/v1/glossaries")).json()
        with_key = (await client.get("/v1/glossaries", headers=key)).json()
        keyed_anonymously = await client.get(f"/v1/glossaries/{keyed['id']}")
    assert anonymous == {"glossaries": [local]}
    assert with_key == {"glossaries": [keyed]}
    _problem(keyed_anonymously, 404)


# ---------------------------------------------------------------- glossaries in translate


async def test_a_user_term_is_reported_with_its_glossary_and_status(
    client_for: ClientFactory,
) -> None:
    engine = RecordingEngine()
    async with client_for(engine) as client:
        created = await _create(client)
        answer = await _answer(client, SHOES, glossary=created["id"])
        by_name = await _answer(client, "这双鞋踩屎感觉很强", source="auto", glossary="shoes")
        plain = await _answer(client, PLAIN, glossary=created["id"])
    # The glossary notes do not confuse the echo engine: it still finds the source text.
    assert answer["translation"] == echo_translation(SHOES)
    assert answer["terms"] == [
        {
            "term": "踩屎感",
            "start": 3,
            "end": 6,
            "meaning": "soft, springy underfoot",
            "preferred": ["marshmallow feel"],
            "acceptable": ["plush"],
            "origin": created["id"],
            "status": "missed",  # the echo engine never renders it
            "found": None,
        }
    ]
    # A variant matches its entry (the longest form wins), and names work as references.
    assert by_name["source_language"] == "zh"
    assert [(t["term"], t["start"], t["end"], t["origin"]) for t in by_name["terms"]] == [
        ("踩屎感觉", 3, 7, created["id"])
    ]
    assert plain["terms"] == []
    (with_terms, variant, without), retries = _split_retries(engine.prompts)
    # The echo engine missed the term, so each of those answers was retried once, naming it.
    assert len(retries) == 2
    assert "The English translation must render 踩屎感 as marshmallow feel." in retries[0]
    assert "must render 踩屎感觉 as marshmallow feel." in retries[1]
    assert "In this text, " in with_terms
    assert 'In this text, 踩屎感 means "marshmallow feel".\n' in with_terms
    assert f"text:\n{SHOES}\n\nIn this text, " in with_terms
    assert with_terms.endswith("<|im_end|>\n<|im_start|>assistant\n<Output>")
    assert 'In this text, 踩屎感觉 means "marshmallow feel".\n' in variant
    assert "In this text, " not in without and "marshmallow" not in without


async def test_the_first_glossary_named_wins_for_a_shared_term(client_for: ClientFactory) -> None:
    async with client_for() as client:
        slim = await _create(client, name="slim", entries="显瘦\tslimming\n")
        flatter = await _create(client, name="flatter", entries="显瘦\tflattering\n踩屎感\tcomfy")
        text = "这条裤子很显瘦，鞋子踩屎感"
        first = await _answer(client, text, glossary=[slim["id"], flatter["id"]])
        second = await _answer(client, text, glossary=[flatter["id"], slim["id"]])
    assert [(t["term"], t["origin"], t["preferred"]) for t in first["terms"]] == [
        ("显瘦", slim["id"], ["slimming"]),
        ("踩屎感", flatter["id"], ["comfy"]),  # only the second defines it: it still applies
    ]
    assert [(t["term"], t["origin"], t["preferred"]) for t in second["terms"]] == [
        ("显瘦", flatter["id"], ["flattering"]),
        ("踩屎感", flatter["id"], ["comfy"]),
    ]


async def test_user_entries_take_precedence_over_the_builtin_glossary(
    client_for: ClientFactory,
) -> None:
    async with client_for() as client:
        created = await _create(client)
        builtin = await _answer(client, SHOES)
        user = await _answer(client, SHOES, glossary=created["id"])
        nothing = await _answer(client, SHOES, builtin_glossary=False)
        only_user = await _answer(client, SHOES, glossary=created["id"], builtin_glossary=False)
        builtin_other = await _answer(client, "这件衣服太炸了", glossary=created["id"])
    (term,) = builtin["terms"]
    assert (term["term"], term["start"], term["end"], term["origin"]) == ("踩屎感", 3, 6, "builtin")
    assert term["preferred"] == ["cloud-like cushioning", "pillowy cushioning"]
    assert term["status"] == "missed"
    assert [(t["origin"], t["preferred"]) for t in user["terms"]] == [
        (created["id"], ["marshmallow feel"])
    ]
    assert nothing["terms"] == []
    assert [t["origin"] for t in only_user["terms"]] == [created["id"]]
    # Built-in terms the user glossary lacks still apply alongside it.
    assert [(t["term"], t["origin"]) for t in builtin_other["terms"]] == [("太炸了", "builtin")]


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"glossary": "no-such-glossary"}, "no glossary 'no-such-glossary'"),
        ({"glossary": ["shoes", "no-such-glossary"]}, "no-such-glossary"),
        ({"glossary": "shoes", "source": "ja"}, "zh to en"),  # explicit source differs
        ({"glossary": "shoes", "target": "de"}, "zh to en"),
        ({"glossary": ""}, None),
        ({"glossary": ["shoes"] * 9}, None),  # at most 8
    ],
)
async def test_a_bad_glossary_reference_is_a_400(
    client_for: ClientFactory, fields: dict[str, Any], detail: str | None
) -> None:
    engine = EchoEngine()
    async with client_for(engine) as client:
        await _create(client)
        response = await _translate(client, SHOES, **fields)
    problem = _problem(response, 400, "glossary")
    if detail is not None:
        assert detail in problem["detail"]
    assert engine.calls == 0


async def test_the_cache_key_covers_the_matched_entries_only(client_for: ClientFactory) -> None:
    engine = RecordingEngine()
    async with client_for(engine) as client:
        created = await _create(client)
        url = f"/v1/glossaries/{created['id']}/entries"
        first = await _answer(client, SHOES, glossary=created["id"])
        repeated = await _answer(client, SHOES, glossary=created["id"])
        without_glossary = await _answer(client, SHOES, builtin_glossary=False)

        changed = [{**ENTRIES[0], "target": "cloud steps"}, ENTRIES[1]]
        assert (await client.put(url, json={"entries": changed})).json()["version"] == 2
        after_change = await _answer(client, SHOES, glossary=created["id"])
        after_change_repeated = await _answer(client, SHOES, glossary=created["id"])

        unrelated = [changed[0], {"source": "显瘦", "target": "flattering"}]
        assert (await client.put(url, json={"entries": unrelated})).json()["version"] == 3
        after_unrelated = await _answer(client, SHOES, glossary=created["id"])
    assert (first["cached"], repeated["cached"]) == (False, True)
    assert repeated["id"] == first["id"]
    assert without_glossary["cached"] is False  # no terms: another key
    assert without_glossary["id"] != first["id"]
    assert (after_change["cached"], after_change_repeated["cached"]) == (False, True)
    assert after_change["id"] not in (first["id"], without_glossary["id"])
    assert after_change["terms"][0]["preferred"] == ["cloud steps"]
    # Only 显瘦 changed, which is not in the text: the stored translation is reused.
    assert after_unrelated["cached"] is True
    assert after_unrelated["id"] == after_change["id"]
    assert [(t["origin"], t["preferred"]) for t in after_unrelated["terms"]] == [
        (created["id"], ["cloud steps"])
    ]
    prompts, retries = _split_retries(engine.prompts)
    assert len(prompts) == 3 and len(retries) == 2  # each missed term retried once
    assert 'In this text, 踩屎感 means "marshmallow feel".\n' in prompts[0]
    assert "In this text, " not in prompts[1]
    assert (
        'In this text, 踩屎感 means "cloud steps".\n' in prompts[2]
        and "marshmallow" not in prompts[2]
    )


async def test_the_stored_record_keeps_the_glossary_version(client_for: ClientFactory) -> None:
    async with client_for() as client:
        created = await _create(client)
        with_terms = await _answer(client, SHOES, glossary=created["id"])
        without = await _answer(client, PLAIN, glossary=created["id"])
        record = (await client.get(f"/v1/translations/{with_terms['id']}")).json()
        plain_record = (await client.get(f"/v1/translations/{without['id']}")).json()
    assert isinstance(record["glossary_version"], str) and len(record["glossary_version"]) == 16
    assert plain_record["glossary_version"] is None


async def test_html_terms_have_no_offsets(client_for: ClientFactory) -> None:
    engine = RecordingEngine()
    async with client_for(engine) as client:
        created = await _create(client)
        answer = await _answer(
            client,
            "<p>这双鞋<b>踩屎感</b>很强，<i>显瘦</i></p>",
            format="html",
            glossary=created["id"],
        )
    assert answer["translation"].startswith("<p>") and "<b>" in answer["translation"]
    assert answer["terms"] == [
        {
            "term": "踩屎感",
            "start": None,
            "end": None,
            "meaning": "soft, springy underfoot",
            "preferred": ["marshmallow feel"],
            "acceptable": ["plush"],
            "origin": created["id"],
            "status": "missed",
            "found": None,
        },
        {
            "term": "显瘦",
            "start": None,
            "end": None,
            "meaning": "",
            "preferred": ["slimming"],
            "acceptable": [],
            "origin": created["id"],
            "status": "missed",
            "found": None,
        },
    ]
    prompts, _ = _split_retries(engine.prompts)
    noted = [p for p in prompts if "In this text, " in p]
    assert len(noted) == 2
    assert any('In this text, 踩屎感 means "marshmallow feel".\n' in p for p in noted)
    assert any('In this text, 显瘦 means "slimming".\n' in p for p in noted)
