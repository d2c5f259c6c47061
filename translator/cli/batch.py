"""`translator batch` (a catalog, here or on a server) and `translator worker` (run queued jobs).

Locally, the job is stored in the same database as the server's and run by the same durable
workflow, in this process: an interrupted run (Ctrl-C, a crash, a reboot) is continued with
`--resume`, which finds the unfinished job for the same file and options. With `--server`, the
file is uploaded to a running service and the job's id is kept in `OUTPUT.job` until the results
are downloaded, so `--resume` reattaches to it.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import httpx
import msgspec
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from translator.cli.db import database_errors, upgrade_if_local
from translator.cli.options import (
    EXIT_BAD_INPUT,
    EXIT_ENGINE_FAILURE,
    EngineOption,
    EngineUrlOption,
    ModelPathOption,
    fail,
    settings_from_flags,
)
from translator.errors import InvalidInput
from translator.jobs.catalog import CatalogError, format_of
from translator.jobs.report import JobOut
from translator.jobs.spec import JobSpec, parse_columns
from translator.prompting.modes import Mode
from translator.search.config import BudgetName
from translator.settings import Settings
from translator.store.jobs import JobState

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from translator.translating.glossaries import GlossaryResolver

__all__ = ["batch", "worker"]

_POLL_SECONDS = 0.5

Poll = Callable[[], Awaitable[JobOut]]


def batch(
    catalog: Annotated[Path, typer.Argument(help="The catalog: .csv, .jsonl or .xlsx.")],
    columns: Annotated[str, typer.Option(help="Columns to translate: title,description.")],
    to: Annotated[str, typer.Option("--to", help="Target language.")],
    source: Annotated[str, typer.Option("--from", help="Source language, or auto.")] = "auto",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Results file; default: CATALOG.<to>.<ext>."),
    ] = None,
    html_columns: Annotated[str, typer.Option(help="Those of --columns holding HTML.")] = "",
    id_column: Annotated[str | None, typer.Option(help="Column of unique row ids.")] = None,
    mode: Annotated[Mode, typer.Option(help="direct, cot or mcts.")] = Mode.DIRECT,
    budget: Annotated[BudgetName | None, typer.Option(help="Search budget (mcts).")] = None,
    glossary: Annotated[
        list[str] | None, typer.Option(help="User glossary name or id (repeatable).")
    ] = None,
    builtin_glossary: Annotated[
        bool, typer.Option(help="Give hints from the built-in slang glossary.")
    ] = True,
    resume: Annotated[
        bool, typer.Option(help="Continue the interrupted run of this catalog.")
    ] = False,
    server: Annotated[
        str | None, typer.Option(help="Submit to a running service at this URL instead.")
    ] = None,
    key: Annotated[str | None, typer.Option(help="API key for --server.")] = None,
    engine: EngineOption = None,
    engine_url: EngineUrlOption = None,
    model_path: ModelPathOption = None,
) -> None:
    """Translate the columns of a whole catalog, with a live progress bar."""
    try:
        file_format = format_of(catalog.name)
        data = catalog.read_bytes()
        spec = JobSpec(
            columns=parse_columns(columns, html_columns),
            target=to,
            source=source,
            id_column=id_column,
            mode=mode,
            budget=budget,
            glossaries=glossary or [],
            builtin_glossary=builtin_glossary,
        )
    except (CatalogError, InvalidInput) as error:
        raise fail(str(error), EXIT_BAD_INPUT) from error
    except OSError as error:
        raise fail(f"cannot read {catalog}: {error.strerror}", EXIT_BAD_INPUT) from error
    output = output or catalog.with_name(f"{catalog.stem}.{to}.{file_format.value}")
    if server is not None:
        job = asyncio.run(_run_remote(server, key, catalog.name, data, spec, output, resume))
    else:
        settings = settings_from_flags(engine, engine_url, model_path)
        upgrade_if_local(settings.database_url)
        with database_errors():
            job = asyncio.run(_run_local(settings, catalog.name, data, spec, output, resume))
    _report(job, output)


def _report(job: JobOut, output: Path) -> None:
    counts = job.counts
    typer.echo(
        f"{job.state}: {counts.rows_done} rows translated, {counts.rows_failed} failed "
        f"(see translation_error), {counts.rows_with_findings} with QA findings (see qa); "
        f"{counts.unique_segments} distinct segments: "
        f"{counts.translated} by the engine, {counts.cached} from the cache, "
        f"{counts.deduplicated} repeats free → {output}"
    )
    if job.state == JobState.FAILED:
        raise fail(f"the job failed: {job.error}", EXIT_ENGINE_FAILURE)


async def _follow(poll: Poll) -> JobOut:
    """Poll the job until it finishes, drawing rows, segments, cache hits and the ETA."""
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} rows"),
        TextColumn("{task.fields[segments]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task("translating", total=None, segments="")
        while True:
            job = await poll()
            counts = job.counts
            progress.update(
                task,
                total=counts.rows_total,
                completed=counts.rows_done + counts.rows_failed,
                segments=f"{counts.unique_segments} segments, {counts.cached} cached, "
                f"{counts.deduplicated} repeats",
            )
            if job.state in JobState.FINISHED:
                return job
            await asyncio.sleep(_POLL_SECONDS)


async def _run_local(
    settings: Settings, file_name: str, data: bytes, spec: JobSpec, output: Path, resume: bool
) -> JobOut:
    from translator.jobs.report import job_out, job_progress, job_results
    from translator.jobs.submit import create_job, spec_digest
    from translator.jobs.workflow import enqueue_job
    from translator.store.database import dispose_engine, make_engine, make_session_factory
    from translator.store.jobs import find_job, find_unfinished_job
    from translator.store.models import LOCAL_OWNER
    from translator.translating.glossaries import GlossaryResolver

    database = make_engine(settings.database_url)
    sessions = make_session_factory(database)
    glossaries = GlossaryResolver()
    async with AsyncExitStack() as stack:
        stack.push_async_callback(dispose_engine, database)
        async with sessions() as session, session.begin():
            job = await find_unfinished_job(session, LOCAL_OWNER, spec_digest(data, spec))
            if job is not None and not resume:
                raise fail(
                    f"an interrupted run of {file_name} exists (job {job.id}): pass --resume "
                    "to continue it",
                    EXIT_BAD_INPUT,
                )
            if job is None:
                try:
                    job = await create_job(
                        session,
                        glossaries,
                        settings,
                        owner=LOCAL_OWNER,
                        file_name=file_name,
                        data=data,
                        spec=spec,
                    )
                except (CatalogError, InvalidInput) as error:
                    raise fail(str(error), EXIT_BAD_INPUT) from error
        job_id = job.id
        await _start_worker(stack, settings, sessions, glossaries)
        await enqueue_job(job_id)

        async def poll() -> JobOut:
            async with sessions() as session:
                current = await find_job(session, job_id)
                assert current is not None
                return job_out(await job_progress(session, current))

        final = await _follow(poll)
        async with sessions() as session:
            current = await find_job(session, job_id)
            assert current is not None
            output.write_bytes(await job_results(session, current))
        return final


async def _run_remote(
    server: str,
    key: str | None,
    file_name: str,
    data: bytes,
    spec: JobSpec,
    output: Path,
    resume: bool,
) -> JobOut:
    state_file = output.with_name(output.name + ".job")
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with httpx.AsyncClient(base_url=server, headers=headers, timeout=60) as client:
        if state_file.exists() and not resume:
            raise fail(
                f"a run for {output} is unfinished ({state_file}): pass --resume to continue it",
                EXIT_BAD_INPUT,
            )
        if resume and state_file.exists():
            job_id = state_file.read_text().strip()
        else:
            form = {
                "columns": ",".join(c.name for c in spec.columns),
                "html_columns": ",".join(c.name for c in spec.columns if c.html),
                "target": spec.target,
                "source": spec.source,
                "mode": spec.mode.value,
                "glossary": ",".join(spec.glossaries),
                "builtin_glossary": str(spec.builtin_glossary).lower(),
            }
            if spec.id_column:
                form["id_column"] = spec.id_column
            if spec.budget:
                form["budget"] = spec.budget.value
            answer = await _checked(
                await client.post("/v1/jobs", data=form, files={"file": (file_name, data)})
            )
            job_id = msgspec.json.decode(answer.content, type=JobOut).id
            state_file.write_text(job_id + "\n")

        async def poll() -> JobOut:
            answer = await _checked(await client.get(f"/v1/jobs/{job_id}"))
            return msgspec.json.decode(answer.content, type=JobOut)

        final = await _follow(poll)
        results = await _checked(await client.get(f"/v1/jobs/{job_id}/results?partial=true"))
        output.write_bytes(results.content)
        state_file.unlink(missing_ok=True)
        return final


async def _checked(response: httpx.Response) -> httpx.Response:
    """The response, or the command's end with the server's problem detail."""
    if response.is_success:
        return response
    try:
        detail = response.json().get("detail", response.text)
    except ValueError:
        detail = response.text
    code = EXIT_BAD_INPUT if response.status_code < 500 else EXIT_ENGINE_FAILURE
    raise fail(f"server answered {response.status_code}: {detail}", code)


async def _start_worker(
    stack: AsyncExitStack,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    glossaries: GlossaryResolver,
) -> None:
    """Load the engine and run the job queue's worker in this process until `stack` closes."""
    from translator.engines.factory import create_engine
    from translator.jobs.runner import ChunkRunner
    from translator.jobs.workflow import JobRuntime, launch_jobs, stop_jobs
    from translator.translating.service import TranslationService

    engine = await asyncio.to_thread(create_engine, settings)
    stack.push_async_callback(engine.aclose)
    service = TranslationService(engine, sessions, settings)
    stack.push_async_callback(service.aclose)

    async def provide() -> TranslationService:
        return service

    runner = ChunkRunner(provide, sessions, settings, glossaries)
    await launch_jobs(JobRuntime.of(runner, sessions, settings), settings)
    stack.callback(stop_jobs)


def worker(
    engine: EngineOption = None,
    engine_url: EngineUrlOption = None,
    model_path: ModelPathOption = None,
) -> None:
    """Run queued catalog jobs (no HTTP) until interrupted; start one per worker host."""
    settings = settings_from_flags(engine, engine_url, model_path)
    upgrade_if_local(settings.database_url)
    with database_errors():
        asyncio.run(_work(settings))


async def _work(settings: Settings) -> None:
    from translator.store.database import dispose_engine, make_engine, make_session_factory
    from translator.translating.glossaries import GlossaryResolver

    database = make_engine(settings.database_url)
    sessions = make_session_factory(database)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with AsyncExitStack() as stack:
        stack.push_async_callback(dispose_engine, database)
        await _start_worker(stack, settings, sessions, GlossaryResolver())
        typer.echo("worker: waiting for catalog jobs (Ctrl-C to stop)", err=True)
        await stop.wait()
