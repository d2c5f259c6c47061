"""Cost of one search budget on the embedded engine: calls, prefix reuse, and time overhead.

For each e-commerce review the search runs with the given budget; we report engine calls, prompt
tokens requested vs actually computed (the rest came from the KV cache), generated tokens, and the
search's wall time against the time plain llama.cpp needs to decode the same number of tokens at
its raw speed, measured in the same run on the same prompts (targets: computed <= 25% of
requested, wall time <= 1.2x the raw decode time).

    uv run python -m bench.search [--segments 5] [--budget small] [--granularity step]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import replace
from pathlib import Path

import llama_cpp

from bench.common import eval_file, write_result
from translator.engines.embedded import EmbeddedEngine
from translator.engines.model_files import bundled_model_path
from translator.engines.types import Usage
from translator.evaluation.scores import load_eval_set
from translator.prompting.modes import Segment
from translator.prompting.prompts import PromptStyle, build_prompt
from translator.search.config import BudgetName, Granularity, config_for
from translator.search.mcts import MCTS
from translator.settings import default_cache_dir

N_CTX = 4096


def raw_decode_speed(model_path: Path, prompts: list[str], tokens: int) -> float:
    """Generated tokens per second of plain greedy llama.cpp decoding, prompt time excluded."""
    llm = llama_cpp.Llama(model_path=str(model_path), n_ctx=N_CTX, verbose=False)
    generated, seconds = 0, 0.0
    try:
        for prompt in prompts:
            llm.create_completion(prompt, max_tokens=1, temperature=0.0)  # prompt into the cache
            started = time.perf_counter()
            out = llm.create_completion(prompt, max_tokens=tokens, temperature=0.0)
            seconds += time.perf_counter() - started
            generated += out["usage"]["completion_tokens"]  # type: ignore[index]
    finally:
        llm.close()
    return generated / seconds


async def run_searches(
    model_path: Path, segments: list[Segment], budget: BudgetName, granularity: Granularity
) -> tuple[Usage, float, list[dict[str, object]]]:
    engine = EmbeddedEngine(model_path, n_ctx=N_CTX)
    config = replace(config_for(budget, granularity=granularity), seed=1)
    usage, seconds, rows = Usage(), 0.0, []
    try:
        for segment in segments:
            started = time.perf_counter()
            result = await MCTS(engine, config).search(segment)
            elapsed = time.perf_counter() - started
            seconds += elapsed
            usage += result.usage
            rows.append(
                {
                    "source": segment.text,
                    "translation": result.best.translation,
                    "seconds": round(elapsed, 2),
                    **result.trace["budget_used"],
                }
            )
    finally:
        await engine.aclose()
    return usage, seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=int, default=5)
    parser.add_argument("--budget", type=BudgetName, default=BudgetName.SMALL)
    parser.add_argument("--granularity", type=Granularity, default=Granularity.STEP)
    args = parser.parse_args()

    model_path = bundled_model_path(default_cache_dir())
    sources = load_eval_set(eval_file("zh-en"), domain="ecommerce", limit=args.segments)
    segments = [Segment(s.src, "zh", "en") for s in sources]
    usage, seconds, rows = asyncio.run(
        run_searches(model_path, segments, args.budget, args.granularity)
    )
    prompts = [
        build_prompt(s.text, source="zh", target="en", style=PromptStyle.THINK) for s in segments
    ]
    speed = raw_decode_speed(model_path, prompts, 64)
    ideal = usage.generated_tokens / speed
    summary = {
        "segments": len(segments),
        "budget": str(args.budget),
        "granularity": str(args.granularity),
        "engine_calls": usage.calls,
        "prompt_tokens_requested": usage.prompt_tokens,
        "prompt_tokens_computed": usage.computed_prompt_tokens,
        "computed_share": round(usage.computed_prompt_tokens / usage.prompt_tokens, 3),
        "generated_tokens": usage.generated_tokens,
        "search_seconds": round(seconds, 1),
        "raw_decode_tok_s": round(speed, 2),
        "decode_only_seconds": round(ideal, 1),
        "wall_vs_decode": round(seconds / ideal, 3),
        "per_segment": rows,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"written to {write_result('search', summary)}")


if __name__ == "__main__":
    main()
