"""Token buckets: a burst of one minute's allowance, then the steady rate."""

from __future__ import annotations

import pytest

from translator.api.rate_limit import RateLimiter


def test_a_key_may_burst_to_its_limit_then_waits_for_refill() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert [limiter.acquire("k", 3) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("k", 3) == pytest.approx(20.0)  # 3 a minute: one every 20 s
    assert limiter.acquire("other", 3) == 0.0
    now[0] = 20.0
    assert limiter.acquire("k", 3) == 0.0
    assert limiter.acquire("k", 3) == pytest.approx(20.0)
    now[0] = 1000.0
    assert [limiter.acquire("k", 3) for _ in range(4)][-1] > 0  # refill stops at the limit
