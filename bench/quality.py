"""Translation quality of the single-pass modes on WMT22 zh→en e-commerce, next to Online-G.

    uv run python -m bench.quality [--limit 50] [--modes direct cot]

Scores use both human references. The same segments' `Online-G` output (a commercial engine) is
scored alongside, so the comparison holds for exactly the segments we ran.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from bench.common import eval_file, write_result
from translator.engines.factory import create_engine
from translator.evaluation.scores import EvalSegment, load_eval_set, score, untranslated_count
from translator.prompting.modes import Mode
from translator.settings import load_settings
from translator.translating.runners import build_translator
from translator.translating.translation import Translator

COMPARE_WITH = "Online-G"


async def run_mode(
    translator: Translator, segments: list[EvalSegment], mode: Mode
) -> dict[str, object]:
    outputs = []
    started = time.perf_counter()
    generated = 0
    for number, segment in enumerate(segments, start=1):
        (result,) = await translator.translate([segment.src], source="zh", target="en", mode=mode)
        outputs.append(result.translation)
        generated += result.usage.generated_tokens
        print(f"{mode} {number}/{len(segments)}: {result.translation[:80]}", flush=True)
    seconds = time.perf_counter() - started
    return {
        **score(outputs, segments).as_dict(),
        "untranslated": untranslated_count(outputs),
        "seconds": round(seconds, 1),
        "generated_tokens": generated,
        "outputs": outputs,
    }


async def evaluate(limit: int, modes: list[Mode]) -> dict[str, object]:
    segments = load_eval_set(eval_file("zh-en"), domain="ecommerce", limit=limit)
    settings = load_settings()
    engine = create_engine(settings)
    translator = build_translator(engine, settings)
    report: dict[str, object] = {
        "segments": len(segments),
        "engine": (await engine.info()).model_id,
    }
    baseline = [segment.systems[COMPARE_WITH] for segment in segments]
    report[COMPARE_WITH] = score(baseline, segments).as_dict()
    try:
        for mode in modes:
            report[str(mode)] = await run_mode(translator, segments, mode)
    finally:
        await engine.aclose()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--modes", nargs="+", type=Mode, default=[Mode.DIRECT, Mode.COT])
    args = parser.parse_args()
    report = asyncio.run(evaluate(args.limit, args.modes))
    path = write_result("quality", report)
    summary = {
        name: {k: v for k, v in values.items() if k != "outputs"}
        for name, values in report.items()
        if isinstance(values, dict)
    }
    print(json.dumps(summary, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
