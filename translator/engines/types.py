"""Value types every engine speaks, so the search never sees a backend's wire format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Completion",
    "EngineInfo",
    "FinishReason",
    "GenerationResult",
    "SamplingParams",
    "ScoreRequest",
    "ScriptBan",
    "TokenLogprob",
    "Usage",
]

FinishReason = Literal["stop", "length", "abort"]

TOP_LOGPROBS = 5
"""How many alternatives per position the confidence reward needs (Marco-o1 uses the top 5)."""


@dataclass(frozen=True, slots=True)
class ScriptBan:
    """Scripts the answer part of a generation must not write (see `translator.text.scripts`).

    A translation into English has no place for Han characters: the engine keeps every token
    that would write one out of the answer, so the model has to render the word instead of
    copying it. The reasoning before the answer stays free, since it may quote the source.

    Attributes:
        scripts: Script names of `translator.text.scripts.SCRIPT_RANGES`.
        after: The text that opens the answer in the generation; None when the prompt already
            ends inside the answer, so the ban holds from the first generated token.
    """

    scripts: tuple[str, ...]
    after: str | None = None


@dataclass(frozen=True, slots=True)
class SamplingParams:
    """What to generate for each prompt of a batch.

    Attributes:
        max_new_tokens: Upper bound on generated tokens per sample.
        temperature: 0 means greedy decoding.
        top_p: Nucleus sampling mass; 1.0 disables it.
        top_k: Keep only the k most likely tokens; 0 disables it.
        stop: Strings that end a sample; the matched stop string is not part of the text.
        n: Samples per prompt.
        seed: Makes sampling reproducible where the backend supports it.
        ban: Scripts kept out of the answer, where the backend can constrain decoding.
    """

    max_new_tokens: int = 256
    temperature: float = 0.0
    top_p: float = 1.0
    top_k: int = 0
    stop: tuple[str, ...] = ()
    n: int = 1
    seed: int | None = None
    ban: ScriptBan | None = None

    def __post_init__(self) -> None:
        if self.max_new_tokens < 1:
            raise ValueError("max_new_tokens must be at least 1")
        if self.temperature < 0:
            raise ValueError("temperature must not be negative")
        if not 0 < self.top_p <= 1:
            raise ValueError("top_p must be in (0, 1]")
        if self.top_k < 0:
            raise ValueError("top_k must not be negative")
        if self.n < 1:
            raise ValueError("n must be at least 1")


@dataclass(frozen=True, slots=True)
class ScoreRequest:
    """A text to score after a context: log p(continuation | context), token by token.

    Nothing is generated. The search uses it to ask how well a candidate translation predicts
    its source (`translator.search.back_scores`).
    """

    context: str
    continuation: str


@dataclass(frozen=True, slots=True)
class TokenLogprob:
    """One generated token with its log-probability and the top alternatives at its position.

    `top` is sorted by descending logprob and holds up to `TOP_LOGPROBS` (text, logprob) pairs.
    """

    text: str
    logprob: float
    top: tuple[tuple[str, float], ...]
    token_id: int | None = None


@dataclass(frozen=True, slots=True)
class Completion:
    """One sample for one prompt, with the prompt cost attributable to it.

    `prompt_tokens` and `cached_prompt_tokens` let callers report usage per text even when many
    texts share one batched engine call.
    """

    prompt_index: int
    text: str
    tokens: tuple[TokenLogprob, ...]
    finish_reason: FinishReason
    prompt_tokens: int = 0
    cached_prompt_tokens: int = 0
    stopped_at: str | None = None
    """The stop string that ended the sample, where the backend reports it."""


@dataclass(frozen=True, slots=True)
class Usage:
    """Cost of engine work; `computed_prompt_tokens` below `prompt_tokens` means cache reuse."""

    calls: int = 0
    prompt_tokens: int = 0
    computed_prompt_tokens: int = 0
    generated_tokens: int = 0
    wall_seconds: float = 0.0

    @property
    def cached_prompt_tokens(self) -> int:
        return self.prompt_tokens - self.computed_prompt_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            computed_prompt_tokens=self.computed_prompt_tokens + other.computed_prompt_tokens,
            generated_tokens=self.generated_tokens + other.generated_tokens,
            wall_seconds=self.wall_seconds + other.wall_seconds,
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "cached_prompt_tokens": self.cached_prompt_tokens,
            "generated_tokens": self.generated_tokens,
            "wall_seconds": round(self.wall_seconds, 3),
        }


@dataclass(frozen=True, slots=True)
class GenerationResult:
    """Completions of one engine call, prompt-major: prompt 0's n samples, then prompt 1's, ..."""

    completions: list[Completion]
    usage: Usage = field(default_factory=Usage)


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """What a backend reports about itself once it is reachable."""

    engine: str
    model_id: str
