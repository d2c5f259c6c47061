"""What a job looks like from outside: its progress (counts, throughput, ETA) and its results.

Results are the catalog as uploaded, in its own format, with one column per translated column
(`title` → `title_en`), a `translation_error` column naming why a row was not translated and a
`qa` column with what the QA checks found in the row's translations (in JSONL a list of
findings, each naming its column; in CSV and XLSX one line, `title_en: number 2,180 changed to
2108; ...`); every row is there once, in file order. Rows not finished yet (a cancelled job)
have empty translated cells.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from translator.jobs.catalog import CatalogFormat, write_catalog
from translator.jobs.spec import JobSpec
from translator.store.jobs import (
    JobCounts,
    JobState,
    count_job,
    count_jobs,
    elapsed_seconds,
    find_job,
    load_rows,
)
from translator.store.models import Job, JobRow, utc_now
from translator.text.languages import AUTO
from translator.text.qa import QaFinding

__all__ = [
    "ERROR_COLUMN",
    "LANGUAGE_COLUMN",
    "QA_COLUMN",
    "JobCountsOut",
    "JobOut",
    "JobProgress",
    "ResultColumns",
    "job_out",
    "job_progress",
    "job_results",
    "jobs_progress",
    "result_header",
    "wait_for_job",
]

ERROR_COLUMN = "translation_error"
QA_COLUMN = "qa"
LANGUAGE_COLUMN = "other_language"
"""Names the detected language of a row that is not in the job's majority language."""
_READ_ROWS = 5000


@dataclass(frozen=True, slots=True)
class JobProgress:
    job: Job
    counts: JobCounts
    elapsed_seconds: float | None
    rows_per_second: float | None
    eta_seconds: float | None


async def wait_for_job(
    sessions: async_sessionmaker[AsyncSession], job_id: str, *, poll_seconds: float = 0.05
) -> Job:
    """The job once it has finished (for callers that run jobs in their own process)."""
    while True:
        async with sessions() as session:
            job = await find_job(session, job_id)
        if job is None:
            raise LookupError(f"no job {job_id!r}")
        if job.state in JobState.FINISHED:
            return job
        await asyncio.sleep(poll_seconds)


async def job_progress(session: AsyncSession, job: Job) -> JobProgress:
    return _progress(job, await count_job(session, job.id))


async def jobs_progress(session: AsyncSession, jobs: Sequence[Job]) -> list[JobProgress]:
    """The progress of many jobs, counted together."""
    counts = await count_jobs(session, [job.id for job in jobs])
    return [_progress(job, counts[job.id]) for job in jobs]


def _progress(job: Job, counts: JobCounts) -> JobProgress:
    elapsed = elapsed_seconds(job, utc_now())
    finished = counts.rows_done + counts.rows_failed
    rate = finished / elapsed if elapsed and finished else None
    eta = (job.total_rows - finished) / rate if rate and job.finished_at is None else None
    return JobProgress(job, counts, elapsed, rate, eta)


@dataclass(frozen=True, slots=True)
class ResultColumns:
    """The results' columns: the catalog's, one per translated column, then the notes (each
    named fresh if the catalog had it)."""

    header: list[str]
    outputs: dict[str, str]
    """Each translated column's output column."""
    error: str
    qa: str
    language: str | None
    """Where a row's detected language is named when it differs from the job's majority
    (jobs with `source=auto` only)."""


def result_header(job: Job) -> ResultColumns:
    """The results' columns: the catalog's, the translations, the error, the QA, the language."""
    columns: list[str] = list(job.layout["columns"])
    taken = set(columns)

    def fresh(name: str) -> str:
        candidate, number = name, 2
        while candidate in taken:
            candidate, number = f"{name}_{number}", number + 1
        taken.add(candidate)
        return candidate

    spec = JobSpec.from_json(job.options)
    outputs = {c.name: fresh(spec.output_column(c.name)) for c in spec.columns}
    error, qa = fresh(ERROR_COLUMN), fresh(QA_COLUMN)
    language = fresh(LANGUAGE_COLUMN) if spec.source == AUTO else None
    notes = [error, qa] if language is None else [error, qa, language]
    return ResultColumns([*columns, *outputs.values(), *notes], outputs, error, qa, language)


async def job_results(session: AsyncSession, job: Job) -> bytes:
    """The whole results file."""
    columns = result_header(job)
    spec = JobSpec.from_json(job.options)
    file_format = CatalogFormat(job.file_format)
    majority = (await count_job(session, job.id)).majority_language
    rows: list[dict[str, Any]] = []
    for start in range(0, job.total_rows, _READ_ROWS):
        for row in await load_rows(session, job.id, start, start + _READ_ROWS):
            rows.append(_result_row(row, spec, columns, file_format, majority))
    return write_catalog(
        file_format,
        columns.header,
        rows,
        delimiter=job.layout.get("delimiter", ","),
    )


def _result_row(
    row: JobRow,
    spec: JobSpec,
    columns: ResultColumns,
    file_format: CatalogFormat,
    majority: str | None,
) -> dict[str, Any]:
    values = dict(row.values)
    translated = row.translated or {}
    for column in spec.columns:
        values[columns.outputs[column.name]] = translated.get(spec.output_column(column.name))
    values[columns.error] = row.error
    values[columns.qa] = _qa_value(row, file_format)
    if columns.language is not None:
        values[columns.language] = row.language if row.language != majority else None
    return values


def _qa_value(row: JobRow, file_format: CatalogFormat) -> Any:
    """A done row's findings: a list in JSONL (empty when clean), a line in CSV and XLSX."""
    if row.state != "done":
        return None
    findings = row.qa or []
    if file_format is CatalogFormat.JSONL:
        return findings
    messages = (f"{f['column']}: {QaFinding.from_dict(f).message}" for f in findings)
    return "; ".join(messages) or None


class JobCountsOut(msgspec.Struct):
    rows_total: int
    rows_done: int
    rows_failed: int
    segments: int
    unique_segments: int
    cached: int
    translated: int
    deduplicated: int
    memory: int
    rows_with_findings: int


class JobOut(msgspec.Struct):
    id: str
    state: str
    file_name: str
    format: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    options: dict[str, Any]
    counts: JobCountsOut
    languages: dict[str, int]
    """Rows per detected language, most first (`source=auto`); the first is the majority."""
    other_language_rows: int
    """Rows whose language differs from the majority (named in the results' `other_language`)."""
    rows_per_second: float | None
    eta_seconds: float | None
    error: str | None
    results_url: str


def job_out(progress: JobProgress) -> JobOut:
    job, counts = progress.job, progress.counts
    return JobOut(
        id=job.id,
        state=job.state,
        file_name=job.file_name,
        format=job.file_format,
        created_at=job.created_at.isoformat(),
        started_at=job.started_at.isoformat() if job.started_at else None,
        finished_at=job.finished_at.isoformat() if job.finished_at else None,
        options=job.options,
        counts=JobCountsOut(
            rows_total=job.total_rows,
            rows_done=counts.rows_done,
            rows_failed=counts.rows_failed,
            segments=counts.segments,
            unique_segments=counts.unique_segments,
            cached=counts.cached,
            translated=counts.translated,
            deduplicated=counts.deduplicated,
            memory=counts.from_memory,
            rows_with_findings=counts.rows_with_findings,
        ),
        languages=counts.languages,
        other_language_rows=sum(counts.languages.values())
        - max(counts.languages.values(), default=0),
        rows_per_second=_rounded(progress.rows_per_second),
        eta_seconds=_rounded(progress.eta_seconds),
        error=job.error,
        results_url=f"/v1/jobs/{job.id}/results",
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
