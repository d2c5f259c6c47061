"""Reading and writing catalog jobs, their rows and their distinct segments.

Writes are per chunk and idempotent: rows are keyed by position and segments by key, so a chunk
that runs again after a crash overwrites what it wrote before instead of adding to it. Counts
are computed from the rows and segments rather than kept in counters for the same reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from translator.store.models import Job, JobRow, JobSegment, utc_now
from translator.store.repository import IN_BATCH, in_batches

__all__ = [
    "JobCounts",
    "JobState",
    "RowUpdate",
    "SegmentResult",
    "count_job",
    "count_jobs",
    "elapsed_seconds",
    "find_job",
    "find_unfinished_job",
    "insert_job",
    "list_jobs",
    "load_rows",
    "load_segments",
    "new_segments",
    "save_rows",
    "save_segments",
    "set_state",
]


class JobState:
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"
    FINISHED = frozenset({COMPLETED, CANCELLED, FAILED})


@dataclass(frozen=True, slots=True)
class JobCounts:
    rows_done: int
    rows_failed: int
    segments: int
    """Segments in the rows done so far, repeats included."""
    unique_segments: int
    cached: int
    translated: int
    from_memory: int = 0
    """Segments answered by an exact translation memory match."""
    rows_with_findings: int = 0
    """Rows done whose translations the QA checks found something in."""
    languages: dict[str, int] = field(default_factory=dict)
    """Rows per detected language, most rows first (jobs with `source=auto`)."""

    @property
    def majority_language(self) -> str | None:
        """The language most of the catalog's rows are in (None before any row is detected)."""
        return next(iter(self.languages), None)

    @property
    def deduplicated(self) -> int:
        """Segment occurrences that needed no work of their own (repeats within the job)."""
        return max(self.segments - self.unique_segments, 0)


@dataclass(frozen=True, slots=True)
class RowUpdate:
    position: int
    translated: dict[str, str] | None
    error: str | None
    segments: int
    qa: list[dict[str, Any]] | None = None
    """QA findings of the row's cells (each with its `column`); None when there are none."""
    language: str | None = None
    """The row's detected language (None when the job's source is fixed)."""


@dataclass(frozen=True, slots=True)
class SegmentResult:
    key: str
    translation: str | None
    origin: str
    error: str | None = None


async def insert_job(
    session: AsyncSession, job: Job, rows: Sequence[tuple[int, Mapping[str, Any]]]
) -> None:
    """Add the job and all its rows (line, values) in the caller's transaction."""
    session.add(job)
    await session.flush()
    for start in range(0, len(rows), IN_BATCH):
        await session.execute(
            insert(JobRow),
            [
                {
                    "job_id": job.id,
                    "position": start + offset,
                    "line": line,
                    "values": dict(values),
                    "state": "pending",
                    "segments": 0,
                }
                for offset, (line, values) in enumerate(rows[start : start + IN_BATCH])
            ],
        )


async def find_job(session: AsyncSession, job_id: str, owner: str | None = None) -> Job | None:
    """The job, or None when there is none (or it is someone else's, given `owner`)."""
    job = await session.get(Job, job_id)
    if job is None or (owner is not None and job.owner != owner):
        return None
    return job


async def find_unfinished_job(session: AsyncSession, owner: str, digest: str) -> Job | None:
    """The newest unfinished job of `owner` for the same file and options, if any."""
    result = await session.execute(
        select(Job)
        .where(
            Job.owner == owner,
            Job.file_digest == digest,
            Job.state.not_in(JobState.FINISHED),
        )
        .order_by(Job.created_at.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def list_jobs(session: AsyncSession, owner: str, limit: int = 100) -> list[Job]:
    result = await session.execute(
        select(Job).where(Job.owner == owner).order_by(Job.created_at.desc()).limit(limit)
    )
    return list(result.scalars())


async def set_state(
    session: AsyncSession, job_id: str, state: str, *, error: str | None = None
) -> bool:
    """Move an unfinished job to `state`; False when it had already finished."""
    now = utc_now()
    values: dict[str, Any] = {"state": state}
    if state == JobState.RUNNING:
        values["started_at"] = func.coalesce(Job.started_at, now)
    if state in JobState.FINISHED:
        values["finished_at"] = now
    if error is not None:
        values["error"] = error
    result = await session.execute(
        update(Job).where(Job.id == job_id, Job.state.not_in(JobState.FINISHED)).values(**values)
    )
    return bool(getattr(result, "rowcount", 0))


async def count_job(session: AsyncSession, job_id: str) -> JobCounts:
    return (await count_jobs(session, [job_id]))[job_id]


async def count_jobs(session: AsyncSession, job_ids: Sequence[str]) -> dict[str, JobCounts]:
    """Each job's counts, from two grouped queries however many jobs there are."""
    rows: dict[str, dict[str, int]] = {job_id: {} for job_id in job_ids}
    occurrences = dict.fromkeys(job_ids, 0)
    with_findings = dict.fromkeys(job_ids, 0)
    for job_id, state, count, segments, flagged in await session.execute(
        select(
            JobRow.job_id,
            JobRow.state,
            func.count(),
            func.coalesce(func.sum(JobRow.segments), 0),
            func.count(JobRow.qa),
        )
        .where(JobRow.job_id.in_(job_ids))
        .group_by(JobRow.job_id, JobRow.state)
    ):
        rows[job_id][state] = count
        if state != "pending":
            occurrences[job_id] += int(segments)
        if state == "done":
            with_findings[job_id] = int(flagged)
    unique = dict.fromkeys(job_ids, 0)
    done: dict[str, dict[str | None, int]] = {job_id: {} for job_id in job_ids}
    for job_id, state, origin, count in await session.execute(
        select(JobSegment.job_id, JobSegment.state, JobSegment.origin, func.count())
        .where(JobSegment.job_id.in_(job_ids))
        .group_by(JobSegment.job_id, JobSegment.state, JobSegment.origin)
    ):
        unique[job_id] += count
        if state == "done":
            done[job_id][origin] = count
    languages: dict[str, list[tuple[int, str]]] = {job_id: [] for job_id in job_ids}
    for job_id, language, count in await session.execute(
        select(JobRow.job_id, JobRow.language, func.count())
        .where(JobRow.job_id.in_(job_ids), JobRow.language.is_not(None))
        .group_by(JobRow.job_id, JobRow.language)
    ):
        if language is not None:  # (the query leaves None out; this tells the type checker)
            languages[job_id].append((-count, language))
    return {
        job_id: JobCounts(
            rows_done=rows[job_id].get("done", 0),
            rows_failed=rows[job_id].get("failed", 0),
            segments=occurrences[job_id],
            unique_segments=unique[job_id],
            cached=done[job_id].get("cache", 0),
            translated=done[job_id].get("engine", 0),
            from_memory=done[job_id].get("memory", 0),
            rows_with_findings=with_findings[job_id],
            languages={language: -count for count, language in sorted(languages[job_id])},
        )
        for job_id in job_ids
    }


async def load_rows(
    session: AsyncSession, job_id: str, start: int, stop: int, *, pending_only: bool = False
) -> list[JobRow]:
    query = select(JobRow).where(
        JobRow.job_id == job_id, JobRow.position >= start, JobRow.position < stop
    )
    if pending_only:
        query = query.where(JobRow.state == "pending")
    result = await session.execute(query.order_by(JobRow.position))
    return list(result.scalars())


async def load_segments(
    session: AsyncSession, job_id: str, keys: Sequence[str]
) -> dict[str, JobSegment]:
    """The job's segments among `keys`, by key."""
    found: dict[str, JobSegment] = {}
    for batch in in_batches(keys):
        result = await session.execute(
            select(JobSegment).where(JobSegment.job_id == job_id, JobSegment.key.in_(batch))
        )
        found.update((segment.key, segment) for segment in result.scalars())
    return found


async def new_segments(session: AsyncSession, job_id: str, keys: Sequence[str]) -> None:
    """Record segments seen for the first time in this job, still to translate."""
    for batch in in_batches(keys):
        await session.execute(
            insert(JobSegment),
            [{"job_id": job_id, "key": key, "state": "pending", "engine_runs": 0} for key in batch],
        )


async def save_segments(
    session: AsyncSession, job_id: str, results: Sequence[SegmentResult]
) -> None:
    """Store translated (or failed) segments; an engine result also counts one engine run.

    Results from the cache are written in one statement (a chunk may have hundreds).
    """
    found = [r for r in results if r.origin != "engine"]
    if found:
        await session.execute(
            update(JobSegment),
            [{"job_id": job_id, "key": r.key, **_segment_values(r)} for r in found],
        )
    for result in results:
        if result.origin == "engine":
            await session.execute(
                update(JobSegment)
                .where(JobSegment.job_id == job_id, JobSegment.key == result.key)
                .values(**_segment_values(result), engine_runs=JobSegment.engine_runs + 1)
            )


def _segment_values(result: SegmentResult) -> dict[str, Any]:
    return {
        "state": "done" if result.error is None else "failed",
        "translation": result.translation,
        "origin": result.origin,
        "error": result.error,
    }


async def save_rows(session: AsyncSession, job_id: str, rows: Sequence[RowUpdate]) -> None:
    """Write finished rows by position (writing one again replaces it)."""
    if not rows:
        return
    await session.execute(
        update(JobRow),
        [
            {
                "job_id": job_id,
                "position": row.position,
                "state": "done" if row.error is None else "failed",
                "translated": row.translated,
                "error": row.error,
                "segments": row.segments,
                "qa": row.qa,
                "language": row.language,
            }
            for row in rows
        ],
    )


def elapsed_seconds(job: Job, now: datetime) -> float | None:
    """Seconds the job has been running (until it finished), or None before it started."""
    if job.started_at is None:
        return None
    end = job.finished_at or now
    return max((end - job.started_at).total_seconds(), 0.0)
