"""Prompt levers measured one at a time on dev e-commerce segments: the ablation table.

    uv run python -m bench.levers [--pair zh-en] [--limit 100] [--modes direct] [--shots 0 2 4]
    uv run python -m bench.levers --modes cot --shots 0 --thoughts plain steps

Each row runs one single-pass mode the way the service does (glossary hints from the built-in
glossaries, QA retry, the hint fallback) over the same segments, changing one lever:
`shots=k` shows the text's k closest pairs of the example bank
(`translator.prompting.example_bank`) as earlier answers; `shots=0` is the prompt without
them.
`thought=steps` gives the system prompt's sentence about the thought the steps of
`THOUGHT_INSTRUCTIONS` (what the text is, what its slang means, then a draft to check);
`plain` is the product's sentence.
Per row: chrF, BLEU, outputs with source-script characters left, glossary terms rendered
acceptably, seconds per segment, and Online-G on the same segments. Outputs are appended to
bench/results/levers-{pair}-{mode}-shots{k}[-thought-{t}].jsonl, so an interrupted run resumes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import RESULTS_DIR, eval_file, prompt_swapped, write_result
from glossary.check import Rendering, check_terms
from glossary.selection import GlossarySelection
from translator.engines.factory import create_engine
from translator.engines.protocol import Engine
from translator.evaluation.scores import EvalSegment, load_eval_set, score
from translator.prompting import prompts
from translator.prompting.example_bank import example_bank
from translator.prompting.modes import Mode, Segment
from translator.search.config import BudgetName
from translator.settings import load_settings
from translator.text.scripts import foreign_scripts, script_characters
from translator.translating.runners import build_runners, search_config
from translator.translating.translation import find_terms, plan_segments

COMPARE_WITH = "Online-G"
_ACCEPTABLE = frozenset({Rendering.PREFERRED, Rendering.ACCEPTABLE, Rendering.OMITTED})
_PRODUCT_THOUGHT = (
    f"When you reason, you do it inside {prompts.THOUGHT_OPEN}{prompts.THOUGHT_CLOSE}, "
    "mostly in English."
)
THOUGHT_INSTRUCTIONS = {
    "plain": _PRODUCT_THOUGHT,
    "steps": (
        f"When you reason, you do it inside {prompts.THOUGHT_OPEN}{prompts.THOUGHT_CLOSE}, in "
        "English, in three steps: say what kind of text it is (a review, a listing title, a "
        "policy or a message); explain what each slang word, abbreviation or bit of platform "
        "jargon in it means; then draft the translation and check that it says everything the "
        "text says, the way a native shopper would write it."
    ),
}
"""The system prompt's sentence about the thought, for the thought lever (`plain`: today's)."""


def planned(pair: str, limit: int) -> list[tuple[EvalSegment, Segment]]:
    """The pair's first `limit` dev e-commerce segments, with the built-in glossary's terms."""
    source, target = pair.split("-")
    glossaries = GlossarySelection()
    found = []
    for item in load_eval_set(eval_file(pair), domain="ecommerce", limit=limit):
        plans = plan_segments([item.src], source=source, target=target, max_text_chars=10_000)
        (plan,) = find_terms(plans, glossaries)
        found.append((item, plan.segment))
    return found


def _path(pair: str, mode: Mode, shots: int, thought: str) -> Path:
    suffix = "" if thought == "plain" else f"-thought-{thought}"
    return RESULTS_DIR / f"levers-{pair}-{mode}-shots{shots}{suffix}.jsonl"


def _thought_prompt(thought: str) -> AbstractContextManager[object]:
    """The system prompt with the thought lever's sentence, for the duration of a run."""
    assert _PRODUCT_THOUGHT in prompts.SYSTEM_PROMPT, "the product's thought sentence changed"
    system = prompts.SYSTEM_PROMPT.replace(_PRODUCT_THOUGHT, THOUGHT_INSTRUCTIONS[thought])
    return prompt_swapped("SYSTEM_PROMPT", None if thought == "plain" else system)


def _rows(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    rows = (json.loads(line) for line in path.open(encoding="utf-8"))
    return {row["id"]: row for row in rows}


async def translate(
    engine: Engine,
    chosen: list[tuple[EvalSegment, Segment]],
    pair: str,
    mode: Mode,
    lever: tuple[int, str],
) -> None:
    shots, thought = lever
    settings = load_settings()
    runner = build_runners(settings.max_new_tokens, search_config(settings, BudgetName.SMALL))[mode]
    path = _path(pair, mode, shots, thought)
    done = _rows(path)
    RESULTS_DIR.mkdir(exist_ok=True)
    for number, (item, segment) in enumerate(chosen, start=1):
        if item.id in done:
            continue
        bank = example_bank(segment.source, segment.target)
        shown = replace(segment, examples=bank.closest(segment.text, shots, segment.terms))
        started = time.perf_counter()
        with _thought_prompt(thought):
            (output,) = await runner.run(engine, [shown])
        row = {
            "id": item.id,
            "translation": output.translation,
            "seconds": round(time.perf_counter() - started, 2),
        }
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        label = f"{mode} shots={shots} thought={thought}"
        print(f"{label} {number}/{len(chosen)}: {output.translation[:70]}", flush=True)


def _row(outputs: list[str], chosen: list[tuple[EvalSegment, Segment]]) -> dict[str, Any]:
    items = [item for item, _ in chosen]
    checks = [
        check
        for (_, segment), output in zip(chosen, outputs, strict=True)
        for check in check_terms(segment.terms, output, segment.target)
    ]
    rendered = sum(1 for check in checks if check.result.status in _ACCEPTABLE)
    source, target = chosen[0][1].source, chosen[0][1].target
    scripts = foreign_scripts(source, target)
    return {
        **score(outputs, items).as_dict(),
        "source_script_left": sum(1 for o in outputs if script_characters(o, scripts)),
        "terms": f"{rendered}/{len(checks)}",
    }


def report(
    chosen: list[tuple[EvalSegment, Segment]],
    pair: str,
    modes: list[Mode],
    levers: list[tuple[int, str]],
) -> dict[str, Any]:
    table: dict[str, Any] = {
        COMPARE_WITH: _row([i.systems[COMPARE_WITH] for i, _ in chosen], chosen)
    }
    for mode in modes:
        for shots, thought in levers:
            rows = _rows(_path(pair, mode, shots, thought))
            if not all(item.id in rows for item, _ in chosen):
                continue
            outputs = [rows[item.id]["translation"] for item, _ in chosen]
            seconds = sum(rows[item.id]["seconds"] for item, _ in chosen) / len(chosen)
            table[f"{mode}, shots={shots}, thought={thought}"] = {
                **_row(outputs, chosen),
                "s_per_segment": round(seconds, 2),
            }
    return {"pair": pair, "segments": len(chosen), "table": table}


async def run(pair: str, limit: int, modes: list[Mode], levers: list[tuple[int, str]]) -> None:
    chosen = planned(pair, limit)
    engine = create_engine(load_settings())
    try:
        for mode in modes:
            for lever in levers:
                await translate(engine, chosen, pair, mode, lever)
    finally:
        await engine.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pair", default="zh-en")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--modes", nargs="+", type=Mode, default=[Mode.DIRECT])
    parser.add_argument("--shots", nargs="+", type=int, default=[0, 2, 4])
    parser.add_argument(
        "--thoughts", nargs="+", choices=list(THOUGHT_INSTRUCTIONS), default=["plain"]
    )
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    levers = [(shots, thought) for shots in args.shots for thought in args.thoughts]
    if not args.report_only:
        asyncio.run(run(args.pair, args.limit, args.modes, levers))
    summary = report(planned(args.pair, args.limit), args.pair, args.modes, levers)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"written to {write_result(f'levers-{args.pair}', summary)}")


if __name__ == "__main__":
    main()
