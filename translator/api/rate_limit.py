"""Per-key request rate limits: a token bucket per key, held in this process's memory.

A bucket holds up to one minute's allowance and refills continuously, so a key may burst to
its per-minute limit and then proceeds at its steady rate. Several server processes each keep
their own buckets; put a shared limiter in front of them if that matters.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """Token buckets by key."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def acquire(self, key: str, per_minute: int) -> float:
        """Take one request from `key`'s bucket: 0 when allowed, else seconds until it would be."""
        now = self._clock()
        rate = per_minute / 60
        tokens, updated = self._buckets.get(key, (float(per_minute), now))
        tokens = min(float(per_minute), tokens + (now - updated) * rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / rate
