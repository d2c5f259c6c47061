"""Embedded engine throughput with top-5 logprobs vs plain llama.cpp generation without them.

Both sides load the same GGUF with the same context and thread settings, get the same prompts
(real e-commerce review translation prompts), decode greedily for the same token limit, and run
interleaved (ours, baseline, ours, ...) so machine noise hits both alike. The ratio of generated
tokens per second is the result; the target is at least 0.9.

    uv run python bench/engine.py [--prompts 6] [--max-tokens 64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

import llama_cpp

from bench.common import eval_file, write_result
from translator.engines.embedded import EmbeddedEngine
from translator.engines.model_files import bundled_model_path
from translator.engines.types import SamplingParams
from translator.prompting.prompts import PromptStyle, build_prompt
from translator.settings import default_cache_dir


def review_prompts(count: int) -> list[str]:
    """Translation prompts for the first `count` e-commerce sources of the zh-en dev set."""
    prompts = []
    with eval_file("zh-en").open() as lines:
        for line in lines:
            row = json.loads(line)
            if row["domain"] == "ecommerce":
                prompts.append(
                    build_prompt(row["src"], source="zh", target="en", style=PromptStyle.THINK)
                )
            if len(prompts) == count:
                break
    return prompts


async def measure(
    model_path: Path, prompts: list[str], max_tokens: int, n_ctx: int
) -> dict[str, float]:
    engine = EmbeddedEngine(model_path, n_ctx=n_ctx)
    baseline = llama_cpp.Llama(model_path=str(model_path), n_ctx=n_ctx, verbose=False)
    params = SamplingParams(max_new_tokens=max_tokens)
    totals = {"ours_tokens": 0.0, "ours_seconds": 0.0, "base_tokens": 0.0, "base_seconds": 0.0}
    try:
        for prompt in prompts:
            started = time.perf_counter()
            result = await engine.generate([prompt], params)
            totals["ours_seconds"] += time.perf_counter() - started
            totals["ours_tokens"] += result.usage.generated_tokens

            started = time.perf_counter()
            plain = baseline.create_completion(prompt, max_tokens=max_tokens, temperature=0.0)
            totals["base_seconds"] += time.perf_counter() - started
            totals["base_tokens"] += plain["usage"]["completion_tokens"]  # type: ignore[index]
    finally:
        await engine.aclose()
        baseline.close()
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prompts", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--n-ctx", type=int, default=2048)
    args = parser.parse_args()

    model_path = bundled_model_path(default_cache_dir())
    prompts = review_prompts(args.prompts)
    totals = asyncio.run(measure(model_path, prompts, args.max_tokens, args.n_ctx))
    ours = totals["ours_tokens"] / totals["ours_seconds"]
    base = totals["base_tokens"] / totals["base_seconds"]
    summary = {
        "model": model_path.name,
        "prompts": len(prompts),
        "max_tokens": args.max_tokens,
        "with_top5_logprobs_tok_s": round(ours, 2),
        "without_logprobs_tok_s": round(base, 2),
        "ratio": round(ours / base, 3),
        **{key: round(value, 3) for key, value in totals.items()},
    }
    print(json.dumps(summary, indent=2))
    print(f"written to {write_result('engine', summary)}")


if __name__ == "__main__":
    main()
