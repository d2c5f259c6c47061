"""Embedded engine throughput: parallel sequences, threads, and top-5 logprobs.

`--parallel 1,2,4,8`: aggregate generated tokens/s when k sibling samples of one prompt decode
together, against one sample on the same engine (all cores) run just before each, on real
e-commerce translation prompts whose prefix is already cached, so the numbers are decoding
(target: 4 sequences >= 1.8x one).

`--threads`: one sample at a time on every core against the same engine on one thread (what
llama-cpp-python picks on a 2-core machine when left alone), taking turns.

Default: our greedy decoding with top-5 logprobs against plain llama.cpp (`llama_cpp.Llama`)
without them, same context and threads, interleaved; target ratio >= 0.9.

    uv run python -m bench.engine [--prompts 6] [--max-tokens 64] [--parallel 1,2,4,8 | --threads]
    uv run python -m bench.engine --parallel 1,4 --repack-weights   # llama.cpp's repacked weights
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
from translator.engines.llama_batch import available_cores
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


async def compare_parallel(
    model_path: Path,
    prompts: list[str],
    max_tokens: int,
    n_ctx: int,
    widths: list[int],
    n_threads: int | None,
    repack_weights: bool = False,
) -> dict[str, object]:
    """Aggregate tokens/s of k sibling samples against one sample, taking turns per prompt."""
    engine = EmbeddedEngine(
        model_path,
        n_ctx=n_ctx,
        n_threads=n_threads,
        max_sequences=max(widths),
        repack_weights=repack_weights,
    )
    tokens = dict.fromkeys([0, *widths], 0)
    seconds = dict.fromkeys([0, *widths], 0.0)

    async def timed(key: int, prompt: str, n: int, seed: int) -> None:
        params = SamplingParams(max_new_tokens=max_tokens, temperature=0.7, n=n, seed=seed)
        started = time.perf_counter()
        result = await engine.generate([prompt], params)
        seconds[key] += time.perf_counter() - started
        tokens[key] += result.usage.generated_tokens

    try:
        for seed, prompt in enumerate(prompts):
            await engine.generate([prompt], SamplingParams(max_new_tokens=1))  # cache the prompt
            for k in widths:
                await timed(0, prompt, 1, seed)  # the one-sequence baseline, just before
                await timed(k, prompt, k, seed)
    finally:
        await engine.aclose()
    single = tokens[0] / seconds[0]
    rows = {
        str(k): {
            "tok_s": round(tokens[k] / seconds[k], 2),
            "vs_one_sequence": round(tokens[k] / seconds[k] / single, 3),
        }
        for k in widths
    }
    return {
        "threads": engine.threads[0],
        "one_sequence_tok_s": round(single, 2),
        "parallel": rows,
    }


async def compare_threads(
    model_path: Path, prompts: list[str], max_tokens: int, n_ctx: int
) -> dict[str, object]:
    """Greedy tokens/s on every core against one thread, the two engines taking turns."""
    cores = available_cores()
    engines = {
        "all": EmbeddedEngine(model_path, n_ctx=n_ctx, max_sequences=1),
        "one": EmbeddedEngine(model_path, n_ctx=n_ctx, n_threads=1, max_sequences=1),
    }
    params = SamplingParams(max_new_tokens=max_tokens)
    tokens = dict.fromkeys(engines, 0)
    seconds = dict.fromkeys(engines, 0.0)
    try:
        for prompt in prompts:
            for name, engine in engines.items():
                started = time.perf_counter()
                result = await engine.generate([prompt], params)
                seconds[name] += time.perf_counter() - started
                tokens[name] += result.usage.generated_tokens
    finally:
        for engine in engines.values():
            await engine.aclose()
    all_cores, one_thread = (tokens[name] / seconds[name] for name in ("all", "one"))
    return {
        "cores": cores,
        "all_cores_tok_s": round(all_cores, 2),
        "one_thread_tok_s": round(one_thread, 2),
        "ratio": round(all_cores / one_thread, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prompts", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--n-ctx", type=int, default=2048)
    parser.add_argument("--parallel", help="widths to compare, e.g. 1,2,4,8")
    parser.add_argument("--threads", action="store_true", help="all cores vs one thread")
    parser.add_argument("--n-threads", type=int, help="threads for --parallel; unset: all cores")
    parser.add_argument("--repack-weights", action="store_true", help="for --parallel")
    args = parser.parse_args()

    model_path = bundled_model_path(default_cache_dir())
    prompts = review_prompts(args.prompts)
    if args.parallel or args.threads:
        name = "engine-parallel" if args.parallel else "engine-threads"
        result = asyncio.run(
            compare_parallel(
                model_path,
                prompts,
                args.max_tokens,
                args.n_ctx,
                [int(k) for k in args.parallel.split(",")],
                args.n_threads,
                args.repack_weights,
            )
            if args.parallel
            else compare_threads(model_path, prompts, args.max_tokens, args.n_ctx)
        )
        print(json.dumps(result, indent=2))
        print(f"written to {write_result(name, result)}")
        return
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
