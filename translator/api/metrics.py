"""Prometheus metrics: HTTP requests and latency, cache hits, engine tokens, search rollouts.

Each app has its own registry, so apps built side by side (tests, benchmarks) never share or
collide on counters.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from translator.prompting.modes import Mode
from translator.translating.service import Served

__all__ = ["Metrics", "metrics_middleware"]

_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class Metrics:
    """The service's metrics in one registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.requests = Counter(
            "translator_http_requests",
            "HTTP requests.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "translator_http_request_duration_seconds",
            "Time to answer an HTTP request (streams: until the last event).",
            ["route"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.cache = Counter(
            "translator_cache_lookups",
            "Texts by how they were served: hit (cache), shared (joined an identical run), "
            "miss (engine run).",
            ["result"],
            registry=registry,
        )
        self.translations = Counter(
            "translator_translations", "Texts translated, by mode.", ["mode"], registry=registry
        )
        self.engine_calls = Counter("translator_engine_calls", "Engine calls.", registry=registry)
        self.engine_tokens = Counter(
            "translator_engine_tokens",
            "Engine tokens: prompt, prompt served from the engine's prefix cache, generated.",
            ["kind"],
            registry=registry,
        )
        self.rollouts = Counter(
            "translator_search_rollouts", "Rollouts completed by mcts searches.", registry=registry
        )
        self.in_flight = Gauge(
            "translator_engine_runs_in_flight", "Engine runs going on now.", registry=registry
        )
        # Label lookups take a lock and a dict probe: resolve the fixed ones once.
        self._hit, self._shared, self._miss = (
            self.cache.labels(r) for r in ("hit", "shared", "miss")
        )
        self._by_mode = {mode: self.translations.labels(mode.value) for mode in Mode}
        self._answered: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self._prompt_tokens = self.engine_tokens.labels("prompt")
        self._cached_prompt_tokens = self.engine_tokens.labels("cached_prompt")
        self._generated_tokens = self.engine_tokens.labels("generated")

    def observe(self, served: Sequence[Served]) -> None:
        """Count what serving these texts took; shared and cached texts cost no engine work."""
        for item in served:
            result = item.result
            self._by_mode[result.mode].inc()
            if item.cached or item.shared:
                (self._hit if item.cached else self._shared).inc()
                continue
            self._miss.inc()
            usage = result.usage
            self.engine_calls.inc(usage.calls)
            self._prompt_tokens.inc(usage.prompt_tokens)
            self._cached_prompt_tokens.inc(usage.cached_prompt_tokens)
            self._generated_tokens.inc(usage.generated_tokens)
            if result.trace is not None:
                self.rollouts.inc(int(result.trace.get("budget_used", {}).get("rollouts", 0)))

    def answered(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one HTTP request (label children are looked up once per route and status)."""
        children = self._answered.get((method, route, status))
        if children is None:
            children = self._answered[method, route, status] = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(route),
            )
        count, latency = children
        count.inc()
        latency.observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def metrics_middleware(metrics: Metrics) -> Callable[[ASGIApp], ASGIApp]:
    """Counts every HTTP request by route template (not raw path, to keep label sets small).

    Plain ASGI, like `translator.api.auth.api_key_middleware`: it runs on every request.
    """

    def wrap(app: ASGIApp) -> ASGIApp:
        async def counted(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP:
                await app(scope, receive, send)
                return
            started = time.perf_counter()
            status = 500

            async def send_wrapper(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            try:
                await app(scope, receive, send_wrapper)
            finally:
                route = str(scope.get("path_template") or "unmatched")
                method = str(scope.get("method", ""))
                metrics.answered(method, route, status, time.perf_counter() - started)

        return counted

    return wrap
