"""Single-flight: identical work requested while it already runs is joined, not repeated.

The work runs in its own task, so a caller that goes away (a client disconnect cancels its
request) neither cancels it for the callers still waiting nor throws away engine time that is
already spent: the result is still produced and, by the caller's work function, stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Hashable
from typing import Any, Generic, TypeVar

__all__ = ["SingleFlight"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SingleFlight(Generic[K, V]):
    """At most one running task per key; every caller of that key awaits the same task."""

    def __init__(self) -> None:
        self._running: dict[K, asyncio.Task[V]] = {}

    def __len__(self) -> int:
        return len(self._running)

    async def run(self, key: K, work: Callable[[], Coroutine[Any, Any, V]]) -> tuple[V, bool]:
        """Start `work` for `key`, or join the run in progress.

        Returns:
            The result, and whether it came from a run another caller started.
        """
        task = self._running.get(key)
        shared = task is not None
        if task is None:
            task = asyncio.create_task(work())
            self._running[key] = task
            task.add_done_callback(lambda done: self._finished(key, done))
        return await asyncio.shield(task), shared

    def _finished(self, key: K, task: asyncio.Task[V]) -> None:
        if self._running.get(key) is task:
            del self._running[key]
        if not task.cancelled():
            task.exception()  # retrieved here, so an error nobody awaited is not logged as lost

    async def aclose(self) -> None:
        """Cancel the runs still in progress (on shutdown) and wait for them to end."""
        tasks = list(self._running.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
