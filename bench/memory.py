"""Translation memories: lookup cost per segment, engine calls for exact matches, and (with
`--quality N`) what close pairs shown as examples do to the embedded model's translations.

The memory is a set we build of near-duplicate listing titles and reviews: templates filled with
other products, colours, sizes and numbers, each with its English rendering. Queries are fills
the memory does not hold (close to several pairs), pairs it holds (exact), and real reviews from
the WMT22 zh-en dev set (nothing close). The baseline is rapidfuzz scoring every source (the
same scorer, no index), timed in the same run; agreement says how often the index found the same
best score as that exhaustive scan.

    uv run python -m bench.memory [--sizes 10000 100000] [--queries 300] [--quality 12]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bench.common import InstantEngine, eval_file, write_result
from translator.evaluation.scores import load_eval_set
from translator.memory.index import MemoryIndex
from translator.memory.selection import MemorySelection, SelectedMemory
from translator.prompting.modes import Mode
from translator.settings import Settings
from translator.store.database import dispose_engine, make_engine, make_session_factory
from translator.store.migrate import upgrade
from translator.store.pairs import Pair
from translator.translating.memories import match_memories
from translator.translating.service import TranslateOptions, TranslationService
from translator.translating.translation import plan_segments

PRODUCTS = [
    ("阔腿裤", "wide-leg trousers"),
    ("连衣裙", "dress"),
    ("卫衣", "hoodie"),
    ("运动鞋", "sneakers"),
    ("牛仔裤", "jeans"),
    ("羽绒服", "down jacket"),
    ("衬衫", "shirt"),
    ("半身裙", "skirt"),
    ("针织衫", "knit sweater"),
    ("风衣", "trench coat"),
    ("小白鞋", "white sneakers"),
    ("打底裤", "leggings"),
    ("背包", "backpack"),
    ("保温杯", "insulated bottle"),
    ("蓝牙耳机", "Bluetooth earbuds"),
    ("手机壳", "phone case"),
    ("雨伞", "umbrella"),
    ("帆布鞋", "canvas shoes"),
    ("西装外套", "blazer"),
    ("睡衣", "pyjamas"),
]
COLOURS = [
    ("黑色", "black"),
    ("白色", "white"),
    ("灰色", "grey"),
    ("红色", "red"),
    ("蓝色", "blue"),
    ("粉色", "pink"),
    ("卡其色", "khaki"),
    ("绿色", "green"),
]
SIZES = ["S", "M", "L", "XL", "XXL", "36", "37", "38", "39", "40", "41", "42"]
TEMPLATES = [
    (
        "2025夏季新款{p}女 {c} {s}码 显瘦百搭",
        "2025 summer new women's {P}, {C}, size {s}, slimming and easy to match",
    ),
    (
        "{p}质量很好，{c}很正，{s}码刚好合适",
        "The {P} is great quality, the {C} is true to colour and size {s} fits just right",
    ),
    (
        "买了{n}件{p}，发货很快，{c}的比图片好看",
        "Bought {n} {P}, shipped fast, the {C} one looks better than in the pictures",
    ),
    (
        "{p}有点偏大，建议拍小一码，平时穿{s}码",
        "The {P} runs a bit large, order one size down; I usually wear size {s}",
    ),
    (
        "{c}{p}已经回购{n}次了，性价比超高",
        "I have bought the {C} {P} again {n} times, great value for money",
    ),
    (
        "包邮 {p} {c} {s}码 现货速发 {n}天内发货",
        "Free shipping {P} {C} size {s}, in stock, ships within {n} days",
    ),
]


def fills(seed: int) -> list[tuple[str, str, str]]:
    """Every (source, reference, product rendering) the templates make, shuffled."""
    made = [
        (
            zh.format(p=p, c=c, s=s, n=n),
            en.format(P=pe, C=ce, s=s, n=n),
            pe,
        )
        for (zh, en), (p, pe), (c, ce), s, n in itertools.product(
            TEMPLATES, PRODUCTS, COLOURS, SIZES, range(1, 21)
        )
    ]
    random.Random(seed).shuffle(made)
    return made


def lookup_costs(size: int, queries: list[str], threshold: float) -> dict[str, Any]:
    made = fills(seed=size)
    pairs = [Pair(zh, en) for zh, en, _ in made[:size]]
    started = time.perf_counter()
    index = MemoryIndex("bench", pairs)
    build = time.perf_counter() - started
    near = [zh for zh, _, _ in made[size : size + len(queries)]]
    exact = [pair.source for pair in pairs[: len(queries) // 3]]
    asked = near + exact + queries
    sources = [source.casefold() for source in (p.source for p in pairs)]

    def indexed() -> list[float]:
        return [
            (found[0].score if (found := index.similar(q, threshold, 3)) else 0.0) for q in asked
        ]

    def exhaustive() -> list[float]:
        best = []
        for q in asked:
            found = process.extractOne(q.casefold(), sources, scorer=fuzz.ratio, processor=None,
                                       score_cutoff=threshold * 100)  # fmt: skip
            best.append(round(found[1] / 100, 4) if found else 0.0)
        return best

    timings: dict[str, float] = {}
    scores: dict[str, list[float]] = {}
    for name, run in (("index", indexed), ("exhaustive", exhaustive)):
        started = time.perf_counter()
        scores[name] = run()
        timings[name] = (time.perf_counter() - started) / len(asked) * 1000
    agree = sum(
        abs(a - b) < 1e-4 for a, b in zip(scores["index"], scores["exhaustive"], strict=True)
    )
    return {
        "pairs": len(pairs),
        "queries": len(asked),
        "build_s": round(build, 2),
        "index_ms_per_segment": round(timings["index"], 3),
        "exhaustive_ms_per_segment": round(timings["exhaustive"], 3),
        "speed_up": round(timings["exhaustive"] / timings["index"], 1),
        "same_best_score": round(agree / len(asked), 4),
        "near_queries_matched": sum(s > 0 for s in scores["index"][: len(near)]),
    }


async def engine_calls(count: int) -> dict[str, int]:
    """Exact matches through the cached service: engine calls with the memory and without."""
    made = fills(seed=1)[:count]
    selection = MemorySelection(
        [
            SelectedMemory(
                "m", "bench", 1, "zh", "en", MemoryIndex("m", [Pair(z, e) for z, e, _ in made])
            )
        ]
    )
    counts = {}
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        database = make_engine(url)
        for name, memories in (("with_memory", selection), ("without", MemorySelection())):
            engine = _Counting()
            service = TranslationService(
                engine, make_session_factory(database), Settings(database_url=url)
            )
            plans = plan_segments(
                [z for z, _, _ in made], source="zh", target="en", max_text_chars=2000
            )
            plans = match_memories(plans, memories, threshold=0.75, examples=3)
            await service.translate(plans, TranslateOptions(mode=Mode.DIRECT, use_cache=False))
            await service.aclose()
            counts[name] = engine.calls
        await dispose_engine(database)
    return counts


class _Counting(InstantEngine):
    def __init__(self) -> None:
        self.calls = 0

    async def generate(self, prompts: Any, params: Any) -> Any:
        self.calls += 1
        return await super().generate(prompts, params)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=300, help="Near-duplicate queries.")
    parser.add_argument("--threshold", type=float, default=0.75)
    parser.add_argument("--quality", type=int, default=0, help="Titles to translate on the model.")
    args = parser.parse_args()
    reviews = [s.src for s in load_eval_set(eval_file("zh-en"))][: args.queries]
    report: dict[str, Any] = {
        "lookup": [lookup_costs(n, reviews, args.threshold) for n in args.sizes]
    }
    for row in report["lookup"]:
        print(row)
    report["engine_calls"] = asyncio.run(engine_calls(200))
    print("engine calls for 200 exact matches:", report["engine_calls"])
    if args.quality:
        from bench.memory_quality import quality

        report["quality"] = quality(fills(seed=7), args.quality, args.threshold)
        print(report["quality"])
    print("written to", write_result("memory", report))


if __name__ == "__main__":
    main()
