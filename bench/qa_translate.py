"""Translate the dev sets' e-commerce segments with a mode, one JSONL line each.

    uv run python -m bench.qa_translate --pair zh-en --limit 100 --out bench/results/x.jsonl
    uv run python -m bench.qa_translate ... --no-qa-retry      # the first pass only
    uv run python -m bench.qa_translate ... --retry-from FIRST.jsonl   # retry what failed there
    uv run python -m bench.qa_translate ... --retry-samples 0    # greedy retry only
    uv run python -m bench.qa_translate ... --names-only   # segments whose reference has names
    uv run python -m bench.qa_translate ... --mode search  # the default search budget
    uv run python -m bench.qa_translate ... --as-served   # built-in glossary terms in the prompt,
                                                          # the service's runners (hint fallback)
    uv run python -m bench.qa_translate ... --mode cot --concurrency 4   # 4 segments batched
    uv run python -m bench.qa_translate ... --mode search --no-qa-checks   # the search with no
        # QA verifier (and so no QA retry for its cot answer): the QA work's "before", same commit

Outputs are kept for `bench.qa` to check and score, so a slow model run is done once and can be
compared with another commit's: this script only uses the mode runner's `run`, which every
commit has (`--no-qa-retry` and `--retry-from` need the QA checks). A rerun skips segments the
output file has already.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any, TextIO

from bench.common import eval_file
from bench.levers import planned
from bench.names import romanized_names
from translator.engines.factory import create_engine
from translator.engines.types import Usage
from translator.evaluation.scores import EvalSegment, load_eval_set
from translator.prompting.modes import Mode, ModeOutput, ModeRunner, Segment, SinglePassRunner
from translator.prompting.prompts import PromptStyle
from translator.search.config import default_budget
from translator.search.runner import SearchRunner
from translator.search.verifiers import DEFAULT_VERIFIERS, QaVerifier
from translator.settings import Settings, load_settings
from translator.translating.runners import build_runners, search_config

STYLES = {"direct": PromptStyle.ANSWER, "cot": PromptStyle.THINK}


def _done(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    rows = (json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return {row["id"]: row for row in rows}


_MODES = {"direct": Mode.DIRECT, "cot": Mode.COT, "search": Mode.MCTS}


def _runner(args: argparse.Namespace, settings: Settings, engine_name: str) -> ModeRunner:
    """The mode's runner with only the options given (older commits lack the newer ones)."""
    search = search_config(settings, default_budget(engine_name))
    if args.mode == "search" and not args.qa_checks:
        return SearchRunner(search, [v for v in DEFAULT_VERIFIERS if not isinstance(v, QaVerifier)])
    if args.as_served:
        return build_runners(settings.max_new_tokens, search)[_MODES[args.mode]]
    if args.mode == "search":
        return SearchRunner(search)
    max_new_tokens = settings.max_new_tokens
    options: dict[str, Any] = {}
    if args.qa_retry is not None:
        options["qa_retry"] = args.qa_retry
    if args.retry_samples is not None:
        options["retry_samples"] = args.retry_samples
    return SinglePassRunner(STYLES[args.mode], max_new_tokens=max_new_tokens, **options)


async def translate(args: argparse.Namespace) -> None:
    pair = args.pair
    source, target = pair.split("-")
    if args.as_served:
        chosen = planned(pair, args.limit)
    else:
        items = load_eval_set(eval_file(pair), domain="ecommerce")
        if args.names_only:
            items = [s for s in items if romanized_names(s.refs[0], pair)]
        chosen = [(item, Segment(item.src, source, target)) for item in items[: args.limit]]
    settings = load_settings()
    engine = create_engine(settings)
    runner = _runner(args, settings, engine.name)
    done = _done(args.out)
    first = _done(args.retry_from) if args.retry_from else {}
    gate = asyncio.Semaphore(args.concurrency)

    async def one(number: int, item: EvalSegment, segment: Segment, out: TextIO) -> None:
        async with gate:
            started = time.perf_counter()
            if item.id in first and isinstance(runner, SinglePassRunner):
                previous = ModeOutput(first[item.id]["translation"], "", 0.0, Usage())
                (output,) = await runner.retry(engine, [segment], [previous])
            else:
                (output,) = await runner.run(engine, [segment])
        row = {
            "id": item.id,
            "translation": output.translation,
            "calls": output.usage.calls,
            "generated_tokens": output.usage.generated_tokens,
            "seconds": round(time.perf_counter() - started, 2),
        }
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
        print(f"{pair} {number}/{len(chosen)}: {output.translation[:80]}", flush=True)

    try:
        with args.out.open("a", encoding="utf-8") as out:
            await asyncio.gather(
                *(
                    one(number, item, segment, out)
                    for number, (item, segment) in enumerate(chosen, start=1)
                    if item.id not in done
                )
            )
    finally:
        await engine.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pair", choices=["zh-en", "ja-en"], required=True)
    parser.add_argument("--mode", choices=[*sorted(STYLES), "search"], default="direct")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--qa-retry", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--retry-from", type=Path, default=None)
    parser.add_argument("--retry-samples", type=int, default=None)
    parser.add_argument("--names-only", action="store_true")
    parser.add_argument("--as-served", action="store_true")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=1,
        help="segments in flight at once (the embedded engine batches them; not for the search, "
        "whose deadline would then measure a queue)",
    )
    parser.add_argument("--qa-checks", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    single_pass = (args.retry_from, args.qa_retry, args.retry_samples)
    if args.mode == "search" and any(option is not None for option in single_pass):
        parser.error("--retry-from, --qa-retry and --retry-samples are the single-pass modes'")
    if args.concurrency < 1 or (args.concurrency > 1 and args.mode == "search"):
        parser.error("--concurrency is at least 1, and 1 for the search")
    if not args.qa_checks and args.mode != "search":
        parser.error("--no-qa-checks is the search's; the single-pass modes use --no-qa-retry")
    if args.as_served and (args.names_only or any(o is not None for o in single_pass)):
        parser.error("--as-served runs the service's runners on the first --limit segments only")
    asyncio.run(translate(args))


if __name__ == "__main__":
    main()
