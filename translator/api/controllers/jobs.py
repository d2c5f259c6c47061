"""`/v1/jobs`: upload a catalog to translate, follow it, cancel it, download the results.

An upload is a multipart form: the file (`.csv`, `.jsonl` or `.xlsx`) and the column mapping
as plain fields, so `curl -F file=@catalog.csv -F columns=title,description -F target=en`
works. The whole file is checked before anything is stored; a bad file answers 400 naming
`file` and the line. Jobs belong to the API key that made them (see `owner_of`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.params import Body, PathParameter, QueryParameter

from translator.api.auth import owner_of
from translator.api.downloads import attachment
from translator.api.links import OperationId, job_links, linked
from translator.api.problems import handle_upload_exception, problem_responses
from translator.api.state import AppStateDependency
from translator.api.translating import default_memory
from translator.jobs.catalog import MEDIA_TYPES, CatalogFormat
from translator.jobs.report import JobOut, job_out, job_progress, job_results, jobs_progress
from translator.jobs.spec import JobSpec, parse_columns
from translator.jobs.submit import create_job
from translator.jobs.workflow import cancel_job, enqueue_job
from translator.prompting.modes import Mode
from translator.search.config import BudgetName
from translator.store.jobs import JobState, find_job, list_jobs, set_state
from translator.store.models import Job

__all__ = ["JobList", "job_routes"]


class JobList(msgspec.Struct):
    jobs: list[JobOut]


JobId = Annotated[str, PathParameter(max_length=36, description="The job's id.")]


@dataclass
class JobUpload:
    """The form of `POST /v1/jobs`."""

    file: UploadFile
    columns: str
    """Columns to translate, comma-separated: `title,description`."""
    target: str
    html_columns: str = ""
    """Those of `columns` holding HTML (only their text is translated)."""
    id_column: str | None = None
    """A column of unique row ids (checked at upload)."""
    source: str = "auto"
    mode: Mode = Mode.DIRECT
    budget: BudgetName | None = None
    glossary: str = ""
    """Glossary ids or names, comma-separated, earlier ones first."""
    builtin_glossary: bool = True
    memory: str = ""
    """Translation memory ids or names, comma-separated; none: the key's default memory."""


async def _owned_job(
    app_state: AppStateDependency, request: Request[Any, Any, Any], job_id: str
) -> Job:
    async with app_state.sessions() as session:
        job = await find_job(session, job_id, owner_of(request))
    if job is None:
        raise NotFoundException(f"no job {job_id!r}")
    return job


async def _progress(app_state: AppStateDependency, job: Job) -> JobOut:
    async with app_state.sessions() as session:
        return job_out(await job_progress(session, job))


def job_routes(max_upload_bytes: int) -> list[HTTPRouteHandler]:
    """The job routes, accepting uploads up to `max_upload_bytes`."""

    @post(
        "/jobs",
        status_code=202,
        summary="Upload a catalog to translate",
        tags=["jobs"],
        operation_class=linked(202, job_links()),
        request_max_body_size=max_upload_bytes,
        responses=problem_responses(400, 401, 403, 413, 429, 503),
        exception_handlers={Exception: handle_upload_exception},
    )
    async def submit_job(
        app_state: AppStateDependency,
        request: Request[Any, Any, Any],
        data: Annotated[JobUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> JobOut:
        """Check the catalog and the mapping, store the job, queue it; 202 with its status."""
        spec = JobSpec(
            columns=parse_columns(data.columns, data.html_columns),
            target=data.target,
            source=data.source,
            id_column=data.id_column or None,
            mode=data.mode,
            budget=data.budget,
            glossaries=[g.strip() for g in data.glossary.split(",") if g.strip()],
            builtin_glossary=data.builtin_glossary,
            memories=[m.strip() for m in data.memory.split(",") if m.strip()],
        )
        content = await data.file.read()
        async with app_state.sessions() as session, session.begin():
            job = await create_job(
                session,
                app_state.glossaries,
                app_state.settings,
                owner=owner_of(request),
                file_name=data.file.filename or "catalog.csv",
                data=content,
                spec=spec,
                memories=app_state.memories,
                default_memory=default_memory(app_state, request),
            )
        try:
            await enqueue_job(job.id)
        except Exception:
            async with app_state.sessions() as session, session.begin():
                await set_state(session, job.id, JobState.FAILED, error="could not be queued")
            raise
        return await _progress(app_state, job)

    return [submit_job, list_jobs_route, get_job, job_results_route, cancel_job_route]


@get("/jobs", summary="The caller's jobs, newest first", tags=["jobs"])
async def list_jobs_route(
    app_state: AppStateDependency,
    request: Request[Any, Any, Any],
    limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
) -> JobList:
    async with app_state.sessions() as session:
        jobs = await list_jobs(session, owner_of(request), limit)
        return JobList([job_out(progress) for progress in await jobs_progress(session, jobs)])


@get(
    "/jobs/{job_id:str}",
    summary="A job's state, counts, throughput and ETA",
    tags=["jobs"],
    operation_id=OperationId.GET_JOB,
    operation_class=linked(200, job_links()),
    responses=problem_responses(404),
)
async def get_job(
    app_state: AppStateDependency, request: Request[Any, Any, Any], job_id: JobId
) -> JobOut:
    return await _progress(app_state, await _owned_job(app_state, request, job_id))


@get(
    "/jobs/{job_id:str}/results",
    summary="The catalog with its translated columns, in the uploaded format",
    tags=["jobs"],
    operation_id=OperationId.GET_JOB_RESULTS,
    responses=problem_responses(404, 409),
)
async def job_results_route(
    app_state: AppStateDependency,
    request: Request[Any, Any, Any],
    job_id: JobId,
    partial: Annotated[
        bool, QueryParameter(description="Give the rows done so far of an unfinished job.")
    ] = False,
) -> Response[bytes]:
    job = await _owned_job(app_state, request, job_id)
    if job.state not in JobState.FINISHED and not partial:
        raise HTTPException(
            status_code=409,
            detail=f"the job is {job.state}; add ?partial=true for rows done so far",
        )
    async with app_state.sessions() as session:
        content = await job_results(session, job)
    file_format = CatalogFormat(job.file_format)
    stem = job.file_name.rsplit(".", 1)[0]
    name = f"{stem}.{JobSpec.from_json(job.options).target}.{file_format.value}"
    return attachment(content, MEDIA_TYPES[file_format], name)


@post(
    "/jobs/{job_id:str}/cancel",
    status_code=200,
    summary="Stop a job; rows already translated stay in its results",
    tags=["jobs"],
    operation_id=OperationId.CANCEL_JOB,
    responses=problem_responses(404, 409),
)
async def cancel_job_route(
    app_state: AppStateDependency, request: Request[Any, Any, Any], job_id: JobId
) -> JobOut:
    job = await _owned_job(app_state, request, job_id)
    async with app_state.sessions() as session, session.begin():
        cancelled = await set_state(session, job.id, JobState.CANCELLED)
    if not cancelled:
        raise HTTPException(status_code=409, detail=f"the job has already {job.state}")
    await cancel_job(job.id)
    return await _progress(app_state, await _owned_job(app_state, request, job_id))
