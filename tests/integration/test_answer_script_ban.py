"""The embedded engine keeps banned scripts out of the answer, on the real model."""

from __future__ import annotations

import pytest

from translator.engines.embedded import EmbeddedEngine
from translator.engines.types import SamplingParams, ScriptBan
from translator.text.scripts import script_characters

pytestmark = pytest.mark.integration

COPY_PROMPT = (
    "<|im_start|>user\nRepeat this line exactly, character for character: "
    "苏宁易购官方旗舰店<|im_end|>\n<|im_start|>assistant\n"
)
THINK_PROMPT = (
    "<|im_start|>user\nFirst write the Chinese words 苏宁 inside <Thought></Thought>, then "
    "write them again inside <Output></Output>.<|im_end|>\n<|im_start|>assistant\n<Thought>"
)


async def test_a_copy_without_the_ban_writes_han_and_with_it_writes_none(
    embedded_engine: EmbeddedEngine,
) -> None:
    params = SamplingParams(max_new_tokens=16)
    free = await embedded_engine.generate([COPY_PROMPT], params)
    assert script_characters(free.completions[0].text, ["han"])  # the model does copy

    banned = SamplingParams(max_new_tokens=16, ban=ScriptBan(("han",)))
    result = await embedded_engine.generate([COPY_PROMPT], banned)
    (completion,) = result.completions
    assert completion.text.strip()
    assert not script_characters(completion.text, ["han"])
    for token in completion.tokens:  # the reported logprobs are over the allowed tokens
        assert not script_characters(token.text, ["han"])
        assert all(not script_characters(text, ["han"]) for text, _ in token.top)


async def test_the_ban_starts_where_the_answer_opens(embedded_engine: EmbeddedEngine) -> None:
    params = SamplingParams(
        max_new_tokens=48, stop=("</Output>",), ban=ScriptBan(("han",), after="<Output>")
    )
    (completion,) = (await embedded_engine.generate([THINK_PROMPT], params)).completions
    thought, _, answer = completion.text.partition("<Output>")
    assert script_characters(thought, ["han"])  # the reasoning may quote the source
    assert not script_characters(answer, ["han"])
