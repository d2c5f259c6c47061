"""Translation memories as users meet them: `translator memory` commands, and a correction
through a served API that answers the same text again from memory, on the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.serving import Served, run_translator
from translator.memory.formats import MemoryFormat, parse_pairs
from translator.store.pairs import Pair

pytestmark = pytest.mark.e2e

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t"
          adminlang="en" srclang="zh-CN" datatype="plaintext"/>
  <body>
    <tu>
      <tuv xml:lang="zh-CN"><seg>包邮</seg></tuv>
      <tuv xml:lang="en"><seg>Free shipping</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_import_list_export_and_delete(tmp_path: Path) -> None:
    database = tmp_path / "t.db"
    source = tmp_path / "shop.tmx"
    source.write_text(TMX, encoding="utf-8")
    run = run_translator(
        database, "memory", "import", str(source), "--name", "shop", "--from", "zh", "--to", "en"
    )
    assert run.returncode == 0, run.stderr
    assert "1 pairs, version 1" in run.stdout
    assert "shop" in run_translator(database, "memory", "list").stdout

    exported = tmp_path / "out.csv"
    run = run_translator(database, "memory", "export", "shop", "-o", str(exported))
    assert run.returncode == 0, run.stderr
    pairs = parse_pairs(exported.read_bytes(), MemoryFormat.CSV, source="zh", target="en")
    assert pairs == [Pair("包邮", "Free shipping")]

    broken = tmp_path / "broken.tmx"
    broken.write_text(TMX.replace('xml:lang="en"', 'xml:lang="fr"'), encoding="utf-8")
    run = run_translator(
        database, "memory", "import", str(broken), "--name", "b", "--from", "zh", "--to", "en"
    )
    assert run.returncode == 2 and "line 6" in run.stderr and "no segment in en" in run.stderr

    assert run_translator(database, "memory", "delete", "shop").returncode == 0
    assert "no memories" in run_translator(database, "memory", "list").stdout


def test_a_correction_is_served_from_memory_without_the_engine(served: Served) -> None:
    client = served.client
    text = "这条裤子有点短，但是很显瘦"
    body = {"text": text, "source": "zh", "target": "en", "mode": "direct", "memory": []}
    first = client.post("/v1/translate", json=body).json()["translations"][0]
    assert first["usage"]["calls"] == 1 and first["translation"]

    created = client.post("/v1/memories", json={"name": "fixes", "source": "zh", "target": "en"})
    assert created.status_code == 201, created.text
    correction = "These trousers run a little short, but they are very slimming"
    corrected = client.put(
        f"/v1/translations/{first['id']}", json={"translation": correction, "memory": "fixes"}
    )
    assert corrected.status_code == 200, corrected.text

    def engine_calls() -> float:
        metrics = client.get("/metrics").text
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in metrics.splitlines()
            if line.startswith("translator_engine_calls_total")
        )

    calls = engine_calls()
    again = client.post("/v1/translate", json={**body, "memory": "fixes"}).json()
    answer = again["translations"][0]
    assert answer["translation"] == correction
    assert answer["memory"]["match"] == "exact" and answer["usage"]["calls"] == 0
    assert engine_calls() == calls
