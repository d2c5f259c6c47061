"""Glossary terms rendered, with the glossary's hints in the prompt in each format, and without.

    uv run python -m bench.terms                 # every zh→en dev segment with a built-in term
    uv run python -m bench.terms --variants hints plain
    uv run python -m bench.terms --modes mcts --variants hints    # the default search

Takes every WMT22 zh→en dev segment in which the built-in glossary finds a term (all domains:
the dev set has too few in e-commerce alone) and translates it in the direct mode on the
embedded model once per variant: `hints` (the product's term notes), each other hint format of
`HINT_FORMATS` (the same terms, the notes written another way for that run: the titled list
the product used before, with and without its reminder), and `plain` (no notes). It reports
per output: terms rendered acceptably (`glossary.check`: preferred or acceptable rendering,
or an allowed omission), corpus chrF and BLEU on those segments, and the same numbers for
Online-G and the first human reference (the checker's own strictness; its chrF is against the
other). `--modes` picks the service's modes to run (direct by default; `mcts` is the default
search at the small budget). Outputs are appended to bench/results/terms[-{mode}]-{variant}.jsonl
(no mode part for direct), so an interrupted run resumes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.common import RESULTS_DIR, eval_file, prompt_swapped, write_result
from glossary.check import Rendering, check_terms
from glossary.matcher import TermMatch
from glossary.selection import GlossarySelection
from translator.engines.factory import create_engine
from translator.evaluation.scores import EvalSegment, load_eval_set, score
from translator.prompting import prompts
from translator.prompting.modes import Mode, Segment
from translator.search.config import BudgetName
from translator.settings import load_settings
from translator.translating.runners import build_runners, search_config
from translator.translating.translation import find_terms, plan_segments

COMPARE_WITH = "Online-G"


def _as_list(terms: Sequence[TermMatch], source_name: str, requirement: str = "") -> str:
    """A titled list of `term: rendering` lines, a retry's requirement and a reminder (the
    product's notes before the sentence form measured better)."""
    reminder = f"\n\nNow translate the whole {source_name} text above (not this glossary)."
    return _list(terms) + requirement + (reminder if terms else "")


def _without_reminder(terms: Sequence[TermMatch], _source_name: str, requirement: str = "") -> str:
    """The same list and requirement without the closing reminder to translate the text."""
    return _list(terms) + requirement


def _list(terms: Sequence[TermMatch]) -> str:
    if not terms:
        return ""
    lines = ["Glossary (usual English renderings of terms in the text):"]
    lines += [f"- {m.surface}: {m.entry.preferred[0]}" for m in terms[: prompts.MAX_TERM_NOTES]]
    return "\n\n" + "\n".join(lines)


HINT_FORMATS: dict[str, Callable[[Sequence[TermMatch], str, str], str]] = {
    "hints-list": _as_list,
    "hints-no-reminder": _without_reminder,
}
"""Term-note formats measured against the product's own sentences (`prompts._term_notes`)."""
VARIANTS = ("hints", *HINT_FORMATS, "plain")
_ACCEPTABLE = frozenset({Rendering.PREFERRED, Rendering.ACCEPTABLE, Rendering.OMITTED})


def segments_with_terms() -> list[tuple[EvalSegment, tuple[TermMatch, ...]]]:
    glossaries = GlossarySelection()
    found = []
    for item in load_eval_set(eval_file("zh-en")):
        plans = plan_segments([item.src], source="zh", target="en", max_text_chars=10_000)
        (plan,) = find_terms(plans, glossaries)
        if plan.segment.terms:
            found.append((item, plan.segment.terms))
    return found


def _path(mode: Mode, variant: str) -> Path:
    infix = "" if mode is Mode.DIRECT else f"-{mode}"
    return RESULTS_DIR / f"terms{infix}-{variant}.jsonl"


async def translate(
    chosen: Sequence[tuple[EvalSegment, tuple[TermMatch, ...]]],
    variants: Sequence[str],
    modes: Sequence[Mode],
) -> None:
    settings = load_settings()
    engine = create_engine(settings)
    # The service's own runners: with hints, an answer they broke is redone without them.
    runners = build_runners(settings.max_new_tokens, search_config(settings, BudgetName.SMALL))
    try:
        for mode, variant in ((mode, variant) for mode in modes for variant in variants):
            runner = runners[mode]
            path = _path(mode, variant)
            done = _outputs(path)
            with prompt_swapped("_term_notes", HINT_FORMATS.get(variant)):
                for number, (item, terms) in enumerate(chosen, start=1):
                    if item.id in done:
                        continue
                    shown = () if variant == "plain" else terms
                    (output,) = await runner.run(engine, [Segment(item.src, "zh", "en", shown)])
                    row = {"id": item.id, "translation": output.translation}
                    with path.open("a", encoding="utf-8") as out:
                        out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    shown_text = output.translation[:70]
                    print(f"{mode} {variant} {number}/{len(chosen)}: {shown_text}", flush=True)
    finally:
        await engine.aclose()


def _outputs(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    rows = (json.loads(line) for line in path.open(encoding="utf-8"))
    return {row["id"]: row["translation"] for row in rows}


def report(
    chosen: Sequence[tuple[EvalSegment, tuple[TermMatch, ...]]],
    variants: Sequence[str],
    modes: Sequence[Mode],
) -> dict[str, Any]:
    segments = [item for item, _ in chosen]
    systems = {
        "reference A": [item.refs[0] for item in segments],
        COMPARE_WITH: [item.systems[COMPARE_WITH] for item in segments],
    }
    for mode, variant in ((mode, variant) for mode in modes for variant in variants):
        written = _outputs(_path(mode, variant))
        systems[f"{mode}, {variant}"] = [written.get(item.id, "") for item in segments]
    table = {}
    for name, outputs in systems.items():
        checks = [
            check
            for (_, terms), output in zip(chosen, outputs, strict=True)
            for check in check_terms(terms, output, "en")
        ]
        rendered = sum(1 for check in checks if check.result.status in _ACCEPTABLE)
        scored = [_against_others(item) for item in segments] if name == "reference A" else segments
        scores = score(outputs, scored)
        table[name] = {
            "terms": len(checks),
            "rendered": rendered,
            "rendered_percent": round(100 * rendered / len(checks), 1),
            "chrf": round(scores.chrf, 2),
            "bleu": round(scores.bleu, 2),
        }
    return {"segments": len(segments), "table": table}


def _against_others(item: EvalSegment) -> EvalSegment:
    """`item` with only its other references, to score reference A against them."""
    return EvalSegment(item.id, item.src, item.refs[1:], item.domain, item.systems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--modes", nargs="+", type=Mode, default=[Mode.DIRECT])
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    chosen = segments_with_terms()
    if not args.report_only:
        asyncio.run(translate(chosen, args.variants, args.modes))
    result = report(chosen, args.variants, args.modes)
    print(json.dumps(result, indent=2))
    print(f"written to {write_result('terms', result)}")


if __name__ == "__main__":
    main()
