"""Keeps a search within its rollout, token and time budget, and says why it stopped."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TypeVar

from translator.search.config import SearchConfig

__all__ = ["BudgetTracker"]

T = TypeVar("T")


@dataclass
class BudgetTracker:
    """Counts what a search has spent against its `SearchConfig` limits."""

    config: SearchConfig
    rollouts: int = 0
    generated_tokens: int = 0
    reflections: int = 0
    started: float = field(default_factory=time.monotonic)
    deadline_from: float | None = field(default_factory=time.monotonic)
    """When the deadline started counting; None while it is held (see `hold_deadline`)."""

    @property
    def elapsed(self) -> float:
        """Seconds since the search started: its whole wall time, as the trace reports it."""
        return time.monotonic() - self.started

    @property
    def remaining_seconds(self) -> float:
        if self.deadline_from is None:
            return self.config.deadline_s
        return max(0.0, self.config.deadline_s - (time.monotonic() - self.deadline_from))

    def hold_deadline(self) -> None:
        """Keep the deadline from counting until `start_deadline` (while the answers that seed
        the pool decode, beside the first wave)."""
        self.deadline_from = None

    def start_deadline(self) -> None:
        """Count the deadline from now (once the answers that seed the pool are in)."""
        self.deadline_from = time.monotonic()

    async def within_deadline(self, work: Awaitable[T]) -> T:
        """`work`'s result, or TimeoutError (the work cancelled) once the deadline has passed.
        The deadline is read again whenever a wait for it ends, since it may start while the
        work runs: a wave begun beside the seed answers gets the whole deadline after them."""
        task = asyncio.ensure_future(work)
        try:
            while not task.done():
                await asyncio.wait({task}, timeout=self.remaining_seconds)
                if not task.done() and self.remaining_seconds == 0:
                    raise TimeoutError
            return task.result()
        finally:
            if not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    @property
    def remaining_tokens(self) -> int:
        return max(0, self.config.max_generated_tokens - self.generated_tokens)

    def exhausted(self) -> str | None:
        """The reason the budget is spent, or None while work may continue."""
        if self.rollouts >= self.config.max_rollouts:
            return "max-rollouts"
        if self.remaining_tokens == 0:
            return "max-generated-tokens"
        if self.remaining_seconds == 0:
            return "deadline"
        return None

    def as_dict(self) -> dict[str, float | int]:
        return {
            "rollouts": self.rollouts,
            "generated_tokens": self.generated_tokens,
            "reflections": self.reflections,
            "seconds": round(self.elapsed, 3),
        }
