"""Finishing a reasoning that ran out of tokens: close the thought and make the model answer.

Both the chain-of-thought mode and the search need this, so a length-capped thought still ends in
a translation instead of nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from translator.engines.protocol import Engine
from translator.engines.types import GenerationResult, SamplingParams, ScriptBan
from translator.prompting.prompts import OUTPUT_CLOSE, OUTPUT_OPEN, THOUGHT_CLOSE

__all__ = ["close_thought", "force_answers"]


def close_thought(partial: str) -> str:
    """The assistant text up to the end of its thought, closed and opening the output."""
    return partial.split(THOUGHT_CLOSE)[0].rstrip() + f"\n{THOUGHT_CLOSE}\n{OUTPUT_OPEN}"


async def force_answers(
    engine: Engine,
    closed_prompts: Sequence[str],
    max_new_tokens: int,
    *,
    ban: ScriptBan | None = None,
) -> GenerationResult:
    """Greedily generate the output for prompts that end in `close_thought(...)`, in one call.

    `ban` holds from the first token, since these prompts already opened the answer.
    """
    params = SamplingParams(max_new_tokens=max_new_tokens, stop=(OUTPUT_CLOSE,), ban=ban)
    return await engine.generate(closed_prompts, params)
