"""The installed `translator` command on the real embedded model, as a user runs it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

HAN = re.compile(r"[\u4e00-\u9fff]")


def _translator(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    command = shutil.which("translator", path=str(Path(sys.executable).parent))
    assert command, "the translator console script is not installed"
    return subprocess.run(
        [command, *args], input=stdin, capture_output=True, timeout=600, check=False
    )


@pytest.mark.usefixtures("model_path")
def test_translates_slang_review_with_json_details() -> None:
    run = _translator("translate", "这件衣服太炸了", "--to", "en", "--json")
    assert run.returncode == 0, run.stderr.decode()
    result = json.loads(run.stdout)
    assert result["text"] == "这件衣服太炸了"
    assert result["source_language"] == "zh"
    assert result["target_language"] == "en"
    assert result["mode"] == "direct"
    assert result["engine"] == "embedded"
    assert result["model"].startswith("qwen2.5-coder-1.5b")
    assert result["translation"] and not HAN.search(result["translation"])
    assert result["usage"]["generated_tokens"] > 0
    assert 0 < result["timing"]["engine_seconds"] <= result["timing"]["batch_seconds"]
    assert 0 < result["confidence"] <= 1


@pytest.mark.usefixtures("model_path")
def test_stdin_lines_come_back_in_order_with_blank_lines_kept() -> None:
    lines = ["质量很好，物超所值", "", "快递很快，包装完好"]
    run = _translator("translate", "--to", "en", stdin="\n".join(lines).encode() + b"\n")
    assert run.returncode == 0, run.stderr.decode()
    output = run.stdout.decode().split("\n")
    assert output[-1] == ""
    assert len(output[:-1]) == 3
    assert output[1] == ""
    for translation in (output[0], output[2]):
        assert translation.strip() and not HAN.search(translation)


@pytest.mark.usefixtures("model_path")
def test_cot_mode_reasons_then_answers() -> None:
    run = _translator(
        "translate", "买它！", "--from", "zh", "--to", "en", "--mode", "cot", "--json"
    )
    assert run.returncode == 0, run.stderr.decode()
    result = json.loads(run.stdout)
    assert result["mode"] == "cot"
    assert result["detection_confidence"] is None
    assert result["thought"]
    assert result["translation"] and not HAN.search(result["translation"])
