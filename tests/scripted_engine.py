"""A deterministic engine for unit tests of mode logic: replays scripted answers, records calls."""

from __future__ import annotations

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
    """One token per character, each the top choice with the given logprob."""
    return tuple(
        TokenLogprob(text=char, logprob=logprob, top=((char, logprob), ("x", logprob - 3.0)))
        for char in text
    )


@dataclass
class ScriptedEngine:
    """Answers each generate() call with the next list of scripted texts (one per prompt)."""

    script: list[list[str]]
    name: str = "scripted"
    calls: list[tuple[list[str], SamplingParams]] = field(default_factory=list)

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        self.calls.append((list(prompts), params))
        answers = self.script.pop(0)
        assert len(answers) == len(prompts) * params.n, "script does not match the call"
        completions = [
            Completion(
                prompt_index=index // params.n,
                text=answer,
                tokens=confident_tokens(answer),
                finish_reason="stop",
            )
            for index, answer in enumerate(answers)
        ]
        usage = Usage(
            calls=1,
            prompt_tokens=10 * len(prompts),
            computed_prompt_tokens=10 * len(prompts),
            generated_tokens=sum(len(answer) for answer in answers),
            wall_seconds=0.01,
        )
        return GenerationResult(completions=completions, usage=usage)

    async def info(self) -> EngineInfo:
        return EngineInfo(engine=self.name, model_id="scripted-model")

    async def aclose(self) -> None:
        return None
