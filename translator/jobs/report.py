"""What a job looks like from outside: its progress (counts, throughput, ETA) and its results.

Results are the catalog as uploaded, in its own format, with one column per translated column
(`title` → `title_en`) and a `translation_error` column naming why a row was not translated;
every row is there once, in file order. Rows not finished yet (a cancelled job) have empty
translated cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from translator.jobs.catalog import CatalogFormat, write_catalog
from translator.jobs.spec import JobSpec
from translator.store.jobs import JobCounts, count_job, elapsed_seconds, load_rows
from translator.store.models import Job, JobRow, utc_now

__all__ = ["ERROR_COLUMN", "JobProgress", "job_progress", "job_results", "result_header"]

ERROR_COLUMN = "translation_error"
_READ_ROWS = 5000


@dataclass(frozen=True, slots=True)
class JobProgress:
    job: Job
    counts: JobCounts
    elapsed_seconds: float | None
    rows_per_second: float | None
    eta_seconds: float | None


async def job_progress(session: AsyncSession, job: Job) -> JobProgress:
    counts = await count_job(session, job.id)
    elapsed = elapsed_seconds(job, utc_now())
    finished = counts.rows_done + counts.rows_failed
    rate = finished / elapsed if elapsed and finished else None
    eta = (job.total_rows - finished) / rate if rate and job.finished_at is None else None
    return JobProgress(job, counts, elapsed, rate, eta)


def result_header(job: Job) -> tuple[list[str], dict[str, str], str]:
    """The results' columns, each translated column's output name, and the error column's."""
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
    error = fresh(ERROR_COLUMN)
    return [*columns, *outputs.values(), error], outputs, error


async def job_results(session: AsyncSession, job: Job) -> bytes:
    """The whole results file."""
    header, outputs, error_column = result_header(job)
    spec = JobSpec.from_json(job.options)
    rows: list[dict[str, Any]] = []
    for start in range(0, job.total_rows, _READ_ROWS):
        for row in await load_rows(session, job.id, start, start + _READ_ROWS):
            rows.append(_result_row(row, spec, outputs, error_column))
    return write_catalog(
        CatalogFormat(job.file_format),
        header,
        rows,
        delimiter=job.layout.get("delimiter", ","),
    )


def _result_row(
    row: JobRow, spec: JobSpec, outputs: dict[str, str], error_column: str
) -> dict[str, Any]:
    values = dict(row.values)
    translated = row.translated or {}
    for column in spec.columns:
        values[outputs[column.name]] = translated.get(spec.output_column(column.name))
    values[error_column] = row.error
    return values
