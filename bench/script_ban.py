"""What the answer's script ban changes: direct mode on WMT22 zh→en e-commerce dev, with and
without it, on the same segments in the same run.

    uv run python -m bench.script_ban [--limit 100]

Without the ban, the model is free to copy source words into its English answer; with it, the
engine keeps every token that would write a Han character out of the answer. Reports chrF, BLEU
and the outputs with source-script characters left, next to Online-G.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from unittest import mock

from bench.common import eval_file, write_result
from translator.engines.factory import create_engine
from translator.evaluation.scores import load_eval_set, score
from translator.prompting import modes
from translator.prompting.modes import Segment, SinglePassRunner
from translator.prompting.prompts import PromptStyle
from translator.settings import load_settings
from translator.text.scripts import foreign_scripts, script_characters

COMPARE_WITH = "Online-G"


async def translate_all(texts: list[str], *, banned: bool) -> list[str]:
    settings = load_settings()
    engine = create_engine(settings)
    runner = SinglePassRunner(PromptStyle.ANSWER, max_new_tokens=settings.max_new_tokens)
    outputs = []
    try:
        with mock.patch.object(modes, "answer_ban", modes.answer_ban if banned else _no_ban):
            for number, text in enumerate(texts, start=1):
                (output,) = await runner.run(engine, [Segment(text, "zh", "en")])
                outputs.append(output.translation)
                print(f"{'ban' if banned else 'free'} {number}/{len(texts)}", flush=True)
    finally:
        await engine.aclose()
    return outputs


def _no_ban(segment: Segment, *, answer_open: bool) -> None:  # noqa: ARG001
    return None


def left(outputs: list[str]) -> int:
    scripts = foreign_scripts("zh", "en")
    return sum(1 for output in outputs if script_characters(output, scripts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    segments = load_eval_set(eval_file("zh-en"), domain="ecommerce", limit=args.limit)
    texts = [segment.src for segment in segments]
    report: dict[str, object] = {"segments": len(segments)}
    online = [segment.systems[COMPARE_WITH] for segment in segments]
    report[COMPARE_WITH] = {**score(online, segments).as_dict(), "source_script_left": left(online)}
    for name, banned in (("direct, free answer", False), ("direct, script ban", True)):
        outputs = asyncio.run(translate_all(texts, banned=banned))
        report[name] = {**score(outputs, segments).as_dict(), "source_script_left": left(outputs)}
    write_result("script_ban", report)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
