"""Catalog jobs as DBOS durable workflows: a queue, one workflow per job, one step per chunk.

DBOS keeps each workflow's progress in its own tables (a SQLite file beside the cache by
default, the same PostgreSQL database when the cache is there), so when a worker dies, the
next start of a worker with the same executor id resumes its jobs from the first chunk that
had not finished; chunk results already written are found again, and segments already
translated are never sent to the engine twice (see `translator.jobs.runner`). Jobs wait on
one queue; every worker process listens to it, which is all that scaling out takes.

DBOS is one per process. `launch` is called from the process's event loop, so the workflows
run on that loop, beside the translation service they use.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from pathlib import Path

from dbos import DBOS, DBOSConfig, Queue, SetWorkflowID, StepOptions
from dbos import error as dbos_errors
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from translator.engines.errors import EngineError
from translator.jobs.runner import ChunkRunner, JobCancelled
from translator.settings import EngineKind, Settings
from translator.store.jobs import JobState, find_job, set_state

__all__ = [
    "JOB_QUEUE",
    "JobRuntime",
    "cancel_job",
    "default_concurrency",
    "enqueue_job",
    "jobs_database_url",
    "launch_jobs",
    "stop_jobs",
]

logger = logging.getLogger(__name__)

JOB_QUEUE = "catalog-jobs"
_APP_NAME = "translator"


@dataclass(frozen=True, slots=True)
class JobRuntime:
    """What the workflows of this process translate with."""

    runner: ChunkRunner
    sessions: async_sessionmaker[AsyncSession]
    concurrency: int
    retry_attempts: int
    retry_seconds: float

    @classmethod
    def of(
        cls, runner: ChunkRunner, sessions: async_sessionmaker[AsyncSession], settings: Settings
    ) -> JobRuntime:
        """The runtime the settings describe."""
        return cls(
            runner,
            sessions,
            default_concurrency(settings),
            settings.jobs_retry_attempts,
            settings.jobs_retry_seconds,
        )

    def chunk_step(self) -> StepOptions:
        """A chunk is retried, with exponential backoff, only when the engine failed."""
        return {
            "name": "catalog_job_chunk",
            "retries_allowed": True,
            "max_attempts": self.retry_attempts,
            "interval_seconds": self.retry_seconds,
            "backoff_rate": 2.0,
            "should_retry": _retryable,
        }


_runtime: JobRuntime | None = None
_queue: Queue | None = None


def _current() -> JobRuntime:
    if _runtime is None:
        raise RuntimeError("catalog jobs were not launched in this process")
    return _runtime


def default_concurrency(settings: Settings) -> int:
    """Segments a job translates at once: as many as the embedded engine decodes together (its
    `max_sequences`), while a GPU server batches many and needs many in flight to stay busy."""
    if settings.jobs_concurrency is not None:
        return settings.jobs_concurrency
    return settings.max_sequences if settings.engine is EngineKind.EMBEDDED else 32


def jobs_database_url(settings: Settings) -> str:
    """Where DBOS keeps workflow state: the setting, or derived from the cache's database."""
    if settings.jobs_database_url:
        return settings.jobs_database_url
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ValueError("jobs need a database file: set jobs_database_url")
        database = Path(url.database)
        return f"sqlite:///{database.with_name(database.stem + '-jobs.db')}"
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


async def launch_jobs(runtime: JobRuntime, settings: Settings) -> None:
    """Start DBOS in this process (call it from the event loop that the workflows should use).

    A worker (`jobs_worker`) takes jobs from the queue and first resumes the ones it had
    started before it stopped; otherwise the process only submits and cancels jobs.
    """
    global _runtime, _queue
    _runtime = runtime
    config: DBOSConfig = {
        "name": _APP_NAME,
        "system_database_url": jobs_database_url(settings),
        "log_level": "WARNING",
        "notification_listener_polling_interval_sec": 0.2,
        "executor_id": settings.jobs_executor_id
        or ("local" if settings.jobs_worker else f"submitter-{socket.gethostname()}"),
    }
    DBOS(config=config)
    if not settings.jobs_worker:
        DBOS.listen_queues([])
    DBOS.launch()
    _queue = await DBOS.register_queue_async(
        JOB_QUEUE,
        worker_concurrency=settings.jobs_per_worker,
        polling_interval_sec=0.5,
        on_conflict="always_update",
    )


def stop_jobs() -> None:
    """Stop DBOS; workflows in flight stay pending and resume at the next worker start."""
    global _runtime, _queue
    DBOS.destroy(workflow_completion_timeout_sec=0)
    _runtime = _queue = None


async def enqueue_job(job_id: str) -> None:
    """Queue the job's workflow; its id is the job's, so queueing twice runs it once."""
    if _queue is None:
        raise RuntimeError("catalog jobs were not launched in this process")
    with SetWorkflowID(job_id):
        await _queue.enqueue_async(run_catalog_job, job_id)


async def cancel_job(job_id: str) -> None:
    """Stop the job's workflow at its next step (the running chunk notices within a second)."""
    await DBOS.cancel_workflow_async(job_id)


@DBOS.workflow(name="catalog_job")
async def run_catalog_job(job_id: str) -> str:
    """Translate every chunk of the job in order, then mark it finished."""
    chunks = await _start(job_id)
    for chunk in range(chunks):
        try:
            await DBOS.run_step_async(_current().chunk_step(), _translate_chunk, job_id, chunk)
        except JobCancelled:
            return JobState.CANCELLED
        except Exception as error:
            await _finish(job_id, JobState.FAILED, _failure(error))
            raise
    return await _finish(job_id, JobState.COMPLETED, None)


@DBOS.step(name="catalog_job_start")
async def _start(job_id: str) -> int:
    """Mark the job running; the number of chunks to translate."""
    runtime = _current()
    async with runtime.sessions() as session, session.begin():
        job = await find_job(session, job_id)
        if job is None:
            return 0
        await set_state(session, job_id, JobState.RUNNING)
        rows = job.total_rows
    return -(-rows // runtime.runner.chunk_rows)


def _failure(error: Exception) -> str:
    """Why the job failed, in words: the last engine error after the retries ran out."""
    if isinstance(error, dbos_errors.DBOSMaxStepRetriesExceeded) and error.errors:
        last = error.errors[-1]
        return f"{type(last).__name__}: {last} (after {error.max_retries} tries)"
    return f"{type(error).__name__}: {error}"


def _retryable(error: BaseException) -> bool:
    return isinstance(error, EngineError) and error.retryable


async def _translate_chunk(job_id: str, chunk: int) -> None:
    runtime = _current()
    await runtime.runner.run(job_id, chunk, runtime.concurrency)


@DBOS.step(name="catalog_job_finish")
async def _finish(job_id: str, state: str, error: str | None) -> str:
    async with _current().sessions() as session, session.begin():
        await set_state(session, job_id, state, error=error)
    logger.info("job %s %s", job_id, state)
    return state
