"""One chunk of a catalog job: plan its rows, translate the segments the job has not seen, write.

A chunk's distinct segments are looked up three ways before the engine is asked: the job's own
segments (a repeat of an earlier row costs nothing), the translation cache in bulk, and, for the
rest, `TranslationService.translate`, which also shares work with identical API requests in
flight. Engine runs go through a semaphore (as many at once as the embedded model decodes
together, many more against a GPU server), and each result is written as soon as it exists: a
crash loses at most the segments in flight, and a rerun of the chunk finds the rest already done.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from glossary.selection import GlossarySelection
from translator.errors import InvalidInput, UnsupportedLanguage
from translator.jobs.cells import CellPlan, plan_cell, row_language
from translator.jobs.spec import JobSpec
from translator.prompting.modes import qa_findings
from translator.settings import Settings
from translator.store.jobs import (
    JobState,
    RowUpdate,
    SegmentResult,
    find_job,
    load_rows,
    load_segments,
    new_segments,
    save_rows,
    save_segments,
)
from translator.store.models import JobRow
from translator.store.repository import find_cached
from translator.text.languages import AUTO, LANGUAGES
from translator.translating.glossaries import GlossaryResolver
from translator.translating.memories import MemoryResolver, match_memories
from translator.translating.service import TranslateOptions, TranslationService
from translator.translating.translation import PlannedSegment, find_terms

__all__ = ["ChunkRunner", "JobCancelled", "detect_row", "plan_row"]

logger = logging.getLogger(__name__)

_CANCEL_CHECK_SECONDS = 1.0


class JobCancelled(Exception):
    """The job was cancelled while this chunk ran."""


@dataclass(frozen=True, slots=True)
class _PlannedRow:
    row: JobRow
    cells: list[tuple[str, CellPlan]]
    error: str | None
    language: str | None


def detect_row(values: Mapping[str, Any], spec: JobSpec) -> str | None:
    """The row's detected language for a job with `source=auto`, else None."""
    if spec.source != AUTO:
        return None
    return row_language([(values.get(c.name), c.html) for c in spec.columns])


def plan_row(
    values: Mapping[str, Any], spec: JobSpec, settings: Settings, *, language: str | None = None
) -> list[tuple[str, CellPlan]]:
    """Each translated column's output name and plan, from the row's detected `language` when
    the job's source is `auto`; raises `InvalidInput` for a row that cannot be translated."""
    source = language if spec.source == AUTO else spec.source
    if source is not None and source not in LANGUAGES:
        raise UnsupportedLanguage(
            spec.columns[0].name,
            f"detected language {source!r} is not supported; set source explicitly",
        )
    return [
        (
            spec.output_column(column.name),
            plan_cell(
                values.get(column.name),
                html=column.html,
                source=source or spec.target,
                target=spec.target,
                field=column.name,
                max_cell_chars=settings.jobs_max_cell_chars,
                max_segment_chars=settings.max_text_chars,
            ),
        )
        for column in spec.columns
    ]


class ChunkRunner:
    """Translates chunks of stored jobs through a translation service."""

    def __init__(
        self,
        service: Callable[[], Awaitable[TranslationService]],
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        glossaries: GlossaryResolver,
        memories: MemoryResolver | None = None,
    ) -> None:
        self._service = service
        self._sessions = sessions
        self._settings = settings
        self._glossaries = glossaries
        self._memories = memories or MemoryResolver()

    @property
    def chunk_rows(self) -> int:
        return self._settings.jobs_chunk_rows

    async def run(self, job_id: str, chunk: int, concurrency: int) -> None:
        """Translate and write the unfinished rows of chunk number `chunk`.

        Raises `JobCancelled` when the job was cancelled (rows finished so far stay written).
        """
        start = chunk * self.chunk_rows
        async with self._sessions() as session:
            job = await find_job(session, job_id)
            if job is None or job.state == JobState.CANCELLED:
                raise JobCancelled(job_id)
            spec = JobSpec.from_json(job.options)
            rows = await load_rows(
                session, job_id, start, start + self.chunk_rows, pending_only=True
            )
            selection = await self._glossaries.resolve(
                session, job.owner, spec.glossaries, builtin=spec.builtin_glossary
            )
            # Read for every chunk: pairs approved while the job runs serve its later chunks.
            memories = await self._memories.resolve(
                session, job.owner, spec.memories, missing_ok=True
            )
        if not rows:
            return
        service = await self._service()
        options = TranslateOptions(mode=spec.mode, budget=spec.budget)
        planned = [self._plan_row(row, spec) for row in rows]
        plans = match_memories(
            _plans_of(planned, selection),
            memories,
            threshold=self._settings.memory_fuzzy_threshold,
            examples=self._settings.memory_examples,
        )
        keys = await service.cache_keys(plans, options)
        translations = await self._translate(job_id, service, options, keys, plans, concurrency)
        updates = _row_updates(planned, iter(keys), translations)
        async with self._sessions() as session, session.begin():
            await save_rows(session, job_id, updates)

    def _plan_row(self, row: JobRow, spec: JobSpec) -> _PlannedRow:
        language = detect_row(row.values, spec)
        try:
            cells = plan_row(row.values, spec, self._settings, language=language)
        except InvalidInput as error:
            return _PlannedRow(row, [], f"{error.field}: {error.message}", language)
        return _PlannedRow(row, cells, None, language)

    async def _translate(
        self,
        job_id: str,
        service: TranslationService,
        options: TranslateOptions,
        keys: Sequence[str],
        plans: Sequence[PlannedSegment],
        concurrency: int,
    ) -> dict[str, SegmentResult]:
        """Every distinct segment's result by key, translating only what nothing had yet."""
        unique = dict(zip(keys, plans, strict=True))
        results: dict[str, SegmentResult] = {}
        async with self._sessions() as session, session.begin():
            known = await load_segments(session, job_id, list(unique))
            await new_segments(session, job_id, [key for key in unique if key not in known])
            for key, segment in known.items():
                if segment.state != "pending":
                    results[key] = SegmentResult(
                        key, segment.translation, segment.origin or "", segment.error
                    )
            pending = [key for key in unique if key not in results]
            hits = await find_cached(session, pending)
            cached = [SegmentResult(key, hit.row.translation, "cache") for key, hit in hits.items()]
            await save_segments(session, job_id, cached)
        results.update((result.key, result) for result in cached)
        misses = [key for key in pending if key not in hits]
        if misses:
            watch = _CancelWatch(self._sessions, job_id)
            gate = asyncio.Semaphore(concurrency)

            async def one(key: str) -> None:
                async with gate:
                    await watch.check()
                    results[key] = await self._translate_one(
                        job_id, service, options, key, unique[key]
                    )

            try:
                async with asyncio.TaskGroup() as group:
                    for key in misses:
                        group.create_task(one(key))
            except BaseExceptionGroup as failures:
                raise failures.exceptions[0] from None  # the first failure cancelled the rest
        return results

    async def _translate_one(
        self,
        job_id: str,
        service: TranslationService,
        options: TranslateOptions,
        key: str,
        plan: PlannedSegment,
    ) -> SegmentResult:
        try:
            (served,) = await service.translate([plan], options)
        except InvalidInput as error:
            result = SegmentResult(key, None, "engine", f"{error.field}: {error.message}")
        else:
            origin = "cache" if served.cached or served.shared else "engine"
            origin = "memory" if served.from_memory else origin
            result = SegmentResult(key, served.result.translation, origin)
            if origin == "engine":
                logger.info("job %s: engine translated segment %s", job_id, key)
        async with self._sessions() as session, session.begin():
            await save_segments(session, job_id, [result])
        return result


def _plans_of(rows: Sequence[_PlannedRow], selection: GlossarySelection) -> list[PlannedSegment]:
    """Every segment of the chunk's rows in order (repeats kept), with its glossary terms."""
    plans = [
        PlannedSegment(segment, None)
        for row in rows
        for _, cell in row.cells
        for segment in cell.segments
    ]
    return find_terms(plans, selection)


def _row_updates(
    rows: Sequence[_PlannedRow], keys: Iterator[str], results: dict[str, SegmentResult]
) -> list[RowUpdate]:
    """Each row's translated cells from its segments' results (keys in `_plans_of` order),
    with the QA findings of each segment's translation (offsets are the segment's own)."""
    updates = []
    for planned in rows:
        if planned.error is not None:
            updates.append(
                RowUpdate(planned.row.position, None, planned.error, 0, language=planned.language)
            )
            continue
        cells: dict[str, str] = {}
        errors: list[str] = []
        findings: list[dict[str, Any]] = []
        count = 0
        for column, cell in planned.cells:
            texts = []
            for segment in cell.segments:
                result = results[next(keys)]
                count += 1
                if result.error is not None:
                    errors.append(result.error)
                texts.append(result.translation or "")
                findings += (
                    {"column": column, **finding.as_dict()}
                    for finding in qa_findings(segment, result.translation or "")
                )
            cells[column] = cell.assemble(texts)
        error = errors[0] if errors else None
        qa = findings if findings and error is None else None
        translated = None if error else cells
        updates.append(
            RowUpdate(planned.row.position, translated, error, count, qa, planned.language)
        )
    return updates


class _CancelWatch:
    """Looks at the job's state at most once a second while segments are translated."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], job_id: str) -> None:
        self._sessions = sessions
        self._job_id = job_id
        self._checked = time.monotonic()

    async def check(self) -> None:
        if time.monotonic() - self._checked < _CANCEL_CHECK_SECONDS:
            return
        self._checked = time.monotonic()
        async with self._sessions() as session:
            job = await find_job(session, self._job_id)
        if job is None or job.state == JobState.CANCELLED:
            raise JobCancelled(self._job_id)
