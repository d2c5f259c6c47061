"""A deterministic engine for unit tests of mode logic: replays scripted answers, records calls."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from translator.engines.types import (
    Completion,
    EngineInfo,
    GenerationResult,
    SamplingParams,
    TokenLogprob,
    Usage,
)


def confident_tokens(text: str, logprob: float = -0.1) -> tuple[TokenLogprob, ...]:
    """One token per character; the rest of the mass sits on one alternative, so each token's
    Marco-o1 confidence is exactly exp(logprob)."""
    rest = math.log1p(-math.exp(logprob)) if logprob < 0 else None
    top = (("x", rest),) if rest is not None else ()
    return tuple(
        TokenLogprob(
            text=char,
            logprob=logprob,
            top=tuple(sorted(((char, logprob), *top), key=lambda pair: -pair[1])),
        )
        for char in text
    )


Scripted = str | tuple[str, float]
"""An answer text, optionally with the logprob every one of its tokens gets (default -0.1)."""


@dataclass
class ScriptedEngine:
    """Answers each generate() call with the next list of scripted texts (one per sample)."""

    script: list[list[Scripted]]
    name: str = "scripted"
    calls: list[tuple[list[str], SamplingParams]] = field(default_factory=list)

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        self.calls.append((list(prompts), params))
        answers = self.script.pop(0)
        assert len(answers) == len(prompts) * params.n, "script does not match the call"
        completions = [
            Completion(
                prompt_index=index // params.n,
                text=text,
                tokens=confident_tokens(text, logprob),
                finish_reason="stop",
                prompt_tokens=10,
            )
            for index, (text, logprob) in enumerate(
                (answer, -0.1) if isinstance(answer, str) else answer for answer in answers
            )
        ]
        usage = Usage(
            calls=1,
            prompt_tokens=10 * len(prompts),
            computed_prompt_tokens=10 * len(prompts),
            generated_tokens=sum(len(c.tokens) for c in completions),
            wall_seconds=0.01,
        )
        return GenerationResult(completions=completions, usage=usage)

    async def info(self) -> EngineInfo:
        return EngineInfo(engine=self.name, model_id="scripted-model")

    async def aclose(self) -> None:
        return None
