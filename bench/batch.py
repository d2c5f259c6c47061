"""Catalog jobs: rows/s, engine calls per distinct segment, and orchestration cost per row.

A generated catalog (default 10,000 rows: a title and a two- or three-sentence HTML
description each, about 30% of sentences repeating earlier ones) runs as a real job: stored,
queued on DBOS, chunked, deduplicated, looked up, written back. Three runs in one process:

1. fresh cache, an instant engine: engine calls per distinct segment (repeats must cost 0);
2. the same catalog again, every segment cached (the engine excluded): rows/s and the
   orchestration overhead per row (target < 2 ms), next to the baseline of only reading and
   segmenting the catalog in this process;
3. a small sample on the embedded model (the engine included): rows/s, calls per distinct
   segment, and the time per row spent outside the engine.

Run: `uv run python -m bench.batch [--rows 10000] [--sample 12]`.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import random
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import InstantEngine, write_result
from translator.engines.factory import create_engine
from translator.engines.protocol import Engine
from translator.engines.types import EngineInfo, GenerationResult, SamplingParams
from translator.jobs.catalog import CatalogFormat, read_catalog
from translator.jobs.report import job_progress, wait_for_job
from translator.jobs.runner import ChunkRunner, detect_row, plan_row
from translator.jobs.spec import ColumnSpec, JobSpec
from translator.jobs.submit import create_job
from translator.jobs.workflow import JobRuntime, enqueue_job, launch_jobs, stop_jobs
from translator.settings import Settings
from translator.store.database import dispose_engine, make_engine, make_session_factory
from translator.store.jobs import JobCounts, JobState
from translator.store.migrate import upgrade
from translator.store.models import LOCAL_OWNER
from translator.translating.glossaries import GlossaryResolver
from translator.translating.service import TranslationService

SUBJECTS = ["鞋子", "这件衣服", "裤子", "面料", "包装", "颜色", "尺码", "做工", "鞋底",
            "拉链", "外套", "裙子", "帽子", "袜子", "背包", "口红", "面霜", "耳机", "手机壳",
            "杯子"]  # fmt: skip
QUALITIES = ["很舒服", "质量很好", "太炸了", "很显瘦", "有点小", "偏大一码", "很软", "很结实",
             "和图片一样", "性价比很高", "不起球", "很透气", "很保暖", "不掉色", "很轻",
             "很百搭", "很正", "有异味", "很精致", "一般般", "超级好看", "很耐穿", "很亲肤",
             "不错", "很满意"]  # fmt: skip
ENDINGS = ["。", "！", "，会回购的。", "，推荐购买！", "，好评。", "，客服很耐心。", "，发货很快。",
           "，物流给力。", "，五星好评！", "，值得入手。", "，下次还来。", "，家人很喜欢。",
           "，包装很用心。", "，和描述一致。", "，强烈推荐。"]  # fmt: skip
OPENINGS = ["", "说实话，", "收到了，", "第二次买了，", "总的来说，", "朋友推荐的，", "老实讲，",
            "整体来说，"]  # fmt: skip
SPEC = JobSpec(
    columns=[ColumnSpec("title"), ColumnSpec("description", html=True)],
    target="en",
    id_column="sku",
)


def sentence(index: int) -> str:
    """The `index`-th of 60,000 distinct review sentences."""
    rest, ending = divmod(index, len(ENDINGS))
    rest, quality = divmod(rest, len(QUALITIES))
    opening, subject = divmod(rest, len(SUBJECTS))
    parts = (OPENINGS[opening % len(OPENINGS)], SUBJECTS[subject], QUALITIES[quality])
    return "".join(parts) + ENDINGS[ending]


def generate_catalog(rows: int, repeat_share: float, seed: int = 7) -> bytes:
    """A CSV catalog whose sentences repeat earlier ones with probability `repeat_share`."""
    rng = random.Random(seed)
    used: list[str] = []

    def next_sentence() -> str:
        if used and rng.random() < repeat_share:
            return rng.choice(used)
        used.append(sentence(len(used)))
        return used[-1]

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["sku", "title", "description", "price"])
    for row in range(rows):
        body = "".join(f"<li>{next_sentence()}</li>" for _ in range(rng.choice((2, 3))))
        writer.writerow([f"SKU-{row:06d}", next_sentence(), f"<ul>{body}</ul>", row % 300])
    return buffer.getvalue().encode()


class CountingEngine:
    """The engine with its calls and the seconds spent inside it counted."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.name = engine.name
        self.calls = 0
        self.seconds = 0.0

    async def generate(self, prompts: Sequence[str], params: SamplingParams) -> GenerationResult:
        started = time.perf_counter()
        try:
            return await self._engine.generate(prompts, params)
        finally:
            self.calls += 1
            self.seconds += time.perf_counter() - started

    async def info(self) -> EngineInfo:
        return await self._engine.info()

    async def aclose(self) -> None:
        await self._engine.aclose()


@dataclass
class JobRun:
    rows: int
    seconds: float
    counts: JobCounts
    engine_calls: int
    engine_seconds: float

    def summary(self) -> dict[str, Any]:
        outside = max(self.seconds - self.engine_seconds, 0.0)
        unique = self.counts.unique_segments
        return {
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows / self.seconds, 1),
            "segments": self.counts.segments,
            "unique_segments": unique,
            "repeat_share": round(self.counts.deduplicated / max(self.counts.segments, 1), 3),
            "cached": self.counts.cached,
            "engine_translated": self.counts.translated,
            "engine_calls": self.engine_calls,
            "engine_calls_per_unique_segment": round(self.engine_calls / max(unique, 1), 3),
            "engine_seconds": round(self.engine_seconds, 3),
            "ms_per_row_outside_engine": round(1000 * outside / self.rows, 3),
        }


async def run_job(settings: Settings, engine: CountingEngine, data: bytes) -> JobRun:
    """Store, queue and run one job to the end, timed from queueing to its last row."""
    database = make_engine(settings.database_url)
    sessions = make_session_factory(database)
    glossaries = GlossaryResolver()
    service = TranslationService(engine, sessions, settings)

    async def provide() -> TranslationService:
        return service

    try:
        async with sessions() as session, session.begin():
            job = await create_job(
                session,
                glossaries,
                settings,
                owner=LOCAL_OWNER,
                file_name="catalog.csv",
                data=data,
                spec=SPEC,
            )
        runner = ChunkRunner(provide, sessions, settings, glossaries)
        await launch_jobs(JobRuntime.of(runner, sessions, settings), settings)
        calls, seconds = engine.calls, engine.seconds
        started = time.perf_counter()
        await enqueue_job(job.id)
        current = await wait_for_job(sessions, job.id, poll_seconds=0.02)
        elapsed = time.perf_counter() - started
        async with sessions() as session:
            progress = await job_progress(session, current)
        assert current.state == JobState.COMPLETED, current.error
        return JobRun(
            job.total_rows,
            elapsed,
            progress.counts,
            engine.calls - calls,
            engine.seconds - seconds,
        )
    finally:
        stop_jobs()
        await service.aclose()
        await dispose_engine(database)


def planning_baseline(data: bytes, settings: Settings) -> float:
    """Seconds to only read and segment the catalog: the floor any job runner pays."""
    started = time.perf_counter()
    catalog = read_catalog(data, CatalogFormat.CSV, max_rows=settings.jobs_max_rows)
    for row in catalog.rows:
        plan_row(row.values, SPEC, settings, language=detect_row(row.values, SPEC))
    return time.perf_counter() - started


async def main(args: argparse.Namespace) -> dict[str, Any]:
    directory = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    url = f"sqlite+aiosqlite:///{directory / 'bench.db'}"
    await asyncio.to_thread(upgrade, url)
    settings = Settings(database_url=url, cache_dir=directory, jobs_concurrency=args.concurrency)
    data = generate_catalog(args.rows, args.repeat_share)
    instant = CountingEngine(InstantEngine())
    fresh = await run_job(settings, instant, data)
    cached = await run_job(settings, instant, data)
    baseline = planning_baseline(data, settings)
    results: dict[str, Any] = {
        "fresh_cache_instant_engine": fresh.summary(),
        "all_cached_engine_excluded": cached.summary(),
        "baseline_read_and_segment_ms_per_row": round(1000 * baseline / args.rows, 3),
    }
    results["overhead_ratio_vs_baseline"] = round(cached.seconds / baseline, 2)
    if args.sample:
        model = CountingEngine(create_engine(Settings()))
        sample_settings = settings.model_copy(update={"jobs_concurrency": 1})
        sample = generate_catalog(args.sample, args.repeat_share, seed=11)
        try:
            results["embedded_engine_sample"] = (
                await run_job(sample_settings, model, sample)
            ).summary()
        finally:
            await model.aclose()
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat-share", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--sample", type=int, default=12, help="rows on the real model; 0: skip")
    outcome = asyncio.run(main(parser.parse_args()))
    path = write_result("batch", outcome)
    for name, value in outcome.items():
        print(f"{name}: {value}")
    print(f"written to {path}")
