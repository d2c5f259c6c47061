"""The engine with its `info()` remembered: every request needs the model id for its cache key."""

from __future__ import annotations

from collections.abc import Sequence

from translator.engines.errors import EngineUnsupported
from translator.engines.protocol import ContinuationScorer, Engine
from translator.engines.types import EngineInfo, GenerationResult, SamplingParams, ScoreRequest

__all__ = ["InfoOnce"]


class InfoOnce:
    """The engine with `info()` remembered after its first success.

    Every request needs the model id for its cache key; remote engines would otherwise probe
    the server on each one.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.name = engine.name
        self._info: EngineInfo | None = None

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        return await self._engine.generate(prompts, params)

    async def score(self, requests: Sequence[ScoreRequest]) -> list[tuple[float, ...]]:
        """The wrapped engine's prompt scoring, for the `consensus-source` selection; an engine
        without it raises `EngineUnsupported`, and the selection falls back to consensus."""
        if not isinstance(self._engine, ContinuationScorer):
            raise EngineUnsupported(f"the {self.name} engine cannot score prompts")
        return await self._engine.score(requests)

    async def info(self) -> EngineInfo:
        if self._info is None:
            self._info = await self._engine.info()
        return self._info

    async def probe(self) -> EngineInfo:
        self._info = await self._engine.info()
        return self._info

    async def aclose(self) -> None:
        await self._engine.aclose()
