"""Translation modes: how a batch of segments becomes translations through an engine.

Each mode is a `ModeRunner`; the service looks runners up by `Mode`, so the search mode plugs in
as one more entry without touching callers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from translator.confidence import mean_confidence
from translator.engines.protocol import Engine
from translator.engines.types import Completion, SamplingParams, Usage
from translator.prompts import (
    OUTPUT_CLOSE,
    OUTPUT_OPEN,
    THOUGHT_CLOSE,
    PromptStyle,
    assistant_opening,
    build_prompt,
    parse_answer,
)

__all__ = ["Mode", "ModeOutput", "ModeRunner", "Segment", "SinglePassRunner", "default_runners"]

ANSWER_TOKENS_BASE = 48
ANSWER_TOKENS_PER_CHAR = 3
THOUGHT_TOKENS = 384


class Mode(StrEnum):
    """How hard to think: `direct` answers at once, `cot` reasons first."""

    DIRECT = "direct"
    COT = "cot"


@dataclass(frozen=True, slots=True)
class Segment:
    """One text to translate, with resolved language codes."""

    text: str
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class ModeOutput:
    """A mode's answer for one segment."""

    translation: str
    thought: str
    confidence: float
    usage: Usage


class ModeRunner(Protocol):
    """Turns segments into translations using an engine."""

    async def run(self, engine: Engine, segments: Sequence[Segment]) -> list[ModeOutput]: ...


def answer_token_budget(text: str, cap: int) -> int:
    """Tokens allowed for the translation itself: generous for CJK to Latin expansion."""
    return min(cap, ANSWER_TOKENS_BASE + ANSWER_TOKENS_PER_CHAR * len(text))


class SinglePassRunner:
    """One greedy generation per segment, all segments in one engine call so servers batch them.

    With `PromptStyle.THINK`, a segment whose thought ran out of tokens before any output gets a
    second, short call that closes the thought and forces the answer, reusing the cached prefix.
    """

    def __init__(self, style: PromptStyle, *, max_new_tokens: int) -> None:
        self._style = style
        self._max_new_tokens = max_new_tokens

    async def run(self, engine: Engine, segments: Sequence[Segment]) -> list[ModeOutput]:
        prompts = [
            build_prompt(s.text, source=s.source, target=s.target, style=self._style)
            for s in segments
        ]
        thinking = THOUGHT_TOKENS if self._style is PromptStyle.THINK else 0
        cap = max(answer_token_budget(s.text, self._max_new_tokens) for s in segments)
        params = SamplingParams(
            max_new_tokens=min(self._max_new_tokens, cap + thinking), stop=(OUTPUT_CLOSE,)
        )
        result = await engine.generate(prompts, params)
        outputs = [
            _to_output(self._style, segment, completion, result.usage, len(segments))
            for segment, completion in zip(segments, result.completions, strict=True)
        ]
        unanswered = [i for i, output in enumerate(outputs) if not output.translation]
        if unanswered and self._style is PromptStyle.THINK:
            await self._force_answers(
                engine, segments, prompts, result.completions, outputs, unanswered
            )
        return outputs

    async def _force_answers(
        self,
        engine: Engine,
        segments: Sequence[Segment],
        prompts: list[str],
        completions: list[Completion],
        outputs: list[ModeOutput],
        indices: list[int],
    ) -> None:
        closing = f"\n{THOUGHT_CLOSE}\n{OUTPUT_OPEN}"
        forced = [
            prompts[i] + completions[i].text.split(THOUGHT_CLOSE)[0] + closing for i in indices
        ]
        cap = max(answer_token_budget(segments[i].text, self._max_new_tokens) for i in indices)
        result = await engine.generate(
            forced, SamplingParams(max_new_tokens=cap, stop=(OUTPUT_CLOSE,))
        )
        for index, completion in zip(indices, result.completions, strict=True):
            first = outputs[index]
            answer = (
                assistant_opening(self._style) + completions[index].text + closing + completion.text
            )
            parsed = parse_answer(answer, source=segments[index].text)
            outputs[index] = ModeOutput(
                translation=parsed.translation,
                thought=parsed.thought,
                confidence=mean_confidence(completions[index].tokens + completion.tokens),
                usage=first.usage + _share(result.usage, len(indices)),
            )


def _to_output(
    style: PromptStyle, segment: Segment, completion: Completion, usage: Usage, batch_size: int
) -> ModeOutput:
    parsed = parse_answer(assistant_opening(style) + completion.text, source=segment.text)
    return ModeOutput(
        translation=parsed.translation,
        thought=parsed.thought,
        confidence=mean_confidence(completion.tokens),
        usage=_share(usage, batch_size, generated=len(completion.tokens)),
    )


def _share(usage: Usage, batch_size: int, generated: int | None = None) -> Usage:
    """One segment's part of a batched call: exact generated tokens, an even split of the rest."""
    return Usage(
        calls=1,
        prompt_tokens=usage.prompt_tokens // batch_size,
        computed_prompt_tokens=usage.computed_prompt_tokens // batch_size,
        generated_tokens=usage.generated_tokens // batch_size if generated is None else generated,
        wall_seconds=usage.wall_seconds / batch_size,
    )


def default_runners(max_new_tokens: int) -> Mapping[Mode, ModeRunner]:
    """The runner for every mode, sized by the configured token cap."""
    return {
        Mode.DIRECT: SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=max_new_tokens),
        Mode.COT: SinglePassRunner(PromptStyle.THINK, max_new_tokens=max_new_tokens),
    }
