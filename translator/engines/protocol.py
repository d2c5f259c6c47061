"""The one interface the search and the CLI use to reach any model backend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from translator.engines.types import EngineInfo, GenerationResult, SamplingParams, ScoreRequest

__all__ = ["ContinuationScorer", "Engine"]


class Engine(Protocol):
    """A text-completion backend that returns per-token logprobs with the top-5 alternatives.

    Prompts are complete raw texts (chat template already applied), so every backend sees the same
    bytes and a shared prefix between prompts can be reused by the backend's cache.
    """

    name: str

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        """Sample `params.n` continuations for each prompt; results are prompt-major."""
        ...

    async def info(self) -> EngineInfo:
        """Probe the backend; raises `EngineUnavailable` when it is not ready."""
        ...

    async def aclose(self) -> None:
        """Release connections or the loaded model."""
        ...


@runtime_checkable
class ContinuationScorer(Protocol):
    """An engine that also reads texts without generating, reporting each token's logprob."""

    async def score(self, requests: Sequence[ScoreRequest]) -> list[tuple[float, ...]]:
        """The logprob of every continuation token given its context and the tokens before it.

        Raises `EngineUnsupported` when the backend turns out unable to report prompt logprobs.
        """
        ...
