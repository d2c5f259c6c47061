"""The embedded model translating near-duplicate listing texts with and without close approved
pairs shown as examples (see `bench.memory`): chrF against the templates' English, term
consistency (the product rendered as the memory renders it), and prompt tokens, same texts,
same run."""

from __future__ import annotations

import asyncio
import statistics
from typing import Any

import sacrebleu

from translator.engines.embedded import EmbeddedEngine
from translator.engines.model_files import bundled_model_path
from translator.memory.index import MemoryIndex
from translator.memory.selection import MemorySelection, SelectedMemory
from translator.prompting.modes import Mode
from translator.settings import Settings, default_cache_dir
from translator.store.pairs import Pair
from translator.translating.memories import match_memories
from translator.translating.runners import build_translator
from translator.translating.translation import plan_segments

MEMORY_PAIRS = 3000


def quality(made: list[tuple[str, str, str]], count: int, threshold: float) -> dict[str, Any]:
    """`count` texts the memory does not hold but has close pairs for, translated both ways."""
    pairs = [Pair(zh, en) for zh, en, _ in made[:MEMORY_PAIRS]]
    selection = MemorySelection(
        [SelectedMemory("m", "bench", 1, "zh", "en", MemoryIndex("m", pairs))]
    )
    rest = made[MEMORY_PAIRS:]
    texts = [t for t in rest if selection.match(t[0], "zh", "en", threshold=threshold, limit=3)]
    texts = texts[:count]
    plans = plan_segments([zh for zh, _, _ in texts], source="zh", target="en", max_text_chars=2000)
    shown = match_memories(plans, selection, threshold=threshold, examples=3)
    engine = EmbeddedEngine(bundled_model_path(default_cache_dir()))
    translator = build_translator(engine, Settings())

    async def run() -> dict[str, Any]:
        report: dict[str, Any] = {"texts": len(texts)}
        for name, batch in (("without", plans), ("with_examples", shown)):
            results = []
            for plan in batch:  # one at a time: the embedded model is serial anyway
                results.extend(await translator.run([plan], Mode.DIRECT))
            outputs = [r.translation for r in results]
            references = [[en for _, en, _ in texts]]
            consistent = sum(
                term.casefold() in output.casefold()
                for output, (_, _, term) in zip(outputs, texts, strict=True)
            )
            report[name] = {
                "chrf": round(sacrebleu.corpus_chrf(outputs, references).score, 2),
                "term_consistency": round(consistent / len(texts), 3),
                "prompt_tokens": statistics.mean(r.usage.prompt_tokens for r in results),
                "seconds": round(sum(r.usage.wall_seconds for r in results), 1),
                "samples": list(zip([zh for zh, _, _ in texts[:3]], outputs[:3], strict=True)),
            }
            if name == "with_examples":
                report["mean_best_score"] = round(
                    statistics.mean(p.memory.score for p in shown if p.memory), 3
                )
        await engine.aclose()
        return report

    return asyncio.run(run())
