"""Catalog jobs on a real SQLite file and a real PostgreSQL: the store, and a whole job run by
DBOS with its workflow state in the same backend (a SQLite file beside, or the same database)."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url

from tests.api.engines import EchoEngine, echo_translation
from tests.integration.conftest import Sessions
from translator.jobs.report import job_progress, job_results, wait_for_job
from translator.jobs.runner import ChunkRunner
from translator.jobs.spec import ColumnSpec, JobSpec
from translator.jobs.submit import create_job, spec_digest
from translator.jobs.workflow import (
    JobRuntime,
    enqueue_job,
    jobs_database_url,
    launch_jobs,
    stop_jobs,
)
from translator.settings import Settings
from translator.store.jobs import (
    JobCounts,
    JobState,
    RowUpdate,
    SegmentResult,
    count_job,
    count_jobs,
    find_unfinished_job,
    new_segments,
    save_rows,
    save_segments,
    set_state,
)
from translator.store.models import Job
from translator.translating.glossaries import GlossaryResolver
from translator.translating.service import TranslationService

pytestmark = pytest.mark.integration

CATALOG = "sku,title\nA,质量很好！发货快。\nB,发货快。\nC,质量很好！\nD,\nE,包装很用心。\n".encode()
SPEC = JobSpec(columns=[ColumnSpec("title")], target="en", id_column="sku")


async def store_job(sessions: Sessions, settings: Settings, owner: str = "local") -> Job:
    async with sessions() as session, session.begin():
        return await create_job(
            session,
            GlossaryResolver(),
            settings,
            owner=owner,
            file_name="titles.csv",
            data=CATALOG,
            spec=SPEC,
        )


async def test_a_job_runs_to_the_end_on_each_backend(
    database_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    settings = Settings(database_url=database_url, cache_dir=tmp_path, jobs_chunk_rows=2)
    job = await store_job(sessions, settings)
    engine = EchoEngine()
    service = TranslationService(engine, sessions, settings)

    async def provide() -> TranslationService:
        return service

    runner = ChunkRunner(provide, sessions, settings, GlossaryResolver())
    await launch_jobs(JobRuntime.of(runner, sessions, settings), settings)
    try:
        await enqueue_job(job.id)
        await enqueue_job(job.id)  # the same workflow id (DBOS runs one workflow per id)
        current = await asyncio.wait_for(wait_for_job(sessions, job.id), timeout=60)
        waiting = await store_job(sessions, settings)  # never enqueued
        async with sessions() as session:
            progress = await job_progress(session, current)
            content = await job_results(session, current)
            together = await count_jobs(session, [job.id, waiting.id])
    finally:
        stop_jobs()
        await service.aclose()
    assert current.state == JobState.COMPLETED
    assert progress.counts.unique_segments == 3 and progress.counts.deduplicated == 2
    assert engine.calls == 3
    assert together == {job.id: progress.counts, waiting.id: JobCounts(0, 0, 0, 0, 0, 0)}
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    assert [row["sku"] for row in rows] == ["A", "B", "C", "D", "E"]
    good, fast = echo_translation("质量很好！"), echo_translation("发货快。")
    assert rows[0]["title_en"] == f"{good} {fast}"
    assert rows[3]["title_en"] == ""


def test_workflow_state_lives_beside_the_cache(tmp_path: Path) -> None:
    sqlite = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/t.db", cache_dir=tmp_path)
    assert jobs_database_url(sqlite) == f"sqlite:///{tmp_path}/t-jobs.db"
    postgres = Settings(database_url="postgresql+asyncpg://u:p@db:5432/shop", cache_dir=tmp_path)
    assert make_url(jobs_database_url(postgres)).drivername == "postgresql+psycopg"
    assert make_url(jobs_database_url(postgres)).password == "p"
    given = postgres.model_copy(update={"jobs_database_url": "postgresql://u@other/jobs"})
    assert jobs_database_url(given) == "postgresql://u@other/jobs"


async def test_rewritten_rows_and_segments_count_once(
    database_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    settings = Settings(database_url=database_url, cache_dir=tmp_path)
    job = await store_job(sessions, settings)
    update = RowUpdate(position=0, translated={"title_en": "Good"}, error=None, segments=2)
    async with sessions() as session, session.begin():
        await new_segments(session, job.id, ["k1", "k2"])
        await set_state(session, job.id, JobState.RUNNING)
    for _ in range(2):  # a chunk that runs again after a crash writes the same rows again
        async with sessions() as session, session.begin():
            await save_rows(session, job.id, [update])
            await save_segments(session, job.id, [SegmentResult("k1", "Good", "cache")])
    async with sessions() as session, session.begin():
        await save_segments(session, job.id, [SegmentResult("k2", "Fast", "engine")])
        counts = await count_job(session, job.id)
    assert (counts.rows_done, counts.segments, counts.unique_segments) == (1, 2, 2)
    assert (counts.cached, counts.translated) == (1, 1)


async def test_rows_with_qa_findings_are_kept_and_counted_on_each_backend(
    database_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    settings = Settings(database_url=database_url, cache_dir=tmp_path)
    job = await store_job(sessions, settings)
    finding: dict[str, Any] = {"column": "title_en", "kind": "number", "problem": "missing"}
    finding |= {"severity": "error", "source": "2", "start": 3, "end": 4, "found": None}
    updates = [
        RowUpdate(0, {"title_en": "Good"}, None, 1, [finding]),
        RowUpdate(1, {"title_en": "Fast"}, None, 1),  # clean: stored as NULL
        RowUpdate(2, None, "title: too long", 0),
    ]
    async with sessions() as session, session.begin():
        await save_rows(session, job.id, updates)
        counts = await count_job(session, job.id)
        content = await job_results(session, job)
    assert (counts.rows_done, counts.rows_failed, counts.rows_with_findings) == (2, 1, 1)
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    assert [row["qa"] for row in rows[:3]] == ["title_en: number 2 missing", "", ""]


async def test_unfinished_jobs_are_found_by_file_and_options(
    database_url: str, sessions: Sessions, tmp_path: Path
) -> None:
    settings = Settings(database_url=database_url, cache_dir=tmp_path)
    job = await store_job(sessions, settings)
    digest = spec_digest(CATALOG, SPEC)
    async with sessions() as session, session.begin():
        found = await find_unfinished_job(session, "local", digest)
        other_owner = await find_unfinished_job(session, "key-b", digest)
        other_options = await find_unfinished_job(
            session, "local", spec_digest(CATALOG, JobSpec(columns=SPEC.columns, target="de"))
        )
        assert await set_state(session, job.id, JobState.COMPLETED)
        assert not await set_state(session, job.id, JobState.CANCELLED)  # already finished
        after = await find_unfinished_job(session, "local", digest)
    assert found is not None and found.id == job.id
    assert other_owner is None and other_options is None and after is None
