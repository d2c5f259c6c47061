"""The in-process engine on the real bundled model."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from translator.engines.embedded import EmbeddedEngine
from translator.engines.errors import EngineBadRequest
from translator.engines.llama_batch import BatchContext, Row
from translator.engines.llama_model import LlamaModel
from translator.engines.scheduler import LARGE_BATCH
from translator.engines.types import SamplingParams, ScoreRequest

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


async def test_every_sequence_gets_logprobs_from_its_own_logits(model_path: Path) -> None:
    """Sibling samples decode as rows of one batch; each sample's logprobs and top 5 must agree
    with llama.cpp's logits for that sample's own text decoded as a single sequence (the prompt
    in one batch, then token by token, as `logits_all=True` generation does). A cold engine
    reads the prompt the same way, so only the batching can make a difference."""
    engine = EmbeddedEngine(model_path, n_ctx=512, max_sequences=4)
    try:
        params = SamplingParams(max_new_tokens=8, temperature=1.0, n=4, seed=7)
        result = await engine.generate([PROMPT], params)
    finally:
        await engine.aclose()
    assert len({c.text for c in result.completions}) > 1  # the siblings did sample apart
    model = LlamaModel(model_path)
    try:
        prompt = model.tokenize(PROMPT)
        for completion in result.completions:
            ids = [t.token_id for t in completion.tokens if t.token_id is not None]
            expected = _single_sequence_logprobs(model, prompt, ids)
            for token, (logprob, top) in zip(completion.tokens, expected, strict=True):
                assert token.logprob == pytest.approx(logprob, abs=1e-3)
                assert [lp for _, lp in token.top] == pytest.approx(top, abs=1e-3)
    finally:
        model.close()


async def test_a_prompt_read_meanwhile_leaves_a_samples_logprobs_alone(model_path: Path) -> None:
    """In deterministic mode a caller's prompt, read while another caller's sample decodes,
    does not move that sample's logprobs (neither the prompt batches beside its decoding
    steps nor the prompt's cells in the cache)."""
    long_prompt = (
        "<|im_start|>user\nTranslate into English: "
        + "这款运动鞋鞋底很软，走路不累脚，尺码偏大半码，建议买小一码。" * 24
        + "<|im_end|>\n<|im_start|>assistant\n"
    )
    model = LlamaModel(model_path)
    try:
        assert len(model.tokenize(long_prompt)) > 2 * 256  # read in several steps of 256
        engine = EmbeddedEngine(model_path, n_ctx=1024, n_batch=256, deterministic=True)
        try:
            decoding, _ = await asyncio.gather(
                engine.generate([PROMPT], SamplingParams(max_new_tokens=16)),
                engine.generate([long_prompt], SamplingParams(max_new_tokens=1)),
            )
        finally:
            await engine.aclose()
        (completion,) = decoding.completions
        ids = [t.token_id for t in completion.tokens if t.token_id is not None]
        expected = _single_sequence_logprobs(model, model.tokenize(PROMPT), ids, deterministic=True)
    finally:
        model.close()
    for token, (logprob, top) in zip(completion.tokens, expected, strict=True):
        assert token.logprob == pytest.approx(logprob, abs=1e-3)
        assert [lp for _, lp in token.top] == pytest.approx(top, abs=1e-3)


def _single_sequence_logprobs(
    model: LlamaModel, prompt: list[int], generated: list[int], *, deterministic: bool = False
) -> list[tuple[float, list[float]]]:
    """Logprob of each generated token and the top 5 at its position, decoded as llama.cpp
    does for one sequence with `logits_all=True`: the prompt in one batch, then token by token
    (with the attention kernel of a `deterministic` context, where asked)."""
    context = BatchContext(
        model, n_ctx=512, sequences=1, n_batch=512, threads=1, deterministic=deterministic
    )
    try:
        last = len(prompt) - 1
        context.decode([Row(t, i, 0, logits=i == last) for i, t in enumerate(prompt)])
        answers = []
        for position, token in enumerate([None, *generated[:-1]], last):
            if token is not None:
                context.decode([Row(token, position, 0, logits=True)])
            scores = context.logits(-1).astype(np.float64)
            logprobs = scores - (scores.max() + np.log(np.exp(scores - scores.max()).sum()))
            answers.append(logprobs)
        return [
            (float(logprobs[token]), sorted(logprobs.tolist(), reverse=True)[:5])
            for logprobs, token in zip(answers, generated, strict=True)
        ]
    finally:
        context.close()


LISTING = (
    "<|im_start|>system\nYou translate e-commerce listings for an online shop. Keep prices, "
    "sizes, model numbers and product codes exactly as they are, and write the way shoppers "
    "talk.<|im_end|>\n<|im_start|>user\nTranslate into English: 男士休闲运动鞋（型号 KX-2024），"
    "透气网面，软底防滑，踩屎感十足，适合跑步健身和日常通勤，尺码偏大，建议拍小一码。<|im_end|>\n"
    "<|im_start|>assistant\n"
)


async def test_shared_prefix_is_not_recomputed(embedded_engine: EmbeddedEngine) -> None:
    params = SamplingParams(max_new_tokens=4, temperature=0.8, n=3, seed=1)
    result = await embedded_engine.generate([LISTING], params)
    assert len(result.completions) == 3
    # The first sample may reuse an earlier test's cache; its siblings compute nothing.
    assert result.usage.cached_prompt_tokens >= 2 * result.usage.prompt_tokens // 3
    variant = LISTING.replace("适合跑步健身和日常通勤", "适合登山")
    second = await embedded_engine.generate([variant], SamplingParams(max_new_tokens=2))
    assert 0 < second.usage.computed_prompt_tokens < second.usage.prompt_tokens // 3


async def test_a_warm_deterministic_engine_answers_as_a_fresh_one(model_path: Path) -> None:
    """Whatever a deterministic engine's cache holds (here the samples a prompt continues,
    whose cells were decoded, not read), a call gets the logprobs a fresh engine gives it. It
    shares only what a large prompt batch wrote, and reads at least LARGE_BATCH tokens itself.
    """
    warm_engine = EmbeddedEngine(model_path, n_ctx=1024, deterministic=True)
    try:
        sampled = await warm_engine.generate(
            [LISTING], SamplingParams(max_new_tokens=12, temperature=1.0, n=2, seed=3)
        )
        continued = [LISTING + completion.text for completion in sampled.completions]
        greedy = SamplingParams(max_new_tokens=8)
        warm = await warm_engine.generate(continued, greedy)
        extended = await warm_engine.generate([LISTING + "Men"], SamplingParams(max_new_tokens=2))
    finally:
        await warm_engine.aclose()
    assert warm.usage.cached_prompt_tokens > 0
    # One new token after a prompt read before: it reads LARGE_BATCH tokens all the same.
    assert extended.usage.prompt_tokens > 2 * LARGE_BATCH
    assert extended.usage.computed_prompt_tokens == LARGE_BATCH
    fresh_engine = EmbeddedEngine(model_path, n_ctx=1024, deterministic=True)
    try:
        fresh = await fresh_engine.generate(continued, greedy)
    finally:
        await fresh_engine.aclose()
    assert [[t.logprob for t in c.tokens] for c in warm.completions] == [
        [t.logprob for t in c.tokens] for c in fresh.completions
    ]


SEEDED_RUN = """
import asyncio, json, sys
from pathlib import Path
from translator.engines.embedded import EmbeddedEngine
from translator.engines.types import SamplingParams, ScoreRequest

async def main():
    engine = EmbeddedEngine(Path(sys.argv[1]), n_ctx=1024)
    params = SamplingParams(max_new_tokens=12, temperature=1.2, n=3, seed=42)
    try:
        result = await engine.generate([sys.argv[2], sys.argv[2] + "These"], params)
    finally:
        await engine.aclose()
    print(json.dumps([[c.text, [t.logprob for t in c.tokens]] for c in result.completions]))

asyncio.run(main())
"""


def test_seeded_sampling_is_reproducible_from_a_fresh_process(model_path: Path) -> None:
    """The same seeded call in two fresh processes gives the same samples and logprobs."""
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", SEEDED_RUN, str(model_path), PROMPT],
                capture_output=True,
                text=True,
                check=True,
                timeout=600,
            ).stdout
        )
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert len({text for text, _ in runs[0][:3]}) > 1


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


COUNTING = (
    "<|im_start|>user\nCount from 1 to 1000, separated by commas.<|im_end|>\n"
    "<|im_start|>assistant\n"
)


async def test_each_sequence_stops_on_its_own(embedded_engine: EmbeddedEngine) -> None:
    """In one batch a stop string, the token limit and the end of generation end only the
    sequence that meets them."""
    stop = SamplingParams(max_new_tokens=40, stop=("5",))
    limit = SamplingParams(max_new_tokens=40)
    counting, translating = await asyncio.gather(
        embedded_engine.generate([COUNTING], stop),
        embedded_engine.generate([COUNTING, PROMPT], limit),
    )
    (stopped,) = counting.completions
    assert stopped.finish_reason == "stop"
    assert "4" in stopped.text and "5" not in stopped.text
    long_run, translation = translating.completions
    assert long_run.finish_reason == "length" and len(long_run.tokens) == 40
    assert "5" in long_run.text
    assert translation.finish_reason == "stop" and len(translation.tokens) < 40
    assert translation.tokens[-1].text == "<|im_end|>"


async def test_a_later_caller_joins_the_running_batch(embedded_engine: EmbeddedEngine) -> None:
    """A short call that arrives while a long one runs is answered before the long one ends,
    and a caller with many samples does not hold back a later one with few."""
    finished: list[str] = []

    async def run(name: str, prompts: list[str], params: SamplingParams) -> None:
        await embedded_engine.generate(prompts, params)
        finished.append(name)

    many = asyncio.create_task(
        run("many", [COUNTING] * 2, SamplingParams(max_new_tokens=48, n=4, temperature=0.5))
    )
    await asyncio.sleep(0.5)
    await run("short", [PROMPT], SamplingParams(max_new_tokens=4))
    await many
    assert finished == ["short", "many"]


async def test_cancelling_one_caller_leaves_the_others_running(
    embedded_engine: EmbeddedEngine,
) -> None:
    params = SamplingParams(max_new_tokens=32)
    cancelled = asyncio.create_task(embedded_engine.generate([COUNTING], params))
    kept = asyncio.create_task(embedded_engine.generate([COUNTING.replace("1000", "500")], params))
    await asyncio.sleep(1.0)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    (completion,) = (await kept).completions
    assert completion.finish_reason == "length" and len(completion.tokens) == 32
    quick = await embedded_engine.generate([PROMPT], SamplingParams(max_new_tokens=2))
    assert quick.completions[0].tokens


async def test_prompt_over_the_context_window_is_a_bad_request(
    embedded_engine: EmbeddedEngine,
) -> None:
    with pytest.raises(EngineBadRequest, match="context window"):
        await embedded_engine.generate(["好 " * 5000], SamplingParams(max_new_tokens=2))


async def test_threads_default_to_every_core_and_follow_the_setting(
    embedded_engine: EmbeddedEngine, model_path: Path
) -> None:
    cores = len(os.sched_getaffinity(0))
    assert embedded_engine.threads == (cores, cores)
    one = EmbeddedEngine(model_path, n_ctx=256, n_threads=1, max_sequences=1)
    try:
        assert one.threads == (1, 1)
    finally:
        await one.aclose()


async def test_scores_are_the_models_own_logprobs_while_others_generate(model_path: Path) -> None:
    """Scoring reads context + continuation like a prompt and reports each continuation token's
    logprob. Read by a fresh engine, the values are those of a single-sequence read; read while
    other sequences generate and after another text left its cells in the cache, they move only
    by the rounding of the f16 KV cache, whose cells then lie in another order."""
    context = PROMPT + "<Output>"
    continuations = ["Cloud-like cushioning", "Shoes that feel like stepping on poop"]
    engine = EmbeddedEngine(model_path, n_ctx=512, max_sequences=4)
    try:
        alone = await engine.score([ScoreRequest(context, continuations[0])])
        running = asyncio.ensure_future(
            engine.generate([PROMPT], SamplingParams(max_new_tokens=24, temperature=0.8, n=2))
        )
        scores = await engine.score([ScoreRequest(context, text) for text in continuations])
        generated = await running
    finally:
        await engine.aclose()
    assert all(c.text for c in generated.completions)
    model = LlamaModel(model_path)
    try:
        prefix = model.tokenize(context)
        expected = [
            _single_sequence_read(model, prefix, model.tokenize(text, special=False))
            for text in continuations
        ]
    finally:
        model.close()
    assert alone[0] == pytest.approx(expected[0], abs=1e-3)
    for scored, single in zip(scores, expected, strict=True):
        assert scored == pytest.approx(single, abs=0.25)


def _single_sequence_read(model: LlamaModel, prefix: list[int], tokens: list[int]) -> list[float]:
    """Each of `tokens`' logprobs after `prefix`, from one batch holding the whole text."""
    context = BatchContext(model, n_ctx=512, sequences=1, n_batch=512, threads=1)
    try:
        text = prefix + tokens
        start = len(prefix) - 1
        context.decode([Row(t, i, 0, logits=i >= start) for i, t in enumerate(text)])
        logprobs = []
        for offset, token in enumerate(tokens):
            scores = context.logits(start + offset).astype(np.float64)
            shifted = scores - scores.max()
            logprobs.append(float(shifted[token] - np.log(np.exp(shifted).sum())))
        return logprobs
    finally:
        context.close()


async def test_scoring_refuses_an_empty_text(embedded_engine: EmbeddedEngine) -> None:
    with pytest.raises(EngineBadRequest):
        await embedded_engine.score([ScoreRequest(PROMPT, "")])
