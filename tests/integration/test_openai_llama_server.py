"""OpenAICompletionsEngine against a real `python -m llama_cpp.server` on loopback.

The server only returns logprobs when the model keeps the logits of every position
(`--logits_all true`); that costs n_ctx x vocab floats, so the context is kept small.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from tests.ports import free_port
from translator.engines.llama_model import LlamaModel
from translator.engines.openai import OpenAICompletionsEngine
from translator.engines.types import Completion, SamplingParams, ScoreRequest
from translator.prompting.modes import Mode, Segment
from translator.search.config import SearchConfig
from translator.search.mcts import MCTS
from translator.settings import Settings
from translator.translating.runners import build_translator

pytestmark = pytest.mark.integration

MODEL_ALIAS = "local-gguf"
READY_TIMEOUT_S = 120.0
PROMPT = "<|im_start|>user\nTranslate to English: 你好<|im_end|>\n<|im_start|>assistant\n"


def server_command(model_path: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model_path),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "512",
        "--logits_all",
        "true",
    ]


def wait_until_ready(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    """Poll `/v1/models` until it answers; fail early, with the server log, if the server dies."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"llama_cpp.server exited early:\n{log_path.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/v1/models", timeout=2.0).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    log_tail = log_path.read_text(errors="replace")[-4000:]
    pytest.fail(f"llama_cpp.server not ready in {READY_TIMEOUT_S} s:\n{log_tail}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def server_url(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("llama_server") / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            server_command(model_path, port), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_until_ready(process, url, log_path)
        yield url
    finally:
        stop(process)


@asynccontextmanager
async def engine_at(url: str) -> AsyncIterator[OpenAICompletionsEngine]:
    engine = OpenAICompletionsEngine(url, timeout_s=120.0, max_connections=4)
    try:
        yield engine
    finally:
        await engine.aclose()


def assert_well_formed(completion: Completion) -> None:
    assert completion.tokens
    for token in completion.tokens:
        assert token.logprob <= 0
        assert 1 <= len(token.top) <= 5
        values = [value for _, value in token.top]
        assert values == sorted(values, reverse=True)
        assert all(value <= 0 for value in values)


async def test_info_reports_served_model(server_url: str) -> None:
    async with engine_at(f"{server_url}/v1") as engine:
        info = await engine.info()

    assert (info.engine, info.model_id) == ("openai", MODEL_ALIAS)


async def test_greedy_generation_returns_text_and_logprobs(server_url: str) -> None:
    async with engine_at(server_url) as engine:
        result = await engine.generate([PROMPT], SamplingParams(max_new_tokens=16))

    [completion] = result.completions
    assert completion.prompt_index == 0
    assert completion.text.strip()
    assert completion.finish_reason in ("stop", "length")
    assert_well_formed(completion)
    assert result.usage.prompt_tokens > 0
    assert result.usage.generated_tokens >= 1


async def test_sampling_n_per_prompt_is_prompt_major(server_url: str) -> None:
    prompts = [PROMPT, PROMPT.replace("你好", "谢谢")]
    params = SamplingParams(max_new_tokens=8, temperature=0.8, n=2, seed=11)

    async with engine_at(server_url) as engine:
        result = await engine.generate(prompts, params)

    assert [c.prompt_index for c in result.completions] == [0, 0, 1, 1]
    for completion in result.completions:
        assert_well_formed(completion)
    assert result.usage.generated_tokens >= 4


async def test_translates_a_review_through_the_server(server_url: str) -> None:
    async with engine_at(server_url) as engine:
        translator = build_translator(engine, Settings(max_new_tokens=256))
        (result,) = await translator.translate(
            ["这双鞋穿起来很舒服，物超所值"], source="auto", target="en", mode=Mode.DIRECT
        )

    assert result.engine == "openai"
    assert result.model == MODEL_ALIAS
    assert result.source_language == "zh"
    assert result.translation
    assert not re.search(r"[\u4e00-\u9fff]", result.translation)
    assert 0 < result.confidence <= 1


async def test_search_runs_over_the_server_with_parallel_leaves(server_url: str) -> None:
    # No early stop: a leader after the first wave would end the search before its third rollout.
    config = SearchConfig(
        expansion_width=2,
        max_rollouts=3,
        parallel=2,
        max_thought_tokens=32,
        seed=3,
        deadline_s=600,
        early_stop_margin=2.0,
    )
    async with engine_at(server_url) as engine:
        result = await MCTS(engine, config).search(Segment("这双鞋很舒服", "zh", "en"))

    assert result.best.translation
    assert not re.search(r"[\u4e00-\u9fff]", result.best.translation)
    assert 0 <= result.best.reward <= 1
    assert result.trace["budget_used"]["rollouts"] >= 3
    assert result.usage.calls >= 2


async def test_scores_a_continuation_through_echoed_logprobs(
    server_url: str, model_path: Path
) -> None:
    text = "Hello there"
    async with engine_at(server_url) as engine:
        (scores,) = await engine.score([ScoreRequest(PROMPT, text)])

    model = LlamaModel(model_path)
    try:
        assert len(scores) == len(model.tokenize(text, special=False))
    finally:
        model.close()
    assert all(value <= 0 for value in scores)
