"""The default search on the embedded engine, before and after batched decoding, same process.

"Before" is the engine as it was: one thread (llama-cpp-python's choice on 2 cores) and one
sequence at a time (`max_sequences=1`), with the small budget as it was (`BEFORE_BUDGET`).
"After" is the engine's defaults (every core, `max_sequences` from the settings) with today's
default budget. Both search the same e-commerce reviews with the same seed. Per side: engine
calls, prompt tokens requested vs computed, generated tokens, wall time per segment, chrF of
the answers; and the search's generated tokens per wall second against one greedy sequence
decoding on every core, measured in the same run (target: >= 1.5x). `--deterministic` runs
"after" in the engine's deterministic mode (`TRANSLATOR_DETERMINISTIC`).

    uv run python -m bench.search [--segments 5] [--budget small] [--after-only] [--n-threads N]
        [--parallel N] [--width N] [--deterministic]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path

from bench.common import eval_file, write_result
from translator.engines.embedded import EmbeddedEngine
from translator.engines.model_files import bundled_model_path
from translator.engines.types import SamplingParams, Usage
from translator.evaluation.scores import EvalSegment, load_eval_set, score
from translator.prompting.modes import Segment
from translator.prompting.prompts import PromptStyle, build_prompt
from translator.search.config import BudgetName, SearchConfig, config_for
from translator.search.mcts import MCTS
from translator.settings import Settings, default_cache_dir

N_CTX = 4096
BEFORE_BUDGET = SearchConfig(expansion_width=2, max_rollouts=5, max_generated_tokens=560)
"""The small budget before batching (`84d353f`)."""


async def single_sequence_speed(engine: EmbeddedEngine, prompts: list[str], tokens: int) -> float:
    """Generated tokens/s of one greedy sequence at a time, prompt already cached."""
    params = SamplingParams(max_new_tokens=tokens)
    generated, seconds = 0, 0.0
    for prompt in prompts:
        await engine.generate([prompt], SamplingParams(max_new_tokens=1))
        started = time.perf_counter()
        result = await engine.generate([prompt], params)
        seconds += time.perf_counter() - started
        generated += result.usage.generated_tokens
    return generated / seconds


@dataclass(frozen=True, slots=True)
class Side:
    """One engine and budget over all segments."""

    usage: Usage
    seconds: float
    chrf: float
    rows: list[dict[str, object]]

    @property
    def tok_s(self) -> float:
        return self.usage.generated_tokens / self.seconds

    def as_dict(self) -> dict[str, object]:
        return {
            "engine_calls": self.usage.calls,
            "prompt_tokens_requested": self.usage.prompt_tokens,
            "prompt_tokens_computed": self.usage.computed_prompt_tokens,
            "generated_tokens": self.usage.generated_tokens,
            "search_seconds": round(self.seconds, 1),
            "seconds_per_segment": round(self.seconds / len(self.rows), 2),
            "generated_tok_s": round(self.tok_s, 2),
            "chrf": round(self.chrf, 2),
            "per_segment": self.rows,
        }


async def run_searches(
    engine: EmbeddedEngine, sources: list[EvalSegment], config: SearchConfig
) -> Side:
    usage, seconds, rows, answers = Usage(), 0.0, [], []
    for source in sources:
        started = time.perf_counter()
        result = await MCTS(engine, config).search(Segment(source.src, "zh", "en"))
        elapsed = time.perf_counter() - started
        seconds += elapsed
        usage += result.usage
        answers.append(result.best.translation)
        rows.append(
            {
                "source": source.src,
                "translation": result.best.translation,
                "seconds": round(elapsed, 2),
                **result.trace["budget_used"],
            }
        )
    return Side(usage, seconds, score(answers, sources).chrf, rows)


async def compare(
    model_path: Path,
    sources: list[EvalSegment],
    budget: BudgetName,
    after_only: bool,
    n_threads: int | None,
    overrides: dict[str, int],
    deterministic: bool = False,
) -> dict[str, object]:
    summary: dict[str, object] = {
        "segments": len(sources),
        "budget": str(budget),
        "overrides": overrides,
        "deterministic": deterministic,
    }
    before: Side | None = None
    if not after_only:
        engine = EmbeddedEngine(model_path, n_ctx=N_CTX, n_threads=1, max_sequences=1)
        try:
            before = await run_searches(engine, sources, replace(BEFORE_BUDGET, seed=1))
        finally:
            await engine.aclose()
        summary["before"] = before.as_dict()
    engine = EmbeddedEngine(
        model_path,
        n_ctx=N_CTX,
        n_threads=n_threads,
        max_sequences=Settings().max_sequences,
        deterministic=deterministic,
    )
    try:
        after = await run_searches(engine, sources, config_for(budget, seed=1, **overrides))
        prompts = [
            build_prompt(s.src, source="zh", target="en", style=PromptStyle.THINK) for s in sources
        ]
        speed = await single_sequence_speed(engine, prompts, 64)
    finally:
        await engine.aclose()
    summary["after"] = after.as_dict()
    summary["single_sequence_tok_s"] = round(speed, 2)
    summary["after_tok_s_vs_single_sequence"] = round(after.tok_s / speed, 3)
    if before is not None:
        summary["after_vs_before_wall"] = round(after.seconds / before.seconds, 3)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=int, default=5)
    parser.add_argument("--budget", type=BudgetName, default=BudgetName.SMALL)
    parser.add_argument("--after-only", action="store_true")
    parser.add_argument("--n-threads", type=int, help="threads after; unset: all cores")
    parser.add_argument("--parallel", type=int, help="leaves per wave after (budget override)")
    parser.add_argument("--width", type=int, help="expansion width after (budget override)")
    parser.add_argument("--deterministic", action="store_true", help="deterministic engine after")
    args = parser.parse_args()

    model_path = bundled_model_path(default_cache_dir())
    sources = load_eval_set(eval_file("zh-en"), domain="ecommerce", limit=args.segments)
    summary = asyncio.run(
        compare(
            model_path,
            sources,
            args.budget,
            args.after_only,
            args.n_threads,
            {
                key: value
                for key, value in (("parallel", args.parallel), ("expansion_width", args.width))
                if value is not None
            },
            args.deterministic,
        )
    )
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    name = "search-deterministic" if args.deterministic else "search"
    print(f"written to {write_result(name, summary)}")


if __name__ == "__main__":
    main()
