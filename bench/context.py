"""DeepL-style `context` on WMT22 zh→en e-commerce: the neighbouring segments of the same
document as context against none, `direct` mode on the configured engine, next to Online-G.

    uv run python -m bench.context [--limit 100] [--pair zh-en] [--domain ecommerce]

Each segment that has a neighbour in its document (the segments just before and after it, in
file order) is translated twice: alone, and with its neighbours' source text as `context`.
Outputs are appended to `bench/results/context.<pair>.jsonl` as they come, so a run that is
stopped resumes where it was. Reported: corpus chrF and BLEU of both runs and of Online-G on the
same segments, how many outputs changed, and how many with context came out over 1.5 times as
long as without it (a sign the model translated the context too).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import RESULTS_DIR, eval_file, write_result
from translator.engines.factory import create_engine
from translator.evaluation.scores import EvalSegment, load_eval_set, score
from translator.prompting.modes import Mode
from translator.settings import load_settings
from translator.translating.runners import build_translator
from translator.translating.translation import Translator, plan_segments

COMPARE_WITH = "Online-G"
RUNS = ("none", "context")
LONGER = 1.5


def neighbours(path: Path, segments: list[EvalSegment]) -> dict[str, str]:
    """Each segment's context: the sources before and after it in its document."""
    documents: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                documents[row["doc_id"]].append((row["id"], row["src"]))
    context: dict[str, str] = {}
    for rows in documents.values():
        for index, (segment_id, _) in enumerate(rows):
            around = [rows[i][1] for i in (index - 1, index + 1) if 0 <= i < len(rows)]
            if around:
                context[segment_id] = "\n".join(around)
    wanted = {segment.id for segment in segments}
    return {key: value for key, value in context.items() if key in wanted}


def load_done(path: Path) -> dict[tuple[str, str], str]:
    done: dict[tuple[str, str], str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            done[row["run"], row["id"]] = row["output"]
    return done


async def translate(
    translator: Translator, segment: EvalSegment, context: str, pair: str
) -> tuple[str, int]:
    """One segment in `direct` mode, with `context` (or none) in its prompt."""
    source, target = pair.split("-")
    (plan,) = plan_segments(
        [segment.src], source=source, target=target, max_text_chars=len(segment.src)
    )
    plan = replace(plan, segment=replace(plan.segment, context=context))
    (result,) = await translator.run([plan], Mode.DIRECT)
    return result.translation, result.usage.prompt_tokens


async def run(pair: str, domain: str, limit: int) -> dict[str, Any]:
    path = eval_file(pair)
    contexts = neighbours(path, load_eval_set(path, domain=domain))
    segments = [s for s in load_eval_set(path, domain=domain) if s.id in contexts][:limit]
    log = RESULTS_DIR / f"context.{pair}.jsonl"
    RESULTS_DIR.mkdir(exist_ok=True)
    done = load_done(log)
    settings = load_settings()
    engine = create_engine(settings)
    translator = build_translator(engine, settings)
    model = (await engine.info()).model_id
    started = time.perf_counter()
    try:
        with log.open("a", encoding="utf-8") as out:
            for number, segment in enumerate(segments, start=1):
                for name in RUNS:
                    if (name, segment.id) in done:
                        continue
                    context = contexts[segment.id] if name == "context" else ""
                    output, prompt_tokens = await translate(translator, segment, context, pair)
                    done[name, segment.id] = output
                    row = {"run": name, "id": segment.id, "output": output, "prompt": prompt_tokens}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    out.flush()
                    print(f"{number}/{len(segments)} {name}: {output[:70]}", flush=True)
    finally:
        await engine.aclose()
    report: dict[str, Any] = {
        "pair": pair,
        "domain": domain,
        "segments": len(segments),
        "engine": model,
        "seconds_this_run": round(time.perf_counter() - started, 1),
        COMPARE_WITH: score([s.systems[COMPARE_WITH] for s in segments], segments).as_dict(),
    }
    outputs = {name: [done[name, s.id] for s in segments] for name in RUNS}
    for name in RUNS:
        report[name] = score(outputs[name], segments).as_dict()
    pairs = list(zip(outputs["none"], outputs["context"], strict=True))
    report["changed"] = sum(a != b for a, b in pairs)
    report["longer_with_context"] = sum(len(b) > LONGER * max(1, len(a)) for a, b in pairs)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--pair", default="zh-en")
    parser.add_argument("--domain", default="ecommerce")
    args = parser.parse_args()
    report = asyncio.run(run(args.pair, args.domain, args.limit))
    path = write_result(f"context.{args.pair}", report)
    print(json.dumps(report, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
