"""The installed `translator` command on the real embedded model, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.serving import HAN, translator_command
from translator.text.qa import check_translation

pytestmark = pytest.mark.e2e


def _translator(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    command = translator_command()
    return subprocess.run(
        [command, *args],
        input=stdin,
        capture_output=True,
        timeout=600,
        check=False,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.usefixtures("model_path")
def test_translates_slang_review_with_json_details() -> None:
    run = _translator("translate", "这件衣服太炸了", "--to", "en", "--mode", "direct", "--json")
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
    checked = check_translation(
        "这件衣服太炸了", result["translation"], source_language="zh", target_language="en"
    )
    assert result["qa"] == [finding.as_dict() for finding in checked]


@pytest.mark.usefixtures("model_path")
def test_stdin_lines_come_back_in_order_with_blank_lines_kept() -> None:
    lines = ["质量很好，物超所值", "", "快递很快，包装完好"]
    run = _translator(
        "translate", "--to", "en", "--mode", "direct", stdin="\n".join(lines).encode() + b"\n"
    )
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


def _search(trace_path: Path, seed: str) -> tuple[dict[str, Any], dict[str, Any]]:
    run = _translator(
        "translate", "这双鞋穿起来很舒服，物超所值", "--to", "en", "--rollouts", "2",
        "--seed", seed, "--json", "--trace", str(trace_path),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr.decode()
    return json.loads(run.stdout), json.loads(trace_path.read_text())


@pytest.mark.usefixtures("model_path")
@pytest.mark.parametrize("selection", ["consensus", "consensus-source"])
def test_each_selection_answers_from_the_searched_pool(tmp_path: Path, selection: str) -> None:
    trace_path = tmp_path / "trace.json"
    run = _translator(
        "translate", "这款面霜很水润，用完脸不干，回购第三次了", "--to", "en", "--rollouts", "2",
        "--json", "--trace", str(trace_path), env={"TRANSLATOR_SEARCH_SELECTION": selection},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr.decode()
    result, trace = json.loads(run.stdout), json.loads(trace_path.read_text())
    assert result["translation"] and not HAN.search(result["translation"])
    assert result["translation"] == trace["alternatives"][0]["translation"]
    assert any("direct" in a["flags"] for a in trace["alternatives"])
    likelihoods = [a.get("source_logprob") for a in trace["alternatives"]]
    if selection == "consensus-source":
        assert all(value is not None and value < 0 for value in likelihoods)
    else:
        assert likelihoods == [None] * len(likelihoods)


@pytest.mark.usefixtures("model_path")
def test_search_is_the_default_and_is_reproducible_with_a_seed(tmp_path: Path) -> None:
    result, trace = _search(tmp_path / "one.json", "11")
    assert result["mode"] == "mcts"
    assert result["translation"] and not HAN.search(result["translation"])
    assert result["translation"] == trace["translation"]
    assert 0 <= result["confidence"] <= 1
    assert result["alternatives"][0]["translation"] == result["translation"]

    nodes = trace["nodes"]
    assert nodes[0]["kind"] == "root" and nodes[0]["parent"] is None
    assert trace["budget_used"]["rollouts"] == 2
    assert trace["chosen_path"][0] == 0
    for node in nodes:
        assert 0 <= node["value"] <= 1
        for child in node["children"]:
            assert nodes[child]["parent"] == node["id"]
        if node["confidence"]:
            assert 0 <= node["confidence"]["min"] <= node["confidence"]["mean"] <= 1
    for alternative in trace["alternatives"]:
        assert 0 <= alternative["reward"] <= 1
    assert trace["usage"]["cached_prompt_tokens"] > 0

    again, again_trace = _search(tmp_path / "two.json", "11")
    assert again["translation"] == result["translation"]
    assert [n["text"] for n in again_trace["nodes"]] == [n["text"] for n in nodes]

    shown = _translator(
        "trace", "show", str(tmp_path / "one.json"), "--out", str(tmp_path / "t.html")
    )
    assert shown.returncode == 0, shown.stderr.decode()
    assert "<!doctype html>" in (tmp_path / "t.html").read_text()
