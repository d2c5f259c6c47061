"""Where a default search's wall time goes: every engine call it makes, with its timing.

    uv run python -m bench.search_calls [--segments 2] [--skip 1]

Runs the small budget on dev e-commerce segments on the embedded engine (every core) and prints,
per search, each call in start order: kind (`generate` or `score`), start and duration in
seconds from the search's start, prompts, samples per prompt, temperature, and generated tokens.
Calls that overlap decode together; a call that runs alone decodes one sequence (or reads one
prompt) at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Sequence
from typing import Any

from bench.common import eval_file, write_result
from bench.search import N_CTX
from translator.engines.embedded import EmbeddedEngine
from translator.engines.model_files import bundled_model_path
from translator.engines.types import GenerationResult, SamplingParams, ScoreRequest
from translator.evaluation.scores import load_eval_set
from translator.prompting.modes import Segment
from translator.search.config import BudgetName, config_for
from translator.search.mcts import MCTS
from translator.settings import default_cache_dir


class TimedEngine(EmbeddedEngine):
    """The embedded engine, noting each call's start and duration."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.begin()

    def begin(self) -> None:
        """Start a new search's record: calls are timed from now."""
        self.calls: list[dict[str, Any]] = []
        self.origin = time.perf_counter()

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        started = time.perf_counter()
        result = await super().generate(prompts, params)
        self._note(
            "generate",
            started,
            prompts=len(prompts),
            n=params.n,
            temperature=params.temperature,
            tokens=result.usage.generated_tokens,
        )
        return result

    async def score(self, requests: Sequence[ScoreRequest]) -> list[tuple[float, ...]]:
        started = time.perf_counter()
        scores = await super().score(requests)
        self._note("score", started, prompts=len(requests))
        return scores

    def _note(self, kind: str, started: float, **facts: Any) -> None:
        self.calls.append(
            {
                "kind": kind,
                "start_s": round(started - self.origin, 2),
                "seconds": round(time.perf_counter() - started, 2),
                **facts,
            }
        )


async def run(segments: int, skip: int) -> list[dict[str, Any]]:
    engine = TimedEngine(bundled_model_path(default_cache_dir()), n_ctx=N_CTX)
    items = load_eval_set(eval_file("zh-en"), domain="ecommerce", limit=skip + segments)[skip:]
    searches = []
    try:
        for item in items:
            engine.begin()
            result = await MCTS(engine, config_for(BudgetName.SMALL)).search(
                Segment(item.src, "zh", "en")
            )
            searches.append(
                {
                    "source": item.src,
                    "seconds": round(time.perf_counter() - engine.origin, 2),
                    "generated_tokens": result.usage.generated_tokens,
                    "calls": engine.calls,
                }
            )
    finally:
        await engine.aclose()
    return searches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=int, default=2)
    parser.add_argument("--skip", type=int, default=1, help="dev segments to pass over first")
    args = parser.parse_args()
    searches = asyncio.run(run(args.segments, args.skip))
    print(json.dumps(searches, ensure_ascii=False, indent=2))
    print(f"written to {write_result('search-calls', {'searches': searches})}")


if __name__ == "__main__":
    main()
