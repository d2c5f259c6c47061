"""The in-process engine on the real bundled model."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import llama_cpp
import pytest

from translator.engines.embedded import EmbeddedEngine
from translator.engines.errors import EngineBadRequest
from translator.engines.types import SamplingParams

pytestmark = pytest.mark.integration

PROMPT = (
    "<|im_start|>user\nTranslate into English: 这双鞋穿起来有踩屎感<|im_end|>\n"
    "<|im_start|>assistant\n"
)


async def test_greedy_tokens_carry_sorted_top5_logprobs(embedded_engine: EmbeddedEngine) -> None:
    result = await embedded_engine.generate([PROMPT], SamplingParams(max_new_tokens=24))
    (completion,) = result.completions
    assert completion.text.strip()
    assert completion.finish_reason in {"stop", "length"}
    assert len(completion.tokens) == result.usage.generated_tokens > 0
    for token in completion.tokens:
        assert len(token.top) == 5
        assert [lp for _, lp in token.top] == sorted((lp for _, lp in token.top), reverse=True)
        assert token.top[0] == (token.text, token.logprob)
        assert token.logprob <= 0
    visible = "".join(t.text for t in completion.tokens if t.text != "<|im_end|>")
    assert visible == completion.text


async def test_logprobs_match_llama_cpp_full_logits(model_path: Path) -> None:
    """Our last-position math must agree with llama.cpp's own logits_all=True logprobs.

    Both sides start from an empty cache with the same batch size, so the model computes the same
    numbers and any difference is ours.
    """
    cold_engine = EmbeddedEngine(model_path, n_ctx=512, n_batch=512)
    try:
        ours = await cold_engine.generate([PROMPT], SamplingParams(max_new_tokens=6))
    finally:
        await cold_engine.aclose()
    reference_model = llama_cpp.Llama(
        model_path=str(model_path), n_ctx=512, n_batch=512, logits_all=True, verbose=False
    )
    try:
        reference: Any = reference_model.create_completion(
            PROMPT, max_tokens=6, temperature=0.0, logprobs=5
        )
    finally:
        reference_model.close()
    expected = reference["choices"][0]["logprobs"]
    tokens = ours.completions[0].tokens
    assert [t.text for t in tokens] == expected["tokens"]
    for ours_token, logprob, top in zip(
        tokens, expected["token_logprobs"], expected["top_logprobs"], strict=True
    ):
        assert ours_token.logprob == pytest.approx(logprob, abs=1e-4)
        assert [lp for _, lp in ours_token.top] == pytest.approx(
            sorted(top.values(), reverse=True), abs=1e-4
        )


async def test_shared_prefix_is_not_recomputed(embedded_engine: EmbeddedEngine) -> None:
    params = SamplingParams(max_new_tokens=4, temperature=0.8, n=3, seed=1)
    result = await embedded_engine.generate([PROMPT], params)
    assert len(result.completions) == 3
    # The first sample may reuse an earlier test's cache; its siblings compute nothing.
    assert result.usage.cached_prompt_tokens >= 2 * result.usage.prompt_tokens // 3
    sibling = PROMPT.replace("踩屎感", "显瘦效果")
    second = await embedded_engine.generate([sibling], SamplingParams(max_new_tokens=2))
    assert 0 < second.usage.computed_prompt_tokens < second.usage.prompt_tokens // 2


async def test_seeded_sampling_is_reproducible(model_path: Path) -> None:
    """The same seed and the same calls on a fresh engine give the same samples.

    A warm KV cache may change the last bits of the logits (llama.cpp's kernels depend on batch
    shape), so reproducibility is defined from a fresh engine, as a seeded run starts.
    """
    params = SamplingParams(max_new_tokens=12, temperature=1.2, n=3, seed=42)
    runs = []
    for _ in range(2):
        engine = EmbeddedEngine(model_path, n_ctx=1024)
        try:
            result = await engine.generate([PROMPT, PROMPT + "These"], params)
        finally:
            await engine.aclose()
        runs.append([c.text for c in result.completions])
    assert runs[0] == runs[1]
    assert len(set(runs[0][:3])) > 1


async def test_stop_string_ends_the_sample(embedded_engine: EmbeddedEngine) -> None:
    prompt = (
        "<|im_start|>user\nCount from 1 to 10 separated by commas.<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    result = await embedded_engine.generate(
        [prompt], SamplingParams(max_new_tokens=40, stop=("5",))
    )
    (completion,) = result.completions
    assert completion.finish_reason == "stop"
    assert "4" in completion.text and "5" not in completion.text


async def test_concurrent_calls_are_serialised_safely(embedded_engine: EmbeddedEngine) -> None:
    params = SamplingParams(max_new_tokens=8)
    other = PROMPT.replace("踩屎感", "质量杠杠的")
    serial = [await embedded_engine.generate([p], params) for p in (PROMPT, other)]
    together = await asyncio.gather(
        embedded_engine.generate([PROMPT], params), embedded_engine.generate([other], params)
    )
    assert [r.completions[0].text for r in together] == [r.completions[0].text for r in serial]


async def test_cancelled_generation_frees_the_model(embedded_engine: EmbeddedEngine) -> None:
    counting = (
        "<|im_start|>user\nCount from 1 to 1000, separated by commas.<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    long_run = asyncio.create_task(
        embedded_engine.generate([counting], SamplingParams(max_new_tokens=2000))
    )
    await asyncio.sleep(1.0)
    long_run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await long_run
    quick = await asyncio.wait_for(
        embedded_engine.generate([PROMPT], SamplingParams(max_new_tokens=2)), timeout=60
    )
    assert quick.completions[0].tokens


async def test_prompt_over_the_context_window_is_a_bad_request(
    embedded_engine: EmbeddedEngine,
) -> None:
    with pytest.raises(EngineBadRequest, match="context window"):
        await embedded_engine.generate(["好 " * 5000], SamplingParams(max_new_tokens=2))
