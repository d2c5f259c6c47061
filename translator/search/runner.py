"""The `mcts` mode: one tree search per segment through the `ModeRunner` interface."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from translator.engines.protocol import Engine
from translator.prompting.modes import Alternative, ModeOutput, Segment
from translator.search.config import SearchConfig
from translator.search.mcts import MCTS
from translator.search.results import ProgressCallback
from translator.search.verifiers import DEFAULT_VERIFIERS, Verifier

__all__ = ["SearchRunner"]


class SearchRunner:
    """Runs the search for each segment, `segment_concurrency` at a time.

    Searches on the embedded engine run one after another: each search already fills the
    engine's batch with its siblings, and its deadline should measure its own work, not a
    queue. `on_progress` hears from every
    segment's search after each wave (the API streams it; it runs one segment per runner).
    """

    def __init__(
        self,
        config: SearchConfig,
        verifiers: Sequence[Verifier] = DEFAULT_VERIFIERS,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.config = config
        self._verifiers = tuple(verifiers)
        self._on_progress = on_progress

    async def run(self, engine: Engine, segments: Sequence[Segment]) -> list[ModeOutput]:
        search = MCTS(engine, self.config, self._verifiers, self._on_progress)
        gate = asyncio.Semaphore(self.config.segment_concurrency)

        async def one(segment: Segment) -> ModeOutput:
            async with gate:
                result = await search.search(segment)
            return ModeOutput(
                translation=result.best.translation,
                thought=result.best.thought,
                confidence=result.best.reward,
                usage=result.usage,
                alternatives=tuple(
                    Alternative(c.translation, round(c.reward, 4)) for c in result.alternatives
                ),
                trace=result.trace,
            )

        return list(await asyncio.gather(*(one(segment) for segment in segments)))
