"""`translator glossary` and `translate --glossary` as a user runs them, on the real model."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.serving import translator_command

pytestmark = pytest.mark.e2e


def _translator(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = translator_command()
    env = {**os.environ, "TRANSLATOR_DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    return subprocess.run(
        [command, *args], capture_output=True, text=True, timeout=600, check=False, env=env
    )


@pytest.mark.usefixtures("model_path")
def test_import_translate_with_it_export_and_delete(tmp_path: Path) -> None:
    database = tmp_path / "t.db"
    terms = tmp_path / "shoes.tsv"
    terms.write_text("踩屎感\tmarshmallow comfort\n小白鞋\twhite sneakers\n", encoding="utf-8")
    run = _translator(
        database, "glossary", "import", str(terms), "--name", "shoes", "--from", "zh", "--to", "en"
    )
    assert run.returncode == 0, run.stderr
    assert "2 entries, version 1" in run.stdout
    glossary_id = run.stdout.rsplit("id ", 1)[1].strip()

    listed = _translator(database, "glossary", "list")
    assert "shoes" in listed.stdout and glossary_id in listed.stdout

    run = _translator(
        database,
        "translate",
        "这双小白鞋踩屎感很强",
        "--mode",
        "direct",
        "--glossary",
        "shoes",
        "--json",
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    by_term = {term["term"]: term for term in result["terms"]}
    assert set(by_term) == {"小白鞋", "踩屎感"}
    assert {term["origin"] for term in by_term.values()} == {glossary_id}
    assert by_term["踩屎感"]["preferred"] == ["marshmallow comfort"]
    # The hint reaches the model: greedy decoding uses the glossary's rendering.
    assert "marshmallow" in result["translation"].lower()
    assert by_term["踩屎感"]["status"] == "preferred"

    exported = tmp_path / "out.tbx"
    run = _translator(database, "glossary", "export", "shoes", "-o", str(exported))
    assert run.returncode == 0, run.stderr
    assert "<term>踩屎感</term>" in exported.read_text(encoding="utf-8")

    run = _translator(
        database,
        "glossary",
        "import",
        str(exported),
        "--name",
        "shoes",
        "--from",
        "zh",
        "--to",
        "en",
        "--replace",
    )
    assert run.returncode == 0, run.stderr
    assert "version 2" in run.stdout

    assert _translator(database, "glossary", "delete", "shoes").returncode == 0
    assert "no glossaries" in _translator(database, "glossary", "list").stdout


def test_bad_files_are_refused_whole_with_the_line_named(tmp_path: Path) -> None:
    database = tmp_path / "t.db"
    bad = tmp_path / "bad.tsv"
    bad.write_text("显瘦\tslimming\n百搭\tgoes with everything\n显瘦\tflattering\n", "utf-8")
    run = _translator(
        database, "glossary", "import", str(bad), "--name", "x", "--from", "zh", "--to", "en"
    )
    assert run.returncode == 2
    assert "line 3" in run.stderr and "duplicate" in run.stderr
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("a,b\nc,d\ncaf\xe9,caf\xe9\n".encode("latin-1"))
    run = _translator(
        database, "glossary", "import", str(latin1), "--name", "y", "--from", "fr", "--to", "en"
    )
    assert run.returncode == 2
    assert "line 3" in run.stderr and "UTF-8" in run.stderr
    assert "no glossaries" in _translator(database, "glossary", "list").stdout
    run = _translator(database, "translate", "你好", "--glossary", "missing", "--mode", "direct")
    assert run.returncode == 2
    assert "--glossary" in run.stderr and "missing" in run.stderr
